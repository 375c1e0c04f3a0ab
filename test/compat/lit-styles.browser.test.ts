// Lit styles through CSSOM (src/compat/lit-styles.ts), as on Chromium < 73 where the CSP
// refuses Lit's <style> fallback. Installed here on a current engine: the patch must style
// a component with empty <style> elements only, and restyle it after it is moved.
import { expect, fixture, html as testHtml } from '@open-wc/testing';
import { LitElement, css, html } from 'lit';
import { installCssomStyles } from '../../src/compat/lit-styles.ts';

installCssomStyles();

class GkCssomProbe extends LitElement {
  static override styles = [
    css`
      :host {
        display: block;
      }
    `,
    css`
      p {
        color: rgb(200, 0, 0);
      }
      @media (min-width: 1px) {
        p {
          font-size: 31px;
        }
      }
    `,
  ];
  override render() {
    return html`<p>公示</p>`;
  }
}
customElements.define('gk-cssom-probe', GkCssomProbe);

describe('lit-styles (CSSOM fallback)', () => {
  it('applies the styles through empty <style> elements and passes axe', async () => {
    const el = await fixture<GkCssomProbe>(testHtml`<gk-cssom-probe></gk-cssom-probe>`);
    const styles = [...el.shadowRoot!.querySelectorAll('style')];
    expect(styles.length).to.equal(2);
    expect(styles.every((s) => s.textContent === '')).to.equal(true);
    const p = el.shadowRoot!.querySelector('p')!;
    expect(getComputedStyle(p).color).to.equal('rgb(200, 0, 0)');
    expect(getComputedStyle(p).fontSize).to.equal('31px');
    expect(getComputedStyle(el).display).to.equal('block');
    await expect(el).to.be.accessible();
  });

  it('puts the rules back when the element is moved', async () => {
    const el = await fixture<GkCssomProbe>(testHtml`<gk-cssom-probe></gk-cssom-probe>`);
    const other = document.createElement('div');
    document.body.append(other);
    other.append(el);
    const p = el.shadowRoot!.querySelector('p')!;
    expect(getComputedStyle(p).color).to.equal('rgb(200, 0, 0)');
    other.remove();
  });
});
