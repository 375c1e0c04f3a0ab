import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/gk-display.ts';
import type { GkDisplay } from '../../src/components/gk-display.ts';
import type { ProofEntry } from '../../src/display/proof.ts';
import type { Alert, Item } from '../../src/content/types.ts';
import type { KioskConfig } from '../../src/config/types.ts';
import { CALENDAR, alert, config, guide, notice, shanghai } from '../display/fixtures.ts';

/** A display on a fake clock with the timer off: the test moves time and ticks. */
async function display(opts: {
  items?: Item[];
  alerts?: Alert[];
  cfg?: KioskConfig;
  start?: number;
  generated?: number;
  demo?: boolean;
}) {
  const clock = { t: opts.start ?? shanghai('2025-10-10', '10:00') };
  const shown: ProofEntry[] = [];
  const el = await fixture<GkDisplay>(
    html`<gk-display
      style="width:960px;height:540px"
      manual-ticks
      .clock=${() => clock.t}
      .items=${opts.items ?? [notice({ id: 'a' }), guide({ id: 'b' })]}
      .alerts=${opts.alerts ?? []}
      .config=${opts.cfg ?? config()}
      .calendar=${CALENDAR}
      .bundleGeneratedAt=${opts.generated ?? shanghai('2025-10-09', '08:30')}
      ?demo=${opts.demo ?? false}
      @gk-slide-shown=${(e: CustomEvent<ProofEntry>) => shown.push(e.detail)}
    ></gk-display>`,
  );
  const advance = async (ms: number) => {
    clock.t += ms;
    el.tick();
    await el.updateComplete;
  };
  return { el, clock, shown, advance, q: (s: string) => el.shadowRoot!.querySelector(s) };
}

