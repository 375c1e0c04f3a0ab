import { openDB, type IDBPDatabase } from 'idb';
import type { Item } from '../content/types.ts';
import {
  DB_NAME,
  DB_VERSION,
  type GongkaiDB,
  type MetaValues,
  type VersionRecord,
} from './schema.ts';

export type { GongkaiDB, MetaValues, VersionRecord, StoredItem } from './schema.ts';
export { DB_NAME, DB_VERSION } from './schema.ts';

/**
 * Upgrade steps, cumulative: a database at version n runs every step after n.
 * Never edit a released step; add a new one.
 */
const UPGRADES: ((db: IDBPDatabase<GongkaiDB>) => void)[] = [
  // 0 → 1: the first schema.
  (db) => {
    db.createObjectStore('meta');
    db.createObjectStore('versions', { keyPath: 'version' });
    const items = db.createObjectStore('items', { keyPath: ['version', 'id'] });
    items.createIndex('by-version', 'version');
  },
];

/** Callbacks for the lifecycle events an open database can raise. */
export interface OpenHooks {
  /** Another tab holds an older version open and does not close it. */
  onBlocked?: () => void;
  /** The browser closed the connection abnormally (e.g. the store was deleted). */
  onTerminated?: () => void;
}

/** Opens (and upgrades) the kiosk database. */
export async function openStore(hooks: OpenHooks = {}, name = DB_NAME): Promise<Store> {
  const db = await openDB<GongkaiDB>(name, DB_VERSION, {
    upgrade(database, oldVersion) {
      for (let v = oldVersion; v < UPGRADES.length; v++) UPGRADES[v](database);
    },
    blocked: () => hooks.onBlocked?.(),
    // A newer tab wants to upgrade: step aside so it is not blocked forever.
    blocking: () => db.close(),
    terminated: () => hooks.onTerminated?.(),
  });
  return new Store(db);
}

/** The typed storage API. The only code in the app that touches IndexedDB. */
export class Store {
  constructor(private readonly db: IDBPDatabase<GongkaiDB>) {}

  async getMeta<K extends keyof MetaValues>(key: K): Promise<MetaValues[K] | undefined> {
    return (await this.db.get('meta', key)) as MetaValues[K] | undefined;
  }

  async setMeta<K extends keyof MetaValues>(key: K, value: MetaValues[K]): Promise<void> {
    await this.db.put('meta', value, key);
  }

  /** The active version's record, or undefined before the first commit. */
  async activeVersion(): Promise<VersionRecord | undefined> {
    const active = await this.getMeta('active');
    return active ? this.db.get('versions', active.version) : undefined;
  }

  /** Every item of the active version, read in one transaction. */
  async activeItems(): Promise<Item[]> {
    const tx = this.db.transaction(['meta', 'versions', 'items'], 'readonly');
    const active = (await tx.objectStore('meta').get('active')) as MetaValues['active'] | undefined;
    if (!active) return [];
    const rows = await tx.objectStore('items').index('by-version').getAll(active.version);
    await tx.done;
    return rows.map((r) => r.item);
  }

  /**
   * Writes a whole version and makes it active in one strict-durability
   * transaction: a crash leaves either the old version or the new one, never a mix.
   * Callers verify everything first; nothing here awaits network or crypto.
   */
  async commitVersion(record: VersionRecord, items: Item[]): Promise<void> {
    const tx = this.db.transaction(['meta', 'versions', 'items'], 'readwrite', {
      durability: 'strict',
    });
    const meta = tx.objectStore('meta');
    const itemStore = tx.objectStore('items');
    const previous = (await meta.get('active')) as MetaValues['active'] | undefined;
    void tx.objectStore('versions').put(record);
    for (const item of items) void itemStore.put({ version: record.version, id: item.id, item });
    void meta.put({ version: record.version }, 'active');
    void meta.put(previous ?? null, 'previous');
    await tx.done;
  }

  close(): void {
    this.db.close();
  }
}
