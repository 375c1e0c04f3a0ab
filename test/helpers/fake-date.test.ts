import { describe, expect, it } from 'vitest';

/**
 * Proof that the `unit@2031` step of `npm test` (test/run-all.mjs) really
 * runs the suite on another day: it sets GONGKAI_FAKE_DATE and wraps vitest
 * in Debian's `faketime`, which every worker inherits. If faketime stopped
 * reaching the workers, this test fails instead of the step passing vacuously.
 */
describe('the clock the unit suite runs on', () => {
  const expected = process.env.GONGKAI_FAKE_DATE;
  it(
    expected ? `is faked to ${expected}` : 'is the real clock (no GONGKAI_FAKE_DATE)',
    async () => {
      const today = new Date().toISOString().slice(0, 10);
      console.log(`[clock] Date.now() is ${new Date().toISOString()}`);
      if (expected) expect(today).toBe(expected);
      else expect(today).not.toBe('2031-06-15');
      // Timers still run on a faked clock.
      const t0 = Date.now();
      await new Promise((r) => setTimeout(r, 20));
      expect(Date.now()).toBeGreaterThanOrEqual(t0 + 15);
    },
  );
});
