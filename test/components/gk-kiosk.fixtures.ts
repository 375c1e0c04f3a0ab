// Test data shared by the kiosk component tests: two notices and a guide
// with a body, a task table, a procedure, and a deterministic fake search.
import type { Guide, Item, Notice } from '../../src/content/types.ts';
import type { SearchHit } from '../../src/components/gk-search-view.ts';
import { applyTheme } from '../../src/components/theme.ts';

export const notice: Notice = {
  kind: 'notice',
  id: 'n-plan',
  docType: '通知',
  title: { 'zh-Hans': '关于印发2007年全市政务公开工作计划的通知' },
  issuer: ['东莞市人民政府办公室'],
  docNo: '东府办函〔2007〕198号',
  indexNo: '007329345/2007-00123',
  infoCategory: 'plans',
  writtenDate: '2007-06-12',
  publishDate: '2007-06-15',
  validity: { status: '有效' },
  disclosure: { mode: '主动公开' },
  keywords: ['政务公开'],
  body: '<p>各镇人民政府，市府直属各单位：</p><p>现将计划印发给你们，详见<a href="https://www.dg.gov.cn/plan.html">市政府网站</a>。</p><script>alert(1)</script><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" onerror="alert(2)">',
  tasks: [
    {
      seq: 1,
      task: '完善政务公开目录',
      requirement: '按季度更新',
      lead: '市府办',
      deadline: '2007年底',
    },
  ],
  attachments: [
    { name: '工作计划.pdf', mime: 'application/pdf', sha256: 'a'.repeat(64), pages: 3 },
  ],
  source: { url: 'https://www.dg.gov.cn/zwgk/plan.html' },
};

export const board: Notice = {
  kind: 'notice',
  id: 'n-board',
  docType: '公示',
  title: { 'zh-Hans': '拟录用公务员名单公示' },
  issuer: ['湛江市经济技术协作办公室'],
  infoCategory: 'civil-service-recruitment',
  publishDate: '2026-11-20',
  validity: { status: '失效' },
  disclosure: { mode: '主动公开' },
  noticePeriod: { start: '2026-11-20', days: 5, unit: '工作日' },
};

export const guide: Guide = {
  kind: 'guide',
  id: 'g-ysq',
  itemName: { 'zh-Hans': '政府信息依申请公开' },
  implementingBody: { name: '湛江市经济技术协作办公室', address: '湛江市赤坎区' },
  department: '办公室',
  topic: '政务公开',
  materials: [
    { name: '政府信息公开申请表', form: '原件', copies: 1, required: true },
    { name: '身份证', form: '复印件', required: true },
  ],
  procedure: [
    { step: '申请', desc: '填写申请表' },
    { step: '受理', timeLimit: '当场' },
    { step: '答复', timeLimit: '20个工作日' },
  ],
  timeLimit: { statutory: '20个工作日', promised: '15个工作日' },
  fees: { charged: false },
  hours: '周一至周五 8:30-12:00',
  consultationPhone: '0759-1234567',
  complaintPhone: '12345',
  onlineUrl: 'https://www.gdzwfw.gov.cn/ysq',
  updatedAt: '2020-03-01',
};

export const items: Item[] = [notice, board, guide];

/** A tiny pinyin table for the fake search and the candidate bar. */
const PINYIN: Record<string, string> = { zhengwu: '政务', zw: '政务', gongkai: '公开', gk: '公开' };
/** Same-sounding wrong words an IME offers (正午 for zhengwu). */
export const VOCAB: Record<string, string[]> = {
  zhengwu: ['政务', '正午'],
  zw: ['政务', '正午'],
  gongkai: ['公开'],
  gk: ['公开', '国库'],
};

/** Records every query it is called with. */
export function fakeSearch(calls: string[] = []) {
  return (query: string): SearchHit[] => {
    calls.push(query);
    const q = PINYIN[query.toLowerCase()] ?? query.replace('正午', '政务');
    return items.flatMap((item) => {
      const title = item.kind === 'notice' ? item.title['zh-Hans'] : item.itemName['zh-Hans'];
      const at = title.indexOf(q);
      return at < 0
        ? []
        : [
            {
              id: item.id,
              score: 1,
              highlights: [{ field: 'title', start: at, end: at + q.length }],
            },
          ];
    });
  };
}

export function fakeCandidates(prefix: string): string[] {
  return VOCAB[prefix] ?? [];
}

/** A themed container like the kiosk host, for testing a component alone in a mode. */
export function themedHost(elder: boolean): HTMLElement {
  const div = document.createElement('div');
  applyTheme(div, { fontSize: elder ? 'large' : 'medium', elder, highContrast: false });
  document.body.append(div);
  return div;
}

/** Every touch target in a shadow tree (recursively) is at least `min` px square. */
export function smallTargets(root: ShadowRoot, min: number): string[] {
  const out: string[] = [];
  for (const el of root.querySelectorAll('button, select, input[type="search"], label')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && (r.width < min - 0.5 || r.height < min - 0.5))
      out.push(`${el.tagName} "${el.textContent?.trim()}" ${r.width}×${r.height}`);
  }
  for (const el of root.querySelectorAll('*'))
    if (el.shadowRoot) out.push(...smallTargets(el.shadowRoot, min));
  return out;
}

/**
 * A minimal fake clock for browser tests: Date.now, setTimeout and
 * clearTimeout under test control (mocha keeps its own timer references).
 */
export function installFakeClock(start = Date.UTC(2026, 10, 24, 2, 0, 0)) {
  const real = { now: Date.now, set: window.setTimeout, clear: window.clearTimeout };
  let now = start;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  Date.now = () => now;
  window.setTimeout = ((fn: () => void, ms = 0) => {
    const id = ++seq;
    timers.set(id, { at: now + ms, fn });
    return id;
  }) as typeof window.setTimeout;
  window.clearTimeout = ((id?: number) => {
    if (id !== undefined) timers.delete(id);
  }) as typeof window.clearTimeout;
  return {
    tick(ms: number) {
      const end = now + ms;
      for (;;) {
        const next = [...timers].sort((a, b) => a[1].at - b[1].at)[0];
        if (!next || next[1].at > end) break;
        timers.delete(next[0]);
        now = next[1].at;
        next[1].fn();
      }
      now = end;
    },
    restore() {
      Date.now = real.now;
      window.setTimeout = real.set;
      window.clearTimeout = real.clear;
    },
  };
}

/** A fake speechSynthesis with the given voices; records what it was asked to say. */
export function fakeSpeech(voices: { lang: string; localService: boolean }[]) {
  const spoken: { text: string; lang: string }[] = [];
  const engine = Object.assign(new EventTarget(), {
    speaking: false,
    getVoices: () => voices as SpeechSynthesisVoice[],
    speak: (u: SpeechSynthesisUtterance) => spoken.push({ text: u.text, lang: u.lang }),
    cancel: () => undefined,
  });
  return { engine, spoken };
}
