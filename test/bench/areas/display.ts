// Display: longest task at a slide change with 10,000 items, and heap, DOM
// nodes and listeners after 24 simulated hours of rotation, on the display
// harness page (test/pages/display-harness.ts) built for production.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { buildPage } from '../lib/build-page.ts';
import { serveStatic } from '../lib/server.ts';
import { repeat } from '../lib/stats.ts';
import type { Area, AreaResult } from '../lib/types.ts';

const ITEMS = 10_000;
const CHANGES = 40;
const HOURS = 24;
/** Wall-time budget of the soak, in seconds. */
const SOAK_BUDGET_S = 150;

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
  description: `The reading-room display (\`<gk-display>\`) on its harness page (\`test/pages/display-harness.ts\`, built with Vite for production) in headless Chromium at 1920×1080 with a fake clock. Slide change: ${ITEMS.toLocaleString('en-US')} items loaded, the clock jumped to ${CHANGES} successive slide changes, each in its own task (\`src/display/bench.ts\`): the longest PerformanceObserver long task (0 when no task reached 50 ms) and the longest change timed directly (heartbeat, render, style and layout). Soak: the demo content with an alert every simulated hour, ${HOURS} simulated hours of rotation; JS heap (CDP \`Runtime.getHeapUsage\`), DOM nodes and JS event listeners (CDP \`Memory.getDOMCounters\`) after a forced GC, at the start and after ${HOURS} h (or as many simulated hours as fit in ${SOAK_BUDGET_S} s of wall time). The slide-change figure runs 3 times: each run loads 10,000 items.`,
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
      const reports = await repeat(ctx.slowRuns, async (i) => {
        ctx.progress(`slide changes with ${ITEMS} items ${i + 1}/${ctx.slowRuns}`);
        const page = await context.newPage();
        await openHarness(page, `${server.url}?case=bench&items=${ITEMS}`);
        const report = await page.evaluate((n) => window.gkHarness.bench(n), CHANGES);
        await page.close();
        return report as BenchReport;
      });
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
          `Long-task observer ${reports.every((r) => r.longTaskSupported) ? 'supported' : 'NOT supported'}; long tasks seen per run: ${reports.map((r) => r.longTasks).join(', ')}.`,
          `The soak showed ${soak.shown.toLocaleString('en-US')} slides in ${soak.simulatedHours.toFixed(1)} simulated hours (${soakSeconds.toFixed(0)} s of wall time); one soak run, as its counts are deterministic.`,
        ],
      };
    } finally {
      await browser.close();
      await server.close();
    }
  },
};
