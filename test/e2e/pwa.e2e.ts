// The service worker on a real loopback server process: offline cold start,
// safe updates only when no visitor is there, convergence over several
// deploys, refused broken deploys, and Trusted Types on the online and the
// offline page. Time in the page runs on Playwright's fake clock (update
// checks every 30 min and a 90 s idle timeout, from kiosk-config/default.json);
// the service worker's own lifecycle runs in real time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page, type Request } from 'playwright-core';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, findChromium } from '../helpers/chromium.mjs';
import { checkedScreenshot, shownCount } from '../helpers/browser.ts';
import { serveStatic, type StaticServer } from '../helpers/static-server.ts';
import { makeDeploy, snapshotDist, type Fault } from '../pwa/deploys.ts';
import type { PwaStatus } from '../../src/pwa/status.ts';

const config = JSON.parse(readFileSync('kiosk-config/default.json', 'utf8')) as {
  pwa: { updateCheckMinutes: number };
  idle: { timeoutSeconds: number };
};
/** The build under test (GK_DIST lets a test run use its own build instead of the shared dist/). */
const DIST = process.env.GK_DIST ?? 'dist';
const CHECK_MS = config.pwa.updateCheckMinutes * 60_000;
const IDLE_MS = config.idle.timeoutSeconds * 1000;

declare global {
  interface Window {
    __pwaStatus?: PwaStatus;
  }
}

