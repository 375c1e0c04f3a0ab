// 12 simulated hours of rotation (with hourly alert takeovers) on a fake clock,
// DOM nodes and event listeners read from CDP Memory.getDOMCounters after a
// forced GC. A deliberately leaky test-only slide must fail the same check.
// Also runs the slide-change benchmark once with 10,000 items and saves it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { mkdirSync, writeFileSync } from 'node:fs';
import { launchChromium, OUTPUT_DIR } from '../helpers/browser.ts';
import { CSP } from '../../vite.config.ts';

/** Simulated hours; `npm run test:reliability` sets DISPLAY_SOAK_HOURS=72. */
const HOURS = Number(process.env.DISPLAY_SOAK_HOURS ?? 12);

/** Growth allowed between the warm-up baseline and the end of the soak. */
const BOUNDS = { nodes: 300, jsEventListeners: 20 };

interface Counters {
  documents: number;
  nodes: number;
  jsEventListeners: number;
}

async function serveHarness(): Promise<{ server: ViteDevServer; url: string }> {
  const server = await createServer({
    configFile: false,
    root: '.',
    logLevel: 'silent',
    server: { host: '127.0.0.1', port: 0, headers: { 'Content-Security-Policy': CSP }, hmr: false },
    optimizeDeps: { include: ['qrcode'], entries: ['test/pages/display.html'] },
  });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite dev server did not report a URL');
  return { server, url };
}

/** DOM counters after a forced garbage collection, from the browser, not the app. */
async function counters(page: Page): Promise<Counters> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    return await cdp.send('Memory.getDOMCounters');
  } finally {
    await cdp.detach();
  }
}

/** The check itself: what grew beyond the bounds (empty when memory stayed flat). */
function growth(before: Counters, after: Counters): string[] {
  const out: string[] = [];
  if (after.nodes - before.nodes > BOUNDS.nodes)
    out.push(`DOM nodes grew ${before.nodes} → ${after.nodes}`);
  if (after.jsEventListeners - before.jsEventListeners > BOUNDS.jsEventListeners)
    out.push(`event listeners grew ${before.jsEventListeners} → ${after.jsEventListeners}`);
  return out;
}

describe('gk-display over long runs', () => {
  let browser: Browser;
  let server: ViteDevServer;
  let url: string;

  beforeAll(async () => {
    ({ server, url } = await serveHarness());
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function soak(query: string, hours: number) {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}test/pages/display.html?case=soak&${query}`);
    await page.waitForFunction(() => window.gkHarness !== undefined, undefined, {
      timeout: 45_000,
    });
    await page.evaluate(() => window.gkHarness.ready);
    // Warm up for an hour: Lit template caches, fonts and the first alert are not leaks.
    await page.evaluate(() => window.gkHarness.run(1));
    const before = await counters(page);
    const run = await page.evaluate((h) => window.gkHarness.run(h), hours - 1);
    const after = await counters(page);
    await page.close();
    return { before, after, run, errors };
  }

  it(`keeps DOM nodes and listeners bounded over ${HOURS} simulated hours`, async () => {
    const { before, after, run, errors } = await soak('', HOURS);
    console.log(`display soak ${HOURS} h:`, JSON.stringify({ before, after, run }));
    expect(errors).toEqual([]);
    expect(run.simulatedHours).toBeGreaterThanOrEqual(HOURS);
    // Hundreds of slides were really shown, and the proof log stayed bounded.
    expect(run.shown).toBeGreaterThan(HOURS * 60);
    expect(run.proof).toBeLessThanOrEqual(5000);
    expect(growth(before, after)).toEqual([]);
  }, 240_000);

  it('the same check catches a deliberately leaky slide', async () => {
    // Three hours are plenty for the leak to show; the check is the same function.
    const { before, after } = await soak('leaky=1', 3);
    console.log('leaky soak 3 h:', JSON.stringify({ before, after }));
    const found = growth(before, after);
    expect(found.length).toBeGreaterThan(0);
    expect(found.join()).toMatch(/event listeners grew/);
  }, 240_000);

  it('reports the longest task at a slide change with 10,000 items', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`${url}test/pages/display.html?case=bench&items=10000`);
    await page.waitForFunction(() => window.gkHarness !== undefined, undefined, {
      timeout: 45_000,
    });
    await page.evaluate(() => window.gkHarness.ready);
    const report = await page.evaluate(() => window.gkHarness.bench(30));
    await page.close();
    console.log('display slide-change bench:', JSON.stringify(report));
    mkdirSync(OUTPUT_DIR, { recursive: true });
    writeFileSync(`${OUTPUT_DIR}/display-bench.json`, JSON.stringify(report, null, 2));
    // Numbers are judged by `npm run bench`; here only that they were measured.
    expect(report.items).toBe(10_000);
    expect(report.changes).toBe(30);
    expect(report.longestChangeMs).toBeGreaterThan(0);
    expect(report.longTaskSupported).toBe(true);
  }, 120_000);
});
