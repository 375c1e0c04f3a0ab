import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import createDOMPurify from 'dompurify';
import { JSDOM } from 'jsdom';
import type { Plugin } from 'vite';
import {
  addDays,
  calendarFromDayTable,
  daysBetween,
  noticePeriodEnd,
} from '../../src/content/calendar.ts';
import {
  DEMO_SHIFT_FROM,
  DEMO_WRITTEN_FOR,
  demoShiftDays,
  shiftDemoItems,
} from '../../src/content/demo-dates.ts';
import { createSanitizer } from '../../src/content/sanitize.ts';
import type { Calendar } from '../../src/content/types.ts';
import { normalizeItem } from '../../src/content/validate.ts';

type Rec = Record<string, unknown> & { id: string };

const require = createRequire(import.meta.url);
const chineseDays = calendarFromDayTable(
  require('chinese-days/dist/chinese-days.json') as {
    holidays: Record<string, unknown>;
    workdays: Record<string, unknown>;
  },
);
/** The official calendar plus plain Monday–Friday years after it (for far builds). */
const calendar: Calendar = { ...chineseDays };
for (let y = 2027; y <= 2033; y++) calendar[y] ??= { holidays: [], makeupWorkdays: [] };
const sanitize = createSanitizer(
  createDOMPurify(new JSDOM('').window as unknown as Parameters<typeof createDOMPurify>[0]),
);

const DIR = 'src/content/demo';
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();
const raw = files.map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Rec);
const byId = (items: Rec[], id: string): Rec => items.find((i) => i.id === id) as Rec;
const GONGSHI = 'demo-2026-gongshi-shifandian';

/** Two build days on either side of the day the content was written for. */
const BUILD_DAYS = ['2026-06-10', '2031-06-15'];

describe.each(BUILD_DAYS)('demo content built on %s', (day) => {
  const items = shiftDemoItems(raw, day, calendar);

  it('has its newest publication 1–7 days before the build, weekdays kept', () => {
    const publish = items.map((i) => i.publishDate).filter((d): d is string => !!d);
    const newest = publish.sort().at(-1) as string;
    expect(daysBetween(newest, day)).toBeGreaterThanOrEqual(1);
    expect(daysBetween(newest, day)).toBeLessThanOrEqual(7);
    expect(Math.abs(demoShiftDays(raw, day, calendar)) % 7).toBe(0);
  });

  it('keeps the 公示 open around the build day, in working days, with its text in step', () => {
    const g = byId(items, GONGSHI);
    const period = g.noticePeriod as { start: string; days: number; unit: '工作日' };
    const end = noticePeriodEnd(period, calendar) as string;
    expect(period.start <= day).toBe(true);
    // 15 working days from at most a week ago: open for at least another week.
    expect(daysBetween(day, end)).toBeGreaterThanOrEqual(7);
    expect(g.publishDate).toBe(period.start);
    const [y, m, d] = period.start.split('-').map(Number);
    expect(g.body).toContain(`公示期为${y}年${m}月${d}日起15个工作日`);
  });

  it('moves the current dates only: history stays, the expired item stays expired', () => {
    const shift = demoShiftDays(raw, day, calendar);
    for (const [i, before] of raw.entries()) {
      const after = items[i];
      for (const key of ['publishDate', 'writtenDate'] as const) {
        const b = before[key];
        if (typeof b !== 'string') continue;
        expect(after[key]).toBe(b < DEMO_SHIFT_FROM ? b : addDays(b, shift));
      }
    }
    const expired = byId(items, 'demo-2025-expired-office-hours').validity as {
      validUntil: string;
    };
    expect(expired.validUntil < day).toBe(true);
    const permit = byId(items, 'demo-2026-permit-weisheng').validity as { validUntil: string };
    expect(permit.validUntil > day).toBe(true);
    // The source files are not touched.
    expect(JSON.parse(readFileSync(join(DIR, `${GONGSHI}.json`), 'utf8'))).toEqual(
      byId(raw, GONGSHI),
    );
  });

  it('passes content validation on the build day', () => {
    const errors = items.flatMap(
      (it, i) => normalizeItem(files[i], it, { today: day, calendar, sanitize }).errors,
    );
    expect(errors).toEqual([]);
  });
});

describe('the build (vite.config.ts) dates the first-run items and the bundle folder alike', () => {
  const out = mkdtempSync(join(tmpdir(), 'gongkai-demo-'));
  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
    delete process.env.GONGKAI_DEMO_DIR;
  });

  it.each(BUILD_DAYS)('on %s', async (day) => {
    // The folder is fixed when the config loads; the day is read at each build.
    process.env.GONGKAI_DEMO_DIR ??= out;
    process.env.GONGKAI_BUILD_DAY = day;
    try {
      const { default: config } = await import('../../vite.config.ts');
      const plugin = (config.plugins as Plugin[]).find((p) => p?.name === 'gongkai-demo-content');
      const emitted: { fileName?: string; source?: unknown }[] = [];
      const hook = plugin?.generateBundle as (this: unknown) => void;
      hook.call({ emitFile: (f: (typeof emitted)[number]) => emitted.push(f) });
      const firstRun = JSON.parse(String(emitted[0].source)) as Rec[];
      expect(emitted[0].fileName).toBe('demo/items.json');
      const folder = files.map((f) => JSON.parse(readFileSync(join(out, f), 'utf8')) as Rec);
      expect(folder).toEqual(firstRun);
      expect(firstRun).toEqual(shiftDemoItems(raw, day, chineseDays));
      // Attachments and import samples come along for the bundle.
      expect(existsSync(join(out, 'attachments/demo-work-plan.pdf'))).toBe(true);
      expect(existsSync(join(out, 'import/demo-import-markdown.md'))).toBe(true);
      expect(byId(firstRun, GONGSHI).publishDate).not.toBe(byId(raw, GONGSHI).publishDate);
    } finally {
      delete process.env.GONGKAI_BUILD_DAY;
    }
  });

  it('reads right as written on the day it was written for', () => {
    expect(demoShiftDays(raw, DEMO_WRITTEN_FOR, calendar)).toBe(0);
  });
});
