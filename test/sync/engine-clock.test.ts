// The sync engine and the device clock (issues #6 and #11): the engine runs on
// the shell's TrustedClock, so a clock jump shows in the fleet report without
// waiting for a check, the expiry check counts the time elapsed since the
// persisted floor was read, and a device clock ahead of the server's Date is
// reported and named in an expired refusal. Real loopback server (its Date
// header is the host's clock, or the test's fixed time where a test pins one),
// fake-indexeddb, fake wall and monotonic clocks.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { openStore, type Store } from '../../src/data/db.ts';
import { SyncEngine, type Timers } from '../../src/sync/engine.ts';
import { SKEW_TOLERANCE_MS, TrustedClock } from '../../src/sync/time.ts';
import type { SyncStatus } from '../../src/sync/status.ts';
import { validateConfig } from '../../src/config/validate.ts';
import type { KioskConfig } from '../../src/config/types.ts';
import { startBundleServer, type BundleServer } from '../helpers/bundle-server.ts';
import { generatedItems, makeBundle } from '../helpers/make-bundle.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;

let server: BundleServer;
let store: Store;
let n = 0;

beforeAll(async () => {
  server = await startBundleServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  store = await openStore({}, `engine-clock-${n++}`);
  server.faults = {};
  server.fleetReports.length = 0;
  server.fleetStatus = 204;
  server.now = undefined;
});

function config(): KioskConfig {
  const raw = JSON.parse(readFileSync('kiosk-config/default.json', 'utf8')) as Record<
    string,
    unknown
  >;
  const c = validateConfig('kiosk-config/default.json', raw).config!;
  return { ...c, sync: { ...c.sync, statusUrl: 'fleet', alertsUrl: undefined } };
}

/** Timers that run only when the test says so. */
function manualTimers(): Timers & { pending: { fn: () => void; ms: number; id: number }[] } {
  const pending: { fn: () => void; ms: number; id: number }[] = [];
  let id = 0;
  return {
    pending,
    set: (fn, ms) => {
      pending.push({ fn, ms, id: ++id });
      return id;
    },
    clear: (i) => {
      const at = pending.findIndex((p) => p.id === i);
      if (at >= 0) pending.splice(at, 1);
    },
  };
}

/** A device wall clock that can be set, a monotonic clock that cannot, and the TrustedClock on them. */
function clocks(wall: number) {
  const c = { wall, mono: 1000 };
  return {
    c,
    run(ms: number) {
      c.wall += ms;
      c.mono += ms;
    },
    clock: new TrustedClock(
      () => c.wall,
      () => c.mono,
    ),
  };
}

function engineWith(clock: TrustedClock, now: () => number, timers = manualTimers()) {
  const engine = new SyncEngine({
    store,
    config: config(),
    baseUrl: `${server.url}index.html`,
    now,
    clock,
    random: () => 0.5,
    timers,
    storage: null,
    timeoutMs: 2000,
  });
  return { engine, timers };
}

const reports = () => server.fleetReports as { status: SyncStatus }[];