describe('gk-display', () => {
  it('rotates items on its dwell time, logs each slide and fires gk-slide-shown', async () => {
    const { el, shown, advance, q } = await display({});
    const first = (q('gk-slide') as HTMLElement & { item: Item }).item.id;
    expect(shown.map((e) => e.id)).to.deep.equal([first]);
    await advance(19_000);
    expect(shown).to.have.length(1);
    await advance(60_000);
    const second = (q('gk-slide') as HTMLElement & { item: Item }).item.id;
    expect(second).not.to.equal(first);
    expect(shown.map((e) => e.id)).to.deep.equal([first, second]);
    expect(el.proof.entries().map((e) => e.id)).to.deep.equal([first, second]);
    expect(shown[1].shownAt - shown[0].shownAt).to.equal(79_000);
    await expect(el).to.be.accessible();
  });

  it('shows the clock, 内容更新于, the 演示 watermark and a stale banner in the configured zone', async () => {
    const { q, el } = await display({ generated: shanghai('2025-09-01', '08:30'), demo: true });
    const text = el.shadowRoot!.textContent!;
    expect(q('header time')!.textContent).to.equal('10:00');
    expect(text).to.contain('2025年10月10日');
    expect(text).to.contain('内容更新于 2025年9月1日星期一 08:30');
    expect(q('.stale')!.textContent).to.contain('39 天未更新');
    expect(q('.watermark')!.textContent).to.equal('演示');
    await expect(el).to.be.accessible();
  });

  it('is taken over by an alert as soon as the property arrives, until it expires', async () => {
    const { el, advance, q, shown } = await display({});
    el.alerts = [alert({ expires: '2025-10-10T10:00:30+08:00' })];
    await el.updateComplete;
    expect(q('gk-alert-takeover')).to.not.equal(null);
    expect(q('gk-slide')).to.equal(null);
    expect(shown.at(-1)!.kind).to.equal('alert');
    await expect(el).to.be.accessible();
    await advance(31_000);
    expect(q('gk-alert-takeover')).to.equal(null);
    expect(q('gk-slide')).to.not.equal(null);
  });

  it('rotates several alerts, most severe first, and drops a cancelled one', async () => {
    const alerts = [alert({ id: 'y', severity: 'yellow' }), alert({ id: 'r', severity: 'red' })];
    const { el, advance, q } = await display({ alerts });
    const current = () => (q('gk-alert-takeover') as HTMLElement & { alert: Alert }).alert.id;
    expect(current()).to.equal('r');
    await advance(20_000);
    expect(current()).to.equal('y');
    el.alerts = [alerts[0], { ...alerts[1], cancelled: true }];
    await el.updateComplete;
    expect(current()).to.equal('y');
    expect(q('gk-alert-takeover')!.shadowRoot!.textContent).not.to.contain('预警 1/2');
  });

  it('shows a closed card outside opening hours and dims when so configured', async () => {
    const closed = config({
      openingHours: { open: '09:00', close: '17:00', outside: 'closed-card' },
    });
    const a = await display({ cfg: closed, start: shanghai('2025-10-10', '18:00') });
    expect(a.q('.card h2')!.textContent).to.equal('现已闭馆');
    expect(a.el.shadowRoot!.textContent).to.contain('09:00–17:00');
    expect(a.shown.at(-1)!.kind).to.equal('closed');
    await expect(a.el).to.be.accessible();
    const dim = config({ openingHours: { open: '09:00', close: '17:00' } });
    const b = await display({ cfg: dim, start: shanghai('2025-10-10', '18:00') });
    expect(b.q('.dim')).to.not.equal(null);
    expect(b.q('gk-slide')).to.not.equal(null);
    await b.advance(15 * 3600_000);
    expect(b.q('.dim')).to.equal(null);
  });

  it('takes an item off at the end of its 公示期 at local midnight', async () => {
    const item = notice({
      id: 'gs',
      noticePeriod: { start: '2025-09-26', days: 7, unit: '工作日' },
    });
    const { advance, q } = await display({ items: [item], start: shanghai('2025-10-11', '23:59') });
    expect(q('gk-slide')).to.not.equal(null);
    await advance(60_000);
    expect(q('gk-slide')).to.equal(null);
    expect(q('.card h2')!.textContent).to.equal('暂无轮播信息');
  });

  it('uses the shell’s trusted time, advanced by its clock, over a wrong device clock', async () => {
    // The device clock says 1970; the shell's trusted time says 2025-10-10 10:00 Shanghai.
    const { el, clock, q } = await display({ start: 0 });
    el.trustedNow = shanghai('2025-10-10', '10:00');
    await el.updateComplete;
    clock.t += 5 * 60_000;
    el.tick();
    await el.updateComplete;
    expect(el.now()).to.equal(shanghai('2025-10-10', '10:05'));
    expect(q('header time')!.textContent).to.equal('10:05');
  });

  it('runs one heartbeat timer while connected and leaves no timer or listener after removal', async () => {
    const pending = new Set<number>();
    let visibilityListeners = 0;
    const { setTimeout: st, clearTimeout: ct } = window;
    const { addEventListener: add, removeEventListener: rm } = document;
    window.setTimeout = ((fn: () => void, ms?: number) => {
      const id: number = st(() => {
        pending.delete(id);
        fn();
      }, ms);
      pending.add(id);
      return id;
    }) as typeof window.setTimeout;
    window.clearTimeout = ((id?: number) => {
      if (id !== undefined) pending.delete(id);
      ct(id);
    }) as typeof window.clearTimeout;
    document.addEventListener = function (
      this: Document,
      ...a: Parameters<Document['addEventListener']>
    ) {
      if (a[0] === 'visibilitychange') visibilityListeners++;
      add.apply(this, a);
    } as Document['addEventListener'];
    document.removeEventListener = function (
      this: Document,
      ...a: Parameters<Document['removeEventListener']>
    ) {
      if (a[0] === 'visibilitychange') visibilityListeners--;
      rm.apply(this, a);
    } as Document['removeEventListener'];
    try {
      const el = document.createElement('gk-display');
      el.config = config();
      el.items = [notice()];
      document.body.append(el);
      await el.updateComplete;
      await new Promise((r) => st(r, 600));
      // The heartbeat re-arms itself: exactly one of our timers is pending at any time.
      expect(pending.size).to.equal(1);
      expect(visibilityListeners).to.equal(1);
      el.remove();
      expect(pending.size).to.equal(0);
      expect(visibilityListeners).to.equal(0);
    } finally {
      window.setTimeout = st;
      window.clearTimeout = ct;
      document.addEventListener = add;
      document.removeEventListener = rm;
    }
  });
});
