import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/gk-clock.ts';
import type { GkClock } from '../../src/components/gk-clock.ts';

describe('gk-clock', () => {
  it('shows the time in the configured zone and passes axe', async () => {
    const now = Date.UTC(2026, 10, 24, 1, 5);
    const el = await fixture<GkClock>(
      html`<gk-clock .now=${now} time-zone="Asia/Shanghai"></gk-clock>`,
    );
    expect(el.shadowRoot!.querySelector('time')!.textContent).to.equal('09:05');
    expect(el.shadowRoot!.textContent).to.contain('2026年11月24日');
    await expect(el).to.be.accessible();
  });
});
