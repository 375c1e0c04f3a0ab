// <gk-display> end to end, on test/pages/display.html served by a Vite dev server
// under the app's CSP (one server and browser for all, the slow part on 2 cores):
// - screenshots of every slide type in both orientations;
// - 12 simulated hours of rotation (with hourly alert takeovers) on a fake clock,
//   DOM nodes and event listeners read from CDP Memory.getDOMCounters after a
//   forced GC; a deliberately leaky test-only slide must fail the same check;
// - the slide-change benchmark once with 10,000 items (numbers saved, judged by npm run bench).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { mkdirSync, writeFileSync } from 'node:fs';
import { checkedScreenshot, launchChromium, OUTPUT_DIR } from '../helpers/browser.ts';
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

/** A dev server for the harness pages, with the production CSP header. */
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

const SIZES = {
  landscape: { width: 1920, height: 1080 },
  portrait: { width: 1080, height: 1920 },
} as const;

describe('gk-display end to end', () => {
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

  /** One page per orientation: loading the harness is the slow part on a busy machine. */
  const pages = new Map<keyof typeof SIZES, { page: Page; errors: string[] }>();
  async function open(
    kase: string,
    orientation: keyof typeof SIZES,
  ): Promise<{ page: Page; errors: string[] }> {
    let entry = pages.get(orientation);
    if (!entry) {
      const page = await browser.newPage({ viewport: SIZES[orientation], locale: 'zh-CN' });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(`${url}test/pages/display.html?case=${kase}&orientation=${orientation}`);
      await page.waitForFunction(() => window.gkHarness !== undefined, undefined, {
        timeout: 45_000,
      });
      await page.evaluate(() => window.gkHarness.ready);
      entry = { page, errors };
      pages.set(orientation, entry);
    }
    await entry.page.evaluate(([k, o]) => window.gkHarness.show(k, o), [
      kase,
      orientation,
    ] as const);
    // Let the entry animation finish before the picture.
    await entry.page.waitForTimeout(900);
    return entry;
  }

  const cases: [string, (p: Page) => Promise<void>][] = [
    [
      'notice-summary',
      async (p) => {
        await expect.poll(() => p.locator('gk-slide h2').textContent()).toContain('政务公开栏');
        expect(await p.locator('gk-slide gk-qr svg path').count()).toBe(1);
        expect(await p.locator('gk-slide .summary').textContent()).toBeTruthy();
      },
    ],
    [
      'notice-tasks',
      async (p) => {
        expect(await p.locator('gk-slide tbody tr').count()).toBeGreaterThan(0);
        expect(await p.locator('gk-slide .page').textContent()).toMatch(/第 1\/\d+ 页/);
      },
    ],
    [
      'guide',
      async (p) => {
        expect(await p.locator('gk-slide ol li').count()).toBeGreaterThan(2);
        expect(await p.locator('gk-slide gk-qr').count()).toBe(1);
      },
    ],
    [
      'alert',
      async (p) => {
        expect(await p.locator('gk-alert-takeover [role=alert]').textContent()).toContain(
          '红色预警',
        );
      },
    ],
    [
      'closed',
      async (p) => {
        expect(await p.locator('gk-display .card h2').textContent()).toBe('现已闭馆');
      },
    ],
  ];

  for (const orientation of ['landscape', 'portrait'] as const) {
    for (const [kase, check] of cases) {
      it(`${kase} in ${orientation}: renders under the CSP, fits the screen, screenshot saved`, async () => {
        const { page, errors } = await open(kase, orientation);
        {
          await check(page);
          // Large type for 3 m: body text of the slide at least 36 CSS px on a 1080p screen.
          const px = await page.evaluate(() => {
            const screen = document
              .querySelector('gk-display')!
              .shadowRoot!.querySelector('.screen')!;
            return parseFloat(getComputedStyle(screen).fontSize);
          });
          expect(px).toBeGreaterThanOrEqual(36);
          // Paged, not cut: the slide body shows all of this page's content.
          const clipped = await page.evaluate(() => {
            const slide = document
              .querySelector('gk-display')!
              .shadowRoot!.querySelector('gk-slide');
            const body = slide?.shadowRoot!.querySelector<HTMLElement>('.body');
            return body ? body.scrollHeight - body.clientHeight : 0;
          });
          expect(clipped).toBeLessThanOrEqual(1);
          expect(await page.locator('gk-display .watermark').textContent()).toBe('演示');
          await checkedScreenshot(page, `display-${kase}-${orientation}`);
          expect(errors, errors.join('\n')).toEqual([]);
        }
      });
    }
  }

  async function soak(query: string, hours: number) {
    // The screenshot pages are done; closed, they cannot share counters with the soak.
    for (const p of pages.values()) await p.page.close();
    pages.clear();
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
    // Two hours are plenty for the leak to show; the check is the same function.
    const { before, after } = await soak('leaky=1', 2);
    console.log('leaky soak 2 h:', JSON.stringify({ before, after }));
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
