import { describe, expect, it } from 'vitest';
import {
  buildPlaylist,
  dwellMs,
  inCategories,
  openingState,
  paginate,
  pickNext,
  carryCredits,
  splitText,
  PAGE_BUDGET,
  type PlaylistEntry,
} from '../../src/display/playlist.ts';
import type { TaskRow } from '../../src/content/types.ts';
import { CALENDAR, config, guide, notice, shanghai } from './fixtures.ts';

const ctx = (now: number) => ({
  now,
  timeZone: 'Asia/Shanghai',
  calendar: CALENDAR,
  rotateByDefault: true,
});

describe('dwellMs', () => {
  it('scales with the amount of text between the base and three times it', () => {
    expect(dwellMs(0, 20)).toBe(20_000);
    expect(dwellMs(150, 20)).toBe(33_000);
    expect(dwellMs(100_000, 20)).toBe(60_000);
    expect(dwellMs(200, 20)).toBeGreaterThan(dwellMs(100, 20));
  });
});

describe('paginate', () => {
  it('pages a long summary at sentence ends instead of shrinking it', () => {
    const sentence = '为进一步做好政务公开工作，现将有关事项通知如下。';
    const text = sentence.repeat(30);
    const pages = paginate(notice({ summary: { 'zh-Hans': text } }), 'landscape');
    expect(pages.length).toBeGreaterThan(1);
    for (const p of pages) {
      expect(p.body.type).toBe('summary');
      expect(p.chars).toBeLessThanOrEqual(PAGE_BUDGET.landscape.summary);
      if (p.body.type === 'summary') expect(p.body.text.endsWith('。')).toBe(true);
    }
    expect(pages.map((p) => (p.body.type === 'summary' ? p.body.text : '')).join('')).toBe(text);
    expect(pages.map((p) => p.index)).toEqual(pages.map((_, i) => i));
    expect(pages.every((p) => p.count === pages.length)).toBe(true);
  });
  it('splits one over-long sentence without losing text', () => {
    const text = '字'.repeat(500);
    expect(splitText(text, 200).join('')).toBe(text);
    expect(splitText(text, 200).map((s) => s.length)).toEqual([200, 200, 100]);
  });
  it('pages a task table by rows and characters, more rows in portrait', () => {
    const tasks: TaskRow[] = Array.from({ length: 12 }, (_, i) => ({
      seq: i + 1,
      task: `工作任务${i + 1}`,
      requirement: '按要求及时主动公开相关信息。',
      lead: '市政府办公室',
      deadline: '持续推进',
    }));
    const land = paginate(notice({ summary: null, tasks }), 'landscape');
    const port = paginate(notice({ summary: null, tasks }), 'portrait');
    expect(land.every((p) => p.body.type === 'tasks')).toBe(true);
    expect(land.length).toBeGreaterThan(port.length);
    const rows = land.flatMap((p) => (p.body.type === 'tasks' ? p.body.rows : []));
    expect(rows.map((r) => r.seq)).toEqual(tasks.map((t) => t.seq));
  });
  it('cuts a single huge task requirement and points to the original', () => {
    const tasks: TaskRow[] = [{ seq: 1, task: '任务', requirement: '要求'.repeat(400) }];
    const [page] = paginate(notice({ summary: null, tasks }), 'landscape');
    expect(page.body.type === 'tasks' && page.body.rows[0].requirement).toMatch(/…（详见原文）$/);
    expect(page.chars).toBeLessThanOrEqual(PAGE_BUDGET.landscape.tableChars);
  });
  it('shows a guide’s steps numbered across pages, or its commitments', () => {
    const steps = Array.from({ length: 9 }, (_, i) => ({ step: `步骤${i + 1}` }));
    const pages = paginate(guide({ procedure: steps }), 'landscape');
    expect(pages.map((p) => (p.body.type === 'steps' ? p.body.first : 0))).toEqual([1, 4, 7]);
    const c = paginate(guide({ procedure: [], serviceCommitments: ['热情接待'] }), 'portrait');
    expect(c[0].body).toEqual({ type: 'list', heading: '服务承诺', lines: ['热情接待'] });
    expect(paginate(guide({ procedure: [] }), 'portrait')[0].body.type).toBe('none');
  });
});

