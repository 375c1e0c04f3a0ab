/**
 * Runs long work (preparing a 10,000-item playlist) in slices of a few
 * milliseconds that give the main thread back in between, so a content
 * switch never freezes the screen: the clock, the current slide's
 * transition and input keep running while the new content is prepared.
 */

/** A unit of sliced work: a generator that yields wherever it may pause. */
export type SlicedWork<T> = Generator<void, T, void>;

/** A running piece of sliced work. */
export interface SliceRun<T> {
  /** Set when the work finished inside the first, synchronous slice. */
  readonly value: T | undefined;
  /** Settles with the result, or with null when cancelled. */
  readonly done: Promise<T | null>;
  /** Stops after the current slice; the result is dropped. */
  cancel(): void;
}

interface SchedulerWithYield {
  yield(): Promise<void>;
}

/**
 * Gives the main thread back: `scheduler.yield()` where it exists (the
 * continuation keeps its place ahead of other tasks), else a macrotask.
 */
export function yieldToMain(): Promise<void> {
  const s = (globalThis as { scheduler?: Partial<SchedulerWithYield> }).scheduler;
  if (typeof s?.yield === 'function') return s.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Starts `work` now: it runs synchronously until `sliceMs` have passed (small
 * inputs finish here and `value` is set at once), then continues one slice
 * per task.
 */
export function runInSlices<T>(work: SlicedWork<T>, sliceMs = 8): SliceRun<T> {
  let cancelled = false;
  const slice = (): IteratorResult<void, T> => {
    const end = performance.now() + sliceMs;
    for (;;) {
      const r = work.next();
      if (r.done || performance.now() >= end) return r;
    }
  };
  const first = slice();
  const done: Promise<T | null> = first.done
    ? Promise.resolve(first.value)
    : (async () => {
        for (;;) {
          await yieldToMain();
          if (cancelled) return null;
          const r = slice();
          if (r.done) return r.value;
        }
      })();
  return {
    value: first.done ? first.value : undefined,
    done,
    cancel: () => {
      cancelled = true;
    },
  };
}

/**
 * A stable merge sort that yields every `step` comparisons (Array#sort
 * cannot pause, and 10,000 entries compared with a collator take tens of
 * milliseconds on a slow CPU). Returns a new sorted array.
 */
export function* sortInSlices<T>(
  input: readonly T[],
  compare: (a: T, b: T) => number,
  step = 2048,
): SlicedWork<T[]> {
  const n = input.length;
  const RUN = 128;
  let src = input.slice();
  let work = 0;
  for (let lo = 0; lo < n; lo += RUN) {
    const sorted = src.slice(lo, lo + RUN).sort(compare);
    for (let i = 0; i < sorted.length; i++) src[lo + i] = sorted[i];
    work += RUN * 7;
    if (work >= step) {
      work = 0;
      yield;
    }
  }
  let dst = new Array<T>(n);
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      for (let k = lo; k < hi; k++) {
        // `<= 0` takes the left element on ties: stable, like Array#sort.
        if (i < mid && (j >= hi || compare(src[i], src[j]) <= 0)) dst[k] = src[i++];
        else dst[k] = src[j++];
        if (++work >= step) {
          work = 0;
          yield;
        }
      }
    }
    [src, dst] = [dst, src];
  }
  return src;
}
