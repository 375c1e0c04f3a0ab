import type { DBSchema } from 'idb';
import type { KioskConfig } from '../config/types.ts';
import type { JwkP256 } from '../content/bundle.ts';

/** What a version is, as the sync engine hands it to the store to commit. */
export interface NewVersion {
  version: number;
  bundleId: string;
  generatedAt: string;
  expiresAt: string | null;
  /** Id of the trusted key that signed it; `demo` keys make screens show 演示. */
  keyId: string;
  demo: boolean;
  itemCount: number;
  /** Sum of the sizes of the bundle's files, as the manifest declares it. */
  totalBytes: number;
  committedAt: string;
  /** Item id → sha256 of its item file, in bundle order. */
  items: [id: string, sha256: string][];
  /** Every object this version references (shards, items, singleton files). */
  objects: string[];
  /** Singleton files by role (calendar, synonyms, search, ...): sha256 and optional name. */
  files: { role: string; sha256: string; name?: string }[];
}

/** The objects of one version that live in one chunk. */
export interface ChunkRef {
  id: string;
  kind: StoredObject['kind'];
  /** sha256 of each object of the version kept in this chunk. */
  objects: string[];
}

/**
 * A committed bundle version. Only the active one and the previous one
 * (last-known-good) are kept; the rest are garbage-collected after a switch.
 * Its objects are listed by the chunk they live in.
 */
export interface VersionRecord extends Omit<NewVersion, 'objects'> {
  chunks: ChunkRef[];
}

/**
 * Objects are stored many to a record: Chromium's IndexedDB pays per record
 * (measured: 12,708 records of ~3 KB took 3.7–12 s to commit, the same bytes
 * in ~800 records of at most 48 KB 1.7–1.9 s, in one run under load). A chunk
 * stays under the 64 KiB above which Chromium writes a value as a blob file
 * (see CHUNK_BYTES in db.ts). A chunk holds objects of one kind, so reading the items never
 * deserialises an attachment. Objects are still stored once by sha256: a new
 * version points into the chunks of older ones for the objects it shares.
 */
export interface StoredChunk {
  id: string;
  objects: StoredObject[];
  /**
   * The pack file (OPFS, src/data/packs.ts) holding the bytes of this chunk's
   * objects, each at its `at`; such a chunk carries only where they are.
   * Without it the objects are inline (`json` or `bytes`).
   */
  pack?: string;
}

/** The size of a chunk without reading it, for garbage collection. */
export interface ChunkInfo {
  id: string;
  kind: StoredObject['kind'];
  /** Objects written in it. */
  count: number;
  bytes: number;
  /** The chunk's pack file, when its objects live in one. */
  pack?: string;
}

/**
 * A content-addressed file, stored once and shared by every version that lists
 * it. JSON files (index shards, item files) are kept parsed so reading a
 * version is a structured clone, not a parse; other files (and index lists,
 * which are re-hashed when walked) are kept as bytes.
 */
export interface StoredObject {
  sha256: string;
  size: number;
  kind: 'shard' | 'list' | 'item' | 'file';
  json?: unknown;
  bytes?: ArrayBuffer;
  /** Offset in the chunk's pack file, for an object stored there. */
  at?: number;
}

/**
 * An object handed to a commit: its verified bytes as received (`raw`) go
 * into the pack file; without a pack directory `json` or `bytes` is stored inline.
 */
export interface NewObject extends StoredObject {
  raw?: Uint8Array;
}

/** Where an object's bytes are: pack file, offset, length. */
export type PackLocation = [pack: string, at: number, size: number];

/**
 * What a version needs to be verified and committed again from the pack files
 * alone, written beside them (`v<version>.snap`) before the transaction that
 * switches to it: when Chromium recreates the database empty after a crash,
 * the kiosk restores from it without a network.
 */
export interface LocalCopySnapshot {
  format: 1;
  version: number;
  bundleId: string;
  manifest: PackLocation;
  signature: PackLocation;
  /** Every path of the bundle's listing tree and its sha256. */
  paths: [path: string, sha256: string][];
  /** sha256 → index into `packs`, offset and length. */
  objects: [sha256: string, pack: number, at: number, size: number][];
  packs: string[];
  /** Keys learned from `nextKeys` until this version (verified then). */
  learnedKeys: LearnedKey[];
}

/** A trusted signing key learned from a verified manifest's `nextKeys`. */
export interface LearnedKey {
  id: string;
  jwk: JwkP256;
  /** Version of the manifest that introduced it. */
  fromVersion: number;
}

/** Key-value records in the `meta` store. */
export interface MetaValues {
  /** The version being shown. Switched in the same transaction that writes that version. */
  active: { version: number };
  previous: { version: number } | null;
  /** Highest version ever committed: a later manifest must be greater (rollback, replay). */
  highestVersion: number;
  lastValidConfig: KioskConfig;
  /** Keys added by `nextKeys` of verified manifests (key rotation). */
  learnedKeys: LearnedKey[];
  /** Newest verified generatedAt (ms) and the last HTTP Date seen (ms): floors of trustedNow. */
  timeFloor: { generatedAt: number; httpDate: number };
  /** Sequence of the last accepted alerts file and its alerts. */
  alerts: { sequence: number; issuedAt: string; alerts: unknown[] };
  /** The serialised search index of one version, so a restart does not rebuild it. */
  searchIndex: { sourceKey: string; buffer: ArrayBuffer };
  /** `searchIndex`'s sourceKey on its own, so a stale index is recognised without reading it. */
  searchIndexKey: string;
}

/** What an anonymous count counts (src/data/stats.ts). */
export type StatKind = 'view' | 'search' | 'zero';

/**
 * One anonymous counter for one day: views of an item, searches, or searches
 * that found nothing (keyed by the normalised query). Never tied to a session
 * or to a time finer than the day.
 */
export interface StatRecord {
  /** `${day}|${kind}|${key}`: sorts by day, so a day range is a key range. */
  id: string;
  /** Local date (YYYY-MM-DD) in the kiosk's time zone. */
  day: string;
  kind: StatKind;
  /** Item id (view), '' (search), normalised query text (zero). */
  key: string;
  count: number;
}

/** The one typed schema of the kiosk's database. */
export interface GongkaiDB extends DBSchema {
  meta: { key: keyof MetaValues; value: MetaValues[keyof MetaValues] };
  versions: { key: number; value: VersionRecord };
  chunks: { key: string; value: StoredChunk };
  chunkIndex: { key: string; value: ChunkInfo };
  stats: { key: string; value: StatRecord };
}

export const DB_NAME = 'gongkai';
/**
 * 1: first schema (items per version). 2: content-addressed objects shared between versions.
 * 3: anonymous counts (`stats`). 4: objects stored many to a record (`chunks`).
 */
export const DB_VERSION = 4;
