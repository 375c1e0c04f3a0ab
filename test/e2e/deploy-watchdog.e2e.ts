// The crash watchdog of docs/deploy.md: it runs Chromium on the kiosk page,
// reads the page's heartbeat over the DevTools protocol, and restarts Chromium
// when the renderer crashes (CDP Page.crash) and the heartbeats stop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium as pw } from 'playwright-core';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Watchdog, watchdogCommand } from '../../src/cli/commands/watchdog.ts';
import { CHROMIUM_ARGS, findChromium } from '../helpers/chromium.mjs';
import { serveStatic, type StaticServer } from '../helpers/static-server.ts';
import { snapshotDist } from '../pwa/deploys.ts';

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

describe('gongkai watchdog', () => {
  let server: StaticServer;
  let work: string;
  let dog: Watchdog;
  let running: Promise<number>;
  let port: number;
  const log: string[] = [];

  beforeAll(async () => {
    if (!existsSync('dist/index.html'))
      throw new Error('dist/ missing: run `npx vite build` first');
    const chromium = findChromium();
    if (!chromium) throw new Error('No Chromium found: run `node test/find-chromium.mjs`.');
    work = mkdtempSync(join(tmpdir(), 'gk-watchdog-'));
    server = await serveStatic(await snapshotDist('dist', join(work, 'app')));
    port = await freePort();
    dog = new Watchdog(
      {
        chromium,
        url: server.url,
        port,
        profile: join(work, 'profile'),
        staleMs: 6000,
        // A loaded 2-core CI machine can take many seconds to start Chromium.
        startupMs: 45_000,
        pollMs: 500,
        extraArgs: ['--headless=new', ...CHROMIUM_ARGS],
      },
      (line) => log.push(line),
    );
    running = dog.run();
  });

  afterAll(async () => {
    dog?.stop();
    await running;
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('restarts Chromium after the page crashes, and the page beats again', async () => {
    await expect.poll(() => dog.lastBeat, { timeout: 45_000, interval: 250 }).toBeGreaterThan(1);
    const firstPid = dog.pid;
    expect(dog.restarts).toBe(0);

    const browser = await pw.connectOverCDP(`http://127.0.0.1:${port}`);
    const page = browser
      .contexts()[0]
      .pages()
      .find((p) => p.url().startsWith(server.url));
    if (!page) throw new Error('kiosk page not found over CDP');
    const cdp = await page.context().newCDPSession(page);
    // The renderer dies at once; the call itself never gets an answer.
    void cdp.send('Page.crash').catch(() => undefined);
    await browser.close().catch(() => undefined);

    await expect.poll(() => dog.restarts, { timeout: 20_000, interval: 250 }).toBe(1);
    expect(dog.pid).not.toBe(firstPid);
    expect(log.join('\n')).toMatch(/no heartbeat for \d+ s; restarting Chromium/);
    await expect.poll(() => dog.lastBeat, { timeout: 45_000, interval: 250 }).toBeGreaterThan(1);
    expect(dog.restarts, log.join('\n')).toBe(1);
  }, 120_000);

  it('rejects a bad command line with a usage message', async () => {
    expect(await watchdogCommand([])).toBe(2);
    expect(await watchdogCommand(['--url', 'http://x/', '--colour', 'red'])).toBe(2);
    expect(await watchdogCommand(['--url', 'http://x/', '--stale-seconds', 'soon'])).toBe(2);
  });
});
