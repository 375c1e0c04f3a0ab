import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/components/gk-admin-panel.ts';
import type { GkAdminPanel } from '../../src/components/gk-admin-panel.ts';

describe('gk-admin-panel', () => {
  it('asks for a PIN and reports it, without showing the status yet', async () => {
    const el = await fixture<GkAdminPanel>(
      html`<gk-admin-panel .rows=${[{ label: '当前版本', value: '7' }]}></gk-admin-panel>`,
    );
    await expect(el).to.be.accessible();
    expect(el.shadowRoot!.querySelector('dl')).to.equal(null);
    const input = el.shadowRoot!.querySelector<HTMLInputElement>('#pin')!;
    input.value = '123456';
    const event = oneEvent(el, 'gk-admin-pin');
    el.shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    expect((await event).detail).to.deep.equal({ pin: '123456' });
    // The field is cleared so the PIN does not linger on screen.
    expect(input.value).to.equal('');
  });

  it('shows a wrong-PIN message as an alert', async () => {
    const el = await fixture<GkAdminPanel>(
      html`<gk-admin-panel pinError="密码错误。"></gk-admin-panel>`,
    );
    await expect(el).to.be.accessible();
    expect(el.shadowRoot!.querySelector('[role=alert]')!.textContent).to.contain('密码错误');
  });

  it('once unlocked shows the status rows, a check button and a folder picker', async () => {
    const el = await fixture<GkAdminPanel>(
      html`<gk-admin-panel
        unlocked
        .rows=${[
          { label: '当前版本', value: '7' },
          { label: '上次错误', value: '无' },
        ]}
        message="导入成功，当前版本 7。"
      ></gk-admin-panel>`,
    );
    await expect(el).to.be.accessible();
    const text = el.shadowRoot!.querySelector('dl')!.textContent!;
    expect(text).to.contain('当前版本');
    expect(text).to.contain('7');
    const picker = el.shadowRoot!.querySelector<HTMLInputElement>('#sideload')!;
    expect(picker.hasAttribute('webkitdirectory')).to.equal(true);
    const check = oneEvent(el, 'gk-admin-check');
    el.shadowRoot!.querySelector<HTMLButtonElement>('.row button:not(.secondary)')!.click();
    await check;
    const close = oneEvent(el, 'gk-admin-close');
    el.shadowRoot!.querySelector<HTMLButtonElement>('button.secondary')!.click();
    await close;
  });

  it('disables the actions while busy', async () => {
    const el = await fixture<GkAdminPanel>(html`<gk-admin-panel unlocked busy></gk-admin-panel>`);
    expect(el.shadowRoot!.querySelector<HTMLInputElement>('#sideload')!.disabled).to.equal(true);
  });
});
