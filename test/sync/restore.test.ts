// Restoring the kiosk's own verified copy (pack files + snapshot) into a
// database that lost its content. In Node with fake-indexeddb and an in-memory
// pack directory; the same path in Chromium with OPFS is in
// test/data/packs.browser.test.ts and test/e2e/sync-kill.e2e.ts.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACK_FILE, packBundle } from '../../src/content/pack.ts';
import { httpSource } from '../../src/sync/sources.ts';
import { SyncError } from '../../src/sync/errors.ts';
import { startBundleServer, type BundleServer } from '../helpers/bundle-server.ts';
import { memoryPackDir, openStore, type Store } from '../../src/data/db.ts';
import { ingestBundle, type IngestOptions } from '../../src/sync/ingest.ts';
import { fileSource } from '../../src/sync/sources.ts';
import { restoreLocalCopy, verifiedLocalCopy } from '../../src/sync/restore.ts';
import {
  demoKey,
  generatedItems,
  makeBundle,
  newKey,
  type BuiltBundle,
} from '../helpers/make-bundle.ts';

const key = demoKey();
const trustedKeys = [{ id: key.id, jwk: key.jwk, demo: true }];
const limits = { maxFileBytes: 1_000_000, maxBundleBytes: 50_000_000 };
let n = 0;

const opts = (store: Store, extra: Partial<IngestOptions> = {}): IngestOptions => ({
  store,
  trustedKeys,
  bundleId: 'gongkai-demo',
  limits,
  now: () => Date.parse('2026-11-24T00:00:00Z'),
  estimate: async () => ({ usage: 0, quota: 1e9 }),
  ...extra,
});

const files = (b: BuiltBundle) =>
  fileSource([...b.files].map(([path, bytes]) => ({ path, bytes })));

async function ids(store: Store): Promise<string[]> {
  return ((await store.loadActive())?.items ?? [])
    .map(
      (f) =>
        `${(f.item as { id: string }).id} ${(f.item as { title: { 'zh-Hans': string } }).title['zh-Hans']}`,
    )
    .sort();
}

/** A kiosk with versions 1 and 2 ingested, then its database lost (the pack directory kept). */
async function lostDatabase(v2: Partial<Parameters<typeof makeBundle>[0]> = {}) {
  const packs = memoryPackDir();
  const before = await openStore({}, `restore-${n++}`, { packs });
  await ingestBundle(files(makeBundle({ items: generatedItems(30), version: 1 })), opts(before));
  const second = makeBundle({
    items: generatedItems(30, { rev: 1, every: 10 }),
    version: 2,
    ...v2,
  });
  await ingestBundle(files(second), opts(before));
  const shown = await ids(before);
  before.close();
  // A new, empty database: what Chromium leaves after recreating a corrupt store.
  const after = await openStore({}, `restore-${n++}`, { packs });
  return { packs, store: after, shown };
}

