// A manual clock for unit tests of code that takes a `Clock` (src/pwa/idle.ts):
// timers fire only when the test advances time, in due order, so a test never
// waits on real time and never depends on the machine's speed.
import type { Clock } from '../../src/pwa/idle.ts';

/** The clock and the test's handles on it. */
export interface FakeClock {
  clock: Clock;
  /** Moves time forward by `ms`, running every timer that falls due on the way, in order. */
  advance(ms: number): void;
  /** Timers scheduled and not yet run or cleared. */
  pending(): number;
  /** The clock's current time. */
  now(): number;
}

/** A manual clock starting at `start` (ms). */
export function fakeClock(start = 0): FakeClock {
  let now = start;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const clock: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      timers.set(++seq, { at: now + ms, fn });
      return seq;
    },
    clearTimeout: (h) => void timers.delete(h as number),
  };
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      // Earliest due timer first; one scheduled while running is picked up in the same pass.
      const due = [...timers.entries()]
        .filter(([, t]) => t.at <= end)
        .sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      now = due[1].at;
      due[1].fn();
    }
    now = end;
  };
  return { clock, advance, pending: () => timers.size, now: () => now };
}
