// The built app syncing from a real, fault-injecting HTTP server on loopback.
// Each fault: the old content stays on screen and the status names the problem.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { checkedScreenshot, launchChromium, shownTitles } from '../helpers/browser.ts';
import { startBundleServer, type BundleServer, type Faults } from '../helpers/bundle-server.ts';
import {
  demoItems,
  generatedItems,
  makeBundle,
  newKey,
  writeBundle,
  type MakeBundleOptions,
} from '../helpers/make-bundle.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { PACK_FILE, packBundle } from '../../src/content/pack.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const v1Items = demoItems();
const newTitle = '新增测试通知：同步成功后才应出现';
const v2Items = [
  ...v1Items,
  {
    ...v1Items[0],
    id: 'sync-test-new',
    title: { 'zh-Hans': newTitle },
    publishDate: '2026-11-20',
  },
];

describe('sync from a fault-injecting server', () => {
  let browser: Browser;
  let server: BundleServer;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    // GK_E2E_DIST: a build of one's own, when dist/ is shared with other work.
    server = await startBundleServer(process.env.GK_E2E_DIST ?? 'dist');
    server.bundle = makeBundle({ items: v1Items, version: 1 }).files;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    page = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  const titles = () => shownTitles(page);
  const banner = async () => (await page.locator('gk-status-banner p').allTextContents()).join(' ');
  const open = () => page.goto(`${server.url}?sync-timeout-ms=1500`);

  it('shows the verified v1 bundle from IndexedDB', async () => {
    await open();
    await expect
      .poll(async () => (await titles()).length, { timeout: 15_000 })
      .toBe(v1Items.length);
  });

  /**
   * Version 2 with many new items, so the kiosk fetches the packed copy
   * (bundle.gkb) instead of file by file; `spoil` damages the pack.
   */
  const withBadPack = (spoil: (pack: Uint8Array, fresh: Uint8Array) => Uint8Array) => () => {
    const bundle = makeBundle({
      items: [...v2Items, ...generatedItems(v1Items.length * 3)],
      version: 2,
    });
    const v1Files = makeBundle({ items: v1Items, version: 1 }).files;
    // A file the kiosk does not have yet: its bytes inside the pack get damaged.
    const fresh = [...bundle.files].find(([p]) => p.startsWith('objects/') && !v1Files.has(p));
    if (!fresh) throw new Error('no new file in version 2');
    const files = new Map(bundle.files);
    files.set(PACK_FILE, spoil(packBundle(bundle.files), fresh[1]));
    return files;
  };

  const cases: {
    name: string;
    faults?: Faults;
    bundle?: Partial<MakeBundleOptions>;
    files?: () => Map<string, Uint8Array>;
    says: RegExp;
  }[] = [
    {
      name: 'connection dropped mid-file',
      faults: { dropAfter: { match: (p) => p.startsWith('objects/'), bytes: 20 } },
      says: /下载中断|不完整/,
    },
    {
      name: 'one flipped byte',
      faults: { flipByte: (p) => p.startsWith('objects/') },
      says: /文件校验失败/,
    },
    {
      name: 'HTTP 500',
      faults: { status: { match: () => true, code: 500 } },
      says: /内容服务器出错.*HTTP 500/,
    },
    {
      name: 'a flipped byte inside the packed bundle',
      files: withBadPack((pack, fresh) => {
        const at = Buffer.from(pack).indexOf(Buffer.from(fresh));
        pack[at + Math.floor(fresh.length / 2)] ^= 0x01;
        return pack;
      }),
      says: /文件校验失败.*bundle\.gkb/,
    },
    {
      name: 'a truncated packed bundle',
      files: withBadPack((pack) => pack.subarray(0, pack.length - 1000)),
      says: /bundle\.gkb 不完整/,
    },
    // No older manifest here: v1 is on screen and versions start at 1, and the
    // same version offered again is up to date, not an error. Rollback over HTTP
    // is refused in test/sync/ingest.test.ts and test/e2e/reliability-clock.e2e.ts.
    { name: 'a wrong key', bundle: { key: newKey('demo-2026') }, says: /签名无效/ },
    {
      name: 'slow responses',
      faults: { delayMs: { match: (p) => p.startsWith('objects/'), ms: 4000 } },
      says: /超时/,
    },
  ];

  for (const c of cases) {
    it(`${c.name}: keeps v1 on screen and says why`, async () => {
      server.bundle = c.files?.() ?? makeBundle({ items: v2Items, version: 2, ...c.bundle }).files;
      server.faults = c.faults ?? {};
      await open();
      await expect.poll(banner, { timeout: 20_000 }).toMatch(c.says);
      expect(await banner()).toContain('继续显示当前内容（版本 1）');
      const shown = await titles();
      expect(shown).toHaveLength(v1Items.length);
      expect(shown).not.toContain(newTitle);
      if (c.name === 'one flipped byte') await checkedScreenshot(page, 'sync-fault-flipped-byte');
    });
  }

  it('switches to v2 when the server is healthy again', async () => {
    server.faults = {};
    server.bundle = makeBundle({ items: v2Items, version: 2 }).files;
    await open();
    await expect.poll(titles, { timeout: 15_000 }).toContain(newTitle);
    expect(await banner()).not.toMatch(/更新失败/);
  });

  it('opens the admin panel with Ctrl+Shift+A and the demo PIN, and shows the status', async () => {
    await page.keyboard.press('Control+Shift+A');
    const panel = page.locator('gk-admin-panel');
    await panel.locator('#pin').fill('0000');
    await panel.locator('button[type=submit]').click();
    await expect.poll(() => panel.locator('.error').textContent()).toContain('密码错误');
    await panel.locator('#pin').fill('123456');
    await panel.locator('button[type=submit]').click();
    await expect
      .poll(() => panel.locator('dl').first().textContent(), { timeout: 5000 })
      .toContain('当前版本');
    const text = (await panel.locator('dl').first().textContent()) ?? '';
    expect(text).toMatch(/当前版本\s*2/);
    expect(text).toContain('持久存储');
    await checkedScreenshot(page, 'sync-admin-panel');
  });

  it('sideloads a bundle folder and a .gkb file through the admin panel with the same verification', async () => {
    const panel = page.locator('gk-admin-panel');
    const sideTitle = '从 U 盘导入的测试通知';
    const v3 = makeBundle({
      items: [...v2Items, { ...v1Items[0], id: 'sideload-new', title: { 'zh-Hans': sideTitle } }],
      version: 3,
    });
    const dir = mkdtempSync(join(tmpdir(), 'gk-sideload-'));
    try {
      // A tampered copy first: one extra file the manifest does not list.
      writeBundle(join(dir, 'bad'), v3);
      writeFileSync(join(dir, 'bad', 'objects', 'extra.json'), '{}');
      await panel.locator('#sideload').setInputFiles(join(dir, 'bad'));
      await expect
        .poll(() => panel.locator('.message').textContent(), { timeout: 15_000 })
        .toContain('导入失败');
      expect(await panel.locator('.message').textContent()).toContain('清单未列出');
      expect(await titles()).not.toContain(sideTitle);

      writeBundle(join(dir, 'good'), v3);
      await panel.locator('#sideload').setInputFiles(join(dir, 'good'));
      await expect
        .poll(() => panel.locator('.message').textContent(), { timeout: 15_000 })
        .toContain('导入成功');
      await expect.poll(titles, { timeout: 10_000 }).toContain(sideTitle);

      // The packed form (.gkb) from a USB stick.
      const gkbTitle = '打包内容包导入的测试通知';
      const v4 = makeBundle({
        items: [...v2Items, { ...v1Items[0], id: 'gkb-new', title: { 'zh-Hans': gkbTitle } }],
        version: 4,
      });
      writeFileSync(join(dir, 'v4.gkb'), packBundle(v4.files));
      await panel.locator('#sideload-file').setInputFiles(join(dir, 'v4.gkb'));
      await expect
        .poll(() => panel.locator('.message').textContent(), { timeout: 15_000 })
        .toContain('当前版本 4');
      await expect.poll(titles, { timeout: 10_000 }).toContain(gkbTitle);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
