import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/gk-flowchart.ts';
import { flowchartAltText, type GkFlowchart } from '../../src/components/gk-flowchart.ts';
import { guide, themedHost } from './gk-kiosk.fixtures.ts';

describe('gk-flowchart', () => {
  for (const elder of [false, true]) {
    it(`draws one box per step with arrows between, with a text alternative, and passes axe (elder ${elder})`, async () => {
      const el = await fixture<GkFlowchart>(
        html`<gk-flowchart .steps=${guide.procedure!}></gk-flowchart>`,
        { parentNode: themedHost(elder) },
      );
      const svg = el.shadowRoot!.querySelector('svg')!;
      expect(svg.querySelectorAll('rect').length).to.equal(3);
      expect(svg.querySelectorAll('line').length).to.equal(2);
      expect(svg.getAttribute('role')).to.equal('img');
      expect(svg.getAttribute('aria-label')).to.equal('1. 申请 → 2. 受理 → 3. 答复');
      expect(el.shadowRoot!.querySelector('ol')!.textContent).to.contain('20个工作日');
      await expect(el).to.be.accessible();
    });
  }

  it('prefers the guide’s own alt text', async () => {
    const el = await fixture<GkFlowchart>(
      html`<gk-flowchart .steps=${guide.procedure!} alt="申请、受理、答复三步"></gk-flowchart>`,
    );
    expect(el.shadowRoot!.querySelector('svg')!.getAttribute('aria-label')).to.equal(
      '申请、受理、答复三步',
    );
    expect(flowchartAltText([])).to.equal('');
  });
});
