import { deleteDB, openDB, unwrap, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { sha256Hex, type ItemFile } from '../content/bundle.ts';
import { layOut, opfsAvailable, opfsPackDir, PackMissingError, type PackDir } from './packs.ts';
import { readSnapshot, snapshotName, snapshotVersion } from './snapshots.ts';
import {
  DB_NAME,
  DB_VERSION,
  type ChunkInfo,
  type ChunkRef,
  type GongkaiDB,
  type LearnedKey,
  type LocalCopySnapshot,
  type MetaValues,
  type NewObject,
  type NewVersion,
  type PackLocation,
  type StoredChunk,
  type StoredObject,
  type VersionRecord,
} from './schema.ts';

export type {
  ChunkRef,
  GongkaiDB,
  LearnedKey,
  LocalCopySnapshot,
  MetaValues,
  NewObject,
  NewVersion,
  StoredObject,
  VersionRecord,
} from './schema.ts';
export { memoryPackDir, opfsPackDir, type PackDir } from './packs.ts';
export { listSnapshots, readSnapshotFiles } from './snapshots.ts';
export { DB_NAME, DB_VERSION } from './schema.ts';

/** Schema steps see stores of older versions too, so they use the untyped view. */
type AnyDB = IDBPDatabase<unknown>;
type AnyUpgradeTx = IDBPTransaction<unknown, string[], 'versionchange'>;

/**
 * Upgrade steps, cumulative: a database at version n runs every step after n.
 * Never edit a released step; add a new one.
 */
const UPGRADES: ((db: AnyDB, tx: AnyUpgradeTx) => void)[] = [
  // 0 → 1: the first schema (items copied per version).
  (db) => {
    db.createObjectStore('meta');
    db.createObjectStore('versions', { keyPath: 'version' });
    const items = db.createObjectStore('items', { keyPath: ['version', 'id'] });
    items.createIndex('by-version', 'version');
  },
  // 1 → 2: content-addressed objects shared between versions. Version-1 records
  // have no object lists, so they are dropped and the content is synced again;
  // the last valid configuration is kept.
  (db, tx) => {
    db.deleteObjectStore('items');
    void tx.objectStore('versions').clear();
    const meta = tx.objectStore('meta');
    for (const key of ['active', 'previous', 'highestVersion']) void meta.delete(key);
    db.createObjectStore('objects', { keyPath: 'sha256' });
  },
  // 2 → 3: anonymous view and search counts (src/data/stats.ts); content is untouched.
  (db) => {
    db.createObjectStore('stats', { keyPath: 'id' });
  },
  // 3 → 4: objects move into chunks, so the kiosk keeps showing what it had.
  (db, tx) => {
    db.createObjectStore('chunks', { keyPath: 'id' });
    db.createObjectStore('chunkIndex', { keyPath: 'id' });
    const move = async () => {
      const objects = (await tx.objectStore('objects').getAll()) as StoredObject[];
      const chunks = packChunks(objects, 'm');
      const where = chunkMap(chunks);
      for (const c of chunks) {
        void tx.objectStore('chunks').put(c.chunk);
        void tx.objectStore('chunkIndex').put(c.info);
      }
      const versions = tx.objectStore('versions');
      for (const old of (await versions.getAll()) as NewVersion[]) {
        const { objects: shas, ...rest } = old;
        // Objects a version-3 record lists but never had stay missing: loadActive reports them.
        const record: VersionRecord = { ...rest, chunks: chunkRefs(shas, where) };
        void versions.put(record);
      }
      db.deleteObjectStore('objects');
    };
    move().catch((err: unknown) => {
      console.error('[gongkai] moving objects into chunks failed', err);
      tx.abort();
    });
  },
];

/**
 * Objects of one kind are packed into chunks of at most this many bytes (a
 * larger object gets a chunk of its own). It keeps each chunk's value under
 * Chromium's 64 KiB threshold, above which IndexedDB writes a value as a blob
 * file beside LevelDB: 256 KB chunks committed a 10,000-item version about
 * twice as fast, but put every commit through Chromium's blob files and
 * journals as well as LevelDB, and a full disk then fails differently. Values
 * inside LevelDB keep one recovery path (see docs/sync.md).
 */
export const CHUNK_BYTES = 48 * 1024;

/** A chunk to write: its record and its size. */
interface PackedChunk {
  chunk: StoredChunk;
  info: ChunkInfo;
}

/** A version's objects, staged by {@link Store.stage} and not yet referenced. */
export interface StagedVersion {
  readonly chunks: readonly PackedChunk[];
  /** Files written in the pack directory for it. */
  readonly names: readonly string[];
}

/**
 * Packs objects into chunks of one kind each and at most {@link CHUNK_BYTES};
 * a singleton file (an attachment can be megabytes) gets a chunk of its own.
 */
export function packChunks(
  objects: readonly StoredObject[],
  prefix: string,
  pack?: string,
): PackedChunk[] {
  const out: PackedChunk[] = [];
  const open = new Map<StoredObject['kind'], PackedChunk & { weight: number }>();
  // A chunk of a pack holds only where its objects are: about 120 bytes each.
  const weigh = (o: StoredObject) => (pack ? 120 : o.size);
  for (const o of objects) {
    let c = open.get(o.kind);
    const w = weigh(o);
    // A file (an attachment can be megabytes) gets a chunk of its own, so reading one never reads the rest.
    if (!c || (c.info.count > 0 && c.weight + w > CHUNK_BYTES) || o.kind === 'file') {
      const id = `${prefix}.${out.length}`;
      c = {
        chunk: pack ? { id, objects: [], pack } : { id, objects: [] },
        info: pack
          ? { id, kind: o.kind, count: 0, bytes: 0, pack }
          : { id, kind: o.kind, count: 0, bytes: 0 },
        weight: 0,
      };
      out.push(c);
      open.set(o.kind, c);
    }
    c.chunk.objects.push(o);
    c.info.count++;
    c.info.bytes += o.size;
    c.weight += w;
  }
  return out.map(({ chunk, info }) => ({ chunk, info }));
}

/** sha256 → where it is stored, from chunks being written. */
function chunkMap(chunks: readonly PackedChunk[]): Map<string, Location> {
  const where = new Map<string, Location>();
  for (const { info, chunk } of chunks) {
    for (const o of chunk.objects) where.set(o.sha256, { id: info.id, kind: info.kind });
  }
  return where;
}

interface Location {
  id: string;
  kind: StoredObject['kind'];
}

/** sha256 → where it is stored, from version records. */
function recordMap(records: readonly VersionRecord[]): Map<string, Location> {
  const where = new Map<string, Location>();
  for (const r of records) {
    for (const ref of r.chunks) {
      const loc = { id: ref.id, kind: ref.kind };
      for (const sha of ref.objects) where.set(sha, loc);
    }
  }
  return where;
}

/** Groups `shas` by the chunk they live in; unknown ones are added to `missing`. */
function chunkRefs(
  shas: readonly string[],
  where: Map<string, Location>,
  missing?: string[],
): ChunkRef[] {
  const refs = new Map<string, ChunkRef>();
  for (const sha of shas) {
    const loc = where.get(sha);
    if (!loc) {
      missing?.push(sha);
      continue;
    }
    let ref = refs.get(loc.id);
    if (!ref) {
      ref = { id: loc.id, kind: loc.kind, objects: [] };
      refs.set(loc.id, ref);
    }
    ref.objects.push(sha);
  }
  return [...refs.values()];
}

/** Where the stored objects are (see {@link Store.objectIndex}). */
export interface ObjectIndex {
  /** Number of stored objects. */
  readonly size: number;
  has(sha256: string): boolean;
  /** The stored objects among `hashes` (missing ones are left out). */
  get(hashes: readonly string[]): Promise<Map<string, StoredObject>>;
}

/** Callbacks for the lifecycle events of the database. */
export interface OpenHooks {
  /** Another tab or an old app instance holds an older version open and does not close it. */
  onBlocked?: () => void;
  /**
   * A newer version of the app wants to upgrade: the connection has already been
   * closed; the page should reload to run the new code.
   */
  onBlocking?: () => void;
  /** The browser closed the connection abnormally (e.g. the store was deleted). */
  onTerminated?: () => void;
}

/** The stored data is inconsistent (a listed object is missing or unreadable). */
export class StoreCorruptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreCorruptError';
  }
}

