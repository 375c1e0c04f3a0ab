// <gk-display> end to end, on test/pages/display.html served by a Vite dev server
// under the app's CSP (one server and browser for all, the slow part on 2 cores):
// - screenshots of every slide type in both orientations;
// - reliability case `soak` (issue #11): simulated days of rotation with hourly
//   alert takeovers, hourly visitor sessions (the display detached and
//   re-attached) and a daily content update, on a fake clock; JS heap, DOM
//   nodes and event listeners read from CDP after a forced GC, one line per
//   simulated day; 12 hours in `npm test`, 7 days with RELIABILITY_FULL=1;
//   a deliberately leaky test-only slide must fail the same check;
// - reliability case `offline-30d`: 30 simulated days without a sync (3 in
//   `npm test`): content keeps showing, items leave the rotation the day
//   after their last day, the stale-content banner appears after the
//   configured days; one trial per simulated day;
// - the slide-change benchmark once with 10,000 items (numbers saved, judged by npm run bench).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { mkdirSync, writeFileSync } from 'node:fs';
import { checkedScreenshot, launchChromium, OUTPUT_DIR } from '../helpers/browser.ts';
import { recordTrial, RELIABILITY_FULL, type ReliabilityCase } from '../helpers/reliability.ts';
import { CSP } from '../../vite.config.ts';

/**
 * Simulated hours of the soak: 12 in `npm test` (DISPLAY_SOAK_HOURS changes
 * that for a manual run), always 7 days (168) in the reliability run, which
 * issue #11 asks for.
 */
const HOURS = RELIABILITY_FULL ? 168 : Number(process.env.DISPLAY_SOAK_HOURS ?? 12);

/** Simulated offline days: 3 in `npm test`, 30 in the reliability run. */
const OFFLINE_DAYS = RELIABILITY_FULL ? 30 : 3;
/** The stale banner's threshold in the offline case (display.staleAfterDays). */
const STALE_AFTER_DAYS = RELIABILITY_FULL ? 7 : 2;

/**
 * Growth allowed over the baseline taken after a one-hour warm-up. DOM
 * nodes: the largest slide (a paged task table) has about 150 more nodes
 * than the smallest, so 300 leaves room for whichever slide is on screen and
 * still catches one leaked slide a day (4,000+ slides a day). Listeners: the
 * display's set is fixed (about 15); 20 catches one leaked listener per
 * hour. Heap: the proof-of-display ring (5,000 entries) fills during the
 * first day and is then flat, about 1 MB; 6 MB allows for it and for V8's
 * code and feedback caches, while a leak of one slide per change (a few KB
 * times 4,000 changes) passes it on the first day.
 */
const BOUNDS = { nodes: 300, jsEventListeners: 20, heapMB: 6 };

interface Counters {
  documents: number;
  nodes: number;
  jsEventListeners: number;
  heapMB: number;
}

const SOAK: ReliabilityCase = {
  id: 'soak',
  title: 'Soak: 7 simulated days of rotation and visitor sessions',
  failures: 'simulated days with heap, DOM-node or listener growth past the bound',
  how: 'The reading-room display on a fake clock (test/e2e/display.e2e.ts): slide changes, an alert takeover every hour, a 5-minute visitor session every hour (the display detached and re-attached, as the touch shell does; the touch views themselves are not driven here) and a content update every day; JS heap, DOM nodes and listeners from CDP after a forced GC, per simulated day, against the baseline after a 1-hour warm-up (bounds: +6 MB, +300 nodes, +20 listeners).',
};

const OFFLINE: ReliabilityCase = {
  id: 'offline-30d',
  title: 'Offline for 30 simulated days',
  failures:
    'simulated days with a blank screen, an item shown past its last day, a valid item not shown, or a wrong stale banner',
  how: 'The reading-room display with no sync for 30 days on a fake clock (test/e2e/display.e2e.ts): 35 items, one ending (showUntil or validUntil) on each day; each day every item shown is checked against the items whose last day has not passed, and the stale-content banner at noon against display.staleAfterDays.',
};

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

