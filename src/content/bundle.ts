/**
 * The signed bundle format, shared by the CLI (which writes it) and the kiosk
 * (which verifies and ingests it). Pure code. Hashing and signatures are in
 * ./crypto.ts: WebCrypto where it exists, pure JS on plain-http origins.
 *
 * A bundle is a directory:
 *
 * - `manifest.json` — the signed root ({@link Manifest}). Its exact bytes are signed.
 * - `manifest.sig` — base64url of the raw 64-byte ECDSA P-256 signature (r‖s, the
 *   IEEE P1363 form WebCrypto verifies) over the exact bytes of manifest.json.
 * - `objects/<aa>/<sha256>.json` (or another extension) — content-addressed files:
 *   index shards, item files, calendar, synonyms, search tables, attachments.
 *
 * Small updates stay small: the manifest lists index shards, not items; each
 * shard lists ~8 items; an item edit changes one item file, one shard and one
 * manifest line. Unchanged files keep their hash, so kiosks skip them.
 */

import { sha256Hex } from './crypto.ts';

export {
  base64UrlDecode,
  base64UrlEncode,
  CryptoUnavailableError,
  KeyImportError,
  sha256Hex,
  verifySignature,
} from './crypto.ts';

/** Bumped only on incompatible changes; kiosks refuse formats they do not know. */
export const BUNDLE_FORMAT = 1;

/** A content-addressed file listed by the manifest or by an index shard. */
export interface FileRef {
  /** Relative path inside the bundle: `objects/<first two hex>/<sha256>.<ext>`. */
  path: string;
  /** Lower-case hex SHA-256 of the file's bytes. */
  sha256: string;
  size: number;
}

/** Roles of the singleton files a manifest may list besides index shards. */
export const FILE_ROLES = ['calendar', 'synonyms', 'search', 'attachment', 'taxonomy'] as const;
export type FileRole = (typeof FILE_ROLES)[number];

export interface JwkP256 {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
}

/** The signed root of a bundle. */
export interface Manifest {
  format: typeof BUNDLE_FORMAT;
  bundleId: string;
  /** Strictly increasing integer; kiosks refuse a version not greater than the active one. */
  version: number;
  /** ISO timestamp, also a lower bound for the kiosk's notion of "now" (trustedNow). */
  generatedAt: string;
  /** After this, the kiosk keeps showing the bundle with a stale-content banner. */
  expiresAt: string;
  /** Id of the key that signed this manifest. */
  keyId: string;
  /** Keys trusted from now on, valid only because a currently trusted key signed this. */
  nextKeys?: { id: string; jwk: JwkP256 }[];
  itemCount: number;
  /** Sum of the sizes of every file in the bundle, manifest excluded. */
  totalBytes: number;
  /** Index shards; each lists item files ({@link IndexShard}). */
  indexes: FileRef[];
  /**
   * Large bundles only: index lists ({@link IndexList}) that list the index
   * shards (or further lists), so a 1% change does not re-download a manifest
   * naming thousands of shards. The shards reachable through them come in
   * addition to `indexes`. Absent for small bundles (the demo), where
   * `indexes` names every shard. See {@link collectIndexRefs}.
   */
  indexLists?: FileRef[];
  /** Other files, each with its role. */
  files: (FileRef & { role: FileRole; name?: string })[];
}

/** One index shard: the item files of one bucket of item ids. */
export interface IndexShard {
  bucket: number;
  items: (FileRef & { id: string })[];
}

/**
 * One index list, as parsed: refs of index shards (`indexes`) or of further
 * index lists (`lists`), so the shards of a large bundle hang off a small tree.
 */
export interface IndexList {
  indexes: FileRef[];
  lists: FileRef[];
}

/**
 * An index list as stored: each ref written compactly as `"<sha256>:<size>"`
 * (the path is `objectPath(sha256)`), which keeps a 1% change of a large
 * bundle under 2% of its bytes.
 */
export interface IndexListFile {
  indexes: string[];
  lists: string[];
}

