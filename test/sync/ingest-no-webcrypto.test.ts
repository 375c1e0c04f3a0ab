// A kiosk on plain http from an intranet host has no `crypto.subtle` (issue
// #17): the ingest pipeline verifies with the pure-JS fallback, accepts a good
// bundle and refuses a tampered one under the same codes as with WebCrypto.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { memoryPackDir, openStore, type Store } from '../../src/data/db.ts';
import { restoreLocalCopy } from '../../src/sync/restore.ts';
import { ingestBundle, type IngestOptions } from '../../src/sync/ingest.ts';
import { fileSource } from '../../src/sync/sources.ts';
import { toSyncError, type SyncError } from '../../src/sync/errors.ts';
import { cryptoBackend } from '../../src/content/crypto.ts';
import { demoKey, generatedItems, makeBundle, newKey } from '../helpers/make-bundle.ts';

const key = demoKey();
const realCrypto = globalThis.crypto;
let store: Store;
let n = 0;

beforeEach(async () => {
  store = await openStore({}, `no-webcrypto-${n++}`);
  // What Chromium gives an insecure context: `crypto.getRandomValues`, no `subtle`.
  vi.stubGlobal('crypto', { getRandomValues: realCrypto.getRandomValues.bind(realCrypto) });
});
afterEach(() => {
  vi.unstubAllGlobals();
  store.close();
});

const opts = (): IngestOptions => ({
  store,
  trustedKeys: [{ id: key.id, jwk: key.jwk }],
  bundleId: 'gongkai-demo',
  limits: { maxFileBytes: 1_000_000, maxBundleBytes: 50_000_000 },
  now: () => Date.parse('2026-11-24T00:00:00Z'),
  estimate: async () => ({ usage: 0, quota: 1e9 }),
});

const source = (files: Map<string, Uint8Array>) =>
  fileSource([...files].map(([path, bytes]) => ({ path, bytes })));

async function refusal(files: Map<string, Uint8Array>): Promise<SyncError> {
  const err = await ingestBundle(source(files), opts()).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).not.toBeNull();
  // As the engine reports it (SyncEngine passes every failure through toSyncError).
  return toSyncError(err);
}

describe('ingest without WebCrypto', () => {
  it('verifies and switches to a good bundle', async () => {
    expect(cryptoBackend()).toBe('pure-js');
    const bundle = makeBundle({ items: generatedItems(30), version: 3 });
    const result = await ingestBundle(source(bundle.files), opts());
    expect(result.outcome).toBe('switched');
    expect((await store.activeVersion())?.version).toBe(3);
    expect((await store.loadActive())?.items).toHaveLength(30);
  });

  it('refuses a flipped byte in an item file as hash, naming the file', async () => {
    const files = new Map(makeBundle({ items: generatedItems(10), version: 3 }).files);
    const [path, bytes] = [...files].find(([p]) => p.startsWith('objects/'))!;
    const spoiled = bytes.slice();
    spoiled[Math.floor(spoiled.length / 2)] ^= 0x01;
    files.set(path, spoiled);
    const err = await refusal(files);
    expect(err.code).toBe('hash');
    expect(err.file).toBe(path);
    expect(await store.activeVersion()).toBeUndefined();
  });

  it('refuses a tampered manifest and a foreign key as signature', async () => {
    const files = new Map(makeBundle({ items: generatedItems(10), version: 3 }).files);
    const manifest = new TextDecoder().decode(files.get('manifest.json'));
    files.set(
      'manifest.json',
      new TextEncoder().encode(manifest.replace('"version":3', '"version":9')),
    );
    expect((await refusal(files)).code).toBe('signature');
    const foreign = makeBundle({ items: generatedItems(10), version: 3, key: newKey('other') });
    expect((await refusal(foreign.files)).code).toBe('signature');
    expect(await store.activeVersion()).toBeUndefined();
  });

  it('refuses under crypto, not network, where neither WebCrypto nor BigInt exists', async () => {
    vi.stubGlobal('BigInt', undefined);
    expect(cryptoBackend()).toBe('none');
    const err = await refusal(makeBundle({ items: generatedItems(5), version: 3 }).files);
    expect(err.code).toBe('crypto');
    expect(err.message).toMatch(/无法校验内容签名/);
  });
});

describe('restoring the local copy where nothing can verify', () => {
  it('keeps the snapshot (it is not the copy that is wrong) and says crypto', async () => {
    vi.unstubAllGlobals();
    const packs = memoryPackDir();
    const before = await openStore({}, `no-webcrypto-restore-${n++}`, { packs });
    await ingestBundle(source(makeBundle({ items: generatedItems(10), version: 1 }).files), {
      ...opts(),
      store: before,
    });
    before.close();
    const after = await openStore({}, `no-webcrypto-restore-${n++}`, { packs });
    vi.stubGlobal('crypto', {});
    vi.stubGlobal('BigInt', undefined);
    const restoreOpts = { trustedKeys: [{ id: key.id, jwk: key.jwk }], limits: opts().limits };
    const err = await restoreLocalCopy(after, restoreOpts).catch((e: unknown) => e);
    expect(toSyncError(err).code).toBe('crypto');
    expect(packs.files.has('v1.snap')).toBe(true);
    // Where verification works again, the same copy comes back.
    vi.unstubAllGlobals();
    expect(await restoreLocalCopy(after, restoreOpts)).toEqual({ version: 1, dropped: 0 });
    after.close();
  });
});
