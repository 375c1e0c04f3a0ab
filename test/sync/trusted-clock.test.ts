import { describe, expect, it } from 'vitest';
import { SKEW_TOLERANCE_MS, TrustedClock } from '../../src/sync/time.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-24T00:00:00Z');

/** A device wall clock that can be set, and a monotonic clock that cannot. */
function fakeClocks() {
  const c = { wall: T0, mono: 1000 };
  return {
    c,
    run(ms: number) {
      c.wall += ms;
      c.mono += ms;
    },
    clock: new TrustedClock(
      () => c.wall,
      () => c.mono,
    ),
  };
}

describe('TrustedClock', () => {
  it('follows the device clock when nothing was observed', () => {
    const { c, clock, run } = fakeClocks();
    expect(clock.now()).toBe(T0);
    run(5000);
    expect(clock.now()).toBe(T0 + 5000);
    c.wall -= DAY;
    expect(clock.now()).toBe(T0 + 5000 - DAY);
    expect(clock.skewMs()).toBe(0);
  });

  it('keeps a wall clock set back during the run from pulling trusted time back', () => {
    const { c, clock, run } = fakeClocks();
    clock.observe(T0); // a server Date at the last sync
    run(14 * 60_000);
    c.wall -= 365 * DAY; // RTC reset
    run(1000);
    expect(clock.now()).toBe(T0 + 14 * 60_000 + 1000);
    expect(clock.skewMs()).toBe(365 * DAY);
  });

  it('reports a device clock behind an observed floor, within tolerance as 0', () => {
    const { c, clock } = fakeClocks();
    clock.observeFloor({ generatedAt: T0 - 3600_000, httpDate: T0 + DAY });
    expect(clock.now()).toBe(T0 + DAY);
    expect(clock.skewMs()).toBe(DAY);
    c.wall = T0 + DAY - SKEW_TOLERANCE_MS + 1;
    expect(clock.skewMs()).toBe(0);
  });

  it('follows a device clock ahead of every floor, and a correction back to the floor', () => {
    const { c, clock, run } = fakeClocks();
    clock.observe(T0);
    c.wall = T0 + 365 * DAY; // wrongly ahead: nothing trustworthy says so
    expect(clock.now()).toBe(T0 + 365 * DAY);
    expect(clock.skewMs()).toBe(0);
    run(1000);
    c.wall = T0 + 1000; // corrected (NTP): device readings were never floors
    expect(clock.now()).toBe(T0 + 1000);
  });

  it('ignores lower and non-finite observations', () => {
    const { clock, run } = fakeClocks();
    clock.observe(T0 + DAY);
    run(1000);
    clock.observe(T0 + DAY); // older than the floor advanced by 1 s
    clock.observe(Number.NaN);
    clock.observeFloor(undefined);
    expect(clock.now()).toBe(T0 + DAY + 1000);
  });

  it('reports a device clock ahead of the last server Date, advanced by the monotonic clock', () => {
    const { c, clock, run } = fakeClocks();
    expect(clock.aheadMs()).toBe(0); // no server heard yet
    c.wall = T0 + DAY;
    clock.observeServerDate(T0);
    expect(clock.aheadMs()).toBe(DAY);
    // Trusted time still follows the device clock: the Date is not signed.
    expect(clock.now()).toBe(T0 + DAY);
    run(HOUR);
    expect(clock.aheadMs()).toBe(DAY);
    // Set forward once more during the run, with no new answer: seen at once.
    c.wall += DAY;
    expect(clock.aheadMs()).toBe(2 * DAY + 0);
    // Corrected to within the tolerance: no longer reported.
    c.wall = T0 + HOUR + SKEW_TOLERANCE_MS - 1;
    expect(clock.aheadMs()).toBe(0);
    // A server Date is a floor like any other.
    c.wall = T0 - DAY;
    expect(clock.skewMs()).toBe(DAY + HOUR);
  });
});