/**
 * Where a database's pack files live: an OPFS directory named after it, or
 * none where the browser has no OPFS (objects are then stored inline).
 */
export function defaultPackDir(name: string): PackDir | null {
  return opfsAvailable() ? opfsPackDir(`${name}-packs`) : null;
}

/** Options of {@link openStore}. */
export interface StoreOptions {
  /** The pack directory; defaults to {@link defaultPackDir}; null stores objects inline. */
  packs?: PackDir | null;
}

/** Opens (and upgrades) the kiosk database. */
export async function openStore(
  hooks: OpenHooks = {},
  name = DB_NAME,
  options: StoreOptions = {},
): Promise<Store> {
  // `blocking` can fire only after open resolves; the holder lets it reach the connection.
  const holder: { db?: IDBPDatabase<GongkaiDB> } = {};
  let dataLoss: string | null = null;
  const db = await openDB<GongkaiDB>(name, DB_VERSION, {
    upgrade(database, oldVersion, _newVersion, transaction, event) {
      // Chromium tells an open that it found the backing store inconsistent and
      // recreated it empty (a non-standard field of the upgrade event).
      const loss = event as IDBVersionChangeEvent & { dataLoss?: string; dataLossMessage?: string };
      if (loss.dataLoss && loss.dataLoss !== 'none') {
        dataLoss = `${loss.dataLoss}${loss.dataLossMessage ? `: ${loss.dataLossMessage}` : ''}`;
      }
      const raw = database as unknown as AnyDB;
      const tx = transaction as unknown as AnyUpgradeTx;
      for (let v = oldVersion; v < UPGRADES.length; v++) UPGRADES[v](raw, tx);
    },
    blocked: () => hooks.onBlocked?.(),
    // A newer version wants to upgrade: step aside so it is not blocked forever.
    blocking: () => {
      holder.db?.close();
      hooks.onBlocking?.();
    },
    terminated: () => hooks.onTerminated?.(),
  });
  holder.db = db;
  let packs = options.packs === undefined ? defaultPackDir(name) : options.packs;
  if (packs) {
    try {
      await packs.list();
    } catch (err) {
      // No usable OPFS (an insecure origin, a browser policy): objects go inline.
      console.warn('[gongkai] pack directory unusable, storing objects inline', err);
      packs = null;
    }
  }
  return new Store(db, name, dataLoss, packs);
}