/** DOM counters and JS heap after a forced garbage collection, from the browser, not the app. */
async function counters(page: Page): Promise<Counters> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const dom = await cdp.send('Memory.getDOMCounters');
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    return { ...dom, heapMB: heap.usedSize / 2 ** 20 };
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
  if (after.heapMB - before.heapMB > BOUNDS.heapMB)
    out.push(`JS heap grew ${before.heapMB.toFixed(1)} → ${after.heapMB.toFixed(1)} MB`);
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
    // Starting Vite and Chromium takes over a minute on a loaded 2-core machine.
  }, 180_000);
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
      // The dev server transforms every module on first load: over 30 s on a loaded 2-core machine.
      await page.goto(`${url}test/pages/display.html?case=${kase}&orientation=${orientation}`, {
        timeout: 120_000,
      });
      await page.waitForFunction(() => window.gkHarness !== undefined, undefined, {
        timeout: 120_000,
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
      }, 180_000);
    }
  }

  /** Closes the screenshot pages: they must not share counters with a soak. */
  async function closeScreenshotPages() {
    for (const p of pages.values()) await p.page.close();
    pages.clear();
  }

  async function openCase(query: string): Promise<{ page: Page; errors: string[] }> {
    await closeScreenshotPages();
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}test/pages/display.html?${query}`, { timeout: 120_000 });
    await page.waitForFunction(() => window.gkHarness !== undefined, undefined, {
      timeout: 120_000,
    });
    await page.evaluate(() => window.gkHarness.ready);
    return { page, errors };
  }

  /**
   * Runs the soak for `hours` after a one-hour warm-up (Lit template caches,
   * fonts and the first alert are not leaks), calling `onDay` with the
   * counters after every simulated day and at the end.
   */
  async function soak(
    query: string,
    hours: number,
    onDay: (day: number, c: Counters, before: Counters) => void = () => {},
  ) {
    const { page, errors } = await openCase(`case=soak&${query}`);
    await page.evaluate(() => window.gkHarness.run(1));
    const before = await counters(page);
    let done = 1;
    let run = { shown: 0, proof: 0, simulatedHours: 0 };
    while (done < hours) {
      const chunk = Math.min(24 - (done % 24), hours - done);
      run = await page.evaluate((h) => window.gkHarness.run(h), chunk);
      done += chunk;
      onDay(done / 24, await counters(page), before);
    }
    const after = await counters(page);
    const life = await page.evaluate(() => window.gkHarness.life());
    await page.close();
    return { before, after, run, life, errors };
  }

  it(`soak: heap, DOM nodes and listeners stay bounded over ${HOURS} simulated hours, per day`, async () => {
    const days: string[] = [];
    const { before, after, run, life, errors } = await soak('', HOURS, (day, c, base) => {
      const found = growth(base, c);
      const data = {
        day: Number(day.toFixed(2)),
        heapMB: Number(c.heapMB.toFixed(2)),
        nodes: c.nodes,
        listeners: c.jsEventListeners,
      };
      days.push(JSON.stringify(data));
      recordTrial(SOAK, {
        trial: `day ${data.day}`,
        ok: found.length === 0,
        detail: found.length
          ? found.join('; ')
          : `heap ${data.heapMB} MB, ${c.nodes} nodes, ${c.jsEventListeners} listeners (baseline ${base.heapMB.toFixed(2)} MB, ${base.nodes}, ${base.jsEventListeners})`,
        data,
      });
    });
    console.log(`display soak ${HOURS} h:`, JSON.stringify({ before, after, run, life }), days);
    expect(errors).toEqual([]);
    expect(run.simulatedHours).toBeGreaterThanOrEqual(HOURS);
    // Hundreds of slides were really shown, and the proof log stayed bounded.
    expect(run.shown).toBeGreaterThan(HOURS * 60);
    expect(run.proof).toBeLessThanOrEqual(5000);
    // Visitor sessions and (past a simulated midnight) content updates really happened.
    expect(life.visits).toBeGreaterThanOrEqual(HOURS - 2);
    if (HOURS > 24) expect(life.updates).toBeGreaterThanOrEqual(Math.floor(HOURS / 24) - 1);
    expect(growth(before, after)).toEqual([]);
  }, 600_000);

  it('the same check catches a deliberately leaky slide', async () => {
    // Two hours are plenty for the leak to show; the check is the same function.
    const { before, after } = await soak('leaky=1', 2);
    console.log('leaky soak 2 h:', JSON.stringify({ before, after }));
    const found = growth(before, after);
    expect(found.length).toBeGreaterThan(0);
    expect(found.join()).toMatch(/event listeners grew/);
  }, 240_000);

  it(`offline-30d: ${OFFLINE_DAYS} simulated days offline, items leave on time, stale banner after ${STALE_AFTER_DAYS} days`, async () => {
    const { page, errors } = await openCase(`case=offline&stale=${STALE_AFTER_DAYS}`);
    const generated = Date.parse('2026-11-23T08:30:00+08:00');
    const failures: string[] = [];
    for (let d = 1; d <= OFFLINE_DAYS; d++) {
      const day = await page.evaluate(() => window.gkHarness.offlineDay());
      // Independent of the display's code: the harness gives offline-k the last day k.
      const expected = [
        ...[1, 2, 3, 4, 5].map((k) => `permanent-${k}`),
        ...Array.from({ length: 30 }, (_, i) => i + 1)
          .filter((k) => k >= d)
          .map((k) => `offline-${k}`),
      ].sort();
      const late = day.ids.filter((id) => !expected.includes(id));
      const missing = expected.filter((id) => !day.ids.includes(id));
      const noonAge = Date.parse(`${day.date}T12:00:00+08:00`) - generated;
      const staleExpected = noonAge > STALE_AFTER_DAYS * 86_400_000;
      const problems = [
        ...(day.day !== d ? [`simulated day ${day.day}, expected ${d}`] : []),
        ...(day.slideAtNoon ? [] : ['no slide on screen at noon']),
        ...(late.length ? [`shown past their last day: ${late.join(', ')}`] : []),
        ...(missing.length ? [`valid but not shown: ${missing.join(', ')}`] : []),
        ...(!!day.staleAtNoon !== staleExpected
          ? [
              `stale banner ${day.staleAtNoon ? 'shown' : 'missing'} at ${(noonAge / 86_400_000).toFixed(1)} days`,
            ]
          : []),
      ];
      recordTrial(OFFLINE, {
        trial: `day ${d}`,
        ok: problems.length === 0,
        detail: problems.length
          ? problems.join('; ')
          : `${day.date}: ${day.ids.length} items shown in ${day.slides} slides${day.staleAtNoon ? ', stale banner' : ''}`,
        data: {
          day: d,
          date: day.date,
          itemsShown: day.ids.length,
          slides: day.slides,
          stale: !!day.staleAtNoon,
        },
      });
      if (problems.length) failures.push(`day ${d} (${day.date}): ${problems.join('; ')}`);
    }
    await page.close();
    expect(errors).toEqual([]);
    expect(failures).toEqual([]);
  }, 600_000);

  it('reports the longest task at a slide change with 10,000 items', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`${url}test/pages/display.html?case=bench&items=10000`, { timeout: 120_000 });
    await page.waitForFunction(() => window.gkHarness !== undefined, undefined, {
      timeout: 120_000,
    });
    await page.evaluate(() => window.gkHarness.ready);
    const report = await page.evaluate(() => window.gkHarness.bench(10));
    await page.close();
    console.log('display slide-change bench:', JSON.stringify(report));
    mkdirSync(OUTPUT_DIR, { recursive: true });
    writeFileSync(`${OUTPUT_DIR}/display-bench.json`, JSON.stringify(report, null, 2));
    // Numbers are judged by `npm run bench`; here only that they were measured.
    expect(report.items).toBe(10_000);
    expect(report.changes).toBe(10);
    expect(report.longestChangeMs).toBeGreaterThan(0);
    expect(report.longTaskSupported).toBe(true);
  }, 120_000);
});
