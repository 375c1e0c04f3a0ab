/**
 * Demo content that never goes stale: the demo items (src/content/demo/*.json)
 * were written around {@link DEMO_WRITTEN_FOR}; at build time every date of
 * their "current" part is moved by the same whole number of weeks, so the
 * newest publication falls a few days before the build day and the 公示 is
 * open around it, whenever the build runs.
 *
 * Used by the build (vite.config.ts), which writes both the first-run items
 * (`demo/items.json`) and the folder the demo bundle is built from, with one
 * build day, so the two always agree. Pure: the build day comes in.
 */
import { addDays, daysBetween, isIsoDate, isWorkingDay } from './calendar.ts';
import type { Calendar } from './types.ts';

/** The day the demo content was written for (its dates read right on this day). */
export const DEMO_WRITTEN_FOR = '2026-11-24';
/**
 * Dates before this one are history (seeded documents of 2003–2009, the
 * imported 2024 samples) and stay as they are; later ones move with the build.
 */
export const DEMO_SHIFT_FROM = '2025-01-01';
/** The newest demo publication falls at least this many days before the build day. */
export const DEMO_NEWEST_DAYS_BEFORE = 1;

const ISO = /(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)/g;
const CN = /(?<!\d)(\d{4})年(\d{1,2})月(\d{1,2})日/g;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The newest publishDate of the items that move, or null when none does. */
function newestPublishDate(items: readonly unknown[]): string | null {
  let newest: string | null = null;
  for (const it of items) {
    const d = isRecord(it) ? it.publishDate : undefined;
    if (typeof d === 'string' && isIsoDate(d) && d >= DEMO_SHIFT_FROM && (!newest || d > newest))
      newest = d;
  }
  return newest;
}

/** Start days of the demo's notice periods (公示) that move. */
function noticeStarts(items: readonly unknown[]): string[] {
  const out: string[] = [];
  for (const it of items) {
    const p = isRecord(it) && isRecord(it.noticePeriod) ? it.noticePeriod : null;
    if (p && typeof p.start === 'string' && p.start >= DEMO_SHIFT_FROM) out.push(p.start);
  }
  return out;
}

/**
 * Days to add to the moving dates for a build on `buildDay`: a multiple of 7
 * (weekdays stay weekdays) putting the newest publication 1–7 days before the
 * build day; with a calendar, moved back a week at a time (at most four) while
 * a 公示 would start on a holiday.
 */
export function demoShiftDays(
  items: readonly unknown[],
  buildDay: string,
  calendar?: Calendar | null,
): number {
  const newest = newestPublishDate(items);
  if (!newest) return 0;
  const target = addDays(buildDay, -DEMO_NEWEST_DAYS_BEFORE);
  let shift = Math.floor(daysBetween(newest, target) / 7) * 7;
  const starts = noticeStarts(items);
  for (let tries = 0; calendar && tries < 4; tries++) {
    if (starts.every((s) => isWorkingDay(addDays(s, shift), calendar) !== false)) break;
    shift -= 7;
  }
  return shift;
}

/** Moves one date string (or the full dates inside a text) by `shift` days. */
function shiftText(text: string, shift: number): string {
  if (shift === 0) return text;
  const iso = text.replace(ISO, (all: string, y: string, m: string, d: string) => {
    if (!isIsoDate(all) || all < DEMO_SHIFT_FROM) return all;
    return addDays(`${y}-${m}-${d}`, shift);
  });
  return iso.replace(CN, (all: string, y: string, m: string, d: string) => {
    const date = `${y}-${pad(Number(m))}-${pad(Number(d))}`;
    if (!isIsoDate(date) || date < DEMO_SHIFT_FROM) return all;
    const [ny, nm, nd] = addDays(date, shift).split('-');
    return `${ny}年${Number(nm)}月${Number(nd)}日`;
  });
}

function shiftValue(v: unknown, shift: number): unknown {
  if (typeof v === 'string') return shiftText(v, shift);
  if (Array.isArray(v)) return v.map((x) => shiftValue(x, shift));
  if (isRecord(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = shiftValue(x, shift);
    return out;
  }
  return v;
}

/**
 * The demo items as of a build on `buildDay` (YYYY-MM-DD): every date from
 * {@link DEMO_SHIFT_FROM} on, in date fields and in the text (`2026-11-23`,
 * `2026年11月23日`), moved by {@link demoShiftDays}. New objects; the input
 * is not changed. Years in titles and 文号 stay: they name the document.
 */
export function shiftDemoItems<T>(
  items: readonly T[],
  buildDay: string,
  calendar?: Calendar | null,
): T[] {
  const shift = demoShiftDays(items, buildDay, calendar);
  return items.map((it) => shiftValue(it, shift) as T);
}
