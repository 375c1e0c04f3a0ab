import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import type { Alert, Calendar, Item } from '../content/types.ts';
import type { KioskConfig } from '../config/types.ts';
import { activeAlerts, alertDwellMs } from '../display/alerts.ts';
import { pixelShift } from '../display/burn-in.ts';
import { formatClock, type Now } from '../display/clock.ts';
import { IdleWorkController } from '../display/idle-work.ts';
import { openingState, type OpeningState, type PlaylistEntry } from '../display/playlist.ts';
import { activePlaylist, preparePlaylist, type PreparedPlaylist } from '../display/prepare.ts';
import { ProofLog, type ProofEntry } from '../display/proof.ts';
import { Rotation, TickController, type CurrentSlide } from '../display/rotation.ts';
import { noticeWindow } from '../display/schedule.ts';
import { runInSlices, type SliceRun } from '../display/slices.ts';
import { WakeLockController } from '../display/wake-lock.ts';
import { localDate } from '../display/zoned.ts';
import './gk-alert-takeover.ts';
import { prepareQr } from './gk-qr.ts';
import { publicUrl } from './gk-slide.ts';

const DAY_MS = 86_400_000;
const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

/** Detail of `gk-slide-shown`: one proof-of-display entry. */
export type SlideShownEvent = CustomEvent<ProofEntry>;

/**
 * The whole screen of a reading-room display or notice board: the rotation
 * of currently valid items, alert takeover, opening hours, clock, bundle age
 * and the 演示 watermark. The shell passes plain data in; the element owns
 * its timers (one heartbeat), the wake lock and the proof-of-display ring.
 *
 * @fires gk-slide-shown - {@link ProofEntry} each time a slide, alert or card appears
 * @csspart screen - the shifted screen area
 */
@customElement('gk-display')
export class GkDisplay extends LitElement {
  static override styles = css`
    :host {
      display: block;
      position: relative;
      width: 100%;
      height: 100%;
      overflow: hidden;
      background: #fbf8f3;
      color: #1a1a1a;
      font-family:
        'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif;
    }
    .screen {
      position: absolute;
      /* Room for the burn-in shift: the screen moves within this margin. */
      inset: 4px;
      display: grid;
      grid-template-rows: auto minmax(0, 1fr) auto;
      grid-template-columns: minmax(0, 1fr);
      /* 36 px on a 1080-line screen, scaled with the screen so pages keep their layout. */
      font-size: calc(100vmin / 30);
      transform: translate(var(--gk-shift-x, 0), var(--gk-shift-y, 0));
      transition: transform 2s ease-in-out;
    }
    .screen.portrait {
      font-size: calc(100vmin / 27);
    }
    header {
      display: flex;
      justify-content: space-between;
      align-items: center;
      padding: 0.3em 1em;
      background: #8b0000;
      color: #fff;
    }
    .place {
      font-size: 0.8em;
      font-weight: 600;
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    /* Margins, not flex gap: flex gap is Chromium 84, the display tier starts at 66. */
    header > * + * {
      margin-left: 1em;
    }
    .clock > * + * {
      margin-left: 0.5em;
    }
    .clock {
      display: flex;
      align-items: baseline;
      white-space: nowrap;
      font-size: 0.8em;
    }
    .clock time {
      font-size: 1.4em;
      font-weight: 700;
      font-variant-numeric: tabular-nums;
    }
    main {
      position: relative;
      min-height: 0;
      overflow: hidden;
    }
    .stage {
      height: 100%;
      box-sizing: border-box;
      padding: 0.8em 1em 0.4em;
      animation: enter 0.8s ease-out;
    }
    .stage.alert {
      padding: 0;
    }
    @keyframes enter {
      from {
        opacity: 0;
        transform: translateY(0.4em);
      }
      to {
        opacity: 1;
        transform: none;
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .stage {
        animation: none;
      }
      .screen {
        transition: none;
      }
    }
    .card {
      display: flex;
      flex-direction: column;
      align-items: center;
      justify-content: center;
      height: 100%;
      text-align: center;
    }
    .card h2 {
      margin: 0 0 0.5em;
      font-size: 1.8em;
      color: #8b0000;
    }
    .card p {
      margin: 0.2em 0;
    }
    .dim {
      position: absolute;
      inset: 0;
      background: rgba(0, 0, 0, 0.6);
      pointer-events: none;
    }
    footer > * {
      margin: 0.1em 1em 0.1em 0;
    }
    footer {
      display: flex;
      flex-wrap: wrap;
      justify-content: space-between;
      padding: 0.3em 1em;
      font-size: 0.6em;
      background: #efe9e1;
      color: #333;
    }
    .stale {
      flex-basis: 100%;
      margin: 0;
      padding: 0.2em 0.5em;
      background: #fff4e5;
      color: #663c00;
      border: 2px solid #b26a00;
      font-weight: 700;
    }
    .watermark {
      position: absolute;
      right: 0.6em;
      bottom: 1.6em;
      padding: 0.1em 0.4em;
      border: 0.08em solid #8b0000;
      color: #8b0000;
      background: rgba(255, 255, 255, 0.85);
      font-size: 1.4em;
      font-weight: 700;
      pointer-events: none;
    }
  `;

