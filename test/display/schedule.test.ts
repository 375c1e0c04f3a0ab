import { afterEach, describe, expect, it } from 'vitest';
import {
  hasEnded,
  hasStarted,
  noticeWindow,
  rotationDecision,
  validityLabel,
  type ScheduleContext,
} from '../../src/display/schedule.ts';
import { localDate, zonedParts } from '../../src/display/zoned.ts';
import { CALENDAR, notice, shanghai } from './fixtures.ts';

const ctx = (now: number, over: Partial<ScheduleContext> = {}): ScheduleContext => ({
  now,
  timeZone: 'Asia/Shanghai',
  calendar: CALENDAR,
  rotateByDefault: true,
  ...over,
});

describe('rotationDecision: display.rotate', () => {
  const now = shanghai('2025-10-01');
  it('rotates when rotate is unset and the playlist default is on', () => {
    expect(rotationDecision(notice(), ctx(now)).rotates).toBe(true);
  });
  it('follows the playlist default when rotate is unset or null', () => {
    expect(rotationDecision(notice(), ctx(now, { rotateByDefault: false }))).toEqual({
      rotates: false,
      reason: 'rotate-off',
    });
    expect(
      rotationDecision(notice({ display: { rotate: null } }), ctx(now, { rotateByDefault: false }))
        .rotates,
    ).toBe(false);
  });
  it('an explicit rotate wins over the default either way', () => {
    expect(rotationDecision(notice({ display: { rotate: false } }), ctx(now)).reason).toBe(
      'rotate-off',
    );
    expect(
      rotationDecision(notice({ display: { rotate: true } }), ctx(now, { rotateByDefault: false }))
        .rotates,
    ).toBe(true);
  });
  it('keeps an item to its listed screens', () => {
    const item = notice({ display: { screens: ['hall-1'] } });
    expect(rotationDecision(item, ctx(now, { screenId: 'hall-1' })).rotates).toBe(true);
    expect(rotationDecision(item, ctx(now, { screenId: 'reading-room-1' })).reason).toBe(
      'wrong-screen',
    );
  });
});

describe('rotationDecision: validity', () => {
  const now = shanghai('2025-10-01');
  it('rotates 有效 and unset validity', () => {
    expect(rotationDecision(notice({ validity: { status: '有效' } }), ctx(now)).rotates).toBe(true);
    expect(rotationDecision(notice({ validity: { status: null } }), ctx(now)).rotates).toBe(true);
    expect(rotationDecision(notice({ validity: undefined }), ctx(now)).rotates).toBe(true);
  });
  it('drops 失效 and 废止 and labels them for search', () => {
    for (const status of ['失效', '废止'] as const) {
      const item = notice({ validity: { status } });
      expect(rotationDecision(item, ctx(now))).toEqual({ rotates: false, reason: 'invalid' });
    }
    expect(validityLabel(notice({ validity: { status: '失效' } }), now, 'Asia/Shanghai')).toBe(
      '已失效',
    );
    expect(validityLabel(notice({ validity: { status: '废止' } }), now, 'Asia/Shanghai')).toBe(
      '已废止',
    );
    expect(validityLabel(notice(), now, 'Asia/Shanghai')).toBeNull();
  });
  it('treats an item past validUntil as expired from the next local day', () => {
    const item = notice({ validity: { status: '有效', validUntil: '2025-09-30' } });
    // 2025-09-30 23:59 in Shanghai is still the last valid day.
    expect(rotationDecision(item, ctx(shanghai('2025-09-30', '23:59'))).rotates).toBe(true);
    expect(rotationDecision(item, ctx(shanghai('2025-10-01', '00:00'))).reason).toBe('expired');
    expect(validityLabel(item, shanghai('2025-10-01', '00:00'), 'Asia/Shanghai')).toBe('已失效');
  });
  it('waits for validFrom', () => {
    const item = notice({ validity: { status: '有效', validFrom: '2025-10-02' } });
    expect(rotationDecision(item, ctx(shanghai('2025-10-01', '23:59'))).reason).toBe(
      'not-yet-valid',
    );
    expect(rotationDecision(item, ctx(shanghai('2025-10-02', '00:00'))).rotates).toBe(true);
  });
});

describe('rotationDecision: showFrom / showUntil', () => {
  const item = notice({ display: { showFrom: '2025-10-01', showUntil: '2025-10-03' } });
  it('shows inside the window, day boundaries at Shanghai midnight', () => {
    expect(rotationDecision(item, ctx(shanghai('2025-09-30', '23:59'))).reason).toBe(
      'not-yet-shown',
    );
    expect(rotationDecision(item, ctx(shanghai('2025-10-01', '00:00'))).rotates).toBe(true);
    expect(rotationDecision(item, ctx(shanghai('2025-10-03', '23:59'))).rotates).toBe(true);
    expect(rotationDecision(item, ctx(shanghai('2025-10-04', '00:00'))).reason).toBe('show-ended');
  });
  it('honours instants with an offset and local wall times without one', () => {
    const instant = notice({ display: { showUntil: '2025-10-01T10:00:00+08:00' } });
    expect(rotationDecision(instant, ctx(shanghai('2025-10-01', '10:00'))).rotates).toBe(true);
    expect(rotationDecision(instant, ctx(shanghai('2025-10-01', '10:01'))).reason).toBe(
      'show-ended',
    );
    const wall = notice({ display: { showFrom: '2025-10-01T09:30' } });
    expect(rotationDecision(wall, ctx(shanghai('2025-10-01', '09:29'))).rotates).toBe(false);
    expect(rotationDecision(wall, ctx(shanghai('2025-10-01', '09:30'))).rotates).toBe(true);
  });
  it('crosses the year boundary in the configured zone, not in UTC', () => {
    const ny = notice({ display: { showFrom: '2026-01-01' } });
    // 2025-12-31T16:30Z is already 2026-01-01 00:30 in Shanghai but still 2025 in UTC.
    const t = Date.UTC(2025, 11, 31, 16, 30);
    expect(rotationDecision(ny, ctx(t)).rotates).toBe(true);
    expect(rotationDecision(ny, ctx(t, { timeZone: 'UTC' })).reason).toBe('not-yet-shown');
    expect(hasStarted('2026-01-01', t, 'Asia/Shanghai')).toBe(true);
    expect(hasEnded('2025-12-31', t, 'Asia/Shanghai')).toBe(true);
  });
});

