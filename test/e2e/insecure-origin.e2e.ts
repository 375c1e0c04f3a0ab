// The built app served over plain http from an intranet host name (issue #17):
// http://kiosk.lan:PORT/ mapped to loopback. Not a secure context, so no
// crypto.subtle, OPFS, service worker or Wake Lock. The kiosk still shows
// verified content (pure-JS verification, IndexedDB storage), refuses a
// tampered bundle under its true cause, says once that it cannot start offline,
// and its search and admin panel work.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../helpers/chromium.mjs';
import { checkedScreenshot, shownTitles } from '../helpers/browser.ts';
import { startBundleServer, type BundleServer } from '../helpers/bundle-server.ts';
import { adminCheckNow, bannerText, kioskStatus } from '../helpers/kiosk-probe.ts';
import { demoItems, makeBundle, newKey } from '../helpers/make-bundle.ts';
import { INSECURE_ORIGIN_NOTICE } from '../../src/sync/status.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const HOST = 'kiosk.lan';
const DIST = process.env.GK_E2E_DIST ?? 'dist';

/** The demo bundle `npm run build` wrote (with its search data, signed by the demo key). */
function builtDemoBundle(): { files: Map<string, Uint8Array>; version: number; count: number } {
  const root = join(DIST, 'bundles/demo');
  const files = new Map<string, Uint8Array>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else files.set(relative(root, p), new Uint8Array(readFileSync(p)));
    }
  };
  walk(root);
  const manifest = JSON.parse(new TextDecoder().decode(files.get('manifest.json'))) as {
    version: number;
    itemCount: number;
  };
  return { files, version: manifest.version, count: manifest.itemCount };
}

const v1 = builtDemoBundle();
const items = demoItems();

/** How often `needle` occurs in `text`. */
const occurrences = (text: string, needle: string) => text.split(needle).length - 1;

