// The ingest pipeline and the sync engine in Node, against a real HTTP server
// on loopback (test/helpers/bundle-server.ts) and fake-indexeddb. The same code
// runs in Chromium in test/e2e/sync.e2e.ts.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/data/db.ts';
import { ingestBundle, type IngestOptions } from '../../src/sync/ingest.ts';
import { fileSource, httpSource } from '../../src/sync/sources.ts';
import { SyncError } from '../../src/sync/errors.ts';
import { SyncEngine } from '../../src/sync/engine.ts';
import { validateConfig } from '../../src/config/validate.ts';
import type { KioskConfig } from '../../src/config/types.ts';
import { startBundleServer, type BundleServer } from '../helpers/bundle-server.ts';
import {
  demoKey,
  generatedItems,
  makeAlerts,
  makeBundle,
  newKey,
  type BuiltBundle,
} from '../helpers/make-bundle.ts';
import { readFileSync } from 'node:fs';
import { PACK_FILE, packBundle } from '../../src/content/pack.ts';
import { recordTrial, type ReliabilityCase } from '../helpers/reliability.ts';

/** Reliability suite (issue #11): every hostile bundle below is one trial; accepted must be 0. */
const HOSTILE: ReliabilityCase = {
  id: 'hostile-bundle',
  title: 'Hostile bundles',
  failures: 'hostile bundles accepted',
  how: 'test/sync/ingest.test.ts: each hostile bundle (tampered file, manifest, signature or pack entry; truncated file or pack; oversized; wrong key; rollback; replay; expired; path traversal; wrong bundleId) is served from a real loopback HTTP server over an active version; a trial fails unless the ingest is refused with the right error code and the active version and its items are unchanged.',
};

const key = demoKey();
const trustedKeys = [{ id: key.id, jwk: key.jwk, demo: true }];
const limits = { maxFileBytes: 1_000_000, maxBundleBytes: 50_000_000 };

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
  store = await openStore({}, `ingest-${n++}`);
  server.faults = {};
  server.served.length = 0;
  server.now = undefined;
});

function serve(bundle: BuiltBundle): void {
  server.bundle = new Map(bundle.files);
}

const opts = (extra: Partial<IngestOptions> = {}): IngestOptions => ({
  store,
  trustedKeys,
  bundleId: 'gongkai-demo',
  limits,
  now: () => Date.parse('2026-11-24T00:00:00Z'),
  estimate: async () => ({ usage: 0, quota: 1e9 }),
  ...extra,
});

const src = (timeoutMs = 5_000) =>
  httpSource(`${server.url}bundles/demo/manifest.json`, { timeoutMs });

async function activeIds(): Promise<string[]> {
  const c = await store.loadActive();
  return (c?.items ?? []).map((f) => (f.item as { id: string }).id).sort();
}

/** {@link expectRefused}, recorded as one hostile-bundle trial. */
async function hostile(name: string, code: SyncError['code'], run: () => Promise<unknown>) {
  try {
    const err = await expectRefused(code, run);
    recordTrial(HOSTILE, { trial: name, ok: true, detail: `refused: ${err.code}` });
    return err;
  } catch (e) {
    recordTrial(HOSTILE, { trial: name, ok: false, detail: String(e).slice(0, 200) });
    throw e;
  }
}

async function expectRefused(code: SyncError['code'], run: () => Promise<unknown>) {
  const before = await store.activeVersion();
  const beforeIds = await activeIds();
  const err = await run().then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'the ingest should have been refused').toBeInstanceOf(SyncError);
  expect((err as SyncError).code, (err as SyncError).message).toBe(code);
  expect((err as SyncError).message).toMatch(/[\u4e00-\u9fff]/);
  expect((await store.activeVersion())?.version).toBe(before?.version);
  expect(await activeIds()).toEqual(beforeIds);
  return err as SyncError;
}

