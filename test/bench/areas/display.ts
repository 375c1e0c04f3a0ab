// Display: longest task at a slide change with 10,000 items, and heap, DOM
// nodes and listeners after 24 simulated hours of rotation, on the display
// harness page (test/pages/display-harness.ts) built for production.
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { buildPage } from '../lib/build-page.ts';
import { serveStatic } from '../lib/server.ts';
import { repeat } from '../lib/stats.ts';
import type { Area, AreaResult } from '../lib/types.ts';

const ITEMS = 10_000;
const CHANGES = 30;
const RUNS = 5;
const HOURS = 24;
/** Wall-time budget of the soak, in seconds. */
const SOAK_BUDGET_S = 90;

interface SwitchReport {
  switchMs: number;
  longestTaskMs: number;
  longTasks: number;
  items: number;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
}

/**
 * Main-thread tasks between two performance marks of a Chromium trace, as
 * [wall ms, CPU ms]. CPU (thread) time is what the page's own work costs;
 * wall time also counts the waits while other processes hold the CPU.
 */
function tasksBetween(events: TraceEvent[], start: string, end: string): [number, number][] {
  const t0 = events.find((e) => e.name === start);
  const t1 = events.find((e) => e.name === end);
  if (!t0 || !t1) throw new Error(`display bench: trace without the ${start}/${end} marks`);
  // The marks are emitted on the page's main thread: its tasks are the ones between them.
  return events
    .filter(
      (e) =>
        e.pid === t0.pid &&
        e.tid === t0.tid &&
        e.ph === 'X' &&
        e.name === 'RunTask' &&
        e.ts >= t0.ts &&
        e.ts <= t1.ts,
    )
    .map((e) => [(e.dur ?? 0) / 1000, (e.tdur ?? 0) / 1000]);
}

/** Runs `fn` with a Chromium trace of `page` (task and user-timing categories). */
async function traced<T>(
  browser: Browser,
  page: Page,
  fn: () => Promise<T>,
): Promise<{ result: T; events: TraceEvent[] }> {
  await browser.startTracing(page, {
    categories: ['disabled-by-default-devtools.timeline', 'blink.user_timing'],
  });
  let result: T;
  try {
    result = await fn();
  } catch (err) {
    await browser.stopTracing();
    throw err;
  }
  const buf = await browser.stopTracing();
  return {
    result,
    events: (JSON.parse(buf.toString()) as { traceEvents: TraceEvent[] }).traceEvents,
  };
}

interface BenchReport {
  longestTaskMs: number;
  longTasks: number;
  longestChangeMs: number;
  medianChangeMs: number;
  longTaskSupported: boolean;
  items: number;
}

interface Counters {
  heapMB: number;
  nodes: number;
  listeners: number;
}

async function counters(cdp: CDPSession): Promise<Counters> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  const dom = (await cdp.send('Memory.getDOMCounters')) as {
    nodes: number;
    jsEventListeners: number;
  };
  return { heapMB: heap.usedSize / 2 ** 20, nodes: dom.nodes, listeners: dom.jsEventListeners };
}

async function openHarness(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => window.gkHarness !== undefined, null, { timeout: 60_000 });
  await page.evaluate(() => window.gkHarness.ready);
}