/** The compact form of a JSON object ref, for {@link IndexListFile}. */
export function compactRef(ref: FileRef): string {
  return `${ref.sha256}:${ref.size}`;
}

/** Contents of one item file. */
export interface ItemFile<TItem = unknown, TDerived = unknown> {
  item: TItem;
  /** Derived data computed at build time (pinyin, search terms), per item. */
  derived?: TDerived;
}

/** The small signed alerts file (`alerts.json` + `alerts.sig`) published beside a bundle. */
export interface AlertsFile<TAlert = unknown> {
  format: typeof BUNDLE_FORMAT;
  bundleId: string;
  /** Strictly increasing, so an old alerts file cannot be replayed to cancel a live alert. */
  sequence: number;
  issuedAt: string;
  keyId: string;
  alerts: TAlert[];
}

/** A problem with a bundle, naming the file and the reason. */
export class BundleError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'BundleError';
  }
}

const HEX64 = /^[0-9a-f]{64}$/;

/** The canonical path of a content-addressed object. */
export function objectPath(sha256: string, ext = 'json'): string {
  return `objects/${sha256.slice(0, 2)}/${sha256}.${ext}`;
}

/**
 * True when a listed path is a plain relative path inside the bundle: no `..`,
 * no absolute path, no backslash, no URL scheme, no empty segment.
 */
export function isSafePath(path: string): boolean {
  if (path.length === 0 || path.length > 200) return false;
  if (path.startsWith('/') || path.includes('\\') || path.includes(':') || path.includes('%')) {
    return false;
  }
  return path.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}

/** Number of index buckets for `itemCount` items: a power of two, ~8 items each. */
export function bucketCount(itemCount: number): number {
  let n = 1;
  while (n * 8 < itemCount) n *= 2;
  return n;
}

/** The bucket of an item id (FNV-1a over UTF-16 code units). Stable across builds. */
export function bucketOf(id: string, buckets: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % buckets;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkRef(file: string, where: string, v: unknown, maxFileBytes: number): FileRef {
  if (!isRecord(v)) throw new BundleError(file, `${where} is not an object`);
  const { path, sha256, size } = v;
  if (typeof sha256 !== 'string' || !HEX64.test(sha256)) {
    throw new BundleError(file, `${where}.sha256 is not a lower-case hex SHA-256`);
  }
  if (typeof path !== 'string' || !isSafePath(path)) {
    throw new BundleError(
      file,
      `${where}.path ${JSON.stringify(path)} is not a safe relative path`,
    );
  }
  if (!path.startsWith(`objects/${sha256.slice(0, 2)}/${sha256}.`)) {
    throw new BundleError(file, `${where}.path ${path} does not match its sha256`);
  }
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) {
    throw new BundleError(file, `${where}.size is not a non-negative integer`);
  }
  if (size > maxFileBytes) {
    throw new BundleError(file, `${where} is ${size} bytes, over the limit of ${maxFileBytes}`);
  }
  return { path, sha256, size };
}

/** Limits a kiosk (or `bundle verify`) applies to a manifest. */
export interface ManifestLimits {
  maxFileBytes: number;
  maxBundleBytes: number;
}

/**
 * Parses and structurally checks manifest bytes that were already verified.
 * Throws {@link BundleError} naming `manifest.json` and the field.
 */
