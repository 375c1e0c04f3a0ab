import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { PreviewServer } from 'vite';
import { readFileSync } from 'node:fs';
import {
  checkedScreenshot,
  launchChromium,
  servePreview,
  shownCount,
  shownTitles,
} from '../helpers/browser.ts';

/** Titles of the items in the signed demo bundle that `npm run build` writes to dist/bundles/demo. */
function bundleTitles(dir = 'dist/bundles/demo'): string[] {
  const read = (p: string) => JSON.parse(readFileSync(`${dir}/${p}`, 'utf8')) as unknown;
  const manifest = read('manifest.json') as { indexes: { path: string }[] };
  const titles: string[] = [];
  for (const ref of manifest.indexes) {
    for (const entry of (read(ref.path) as { items: { path: string }[] }).items) {
      const { item } = read(entry.path) as {
        item: { kind: string; title?: { 'zh-Hans': string }; itemName?: { 'zh-Hans': string } };
      };
      titles.push(
        (item.kind === 'notice' ? item.title?.['zh-Hans'] : item.itemName?.['zh-Hans']) ?? '',
      );
    }
  }
  return titles;
}
const demoTitles = bundleTitles();

describe('the built app', () => {
  let browser: Browser;
  let server: PreviewServer;
  let url: string;

  beforeAll(async () => {
    ({ url, server } = await servePreview());
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the demo notices in Chinese from IndexedDB, under the CSP, and a legible screenshot', async () => {
    const context = await browser.newContext({
      viewport: { width: 1920, height: 1080 },
      locale: 'zh-CN',
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      // Requests fail once the test cuts the network below; everything else is an error.
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text());
    });
    const response = await page.goto(url);
    expect(response?.headers()['content-security-policy']).toContain(
      "require-trusted-types-for 'script'",
    );

    await expect.poll(() => shownCount(page), { timeout: 15_000 }).toBe(demoTitles.length);
    const shown = await shownTitles(page);
    expect(new Set(shown)).toEqual(new Set(demoTitles));
    expect(shown.join('')).toMatch(/政务公开/);
    // It is the signed bundle, verified and stored, with no error on screen.
    expect((await page.locator('gk-status-banner p').allTextContents()).join(' ')).not.toMatch(
      /失败|错误/,
    );

    // The rotation paints one of them, with the kiosk's name, and the demo mark.
    await expect
      .poll(
        async () =>
          demoTitles.includes(
            (await page.locator('gk-slide h2').first().textContent())?.trim() ?? '',
          ),
        {
          timeout: 15_000,
        },
      )
      .toBe(true);
    await expect
      .poll(() => page.locator('gk-display header').textContent())
      .toContain('政务公开查阅终端');
    await expect.poll(() => page.locator('gk-display .watermark').textContent()).toBe('演示');

    // The items came from IndexedDB, not from memory: they survive a reload with the network cut.
    const stored = await page.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const req = indexedDB.open('gongkai');
          req.onsuccess = () => {
            const tx = req.result.transaction(['meta', 'versions'], 'readonly');
            const active = tx.objectStore('meta').get('active');
            active.onsuccess = () => {
              const record = tx.objectStore('versions').get(active.result.version);
              record.onsuccess = () => resolve(record.result.itemCount);
            };
          };
          req.onerror = () => reject(req.error);
        }),
    );
    expect(stored).toBe(demoTitles.length);
    await page.route('**/bundles/demo/**', (route) => route.abort());
    await page.reload();
    await expect.poll(() => shownCount(page), { timeout: 15_000 }).toBe(demoTitles.length);

    await checkedScreenshot(page, 'start-1920x1080');
    expect(errors, errors.join('\n')).toEqual([]);
    await context.close();
  });

  it('names the file, field and problem of a bad configuration and falls back instead of going blank', async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    await page.goto(`${url}?kiosk=no-such-kiosk`);
    const banner = page.locator('gk-status-banner p');
    await expect
      .poll(async () => (await banner.allTextContents()).join(' '), { timeout: 15_000 })
      .toContain('kiosk-config/no-such-kiosk.json');
    await expect.poll(() => shownCount(page), { timeout: 15_000 }).toBeGreaterThan(0);
    await checkedScreenshot(page, 'config-error-fallback');
    await context.close();
  });
});