describe('a kiosk on plain http from an intranet host', () => {
  let browser: Browser;
  let server: BundleServer;
  let page: Page;
  const errors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    server = await startBundleServer(DIST);
    server.bundle = v1.files;
    const executablePath = findChromium();
    if (!executablePath) throw new Error('No Chromium found: run `node test/find-chromium.mjs`.');
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args: [...CHROMIUM_ARGS, `--host-resolver-rules=MAP ${HOST} 127.0.0.1`],
    });
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    page = await context.newPage();
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      // 404s: the alerts file and the favicon are not published here.
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text());
    });
    const { port } = new URL(server.url);
    await page.goto(`http://${HOST}:${port}/?sync-timeout-ms=3000`);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('is an insecure context without WebCrypto, OPFS, service worker or Wake Lock', async () => {
    expect(await page.evaluate(() => location.hostname)).toBe(HOST);
    expect(
      await page.evaluate(() => ({
        secure: isSecureContext,
        subtle: typeof globalThis.crypto?.subtle,
        storage: typeof (navigator as Partial<Navigator>).storage,
        serviceWorker: 'serviceWorker' in navigator,
        wakeLock: 'wakeLock' in navigator,
      })),
    ).toEqual({
      secure: false,
      subtle: 'undefined',
      storage: 'undefined',
      serviceWorker: false,
      wakeLock: false,
    });
  });

  it('shows the verified content from IndexedDB', async () => {
    await expect
      .poll(async () => (await shownTitles(page)).length, { timeout: 20_000 })
      .toBe(v1.count);
    const status = await kioskStatus(page);
    expect(status?.activeVersion).toBe(v1.version);
    expect(status?.lastError).toBeNull();
    await checkedScreenshot(page, 'insecure-origin-content');
  });

  it('says once in the status line that it cannot start offline', async () => {
    const banner = await bannerText(page);
    expect(occurrences(banner, INSECURE_ORIGIN_NOTICE)).toBe(1);
    expect(INSECURE_ORIGIN_NOTICE).toBe(
      '此终端以 http 方式访问：断网后重启无法离线启动，请改用 https 或本机地址',
    );
  });

  it('finds notices with the on-screen keyboard', async () => {
    const kiosk = (css: string) => page.locator(`gk-kiosk ${css}`);
    await kiosk('button.start').click();
    await kiosk('nav button').filter({ hasText: '搜索' }).click();
    for (const k of ['z', 'w', 'g', 'k'])
      await kiosk(`gk-keyboard button[data-key="${k}"]`).click();
    await expect
      .poll(() => kiosk('[part="result"]').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    await page.evaluate(() => document.querySelector('gk-kiosk')?.resetSession());
  });

  it('opens the admin panel (PIN hashed in pure JS), which says it once too', async () => {
    await page.keyboard.press('Control+Shift+A');
    const panel = page.locator('gk-admin-panel');
    await panel.locator('#pin').fill('0000');
    await panel.locator('button[type=submit]').click();
    await expect.poll(() => panel.locator('.error').textContent()).toContain('密码错误');
    await panel.locator('#pin').fill('123456');
    await panel.locator('button[type=submit]').click();
    await expect.poll(() => panel.locator('dl').first().textContent()).toContain('当前版本');
    // No navigator.storage here: no persistence grant, and the panel says why.
    expect(await panel.locator('dl').first().textContent()).toMatch(
      /持久存储\s*不可用（http 方式访问/,
    );
    // Shadow DOM: the panel's own text, through the locator (which pierces it).
    expect(await panel.locator('.notice').allTextContents()).toEqual([INSECURE_ORIGIN_NOTICE]);
    const all = (await panel.locator('section').allInnerTexts()).join(' ');
    expect(occurrences(all, INSECURE_ORIGIN_NOTICE)).toBe(1);
    await checkedScreenshot(page, 'insecure-origin-admin');
  });

  it('refuses a tampered file (hash) and a foreign signature (signature), keeping v1', async () => {
    const version = v1.version + 1;
    server.bundle = makeBundle({ items: items.slice(1), version }).files;
    server.faults = { flipByte: (p) => p.startsWith('objects/') };
    await adminCheckNow(page);
    expect((await kioskStatus(page))?.lastError?.code).toBe('hash');

    server.faults = {};
    server.bundle = makeBundle({ items: items.slice(1), version, key: newKey('x') }).files;
    await adminCheckNow(page);
    const status = await kioskStatus(page);
    expect(status?.lastError?.code).toBe('signature');
    expect(status?.activeVersion).toBe(v1.version);
    expect((await shownTitles(page)).length).toBe(v1.count);
    // Still once, with the failure beside it.
    const banner = await bannerText(page);
    expect(occurrences(banner, INSECURE_ORIGIN_NOTICE)).toBe(1);
    expect(banner).toMatch(/签名无效/);
  });

  it('loads the pure-JS verifier here, and a page on a secure origin never does', async () => {
    const chunk = /\/assets\/crypto-js-[\w-]+\.js$/;
    expect(requests.filter((u) => chunk.test(u))).toHaveLength(1);
    server.bundle = v1.files;
    // (Its service worker may precache the chunk with every other asset; the page never loads it.)
    const secure = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const other = await secure.newPage();
      const seen: string[] = [];
      other.on('request', (r) => seen.push(r.url()));
      await other.goto(server.url);
      await expect
        .poll(async () => (await shownTitles(other)).length, { timeout: 20_000 })
        .toBe(v1.count);
      expect(await other.evaluate(() => isSecureContext)).toBe(true);
      expect(seen.filter((u) => chunk.test(u))).toEqual([]);
    } finally {
      await secure.close();
    }
  });

  it('switches to a good v2 while the page stays open', async () => {
    server.bundle = makeBundle({ items: items.slice(1), version: v1.version + 1 }).files;
    await adminCheckNow(page);
    expect((await kioskStatus(page))?.activeVersion).toBe(v1.version + 1);
    await expect.poll(async () => (await shownTitles(page)).length).toBe(items.length - 1);
    expect(errors, errors.join('\n')).toEqual([]);
  });
});
