/**
 * Working-day arithmetic on the bundle's holiday calendar (调休 included).
 *
 * Chinese working days are not Monday to Friday: the State Council moves
 * weekends around holidays every year. So every helper here answers
 * `'unknown'` when the calendar lacks a year it needs, and never falls back
 * to a Monday–Friday guess (domain.md 2.1, (b) 7).
 *
 * Pure code: dates are ISO `YYYY-MM-DD` strings, computed in UTC so the
 * device's time zone cannot shift a day.
 */
import type { Calendar, CalendarYear, NoticePeriod } from './types.ts';

/** The answer of a working-day rule when the calendar lacks a needed year. */
export const UNKNOWN = 'unknown' as const;
export type Unknown = typeof UNKNOWN;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

function toUtc(date: string): number {
  const m = ISO_DATE.exec(date);
  if (!m || !isIsoDate(date)) throw new RangeError(`not an ISO date (YYYY-MM-DD): ${date}`);
  return Date.UTC(+m[1], +m[2] - 1, +m[3]);
}

function fromUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The ISO date `days` calendar days after `date` (negative for before). */
export function addDays(date: string, days: number): string {
  return fromUtc(toUtc(date) + days * DAY_MS);
}

/** Calendar days from `a` to `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return Math.round((toUtc(b) - toUtc(a)) / DAY_MS);
}

/** Per-year lookup sets, built once per calendar object. */
const setsCache = new WeakMap<Calendar, Map<string, { off: Set<string>; on: Set<string> }>>();

function yearSets(calendar: Calendar, year: string): { off: Set<string>; on: Set<string> } | null {
  const entry: CalendarYear | undefined = calendar[year];
  if (!entry) return null;
  let byYear = setsCache.get(calendar);
  if (!byYear) {
    byYear = new Map();
    setsCache.set(calendar, byYear);
  }
  let sets = byYear.get(year);
  if (!sets) {
    sets = { off: new Set(entry.holidays), on: new Set(entry.makeupWorkdays) };
    byYear.set(year, sets);
  }
  return sets;
}

/** True when `calendar` covers `year` (a number or `'2026'`). */
export function hasYear(calendar: Calendar | null | undefined, year: number | string): boolean {
  return !!calendar && Object.prototype.hasOwnProperty.call(calendar, String(year));
}

/**
 * Whether `date` is a working day: a make-up working day (调休上班) is one, a
 * holiday is not, otherwise Monday–Friday are. `'unknown'` when the calendar
 * has no entry for the date's year.
 */
export function isWorkingDay(
  date: string,
  calendar: Calendar | null | undefined,
): boolean | Unknown {
  const ms = toUtc(date);
  const sets = calendar ? yearSets(calendar, date.slice(0, 4)) : null;
  if (!sets) return UNKNOWN;
  if (sets.on.has(date)) return true;
  if (sets.off.has(date)) return false;
  const dow = new Date(ms).getUTCDay();
  return dow !== 0 && dow !== 6;
}

/**
 * The date `n` working days after `date` (`date` itself not counted; n ≥ 0).
 * With n = 0 it is `date` itself. `'unknown'` when a needed year is missing.
 */
export function addWorkingDays(
  date: string,
  n: number,
  calendar: Calendar | null | undefined,
): string | Unknown {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be ≥ 0: ${n}`);
  let d = date;
  toUtc(d);
  let left = n;
  // A bound keeps a corrupt calendar (every day a holiday) from looping forever.
  for (let guard = 0; left > 0; guard++) {
    if (guard > n * 7 + 400) return UNKNOWN;
    d = addDays(d, 1);
    const w = isWorkingDay(d, calendar);
    if (w === UNKNOWN) return UNKNOWN;
    if (w) left--;
  }
  return d;
}

/**
 * Working days after `from` up to and including `to`: 0 when the same day,
 * negative when `to` is earlier. `'unknown'` when a needed year is missing.
 */
export function workingDaysBetween(
  from: string,
  to: string,
  calendar: Calendar | null | undefined,
): number | Unknown {
  const span = daysBetween(from, to);
  const [lo, sign] = span >= 0 ? [from, 1] : [to, -1];
  let count = 0;
  let d = lo;
  for (let i = 0; i < Math.abs(span); i++) {
    d = addDays(d, 1);
    const w = isWorkingDay(d, calendar);
    if (w === UNKNOWN) return UNKNOWN;
    if (w) count++;
  }
  return count * sign;
}

/**
 * The last day of a 公示期. An explicit `end` wins; otherwise `days` counted
 * from `start` inclusive, in natural days or working days (the first working
 * day on or after `start` is day 1). `'unknown'` for working days without the
 * calendar; null when the period gives neither end nor days.
 */
export function noticePeriodEnd(
  period: NoticePeriod,
  calendar: Calendar | null | undefined,
): string | Unknown | null {
  if (period.end) return period.end;
  if (!period.days || period.days < 1) return null;
  if (period.unit === '自然日') return addDays(period.start, period.days - 1);
  const first = isWorkingDay(period.start, calendar);
  if (first === UNKNOWN) return UNKNOWN;
  return addWorkingDays(period.start, first ? period.days - 1 : period.days, calendar);
}

/**
 * Builds a {@link Calendar} from a chinese-days style table: `holidays` and
 * `workdays` maps keyed by ISO date. Covers every year that appears in it.
 */
export function calendarFromDayTable(table: {
  holidays: Record<string, unknown>;
  workdays: Record<string, unknown>;
}): Calendar {
  const cal: Calendar = {};
  const entry = (date: string): CalendarYear => {
    const y = date.slice(0, 4);
    cal[y] ??= { holidays: [], makeupWorkdays: [] };
    return cal[y];
  };
  for (const d of Object.keys(table.holidays).filter(isIsoDate).sort()) entry(d).holidays.push(d);
  for (const d of Object.keys(table.workdays).filter(isIsoDate).sort()) {
    entry(d).makeupWorkdays.push(d);
  }
  const sorted: Calendar = {};
  for (const y of Object.keys(cal).sort()) sorted[y] = cal[y];
  return sorted;
}
