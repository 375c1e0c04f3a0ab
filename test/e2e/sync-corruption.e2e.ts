// Real corruption: with the browser stopped, garble the LevelDB files of the
// profile's IndexedDB store, relaunch on the same profile, and check that the
// kiosk says what is happening (never a blank page) and re-syncs the content.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext } from 'playwright-core';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, findChromium } from '../helpers/chromium.mjs';
import { checkedScreenshot, shownCount } from '../helpers/browser.ts';
import { startBundleServer, type BundleServer } from '../helpers/bundle-server.ts';
import { demoItems, makeBundle } from '../helpers/make-bundle.ts';

const items = demoItems();

describe('a corrupted IndexedDB store', () => {
  let server: BundleServer;
  let profile: string;

  beforeAll(async () => {
    server = await startBundleServer();
    server.bundle = makeBundle({ items, version: 3 }).files;
    profile = mkdtempSync(join(tmpdir(), 'gk-corrupt-'));
  });
  afterAll(async () => {
    await server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  const launch = (): Promise<BrowserContext> =>
    chromium.launchPersistentContext(profile, {
      executablePath: findChromium() ?? undefined,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1920, height: 1080 },
    });

  it('is deleted and re-synced, with a clear status meanwhile', async () => {
    let context = await launch();
    let page = context.pages()[0] ?? (await context.newPage());
    await page.goto(server.url);
    const count = () => shownCount(page);
    await expect.poll(count, { timeout: 20_000 }).toBe(items.length);
    await context.close();

    // Garble every file of the origin's LevelDB store while the browser is stopped.
    const port = new URL(server.url).port;
    const dir = join(profile, 'Default', 'IndexedDB', `http_127.0.0.1_${port}.indexeddb.leveldb`);
    const files = readdirSync(dir).filter((f) => f !== 'LOCK');
    let garbled = 0;
    for (const f of files) {
      const size = statSync(join(dir, f)).size;
      writeFileSync(join(dir, f), randomBytes(Math.max(size, 64)));
      garbled++;
    }
    expect(garbled).toBeGreaterThan(0);

    // The server is slow now, so the recovery status is on screen long enough to see.
    server.faults = { delayMs: { match: () => true, ms: 2000 } };
    context = await launch();
    page = context.pages()[0] ?? (await context.newPage());
    const banners: string[] = [];
    const logs: string[] = [];
    page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
    await page.goto(server.url);
    await page
      .locator('gk-status-banner')
      .waitFor({ state: 'attached', timeout: 20_000 })
      .catch((e: Error) => {
        throw new Error(`${e.message}\npage logs:\n${logs.join('\n')}`);
      });
    const started = Date.now();
    while ((await count()) < items.length && Date.now() - started < 30_000) {
      banners.push((await page.locator('gk-status-banner p').allTextContents()).join(' '));
      if (banners.length === 3) await checkedScreenshot(page, 'sync-corruption-recovering');
      await page.waitForTimeout(200);
    }
    // Before the content came back, the screen said what was happening.
    expect(banners.join('\n')).toMatch(/损坏|正在同步|正在加载/);
    expect(banners.filter((b) => b.trim() === '').length).toBe(0);
    expect(await count()).toBe(items.length);
    await context.close();
  });
});