  /** Everything in the active bundle; the element picks what rotates. */
  @property({ attribute: false }) items: Item[] = [];
  /** 预警信息 from the alerts file; those in force take over the screen at once. */
  @property({ attribute: false }) alerts: Alert[] = [];
  /** The kiosk configuration (display, timeZone, orientation, id, name, location). */
  @property({ attribute: false }) config: KioskConfig | null = null;
  /** The bundle's holiday calendar, for 公示 periods in working days. */
  @property({ attribute: false }) calendar: Calendar | null = null;
  /**
   * Trusted time (epoch ms) from the shell; the display advances it with
   * `clock` between updates. 0 means "use `clock` as is".
   */
  @property({ type: Number }) trustedNow = 0;
  /** When the active bundle was generated (epoch ms), for 内容更新于 and the stale banner. */
  @property({ type: Number }) bundleGeneratedAt = 0;
  /** Content signed with the demo key: show the 演示 watermark. */
  @property({ type: Boolean }) demo = false;
  /** Injectable time source (tests and the soak harness pass a fake clock). */
  @property({ attribute: false }) clock: Now = Date.now;
  /** When set, no timer runs: the caller drives the display with `tick()`. */
  @property({ type: Boolean, attribute: 'manual-ticks' }) manualTicks = false;

  /** What was shown and when, newest last, bounded. */
  readonly proof = new ProofLog(5000);

  private rotation = new Rotation(20);
  private active: Alert[] = [];
  private alertIndex = 0;
  private alertUntil = 0;
  private opening: OpeningState = 'open';
  /** The content prepared for this screen (null until the first preparation ends). */
  private prepared: PreparedPlaylist | null = null;
  /** A preparation in progress (sliced: a 10,000-item switch must not freeze the screen). */
  private preparing: SliceRun<PreparedPlaylist> | null = null;
  private needsPrepare = false;
  /** What rotates, re-filtered only when `nextChange` passes, the date changes or time jumps back. */
  private activeEntries: readonly PlaylistEntry[] = [];
  private nextChange = -Infinity;
  private filteredAt = NaN;
  private builtDate = '';
  private dirty = true;
  private windows = new WeakMap<object, ReturnType<typeof noticeWindow>>();
  private renderedMinute = -1;
  private shift = { x: 0, y: 0 };
  private missingYears: string[] = [];
  private trustedBase = { trusted: 0, local: 0 };
  private shownKey = '';

  private readonly ticker = new TickController(
    this,
    () => {
      if (this.evaluate(this.now())) this.requestUpdate();
    },
    250,
    () => !this.manualTicks,
  );
  private readonly wakeLock = new WakeLockController(this);
  /** Warms the next slide (pages, QR code) while the screen is idle between changes. */
  private readonly warmer = new IdleWorkController(this, () => this.warmNext());