describe('SyncEngine on a TrustedClock', () => {
  it('reports a clock set back to the fleet at the next hourly report, with no check in between', async () => {
    // A fixed "real" time after the bundle was generated (makeBundle: 2026-11-20), never
    // today's date; the server's Date header follows it as it runs (the monotonic clock).
    const real = Date.parse('2026-11-24T08:00:00Z');
    serve(makeBundle({ items: generatedItems(3), version: 1 }));
    const { c, clock, run } = clocks(real);
    server.now = () => real + c.mono - 1000;
    const { engine, timers } = engineWith(clock, () => c.wall);
    await engine.start();
    await engine.checkNow();
    expect(engine.status.clockSkewMs).toBe(0);
    run(10 * 60_000);
    c.wall -= 365 * DAY; // RTC reset while running
    // The hourly report fires; no sync has run since the jump.
    const hourly = timers.pending.find((p) => p.ms === HOUR);
    expect(hourly).toBeDefined();
    const before = reports().length;
    hourly!.fn();
    await expect.poll(() => reports().length, { timeout: 3000 }).toBeGreaterThan(before);
    const sent = reports().at(-1)!.status;
    expect(sent.clockSkewMs).toBeGreaterThan(364 * DAY);
    // trustedNow in the report is the server's time advanced by the 10 minutes, not the device's.
    expect(Math.abs(Date.parse(sent.trustedNow) - (real + 10 * 60_000))).toBeLessThan(60_000);
    engine.stop();
  });

  it('checks expiry against the persisted floor plus the time elapsed since it was read', async () => {
    // The last verified bundle was generated at G; the kiosk starts offline with its
    // clock set back a year and runs for ten days; then a bundle valid until G + 5 days
    // is sideloaded. By trustedNow (≥ G + 10 days) it has expired.
    const G = Date.parse('2026-06-01T00:00:00Z');
    await store.setMeta('timeFloor', { generatedAt: G, httpDate: 0 });
    const { c, clock, run } = clocks(G - 365 * DAY);
    const { engine } = engineWith(clock, () => c.wall);
    await engine.start();
    engine.stop();
    run(10 * DAY);
    const bundle = makeBundle({
      items: generatedItems(2),
      version: 2,
      generatedAt: new Date(G + HOUR).toISOString(),
      expiresAt: new Date(G + 5 * DAY).toISOString(),
    });
    const err = await engine
      .sideload([...bundle.files].map(([path, bytes]) => ({ path, bytes })))
      .then(
        () => null,
        (e: unknown) => e as { code: string },
      );
    expect(err?.code).toBe('expired');
    expect((await store.activeVersion())?.version).toBeUndefined();
  });

  it('reports a device clock ahead of the server’s Date, and names it in an expired refusal', async () => {
    const real = Date.now();
    // Valid for another hour by the server's clock, expired by the device's (a day ahead).
    serve(
      makeBundle({
        items: generatedItems(2),
        version: 1,
        generatedAt: new Date(real - HOUR).toISOString(),
        expiresAt: new Date(real + HOUR).toISOString(),
      }),
    );
    const { c, clock } = clocks(real + DAY);
    const { engine } = engineWith(clock, () => c.wall);
    await engine.start();
    await engine.checkNow();
    expect(engine.status.activeVersion).toBeNull();
    expect(engine.status.lastError?.code).toBe('expired');
    expect(engine.status.lastError?.message).toContain('内容包已过期');
    expect(engine.status.lastError?.message).toMatch(/设备时钟比服务器时间快 (23|24) 小时/);
    expect(Math.abs(engine.status.clockAheadMs - DAY)).toBeLessThan(60_000);
    expect(engine.status.clockSkewMs).toBe(0);
    await expect.poll(() => reports().length, { timeout: 3000 }).toBeGreaterThan(0);
    expect(reports().at(-1)!.status.clockAheadMs).toBeGreaterThan(DAY - 60_000);

    // The clock is corrected: the report clears, and the bundle is taken.
    c.wall = Date.now();
    await engine.checkNow();
    expect(engine.status.clockAheadMs).toBe(0);
    expect(engine.status.lastError).toBeNull();
    expect(engine.status.activeVersion).toBe(1);
    engine.stop();
  });

  it('does not report a device clock ahead within the tolerance', async () => {
    const real = Date.now();
    serve(makeBundle({ items: generatedItems(2), version: 1 }));
    const { c, clock } = clocks(real + SKEW_TOLERANCE_MS - 60_000);
    const { engine } = engineWith(clock, () => c.wall);
    await engine.start();
    await engine.checkNow();
    expect(engine.status.activeVersion).toBe(1);
    expect(engine.status.clockAheadMs).toBe(0);
    engine.stop();
  });
});

function serve(bundle: { files: Map<string, Uint8Array> }): void {
  server.bundle = new Map(bundle.files);
}