/** Result of {@link openStoreSafely}. */
export interface SafeOpen {
  store: Store;
  /** Why the database was deleted and recreated, or null when it opened normally. */
  recovered: string | null;
}

/**
 * Opens the database; when it cannot be opened (a corrupted backing store, an
 * interrupted upgrade) it is deleted and created again empty, so the kiosk can
 * re-sync instead of crash-looping on a broken store.
 */
export async function openStoreSafely(
  hooks: OpenHooks = {},
  name = DB_NAME,
  options: StoreOptions = {},
): Promise<SafeOpen> {
  let store: Store | null = null;
  try {
    store = await openStore(hooks, name, options);
    // A store that opens but cannot be read is as broken as one that does not open.
    await store.probe();
    // Chromium found the store inconsistent and recreated it empty: say so.
    const loss = store.dataLoss ? `浏览器发现本地数据库损坏并已重建（${store.dataLoss}）` : null;
    return { store, recovered: loss };
  } catch (err) {
    store?.close();
    if (storageUnavailable(err)) {
      // A full disk looks like this too, and its data is intact: never delete
      // on it. The caller shows the status and retries; a store that stays
      // unopenable with free disk is cleared by the watchdog (docs/deploy.md).
      throw new StoreUnavailableError(err as DOMException);
    }
    const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    console.error('[gongkai] database unusable, deleting and re-syncing:', reason);
    // Pack files stay: a verified snapshot among them restores the content (src/sync/restore.ts).
    await deleteDB(name);
    return { store: await openStore(hooks, name, options), recovered: reason };
  }
}

/**
 * The browser cannot give the kiosk its storage right now; the stored data may
 * be intact. Chromium 156 answers both a full disk and a backing store it
 * cannot open (garbled LevelDB files) with `UnknownError: Internal error
 * opening backing store`, and a read on a full disk aborts (`AbortError`), so
 * none of these may delete the database. (Real corruption that Chromium can
 * detect is repaired by Chromium itself at the next open: it recreates the
 * store empty, and the kiosk re-syncs.)
 */
export class StoreUnavailableError extends Error {
  constructor(cause: DOMException) {
    super(`${cause.name}: ${cause.message}`, { cause });
    this.name = 'StoreUnavailableError';
  }
}

/** Errors of storage that is unavailable (full disk, I/O, a closing connection), not of bad data. */
function storageUnavailable(err: unknown): boolean {
  if (!(err instanceof DOMException)) return false;
  if (['QuotaExceededError', 'AbortError', 'InvalidStateError'].includes(err.name)) return true;
  return (
    err.name === 'UnknownError' &&
    /backing store|IO error|NO_SPACE|No space|disk (is )?full|Internal error/i.test(err.message)
  );
}

