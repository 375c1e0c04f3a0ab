// Test harness for <gk-display>: loaded by test/pages/display.html in the e2e
// tests (screenshots, the 12-hour soak) and by the benchmark (10,000 items).
// Query: ?case=notice-summary|notice-tasks|guide|alert|closed|soak|bench|offline
//        &orientation=portrait|landscape &leaky=1 &items=10000 &stale=<days>
import { html, LitElement } from 'lit';
import { GkDisplay } from '../../src/components/gk-display.ts';
import type { CurrentSlide } from '../../src/display/rotation.ts';
import {
  measureContentSwitch,
  measureSlideChanges,
  type ContentSwitchReport,
  type SlideChangeReport,
} from '../../src/display/bench.ts';
import type { Alert, Item } from '../../src/content/types.ts';
import type { KioskConfig } from '../../src/config/types.ts';
import { CALENDAR, alert, config, guide } from '../display/fixtures.ts';

const demo = Object.values(
  import.meta.glob<Item>('../../src/content/demo/*.json', { eager: true, import: 'default' }),
);
const byId = (id: string): Item => {
  const item = demo.find((i) => i.id === id);
  if (!item) throw new Error(`test/pages/display-harness.ts: demo item ${id} not found`);
  return item;
};

/** Detached slides kept alive on purpose, and listeners never removed. */
const leaked: Element[] = [];

/**
 * A deliberately leaky slide for the soak test's negative control: it adds a
 * window listener it never removes and keeps itself (and its DOM) alive
 * after the display drops it.
 */
class GkLeakySlide extends LitElement {
  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('resize', () => this.requestUpdate());
    leaked.push(this);
  }
  override render() {
    return html`<div>
      <p>leak</p>
      <p>leak</p>
      <p>leak</p>
      <p>leak</p>
      <p>leak</p>
    </div>`;
  }
}
customElements.define('gk-leaky-slide', GkLeakySlide);

class GkLeakyDisplay extends GkDisplay {
  protected override renderItemSlide(cur: CurrentSlide, orientation: KioskConfig['orientation']) {
    return html`<gk-leaky-slide></gk-leaky-slide>${super.renderItemSlide(cur, orientation)}`;
  }
}
customElements.define('gk-leaky-display', GkLeakyDisplay);

// A constructed sheet, not a <style> or <link>: the page runs under the app's CSP.
const page = new CSSStyleSheet();
page.replaceSync('html, body { margin: 0; width: 100vw; height: 100vh; overflow: hidden; }');
document.adoptedStyleSheets = [page];

const params = new URLSearchParams(location.search);
const kase = params.get('case') ?? 'soak';
const orientation = params.get('orientation') === 'portrait' ? 'portrait' : 'landscape';
const start = Date.parse('2026-11-24T10:00:00+08:00');
const clock = { t: start };

const guideWithSteps = guide({
  id: 'harness-guide',
  itemName: { 'zh-Hans': '政府信息公开申请（依申请公开）办事指南' },
  implementingBody: { name: '湛江市经济技术协作办公室', address: '湛江市赤坎区某路1号' },
  location: '市政务服务中心二楼综合窗口',
  timeLimit: { promised: '15个工作日' },
  procedure: [
    {
      step: '提出申请',
      desc: '申请人填写《政府信息公开申请表》，可现场、邮寄或网上提交。',
      timeLimit: '当场',
    },
    {
      step: '登记受理',
      desc: '工作人员审核申请内容是否明确，出具登记回执。',
      timeLimit: '1个工作日',
    },
    {
      step: '审查办理',
      desc: '依法审查申请公开的信息，征求第三方意见的时间不计入期限。',
      timeLimit: '15个工作日',
    },
    {
      step: '作出答复',
      desc: '按申请人要求的形式提供信息，或书面告知不予公开的理由。',
      timeLimit: '当场',
    },
    { step: '送达', desc: '通过邮寄、电子邮件或现场领取方式送达答复书。', timeLimit: '3个工作日' },
  ],
});

/** Alerts every simulated hour for ten minutes, so the soak exercises takeover too. */
function hourlyAlert(t: number): Alert[] {
  const hour = Math.floor((t - start) / 3_600_000);
  const from = start + hour * 3_600_000 + 30 * 60_000;
  return [
    alert({
      id: `soak-${hour}`,
      severity: (['red', 'orange', 'yellow', 'blue'] as const)[hour % 4],
      effective: new Date(from).toISOString(),
      expires: new Date(from + 10 * 60_000).toISOString(),
    }),
  ];
}

/**
 * `n` items made from the demo content, each with its own id and public URL
 * (so every slide encodes a new QR code, as in a real bundle).
 */
const DAY_MS = 86_400_000;
/** Local midnight (Shanghai) of the first simulated offline day, 2026-11-24. */
const OFFLINE_DAY1 = Date.parse('2026-11-24T00:00:00+08:00');