describe('buildPlaylist', () => {
  const now = shanghai('2025-10-01');
  it('keeps rotating items only, highest priority first', () => {
    const items = [
      notice({ id: 'low', publishDate: '2025-09-01' }),
      notice({ id: 'gone', validity: { status: '废止' } }),
      notice({ id: 'high', display: { priority: 5 } }),
      guide({ id: 'g' }),
    ];
    const { entries } = buildPlaylist(items, config().display, ctx(now), 'landscape');
    expect(entries.map((e) => e.item.id)).toEqual(['high', 'low', 'g']);
    expect(entries[0].weight).toBe(6);
  });
  it('filters by the screen’s categories; guides match office-guide', () => {
    const items = [
      notice({ id: 'r' }),
      notice({ id: 'b', infoCategory: 'budget' }),
      guide({ id: 'g' }),
    ];
    const d = config({ categories: ['budget'] }).display;
    expect(buildPlaylist(items, d, ctx(now), 'portrait').entries.map((e) => e.item.id)).toEqual([
      'b',
    ]);
    expect(inCategories(guide(), ['office-guide'])).toBe(true);
  });
  it('reports calendar years it lacks', () => {
    const item = notice({ noticePeriod: { start: '2027-01-04', days: 5, unit: '工作日' } });
    const r = buildPlaylist([item], config().display, ctx(shanghai('2027-01-05')), 'portrait');
    expect(r.calendarMissing).toEqual(['2027']);
    expect(r.entries).toHaveLength(1);
  });
});

describe('pickNext', () => {
  const entry = (id: string, weight: number): PlaylistEntry => ({
    item: notice({ id }),
    pages: paginate(notice({ id }), 'portrait'),
    weight,
  });
  it('shows items in proportion to their weight, spread out', () => {
    const entries = [entry('a', 3), entry('b', 1), entry('c', 1)];
    const credits = new Float64Array(entries.length);
    const seq = Array.from({ length: 10 }, () => entries[pickNext(entries, credits)].item.id);
    expect(seq.filter((x) => x === 'a')).toHaveLength(6);
    expect(seq.filter((x) => x === 'b')).toHaveLength(2);
    // Never three a's in a row: the heavy item is interleaved.
    expect(seq.join('')).not.toContain('aaa');
  });
  it('returns -1 for an empty playlist and refuses mismatched credits', () => {
    expect(pickNext([], new Float64Array(0))).toBe(-1);
    expect(() => pickNext([entry('a', 1)], new Float64Array(2))).toThrow(/credits/);
  });
  it('carries credits by id across a rebuild', () => {
    const before = [entry('a', 1), entry('b', 1)];
    const after = [entry('c', 1), entry('b', 1)];
    expect([...carryCredits(before, Float64Array.of(-1, 0.5), after)]).toEqual([0, 0.5]);
  });
});

describe('openingState', () => {
  const hours = config({
    openingHours: { open: '09:00', close: '21:00', days: [1, 2, 3, 4, 5], outside: 'closed-card' },
  }).display;
  it('is open inside the hours on listed days, in the screen’s zone', () => {
    // Wed 2025-10-01.
    expect(openingState(shanghai('2025-10-01', '09:00'), hours, 'Asia/Shanghai')).toBe('open');
    expect(openingState(shanghai('2025-10-01', '20:59'), hours, 'Asia/Shanghai')).toBe('open');
    expect(openingState(shanghai('2025-10-01', '21:00'), hours, 'Asia/Shanghai')).toBe(
      'closed-card',
    );
    expect(openingState(shanghai('2025-10-01', '08:59'), hours, 'Asia/Shanghai')).toBe(
      'closed-card',
    );
    // Sat 2025-10-04 is not listed.
    expect(openingState(shanghai('2025-10-04', '10:00'), hours, 'Asia/Shanghai')).toBe(
      'closed-card',
    );
  });
  it('dims by default, handles hours past midnight, and is open without hours', () => {
    const late = config({ openingHours: { open: '18:00', close: '02:00' } }).display;
    expect(openingState(shanghai('2025-10-01', '01:00'), late, 'Asia/Shanghai')).toBe('open');
    expect(openingState(shanghai('2025-10-01', '12:00'), late, 'Asia/Shanghai')).toBe('dim');
    expect(openingState(0, config().display, 'Asia/Shanghai')).toBe('open');
  });
});

describe('hasTimeOfDayRule and page caching', () => {
  it('asks for minute rebuilds only for time-of-day rules', () => {
    const now = shanghai('2025-10-01');
    const dateOnly = notice({ display: { showUntil: '2025-10-03' } });
    const timed = notice({ id: 't', display: { showUntil: '2025-10-03T18:00' } });
    expect(buildPlaylist([dateOnly], config().display, ctx(now), 'portrait').minutely).toBe(false);
    expect(buildPlaylist([dateOnly, timed], config().display, ctx(now), 'portrait').minutely).toBe(
      true,
    );
  });
  it('returns the same pages for the same item object', () => {
    const item = notice();
    expect(paginate(item, 'portrait')).toBe(paginate(item, 'portrait'));
    expect(paginate(item, 'landscape')).not.toBe(paginate(item, 'portrait'));
  });
});
