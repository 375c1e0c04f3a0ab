/**
 * What may rotate on a public screen now (domain.md (b) rules 1, 2 and 7).
 *
 * Pure functions of the item, the trusted time and the configuration: no
 * timers, no DOM. Every date comparison happens in the configured time zone.
 */
import { noticePeriodEnd, UNKNOWN } from '../content/calendar.ts';
import type { Calendar, Item } from '../content/types.ts';
import { zonedParts } from './zoned.ts';

/** Why an item is or is not in the rotation. */
export const ROTATION_REASONS = {
  rotating: '轮播中',
  'rotate-off': '未设置轮播',
  invalid: '已失效或已废止',
  expired: '有效期已过',
  'not-yet-valid': '尚未生效',
  'not-yet-shown': '未到展示开始时间',
  'show-ended': '展示期已结束',
  'notice-not-started': '公示期未开始',
  'notice-ended': '公示期已结束',
  'wrong-screen': '不在本屏展示',
} as const;
export type RotationReason = keyof typeof ROTATION_REASONS;

/** The rotation decision for one item. */
export interface RotationDecision {
  rotates: boolean;
  reason: RotationReason;
  /**
   * Set when a working-day rule needed a calendar year the bundle lacks. The
   * item is not auto-expired on that rule (domain.md (b) 7); the screen
   * reports the missing year instead of guessing Monday to Friday.
   */
  calendarMissing?: string;
}

/** The inputs every schedule rule needs. */
export interface ScheduleContext {
  /** Trusted epoch milliseconds. */
  now: number;
  /** IANA zone of the screen, e.g. Asia/Shanghai. */
  timeZone: string;
  calendar?: Calendar | null;
  /** The playlist default for items whose display.rotate is unset. */
  rotateByDefault: boolean;
  /** The screen's configuration id, matched against display.screens. */
  screenId?: string;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const HAS_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/;

/** Local wall time of `now` as `YYYY-MM-DDTHH:MM`, comparable as a string. */
function wallTime(now: number, timeZone: string): { date: string; wall: string } {
  const { date, minutes } = zonedParts(now, timeZone);
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return { date, wall: `${date}T${hh}:${mm}` };
}

/**
 * Whether `now` is on or after `spec`. A date-only spec starts at local
 * midnight in the screen's zone; a date-time with an offset is an instant; a
 * date-time without one is local wall time.
 */
export function hasStarted(spec: string, now: number, timeZone: string): boolean {
  if (DATE_ONLY.test(spec)) return wallTime(now, timeZone).date >= spec;
  if (HAS_OFFSET.test(spec)) return now >= Date.parse(spec);
  return wallTime(now, timeZone).wall >= spec.slice(0, 16);
}

/**
 * Whether `now` is past `spec`. A date-only end includes the whole local day
 * (a 公示 ending 11-30 is still shown at 23:59 on the 30th).
 */
export function hasEnded(spec: string, now: number, timeZone: string): boolean {
  if (DATE_ONLY.test(spec)) return wallTime(now, timeZone).date > spec;
  if (HAS_OFFSET.test(spec)) return now > Date.parse(spec);
  return wallTime(now, timeZone).wall > spec.slice(0, 16);
}

/**
 * 已失效 / 已废止 for an item that left rotation because of its validity (for
 * search results and history); null for a valid item. An item past its
 * validUntil counts as 已失效 until an admin confirms (domain.md 2.2).
 */
export function validityLabel(
  item: Item,
  now: number,
  timeZone: string,
): '已失效' | '已废止' | null {
  const v = item.validity;
  if (!v) return null;
  if (v.status === '废止') return '已废止';
  if (v.status === '失效') return '已失效';
  if (v.validUntil && hasEnded(v.validUntil, now, timeZone)) return '已失效';
  return null;
}

/** Whether `item` rotates now, and why (the first rule that excludes it). */
export function rotationDecision(item: Item, ctx: ScheduleContext): RotationDecision {
  const { now, timeZone } = ctx;
  const d = item.display;
  const rotate = d?.rotate ?? ctx.rotateByDefault;
  if (rotate === false) return { rotates: false, reason: 'rotate-off' };
  if (ctx.screenId && d?.screens?.length && !d.screens.includes(ctx.screenId))
    return { rotates: false, reason: 'wrong-screen' };
  const v = item.validity;
  if (v?.status === '失效' || v?.status === '废止') return { rotates: false, reason: 'invalid' };
  if (v?.validUntil && hasEnded(v.validUntil, now, timeZone))
    return { rotates: false, reason: 'expired' };
  if (v?.validFrom && !hasStarted(v.validFrom, now, timeZone))
    return { rotates: false, reason: 'not-yet-valid' };
  if (d?.showFrom && !hasStarted(d.showFrom, now, timeZone))
    return { rotates: false, reason: 'not-yet-shown' };
  if (d?.showUntil && hasEnded(d.showUntil, now, timeZone))
    return { rotates: false, reason: 'show-ended' };
  if (item.kind === 'notice' && item.noticePeriod) {
    const p = item.noticePeriod;
    if (!hasStarted(p.start, now, timeZone))
      return { rotates: false, reason: 'notice-not-started' };
    const end = noticePeriodEnd(p, ctx.calendar);
    if (end === UNKNOWN) {
      return {
        rotates: true,
        reason: 'rotating',
        calendarMissing: missingYear(p.start, now, timeZone, ctx.calendar),
      };
    }
    if (end && hasEnded(end, now, timeZone)) return { rotates: false, reason: 'notice-ended' };
  }
  return { rotates: true, reason: 'rotating' };
}

/** The first calendar year between `start` and today that the calendar lacks. */
export function missingYear(
  start: string,
  now: number,
  timeZone: string,
  calendar: Calendar | null | undefined,
): string {
  const from = Number(start.slice(0, 4));
  const to = Math.max(from + 1, Number(zonedParts(now, timeZone).date.slice(0, 4)) + 1);
  for (let y = from; y <= to; y++) if (!calendar?.[String(y)]) return String(y);
  return String(from);
}

/** The last day of an item's 公示期 for display ("公示期：…至…"), or null. */
export function noticeWindow(
  item: Item,
  calendar: Calendar | null | undefined,
): { start: string; end: string | null } | null {
  if (item.kind !== 'notice' || !item.noticePeriod) return null;
  const end = noticePeriodEnd(item.noticePeriod, calendar);
  return { start: item.noticePeriod.start, end: end === UNKNOWN ? null : end };
}
