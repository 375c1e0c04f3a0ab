import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/gk-status-banner.ts';
import type { GkStatusBanner } from '../../src/components/gk-status-banner.ts';

describe('gk-status-banner', () => {
  it('announces errors as an alert and passes axe', async () => {
    const el = await fixture<GkStatusBanner>(
      html`<gk-status-banner
        .messages=${[{ level: 'error', text: '配置错误 kiosk-config/a.json /name：missing' }]}
      ></gk-status-banner>`,
    );
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain(
      'kiosk-config/a.json',
    );
    await expect(el).to.be.accessible();
  });

  it('uses a polite status region for information', async () => {
    const el = await fixture<GkStatusBanner>(
      html`<gk-status-banner
        .messages=${[{ level: 'info', text: '正在加载' }]}
      ></gk-status-banner>`,
    );
    expect(el.shadowRoot!.querySelector('[role="status"]')).to.exist;
    await expect(el).to.be.accessible();
  });
});
