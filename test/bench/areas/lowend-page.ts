// The in-page parts of the low-end bench (test/bench/areas/lowend.ts), as plain
// ES2017 strings so they run on Chromium 83 unchanged, and the steps that
// drive the built app over raw CDP (test/helpers/cdp.ts).
import type { CdpPage } from '../../helpers/cdp.ts';
import { FIRST_NOTICE_MARK } from '../lib/page.ts';

/** Collects long tasks (≥ 50 ms) from page start into `window.__gkLongTasks`. */
export const LONG_TASK_SCRIPT = `(function () {
  window.__gkLongTasks = [];
  if (typeof PerformanceObserver !== 'function') return;
  try {
    new PerformanceObserver(function (list) {
      list.getEntries().forEach(function (e) {
        window.__gkLongTasks.push({ start: e.startTime, duration: e.duration });
      });
    }).observe({ entryTypes: ['longtask'] });
  } catch (e) { window.__gkLongTasks = null; }
})();`;

/** Waits for the first-notice mark (see FIRST_NOTICE_SCRIPT) and returns its time, in ms. */
export async function firstNoticeMs(page: CdpPage, timeoutMs = 60_000): Promise<number> {
  const t = await page.poll<number | null>(
    `(function () { var m = performance.getEntriesByName(${JSON.stringify(FIRST_NOTICE_MARK)})[0]; return m ? m.startTime : null; })()`,
    timeoutMs,
    (v) => v !== null,
    50,
  );
  if (t === null) {
    const text = await page.evaluate<string>('gkText()').catch(() => '');
    throw new Error(
      `no notice painted within ${timeoutMs / 1000} s; the page shows: ${text.slice(0, 200)}; errors: ${page.errors.slice(0, 2).join(' | ')}`,
    );
  }
  return t;
}

const CURRENT = `(function () {
  var d = gkDeep('gk-display')[0];
  return d && d.rotation && d.rotation.current ? d.rotation.current.entry.item.id : null;
})()`;

/**
 * `changes` slide changes on the fake clock, each waited for; returns the
 * longest long task that started during them (0 when none reached 50 ms),
 * or null when the engine has no long-task observer.
 */
export async function slideChanges(
  page: CdpPage,
  dwellMs: number,
  changes: number,
): Promise<number | null> {
  const from = await page.evaluate<number>('performance.now()');
  for (let i = 0; i < changes; i++) {
    const before = await page.evaluate<string | null>(CURRENT);
    // A paged slide (a long task table) stays one dwell per page: jump again until it moves.
    let after = before;
    for (let jump = 0; jump < 8 && after === before; jump++) {
      await page.fastForward(dwellMs + 500);
      after = await page.poll<string | null>(CURRENT, 5000, (c) => c !== before, 50);
    }
    if (after === before) throw new Error(`slide ${i + 1} did not change from ${before}`);
    // A slide stays ≥ 15 s in real use: let the display's idle work (next slide, QR) run.
    await new Promise((r) => setTimeout(r, 400));
  }
  return page.evaluate<number | null>(`(function () {
    if (!window.__gkLongTasks) return null;
    return window.__gkLongTasks.filter(function (t) { return t.start >= ${from}; })
      .reduce(function (m, t) { return Math.max(m, t.duration); }, 0);
  })()`);
}

/**
 * Types `queries` on the touch kiosk's on-screen keyboard (search view open),
 * clearing between them; one figure per keystroke: from the key's click to
 * the end of the work it caused (Lit updates of every component, run as
 * microtasks, then style and layout forced), i.e. the main-thread time before
 * the frame can be painted.
 */
export async function typeQueries(page: CdpPage, queries: string[]): Promise<number[]> {
  return page.evaluate<number[]>(`(function () {
    var keys = function (k) { return gkDeep('gk-keyboard >> button[data-key="' + k + '"]')[0]; };
    var settle = function () {
      return new Promise(function (r) {
        var ch = new MessageChannel();
        ch.port1.onmessage = function () { document.documentElement.offsetHeight; r(performance.now()); };
        ch.port2.postMessage(null);
      });
    };
    var times = [];
    var queries = ${JSON.stringify(queries)};
    var run = Promise.resolve();
    queries.forEach(function (q) {
      q.split('').concat(['Clear']).forEach(function (k) {
        run = run.then(function () {
          var b = keys(k);
          if (!b) throw new Error('no key ' + k + ' on the on-screen keyboard');
          var t0 = performance.now();
          b.click();
          return settle().then(function (t1) {
            if (k !== 'Clear') times.push(t1 - t0);
            return new Promise(function (r) { setTimeout(r, 30); });
          });
        });
      });
    });
    return run.then(function () { return times; });
  })()`);
}
