// The portal mirror, all the way to the screen: the loopback fixture portal
// (test/cli/mirror/fixture-portal.ts) mirrored into a content folder, built
// and signed with the demo key the default kiosk trusts, then synced by the
// built kiosk (dist/), which shows the mirrored notices.
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { launchChromium, shownTitles } from '../helpers/browser.ts';
import { startBundleServer, type BundleServer } from '../helpers/bundle-server.ts';
import { startPortal, type Portal } from '../cli/mirror/fixture-portal.ts';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

/** Every file of a built bundle folder, by bundle path. */
function readBundle(dir: string): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.set(relative(dir, p).split(sep).join('/'), new Uint8Array(readFileSync(p)));
    }
  };
  walk(dir);
  return files;
}

/** Runs the CLI in-process with its output silenced; returns the exit code. */
async function cli(...args: string[]): Promise<number> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    return await main(args);
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
}

describe('a mirrored portal on the kiosk', () => {
  let portal: Portal;
  let server: BundleServer;
  let browser: Browser;
  let page: Page;
  const tmp = mkdtempSync(join(tmpdir(), 'gongkai-mirror-kiosk-'));
  const content = join(tmp, 'content');

  beforeAll(async () => {
    portal = await startPortal({ items: 24, paging: 'paged', pageSize: 10, prefix: '/yjzjj' });
    mkdirSync(join(content, '_mirror'), { recursive: true });
    writeFileSync(
      join(content, '_mirror', 'config.json'),
      JSON.stringify({ idPrefix: 'yj', defaults: { privacy: { containsPersonalInfo: false } } }),
    );
    const today = '2026-10-01';
    expect(
      await cli(
        'mirror',
        'gkmlpt',
        portal.siteUrl,
        '--out',
        content,
        '--delay',
        '0',
        '--today',
        today,
        '--quiet',
      ),
    ).toBe(0);
    const out = join(tmp, 'bundle');
    const key = 'src/content/demo/DEMO-KEY-NOT-SECRET.pem';
    expect(
      await cli(
        'bundle',
        'build',
        content,
        '--demo',
        '--key',
        key,
        '--out',
        out,
        '--bundle-id',
        'gongkai-demo',
        '--today',
        today,
        '--quiet',
      ),
    ).toBe(0);
    server = await startBundleServer(process.env.GK_E2E_DIST ?? 'dist');
    server.bundle = readBundle(out);
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await portal?.close();
  });

  it("syncs the signed bundle and shows the portal's notices", async () => {
    await page.goto(server.url);
    await expect
      .poll(
        async () => (await shownTitles(page)).filter((t) => t.startsWith('测试市关于第')).length,
        {
          timeout: 30_000,
        },
      )
      .toBeGreaterThan(0);
    const titles = await shownTitles(page);
    // Only mirrored content is in the bundle; every title shown comes from the portal.
    expect(titles.every((t) => /^测试市关于第\d+项工作的/.test(t))).toBe(true);
    expect(titles).toContain('测试市关于第0项工作的通知');
  });
});
