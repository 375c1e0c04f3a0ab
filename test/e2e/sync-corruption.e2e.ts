// Real corruption: with the browser stopped, damage the LevelDB files of the
// profile's IndexedDB store, relaunch on the same profile, and check that the
// kiosk says what is happening (never a blank page) and re-syncs the content.
// Then a blocked upgrade: an old app instance holds the database open on an
// older schema; the kiosk says so and finishes the upgrade once it lets go.
//
// Each recovery is a reliability trial (case `db-corruption`). npm test runs
// the store Chromium can neither open nor delete (under the watchdog);
// npm run test:reliability runs every kind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext } from 'playwright-core';
import { mkdtempSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { randomBytes, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { chromium as pw } from 'playwright-core';
import { Watchdog } from '../../src/cli/commands/watchdog.ts';
import { CHROMIUM_ARGS, findChromium } from '../helpers/chromium.mjs';
import { bannerText, screenText } from '../helpers/kiosk-probe.ts';
import { checkedScreenshot, launchChromium, shownCount } from '../helpers/browser.ts';
import { startBundleServer, type BundleServer } from '../helpers/bundle-server.ts';
import { demoItems, makeBundle } from '../helpers/make-bundle.ts';
import { recordTrial, trials, type ReliabilityCase } from '../helpers/reliability.ts';

const items = demoItems();

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? ok(a.port) : fail(new Error('no port'))));
    });
  });
}

const CORRUPTION: ReliabilityCase = {
  id: 'db-corruption',
  title: 'Corrupted database and blocked upgrade',
  failures: 'recoveries that failed',
  how: 'test/e2e/sync-corruption.e2e.ts: the LevelDB files of a stopped Chromium profile are garbled, truncated, flipped or partly deleted, then the kiosk is relaunched on it (a store Chromium can neither open nor delete, under the real gongkai watchdog, which clears it); and an old app instance holds the database open on schema 1 while the kiosk upgrades. A trial fails unless the screen names the problem meanwhile (never blank) and shows every item again.',
};

/** Kinds of damage, done to every file of the origin's LevelDB store but LOCK. */
const DAMAGE: { name: string; apply: (dir: string, files: string[]) => void }[] = [
  {
    name: 'every file overwritten with random bytes',
    apply: (dir, files) => {
      for (const f of files) {
        writeFileSync(join(dir, f), randomBytes(Math.max(statSync(join(dir, f)).size, 64)));
      }
    },
  },
  {
    name: 'every file truncated to half',
    apply: (dir, files) => {
      for (const f of files)
        truncateSync(join(dir, f), Math.floor(statSync(join(dir, f)).size / 2));
    },
  },
  {
    name: '64 flipped bytes in every file',
    apply: (dir, files) => {
      for (const f of files) {
        const bytes = readFileSync(join(dir, f));
        if (bytes.length === 0) continue;
        for (let i = 0; i < 64; i++) bytes[randomInt(bytes.length)] ^= 0xff;
        writeFileSync(join(dir, f), bytes);
      }
    },
  },
  {
    name: 'CURRENT and MANIFEST deleted',
    apply: (dir, files) => {
      for (const f of files) {
        if (f === 'CURRENT' || f.startsWith('MANIFEST-')) rmSync(join(dir, f));
      }
    },
  },
];

