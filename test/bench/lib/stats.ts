// Summary statistics of repeated runs. Kept free of IO so harness.test.ts can check the maths.

/** Median, min and max of a set of runs. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  n: number;
}

function sorted(values: readonly number[]): number[] {
  for (const v of values) {
    if (!Number.isFinite(v)) throw new Error(`bench statistics: non-finite sample ${v}`);
  }
  return [...values].sort((a, b) => a - b);
}

/**
 * The p-th quantile (0 ≤ p ≤ 1) with linear interpolation between closest ranks
 * (the usual "type 7" definition), so percentile(x, 0.5) is the median.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('bench statistics: percentile of no samples');
  if (p < 0 || p > 1) throw new Error(`bench statistics: percentile ${p} is outside 0..1`);
  const s = sorted(values);
  const pos = (s.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/** Median of the samples (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  return percentile(values, 0.5);
}

/** Median, min and max of the samples. */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('bench statistics: summary of no samples');
  const s = sorted(values);
  return { median: median(s), min: s[0], max: s[s.length - 1], n: s.length };
}

/**
 * Time budget of the running area (set by run.ts): past it, {@link repeat}
 * stops after `minRuns` runs instead of `times`, so one slow area cannot push
 * `npm run bench` past its 10 minutes. The report shows how many runs each
 * figure has, and run.ts notes the trimming.
 */
let deadline = Number.POSITIVE_INFINITY;
let skipped = 0;

/** Sets the wall-clock deadline (`performance.now()` ms) of the area about to run. */
export function setDeadline(at: number): void {
  deadline = at;
  skipped = 0;
}

/** Runs skipped by {@link repeat} since the last {@link setDeadline}. */
export function skippedRuns(): number {
  return skipped;
}

/**
 * Runs `fn` `times` times in sequence and returns every result; once the
 * area's deadline has passed, stops after `minRuns` (default 3, or `times`
 * when fewer).
 */
export async function repeat<T>(
  times: number,
  fn: (run: number) => Promise<T>,
  minRuns = Math.min(times, 3),
): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < times; i++) {
    out.push(await fn(i));
    if (i + 1 < times && i + 1 >= minRuns && performance.now() > deadline) {
      skipped += times - i - 1;
      break;
    }
  }
  return out;
}