export function parseManifest(
  bytes: Uint8Array,
  limits: ManifestLimits = { maxFileBytes: 50_000_000, maxBundleBytes: 2_000_000_000 },
): Manifest {
  const file = 'manifest.json';
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new BundleError(file, `not valid UTF-8 JSON (${e instanceof Error ? e.message : e})`);
  }
  if (!isRecord(raw)) throw new BundleError(file, 'not a JSON object');
  if (raw.format !== BUNDLE_FORMAT)
    throw new BundleError(file, `unknown format ${JSON.stringify(raw.format) ?? 'none'}`);
  for (const k of ['bundleId', 'generatedAt', 'expiresAt', 'keyId'] as const) {
    if (typeof raw[k] !== 'string' || raw[k] === '') throw new BundleError(file, `${k} is missing`);
  }
  for (const k of ['generatedAt', 'expiresAt'] as const) {
    if (Number.isNaN(Date.parse(raw[k] as string)))
      throw new BundleError(file, `${k} is not a date`);
  }
  if (typeof raw.version !== 'number' || !Number.isSafeInteger(raw.version) || raw.version < 1) {
    throw new BundleError(file, 'version is not a positive integer');
  }
  if (!Array.isArray(raw.indexes)) throw new BundleError(file, 'indexes is not a list');
  if (!Array.isArray(raw.files)) throw new BundleError(file, 'files is not a list');
  const indexes = raw.indexes.map((r, i) =>
    checkRef(file, `indexes[${i}]`, r, limits.maxFileBytes),
  );
  const files = raw.files.map((r, i) => {
    const ref = checkRef(file, `files[${i}]`, r, limits.maxFileBytes);
    const role = (r as Record<string, unknown>).role;
    if (!FILE_ROLES.includes(role as FileRole)) {
      throw new BundleError(file, `files[${i}].role ${JSON.stringify(role)} is unknown`);
    }
    const name = (r as Record<string, unknown>).name;
    return { ...ref, role: role as FileRole, ...(typeof name === 'string' ? { name } : {}) };
  });
  if (!Number.isSafeInteger(raw.totalBytes) || (raw.totalBytes as number) < 0) {
    throw new BundleError(file, 'totalBytes is not a non-negative integer');
  }
  if ((raw.totalBytes as number) > limits.maxBundleBytes) {
    throw new BundleError(
      file,
      `totalBytes ${raw.totalBytes as number} is over the limit of ${limits.maxBundleBytes}`,
    );
  }
  if (
    typeof raw.itemCount !== 'number' ||
    !Number.isSafeInteger(raw.itemCount) ||
    raw.itemCount < 0
  ) {
    throw new BundleError(file, 'itemCount is not a non-negative integer');
  }
  let indexLists: FileRef[] | undefined;
  if (raw.indexLists !== undefined) {
    if (!Array.isArray(raw.indexLists)) throw new BundleError(file, 'indexLists is not a list');
    indexLists = raw.indexLists.map((r, i) =>
      checkRef(file, `indexLists[${i}]`, r, limits.maxFileBytes),
    );
  }
  let nextKeys: Manifest['nextKeys'];
  if (raw.nextKeys !== undefined) {
    if (!Array.isArray(raw.nextKeys)) throw new BundleError(file, 'nextKeys is not a list');
    nextKeys = raw.nextKeys.map((k, i) => {
      if (!isRecord(k) || typeof k.id !== 'string' || !isRecord(k.jwk)) {
        throw new BundleError(file, `nextKeys[${i}] is not {id, jwk}`);
      }
      const { kty, crv, x, y } = k.jwk;
      if (kty !== 'EC' || crv !== 'P-256' || typeof x !== 'string' || typeof y !== 'string') {
        throw new BundleError(file, `nextKeys[${i}].jwk is not a P-256 public key`);
      }
      return { id: k.id, jwk: { kty, crv, x, y } };
    });
  }
  return {
    format: BUNDLE_FORMAT,
    bundleId: raw.bundleId as string,
    version: raw.version,
    generatedAt: raw.generatedAt as string,
    expiresAt: raw.expiresAt as string,
    keyId: raw.keyId as string,
    ...(nextKeys ? { nextKeys } : {}),
    itemCount: raw.itemCount,
    totalBytes: raw.totalBytes as number,
    indexes,
    ...(indexLists ? { indexLists } : {}),
    files,
  };
}

