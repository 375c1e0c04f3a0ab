// Reliability case `clock-skew` (issue #11): the built app in real Chromium,
// syncing signed bundles from a real loopback server, with the device clock
// skewed by −1 day, +1 day, −1 year, +1 year, or jumping back a year during a
// run, and with a clock a year ahead and no server Date (the case that cannot
// be decided offline). For each scenario, three checks, one trial each:
// - rollback: an older bundle offered after a newer one is refused, and so is
//   a bundle already expired by trustedNow (with the server's Date header
//   stripped, so only what the kiosk persisted can refuse it);
// - skew: a device clock behind trustedNow is reported on screen and in the
//   status; a clock ahead of the server's Date is reported as such (never
//   used to accept anything) and named in the expired refusal; with no
//   server Date heard, a clock ahead cannot be told and is not reported;
// - item-end: no item is in the rotation, in the proof-of-display log, or
//   "in its window" for the touch kiosk after its end by trustedNow.
//
// The device clock is what the app reads: `Date` in the page (src/sync/engine,
// src/app, src/display all call Date.now()). Playwright's clock replaces Date
// and the timers while time keeps flowing; `setSystemTime` moves the wall clock
// and leaves performance.now() (the monotonic clock) alone, as a real clock
// jump does. docs/reliability-cases.md explains the scenarios.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.ts';
import { startBundleServer, type BundleServer } from '../helpers/bundle-server.ts';
import { demoItems, makeBundle } from '../helpers/make-bundle.ts';
import {
  adminCheckNow,
  bannerText,
  displayState,
  kioskStatus,
  screenText,
} from '../helpers/kiosk-probe.ts';
import { RELIABILITY_FULL, recordTrial, type ReliabilityCase } from '../helpers/reliability.ts';
import { snapshotDist } from '../pwa/deploys.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CASE: ReliabilityCase = {
  id: 'clock-skew',
  title: 'Clock skew of ±1 day and ±1 year, and a clock that jumps back',
  failures: 'rollbacks accepted, skew not reported, or items shown after their end',
  how:
    'Built app in Chromium with its Date skewed by Playwright’s clock (−1 d, +1 d, −1 y, +1 y, ' +
    'a jump back of 1 y mid-run, +1 y with no server Date), syncing from a loopback server: ' +
    'an older and an expired-by-trustedNow bundle are offered, the skew banner and status are ' +
    'read, and the rotation, proof-of-display log and 公示 window are checked against trustedNow.',
};

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;

/** How a scenario sets the device clock. Offsets are from the real time of the test host. */
interface Scenario {
  name: string;
  /** Device clock offset from the start. */
  skew: number;
  /** Offset the clock jumps to after the first sync, during the run. */
  jumpTo?: number;
  /** After the jump, restart the kiosk with the server's Date header stripped (no network time). */
  restartWithoutDate?: boolean;
  /** expiresAt of the first bundle, from now (default: 2099). */
  expiresIn?: number;
  /** Runs inside `npm test` too (the others only in `npm run test:reliability`). */
  short: boolean;
}

const SCENARIOS: Scenario[] = [
  { name: 'behind-1d', skew: -DAY, short: true },
  { name: 'ahead-1d', skew: DAY, short: false },
  { name: 'behind-1y', skew: -YEAR, short: false },
  { name: 'ahead-1y', skew: YEAR, short: false },
  { name: 'jump-back-1y', skew: 0, jumpTo: -YEAR, short: true },
  { name: 'jump-back-1d', skew: 0, jumpTo: -DAY, short: false },
  {
    name: 'ahead-1y-no-date',
    skew: 0,
    jumpTo: YEAR,
    restartWithoutDate: true,
    expiresIn: 30 * DAY,
    short: false,
  },
];

/** The device's final offset from real time. */
const deviceOffset = (s: Scenario) => s.jumpTo ?? s.skew;

/**
 * How long a jumping kiosk runs (fake time, fast-forwarded) between its last
 * sync and the jump: shorter than the 15-minute poll, so no sync refreshes
 * the status in between, and longer than the end of `clk-ends-mid`.
 */
const RUN_BEFORE_JUMP = 14 * MIN;