describe('service worker on an unattended kiosk', () => {
  let work: string;
  let base: string;
  let profile: string;
  let server: StaticServer;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  /** How many notices v1 showed online; the same must show offline and after updates. */
  let shown = 0;

  const deploy = (label: string, fault?: Fault) => {
    server.deploy(makeDeploy(base, join(work, label), label, fault));
  };
  const running = () =>
    page.evaluate(
      () => document.querySelector('meta[name="gongkai-deploy"]')?.getAttribute('content') ?? null,
    );
  const status = () => page.evaluate(() => window.__pwaStatus ?? null);

  const launch = async () => {
    const executablePath = findChromium();
    if (!executablePath) throw new Error('No Chromium found: run `node test/find-chromium.mjs`.');
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 800 },
    });
    // The shell's status API: every change is a window event.
    await context.addInitScript(() =>
      window.addEventListener('gongkai-pwa-status', (e) => {
        window.__pwaStatus = (e as CustomEvent<PwaStatus>).detail;
      }),
    );
    await context.clock.install();
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.text().startsWith('[gongkai]')) log(m.text());
    });
    page.on('request', (r) => {
      pending.add(r);
      log(`request ${r.method()} ${r.url().replace(server.url, '')}`);
    });
    page.on('requestfinished', (r) => pending.delete(r));
    page.on('requestfailed', (r) => {
      pending.delete(r);
      log(`request failed ${r.url().replace(server.url, '')} ${r.failure()?.errorText ?? ''}`);
    });
    // The browser's own view of the worker versions, for failure messages.
    const cdp = await context.newCDPSession(page);
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      for (const v of versions)
        log(
          `sw v${v.versionId} ${v.scriptURL.slice(-6)} ${v.status}/${v.runningStatus} clients=${v.controlledClients?.length ?? 0}`,
        );
    });
    cdp.on('ServiceWorker.workerErrorReported', ({ errorMessage }) =>
      log(`sw error ${errorMessage.errorMessage}`),
    );
    await cdp.send('ServiceWorker.enable');
  };
  /** The updater's log lines and the worker versions' states, for failure messages. */
  const trace: string[] = [];
  const t0 = Date.now();
  const pending = new Set<Request>();
  const log = (line: string) => trace.push(`${((Date.now() - t0) / 1000).toFixed(1)}s ${line}`);
  /** Rethrows a failed wait with the trace and the registration as the page sees it. */
  const explain = async (e: unknown): Promise<never> => {
    const reg = await page
      .evaluate(async () => {
        const r = await navigator.serviceWorker.getRegistration();
        return [r?.installing?.state, r?.waiting?.state, r?.active?.state];
      })
      .catch(() => 'unknown');
    const open = [...pending].map((r) => r.url()).join(', ');
    throw new Error(
      `${String(e)}\n${trace.join('\n')}\nregistration ${JSON.stringify(reg)}\nopen requests: ${open}`,
    );
  };

  /** Moves time forward by `ms`; an active visitor touches the screen every minute of it. */
  const advance = async (ms: number, visitor: boolean) => {
    if (!visitor) {
      await page.clock.fastForward(ms);
      return;
    }
    for (let left = ms; left > 0; left -= 60_000) {
      await page.mouse.move(100 + (left % 200), 200);
      await page.clock.fastForward(Math.min(60_000, left));
    }
    await page.mouse.move(300, 300);
  };

  /** Lets real time pass (for the worker) while the visitor keeps touching. */
  const keepBusy = async (ms: number) => {
    for (let t = 0; t < ms; t += 250) {
      await page.mouse.move(100 + (t % 300), 250);
      await page.waitForTimeout(250);
    }
  };

  const waitState = (state: PwaStatus['state'], busy: boolean) =>
    expect
      .poll(
        async () => {
          if (busy) await page.mouse.move(50 + Math.random() * 100, 100);
          return (await status())?.state;
        },
        { timeout: 20_000, interval: 200 },
      )
      .toBe(state)
      .catch(explain);

  beforeAll(async () => {
    if (!existsSync(join(DIST, 'sw.js')))
      throw new Error(`${DIST}/sw.js missing: run \`npx vite build\` first`);
    work = mkdtempSync(join(tmpdir(), 'gk-pwa-'));
    base = await snapshotDist(DIST, join(work, 'build'));
    profile = join(work, 'profile');
    server = await serveStatic(makeDeploy(base, join(work, 'v1'), 'v1'));
    await launch();
  });

  afterAll(async () => {
    await context?.close();
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('installs v1 and shows the content from IndexedDB', async () => {
    await page.goto(server.url);
    await expect.poll(() => shownCount(page), { timeout: 60_000 }).toBeGreaterThan(0);
    // Let the first-run content settle before counting it.
    await page.waitForTimeout(1000);
    shown = await shownCount(page);
    expect(shown).toBeGreaterThan(0);
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state ?? null), {
        timeout: 15_000,
      })
      .toBe('activated');
    await waitState('current', false);
    expect(await running()).toBe('v1');
  });

  it('starts cold with the server process stopped: app, last content and the CSP all there', async () => {
    await context.close();
    await server.stop();
    await launch();
    const response = await page.goto(server.url);
    expect(response?.fromServiceWorker()).toBe(true);
    expect(response?.headers()['content-security-policy']).toContain(
      "require-trusted-types-for 'script'",
    );
    await expect.poll(() => shownCount(page), { timeout: 15_000 }).toBe(shown);
    expect(await running()).toBe('v1');
    // Trusted Types hold on the page the worker served offline, too.
    const blocked = await page.evaluate(() => {
      try {
        document.body.innerHTML = '<b>x</b>';
        return 'assigned';
      } catch (e) {
        return e instanceof TypeError ? 'TypeError' : String(e);
      }
    });
    expect(blocked).toBe('TypeError');
    await checkedScreenshot(page, 'pwa-offline-cold-start');
    await server.start();
  });

  it('updates to v2 only once the visitor has gone, within one check interval', async () => {
    await page.reload();
    await waitState('current', false);
    deploy('v2');
    // A visitor uses the kiosk through the next check: v2 installs but waits.
    await advance(CHECK_MS + 1000, true);
    await waitState('waiting', true);
    await keepBusy(3000);
    expect(await running()).toBe('v1');
    expect((await status())?.state).toBe('waiting');
    // The visitor leaves: after the idle timeout the kiosk switches without a reload by anyone.
    await advance(IDLE_MS + 1000, false);
    await expect.poll(running, { timeout: 20_000 }).toBe('v2').catch(explain);
    await waitState('current', false);
    await expect.poll(() => shownCount(page), { timeout: 15_000 }).toBe(shown);
  });

  it('converges to the newest of several deploys made without a reload', async () => {
    deploy('v3');
    await advance(CHECK_MS + 1000, true);
    await waitState('waiting', true);
    deploy('v4');
    await advance(CHECK_MS + 1000, true);
    await keepBusy(2000);
    await waitState('waiting', true);
    expect(await running()).toBe('v2');
    await advance(IDLE_MS + 1000, false);
    await expect.poll(running, { timeout: 20_000 }).toBe('v4').catch(explain);
    await waitState('current', false);
    expect((await status())?.deployFailure).toBeNull();
  });

  it('refuses a deploy with a missing file, keeps running v4 and says why', async () => {
    await waitState('current', false);
    deploy('v5', 'missing-file');
    await advance(CHECK_MS + 1000, false);
    await expect
      .poll(async () => (await status())?.deployFailure?.reason ?? '', { timeout: 20_000 })
      .toMatch(/assets\/lost-v5\.js: HTTP 404/);
    await advance(IDLE_MS + 1000, false);
    await waitState('current', false);
    await page.waitForTimeout(1000);
    expect(await running()).toBe('v4');
    await page.reload();
    expect(await running()).toBe('v4');
  });

  it('refuses a deploy whose bytes do not match the build (integrity), keeps v4', async () => {
    await waitState('current', false);
    deploy('v6', 'wrong-content');
    await advance(CHECK_MS + 1000, false);
    await expect
      .poll(async () => (await status())?.deployFailure?.reason ?? '', { timeout: 20_000 })
      .toMatch(/index\.html: content does not match its integrity hash/);
    expect(await running()).toBe('v4');
    expect(errors, errors.join('\n')).toEqual([]);
  });

  it('blocks a string assigned to innerHTML (Trusted Types) and reports the violation', async () => {
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    const result = await page.evaluate(async () => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        violations.push(e.violatedDirective),
      );
      let thrown = 'nothing';
      try {
        document.body.innerHTML = '<b>x</b>';
      } catch (e) {
        thrown = e instanceof TypeError ? 'TypeError' : String(e);
      }
      await new Promise((r) => setTimeout(r, 50));
      return { thrown, violations, bold: document.querySelectorAll('b').length };
    });
    expect(result.thrown).toBe('TypeError');
    expect(result.bold).toBe(0);
    expect(result.violations).toContain('require-trusted-types-for');
    await expect
      .poll(() => consoleErrors.join('\n'), { timeout: 5000 })
      .toMatch(/TrustedHTML|Trusted Type/);
  });
});
