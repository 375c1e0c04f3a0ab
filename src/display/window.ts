/**
 * The schedule of one item as an interval of epoch milliseconds, computed
 * once per content change, so that a 10,000-item playlist is filtered with
 * two number comparisons per item instead of re-running every date rule
 * (time-zone formatting, working-day counting) at each day or minute.
 *
 * `rotationDecision()` (schedule.ts) stays the definition of the rules: each
 * bound computed here is checked against it at the bound and one
 * millisecond before, and a spec whose bound cannot be confirmed (a
 * malformed date, a wall time inside a daylight-saving jump) is marked
 * `dynamic` and judged by `rotationDecision()` itself at every evaluation.
 */
import { noticePeriodEnd, UNKNOWN } from '../content/calendar.ts';
import type { Item } from '../content/types.ts';
import { hasEnded, hasStarted, rotationDecision, type ScheduleContext } from './schedule.ts';
import { zonedParts } from './zoned.ts';

/** What the schedule allows for one item, independent of the time. */
export interface RotationWindow {
  /** False when a rule that does not depend on time excludes it (rotate off, screen, 失效/废止). */
  eligible: boolean;
  /** It rotates while `from <= now < until` (epoch ms; ±Infinity when unbounded). */
  from: number;
  until: number;
  /**
   * Start of a working-day 公示 period whose end the calendar cannot give:
   * it rotates without an end and the screen names the missing year.
   */
  calendarMissingFrom: string | null;
  /** A bound could not be confirmed: judge this item with `rotationDecision()` each time. */
  dynamic: boolean;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const WALL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/;
const HAS_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/;
const MINUTE = 60_000;

/**
 * The instant at which the wall clock in `timeZone` reads `minutes` after
 * midnight of the civil date y-m-d (two passes over the zone offset, exact
 * wherever that wall time exists; the caller confirms it).
 */
export function zonedInstant(y: number, m: number, d: number, minutes: number, tz: string): number {
  const wall = Date.UTC(y, m - 1, d, 0, minutes);
  let t = wall - offsetAt(wall, tz);
  t = wall - offsetAt(t, tz);
  return t;
}

/** Offset of `timeZone` from UTC at instant `t`, in ms (whole minutes). */
function offsetAt(t: number, tz: string): number {
  const { date, minutes } = zonedParts(t, tz);
  const local = Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10), 0, minutes);
  return local - Math.floor(t / MINUTE) * MINUTE;
}

/** Bounds of one kind of rule, for a cache keyed by spec. */
type Bound = number | 'dynamic';

/**
 * The first instant at which `hasStarted(spec)` (kind 'start') or
 * `hasEnded(spec)` (kind 'end') becomes true, confirmed against those
 * functions; 'dynamic' when it cannot be confirmed.
 */
function bound(spec: string, kind: 'start' | 'end', tz: string): Bound {
  const test = kind === 'start' ? hasStarted : hasEnded;
  let candidate: number;
  const date = DATE_ONLY.exec(spec);
  const wall = date ? null : WALL.exec(spec);
  if (!date && HAS_OFFSET.test(spec)) {
    const t = Date.parse(spec);
    // NaN: hasStarted/hasEnded compare with NaN and are never true.
    if (Number.isNaN(t)) return Infinity;
    // An instant: started at t, ended strictly after t (times are whole milliseconds).
    return kind === 'start' ? t : t + 1;
  } else if (date) {
    const [, y, m, d] = date;
    // A date-only start begins at local midnight; a date-only end includes its whole day.
    candidate = zonedInstant(+y, +m, +d + (kind === 'end' ? 1 : 0), 0, tz);
  } else if (wall) {
    const [, y, m, d, hh, mm] = wall;
    candidate = zonedInstant(+y, +m, +d, +hh * 60 + +mm, tz) + (kind === 'end' ? MINUTE : 0);
  } else return 'dynamic';
  return test(spec, candidate, tz) && !test(spec, candidate - 1, tz) ? candidate : 'dynamic';
}

/**
 * Caches bounds and 公示 end dates while one playlist is prepared: a bundle
 * repeats the same dates across thousands of items.
 */
export class WindowCache {
  private readonly bounds = new Map<string, Bound>();
  private readonly noticeEnds = new Map<string, ReturnType<typeof noticePeriodEnd>>();

  constructor(readonly ctx: Omit<ScheduleContext, 'now'>) {}

  bound(spec: string, kind: 'start' | 'end'): Bound {
    const key = `${kind}\n${spec}`;
    let b = this.bounds.get(key);
    if (b === undefined) {
      b = bound(spec, kind, this.ctx.timeZone);
      this.bounds.set(key, b);
    }
    return b;
  }

  noticeEnd(p: NonNullable<Extract<Item, { kind: 'notice' }>['noticePeriod']>) {
    const key = `${p.start}\n${p.end ?? ''}\n${p.days ?? ''}\n${p.unit ?? ''}`;
    let end = this.noticeEnds.get(key);
    if (end === undefined) {
      end = noticePeriodEnd(p, this.ctx.calendar);
      this.noticeEnds.set(key, end);
    }
    return end;
  }
}

/**
 * The rotation window of `item`: the same rules as `rotationDecision()`,
 * with every time rule turned into a bound of one interval.
 */
export function rotationWindow(item: Item, cache: WindowCache): RotationWindow {
  const ctx = cache.ctx;
  const out: RotationWindow = {
    eligible: true,
    from: -Infinity,
    until: Infinity,
    calendarMissingFrom: null,
    dynamic: false,
  };
  // The rules that do not depend on time: any instant gives the same answer.
  const timeless = rotationDecision(item, { ...ctx, now: 0 }).reason;
  if (timeless === 'rotate-off' || timeless === 'wrong-screen' || timeless === 'invalid') {
    out.eligible = false;
    return out;
  }
  const start = (spec: string | null | undefined) => {
    if (!spec) return;
    const b = cache.bound(spec, 'start');
    if (b === 'dynamic') out.dynamic = true;
    else out.from = Math.max(out.from, b);
  };
  const end = (spec: string | null | undefined) => {
    if (!spec) return;
    const b = cache.bound(spec, 'end');
    if (b === 'dynamic') out.dynamic = true;
    else out.until = Math.min(out.until, b);
  };
  const v = item.validity;
  end(v?.validUntil);
  start(v?.validFrom);
  start(item.display?.showFrom);
  end(item.display?.showUntil);
  if (item.kind === 'notice' && item.noticePeriod) {
    const p = item.noticePeriod;
    start(p.start);
    const e = cache.noticeEnd(p);
    if (e === UNKNOWN) out.calendarMissingFrom = p.start;
    else end(e);
  }
  return out;
}

/** Whether `now` is inside the window (for an item that is not dynamic). */
export function inWindow(w: RotationWindow, now: number): boolean {
  return w.eligible && now >= w.from && now < w.until;
}