describe('ingestBundle over HTTP', () => {
  it('ingests a verified bundle, then downloads only what changed', async () => {
    serve(makeBundle({ items: generatedItems(200), version: 1 }));
    const first = await ingestBundle(src(), opts());
    expect(first.outcome).toBe('switched');
    expect(await activeIds()).toHaveLength(200);
    const full = first.bytesDownloaded;

    // 1% of the items change (every 100th).
    serve(makeBundle({ items: generatedItems(200, { rev: 1, every: 100 }), version: 2 }));
    server.served.length = 0;
    const second = await ingestBundle(src(), opts());
    expect(second.version).toBe(2);
    const itemFiles = server.served.filter((p) => p.startsWith('objects/'));
    // 2 items + at most 2 shards.
    expect(itemFiles.length).toBeLessThanOrEqual(4);
    expect(second.bytesDownloaded / full).toBeLessThan(0.05);
    expect((await store.loadActive())?.record.version).toBe(2);
    expect(await store.versions()).toEqual([1, 2]);
  });

  it('answers a conditional request with not-modified', async () => {
    serve(makeBundle({ items: generatedItems(5), version: 1 }));
    const first = await ingestBundle(src(), opts());
    const again = await ingestBundle(
      httpSource(`${server.url}bundles/demo/manifest.json`, {
        timeoutMs: 5000,
        manifestEtag: first.manifestEtag,
      }),
      opts(),
    );
    expect(again.outcome).toBe('not-modified');
  });

  describe('refuses hostile or broken bundles and keeps the active version', () => {
    beforeEach(async () => {
      serve(makeBundle({ items: generatedItems(20), version: 5 }));
      await ingestBundle(src(), opts());
    });
    const next = (extra: Partial<Parameters<typeof makeBundle>[0]> = {}) =>
      serve(makeBundle({ items: generatedItems(20, { rev: 2 }), version: 6, ...extra }));

    it('a flipped byte in an item file', async () => {
      next();
      server.faults.flipByte = (p) => p.startsWith('objects/') && server.served.length > 4;
      const e = await hostile('tampered file (one flipped byte)', 'hash', () =>
        ingestBundle(src(), opts()),
      );
      expect(e.message).toContain('objects/');
    });
    it('a connection dropped mid-file', async () => {
      next();
      server.faults.dropAfter = { match: (p) => p.startsWith('objects/'), bytes: 10 };
      await hostile('truncated file (connection dropped)', 'truncated', () =>
        ingestBundle(src(), opts()),
      );
    });
    it('HTTP 500', async () => {
      next();
      server.faults.status = { match: (p) => p.startsWith('objects/'), code: 500 };
      const e = await expectRefused('http', () => ingestBundle(src(), opts()));
      expect(e.message).toContain('500');
    });
    it('an older manifest (rollback) and a replay of a superseded one', async () => {
      serve(makeBundle({ items: generatedItems(20), version: 4 }));
      await hostile('rollback (older version)', 'rollback', () => ingestBundle(src(), opts()));
      // Version 5's exact signed bytes, served again after version 6 took over.
      const v5 = new Map(server.bundle);
      next();
      expect((await ingestBundle(src(), opts())).version).toBe(6);
      server.bundle = v5;
      await hostile('replay (a superseded signed manifest)', 'rollback', () =>
        ingestBundle(src(), opts()),
      );
    });
    it('the version on screen offered again is up to date, not a rollback', async () => {
      // After a restart the ETag of the last check is gone and the server still
      // publishes the active version: nothing to do, and nothing to complain about.
      const before = await activeIds();
      const again = await ingestBundle(src(), opts());
      expect(again.outcome).toBe('not-modified');
      expect((await store.activeVersion())?.version).toBe(5);
      expect(await activeIds()).toEqual(before);
    });
    it('a manifest signed by an untrusted key', async () => {
      next({ key: newKey('demo-2026') });
      await hostile('wrong key (same key id)', 'signature', () => ingestBundle(src(), opts()));
    });
    it('a tampered manifest', async () => {
      next();
      const m = server.bundle.get('manifest.json')!;
      server.bundle.set(
        'manifest.json',
        new TextEncoder().encode(new TextDecoder().decode(m).replace('"version":6', '"version":7')),
      );
      await hostile('tampered manifest', 'signature', () => ingestBundle(src(), opts()));
    });
    it('a tampered signature', async () => {
      next();
      const sig = new TextDecoder().decode(server.bundle.get('manifest.sig')!).trim();
      const flipped = (sig[10] === 'A' ? 'B' : 'A') + sig.slice(11);
      server.bundle.set('manifest.sig', new TextEncoder().encode(sig.slice(0, 10) + flipped));
      await hostile('tampered signature', 'signature', () => ingestBundle(src(), opts()));
    });
    it('a wrong bundleId', async () => {
      next({ bundleId: 'someone-else' });
      await hostile('wrong bundleId', 'bundle-id', () => ingestBundle(src(), opts()));
    });
    it('an expired manifest', async () => {
      next({ expiresAt: '2026-01-01T00:00:00Z' });
      await hostile('expired manifest', 'expired', () => ingestBundle(src(), opts()));
    });
    it('odd paths', async () => {
      next({
        mutateManifest: (m) => {
          m.indexes[0] = { ...m.indexes[0], path: `../${m.indexes[0].path}` };
        },
      });
      await hostile('path traversal (../ in a listed path)', 'unsafe-path', () =>
        ingestBundle(src(), opts()),
      );
    });
    it('a file over the size limit, and a body longer than declared', async () => {
      next();
      await hostile('file over the size limit', 'oversized', () =>
        ingestBundle(src(), opts({ limits: { ...limits, maxFileBytes: 100 } })),
      );
      server.faults.oversize = { match: (p) => p.startsWith('objects/'), bytes: 5000 };
      await hostile('body longer than declared (oversized)', 'oversized', () =>
        ingestBundle(src(), opts()),
      );
    });
    it('a slow server (timeout)', async () => {
      next();
      server.faults.delayMs = { match: (p) => p.startsWith('objects/'), ms: 600 };
      await expectRefused('timeout', () => ingestBundle(src(300), opts()));
    });
    it('not enough storage (estimate before staging)', async () => {
      next();
      await expectRefused('quota', () =>
        ingestBundle(src(), opts({ estimate: async () => ({ usage: 990, quota: 1000 }) })),
      );
    });
    it('a QuotaExceededError at commit', async () => {
      next();
      await expectRefused('quota', () =>
        ingestBundle(
          src(),
          opts({
            commit: () => Promise.reject(new DOMException('full', 'QuotaExceededError')),
          }),
        ),
      );
    });
    it('a sideloaded folder with a file the manifest does not list', async () => {
      next();
      const files = [...server.bundle].map(([path, bytes]) => ({
        path,
        blob: new Blob([Uint8Array.from(bytes)]),
      }));
      files.push({ path: 'objects/zz/extra.json', blob: new Blob(['{}']) });
      const e = await hostile('sideloaded folder with an unlisted file', 'unlisted', () =>
        ingestBundle(fileSource(files), opts()),
      );
      expect(e.message).toContain('objects/zz/extra.json');
      // Without the extra file, the same folder is accepted.
      const ok = await ingestBundle(fileSource(files.slice(0, -1)), opts());
      expect(ok.version).toBe(6);
    });
  });

  describe('the packed copy (bundle.gkb) beside the manifest', () => {
    const withPack = (bundle: BuiltBundle, pack = packBundle(bundle.files)) => {
      serve(bundle);
      server.bundle.set(PACK_FILE, pack);
    };
    const v1 = () => makeBundle({ items: generatedItems(200), version: 1 });

    it('a first sync fetches the pack in one request and checks every entry', async () => {
      const bundle = v1();
      withPack(bundle);
      const r = await ingestBundle(src(), opts());
      expect(r.version).toBe(1);
      expect(server.served).toEqual(['manifest.json', 'manifest.sig', PACK_FILE]);
      expect(r.filesDownloaded).toBe(bundle.files.size - 2);
      expect(await activeIds()).toHaveLength(200);
    });

    it('a 1% update downloads only the changed files, not the pack', async () => {
      withPack(v1());
      const full = (await ingestBundle(src(), opts())).bytesDownloaded;
      withPack(makeBundle({ items: generatedItems(200, { rev: 1, every: 100 }), version: 2 }));
      server.served.length = 0;
      const r = await ingestBundle(src(), opts());
      expect(r.version).toBe(2);
      expect(server.served).not.toContain(PACK_FILE);
      expect(r.bytesDownloaded / full).toBeLessThan(0.05);
    });

    it('a change of most items fetches the pack after walking the index', async () => {
      withPack(v1());
      await ingestBundle(src(), opts());
      withPack(makeBundle({ items: generatedItems(200, { rev: 1 }), version: 2 }));
      server.served.length = 0;
      const r = await ingestBundle(src(), opts());
      expect(r.version).toBe(2);
      expect(server.served).toContain(PACK_FILE);
      // Manifest, signature, the changed shards, then one pack for every item.
      expect(server.served.filter((p) => p.startsWith('objects/')).length).toBeLessThan(40);
      expect((await store.loadActive())?.items.length).toBe(200);
    });

    it('a stale pack (an older version) only supplies what it has; the rest is downloaded', async () => {
      const old = makeBundle({ items: generatedItems(200, { rev: 3 }), version: 1 });
      const bundle = makeBundle({ items: generatedItems(200, { rev: 3, every: 2 }), version: 2 });
      withPack(bundle, packBundle(old.files));
      const r = await ingestBundle(src(), opts());
      expect(r.version).toBe(2);
      expect(server.served).toContain(PACK_FILE);
      expect(server.served.filter((p) => p.startsWith('objects/')).length).toBeGreaterThan(50);
      expect(await activeIds()).toHaveLength(200);
    });

    describe('a bad pack is refused and the active version stays', () => {
      beforeEach(async () => {
        serve(makeBundle({ items: generatedItems(20), version: 1 }));
        await ingestBundle(src(), opts());
      });
      // Every item revised, so the pack is used.
      const next = () => makeBundle({ items: generatedItems(20, { rev: 4 }), version: 2 });

      it('a flipped byte inside an entry of the pack', async () => {
        const bundle = next();
        const pack = packBundle(bundle.files);
        // Flip a byte in the middle of a new item file, where it sits in the pack.
        const known = new Set(makeBundle({ items: generatedItems(20), version: 1 }).files.keys());
        const target = [...bundle.files.keys()].find(
          (p) => p.startsWith('objects/') && !known.has(p),
        )!;
        const body = bundle.files.get(target)!;
        const at = Buffer.from(pack).indexOf(Buffer.from(body));
        expect(at).toBeGreaterThan(0);
        pack[at + Math.floor(body.length / 2)] ^= 0x01;
        withPack(bundle, pack);
        const e = await hostile('tampered pack entry (one flipped byte)', 'hash', () =>
          ingestBundle(src(), opts()),
        );
        expect(e.message).toContain(PACK_FILE);
      });
      it('a truncated pack file', async () => {
        const bundle = next();
        const pack = packBundle(bundle.files);
        withPack(bundle, pack.subarray(0, pack.length - 100));
        const e = await hostile('truncated pack', 'truncated', () => ingestBundle(src(), opts()));
        expect(e.message).toContain(PACK_FILE);
      });
      it('a connection dropped mid-pack', async () => {
        withPack(next());
        server.faults.dropAfter = { match: (p) => p === PACK_FILE, bytes: 2000 };
        const e = await hostile('pack cut by a dropped connection', 'truncated', () =>
          ingestBundle(src(), opts()),
        );
        expect(e.message).toContain(PACK_FILE);
      });
      it('an entry swapped for another file of the bundle', async () => {
        const bundle = next();
        const files = new Map(bundle.files);
        const paths = [...files.keys()].filter((p) => p.startsWith('objects/'));
        const [a, b] = [files.get(paths[0])!, files.get(paths[1])!];
        files.set(paths[0], b);
        withPack(bundle, packBundle(files));
        const code =
          b.length === a.length ? 'hash' : b.length > a.length ? 'oversized' : 'truncated';
        await hostile('pack entry swapped for another file', code, () =>
          ingestBundle(src(), opts()),
        );
        expect((await store.activeVersion())?.version).toBe(1);
      });
    });
  });

  it('rotates keys through nextKeys signed by a trusted key', async () => {
    const k2 = newKey('k2');
    serve(makeBundle({ items: generatedItems(3), version: 1 }));
    await ingestBundle(src(), opts());
    // Not yet trusted.
    serve(makeBundle({ items: generatedItems(3), version: 2, key: k2 }));
    await expectRefused('signature', () => ingestBundle(src(), opts()));
    serve(
      makeBundle({
        items: generatedItems(3),
        version: 2,
        nextKeys: [{ id: k2.id, jwk: k2.jwk }],
      }),
    );
    await ingestBundle(src(), opts());
    serve(makeBundle({ items: generatedItems(3, { rev: 1 }), version: 3, key: k2 }));
    expect((await ingestBundle(src(), opts())).version).toBe(3);
    expect((await store.getMeta('learnedKeys'))?.map((k) => k.id)).toEqual(['k2']);
  });

  it('never lets a clock set back accept an expired bundle (trustedNow)', async () => {
    serve(
      makeBundle({ items: generatedItems(3), version: 1, generatedAt: '2027-06-01T00:00:00Z' }),
    );
    await ingestBundle(src(), opts());
    // The device clock says 2026-11-24, but a verified bundle was generated in 2027.
    serve(makeBundle({ items: generatedItems(3), version: 2, expiresAt: '2027-01-01T00:00:00Z' }));
    await expectRefused('expired', () => ingestBundle(src(), opts()));
  });
});