/** Parses an index shard, checking every listed item file like the manifest's. */
export function parseIndexShard(
  path: string,
  bytes: Uint8Array,
  maxFileBytes = 50_000_000,
): IndexShard {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new BundleError(path, 'not valid UTF-8 JSON');
  }
  if (!isRecord(raw) || typeof raw.bucket !== 'number' || !Array.isArray(raw.items)) {
    throw new BundleError(path, 'not an index shard {bucket, items}');
  }
  const items = raw.items.map((r, i) => {
    const ref = checkRef(path, `items[${i}]`, r, maxFileBytes);
    const id = (r as Record<string, unknown>).id;
    if (typeof id !== 'string' || id === '')
      throw new BundleError(path, `items[${i}].id is missing`);
    return { ...ref, id };
  });
  return { bucket: raw.bucket, items };
}

/** Parses an index list, checking every ref like the manifest's. */
export function parseIndexList(
  path: string,
  bytes: Uint8Array,
  maxFileBytes = 50_000_000,
): IndexList {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new BundleError(path, 'not valid UTF-8 JSON');
  }
  if (!isRecord(raw) || !Array.isArray(raw.indexes) || !Array.isArray(raw.lists)) {
    throw new BundleError(path, 'not an index list {indexes, lists}');
  }
  const expand = (where: string, r: unknown): FileRef => {
    const m = typeof r === 'string' ? /^([0-9a-f]{64}):(\d{1,12})$/.exec(r) : null;
    if (!m) throw new BundleError(path, `${where} is not "<sha256>:<size>"`);
    return checkRef(
      path,
      where,
      { path: objectPath(m[1]), sha256: m[1], size: Number(m[2]) },
      maxFileBytes,
    );
  };
  return {
    indexes: raw.indexes.map((r, i) => expand(`indexes[${i}]`, r)),
    lists: raw.lists.map((r, i) => expand(`lists[${i}]`, r)),
  };
}

/**
 * Checks that `bytes` are the file `ref` names: size first (cheap), then
 * SHA-256. Throws {@link BundleError} naming the file.
 */
export async function checkFileBytes(ref: FileRef, bytes: Uint8Array): Promise<void> {
  if (bytes.length !== ref.size) {
    throw new BundleError(ref.path, `size ${bytes.length} bytes, the listing says ${ref.size}`);
  }
  const sha = await sha256Hex(bytes);
  if (sha !== ref.sha256) throw new BundleError(ref.path, 'sha256 does not match the listing');
}

/**
 * Every index shard of a bundle: `manifest.indexes` plus the shards reached
 * through `manifest.indexLists`. `read` fetches a file's bytes (from the
 * network, a store or a packed file); each list is size- and hash-checked
 * before it is parsed. Returns the shard refs and the list refs walked.
 */
export async function collectIndexRefs(
  manifest: Manifest,
  read: (ref: FileRef) => Promise<Uint8Array>,
  maxFileBytes = 50_000_000,
): Promise<{ indexes: FileRef[]; lists: FileRef[] }> {
  const indexes = [...manifest.indexes];
  const lists: FileRef[] = [];
  let level = [...(manifest.indexLists ?? [])];
  const seen = new Set<string>();
  // Level by level, each level's lists read in parallel: a deep tree costs one
  // round trip per level, not one per list. The result is in the same
  // breadth-first order as reading one list at a time.
  while (level.length > 0) {
    for (const ref of level) {
      // A list naming itself (or a cycle) would otherwise loop forever.
      if (seen.has(ref.sha256)) throw new BundleError(ref.path, 'index list is listed twice');
      seen.add(ref.sha256);
    }
    const parsed: IndexList[] = new Array<IndexList>(level.length);
    let next = 0;
    let failed = false;
    const current = level;
    // At most 16 reads in flight: a download's timeout starts when it is asked for.
    const worker = async (): Promise<void> => {
      while (!failed && next < current.length) {
        const i = next++;
        try {
          const bytes = await read(current[i]);
          await checkFileBytes(current[i], bytes);
          parsed[i] = parseIndexList(current[i].path, bytes, maxFileBytes);
        } catch (err) {
          failed = true;
          throw err;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(16, current.length) }, worker));
    const below: FileRef[] = [];
    parsed.forEach((list, i) => {
      lists.push(current[i]);
      indexes.push(...list.indexes);
      below.push(...list.lists);
    });
    level = below;
  }
  return { indexes, lists };
}
