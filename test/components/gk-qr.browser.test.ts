import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/gk-qr.ts';
import type { GkQr } from '../../src/components/gk-qr.ts';

describe('gk-qr', () => {
  it('draws the code as an SVG path with a label and passes axe', async () => {
    const el = await fixture<GkQr>(
      html`<gk-qr value="https://gongkai.example/n1.html" label="扫码查看原文"></gk-qr>`,
    );
    const svgEl = el.shadowRoot!.querySelector('svg')!;
    expect(svgEl.getAttribute('aria-label')).to.equal('扫码查看原文');
    expect(svgEl.querySelector('path')!.getAttribute('d')).to.match(/^M\d+ \d+h\d+v1h-\d+z/);
    await expect(el).to.be.accessible();
  });
});