  /** The current trusted time. */
  now(): number {
    if (!this.trustedNow) return this.clock();
    return this.trustedBase.trusted + (this.clock() - this.trustedBase.local);
  }

  /** One heartbeat now (what the timer does every 250 ms); for harnesses with a fake clock. */
  tick(): void {
    this.ticker.tick();
  }

  /** The item slide in the rotation (it stays set behind an alert or the closed card). */
  get currentSlide(): CurrentSlide | null {
    return this.rotation.current;
  }

  /** The wake lock state, for the admin panel's health view. */
  get wakeLockState(): WakeLockController['state'] {
    return this.wakeLock.state;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.needsPrepare) this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.preparing) {
      this.preparing.cancel();
      this.preparing = null;
      this.needsPrepare = true;
    }
  }

  /** Also waits for a content preparation in progress, so callers see the new content. */
  protected override async getUpdateComplete(): Promise<boolean> {
    let result = await super.getUpdateComplete();
    while (this.preparing) {
      await this.preparing.done;
      result = await super.getUpdateComplete();
    }
    return result;
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('trustedNow'))
      this.trustedBase = { trusted: this.trustedNow, local: this.clock() };
    if (
      changed.has('items') ||
      changed.has('config') ||
      changed.has('calendar') ||
      this.needsPrepare
    )
      this.prepare();
    if (changed.has('alerts')) this.alertUntil = 0;
    // Property changes (new items, a new alerts file) take effect in this very render.
    this.evaluate(this.now());
  }

  override updated(): void {
    // CSSOM, not a style attribute: the app's CSP has no 'unsafe-inline' for styles.
    this.style.setProperty('--gk-shift-x', `${this.shift.x}px`);
    this.style.setProperty('--gk-shift-y', `${this.shift.y}px`);
  }

  override render() {
    const cfg = this.config;
    if (!cfg) return nothing;
    const now = this.now();
    const orientation = cfg.orientation;
    const { date, time } = formatClock(now, cfg.timeZone);
    return html`<div class="screen ${orientation}" part="screen">
      <header>
        <span class="place">${cfg.name} · ${cfg.location}</span>
        <span class="clock"
          ><span>${date}</span><time datetime=${new Date(now).toISOString()}>${time}</time></span
        >
      </header>
      <main>
        ${this.renderStage(cfg, orientation)}
        ${this.opening === 'dim' && !this.active.length ? html`<div class="dim"></div>` : nothing}
      </main>
      <footer>${this.renderFooter(cfg, now)}</footer>
      ${this.demo ? html`<div class="watermark" aria-hidden="true">演示</div>` : nothing}
    </div>`;
  }

  private renderStage(cfg: KioskConfig, orientation: KioskConfig['orientation']) {
    if (this.active.length) {
      const a = this.active[this.alertIndex % this.active.length];
      return keyed(
        `alert:${a.id}`,
        html`<div class="stage alert">
          <gk-alert-takeover
            .alert=${a}
            .index=${this.alertIndex % this.active.length}
            .count=${this.active.length}
            time-zone=${cfg.timeZone}
          ></gk-alert-takeover>
        </div>`,
      );
    }
    if (this.opening === 'closed-card') {
      const h = cfg.display.openingHours;
      const days = h?.days?.length ? `每周${h.days.map((d) => WEEKDAYS[d]).join('、')}` : '每天';
      return html`<div class="stage card" role="status">
        <h2>现已闭馆</h2>
        ${h ? html`<p>开放时间：${days} ${h.open}–${h.close}</p>` : nothing}
        <p>欢迎在开放时间前来查阅政府信息</p>
      </div>`;
    }
    const cur = this.rotation.current;
    if (!cur && !this.prepared && this.preparing) {
      return html`<div class="stage card" role="status">
        <h2>正在载入公开信息</h2>
      </div>`;
    }
    if (!cur) {
      return html`<div class="stage card" role="status">
        <h2>暂无轮播信息</h2>
        <p>当前没有处于有效期内的公开信息</p>
      </div>`;
    }
    return keyed(cur.seq, html`<div class="stage">${this.renderItemSlide(cur, orientation)}</div>`);
  }

  /** Renders the item part of a slide; a subclass may replace it (the leak test does). */
  protected renderItemSlide(cur: CurrentSlide, orientation: KioskConfig['orientation']) {
    return html`<gk-slide
      .item=${cur.entry.item}
      .page=${cur.page}
      .noticeWindow=${this.noticeWindowOf(cur.entry.item)}
      orientation=${orientation}
    ></gk-slide>`;
  }

  /** The 公示期 line of an item, computed once per item and calendar (working days cost a loop). */
  private noticeWindowOf(item: Item): ReturnType<typeof noticeWindow> {
    let w = this.windows.get(item);
    if (w === undefined) {
      w = noticeWindow(item, this.calendar);
      this.windows.set(item, w);
    }
    return w;
  }

  /**
   * Starts preparing the playlist for the current items and configuration.
   * Small inputs finish at once; large ones continue in slices while the old
   * playlist keeps rotating, and switch over when ready.
   */
  private prepare(): void {
    this.needsPrepare = false;
    this.preparing?.cancel();
    this.preparing = null;
    this.windows = new WeakMap();
    const cfg = this.config;
    if (!cfg) {
      this.prepared = null;
      return;
    }
    const run = runInSlices(
      preparePlaylist(
        this.items,
        cfg.display,
        {
          timeZone: cfg.timeZone,
          calendar: this.calendar,
          rotateByDefault: cfg.display.rotateByDefault,
          screenId: cfg.id,
        },
        cfg.orientation,
      ),
    );
    if (run.value) {
      this.prepared = run.value;
      this.dirty = true;
      return;
    }
    this.preparing = run;
    void run.done.then((prepared) => {
      if (this.preparing !== run || !prepared) return;
      this.preparing = null;
      this.prepared = prepared;
      this.dirty = true;
      this.requestUpdate();
    });
  }

  /** Idle work between changes: cut the next slide's pages and encode its QR code. */
  private warmNext(): void {
    const next = this.rotation.peek();
    if (!next) return;
    const url = publicUrl(next.entry.item);
    if (url) prepareQr(url);
    this.noticeWindowOf(next.entry.item);
  }

  private renderFooter(cfg: KioskConfig, now: number) {
    const gen = this.bundleGeneratedAt;
    const ageDays = gen ? Math.floor((now - gen) / DAY_MS) : 0;
    const stale = gen > 0 && now - gen > cfg.display.staleAfterDays * DAY_MS;
    const updated = gen ? formatClock(gen, cfg.timeZone) : null;
    return html`<span
        >${updated ? `内容更新于 ${updated.date} ${updated.time}` : '内容更新时间未知'}</span
      >
      <span>信息以原文为准</span>
      ${
        this.missingYears.length
          ? html`<span
              >节假日日历缺少 ${this.missingYears.join('、')}
              年：按工作日计算的公示期暂不自动下架</span
            >`
          : nothing
      }
      ${
        stale
          ? html`<p class="stale" role="status">
              本机内容已 ${ageDays} 天未更新（超过 ${cfg.display.staleAfterDays} 天），请以原文为准
            </p>`
          : nothing
      }`;
  }

  /**
   * Brings every piece of state up to `now`: alerts in force, opening hours,
   * the playlist (rebuilt when inputs change and once a minute), the slide,
   * the clock minute and the pixel shift. True when the screen must redraw.
   */
  private evaluate(now: number): boolean {
    const cfg = this.config;
    if (!cfg) return false;
    let changed = false;
    const minute = Math.floor(now / 60_000);

    const active = activeAlerts(this.alerts, now);
    const ids = active.map((a) => a.id).join('\n');
    if (ids !== this.active.map((a) => a.id).join('\n')) {
      this.active = active;
      this.alertIndex = 0;
      this.alertUntil = active.length ? now + alertDwellMs(active[0]) : 0;
      changed = true;
    } else if (active.length && now >= this.alertUntil) {
      this.active = active;
      if (active.length > 1) {
        this.alertIndex = (this.alertIndex + 1) % active.length;
        changed = true;
      }
      this.alertUntil = now + alertDwellMs(active[this.alertIndex]);
    }

    const opening = openingState(now, cfg.display, cfg.timeZone);
    if (opening !== this.opening) {
      this.opening = opening;
      changed = true;
    }

    // The prepared playlist is re-filtered only when an item's window opens or
    // closes (nextChange), at local midnight, or when the clock jumps back.
    const date = localDate(now, cfg.timeZone);
    let slideChanged = false;
    if (
      this.prepared &&
      (this.dirty || now >= this.nextChange || now < this.filteredAt || date !== this.builtDate)
    ) {
      const { entries, calendarMissing, nextChange } = activePlaylist(this.prepared, now);
      if (calendarMissing.join() !== this.missingYears.join()) {
        this.missingYears = calendarMissing;
        changed = true;
      }
      if (this.dirty || !sameEntries(entries, this.activeEntries)) {
        this.activeEntries = entries;
        if (this.rotation.setEntries(entries, now, cfg.display.dwellSeconds)) slideChanged = true;
      }
      this.dirty = false;
      this.nextChange = nextChange;
      this.filteredAt = now;
      this.builtDate = date;
    }
    // Closed: the rotation pauses (and so does the proof log); dimmed, it keeps going.
    if (!this.active.length && opening !== 'closed-card' && this.rotation.tick(now))
      slideChanged = true;
    if (slideChanged) {
      changed = true;
      this.warmer.schedule();
    }

    if (minute !== this.renderedMinute) {
      this.renderedMinute = minute;
      changed = true;
    }
    const shift = pixelShift(now);
    if (shift.x !== this.shift.x || shift.y !== this.shift.y) {
      this.shift = shift;
      changed = true;
    }
    this.recordShown(now);
    return changed;
  }

  /** Logs and announces what is on screen when it differs from the last entry. */
  private recordShown(now: number): void {
    const cfg = this.config;
    if (!cfg) return;
    let entry: ProofEntry;
    let key: string;
    const base = { shownAt: now, screenId: cfg.id, page: 1, pages: 1 };
    if (this.active.length) {
      const a = this.active[this.alertIndex % this.active.length];
      key = `alert:${a.id}:${this.alertUntil}`;
      entry = {
        ...base,
        kind: 'alert',
        id: a.id,
        title: a.headline['zh-Hans'],
        dwellMs: this.alertUntil - now,
      };
    } else if (this.opening === 'closed-card') {
      key = 'closed';
      entry = { ...base, kind: 'closed', id: '', title: '现已闭馆', dwellMs: 0 };
    } else if (this.rotation.current) {
      const cur = this.rotation.current;
      const item = cur.entry.item;
      key = `item:${cur.seq}`;
      entry = {
        ...base,
        kind: 'item',
        id: item.id,
        title: item.kind === 'notice' ? item.title['zh-Hans'] : item.itemName['zh-Hans'],
        page: cur.page.index + 1,
        pages: cur.page.count,
        dwellMs: cur.until - cur.since,
      };
    } else if (!this.prepared && this.preparing) {
      // Nothing decided yet: not an empty screen to log.
      return;
    } else {
      key = 'empty';
      entry = { ...base, kind: 'empty', id: '', title: '暂无轮播信息', dwellMs: 0 };
    }
    if (key === this.shownKey) return;
    this.shownKey = key;
    this.proof.record(entry);
    this.dispatchEvent(
      new CustomEvent<ProofEntry>('gk-slide-shown', {
        detail: entry,
        bubbles: true,
        composed: true,
      }),
    );
  }
}

/** Same entries in the same order (the filter builds a new array each time). */
function sameEntries(a: readonly PlaylistEntry[], b: readonly PlaylistEntry[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

declare global {
  interface HTMLElementTagNameMap {
    'gk-display': GkDisplay;
  }
  interface HTMLElementEventMap {
    'gk-slide-shown': SlideShownEvent;
  }
}
