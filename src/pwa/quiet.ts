/**
 * Waits for a moment when the page makes no network requests, before the
 * updater asks the waiting service worker to take over.
 *
 * Why: to swap versions, Chromium stops the old (active) worker as soon as it
 * is idle and activates the new one when it has stopped. Any request from the
 * page in that short window starts the old worker again — even a request the
 * static routing rules send straight to the network, such as the content
 * sync's `bundles/` polls (Chromium's ServiceWorkerStaticRouterStartServiceWorker,
 * on by default). A restarted worker forgets that it should stop at once, and
 * a second `skipWaiting()` does not remind it (Chromium ignores it while the
 * first is pending), so the switch then waits for the worker's ordinary idle
 * timeout (30 s without events) or the 5-minute lame-duck limit. The
 * end-to-end test saw this as "the waiting worker never activates". Posting
 * SKIP_WAITING only after the page has been quiet for a moment closes the
 * window in practice; the updater still waits out the idle timeout if a
 * request slips in.
 */
import type { Clock } from './idle.ts';

/** A source of "a request just happened" signals, the browser's Resource Timing by default. */
export interface ActivitySource {
  /** Calls `fn` for each request observed from now on; returns the function that stops it. */
  watch(fn: () => void): () => void;
}

/**
 * Requests the page makes, from Resource Timing entries (one per finished
 * request, fetch and XHR included). A request still open is seen when it ends,
 * so a chain of requests (manifest, then signature, then objects) keeps the
 * page "busy" until a gap appears.
 */
export const resourceActivity: ActivitySource = {
  watch(fn) {
    if (typeof PerformanceObserver === 'undefined') return () => undefined;
    const observer = new PerformanceObserver((list) => {
      if (list.getEntries().length > 0) fn();
    });
    try {
      observer.observe({ type: 'resource', buffered: false });
    } catch {
      return () => undefined;
    }
    return () => observer.disconnect();
  },
};

/**
 * Resolves once no request was seen for `quietMs`, or after `maxWaitMs` in
 * any case (a page that never goes quiet must still update; the updater's
 * own timeout covers a lost race).
 */
export function waitForQuiet(
  source: ActivitySource,
  clock: Clock,
  quietMs: number,
  maxWaitMs: number,
): Promise<void> {
  return new Promise((resolve) => {
    let quietTimer: unknown;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clock.clearTimeout(quietTimer);
      clock.clearTimeout(maxTimer);
      unwatch();
      resolve();
    };
    const arm = (): void => {
      clock.clearTimeout(quietTimer);
      quietTimer = clock.setTimeout(finish, quietMs);
    };
    const unwatch = source.watch(arm);
    const maxTimer = clock.setTimeout(finish, maxWaitMs);
    arm();
  });
}