export const display: Area = {
  id: 'display',
  title: 'Display',
  description: `The reading-room display (\`<gk-display>\`) on its harness page (\`test/pages/display-harness.ts\`, built with Vite for production) in headless Chromium at 1920×1080 with a fake clock. Slide change: ${ITEMS.toLocaleString('en-US')} items loaded, the clock jumped to ${CHANGES} successive slide changes, each in its own task (\`src/display/bench.ts\`): the longest PerformanceObserver long task (0 when no task reached 50 ms) and the longest change timed directly (heartbeat, render, style and layout). Soak: the demo content with an alert every simulated hour, ${HOURS} simulated hours of rotation; JS heap (CDP \`Runtime.getHeapUsage\`), DOM nodes and JS event listeners (CDP \`Memory.getDOMCounters\`) after a forced GC, at the start and after ${HOURS} h (or as many simulated hours as fit in ${SOAK_BUDGET_S} s of wall time). Between changes the page gets an idle period (a slide stays ≥ 20 s in real use), where the display warms the next slide (pages, QR code). Content switch: while rotating, the same page gets ${ITEMS.toLocaleString('en-US')} new items (new ids and objects), prepared in slices that yield; measured until the first new slide shows. The slide-change and switch figures run ${RUNS} times on one page: run 1 rotates the items loaded with the page, each later run the items of the previous run's switch.`,
  async run(ctx): Promise<AreaResult> {
    const harness = join(ctx.root, 'test/pages/display-harness.ts');
    if (!existsSync(harness) || !existsSync(join(ctx.root, 'src/display/bench.ts'))) {
      return {
        status: 'not-measured',
        reason: 'no display harness yet (test/pages/display-harness.ts, src/display/bench.ts)',
      };
    }
    ctx.progress('building the display harness page');
    const pageDir = await buildPage(
      ctx.root,
      ctx.cacheDir,
      'display',
      (toRoot) => `import '${toRoot}/test/pages/display-harness.ts';\n`,
    );
    const server = await serveStatic(pageDir);
    const browser = await ctx.launchChromium();
    try {
      const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
      // Five runs when they fit (each loads 10,000 items); the bench's --runs still caps them.
      const runs = Math.min(RUNS, ctx.runs);
      const load = loadavg()[0];
      // One page: run 1 rotates the 10,000 items loaded with the page, and each
      // run ends with a switch to 10,000 new items, which the next run rotates.
      const benchPage = await context.newPage();
      await openHarness(benchPage, `${server.url}?case=bench&items=${ITEMS}`);
      const samples = await repeat(runs, async (i) => {
        ctx.progress(`slide changes with ${ITEMS} items, then a content switch ${i + 1}/${runs}`);
        const changes = await traced(browser, benchPage, () =>
          benchPage.evaluate((n) => window.gkHarness.bench(n), CHANGES),
        );
        const switched = await traced(browser, benchPage, () =>
          benchPage.evaluate(() => window.gkHarness.switchContent()),
        );
        const cpu = (tasks: [number, number][]) => Math.max(0, ...tasks.map(([, c]) => c));
        return {
          report: changes.result as BenchReport,
          changeCpuMs: cpu(
            tasksBetween(changes.events, 'gk-bench-changes-start', 'gk-bench-changes-end'),
          ),
          switched: switched.result as SwitchReport,
          switchCpuMs: cpu(
            tasksBetween(switched.events, 'gk-bench-switch-start', 'gk-bench-switch-end'),
          ),
        };
      });
      await benchPage.close();
      const reports = samples.map((x) => x.report);
      if (reports.some((r) => r.items !== ITEMS))
        throw new Error(`display harness loaded ${reports[0].items} items, not ${ITEMS}`);

      ctx.progress(`soak: ${HOURS} simulated hours`);
      const page = await context.newPage();
      await openHarness(page, `${server.url}?case=soak`);
      const cdp = await context.newCDPSession(page);
      await cdp.send('HeapProfiler.enable');
      await page.evaluate(() => window.gkHarness.run(0.25));
      const before = await counters(cdp);
      // Simulate in 2-hour chunks under a wall-time budget, so a slow display cannot
      // blow the bench's 10-minute limit; the rows say how many hours were reached.
      const t0 = performance.now();
      let soak = { shown: 0, proof: 0, simulatedHours: 0 };
      while (soak.simulatedHours < HOURS && (performance.now() - t0) / 1000 < SOAK_BUDGET_S) {
        soak = await page.evaluate((h) => window.gkHarness.run(h), 2);
        ctx.progress(`soak: ${soak.simulatedHours.toFixed(1)} simulated h`);
      }
      const soakSeconds = (performance.now() - t0) / 1000;
      const hours = `${Math.round(soak.simulatedHours)} simulated h${soak.simulatedHours < HOURS ? ` (wall-time budget of ${SOAK_BUDGET_S} s reached)` : ''}`;
      const after = await counters(cdp);
      await cdp.detach();
      await context.close();
      return {
        status: 'measured',
        rows: [
          {
            metric: `longest task at a slide change, ${ITEMS.toLocaleString('en-US')} items (long-task observer)`,
            unit: 'ms',
            samples: reports.map((r) => r.longestTaskMs),
            target: { op: '<=', value: 50 },
          },
          {
            metric: 'longest slide change, timed directly',
            unit: 'ms',
            samples: reports.map((r) => r.longestChangeMs),
            target: { op: '<=', value: 50 },
          },
          {
            metric: 'median slide change, timed directly',
            unit: 'ms',
            samples: reports.map((r) => r.medianChangeMs),
          },
          {
            metric: 'longest main-thread task during the slide changes, CPU time (trace)',
            unit: 'ms',
            samples: samples.map((x) => x.changeCpuMs),
            target: { op: '<=', value: 50 },
          },
          {
            metric: `content switch to ${ITEMS.toLocaleString('en-US')} new items while rotating: longest task (long-task observer)`,
            unit: 'ms',
            samples: samples.map((x) => x.switched.longestTaskMs),
            target: { op: '<=', value: 50 },
          },
          {
            metric: 'content switch: longest main-thread task, CPU time (trace)',
            unit: 'ms',
            samples: samples.map((x) => x.switchCpuMs),
          },
          {
            metric: 'content switch: until the new content shows',
            unit: 'ms',
            samples: samples.map((x) => x.switched.switchMs),
          },
          { metric: 'JS heap after 15 simulated min', unit: 'MB', samples: [before.heapMB] },
          { metric: `JS heap after ${hours}`, unit: 'MB', samples: [after.heapMB] },
          { metric: 'DOM nodes after 15 simulated min', unit: 'count', samples: [before.nodes] },
          { metric: `DOM nodes after ${hours}`, unit: 'count', samples: [after.nodes] },
          {
            metric: 'JS event listeners after 15 simulated min',
            unit: 'count',
            samples: [before.listeners],
          },
          {
            metric: `JS event listeners after ${hours}`,
            unit: 'count',
            samples: [after.listeners],
          },
        ],
        notes: [
          `Long-task observer ${reports.every((r) => r.longTaskSupported) ? 'supported' : 'NOT supported'}; long tasks seen per run: ${reports.map((r) => r.longTasks).join(', ')}; during the content switch: ${samples.map((x) => x.switched.longTasks).join(', ')}.`,
          `Load average (1 min) when the slide-change runs started: ${load.toFixed(2)} on ${availableParallelism()} CPUs. Wall-clock task lengths include the time the page waits for a CPU held by other processes; the CPU-time rows (thread time of each main-thread task, from a Chromium trace between performance marks) do not.`,
          `The soak showed ${soak.shown.toLocaleString('en-US')} slides in ${soak.simulatedHours.toFixed(1)} simulated hours (${soakSeconds.toFixed(0)} s of wall time); one soak run, as its counts are deterministic.`,
        ],
      };
    } finally {
      await browser.close();
      await server.close();
    }
  },
};