describe('SyncEngine', () => {
  const config = (): KioskConfig => {
    const raw = JSON.parse(readFileSync('kiosk-config/default.json', 'utf8')) as Record<
      string,
      unknown
    >;
    const c = validateConfig('kiosk-config/default.json', raw).config!;
    return {
      ...c,
      sync: { ...c.sync, statusUrl: 'fleet', pollSeconds: 900, jitterSeconds: 60 },
    };
  };

  /** Timers that run only when the test says so. */
  function manualTimers() {
    const pending: { fn: () => void; ms: number; id: number }[] = [];
    let id = 0;
    return {
      pending,
      set: (fn: () => void, ms: number) => {
        pending.push({ fn, ms, id: ++id });
        return id;
      },
      clear: (i: unknown) => {
        const at = pending.findIndex((p) => p.id === i);
        if (at >= 0) pending.splice(at, 1);
      },
    };
  }

  it('reports status in plain words, backs off after a failure, reports to the fleet, and recovers', async () => {
    serve(makeBundle({ items: generatedItems(10), version: 1 }));
    const timers = manualTimers();
    let now = Date.parse('2026-11-24T00:00:00Z');
    server.fleetReports.length = 0;
    const engine = new SyncEngine({
      store,
      config: config(),
      baseUrl: `${server.url}index.html`,
      now: () => now,
      random: () => 0.5,
      timers,
      storage: { estimate: async () => ({ usage: 1234, quota: 1e9 }), persist: async () => false },
      timeoutMs: 2000,
    });
    await engine.start();
    await engine.checkNow();
    expect(engine.status.activeVersion).toBe(1);
    expect(engine.status.lastError).toBeNull();
    expect(engine.status.persisted).toBe(false);
    expect(engine.status.bytesStored).toBe(1234);
    // Next check after the poll interval plus jitter (random 0.5 → +30 s).
    expect(Date.parse(engine.status.nextCheck!) - now).toBe(900_000 + 30_000);

    serve(makeBundle({ items: generatedItems(10, { rev: 1 }), version: 2 }));
    server.faults.status = { match: () => true, code: 503 };
    now += 1000;
    await engine.checkNow();
    expect(engine.status.activeVersion).toBe(1);
    expect(engine.status.lastError?.code).toBe('http');
    expect(engine.status.lastError?.message).toContain('内容服务器出错');
    // Backoff: 5 s base, full jitter over the upper half → 3.75 s at random 0.5.
    expect(Date.parse(engine.status.nextCheck!) - now).toBe(3750);
    await engine.checkNow();
    expect(Date.parse(engine.status.nextCheck!) - now).toBe(7500);

    // The fleet endpoint fails: nothing else changes.
    server.fleetStatus = 500;
    server.faults = {};
    await engine.checkNow();
    expect(engine.status.activeVersion).toBe(2);
    expect(engine.status.lastError).toBeNull();
    await new Promise((r) => setTimeout(r, 100));
    const reports = server.fleetReports as {
      kioskId: string;
      location: string;
      status: { activeVersion: number };
    }[];
    expect(reports.length).toBeGreaterThanOrEqual(4);
    expect(reports.at(-1)?.kioskId).toBe('default');
    expect(reports.at(-1)?.location).toContain('演示环境');
    server.fleetStatus = 204;
    engine.stop();
    expect(timers.pending).toHaveLength(0);
  });

  it('marks an expired active bundle stale, keeps it, and reports a clock behind trustedNow', async () => {
    serve(
      makeBundle({
        items: generatedItems(2),
        version: 1,
        generatedAt: '2026-11-23T00:00:00Z',
        expiresAt: '2026-11-25T00:00:00Z',
      }),
    );
    let now = Date.parse('2026-11-24T00:00:00Z');
    // The server's Date header follows the same fake clock: the engine takes the
    // latest of the device clock and the server's Date as trusted time.
    server.now = () => now;
    const engine = new SyncEngine({
      store,
      config: config(),
      baseUrl: `${server.url}index.html`,
      now: () => now,
      timers: manualTimers(),
      storage: null,
    });
    await engine.start();
    await engine.checkNow();
    expect(engine.status.stale).toBe(false);
    now = Date.parse('2026-11-26T00:00:00Z');
    await engine.refreshFromStore();
    expect(engine.status.stale).toBe(true);
    expect(engine.status.activeVersion).toBe(1);
    // The device clock jumps back before the bundle's generatedAt and the server's Date.
    now = Date.parse('2026-11-19T00:00:00Z');
    await engine.refreshFromStore();
    expect(engine.status.clockSkewMs).toBeGreaterThan(3 * 86_400_000);
    expect(Date.parse(engine.status.trustedNow)).toBeGreaterThanOrEqual(
      Date.parse('2026-11-23T00:00:00Z'),
    );
    engine.stop();
  });

  it('accepts alerts only with a strictly increasing sequence', async () => {
    const timers = manualTimers();
    const seen: number[] = [];
    const engine = new SyncEngine({
      store,
      config: config(),
      baseUrl: `${server.url}index.html`,
      timers,
      storage: null,
      onAlerts: (_a, seq) => seen.push(seq),
    });
    serve(makeBundle({ items: generatedItems(2), version: 1 }));
    const put = (m: Map<string, Uint8Array>) => {
      for (const [p, b] of m) server.bundle.set(p, b);
    };
    put(makeAlerts({ sequence: 3, alerts: [{ title: '暴雨红色预警' }] }));
    await engine.start();
    // Run the timers due now: the first content check and the first alerts check.
    for (const t of timers.pending.filter((p) => p.ms === 0)) t.fn();
    await new Promise((r) => setTimeout(r, 500));
    expect(seen).toEqual([3]);
    put(makeAlerts({ sequence: 2, alerts: [] }));
    const t = timers.pending.find((p) => p.ms <= 60_000 && p.ms > 0)!;
    t.fn();
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toEqual([3]);
    expect(engine.status.alertsError?.code).toBe('rollback');
    expect((await store.getMeta('alerts'))?.sequence).toBe(3);
    engine.stop();
  });
});