/** A version and the parsed item files it lists. */
export interface ActiveContent {
  record: VersionRecord;
  items: ItemFile[];
}

/** Extra meta records written in the same transaction as a version switch. */
export interface CommitExtras {
  learnedKeys?: MetaValues['learnedKeys'];
  timeFloor?: MetaValues['timeFloor'];
  /**
   * What a snapshot of the version needs (see {@link LocalCopySnapshot}): the
   * exact manifest and signature bytes, every path of the listing tree with
   * its sha256, and the learned keys. Used only with a pack directory.
   */
  copy?: {
    manifest: Uint8Array;
    signature: Uint8Array;
    paths: [path: string, sha256: string][];
    learnedKeys: LearnedKey[];
  };
}

/** The bytes of a new object: as received, else its stored form. */
function contentBytes(o: NewObject): Uint8Array {
  if (o.raw) return o.raw;
  if (o.bytes) return new Uint8Array(o.bytes);
  return new TextEncoder().encode(JSON.stringify(o.json ?? null));
}

/** A fresh suffix for a pack file's name. */
function stamp(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** Index lists and shards: read together by every delta. */
function isIndex(o: StoredObject): boolean {
  return o.kind === 'list' || o.kind === 'shard';
}

/** The typed storage API. The only code in the app that touches IndexedDB. */
export class Store {
  constructor(
    private readonly db: IDBPDatabase<GongkaiDB>,
    /** Name of the database, for deleting it on corruption. */
    readonly name: string,
    /**
     * Set when Chromium found the database inconsistent at this open and
     * recreated it empty (`dataLoss` of the upgrade event, with its message).
     */
    readonly dataLoss: string | null = null,
    /** Where objects' bytes go; null: inline in their chunks. */
    readonly packs: PackDir | null = null,
  ) {}

  /** Pack and snapshot files being written: garbage collection leaves them alone. */
  private readonly writing = new Set<string>();

  async getMeta<K extends keyof MetaValues>(key: K): Promise<MetaValues[K] | undefined> {
    return (await this.db.get('meta', key)) as MetaValues[K] | undefined;
  }

  async setMeta<K extends keyof MetaValues>(key: K, value: MetaValues[K]): Promise<void> {
    await this.db.put('meta', value, key);
  }

  /** Reads one record of each store: throws when the backing store is unreadable. */
  async probe(): Promise<void> {
    const tx = this.db.transaction(['meta', 'versions', 'chunks', 'chunkIndex'], 'readonly');
    await Promise.all([
      tx.objectStore('meta').get('active'),
      tx.objectStore('versions').openCursor(),
      tx.objectStore('chunks').openCursor(),
      tx.objectStore('chunkIndex').openCursor(),
      tx.done,
    ]);
  }

  /** The active version's record, or undefined before the first commit. */
  async activeVersion(): Promise<VersionRecord | undefined> {
    const active = await this.getMeta('active');
    return active ? this.db.get('versions', active.version) : undefined;
  }

  /** Every stored version number, ascending. */
  async versions(): Promise<number[]> {
    return this.db.getAllKeys('versions');
  }

  /**
   * The active version and all its item files, read in one transaction.
   * Throws {@link StoreCorruptError} when a listed object is missing: the
   * caller then deletes the store and syncs again rather than show a mix.
   */
  async loadActive(): Promise<ActiveContent | null> {
    const tx = this.db.transaction(['meta', 'versions', 'chunks'], 'readonly');
    const active = (await tx.objectStore('meta').get('active')) as MetaValues['active'] | undefined;
    if (!active) {
      await tx.done;
      return null;
    }
    const record = await tx.objectStore('versions').get(active.version);
    if (!record) throw new StoreCorruptError(`active version ${active.version} has no record`);
    const chunks = tx.objectStore('chunks');
    const refs = record.chunks.filter((c) => c.kind === 'item');
    const rows = await Promise.all(refs.map((c) => chunks.get(c.id)));
    await tx.done;
    const json = new Map<string, unknown>();
    // Objects in packs are read one pack at a time, across chunks: one read per span, not per chunk.
    const byPack = new Map<string, StoredObject[]>();
    rows.forEach((row, i) => {
      if (!row) {
        throw new StoreCorruptError(`version ${record.version}: chunk ${refs[i].id} is missing`);
      }
      if (!row.pack) {
        for (const o of row.objects) if (o.json !== undefined) json.set(o.sha256, o.json);
        return;
      }
      const wanted = new Set(refs[i].objects);
      const list = byPack.get(row.pack) ?? [];
      for (const o of row.objects) if (wanted.has(o.sha256)) list.push(o);
      byPack.set(row.pack, list);
    });
    const filled = await Promise.all([...byPack].map(([pack, list]) => this.fill(pack, list)));
    for (const objects of filled) {
      for (const o of objects) if (o.json !== undefined) json.set(o.sha256, o.json);
    }
    const items: ItemFile[] = [];
    for (const [id, sha] of record.items) {
      const file = json.get(sha);
      if (file === undefined) {
        throw new StoreCorruptError(`version ${record.version}: item ${id} (${sha}) is missing`);
      }
      items.push(file as ItemFile);
    }
    if (items.length !== record.itemCount) {
      throw new StoreCorruptError(
        `version ${record.version}: ${items.length} items stored, ${record.itemCount} listed`,
      );
    }
    return { record, items };
  }

  /** sha256 of every object the stored versions reference. */
  async storedHashes(): Promise<Set<string>> {
    return new Set(recordMap(await this.db.getAll('versions')).keys());
  }

  /**
   * Where every stored object is, read once: for reading many objects one
   * after another (the index tree of a bundle), without reading the version
   * records again for each. Valid until the next commit or garbage collection.
   */
  async objectIndex(): Promise<ObjectIndex> {
    const where = recordMap(await this.db.getAll('versions'));
    // Objects of the chunks read so far. A chunk is read whole and once: its
    // objects (the shards, the index lists) are wanted one after another,
    // level by level, often by several reads in flight at once.
    const loaded = new Map<string, StoredObject>();
    const loads = new Map<string, Promise<void>>();
    const load = (id: string): Promise<void> => {
      let p = loads.get(id);
      if (!p) {
        p = (async () => {
          const row = await this.db.get('chunks', id);
          if (!row) return;
          const objects = row.pack ? await this.fill(row.pack, row.objects) : row.objects;
          for (const o of objects) loaded.set(o.sha256, o);
        })();
        loads.set(id, p);
      }
      return p;
    };
    return {
      size: where.size,
      has: (sha) => where.has(sha),
      get: async (hashes) => {
        const ids = new Set<string>();
        for (const h of hashes) {
          const id = where.get(h)?.id;
          if (id !== undefined) ids.add(id);
        }
        await Promise.all([...ids].map(load));
        const map = new Map<string, StoredObject>();
        for (const h of hashes) {
          const o = loaded.get(h);
          if (o) map.set(h, o);
        }
        return map;
      },
    };
  }

  /**
   * The content of objects stored in a pack file, checked against their
   * sha256: JSON parsed for shards and items, bytes for the rest. A pack file
   * that is gone or short, bytes that do not match, or JSON that does not
   * parse, is a {@link StoreCorruptError}: the caller restores or re-syncs.
   */
  private async fill(pack: string, objects: readonly StoredObject[]): Promise<StoredObject[]> {
    if (!this.packs) {
      throw new StoreCorruptError(`objects live in pack ${pack}, but no pack directory is open`);
    }
    let bytes: Uint8Array[];
    try {
      bytes = await this.packs.read(
        pack,
        objects.map((o) => [o.at ?? 0, o.size] as const),
      );
    } catch (err) {
      const why =
        err instanceof PackMissingError ? err.message : `pack file ${pack}: ${String(err)}`;
      throw new StoreCorruptError(why);
    }
    // LevelDB checks its records; a file has no such check: every object read
    // is hashed against its name (10,000 items: ~0.15 s here), and one that
    // does not match is corruption, never shown.
    const hashes = await Promise.all(bytes.map((b) => sha256Hex(b)));
    hashes.forEach((h, i) => {
      if (h !== objects[i].sha256) {
        throw new StoreCorruptError(
          `pack file ${pack}: object ${objects[i].sha256} does not match its sha256`,
        );
      }
    });
    const utf8 = new TextDecoder();
    return objects.map((o, i) => {
      const rest = { sha256: o.sha256, size: o.size, kind: o.kind };
      if (o.kind !== 'shard' && o.kind !== 'item')
        return { ...rest, bytes: bytes[i].slice().buffer };
      try {
        return { ...rest, json: JSON.parse(utf8.decode(bytes[i])) as unknown };
      } catch {
        throw new StoreCorruptError(`pack file ${pack}: object ${o.sha256} is not valid JSON`);
      }
    });
  }

  /** Stored objects by sha256 (missing ones are left out). */
  async getObjects(hashes: readonly string[]): Promise<Map<string, StoredObject>> {
    if (!hashes.length) return new Map();
    return (await this.objectIndex()).get(hashes);
  }

  /**
   * Writes a whole version (its new objects and its record) and makes it active
   * in ONE strict-durability transaction: a crash leaves either the old version
   * or the new one, never a mix. Callers verify everything first; nothing here
   * awaits network or crypto. Objects the version lists and `objects` does not
   * carry must already be stored, or the transaction is aborted.
   */
  async commitVersion(
    version: NewVersion,
    objects: readonly NewObject[],
    extras: CommitExtras = {},
  ): Promise<void> {
    await this.commitStaged(version, await this.stage(version, objects, extras), extras);
  }

  /**
   * The first half of {@link commitVersion}: with a pack directory, writes the
   * new objects' bytes as one pack file (and the version's snapshot); without
   * one, only arranges them in chunks. Nothing points at what it writes until
   * {@link commitStaged}; garbage collection removes it if that never comes.
   */
  async stage(
    version: NewVersion,
    objects: readonly NewObject[],
    extras: CommitExtras = {},
  ): Promise<StagedVersion> {
    if (this.packs) return this.writePack(version, objects, extras);
    const inline = objects.map(({ raw: _raw, ...o }) => o);
    return { chunks: packChunks(inline, `v${version.version}`), names: [] };
  }

  /**
   * The second half of {@link commitVersion}: the staged chunks, the version
   * record and the switch in ONE strict-durability transaction.
   */
  async commitStaged(
    version: NewVersion,
    staged: StagedVersion,
    extras: CommitExtras = {},
  ): Promise<void> {
    try {
      await this.commitRecords(version, staged.chunks, extras);
    } catch (err) {
      // Never referenced: the files go (garbage collection would take them too).
      for (const name of staged.names) await this.packs?.remove(name).catch(() => undefined);
      throw err;
    } finally {
      for (const name of staged.names) this.writing.delete(name);
    }
  }

  /**
   * Writes the bytes of a version's new objects as one pack file, and the
   * version's snapshot beside it when `extras.copy` is given and every object
   * of the version is in a pack file. Before the transaction, so that it only
   * records where the bytes are.
   */
  private async writePack(
    version: NewVersion,
    objects: readonly NewObject[],
    extras: CommitExtras,
  ): Promise<StagedVersion> {
    const packs = this.packs as PackDir;
    const name = `p${version.version}-${stamp()}.pack`;
    const bodies = objects.map(contentBytes);
    const copy = extras.copy;
    if (copy) bodies.push(copy.manifest, copy.signature);
    // Index lists and shards are copied together at the end (~4% of a bundle):
    // a delta reads them all, and scattered among the items that took ~1.8 s
    // per chunk of them, together one read.
    const forceCopy = bodies.map((_, i) => i < objects.length && isIndex(objects[i]));
    const laid = layOut(bodies, forceCopy);
    const place = bodies.map((b, i): PackLocation => [name, laid.offsets[i], b.length]);
    const located = objects.map((o, i): StoredObject => ({
      sha256: o.sha256,
      size: place[i][2],
      kind: o.kind,
      at: place[i][1],
    }));
    let snapshot: LocalCopySnapshot | null = null;
    if (copy) {
      const where = new Map<string, PackLocation>(objects.map((o, i) => [o.sha256, place[i]]));
      const old = await this.packLocations(version.objects.filter((sha) => !where.has(sha)));
      for (const [sha, loc] of old) where.set(sha, loc);
      const n = objects.length;
      if (version.objects.every((sha) => where.has(sha))) {
        const packNames = [
          ...new Set([...[...where.values()].map((l) => l[0]), place[n][0], place[n + 1][0]]),
        ];
        const index = new Map(packNames.map((p, i) => [p, i]));
        snapshot = {
          format: 1,
          version: version.version,
          bundleId: version.bundleId,
          manifest: place[n],
          signature: place[n + 1],
          paths: copy.paths,
          objects: version.objects.map((sha) => {
            const [p, at, size] = where.get(sha) as PackLocation;
            return [sha, index.get(p) ?? 0, at, size];
          }),
          packs: packNames,
          learnedKeys: copy.learnedKeys,
        };
      }
    }
    const names = [name];
    this.writing.add(name);
    const writes = [packs.write(name, laid.parts)];
    if (snapshot) {
      const snap = snapshotName(version.version);
      names.push(snap);
      this.writing.add(snap);
      // Serialised while the browser writes the pack.
      writes.push(packs.write(snap, [new TextEncoder().encode(JSON.stringify(snapshot))]));
    }
    const settled = await Promise.allSettled(writes);
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) {
      for (const n of names) {
        this.writing.delete(n);
        await packs.remove(n).catch(() => undefined);
      }
      throw storageFailure(failed.reason);
    }
    return { chunks: packChunks(located, `v${version.version}`, name), names };
  }

  /** Where the stored objects among `shas` are, for those kept in pack files. */
  private async packLocations(shas: readonly string[]): Promise<Map<string, PackLocation>> {
    const out = new Map<string, PackLocation>();
    if (!shas.length) return out;
    const where = recordMap(await this.db.getAll('versions'));
    const ids = new Set<string>();
    for (const sha of shas) {
      const id = where.get(sha)?.id;
      if (id !== undefined) ids.add(id);
    }
    const tx = this.db.transaction(['chunks', 'chunkIndex'], 'readonly');
    // Inline chunks (written without a pack directory) are never read whole just to be skipped.
    const infos = await Promise.all([...ids].map((id) => tx.objectStore('chunkIndex').get(id)));
    const packed = infos.filter((i) => i?.pack).map((i) => (i as ChunkInfo).id);
    const rows = await Promise.all(packed.map((id) => tx.objectStore('chunks').get(id)));
    await tx.done;
    const wanted = new Set(shas);
    for (const row of rows) {
      if (!row?.pack) continue;
      for (const o of row.objects) {
        if (o.at !== undefined && wanted.has(o.sha256)) out.set(o.sha256, [row.pack, o.at, o.size]);
      }
    }
    return out;
  }

  /** The version's chunks (already packed), its record and the switch, in one transaction. */
  private async commitRecords(
    version: NewVersion,
    packed: readonly PackedChunk[],
    extras: CommitExtras,
  ): Promise<void> {
    const tx = this.db.transaction(['meta', 'versions', 'chunks', 'chunkIndex'], 'readwrite', {
      durability: 'strict',
    });
    const done = tx.done;
    // Attach a handler before the first await so an abort is never unhandled.
    done.catch(() => undefined);
    const meta = tx.objectStore('meta');
    const versions = tx.objectStore('versions');
    try {
      // The transaction's outcome is read from tx.done. The chunks go through the raw
      // stores: idb's promise and two listeners per request are not needed.
      const chunks = unwrap(tx.objectStore('chunks'));
      const index = unwrap(tx.objectStore('chunkIndex'));
      for (const c of packed) {
        chunks.put(c.chunk);
        index.put(c.info);
      }
    } catch (err) {
      // put() throws synchronously (DataCloneError...): the puts already issued
      // would otherwise commit, so abort the whole transaction.
      tx.abort();
      throw err;
    }
    try {
      const [previous, highest, stored] = await Promise.all([
        meta.get('active') as Promise<MetaValues['active'] | undefined>,
        meta.get('highestVersion') as Promise<number | undefined>,
        versions.getAll(),
      ]);
      const where = recordMap(stored.filter((r) => r.version !== version.version));
      for (const [sha, loc] of chunkMap(packed)) where.set(sha, loc);
      const missing: string[] = [];
      const { objects: shas, ...rest } = version;
      const record: VersionRecord = { ...rest, chunks: chunkRefs(shas, where, missing) };
      if (missing.length) {
        tx.abort();
        throw new StoreCorruptError(
          `version ${version.version}: ${missing.length} listed objects are neither stored nor given (first ${missing[0]})`,
        );
      }
      void versions.put(record);
      void meta.put({ version: record.version }, 'active');
      if (previous && previous.version !== record.version) void meta.put(previous, 'previous');
      void meta.put(Math.max(highest ?? 0, record.version), 'highestVersion');
      if (extras.learnedKeys) void meta.put(extras.learnedKeys, 'learnedKeys');
      if (extras.timeFloor) void meta.put(extras.timeFloor, 'timeFloor');
      await done;
    } catch (err) {
      if (err instanceof StoreCorruptError) throw err;
      // On an abort every request fails with a bare AbortError; the reason is the transaction's.
      throw storageFailure(tx.error ?? err);
    }
  }

  /**
   * Deletes every version other than the active and the previous one, and every
   * chunk neither of them references; a chunk that they use less than half of
   * is rewritten with only what they use, so repeated small updates cannot
   * grow the store without bound. Runs after a switch, in its own transaction:
   * if it is interrupted, orphans wait for the next run.
   */
  async collectGarbage(): Promise<{ versions: number; objects: number }> {
    const tx = this.db.transaction(['meta', 'versions', 'chunks', 'chunkIndex'], 'readwrite');
    const meta = tx.objectStore('meta');
    const active = (await meta.get('active')) as MetaValues['active'] | undefined;
    const previous = (await meta.get('previous')) as MetaValues['previous'] | undefined;
    const keepVersions = new Set([active?.version, previous?.version].filter((v) => v != null));
    const versions = tx.objectStore('versions');
    const live = new Map<string, Set<string>>();
    let deletedVersions = 0;
    for (const record of await versions.getAll()) {
      if (keepVersions.has(record.version)) {
        for (const ref of record.chunks) {
          const set = live.get(ref.id) ?? new Set<string>();
          for (const sha of ref.objects) set.add(sha);
          live.set(ref.id, set);
        }
      } else {
        void versions.delete(record.version);
        deletedVersions++;
      }
    }
    const chunks = tx.objectStore('chunks');
    const index = tx.objectStore('chunkIndex');
    let deletedObjects = 0;
    const sparse: ChunkInfo[] = [];
    for (const info of await index.getAll()) {
      const used = live.get(info.id)?.size ?? 0;
      if (used === 0) {
        void chunks.delete(info.id);
        void index.delete(info.id);
        deletedObjects += info.count;
      } else if (used * 2 < info.count) {
        sparse.push(info);
      }
    }
    for (const info of sparse) {
      const chunk = await chunks.get(info.id);
      if (!chunk) continue;
      const keep = live.get(info.id) ?? new Set<string>();
      const objects = chunk.objects.filter((o) => keep.has(o.sha256));
      deletedObjects += chunk.objects.length - objects.length;
      void chunks.put({ ...chunk, objects });
      void index.put({
        ...info,
        count: objects.length,
        bytes: objects.reduce((n, o) => n + o.size, 0),
      });
    }
    await tx.done;
    if (this.packs) await this.collectPacks(keepVersions);
    return { versions: deletedVersions, objects: deletedObjects };
  }

  /**
   * Deletes pack files no chunk references, and snapshots of versions no
   * longer kept, except files a commit is writing now.
   */
  private async collectPacks(keep: ReadonlySet<number>): Promise<void> {
    const packs = this.packs as PackDir;
    const live = new Set<string>();
    for (const info of await this.db.getAll('chunkIndex')) if (info.pack) live.add(info.pack);
    const names = await packs.list();
    for (const name of names) {
      const v = snapshotVersion(name);
      if (v === null || !keep.has(v)) continue;
      live.add(name);
      // The manifest and signature of a kept version live in a pack no chunk may reference.
      for (const p of (await readSnapshot(packs, name))?.packs ?? []) live.add(p);
    }
    for (const name of names) {
      if (!live.has(name) && !this.writing.has(name)) await packs.remove(name);
    }
  }

  /** Removes a snapshot that failed verification, so it is not tried again. */
  async dropLocalCopy(version: number): Promise<void> {
    await this.packs?.remove(snapshotName(version));
  }

  close(): void {
    this.db.close();
  }
}

/**
 * A full disk aborts a Chromium transaction with UnknownError "IO error …
 * FILE_ERROR_NO_SPACE" when it hits LevelDB, and with DataError "Failed to
 * write blobs (IOError)" when it hits a chunk written beside it as a blob
 * (both measured in Chromium 156 on a full tmpfs), not with
 * QuotaExceededError: callers see all of them as QuotaExceededError. A blob
 * write has no other I/O failure a kiosk meets in practice.
 */
function storageFailure(err: unknown): unknown {
  if (
    err instanceof DOMException &&
    err.name !== 'QuotaExceededError' &&
    /NO_SPACE|No space left|disk (is )?full|Failed to write blobs/i.test(err.message)
  ) {
    return new DOMException(err.message, 'QuotaExceededError');
  }
  return err;
}

/** Deletes a database (after corruption); resolves when it is gone. */
export async function deleteStore(name = DB_NAME): Promise<void> {
  await deleteDB(name);
}