const base = demoItems().filter((i) =>
  ['dg-2007-zwgk-plan-notice', 'st-jsj-2003-zwgk-plan', 'xx-2009-zwgk-work-plan'].includes(i.id),
);

const shanghaiDate = (ms: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(ms);

/** Items with ends around the real time `r` (epoch ms) of the test. */
function timedItems(r: number) {
  const like = (id: string, title: string, extra: Record<string, unknown>) => ({
    ...base[0],
    id,
    title: { 'zh-Hans': title },
    ...extra,
  });
  return [
    ...base,
    like('clk-ended', '时钟测试：六小时前已结束展示', {
      display: { rotate: true, priority: 0, showUntil: new Date(r - 6 * HOUR).toISOString() },
    }),
    like('clk-ends-mid', '时钟测试：七分钟后结束展示', {
      display: { rotate: true, priority: 0, showUntil: new Date(r + 7 * MIN).toISOString() },
    }),
    like('clk-ends-soon', '时钟测试：六小时后结束展示', {
      display: { rotate: true, priority: 0, showUntil: new Date(r + 6 * HOUR).toISOString() },
    }),
    like('clk-valid-ended', '时钟测试：前天已失效', {
      validity: { status: '有效', validUntil: shanghaiDate(r - 2 * DAY) },
    }),
  ];
}

/** When each timed item stops being current (epoch ms; a date-only end lasts the whole local day). */
function endsOf(r: number): Map<string, number> {
  const validEnd = Date.parse(`${shanghaiDate(r - 2 * DAY)}T24:00:00+08:00`);
  return new Map([
    ['clk-ended', r - 6 * HOUR],
    ['clk-ends-mid', r + 7 * MIN],
    ['clk-ends-soon', r + 6 * HOUR],
    ['clk-valid-ended', validEnd],
  ]);
}

const CHECKS = ['item-end', 'skew', 'rollback'] as const;

const short = !RELIABILITY_FULL;
const chosen = SCENARIOS.filter((s) => !short || s.short);

describe('reliability: clock skew (device clock vs trustedNow)', () => {
  let browser: Browser;
  let work: string;
  let dist: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'gk-rel-clock-'));
    dist = await snapshotDist(process.env.GK_TEST_DIST ?? 'dist', join(work, 'dist'));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  for (const scenario of chosen) {
    it(`${scenario.name}: no rollback, skew reported, nothing shown after its end`, async () => {
      const failures = await runScenario(browser, dist, scenario);
      expect(failures).toEqual([]);
    });
  }
});

