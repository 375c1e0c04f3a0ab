import { deleteDB, openDB, unwrap, type IDBPDatabase, type IDBPTransaction } from 'idb';
import type { ItemFile } from '../content/bundle.ts';
import {
  DB_NAME,
  DB_VERSION,
  type ChunkInfo,
  type ChunkRef,
  type GongkaiDB,
  type MetaValues,
  type NewVersion,
  type StoredChunk,
  type StoredObject,
  type VersionRecord,
} from './schema.ts';

export type {
  ChunkRef,
  GongkaiDB,
  LearnedKey,
  MetaValues,
  NewVersion,
  StoredObject,
  VersionRecord,
} from './schema.ts';
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

/**
 * Packs objects into chunks of one kind each and at most {@link CHUNK_BYTES};
 * a singleton file (an attachment can be megabytes) gets a chunk of its own.
 */
export function packChunks(objects: readonly StoredObject[], prefix: string): PackedChunk[] {
  const out: PackedChunk[] = [];
  const open = new Map<StoredObject['kind'], PackedChunk>();
  for (const o of objects) {
    let c = open.get(o.kind);
    if (!c || (c.info.count > 0 && c.info.bytes + o.size > CHUNK_BYTES) || o.kind === 'file') {
      const id = `${prefix}.${out.length}`;
      c = { chunk: { id, objects: [] }, info: { id, kind: o.kind, count: 0, bytes: 0 } };
      out.push(c);
      open.set(o.kind, c);
    }
    c.chunk.objects.push(o);
    c.info.count++;
    c.info.bytes += o.size;
  }
  return out;
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

/** Opens (and upgrades) the kiosk database. */
export async function openStore(hooks: OpenHooks = {}, name = DB_NAME): Promise<Store> {
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
  return new Store(db, name, dataLoss);
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
export async function openStoreSafely(hooks: OpenHooks = {}, name = DB_NAME): Promise<SafeOpen> {
  let store: Store | null = null;
  try {
    store = await openStore(hooks, name);
    // A store that opens but cannot be read is as broken as one that does not open.
    await store.probe();
    return { store, recovered: null };
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
    await deleteDB(name);
    return { store: await openStore(hooks, name), recovered: reason };
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
  ) {}

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
    rows.forEach((row, i) => {
      if (!row) {
        throw new StoreCorruptError(`version ${record.version}: chunk ${refs[i].id} is missing`);
      }
      for (const o of row.objects) if (o.json !== undefined) json.set(o.sha256, o.json);
    });
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
    // Chunks already read: the objects of one chunk are usually wanted together.
    const cache = new Map<string, StoredChunk | undefined>();
    return {
      size: where.size,
      has: (sha) => where.has(sha),
      get: async (hashes) => {
        const map = new Map<string, StoredObject>();
        const ids = new Set<string>();
        for (const h of hashes) {
          const id = where.get(h)?.id;
          if (id !== undefined && !cache.has(id)) ids.add(id);
        }
        if (ids.size) {
          const tx = this.db.transaction('chunks', 'readonly');
          const rows = await Promise.all([...ids].map((id) => tx.store.get(id)));
          await tx.done;
          [...ids].forEach((id, i) => cache.set(id, rows[i]));
        }
        const wanted = new Set(hashes);
        for (const h of wanted) {
          const id = where.get(h)?.id;
          const o =
            id === undefined ? undefined : cache.get(id)?.objects.find((x) => x.sha256 === h);
          if (o) map.set(h, o);
        }
        return map;
      },
    };
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
    objects: readonly StoredObject[],
    extras: CommitExtras = {},
  ): Promise<void> {
    const packed = packChunks(objects, `v${version.version}`);
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
      void chunks.put({ id: info.id, objects });
      void index.put({
        ...info,
        count: objects.length,
        bytes: objects.reduce((n, o) => n + o.size, 0),
      });
    }
    await tx.done;
    return { versions: deletedVersions, objects: deletedObjects };
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
