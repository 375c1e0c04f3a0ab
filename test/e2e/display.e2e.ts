// Screenshots of every slide type of <gk-display> in both orientations,
// rendered from test/pages/display.html by a Vite dev server under the app's CSP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { checkedScreenshot, launchChromium } from '../helpers/browser.ts';
import { CSP } from '../../vite.config.ts';

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

const SIZES = {
  landscape: { width: 1920, height: 1080 },
  portrait: { width: 1080, height: 1920 },
} as const;

describe('gk-display slides', () => {
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
});
