/**
 * Slide-change cost, for `npm run bench` (issue 8: ≤ 50 ms with 10,000 items).
 * Runs in a page: it needs the DOM and PerformanceObserver.
 */

/** What `measureSlideChanges` reports. */
export interface SlideChangeReport {
  /** Slide changes measured. */
  changes: number;
  /** Longest task seen by PerformanceObserver('longtask') during the run (0 when none ≥ 50 ms). */
  longestTaskMs: number;
  /** Long tasks (≥ 50 ms) seen. */
  longTasks: number;
  /** Longest change measured directly: heartbeat, render of the display and slide, style and layout. */
  longestChangeMs: number;
  /** Median of the same. */
  medianChangeMs: number;
  /** The first change, measured apart: it pays for cold code (JIT, the QR encoder) once after load. */
  firstChangeMs: number;
  /** False when the browser has no 'longtask' entry type (then only the direct times count). */
  longTaskSupported: boolean;
}

/** The parts of `<gk-display>` the measurement drives. */
export interface Measurable {
  tick(): void;
  readonly updateComplete: Promise<boolean>;
  readonly shadowRoot: ShadowRoot | null;
}

const nextTask = () => new Promise<void>((r) => setTimeout(r, 0));

/**
 * Waits for the page to be idle: a slide stays at least dwellSeconds (20 s by
 * default), so in real use the idle work between changes (warming the next
 * slide) has long finished when the next change comes.
 */
const idle = () =>
  new Promise<void>((r) =>
    typeof requestIdleCallback === 'function'
      ? requestIdleCallback(() => r(), { timeout: 1000 })
      : setTimeout(r, 50),
  );

/**
 * Moves `el` through one cold change (reported as `firstChangeMs`) and then
 * `changes` measured slide changes. `advance()` must move the fake
 * clock to the next change. Each change runs in its own task (the loop waits
 * for an idle period between them) so long-task entries are per change, not
 * one for the loop; idle work between changes is not counted in a change.
 */
export async function measureSlideChanges(
  el: Measurable,
  advance: () => void,
  changes = 40,
): Promise<SlideChangeReport> {
  const supported = PerformanceObserver.supportedEntryTypes.includes('longtask');
  const durations: number[] = [];
  const long: number[] = [];
  const change = async (): Promise<number> => {
    const t0 = performance.now();
    advance();
    el.tick();
    await el.updateComplete;
    const slide = el.shadowRoot?.querySelector('gk-slide') as
      (Element & { updateComplete?: Promise<boolean> }) | null;
    await slide?.updateComplete;
    // Reading layout forces style and layout now, inside the measured span.
    void (el.shadowRoot?.firstElementChild as HTMLElement | null)?.offsetHeight;
    return performance.now() - t0;
  };
  await nextTask();
  const firstChangeMs = await change();
  await nextTask();
  const observer = supported
    ? new PerformanceObserver((list) => {
        for (const e of list.getEntries()) long.push(e.duration);
      })
    : null;
  observer?.observe({ type: 'longtask', buffered: false });
  // Marks bound the measured span in a performance trace (the bench reads task CPU time there).
  performance.mark('gk-bench-changes-start');
  try {
    for (let i = 0; i < changes; i++) {
      await idle();
      await nextTask();
      durations.push(await change());
    }
    await nextTask();
    // Entries are delivered asynchronously; give the observer a moment.
    await new Promise<void>((r) => setTimeout(r, 100));
  } finally {
    performance.mark('gk-bench-changes-end');
    observer?.disconnect();
  }
  const sorted = [...durations].sort((a, b) => a - b);
  return {
    changes,
    longestTaskMs: long.length ? Math.max(...long) : 0,
    longTasks: long.length,
    longestChangeMs: sorted.at(-1) ?? 0,
    medianChangeMs: sorted[Math.floor(sorted.length / 2)] ?? 0,
    firstChangeMs,
    longTaskSupported: supported,
  };
}

/** What `measureContentSwitch` reports. */
export interface ContentSwitchReport {
  /** From assigning the new items to the first slide of the new content on screen. */
  switchMs: number;
  /** Longest long task during the switch (0 when none reached 50 ms). */
  longestTaskMs: number;
  longTasks: number;
}

/**
 * Replaces the display's content (`apply` assigns new items) while it
 * rotates and measures the longest task until the new content shows: the
 * preparation runs in slices, so the screen must not freeze.
 */
export async function measureContentSwitch(
  el: Measurable,
  apply: () => void,
): Promise<ContentSwitchReport> {
  const long: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) long.push(e.duration);
  });
  await nextTask();
  observer.observe({ type: 'longtask', buffered: false });
  performance.mark('gk-bench-switch-start');
  const t0 = performance.now();
  apply();
  await el.updateComplete;
  const switchMs = performance.now() - t0;
  performance.mark('gk-bench-switch-end');
  await new Promise<void>((r) => setTimeout(r, 100));
  observer.disconnect();
  return { switchMs, longestTaskMs: long.length ? Math.max(...long) : 0, longTasks: long.length };
}