describe('rotationDecision: 公示期', () => {
  // 7 working days from Fri 2025-09-26 across the 国庆 holiday and two 调休 weekend days:
  // 09-26 (1), Sun 09-28 make-up day (2), 09-29 (3), 09-30 (4), [10-01..10-08 off],
  // 10-09 (5), 10-10 (6), Sat 10-11 make-up day (7).
  const wd = notice({
    docType: '公示',
    noticePeriod: { start: '2025-09-26', days: 7, unit: '工作日' },
  });
  it('counts working days with the bundle calendar, 调休 included', () => {
    expect(noticeWindow(wd, CALENDAR)).toEqual({ start: '2025-09-26', end: '2025-10-11' });
    expect(rotationDecision(wd, ctx(shanghai('2025-09-25', '23:59'))).reason).toBe(
      'notice-not-started',
    );
    expect(rotationDecision(wd, ctx(shanghai('2025-09-26', '00:00'))).rotates).toBe(true);
    // A Monday–Friday guess would have ended on 10-06; the holiday keeps it up.
    expect(rotationDecision(wd, ctx(shanghai('2025-10-07'))).rotates).toBe(true);
    expect(rotationDecision(wd, ctx(shanghai('2025-10-11', '23:59'))).rotates).toBe(true);
    expect(rotationDecision(wd, ctx(shanghai('2025-10-12', '00:00'))).reason).toBe('notice-ended');
  });
  it('ends at Shanghai midnight even when that is mid-afternoon UTC', () => {
    expect(rotationDecision(wd, ctx(Date.UTC(2025, 9, 11, 15, 59))).rotates).toBe(true);
    expect(rotationDecision(wd, ctx(Date.UTC(2025, 9, 11, 16, 0))).reason).toBe('notice-ended');
  });
  it('counts natural days inclusive of the start', () => {
    const nd = notice({ noticePeriod: { start: '2025-09-26', days: 7, unit: '自然日' } });
    expect(rotationDecision(nd, ctx(shanghai('2025-10-02', '23:59'))).rotates).toBe(true);
    expect(rotationDecision(nd, ctx(shanghai('2025-10-03', '00:00'))).reason).toBe('notice-ended');
  });
  it('uses an explicit end date', () => {
    const ex = notice({ noticePeriod: { start: '2025-09-26', end: '2025-09-30', unit: '自然日' } });
    expect(rotationDecision(ex, ctx(shanghai('2025-10-01', '00:00'))).reason).toBe('notice-ended');
  });
  it('counts across the year boundary with both years in the calendar', () => {
    // 12-25, 12-26, 12-29, 12-30, 12-31, [01-01..03 off], Sun 01-04 make-up, 01-05..01-08.
    const ny = notice({ noticePeriod: { start: '2025-12-25', days: 10, unit: '工作日' } });
    expect(noticeWindow(ny, CALENDAR)?.end).toBe('2026-01-08');
    expect(rotationDecision(ny, ctx(shanghai('2026-01-08', '23:59'))).rotates).toBe(true);
    expect(rotationDecision(ny, ctx(shanghai('2026-01-09', '00:00'))).reason).toBe('notice-ended');
  });
  it('reports a missing calendar year instead of guessing, and does not auto-expire', () => {
    const ny = notice({ noticePeriod: { start: '2025-12-25', days: 10, unit: '工作日' } });
    const only2025 = { '2025': CALENDAR['2025'] };
    const d = rotationDecision(ny, ctx(shanghai('2026-03-01'), { calendar: only2025 }));
    expect(d).toEqual({ rotates: true, reason: 'rotating', calendarMissing: '2026' });
    expect(noticeWindow(ny, only2025)).toEqual({ start: '2025-12-25', end: null });
  });
});

describe('zoned helpers', () => {
  const saved = process.env.TZ;
  afterEach(() => {
    process.env.TZ = saved;
  });
  it('give the same local day whatever the device zone', () => {
    const t = Date.UTC(2025, 11, 31, 16, 30);
    process.env.TZ = 'America/Los_Angeles';
    expect(localDate(t, 'Asia/Shanghai')).toBe('2026-01-01');
    process.env.TZ = 'Asia/Tokyo';
    expect(zonedParts(t, 'Asia/Shanghai')).toEqual({ date: '2026-01-01', minutes: 30, weekday: 4 });
  });
  it('reject an unknown zone with a clear error', () => {
    expect(() => localDate(0, 'Mars/Base')).toThrow(/Mars\/Base/);
  });
});