/** The Shanghai date of day `d` (1-based) of the offline run. */
function offlineDate(d: number): string {
  return new Date(OFFLINE_DAY1 + (d - 1) * DAY_MS + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * The offline case: five items without an end, and `offline-k` for k = 1…30
 * whose last day is day k (showUntil for odd k, validUntil for even k).
 */
function offlineItems(): Item[] {
  // One page each (a short summary, no task table): 35 ten-minute slides, several cycles a day.
  const board = byId('zj-jxb-noticeboard');
  if (board.kind !== 'notice') throw new Error('zj-jxb-noticeboard is not a notice');
  const base: Item = {
    ...board,
    summary: { 'zh-Hans': '本公告在有效期内于本屏轮播，期满当日之后自动下架。' },
    tasks: undefined,
  };
  const out: Item[] = [];
  for (let k = 1; k <= 5; k++)
    out.push({ ...base, id: `permanent-${k}`, display: { rotate: true } });
  for (let k = 1; k <= 30; k++) {
    const last = offlineDate(k);
    out.push(
      k % 2
        ? { ...base, id: `offline-${k}`, display: { rotate: true, showUntil: last } }
        : {
            ...base,
            id: `offline-${k}`,
            display: { rotate: true },
            validity: { status: '有效', validUntil: last },
          },
    );
  }
  return out;
}

function manyItems(n: number, version = 1): Item[] {
  const out: Item[] = [];
  for (let i = 0; i < n; i++) {
    const base = demo[i % demo.length];
    const common = {
      id: `${base.id}-${i}${version > 1 ? `-v${version}` : ''}`,
      display: { ...base.display, priority: i % 7 === 0 ? 3 : 0 },
    };
    const url = `https://gongkai.example/bench/${i}.html`;
    out.push(
      base.kind === 'notice'
        ? { ...base, ...common, source: { ...base.source, url } }
        : { ...base, ...common, onlineUrl: url },
    );
  }
  return out;
}

const el = document.createElement(
  params.get('leaky') ? 'gk-leaky-display' : 'gk-display',
) as GkDisplay;
let items: Item[] = demo;
let shown = 0;

/** Puts the display into one of the harness cases. */
function setCase(name: string, orientation: 'portrait' | 'landscape'): Promise<boolean> {
  let cfg = config();
  cfg.orientation = orientation;
  cfg.name = '政府信息查阅点';
  cfg.location = '市图书馆 二楼 政府信息查阅室';
  let alerts: Alert[] = [];
  items = demo;
  clock.t = start;
  switch (name) {
    case 'notice-summary':
      items = [byId('zj-jxb-noticeboard')];
      break;
    case 'notice-tasks':
      items = [byId('dg-2017-zwgk-task-table')];
      break;
    case 'guide':
      items = [guideWithSteps];
      break;
    case 'alert':
      alerts = [
        alert({
          severity: 'red',
          headline: { 'zh-Hans': '湛江市气象台发布暴雨红色预警信号' },
          effective: '2026-11-24T08:00:00+08:00',
          expires: '2026-11-24T20:00:00+08:00',
        }),
      ];
      break;
    case 'closed':
      cfg = {
        ...cfg,
        display: {
          ...cfg.display,
          openingHours: { open: '09:00', close: '17:00', outside: 'closed-card' },
        },
      };
      clock.t = Date.parse('2026-11-24T19:00:00+08:00');
      break;
    case 'bench':
      items = manyItems(Number(params.get('items') ?? 10_000));
      break;
    case 'offline':
      items = offlineItems();
      // Ten-minute slides: every rotating item still shows several times a day.
      cfg = {
        ...cfg,
        display: {
          ...cfg.display,
          dwellSeconds: 600,
          staleAfterDays: Number(params.get('stale') ?? 7),
        },
      };
      clock.t = OFFLINE_DAY1;
      break;
  }
  el.config = cfg;
  el.items = items;
  el.alerts = alerts;
  return el.updateComplete;
}

el.manualTicks = true;
el.clock = () => clock.t;
el.calendar = CALENDAR;
el.bundleGeneratedAt = Date.parse('2026-11-23T08:30:00+08:00');
el.demo = true;
el.addEventListener('gk-slide-shown', () => shown++);
void setCase(kase, orientation);
document.body.append(el);

let visits = 0;
let updates = 0;
let contentDay = Math.floor((start + 8 * 3_600_000) / DAY_MS);

/**
 * The soak's daily life besides rotation and hourly alerts: a new copy of the
 * content every simulated day (a bundle update: new objects, same ids) and,
 * every hour at :40, a five-minute visitor session during which the display
 * is detached from the page and re-attached afterwards, as a shell that
 * swaps views does (controllers stop and start their timers and listeners).
 */
async function soakLife(): Promise<void> {
  const day = Math.floor((clock.t + 8 * 3_600_000) / DAY_MS);
  if (day !== contentDay) {
    contentDay = day;
    updates++;
    el.items = demo.map((i) => ({ ...i }));
  }
  const minute = Math.floor(clock.t / 60_000) % 60;
  if (minute >= 40 && minute < 45 && el.isConnected) {
    visits++;
    el.remove();
    clock.t += 5 * 60_000;
    await Promise.resolve();
    document.body.append(el);
  }
}

/** Jumps the fake clock to the next slide change (or alert change) and renders it. */
async function step(maxStep = 60_000): Promise<void> {
  // To the next slide change; during an alert (the rotation waits) in alert-dwell steps.
  const until = el.currentSlide?.until ?? 0;
  clock.t = until > clock.t ? Math.min(until, clock.t + maxStep) : clock.t + 12_000;
  if (kase === 'soak') {
    await soakLife();
    el.alerts = hourlyAlert(clock.t);
  }
  el.tick();
  await el.updateComplete;
  const slide = el.shadowRoot?.querySelector('gk-slide') as
    (Element & { updateComplete?: Promise<boolean> }) | null;
  await slide?.updateComplete;
}

/** What one simulated offline day showed. */
interface OfflineDay {
  day: number;
  date: string;
  /** Item ids shown that local day (from gk-slide-shown), sorted. */
  ids: string[];
  slides: number;
  /** The stale-content banner's text at noon, or null. */
  staleAtNoon: string | null;
  /** An item slide was on screen at noon. */
  slideAtNoon: boolean;
}

/** Item slides shown in the offline case, from the events: [id, shownAt]. */
const shownItems: [string, number][] = [];
el.addEventListener('gk-slide-shown', (e) => {
  if (kase === 'offline' && e.detail.kind === 'item')
    shownItems.push([e.detail.id, e.detail.shownAt]);
});

const harness = {
  ready: el.updateComplete,
  /** Switches case and orientation without a reload (screenshots share one page). */
  show: async (name: string, o: 'portrait' | 'landscape') => {
    await setCase(name, o);
    const slide = el.shadowRoot?.querySelector('gk-slide') as
      (Element & { updateComplete?: Promise<boolean> }) | null;
    await slide?.updateComplete;
  },
  /** Simulates `hours` of rotation on the fake clock; returns slides shown so far. */
  async run(hours: number): Promise<{ shown: number; proof: number; simulatedHours: number }> {
    const end = clock.t + hours * 3_600_000;
    while (clock.t < end) await step();
    return { shown, proof: el.proof.size, simulatedHours: (clock.t - start) / 3_600_000 };
  },
  /** The benchmark: longest task at a slide change with the loaded items. */
  async bench(changes = 40): Promise<SlideChangeReport & { items: number }> {
    const report = await measureSlideChanges(
      el,
      () => {
        clock.t = el.currentSlide?.until ?? clock.t + 60_000;
      },
      changes,
    );
    return { ...report, items: items.length };
  },
  /** A content switch while rotating: the same number of items, all new objects and ids. */
  async switchContent(): Promise<ContentSwitchReport & { items: number }> {
    const next = manyItems(items.length, 2);
    const report = await measureContentSwitch(el, () => {
      el.items = next;
    });
    items = next;
    const id = el.currentSlide?.entry.item.id ?? '';
    if (!id.endsWith('-v2'))
      throw new Error(`content switch: slide ${id} is not from the new content`);
    return { ...report, items: items.length };
  },
  /** The soak's counts of simulated visitor sessions and content updates so far. */
  life: () => ({ visits, updates }),
  /**
   * The offline case: simulates the next local day (Shanghai midnight to
   * midnight) with slides of ten minutes, and says what it showed.
   */
  async offlineDay(): Promise<OfflineDay> {
    const day = Math.round((clock.t - OFFLINE_DAY1) / DAY_MS) + 1;
    const dayStart = OFFLINE_DAY1 + (day - 1) * DAY_MS;
    const noon = dayStart + DAY_MS / 2;
    const end = dayStart + DAY_MS;
    el.tick();
    await el.updateComplete;
    let staleAtNoon: string | null = null;
    let slideAtNoon = false;
    let slides = 0;
    let noonSeen = false;
    while (clock.t < end) {
      const until = el.currentSlide?.until ?? clock.t + 60_000;
      // Stop at noon for the banner check and at midnight for the day boundary.
      const target = Math.min(until, !noonSeen && noon > clock.t ? noon : end);
      clock.t = Math.max(target, clock.t + 1);
      el.tick();
      await el.updateComplete;
      slides++;
      if (!noonSeen && clock.t >= noon) {
        noonSeen = true;
        staleAtNoon = el.shadowRoot?.querySelector('.stale')?.textContent?.trim() ?? null;
        slideAtNoon = !!el.shadowRoot?.querySelector('gk-slide');
      }
    }
    // What appeared during this local day; the midnight tick's slide belongs to the next one.
    const today = shownItems.filter(([, at]) => at >= dayStart && at < end);
    const ids = [...new Set(today.map(([id]) => id))].sort();
    const later = shownItems.filter(([, at]) => at >= end);
    shownItems.length = 0;
    shownItems.push(...later);
    return { day, date: offlineDate(day), ids, slides, staleAtNoon, slideAtNoon };
  },
  leaked: () => leaked.length,
};
declare global {
  interface Window {
    gkHarness: typeof harness;
  }
}
window.gkHarness = harness;
