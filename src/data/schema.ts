import type { DBSchema } from 'idb';
import type { Item } from '../content/types.ts';
import type { KioskConfig } from '../config/types.ts';

/** A committed bundle version. Only the active one and the previous one are kept. */
export interface VersionRecord {
  version: number;
  bundleId: string;
  generatedAt: string;
  expiresAt: string | null;
  /** Id of the trusted key that signed it; `demo` keys make screens show 演示. */
  keyId: string;
  demo: boolean;
  itemCount: number;
  committedAt: string;
}

/** An item of one version. */
export interface StoredItem {
  version: number;
  id: string;
  item: Item;
}

/** Key-value records in the `meta` store. */
export interface MetaValues {
  /** The version being shown. Switched in the same transaction that writes that version. */
  active: { version: number };
  previous: { version: number } | null;
  lastValidConfig: KioskConfig;
}

/** The one typed schema of the kiosk's database. */
export interface GongkaiDB extends DBSchema {
  meta: { key: keyof MetaValues; value: MetaValues[keyof MetaValues] };
  versions: { key: number; value: VersionRecord };
  items: { key: [number, string]; value: StoredItem; indexes: { 'by-version': number } };
}

export const DB_NAME = 'gongkai';
export const DB_VERSION = 1;