describe('a corrupted IndexedDB store', () => {
  let server: BundleServer;
  /** Each trial damages a profile of its own, so one that cannot recover does not spoil the next. */
  let profiles: string;
  let profile: string;

  beforeAll(async () => {
    // GK_E2E_DIST: a build of one's own, when dist/ is shared with other work.
    server = await startBundleServer(process.env.GK_E2E_DIST ?? 'dist');
    server.bundle = makeBundle({ items, version: 3 }).files;
    profiles = mkdtempSync(join(tmpdir(), 'gk-corrupt-'));
  });
  afterAll(async () => {
    await server?.close();
    if (profiles) rmSync(profiles, { recursive: true, force: true });
  });

  const launch = (): Promise<BrowserContext> =>
    chromium.launchPersistentContext(profile, {
      executablePath: findChromium() ?? undefined,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1920, height: 1080 },
    });

  /** Launches Chromium on a fresh profile, syncs the kiosk, and stops it; returns the store's directory. */
  async function syncedProfile(): Promise<string> {
    server.faults = {};
    const context = await launch();
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(server.url);
      await expect.poll(() => shownCount(page), { timeout: 30_000 }).toBe(items.length);
    } finally {
      await context.close();
    }
    const port = new URL(server.url).port;
    return join(profile, 'Default', 'IndexedDB', `http_127.0.0.1_${port}.indexeddb.leveldb`);
  }

  // Every file garbled, CURRENT included, but CURRENT still ends in a newline
  // (what 64 flipped bytes sometimes leave): LevelDB reads a garbled manifest
  // name, reports it missing (an I/O error, not corruption), and Chromium then
  // refuses to open the origin's store and to delete it ("Internal error
  // opening backing store"), across restarts. The page cannot fix that; the
  // watchdog clears the store over CDP once a restart did not help.
  it('every file garbled so Chromium can neither open nor delete the store: the watchdog clears it, the kiosk restores its copy or re-syncs', async () => {
    const trial = 'every file garbled, store unopenable and undeletable (watchdog)';
    profile = join(profiles, 'watchdog');
    let dog: Watchdog | null = null;
    let running: Promise<number> | null = null;
    const log: string[] = [];
    try {
      const dir = await syncedProfile();
      for (const f of readdirSync(dir).filter((name) => name !== 'LOCK')) {
        const size = Math.max(statSync(join(dir, f)).size, 64);
        writeFileSync(
          join(dir, f),
          f === 'CURRENT' ? Buffer.concat([randomBytes(15), Buffer.from('\n')]) : randomBytes(size),
        );
      }

      // Slow bundle answers keep the re-sync status on screen long enough to see.
      server.faults = { delayMs: { match: () => true, ms: 1000 } };
      const port = await freePort();
      const t0 = Date.now();
      dog = new Watchdog(
        {
          chromium: findChromium() ?? '/usr/bin/chromium',
          url: server.url,
          port,
          profile,
          staleMs: 60_000,
          startupMs: 90_000,
          pollMs: 500,
          storeGraceMs: 4000,
          extraArgs: ['--headless=new', '--window-size=1280,800', ...CHROMIUM_ARGS],
        },
        (line) => log.push(`${((Date.now() - t0) / 1000).toFixed(1)} s ${line}`),
      );
      running = dog.run();

      // Watch the kiosk from outside over CDP, reconnecting across the watchdog's restart.
      const samples: { banner: string; text: string; count: number }[] = [];
      let browser: Awaited<ReturnType<typeof pw.connectOverCDP>> | null = null;
      const started = Date.now();
      let count = 0;
      let connectedAt = 0;
      while (Date.now() - started < 150_000) {
        try {
          // After the clear, a fresh connection every few seconds: one made before
          // the watchdog navigated the page (about:blank, then back) was seen to
          // keep answering from the old document.
          if (browser && dog.storeClears > 0 && Date.now() - connectedAt > 3000) {
            await browser.close().catch(() => undefined);
            browser = null;
          }
          if (!browser) {
            browser = await pw.connectOverCDP(`http://127.0.0.1:${port}`, { timeout: 5000 });
            connectedAt = Date.now();
          }
          const page = browser
            .contexts()
            .flatMap((c) => c.pages())
            .find((p) => p.url().startsWith(server.url));
          if (page) {
            count = await shownCount(page);
            const sample = { banner: await bannerText(page), text: await screenText(page), count };
            samples.push(sample);
            if (count === items.length && dog.storeClears > 0) break;
          }
        } catch {
          // Chromium restarting or the page navigating: reconnect.
          await browser?.close().catch(() => undefined);
          browser = null;
        }
        await new Promise((r) => setTimeout(r, 300));
      }
      await browser?.close().catch(() => undefined);
      const targets = await fetch(`http://127.0.0.1:${port}/json/list`)
        .then((r) => r.text())
        .catch((e: unknown) => String(e));
      const context = `after ${((Date.now() - t0) / 1000).toFixed(1)} s, targets ${targets}, watchdog log:\n${log.join('\n')}\nbanners: ${[...new Set(samples.map((x) => x.banner))].join(' | ')}`;
      expect(count, context).toBe(items.length);
      expect(dog.storeClears, context).toBe(1);
      // It tried a restart first, and only then cleared the store.
      expect(log.join('\n')).toMatch(/failed to open its store \d+ times in a row; restarting/);
      expect(log.join('\n')).toMatch(/still cannot be opened after a restart; clearing/);
      // Meanwhile the screen said so, never blank: the store is unusable (with the
      // kiosk's verified copy shown read-only once it is read), then the restore from
      // its pack files (the watchdog clears only IndexedDB) or the re-sync.
      expect(samples.length, context).toBeGreaterThan(0);
      expect(samples.filter((x) => x.text.trim() === '').length, context).toBe(0);
      const banners = samples.map((x) => x.banner).join('\n');
      expect(banners, context).toMatch(/无法打开本机存储/);
      expect(banners, context).toMatch(
        /正在同步|正在加载|已从本机保存的已验证副本恢复|正在显示本机保存的已验证副本/,
      );
      const readOnly = samples.some((x) => /正在显示本机保存的已验证副本/.test(x.banner));
      const before = samples.filter((x) => x.count < items.length);
      recordTrial(CORRUPTION, {
        trial,
        ok: true,
        detail: `${before.length} samples before the content was on screen, none blank${readOnly ? ' (the verified copy shown read-only meanwhile)' : ''}; watchdog restarted Chromium ${dog.restarts}×, cleared the store once; content back after ${((Date.now() - t0) / 1000).toFixed(0)} s`,
      });
    } catch (err) {
      recordTrial(CORRUPTION, { trial, ok: false, detail: String(err).slice(0, 200) });
      throw err;
    } finally {
      dog?.stop();
      await running;
    }
  }, 240_000);

  // Kinds of damage Chromium repairs by itself (it recreates a store it finds corrupt).
  for (const [n, damage] of DAMAGE.slice(0, trials(0, DAMAGE.length)).entries()) {
    it(`${damage.name}: deleted and re-synced, with a clear status meanwhile`, async () => {
      let context: BrowserContext | undefined;
      profile = join(profiles, `trial-${n}`);
      try {
        server.faults = {};
        context = await launch();
        let page = context.pages()[0] ?? (await context.newPage());
        await page.goto(server.url);
        const count = () => shownCount(page);
        await expect.poll(count, { timeout: 20_000 }).toBe(items.length);
        await context.close();

        // Damage the origin's LevelDB store while the browser is stopped.
        const port = new URL(server.url).port;
        const dir = join(
          profile,
          'Default',
          'IndexedDB',
          `http_127.0.0.1_${port}.indexeddb.leveldb`,
        );
        const files = readdirSync(dir).filter((f) => f !== 'LOCK');
        expect(files.length).toBeGreaterThan(0);
        damage.apply(dir, files);

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
          if (n === 0 && banners.length === 3)
            await checkedScreenshot(page, 'sync-corruption-recovering');
          await page.waitForTimeout(200);
        }
        // Before the content came back, the screen said what was happening (when
        // the damage left the store readable, the content is back at once).
        // A store Chromium cannot open at all shows the kiosk's verified copy read-only,
        // under the status that says so.
        if (banners.length > 0)
          expect(banners.join('\n')).toMatch(/损坏|正在同步|正在加载|无法打开本机存储/);
        expect(banners.filter((b) => b.trim() === '').length).toBe(0);
        expect(await count()).toBe(items.length);
        await context.close();
        recordTrial(CORRUPTION, {
          trial: damage.name,
          ok: true,
          detail: banners.length
            ? `status meanwhile: ${banners[0].slice(0, 80)}`
            : 'store still readable',
        });
      } catch (err) {
        recordTrial(CORRUPTION, {
          trial: damage.name,
          ok: false,
          detail: String(err).slice(0, 200),
        });
        throw err;
      } finally {
        // A failed trial must not leave Chromium holding the profile for the next one.
        await context?.close().catch(() => undefined);
      }
    }, 150_000);
  }

  it('a blocked upgrade: says so, and finishes once the old instance lets go', async () => {
    const trial = 'blocked upgrade (old instance on schema 1)';
    server.faults = {};
    server.extra.set('old-instance.html', {
      body: '<!doctype html><meta charset="utf-8"><title>old</title>',
      type: 'text/html; charset=utf-8',
    });
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
      // An old app instance: schema 1, and it ignores versionchange.
      const old = await context.newPage();
      await old.goto(`${server.url}old-instance.html`);
      await old.evaluate(
        () =>
          new Promise<void>((resolve, reject) => {
            const req = indexedDB.open('gongkai', 1);
            req.onupgradeneeded = () => {
              const db = req.result;
              db.createObjectStore('meta');
              db.createObjectStore('versions', { keyPath: 'version' });
              db.createObjectStore('items', { keyPath: ['version', 'id'] }).createIndex(
                'by-version',
                'version',
              );
            };
            req.onsuccess = () => {
              (window as unknown as { oldDb: IDBDatabase }).oldDb = req.result;
              resolve();
            };
            req.onerror = () => reject(req.error);
          }),
      );
      const page = await context.newPage();
      await page.goto(server.url);
      const banner = async () =>
        (await page.locator('gk-status-banner p').allTextContents()).join(' ');
      await expect.poll(banner, { timeout: 20_000 }).toContain('正在升级本地数据库');
      expect(await shownCount(page)).toBe(0);
      await old.evaluate(() => (window as unknown as { oldDb: IDBDatabase }).oldDb.close());
      await expect.poll(() => shownCount(page), { timeout: 30_000 }).toBe(items.length);
      expect(await banner()).not.toContain('正在升级本地数据库');
      await context.close();
      recordTrial(CORRUPTION, { trial, ok: true, detail: 'status shown while blocked' });
    } catch (err) {
      recordTrial(CORRUPTION, { trial, ok: false, detail: String(err).slice(0, 200) });
      throw err;
    } finally {
      await browser.close();
    }
  }, 150_000);
});
