import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { CSP } from '../../vite.config.ts';
import { checkedScreenshot, launchChromium } from '../helpers/browser.ts';

// The touch kiosk on its harness page (test/pages/kiosk.html), served by a
// Vite dev server under the app's CSP plus the `dompurify` Trusted Types
// policy the notice reader needs (the shell's CSP must list it too).
// The app's CSP already allows the dompurify policy the notice view needs.
const KIOSK_CSP = CSP;

const VIEWPORTS = {
  landscape: { width: 1920, height: 1080 },
  portrait: { width: 1080, height: 1920 },
} as const;

const inKiosk = (page: Page, css: string) => page.locator(`gk-kiosk ${css}`);

async function pressKeys(page: Page, keys: string[]) {
  for (const k of keys) await inKiosk(page, `gk-keyboard button[data-key="${k}"]`).click();
}

describe('touch kiosk harness', () => {
  let browser: Browser;
  let server: ViteDevServer;
  let base: string;

  beforeAll(async () => {
    server = await createServer({
      logLevel: 'silent',
      cacheDir: 'node_modules/.vite-kiosk-e2e',
      server: {
        port: 0,
        host: '127.0.0.1',
        hmr: false,
        headers: { 'Content-Security-Policy': KIOSK_CSP },
      },
      optimizeDeps: {
        entries: ['test/pages/kiosk.html'],
        include: ['qrcode', 'dompurify', 'pinyin-pro', 'opencc-js/cn2t', 'lit'],
      },
    });
    await server.listen();
    const url = server.resolvedUrls?.local[0];
    if (!url) throw new Error('vite dev server did not report a URL');
    base = `${url}test/pages/kiosk.html`;
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(viewport: { width: number; height: number }, query = '') {
    const context = await browser.newContext({ viewport, locale: 'zh-CN' });
    await context.clock.install({ time: new Date('2026-11-24T02:00:00Z') });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      // The test notice's body carries an onerror handler on purpose: Chromium reports the
      // CSP blocking it while DOMPurify parses the body in an inert document (before the
      // handler is stripped). That report is the defence working, not an error.
      const blockedWhileSanitising =
        m.text().includes('inline event handler') && m.location().url.includes('/dompurify');
      if (m.type() === 'error' && !blockedWhileSanitising) errors.push(m.text());
    });
    const response = await page.goto(`${base}${query}`);
    expect(response?.headers()['content-security-policy']).toContain(
      'trusted-types lit-html dompurify',
    );
    await page.waitForSelector('html[data-ready="true"]', { timeout: 30_000 });
    return { context, page, errors };
  }

  // The privacy reset (query and item left nowhere, heap included) is tested on the built app:
  // test/e2e/kiosk-built.e2e.ts. This harness keeps the screenshots of every screen.

  // Ten screenshots per mode; the time limit allows for a loaded 2-core machine.
  for (const elder of [false, true])
    it(`screenshots every screen in landscape and portrait, ${elder ? 'elder' : 'normal'} mode`, async () => {
      const mode = elder ? 'elder' : 'normal';
      const { context, page, errors } = await open(VIEWPORTS.landscape, elder ? '?elder=1' : '');
      for (const [orientation, viewport] of Object.entries(VIEWPORTS)) {
        await page.setViewportSize(viewport);
        const shot = (screen: string) =>
          checkedScreenshot(page, `kiosk-${screen}-${orientation}-${mode}`);
        await inKiosk(page, 'button.start').waitFor();
        await shot('attract');
        await inKiosk(page, 'button.start').click();
        await inKiosk(page, 'gk-home h2').first().waitFor();
        await shot('home');
        await inKiosk(page, 'nav button').filter({ hasText: '搜索' }).click();
        await pressKeys(page, ['z', 'w']);
        await expect.poll(() => inKiosk(page, '[part="result"]').count()).toBeGreaterThan(0);
        await shot('search');
        // The richest items (body with a link, task table, attachments; materials and procedure).
        await page.evaluate(() => document.querySelector('gk-kiosk')!.openItem('n-plan'));
        await inKiosk(page, 'gk-notice-view gk-qr svg').first().waitFor();
        await shot('notice');
        await inKiosk(page, 'nav button').filter({ hasText: '首页' }).click();
        await inKiosk(page, 'gk-home [part="tile"][data-id="g-ysq"]').click();
        await inKiosk(page, 'gk-guide-view gk-flowchart svg').waitFor();
        await shot('guide');
        await page.evaluate(() => document.querySelector('gk-kiosk')!.resetSession());
      }
      expect(errors, errors.join('\n')).toEqual([]);
      await context.close();
    }, 120_000);
});
