import { expect } from '@open-wc/testing';
import {
  DB_VERSION,
  listSnapshots,
  readSnapshotFiles,
  openStore,
  opfsPackDir,
  StoreCorruptError,
  type NewObject,
  type PackDir,
} from '../../src/data/db.ts';
import { sha256Hex } from '../../src/content/bundle.ts';
import { newVersion as record } from '../helpers/version-record.ts';

// Pack files in Chromium's real origin private file system, beside real IndexedDB.

let n = 0;
const freshName = () => `gongkai-packs-test-${Date.now()}-${n++}`;

async function obj(id: string, text: string): Promise<NewObject> {
  const json = { item: { id, title: { 'zh-Hans': text } } };
  const raw = new TextEncoder().encode(JSON.stringify(json));
  return { sha256: await sha256Hex(raw), size: raw.length, kind: 'item', json, raw };
}

const copy = (paths: [string, string][] = []) => ({
  manifest: new TextEncoder().encode('{"manifest":true}'),
  signature: new TextEncoder().encode('sig'),
  paths,
  learnedKeys: [],
});

/** What a promise rejects with (undefined when it resolves). */
async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  return undefined;
}

/** Every value of an object store, read with the raw API. */
function rawAll(name: string, storeName: string): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name, DB_VERSION);
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const db = req.result;
      const get = db.transaction(storeName).objectStore(storeName).getAll();
      get.onsuccess = () => {
        db.close();
        resolve(get.result);
      };
      get.onerror = () => reject(get.error);
    };
  });
}

describe('Store with pack files (real OPFS and IndexedDB in Chromium)', () => {
  it('writes a version’s bytes as one OPFS pack file and only their places into IndexedDB', async () => {
    const name = freshName();
    const packs = opfsPackDir(`${name}-packs`);
    const store = await openStore({}, name, { packs });
    const a = await obj('a', '甲');
    const b = await obj('b', '乙');
    const v1 = record(1, [
      { id: 'a', o: a },
      { id: 'b', o: b },
    ]);
    await store.commitVersion(v1, [a, b], { copy: copy([['objects/a.json', a.sha256]]) });
    const files = (await packs.list()).sort();
    expect(files.length).to.equal(2);
    expect(files[0]).to.match(/^p1-.*\.pack$/);
    expect(files[1]).to.equal('v1.snap');
    // The chunk holds where the objects are, not their content.
    const chunks = (await rawAll(name, 'chunks')) as {
      pack?: string;
      objects: { json?: unknown; at?: number }[];
    }[];
    expect(chunks.length).to.equal(1);
    expect(chunks[0].pack).to.equal(files[0]);
    expect(
      chunks[0].objects.every((o) => o.json === undefined && typeof o.at === 'number'),
    ).to.equal(true);
    // Read back through the pack, parsed.
    const loaded = await store.loadActive();
    expect(
      loaded?.items.map((f) => (f.item as { title: { 'zh-Hans': string } }).title['zh-Hans']),
    ).to.deep.equal(['甲', '乙']);
    const got = await store.getObjects([b.sha256]);
    expect(got.get(b.sha256)?.json).to.deep.equal(b.json);
    // The snapshot lists every object and the manifest, and reads back the exact bytes.
    const [snap] = await listSnapshots(packs);
    expect(snap.version).to.equal(1);
    const back = await readSnapshotFiles(packs, snap);
    expect(new TextDecoder().decode(back.get('manifest.json'))).to.equal('{"manifest":true}');
    expect(back.get('objects/a.json')).to.deep.equal(a.raw);
    store.close();
  });

  it('a pack write that fails (a full disk) leaves the active version and no stray file', async () => {
    const name = freshName();
    const real = opfsPackDir(`${name}-packs`);
    let fail = false;
    const packs: PackDir = {
      ...real,
      write: (file, data) =>
        fail
          ? Promise.reject(new DOMException('no space', 'QuotaExceededError'))
          : real.write(file, data),
    };
    const store = await openStore({}, name, { packs });
    const a = await obj('a', '甲');
    await store.commitVersion(record(1, [{ id: 'a', o: a }]), [a], { copy: copy() });
    const before = (await real.list()).sort();
    fail = true;
    const b = await obj('b', '乙');
    const error = await rejection(
      store.commitVersion(record(2, [{ id: 'b', o: b }]), [b], { copy: copy() }),
    );
    expect((error as DOMException).name).to.equal('QuotaExceededError');
    expect((await store.activeVersion())?.version).to.equal(1);
    expect((await store.loadActive())?.items.length).to.equal(1);
    expect((await real.list()).sort()).to.deep.equal(before);
    store.close();
  });

  it('a pack file gone from disk is a StoreCorruptError, never a partial version', async () => {
    const name = freshName();
    const packs = opfsPackDir(`${name}-packs`);
    const store = await openStore({}, name, { packs });
    const a = await obj('a', '甲');
    await store.commitVersion(record(1, [{ id: 'a', o: a }]), [a]);
    for (const f of await packs.list()) await packs.remove(f);
    const error = await rejection(store.loadActive());
    expect(error).to.be.instanceOf(StoreCorruptError);
    expect((error as Error).message).to.match(/pack file p1-/);
    store.close();
  });

  it('a byte changed on disk inside a pack file is caught by its sha256, never shown', async () => {
    const name = freshName();
    const packs = opfsPackDir(`${name}-packs`);
    const store = await openStore({}, name, { packs });
    const a = await obj('a', '甲乙丙');
    await store.commitVersion(record(1, [{ id: 'a', o: a }]), [a]);
    expect((await store.loadActive())?.items.length).to.equal(1);
    const [file] = await packs.list();
    const bytes = await packs.readAll(file);
    // Still valid JSON: only the hash can tell.
    const text = new TextDecoder().decode(bytes).replace('甲', '申');
    await packs.remove(file);
    await packs.write(file, [new TextEncoder().encode(text)]);
    const error = await rejection(store.loadActive());
    expect(error).to.be.instanceOf(StoreCorruptError);
    expect((error as Error).message).to.match(/does not match its sha256/);
    store.close();
  });

  it('garbage collection deletes the packs and snapshots nothing kept references, and strays', async () => {
    const name = freshName();
    const packs = opfsPackDir(`${name}-packs`);
    const store = await openStore({}, name, { packs });
    const shared = await obj('s', '共用');
    for (let v = 1; v <= 3; v++) {
      const own = await obj(`x${v}`, `第 ${v} 版`);
      const objects = v === 1 ? [shared, own] : [own];
      await store.commitVersion(
        record(v, [
          { id: 's', o: shared },
          { id: `x${v}`, o: own },
        ]),
        objects,
        { copy: copy() },
      );
    }
    await packs.write('p0-stray.pack', [new Uint8Array([1, 2, 3])]);
    await store.collectGarbage();
    const left = (await packs.list()).sort();
    // Version 1's pack stays: it holds the shared object versions 2 and 3 list.
    expect(left.map((f) => f.split('-')[0].replace('.snap', ''))).to.deep.equal([
      'p1',
      'p2',
      'p3',
      'v2',
      'v3',
    ]);
    expect((await store.loadActive())?.items.length).to.equal(2);
    store.close();
  });
});