/** Runs one scenario's three checks, records one trial each, returns the failures. */
async function runScenario(browser: Browser, dist: string, s: Scenario): Promise<string[]> {
  const r0 = Date.now();
  const server: BundleServer = await startBundleServer(dist);
  const context: BrowserContext = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    serviceWorkers: 'block',
  });
  const page: Page = await context.newPage();
  const logs: string[] = [];
  page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
  const failures: string[] = [];
  const done = new Set<string>();
  const trial = async (check: string, fn: () => Promise<string>) => {
    done.add(check);
    const t0 = Date.now();
    try {
      const detail = await fn();
      const data = { check, ms: Date.now() - t0 };
      recordTrial(CASE, { trial: `${s.name}/${check}`, ok: true, detail, data });
    } catch (err) {
      const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
      const data = { check, ms: Date.now() - t0 };
      recordTrial(CASE, { trial: `${s.name}/${check}`, ok: false, detail, data });
      failures.push(`${check}: ${detail}${logs.length ? `\n${logs.join('\n')}` : ''}`);
    }
  };
  try {
    const items = timedItems(r0);
    const ends = endsOf(r0);
    server.bundle = makeBundle({
      items,
      version: 2,
      generatedAt: new Date(r0 - HOUR).toISOString(),
      ...(s.expiresIn ? { expiresAt: new Date(r0 + s.expiresIn).toISOString() } : {}),
    }).files;
    await context.clock.install({ time: Date.now() + s.skew });
    await page.goto(server.url);
    await expect
      .poll(async () => (await kioskStatus(page))?.activeVersion, { timeout: 20_000 })
      .toBe(2);
    await expect.poll(async () => (await displayState(page)).rotation.length).toBeGreaterThan(0);

    if (s.jumpTo !== undefined) {
      await context.clock.fastForward(RUN_BEFORE_JUMP);
      await context.clock.setSystemTime(Date.now() + s.jumpTo);
      if (s.restartWithoutDate) {
        await stripDateHeaders(context);
        await page.reload();
        await expect
          .poll(async () => (await displayState(page)).rotation.length, { timeout: 20_000 })
          .toBeGreaterThan(0);
      }
      // A few display heartbeats (250 ms) and a playlist rebuild for the new local date.
      await page.waitForTimeout(1500);
    }

    // trustedNow as the kiosk should compute it: the device clock when it is
    // ahead, else the newest server time it has seen, advanced since (by the
    // fast-forwarded run too, unless the kiosk restarted and forgot it).
    const ran = s.jumpTo !== undefined && !s.restartWithoutDate ? RUN_BEFORE_JUMP : 0;
    const trustedNow = () => Math.max(Date.now() + deviceOffset(s), Date.now() + ran);
    const ahead = deviceOffset(s) > 0;

    await trial('item-end', async () => {
      const st = await displayState(page);
      const t = trustedNow();
      if (st.now === null) throw new Error('no display on screen');
      if (Math.abs(st.now - t) > 5 * MIN) {
        throw new Error(
          `display time ${new Date(st.now).toISOString()} is not trustedNow ${new Date(t).toISOString()}`,
        );
      }
      const problems: string[] = [];
      for (const [id, end] of ends) {
        const over = end < t;
        if (over && st.rotation.includes(id)) problems.push(`${id} rotates after its end`);
        if (st.shown.some((e) => e.id === id && e.at > end))
          problems.push(`${id} was shown after its end`);
        if (!over && !st.rotation.includes(id)) problems.push(`${id} missing while current`);
      }
      const active = await page.evaluate(
        (list) => {
          const app = document.querySelector('gk-app') as
            (Element & { _noticeActive?: (n: unknown) => boolean }) | null;
          return list.map((n) => app?._noticeActive?.(n) ?? null);
        },
        items.filter((i) => ends.has(i.id)),
      );
      items
        .filter((i) => ends.has(i.id))
        .forEach((item, k) => {
          if ((ends.get(item.id) ?? 0) < t && active[k] !== false) {
            problems.push(`${item.id} counts as in its window for the touch kiosk`);
          }
        });
      for (let k = 1; k < st.shown.length; k++) {
        if (st.shown[k].at < st.shown[k - 1].at - 1000) {
          problems.push(
            `proof-of-display time went back from ${new Date(st.shown[k - 1].at).toISOString()} to ${new Date(st.shown[k].at).toISOString()} (${st.shown[k].id})`,
          );
          break;
        }
      }
      if (!(await screenText(page)).trim()) problems.push('blank screen');
      const status = await kioskStatus(page);
      // A bundle past expiresAt by trustedNow keeps showing, with the stale banner.
      if (s.expiresIn !== undefined && r0 + s.expiresIn < t) {
        if (!status?.stale) problems.push('expired bundle not marked stale');
        if (!/内容可能已过时/.test(await bannerText(page))) problems.push('no stale banner');
      }
      if (problems.length) throw new Error(problems.join('; '));
      return `rotation ${st.rotation.length} items at ${new Date(st.now).toISOString()}`;
    });

    await trial('skew', async () => {
      const expected = Math.max(0, -deviceOffset(s));
      // Reported on screen within seconds, even when the clock jumped with no sync since.
      let banner: string;
      const deadline = Date.now() + 8000;
      do {
        banner = await bannerText(page);
        if (/设备时钟比可信时间慢/.test(banner) === expected > 0) break;
        await page.waitForTimeout(200);
      } while (Date.now() < deadline);
      if (expected > 0 && !/设备时钟比可信时间慢/.test(banner))
        throw new Error(`no skew banner (banner: ${banner || 'empty'})`);
      if (expected === 0 && /设备时钟比可信时间慢/.test(banner))
        throw new Error(`skew reported for a clock ahead: ${banner}`);
      // Ahead of the server's Date: reported as such, unless no Date was ever heard.
      const expectedAhead = ahead && !s.restartWithoutDate ? deviceOffset(s) : 0;
      const aheadShown = /设备时钟比服务器时间快/.test(banner);
      if (expectedAhead > 0 && !aheadShown)
        throw new Error(`no clock-ahead banner (banner: ${banner || 'empty'})`);
      if (expectedAhead === 0 && aheadShown)
        throw new Error(`clock ahead reported with no server Date: ${banner}`);
      if (expected > 0 && s.jumpTo !== undefined) return `banner: ${banner}`;
      const status = await kioskStatus(page);
      const got = status?.clockSkewMs ?? -1;
      if (expected === 0 ? got !== 0 : Math.abs(got - expected) > 2 * HOUR)
        throw new Error(`status clockSkewMs ${got}, expected about ${expected}`);
      const gotAhead = status?.clockAheadMs ?? -1;
      if (expectedAhead === 0 ? gotAhead !== 0 : Math.abs(gotAhead - expectedAhead) > 2 * HOUR)
        throw new Error(`status clockAheadMs ${gotAhead}, expected about ${expectedAhead}`);
      return `clockSkewMs ${got}, clockAheadMs ${gotAhead}`;
    });

    await trial('rollback', async () => {
      // Only the kiosk's persisted time floor may refuse these: no server Date.
      await stripDateHeaders(context);
      const problems: string[] = [];
      const offer = async (version: number, title: string, expiresAt?: string) => {
        server.bundle = makeBundle({
          items: [...items, { ...base[0], id: `clk-v${version}`, title: { 'zh-Hans': title } }],
          version,
          generatedAt: new Date(r0 - 30 * MIN).toISOString(),
          ...(expiresAt ? { expiresAt } : {}),
        }).files;
        await adminCheckNow(page);
        return kioskStatus(page);
      };
      const older = await offer(1, '时钟测试：旧版本不应出现');
      if (older?.lastError?.code !== 'rollback')
        problems.push(`older version: ${older?.lastError?.code ?? 'accepted'}`);
      // Expired by trustedNow; by the device clock only when it is ahead.
      const expiresAt = ahead ? r0 + deviceOffset(s) / 2 : r0 - HOUR;
      const expired = await offer(
        3,
        '时钟测试：已过期版本不应出现',
        new Date(expiresAt).toISOString(),
      );
      if (expired?.lastError?.code !== 'expired')
        problems.push(`expired bundle: ${expired?.lastError?.code ?? 'accepted'}`);
      // Refused by a clock the server said was ahead: the refusal says the clock may be wrong.
      const hint = /设备时钟比服务器时间快/.test(expired?.lastError?.message ?? '');
      if (hint !== (ahead && !s.restartWithoutDate))
        problems.push(
          `expired refusal “${expired?.lastError?.message}” ${hint ? 'blames' : 'does not blame'} the clock`,
        );
      const status = await kioskStatus(page);
      if (status?.activeVersion !== 2) problems.push(`active version ${status?.activeVersion}`);
      const ids = await page.evaluate(() => {
        const app = document.querySelector('gk-app') as
          (Element & { _items?: { id: string }[] }) | null;
        return (app?._items ?? []).map((i) => i.id);
      });
      if (ids.some((id) => id === 'clk-v1' || id === 'clk-v3')) problems.push('refused item shown');
      if (problems.length) throw new Error(problems.join('; '));
      return `refused v1 (rollback) and v3 expiring ${new Date(expiresAt).toISOString()} (expired)`;
    });
  } catch (err) {
    const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
    failures.push(`setup: ${detail}\n${logs.join('\n')}`);
    // One trial per scenario × check, even when the scenario broke before a check ran.
    for (const check of CHECKS.filter((c) => !done.has(c))) {
      recordTrial(CASE, {
        trial: `${s.name}/${check}`,
        ok: false,
        detail: `not reached: ${detail}`,
        data: { check },
      });
    }
  } finally {
    await context.close();
    await server.close();
  }
  return failures;
}

/** Bundle responses lose their Date header from now on (a kiosk with no network time). */
async function stripDateHeaders(context: BrowserContext): Promise<void> {
  await context.unroute('**/bundles/**').catch(() => undefined);
  await context.route('**/bundles/**', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers.date;
    await route.fulfill({ response, headers });
  });
}