describe('restoreLocalCopy', () => {
  it('re-verifies and commits the newest snapshot, so the same content shows without a network', async () => {
    const { store, shown, packs } = await lostDatabase();
    expect(await store.loadActive()).toBe(null);
    // Snapshots of the kept versions (1 and 2), and their pack files.
    expect([...packs.files.keys()].filter((f) => f.endsWith('.snap')).sort()).toEqual([
      'v1.snap',
      'v2.snap',
    ]);
    const restored = await restoreLocalCopy(store, {
      trustedKeys,
      bundleId: 'gongkai-demo',
      limits,
    });
    expect(restored).toEqual({ version: 2, dropped: 0 });
    expect(await ids(store)).toEqual(shown);
    expect(shown.length).toBe(30);
    // The restore went through the ingest: the rollback floor is back.
    expect(await store.getMeta('highestVersion')).toBe(2);
    // Nothing to do once a version is active.
    expect(await restoreLocalCopy(store, { trustedKeys, limits })).toBe(null);
  });

  it('reads the newest verified copy into memory without any database (a store that cannot open)', async () => {
    const { packs, shown } = await lostDatabase();
    const copy = await verifiedLocalCopy(packs, { trustedKeys, limits });
    expect(copy?.version).toBe(2);
    const titles = (copy?.items ?? [])
      .map(
        (f) =>
          `${(f.item as { id: string }).id} ${(f.item as { title: { 'zh-Hans': string } }).title['zh-Hans']}`,
      )
      .sort();
    expect(titles).toEqual(shown);
    // A changed byte in version 2's pack: version 1 is shown instead; with every pack changed, nothing.
    for (const [name, bytes] of packs.files) {
      if (name.startsWith('p2-')) bytes[Math.floor(bytes.length / 2)] ^= 1;
    }
    expect((await verifiedLocalCopy(packs, { trustedKeys, limits }))?.version).toBe(1);
    for (const [name, bytes] of packs.files) {
      if (name.startsWith('p1-')) bytes[Math.floor(bytes.length / 2)] ^= 1;
    }
    expect(await verifiedLocalCopy(packs, { trustedKeys, limits })).toBe(null);
  });

  it('drops a snapshot whose files were altered and falls back to the older one', async () => {
    const { store, packs } = await lostDatabase();
    // Flip one byte in every pack version 2 wrote (the manifest and signature live there too).
    for (const [name, bytes] of packs.files) {
      if (name.startsWith('p2-')) bytes[Math.floor(bytes.length / 2)] ^= 1;
    }
    const restored = await restoreLocalCopy(store, { trustedKeys, limits });
    expect(restored).toEqual({ version: 1, dropped: 1 });
    expect(packs.files.has('v2.snap')).toBe(false);
    expect((await store.activeVersion())?.version).toBe(1);
  });

  it('refuses a copy signed by a key the kiosk does not trust', async () => {
    const { store } = await lostDatabase();
    const other = newKey('other');
    const restored = await restoreLocalCopy(store, {
      trustedKeys: [{ id: other.id, jwk: other.jwk }],
      limits,
    });
    expect(restored).toBe(null);
    expect(await store.loadActive()).toBe(null);
  });

  it('takes back an expired bundle (it was showing, with the stale banner) that a sync would refuse', async () => {
    // Valid at the ingest (trustedNow 2026-11-24T00:00Z), expired by the restore (the real clock).
    const { store } = await lostDatabase({ expiresAt: '2026-11-24T00:00:01.000Z' });
    const restored = await restoreLocalCopy(store, { trustedKeys, limits });
    expect(restored?.version).toBe(2);
    expect((await store.activeVersion())?.expiresAt).toBe('2026-11-24T00:00:01.000Z');
  });

  it('garbage-collects the packs and snapshots of versions no longer kept', async () => {
    const packs = memoryPackDir();
    const store = await openStore({}, `restore-${n++}`, { packs });
    for (let v = 1; v <= 4; v++) {
      const bundle = makeBundle({ items: generatedItems(12, { rev: v, every: 1 }), version: v });
      await ingestBundle(files(bundle), opts(store));
    }
    packs.files.set('p9-stray.pack', new Uint8Array(8));
    await store.collectGarbage();
    const names = [...packs.files.keys()].sort();
    expect(names.filter((f) => f.endsWith('.snap'))).toEqual(['v3.snap', 'v4.snap']);
    // Every item changed each time: only the packs of versions 3 and 4 are referenced.
    expect(names.filter((f) => f.endsWith('.pack')).map((f) => f.split('-')[0])).toEqual([
      'p3',
      'p4',
    ]);
    expect((await ids(store)).length).toBe(12);
  });
});

describe('a received pack (bundle.gkb) into pack files', () => {
  let server: BundleServer;
  beforeAll(async () => {
    server = await startBundleServer();
  });
  afterAll(async () => {
    await server.close();
  });
  const src = () => httpSource(`${server.url}bundles/demo/manifest.json`, { timeoutMs: 5_000 });
  const serve = (bundle: BuiltBundle, pack = packBundle(bundle.files)) => {
    server.bundle = new Map(bundle.files);
    server.bundle.set(PACK_FILE, pack);
  };

  it('writes the received entries as one pack file without a copy, and restores from it', async () => {
    const packs = memoryPackDir();
    const store = await openStore({}, `prestage-${n++}`, { packs });
    const bundle = makeBundle({ items: generatedItems(200), version: 1 });
    const pack = packBundle(bundle.files);
    serve(bundle, pack);
    expect((await ingestBundle(src(), opts(store))).version).toBe(1);
    const files = [...packs.files];
    // One pack file and the snapshot. The pack holds the received span of entries
    // (all but the .gkb's own header) and a copy of the index files at its end.
    expect(files.map(([name]) => name.split('-')[0]).sort()).toEqual(['p1', 'v1.snap']);
    const indexBytes = [...bundle.files]
      .filter(([path]) => path !== 'manifest.json' && path !== 'manifest.sig')
      .reduce((sum, [, b]) => sum + b.length, 0);
    const packed = files.find(([name]) => name.startsWith('p1'))?.[1].length ?? 0;
    expect(packed).toBeGreaterThan(indexBytes);
    expect(packed).toBeLessThan(pack.length * 1.1);
    const shown = await ids(store);
    expect(shown).toHaveLength(200);
    store.close();
    const after = await openStore({}, `prestage-${n++}`, { packs });
    expect((await restoreLocalCopy(after, { trustedKeys, limits }))?.version).toBe(1);
    expect(await ids(after)).toEqual(shown);
  });

  it('a pack refused during verification writes no file', async () => {
    const packs = memoryPackDir();
    const store = await openStore({}, `prestage-${n++}`, { packs });
    const bundle = makeBundle({ items: generatedItems(200), version: 1 });
    const pack = packBundle(bundle.files);
    // One flipped byte near the end: an item's bytes no longer match the signed listing.
    pack[pack.length - 10] ^= 1;
    serve(bundle, pack);
    const err = await ingestBundle(src(), opts(store)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyncError);
    expect((err as SyncError).code).toBe('hash');
    expect([...packs.files.keys()]).toEqual([]);
    expect(await store.loadActive()).toBe(null);
  });
});
