import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClockController, formatClock } from '../../src/display/clock.ts';

describe('formatClock', () => {
  it('uses the configured time zone, not the device zone', () => {
    // 2026-12-31T16:30:00Z is already 2027-01-01 00:30 in Shanghai.
    const t = Date.UTC(2026, 11, 31, 16, 30);
    expect(formatClock(t, 'Asia/Shanghai')).toEqual({ date: '2027年1月1日星期五', time: '00:30' });
    expect(formatClock(t, 'UTC').time).toBe('16:30');
  });
});

describe('ClockController', () => {
  beforeEach(() => vi.useFakeTimers({ now: Date.UTC(2026, 10, 24, 1, 0, 0, 200) }));
  afterEach(() => vi.useRealTimers());

  it('ticks every second while connected and stops on disconnect', () => {
    let updates = 0;
    const host = {
      addController: () => {},
      removeController: () => {},
      requestUpdate: () => updates++,
      updateComplete: Promise.resolve(true),
    };
    const c = new ClockController(host);
    c.hostConnected();
    expect(updates).toBe(1);
    vi.advanceTimersByTime(5_000);
    expect(updates).toBe(6);
    expect(c.now).toBeGreaterThanOrEqual(Date.UTC(2026, 10, 24, 1, 0, 5));
    c.hostDisconnected();
    vi.advanceTimersByTime(10_000);
    expect(updates).toBe(6);
    expect(vi.getTimerCount()).toBe(0);
  });
});
