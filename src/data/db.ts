import { deleteDB, openDB, unwrap, type IDBPDatabase, type IDBPTransaction } from 'idb';
import type { ItemFile } from '../content/bundle.ts';
import {
  DB_NAME,
  DB_VERSION,
  type GongkaiDB,
  type MetaValues,
  type StoredObject,
  type VersionRecord,
} from './schema.ts';

export type { GongkaiDB, LearnedKey, MetaValues, StoredObject, VersionRecord } from './schema.ts';
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
];

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
  const db = await openDB<GongkaiDB>(name, DB_VERSION, {
    upgrade(database, oldVersion, _newVersion, transaction) {
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
  return new Store(db, name);
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
  try {
    const store = await openStore(hooks, name);
    // A store that opens but cannot be read is as broken as one that does not open.
    await store.probe();
    return { store, recovered: null };
  } catch (err) {
    const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    console.error('[gongkai] database unusable, deleting and re-syncing:', reason);
    await deleteDB(name);
    return { store: await openStore(hooks, name), recovered: reason };
  }
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
  ) {}

  async getMeta<K extends keyof MetaValues>(key: K): Promise<MetaValues[K] | undefined> {
    return (await this.db.get('meta', key)) as MetaValues[K] | undefined;
  }

  async setMeta<K extends keyof MetaValues>(key: K, value: MetaValues[K]): Promise<void> {
    await this.db.put('meta', value, key);
  }

  /** Reads one record of each store: throws when the backing store is unreadable. */
  async probe(): Promise<void> {
    const tx = this.db.transaction(['meta', 'versions', 'objects'], 'readonly');
    await Promise.all([
      tx.objectStore('meta').get('active'),
      tx.objectStore('versions').openCursor(),
      tx.objectStore('objects').openCursor(),
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
    const tx = this.db.transaction(['meta', 'versions', 'objects'], 'readonly');
    const active = (await tx.objectStore('meta').get('active')) as MetaValues['active'] | undefined;
    if (!active) {
      await tx.done;
      return null;
    }
    const record = await tx.objectStore('versions').get(active.version);
    if (!record) throw new StoreCorruptError(`active version ${active.version} has no record`);
    const objects = tx.objectStore('objects');
    const rows = await Promise.all(record.items.map(([, sha]) => objects.get(sha)));
    await tx.done;
    const items: ItemFile[] = [];
    rows.forEach((row, i) => {
      if (!row || row.json === undefined) {
        throw new StoreCorruptError(
          `version ${record.version}: item ${record.items[i][0]} (${record.items[i][1]}) is missing`,
        );
      }
      items.push(row.json as ItemFile);
    });
    if (items.length !== record.itemCount) {
      throw new StoreCorruptError(
        `version ${record.version}: ${items.length} items stored, ${record.itemCount} listed`,
      );
    }
    return { record, items };
  }

  /** The subset of `hashes` already stored. */
  async storedHashes(): Promise<Set<string>> {
    return new Set(await this.db.getAllKeys('objects'));
  }

  /** Stored objects by sha256 (missing ones are left out). */
  async getObjects(hashes: readonly string[]): Promise<Map<string, StoredObject>> {
    const tx = this.db.transaction('objects', 'readonly');
    const rows = await Promise.all(hashes.map((h) => tx.store.get(h)));
    await tx.done;
    const map = new Map<string, StoredObject>();
    for (const row of rows) if (row) map.set(row.sha256, row);
    return map;
  }

  /**
   * Writes a whole version (its new objects and its record) and makes it active
   * in ONE strict-durability transaction: a crash leaves either the old version
   * or the new one, never a mix. Callers verify everything first; every put is
   * issued synchronously and nothing here awaits network or crypto.
   */
  async commitVersion(
    record: VersionRecord,
    objects: readonly StoredObject[],
    extras: CommitExtras = {},
  ): Promise<void> {
    const tx = this.db.transaction(['meta', 'versions', 'objects'], 'readwrite', {
      durability: 'strict',
    });
    const done = tx.done;
    // Attach a handler before the first await so an abort is never unhandled.
    done.catch(() => undefined);
    const meta = tx.objectStore('meta');
    const objectStore = tx.objectStore('objects');
    try {
      // The transaction's outcome is read from tx.done. The objects go through the raw
      // store: idb's promise and two listeners per request cost more than the put
      // itself for 10,000 small objects. A failed put aborts the transaction.
      const raw = unwrap(objectStore);
      for (const o of objects) raw.put(o);
      tx.objectStore('versions').put(record).catch(ignore);
    } catch (err) {
      // put() throws synchronously (DataCloneError...): the puts already issued
      // would otherwise commit, so abort the whole transaction.
      tx.abort();
      throw err;
    }
    try {
      const [previous, highest] = await Promise.all([
        meta.get('active') as Promise<MetaValues['active'] | undefined>,
        meta.get('highestVersion') as Promise<number | undefined>,
      ]);
      void meta.put({ version: record.version }, 'active');
      if (previous && previous.version !== record.version) void meta.put(previous, 'previous');
      void meta.put(Math.max(highest ?? 0, record.version), 'highestVersion');
      if (extras.learnedKeys) void meta.put(extras.learnedKeys, 'learnedKeys');
      if (extras.timeFloor) void meta.put(extras.timeFloor, 'timeFloor');
      await done;
    } catch (err) {
      // On an abort every request fails with a bare AbortError; the reason is the transaction's.
      throw storageFailure(tx.error ?? err);
    }
  }

  /**
   * Deletes every version other than the active and the previous one, and every
   * object neither of them references. Runs after a switch, in its own
   * transaction: if it is interrupted, orphans wait for the next run.
   */
  async collectGarbage(): Promise<{ versions: number; objects: number }> {
    const tx = this.db.transaction(['meta', 'versions', 'objects'], 'readwrite');
    const meta = tx.objectStore('meta');
    const active = (await meta.get('active')) as MetaValues['active'] | undefined;
    const previous = (await meta.get('previous')) as MetaValues['previous'] | undefined;
    const keepVersions = new Set([active?.version, previous?.version].filter((v) => v != null));
    const versions = tx.objectStore('versions');
    const keepObjects = new Set<string>();
    let deletedVersions = 0;
    for (const record of await versions.getAll()) {
      if (keepVersions.has(record.version)) {
        for (const sha of record.objects) keepObjects.add(sha);
      } else {
        void versions.delete(record.version);
        deletedVersions++;
      }
    }
    const objects = tx.objectStore('objects');
    let deletedObjects = 0;
    for (const sha of await objects.getAllKeys()) {
      if (!keepObjects.has(sha)) {
        void objects.delete(sha);
        deletedObjects++;
      }
    }
    await tx.done;
    return { versions: deletedVersions, objects: deletedObjects };
  }

  close(): void {
    this.db.close();
  }
}

function ignore(): void {}

/**
 * A full disk aborts a Chromium transaction with UnknownError "IO error …
 * FILE_ERROR_NO_SPACE" (measured in Chromium 156 on a full tmpfs), not with
 * QuotaExceededError: callers see both as QuotaExceededError.
 */
function storageFailure(err: unknown): unknown {
  if (
    err instanceof DOMException &&
    err.name !== 'QuotaExceededError' &&
    /NO_SPACE|No space left|disk (is )?full/i.test(err.message)
  ) {
    return new DOMException(err.message, 'QuotaExceededError');
  }
  return err;
}

/** Deletes a database (after corruption); resolves when it is gone. */
export async function deleteStore(name = DB_NAME): Promise<void> {
  await deleteDB(name);
}
