import { expect } from '@open-wc/testing';
import {
  DB_VERSION,
  openStore,
  openStoreSafely,
  StoreCorruptError,
  type StoredObject,
} from '../../src/data/db.ts';
import { sha256Hex } from '../../src/content/bundle.ts';
import { newVersion as record } from '../helpers/version-record.ts';

let n = 0;
const freshName = () => `gongkai-test-${Date.now()}-${n++}`;

async function obj(id: string, text: string): Promise<StoredObject> {
  const json = { item: { id, title: { 'zh-Hans': text } } };
  const bytes = new TextEncoder().encode(JSON.stringify(json));
  return { sha256: await sha256Hex(bytes), size: bytes.length, kind: 'item', json };
}

const ids = async (store: Awaited<ReturnType<typeof openStore>>) =>
  ((await store.loadActive())?.items ?? []).map((f) => (f.item as { id: string }).id).sort();

/** Opens a database with the raw API at `version`, running `upgrade` if needed. */
function rawOpen(
  name: string,
  version: number,
  upgrade?: (db: IDBDatabase) => void,
): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name, version);
    req.onupgradeneeded = () => upgrade?.(req.result);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

describe('Store (real IndexedDB in Chromium)', () => {
  it('starts empty and returns the active version after a commit', async () => {
    const store = await openStore({}, freshName());
    expect(await store.loadActive()).to.equal(null);
    const a = await obj('a', '甲');
    const b = await obj('b', '乙');
    await store.commitVersion(
      record(1, [
        { id: 'a', o: a },
        { id: 'b', o: b },
      ]),
      [a, b],
    );
    expect(await ids(store)).to.deep.equal(['a', 'b']);
    expect((await store.activeVersion())?.version).to.equal(1);
    store.close();
  });

  it('shares objects between versions and garbage-collects all but the active and previous', async () => {
    const name = freshName();
    const store = await openStore({}, name);
    const a = await obj('a', '甲');
    const b1 = await obj('b', '乙 v1');
    const b2 = await obj('b', '乙 v2');
    const b3 = await obj('b', '乙 v3');
    await store.commitVersion(
      record(1, [
        { id: 'a', o: a },
        { id: 'b', o: b1 },
      ]),
      [a, b1],
    );
    // Version 2 stores only its new object: `a` is shared.
    await store.commitVersion(
      record(2, [
        { id: 'a', o: a },
        { id: 'b', o: b2 },
      ]),
      [b2],
    );
    expect(await store.collectGarbage()).to.deep.equal({ versions: 0, objects: 0 });
    await store.commitVersion(
      record(3, [
        { id: 'a', o: a },
        { id: 'b', o: b3 },
      ]),
      [b3],
    );
    expect(await store.getMeta('previous')).to.deep.equal({ version: 2 });
    // b1 shares its chunk with `a`, which is still in use: half-used chunks are kept whole.
    expect(await store.collectGarbage()).to.deep.equal({ versions: 1, objects: 0 });
    expect(await store.versions()).to.deep.equal([2, 3]);
    const left = await store.storedHashes();
    expect(left.has(b1.sha256)).to.equal(false);
    expect([a, b2, b3].every((o) => left.has(o.sha256))).to.equal(true);
    store.close();
    const again = await openStore({}, name);
    const content = await again.loadActive();
    expect(content?.record.version).to.equal(3);
    expect(
      content?.items.map((f) => (f.item as { title: { 'zh-Hans': string } }).title['zh-Hans']),
    ).to.include('乙 v3');
    again.close();
  });

  it('upgrades a version-1 database cumulatively, keeping the configuration and dropping old content', async () => {
    const name = freshName();
    const v1 = await rawOpen(name, 1, (db) => {
      db.createObjectStore('meta');
      db.createObjectStore('versions', { keyPath: 'version' });
      db.createObjectStore('items', { keyPath: ['version', 'id'] }).createIndex(
        'by-version',
        'version',
      );
    });
    await new Promise<void>((resolve, reject) => {
      const tx = v1.transaction(['meta', 'versions', 'items'], 'readwrite');
      tx.objectStore('meta').put({ id: 'kept-config' }, 'lastValidConfig');
      tx.objectStore('meta').put({ version: 1 }, 'active');
      tx.objectStore('versions').put({ version: 1 });
      tx.objectStore('items').put({ version: 1, id: 'x', item: {} });
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    v1.close();
    const store = await openStore({}, name);
    expect(await store.getMeta('lastValidConfig')).to.deep.equal({ id: 'kept-config' });
    expect(await store.getMeta('active')).to.equal(undefined);
    expect(await store.versions()).to.deep.equal([]);
    const a = await obj('a', '甲');
    await store.commitVersion(record(1, [{ id: 'a', o: a }]), [a]);
    expect(await ids(store)).to.deep.equal(['a']);
    store.close();
    const raw = await rawOpen(name, DB_VERSION);
    expect([...raw.objectStoreNames].sort()).to.deep.equal([
      'chunkIndex',
      'chunks',
      'meta',
      'stats',
      'versions',
    ]);
    raw.close();
  });

  it('reports a blocked upgrade and completes it once the old connection closes', async () => {
    const name = freshName();
    // An old app instance on schema 1 that ignores versionchange.
    const old = await rawOpen(name, 1, (db) => {
      db.createObjectStore('meta');
      db.createObjectStore('versions', { keyPath: 'version' });
      db.createObjectStore('items', { keyPath: ['version', 'id'] }).createIndex(
        'by-version',
        'version',
      );
    });
    let blocked = false;
    const opening = openStore({ onBlocked: () => (blocked = true) }, name);
    await new Promise((r) => setTimeout(r, 200));
    expect(blocked).to.equal(true);
    old.close();
    const store = await opening;
    expect(await store.versions()).to.deep.equal([]);
    store.close();
  });

  it('steps aside (and tells the page) when a newer version wants to upgrade', async () => {
    const name = freshName();
    let blocking = false;
    const store = await openStore({ onBlocking: () => (blocking = true) }, name);
    const newer = await rawOpen(name, 99);
    expect(blocking).to.equal(true);
    newer.close();
    store.close();
  });

  it('a failed commit (e.g. quota) leaves the active version intact (objects inline)', async () => {
    const store = await openStore({}, freshName(), { packs: null });
    const a = await obj('a', '甲');
    await store.commitVersion(record(1, [{ id: 'a', o: a }]), [a]);
    const b = await obj('b', '乙');
    // A value that cannot be stored aborts the transaction part-way through its puts,
    // as a QuotaExceededError does.
    const bad = { ...b, json: { fn: () => 1 } } as unknown as StoredObject;
    let error: unknown;
    try {
      await store.commitVersion(
        record(2, [
          { id: 'b', o: b },
          { id: 'c', o: bad },
        ]),
        [b, bad],
      );
    } catch (e) {
      error = e;
    }
    expect((error as Error).name).to.equal('DataCloneError');
    expect((await store.activeVersion())?.version).to.equal(1);
    expect(await ids(store)).to.deep.equal(['a']);
    expect((await store.storedHashes()).has(b.sha256)).to.equal(false);
    store.close();
  });

  it('refuses to commit a version that lists an object neither stored nor given', async () => {
    const store = await openStore({}, freshName());
    const a = await obj('a', '甲');
    await store.commitVersion(record(1, [{ id: 'a', o: a }]), [a]);
    const b = await obj('b', '乙');
    let error: unknown;
    try {
      await store.commitVersion(
        record(2, [
          { id: 'a', o: a },
          { id: 'b', o: b },
        ]),
        [],
      );
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(StoreCorruptError);
    expect((await store.activeVersion())?.version).to.equal(1);
    expect(await store.versions()).to.deep.equal([1]);
    store.close();
  });

  it('detects a version whose chunk is missing instead of showing a mix', async () => {
    const name = freshName();
    const store = await openStore({}, name);
    const a = await obj('a', '甲');
    const b = await obj('b', '乙');
    await store.commitVersion(
      record(1, [
        { id: 'a', o: a },
        { id: 'b', o: b },
      ]),
      [a, b],
    );
    store.close();
    // What a two-transaction commit leaves after a crash: the record, not its objects.
    const raw = await rawOpen(name, DB_VERSION);
    await new Promise<void>((resolve, reject) => {
      const tx = raw.transaction('chunks', 'readwrite');
      tx.objectStore('chunks').clear();
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    raw.close();
    const again = await openStore({}, name);
    let error: unknown;
    try {
      await again.loadActive();
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(StoreCorruptError);
    again.close();
  });

  it('packs objects many to a chunk and rewrites a chunk that is mostly garbage', async () => {
    const store = await openStore({}, freshName());
    const v1 = await Promise.all(['a', 'b', 'c', 'd'].map((id) => obj(id, `${id} v1`)));
    const entries = (objs: StoredObject[]) =>
      objs.map((o) => ({ id: (o.json as { item: { id: string } }).item.id, o }));
    await store.commitVersion(record(1, entries(v1)), v1);
    // Four small items fit one chunk.
    expect((await store.activeVersion())?.chunks.map((c) => c.objects.length)).to.deep.equal([4]);
    const v2 = [v1[0], ...(await Promise.all(['b', 'c', 'd'].map((id) => obj(id, `${id} v2`))))];
    await store.commitVersion(record(2, entries(v2)), v2.slice(1));
    const v3 = [v1[0], ...(await Promise.all(['b', 'c', 'd'].map((id) => obj(id, `${id} v3`))))];
    await store.commitVersion(record(3, entries(v3)), v3.slice(1));
    // Version 1 goes; its chunk keeps only `a` (1 of 4 used): rewritten with `a` alone.
    expect(await store.collectGarbage()).to.deep.equal({ versions: 1, objects: 3 });
    expect(await ids(store)).to.deep.equal(['a', 'b', 'c', 'd']);
    const stored = await store.getObjects(v1.map((o) => o.sha256));
    expect([...stored.keys()]).to.deep.equal([v1[0].sha256]);
    store.close();
  });

  it('moves a version-3 database into chunks and keeps showing its content', async () => {
    const name = freshName();
    const a = await obj('a', '甲');
    const b = await obj('b', '乙');
    const v3 = await rawOpen(name, 3, (db) => {
      db.createObjectStore('meta');
      db.createObjectStore('versions', { keyPath: 'version' });
      db.createObjectStore('objects', { keyPath: 'sha256' });
      db.createObjectStore('stats', { keyPath: 'id' });
    });
    await new Promise<void>((resolve, reject) => {
      const tx = v3.transaction(['meta', 'versions', 'objects'], 'readwrite');
      tx.objectStore('meta').put({ version: 1 }, 'active');
      tx.objectStore('versions').put(
        record(1, [
          { id: 'a', o: a },
          { id: 'b', o: b },
        ]),
      );
      tx.objectStore('objects').put(a);
      tx.objectStore('objects').put(b);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    v3.close();
    const store = await openStore({}, name);
    expect(await ids(store)).to.deep.equal(['a', 'b']);
    expect([...(await store.storedHashes())].sort()).to.deep.equal([a.sha256, b.sha256].sort());
    store.close();
  });

  it('deletes and recreates a database that cannot be opened', async () => {
    const name = freshName();
    // A database at a higher version than the app knows cannot be opened by it (VersionError).
    (await rawOpen(name, 50, (db) => db.createObjectStore('junk'))).close();
    const { store, recovered } = await openStoreSafely({}, name);
    expect(recovered).to.match(/VersionError/);
    expect(await store.versions()).to.deep.equal([]);
    store.close();
  });
});
