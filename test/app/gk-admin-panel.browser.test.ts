import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/components/gk-admin-panel.ts';
import type { AdminCounts, GkAdminPanel } from '../../src/components/gk-admin-panel.ts';

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

  it('shows a standing notice once, above the status, only when unlocked', async () => {
    const notice = '此终端以 http 方式访问：断网后重启无法离线启动，请改用 https 或本机地址';
    const el = await fixture<GkAdminPanel>(
      html`<gk-admin-panel
        .notice=${notice}
        .rows=${[{ label: '当前版本', value: '7' }]}
      ></gk-admin-panel>`,
    );
    // Behind the PIN, like the rest of the status.
    expect(el.shadowRoot!.querySelector('.notice')).to.equal(null);
    el.unlocked = true;
    await el.updateComplete;
    await expect(el).to.be.accessible();
    const shown = el.shadowRoot!.querySelectorAll('.notice');
    expect(shown.length).to.equal(1);
    expect(shown[0].textContent).to.equal(notice);
    expect(shown[0].nextElementSibling!.tagName).to.equal('DL');
    el.notice = '';
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.notice')).to.equal(null);
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

  it('shows the anonymous counts, the searches that found nothing, diagnostics, and asks for CSV exports', async () => {
    const counts: AdminCounts = {
      period: '2026-01-01 至 2026-11-24',
      totals: { views: 12, searches: 9, zeroResults: 4 },
      views: [{ id: 'n-1', title: '政务公开工作计划', count: 7 }],
      zeroQueries: [{ query: '养老金领取', count: 3 }],
    };
    const el = await fixture<GkAdminPanel>(
      html`<gk-admin-panel
        unlocked
        .counts=${counts}
        .diagnostics=${[{ label: '屏幕', value: '1920×1080' }]}
        proof-count="42"
      ></gk-admin-panel>`,
    );
    await expect(el).to.be.accessible();
    const root = el.shadowRoot!;
    expect(root.querySelector('.totals')!.textContent).to.match(
      /查看次数\s*12[\s\S]*无结果搜索\s*4/,
    );
    expect(root.querySelector('table.views')!.textContent).to.contain('政务公开工作计划');
    expect(root.querySelector('table.zero')!.textContent).to.match(/养老金领取\s*3/);
    expect(root.querySelector('.diagnostics')!.textContent).to.contain('1920×1080');
    const exportButton = (kind: string) =>
      root.querySelector<HTMLButtonElement>(`button[data-export="${kind}"]`)!;
    expect(exportButton('proof').textContent).to.contain('42');
    for (const kind of ['stats', 'proof']) {
      const ev = oneEvent(el, 'gk-admin-export');
      exportButton(kind).click();
      expect((await ev).detail).to.deep.equal({ kind });
    }
  });

  it('says when there are no counts yet', async () => {
    const el = await fixture<GkAdminPanel>(html`<gk-admin-panel unlocked></gk-admin-panel>`);
    expect(el.shadowRoot!.textContent).to.contain('统计加载中');
    el.counts = {
      period: '今天',
      totals: { views: 0, searches: 0, zeroResults: 0 },
      views: [],
      zeroQueries: [],
    };
    await el.updateComplete;
    await expect(el).to.be.accessible();
    expect(el.shadowRoot!.querySelector('table')).to.equal(null);
    expect(el.shadowRoot!.textContent).to.contain('暂无');
  });
});
