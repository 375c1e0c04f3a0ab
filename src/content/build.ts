/**
 * Builds the files of a bundle (see `bundle.ts`) from normalised items.
 * Pure: it returns bytes by path, and the caller writes and signs them (the
 * CLI with node:crypto; a test or a browser could use WebCrypto).
 *
 * Small updates stay small: every item file, shard and list is content
 * addressed, so an unchanged one keeps its path and kiosks skip it.
 */
import {
  BUNDLE_FORMAT,
  bucketCount,
  bucketOf,
  objectPath,
  sha256Hex,
  type FileRef,
  type FileRole,
  compactRef,
  type IndexListFile,
  type IndexShard,
  type ItemFile,
  type JwkP256,
  type Manifest,
} from './bundle.ts';
import { INFO_CATEGORIES, INFO_CATEGORY_SHORT, type Calendar, type Item } from './types.ts';

/** Up to this many shards the manifest names them all (`indexes`). */
export const FLAT_INDEX_LIMIT = 64;
/** Shards (or lists) per index list: small, so a change re-downloads little. */
export const INDEX_LIST_FANOUT = 4;

/** A singleton file to include (calendar, synonyms, taxonomy, attachments). */
export interface ExtraFile {
  role: FileRole;
  name?: string;
  ext: string;
  bytes: Uint8Array;
}

export interface BuildInput {
  bundleId: string;
  version: number;
  generatedAt: string;
  expiresAt: string;
  keyId: string;
  nextKeys?: { id: string; jwk: JwkP256 }[];
  items: readonly Item[];
  /** Derived data per item (`deriveSearchData`). */
  derive: (item: Item) => unknown;
  files?: readonly ExtraFile[];
  /** Hash function; defaults to WebCrypto SHA-256. The CLI passes node's faster one. */
  hash?: (bytes: Uint8Array) => string | Promise<string>;
  /** Shape of the index tree (defaults: {@link FLAT_INDEX_LIMIT}, {@link INDEX_LIST_FANOUT}). */
  indexTree?: { flatLimit: number; fanout: number };
  /** Called after every item file, for progress bars. */
  onProgress?: (done: number, total: number) => void;
}

export interface BuiltBundle {
  manifest: Manifest;
  /** The exact bytes to sign and write as manifest.json. */
  manifestBytes: Uint8Array;
  /** Every other file by path (objects/...). */
  files: Map<string, Uint8Array>;
}

const enc = new TextEncoder();

/** The taxonomy file: the Art. 20/21 categories with their tile labels. */
export function taxonomyFile(): ExtraFile {
  const categories = Object.entries(INFO_CATEGORIES).map(([id, name]) => ({
    id,
    name,
    short: INFO_CATEGORY_SHORT[id as keyof typeof INFO_CATEGORIES],
  }));
  return { role: 'taxonomy', name: 'taxonomy', ext: 'json', bytes: json({ categories }) };
}

/** The calendar file of a bundle. */
export function calendarFile(calendar: Calendar): ExtraFile {
  return { role: 'calendar', name: 'calendar', ext: 'json', bytes: json(calendar) };
}

function json(v: unknown): Uint8Array {
  return enc.encode(JSON.stringify(v));
}

/** Builds every file of a bundle and the manifest bytes to sign. */
export async function buildBundle(input: BuildInput): Promise<BuiltBundle> {
  const hash = input.hash ?? sha256Hex;
  const files = new Map<string, Uint8Array>();
  let totalBytes = 0;
  const put = async (bytes: Uint8Array, ext = 'json'): Promise<FileRef> => {
    const sha256 = await hash(bytes);
    const path = objectPath(sha256, ext);
    if (!files.has(path)) {
      files.set(path, bytes);
      totalBytes += bytes.length;
    }
    return { path, sha256, size: bytes.length };
  };

  const ids = new Set<string>();
  const buckets = bucketCount(input.items.length);
  const shards = new Map<number, IndexShard['items']>();
  let done = 0;
  for (const item of input.items) {
    if (ids.has(item.id)) throw new Error(`duplicate item id ${item.id}`);
    ids.add(item.id);
    const file: ItemFile = { item, derived: input.derive(item) };
    const ref = await put(json(file));
    const b = bucketOf(item.id, buckets);
    let list = shards.get(b);
    if (!list) shards.set(b, (list = []));
    list.push({ id: item.id, ...ref });
    input.onProgress?.(++done, input.items.length);
  }

  const shardRefs: FileRef[] = [];
  for (const b of [...shards.keys()].sort((x, y) => x - y)) {
    const items = (shards.get(b) ?? []).sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    const shard: IndexShard = { bucket: b, items };
    shardRefs.push(await put(json(shard)));
  }

  // Large bundles: hang shards off a tree of small lists; the manifest names
  // only the top level. Buckets are stable, so an edit changes one path.
  let indexes = shardRefs;
  let indexLists: FileRef[] | undefined;
  const { flatLimit, fanout } = input.indexTree ?? {
    flatLimit: FLAT_INDEX_LIMIT,
    fanout: INDEX_LIST_FANOUT,
  };
  if (shardRefs.length > flatLimit) {
    let level: FileRef[] = shardRefs;
    let leaf = true;
    while (level.length > flatLimit) {
      const next: FileRef[] = [];
      for (let i = 0; i < level.length; i += fanout) {
        const chunk = level.slice(i, i + fanout);
        const refs = chunk.map(compactRef);
        const list: IndexListFile = leaf
          ? { indexes: refs, lists: [] }
          : { indexes: [], lists: refs };
        next.push(await put(json(list)));
      }
      level = next;
      leaf = false;
    }
    indexes = [];
    indexLists = level;
  }

  const extra: Manifest['files'] = [];
  for (const f of input.files ?? []) {
    const ref = await put(f.bytes, f.ext);
    extra.push({ ...ref, role: f.role, ...(f.name ? { name: f.name } : {}) });
  }

  const manifest: Manifest = {
    format: BUNDLE_FORMAT,
    bundleId: input.bundleId,
    version: input.version,
    generatedAt: input.generatedAt,
    expiresAt: input.expiresAt,
    keyId: input.keyId,
    ...(input.nextKeys && input.nextKeys.length > 0 ? { nextKeys: input.nextKeys } : {}),
    itemCount: input.items.length,
    totalBytes,
    indexes,
    ...(indexLists ? { indexLists } : {}),
    files: extra,
  };
  return { manifest, manifestBytes: json(manifest), files };
}
