import {
  BundleError,
  collectIndexRefs,
  isSafePath,
  parseIndexShard,
  parseManifest,
  sha256Hex,
  verifySignature,
  type FileRef,
  type IndexShard,
  type ItemFile,
  type JwkP256,
  type Manifest,
} from '../content/bundle.ts';
import { PACK_FILE, unpackBundle } from '../content/pack.ts';
import type { CommitExtras, NewObject, NewVersion, Store } from '../data/db.ts';
import { SyncError, toSyncError } from './errors.ts';
import type { FetchedBytes } from './http.ts';
import { raiseFloor, trustedNow, type TimeFloor } from './time.ts';

/** Where bundle files come from: an HTTP server, or files chosen in the admin panel. */
export interface BundleSource {
  /** Reads one file of the bundle, bounded by `maxBytes` and the declared size. */
  read(path: string, limits: { maxBytes: number; expectedSize?: number }): Promise<FetchedBytes>;
  /** Every path the source holds, when it can list them (a sideload): unlisted ones are refused. */
  list?(): string[];
  /**
   * The bundle's packed copy ({@link PACK_FILE} beside the manifest), for
   * sources that publish one: one request instead of one per file. Resolves
   * null when there is none (HTTP 404). Nothing in it is trusted: each entry
   * used is checked against the signed listing like a download.
   */
  readPack?(limits: { maxBytes: number; expectedBytes: number }): Promise<FetchedBytes | null>;
}

/** A trusted key: from the kiosk configuration, or learned from `nextKeys`. */
export interface TrustedKeyRef {
  id: string;
  jwk: JwkP256;
  demo?: boolean;
}

/** Steps of an ingest, reported as they start (the kill test logs them). */
export const INGEST_PHASES = [
  'manifest',
  'verify',
  'pack',
  'shards',
  'items',
  'stage',
  'commit',
  'switched',
  'gc',
] as const;
export type IngestPhase = (typeof INGEST_PHASES)[number];

export interface IngestOptions {
  store: Store;
  /** Keys from the kiosk configuration; keys learned from `nextKeys` are added from storage. */
  trustedKeys: readonly TrustedKeyRef[];
  bundleId?: string;
  limits: { maxFileBytes: number; maxBundleBytes: number };
  /** Device clock, injectable for tests. */
  now?: () => number;
  /** Parallel downloads. */
  concurrency?: number;
  onPhase?: (phase: IngestPhase) => void;
  onProgress?: (done: number, total: number) => void;
  /** Storage estimate, injectable for tests. */
  estimate?: () => Promise<{ usage?: number; quota?: number }>;
  /**
   * Re-committing the kiosk's own verified copy after the database lost it
   * (src/sync/restore.ts): every check runs, but a bundle past its expiresAt
   * is taken back, as it was showing, with the stale-content banner.
   */
  restoring?: boolean;
  /** Replaces the one-transaction commit. Only the kill test's control uses it. */
  commit?: (record: NewVersion, objects: NewObject[], extras: CommitExtras) => Promise<void>;
}

/** Timings of one ingest, in milliseconds from its start. */
export interface IngestTimings {
  manifest: number;
  verified: number;
  downloaded: number;
  committed: number;
  total: number;
}

export interface IngestResult {
  outcome: 'switched' | 'not-modified';
  version: number | null;
  manifestEtag: string | null;
  httpDate: number | null;
  bytesDownloaded: number;
  filesDownloaded: number;
  filesReused: number;
  timings: IngestTimings;
}

/** The manifest's own size limit: a manifest lists shards, not items, so it stays small. */
const MAX_MANIFEST_BYTES = 4_000_000;
const MAX_SIG_BYTES = 512;
/** Bundles larger than this are never fetched as one pack (it is held in memory). */
export const PACK_MAX_BYTES = 256_000_000;
/** Room for the pack's own header and the manifest inside it, on top of the bundle's bytes. */
const PACK_OVERHEAD_BYTES = 16_000_000;
/**
 * The pack is fetched when the missing files are more than this share of the
 * bundle's bytes; smaller updates download only the files that changed.
 */
export const PACK_SHARE = 0.25;
/** Parallel reads of entries already in memory (a pack or a sideload): bound by hashing, not I/O. */
const LOCAL_CONCURRENCY = 64;

/**
 * Verifies a bundle from `source` and, when it is acceptable, writes it and
 * switches to it in one transaction. Every check runs before the transaction;
 * any failure throws a {@link SyncError} and leaves the active version as it was.
 */
export async function ingestBundle(
  source: BundleSource,
  options: IngestOptions,
): Promise<IngestResult> {
  const clock = options.now ?? Date.now;
  const t0 = performance.now();
  const since = () => performance.now() - t0;
  const phase = (p: IngestPhase) => options.onPhase?.(p);
  const { store, limits } = options;
  let bytesDownloaded = 0;
  let filesDownloaded = 0;

  phase('manifest');
  const manifestFile = await source.read('manifest.json', { maxBytes: MAX_MANIFEST_BYTES });
  const timings: IngestTimings = {
    manifest: since(),
    verified: 0,
    downloaded: 0,
    committed: 0,
    total: 0,
  };
  if (manifestFile.notModified) {
    return {
      outcome: 'not-modified',
      version: null,
      manifestEtag: manifestFile.etag,
      httpDate: manifestFile.date,
      bytesDownloaded: 0,
      filesDownloaded: 0,
      filesReused: 0,
      timings: { ...timings, total: since() },
    };
  }
  const sigFile = await source.read('manifest.sig', { maxBytes: MAX_SIG_BYTES });
  bytesDownloaded += manifestFile.bytes.length + sigFile.bytes.length;

  phase('verify');
  const [learned, floor, active, highest] = await Promise.all([
    store.getMeta('learnedKeys'),
    store.getMeta('timeFloor'),
    store.activeVersion(),
    store.getMeta('highestVersion'),
  ]);
  const keys: TrustedKeyRef[] = [...options.trustedKeys, ...(learned ?? [])];
  const sigText = new TextDecoder().decode(sigFile.bytes);
  // The signature is checked on the exact bytes received, before any parsing.
  const keyId = await verifySignature(manifestFile.bytes, sigText, keys);
  if (!keyId) {
    throw new SyncError(
      'signature',
      '内容包签名无效：清单被篡改，或不是由受信任的密钥签署',
      'manifest.json',
    );
  }
  let manifest: Manifest;
  try {
    manifest = parseManifest(manifestFile.bytes, limits);
  } catch (err) {
    throw bundleProblem(err);
  }
  const now = trustedNow(clock(), raiseFloor(floor, { httpDate: manifestFile.date }));
  // The server still publishes the version on screen (the usual answer after a
  // restart, when the ETag of the last check is gone): up to date, not a
  // rollback. A different bundle with the same number still fails checkManifest.
  if (
    active &&
    manifest.version === active.version &&
    manifest.bundleId === active.bundleId &&
    (!options.bundleId || manifest.bundleId === options.bundleId)
  ) {
    return {
      outcome: 'not-modified',
      version: null,
      manifestEtag: manifestFile.etag,
      httpDate: manifestFile.date,
      bytesDownloaded,
      filesDownloaded: 0,
      filesReused: 0,
      timings: { ...timings, verified: since(), total: since() },
    };
  }
  checkManifest(
    manifest,
    options.bundleId,
    Math.max(active?.version ?? 0, highest ?? 0),
    options.restoring ? -Infinity : now,
  );
  timings.verified = since();

  const listed = new Map<string, FileRef>();
  for (const ref of [...manifest.indexes, ...manifest.files]) listed.set(ref.path, ref);
  const stored = await store.objectIndex();
  const newObjects: NewObject[] = [];
  // Without a pack directory the store keeps bytes inline, as a copy of their own.
  const inline = !store.packs;

  // The pack: files of the bundle by path, when most of it is missing.
  let pack: Map<string, Uint8Array> | null = null;
  let packTried = false;
  const loadPack = async (): Promise<void> => {
    packTried = true;
    if (!source.readPack || manifest.totalBytes > PACK_MAX_BYTES) return;
    phase('pack');
    const got = await source.readPack({
      maxBytes: Math.min(limits.maxBundleBytes, PACK_MAX_BYTES) + PACK_OVERHEAD_BYTES,
      expectedBytes: manifest.totalBytes,
    });
    // No pack published: every file is downloaded on its own.
    if (!got) return;
    bytesDownloaded += got.bytes.length;
    try {
      pack = unpackBundle(got.bytes, PACK_FILE);
    } catch (err) {
      throw packProblem(err);
    }
  };
  // A first sync (or one after a wipe): the store holds little of the bundle,
  // so the tree and the items come from the pack too.
  if (stored.size < manifest.itemCount / 2) await loadPack();
  const concurrency = () => (pack ? LOCAL_CONCURRENCY : (options.concurrency ?? 8));

  const download = async (ref: FileRef): Promise<Uint8Array> => {
    if (!isSafePath(ref.path)) {
      throw new SyncError('unsafe-path', `内容包含有不安全的路径：${ref.path}`, ref.path);
    }
    const local = pack?.get(ref.path);
    const bytes =
      local ??
      (
        await source.read(ref.path, {
          maxBytes: limits.maxFileBytes,
          expectedSize: ref.size,
        })
      ).bytes;
    const where = local ? `（打包文件 ${PACK_FILE} 中）` : '';
    if (bytes.length !== ref.size) {
      throw new SyncError(
        bytes.length > ref.size ? 'oversized' : 'truncated',
        `文件 ${ref.path}${where}大小不符（${bytes.length}，清单为 ${ref.size} 字节）`,
        ref.path,
      );
    }
    if ((await sha256Hex(bytes)) !== ref.sha256) {
      throw new SyncError(
        'hash',
        `文件校验失败（内容被篡改或损坏）：${ref.path}${where}`,
        local ? PACK_FILE : ref.path,
      );
    }
    // Entries of the pack were counted with the pack.
    if (!local) bytesDownloaded += bytes.length;
    filesDownloaded++;
    return bytes;
  };

  phase('shards');

  // Large bundles hang their shards off a tree of index lists; unchanged lists are read from storage.
  let tree: { indexes: FileRef[]; lists: FileRef[] };
  try {
    tree = await collectIndexRefs(
      manifest,
      async (ref) => {
        const row = stored.has(ref.sha256)
          ? (await stored.get([ref.sha256])).get(ref.sha256)
          : undefined;
        if (row?.bytes) return new Uint8Array(row.bytes);
        const bytes = await download(ref);
        newObjects.push({
          sha256: ref.sha256,
          size: ref.size,
          kind: 'list',
          raw: bytes,
          ...(inline ? { bytes: bytes.slice().buffer } : {}),
        });
        return bytes;
      },
      limits.maxFileBytes,
    );
  } catch (err) {
    throw err instanceof SyncError ? err : bundleProblem(err);
  }
  for (const ref of [...tree.indexes, ...tree.lists]) listed.set(ref.path, ref);
  const storedShards = await stored.get(
    tree.indexes.filter((r) => stored.has(r.sha256)).map((r) => r.sha256),
  );
  const shards: IndexShard[] = [];
  const missingShards = tree.indexes.filter((r) => !storedShards.has(r.sha256));
  for (const ref of tree.indexes) {
    const row = storedShards.get(ref.sha256);
    if (row) shards.push(row.json as IndexShard);
  }
  await pool(missingShards, concurrency(), async (ref) => {
    const bytes = await download(ref);
    let shard: IndexShard;
    try {
      shard = parseIndexShard(ref.path, bytes, limits.maxFileBytes);
    } catch (err) {
      throw bundleProblem(err);
    }
    shards.push(shard);
    newObjects.push({ sha256: ref.sha256, size: ref.size, kind: 'shard', json: shard, raw: bytes });
  });

  const itemRefs: (FileRef & { id: string })[] = [];
  const ids = new Set<string>();
  for (const shard of shards) {
    for (const ref of shard.items) {
      if (ids.has(ref.id)) {
        throw new SyncError('manifest', `内容包中条目 ${ref.id} 重复出现`, 'manifest.json');
      }
      ids.add(ref.id);
      itemRefs.push(ref);
      listed.set(ref.path, ref);
    }
  }
  if (itemRefs.length !== manifest.itemCount) {
    throw new SyncError(
      'manifest',
      `内容清单声明 ${manifest.itemCount} 个条目，索引中实际为 ${itemRefs.length} 个`,
      'manifest.json',
    );
  }
  if (source.list) {
    const allowed = new Set([
      'manifest.json',
      'manifest.sig',
      'alerts.json',
      'alerts.sig',
      PACK_FILE,
    ]);
    const extra = source.list().filter((p) => !allowed.has(p) && !listed.has(p));
    if (extra.length) {
      throw new SyncError(
        'unlisted',
        `内容包含有清单未列出的文件：${extra.slice(0, 3).join('、')}`,
        extra[0],
      );
    }
  }

  phase('items');
  const missingItems = itemRefs.filter((r) => !stored.has(r.sha256));
  const missingFiles = manifest.files.filter((r) => !stored.has(r.sha256));
  const needed = [...missingItems, ...missingFiles].reduce((n, r) => n + r.size, 0);
  await checkQuota(needed, options.estimate);
  // A large change (most items edited): one pack beats thousands of requests.
  if (!packTried && needed > manifest.totalBytes * PACK_SHARE) await loadPack();
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const total = missingItems.length + missingFiles.length;
  let done = 0;
  const seen = new Set<string>();
  await pool(missingItems, concurrency(), async (ref) => {
    const bytes = await download(ref);
    let parsed: unknown;
    try {
      parsed = JSON.parse(utf8.decode(bytes));
    } catch {
      throw new SyncError('manifest', `条目文件 ${ref.path} 不是有效的 JSON`, ref.path);
    }
    const file = parsed as ItemFile<{ id?: unknown }>;
    if (
      typeof file !== 'object' ||
      file === null ||
      typeof file.item !== 'object' ||
      file.item?.id !== ref.id
    ) {
      throw new SyncError(
        'manifest',
        `条目文件 ${ref.path} 不是条目 ${ref.id} 的 {item}`,
        ref.path,
      );
    }
    if (!seen.has(ref.sha256)) {
      seen.add(ref.sha256);
      newObjects.push({ sha256: ref.sha256, size: ref.size, kind: 'item', json: file, raw: bytes });
    }
    options.onProgress?.(++done, total);
  });
  await pool(missingFiles, pack ? LOCAL_CONCURRENCY : 4, async (ref) => {
    const bytes = await download(ref);
    newObjects.push({
      sha256: ref.sha256,
      size: ref.size,
      kind: 'file',
      raw: bytes,
      ...(inline ? { bytes: bytes.slice().buffer } : {}),
    });
    options.onProgress?.(++done, total);
  });
  timings.downloaded = since();

  const allObjects = new Set<string>([
    ...tree.lists.map((r) => r.sha256),
    ...tree.indexes.map((r) => r.sha256),
    ...itemRefs.map((r) => r.sha256),
    ...manifest.files.map((r) => r.sha256),
  ]);
  const demo = options.trustedKeys.find((k) => k.id === keyId)?.demo ?? false;
  const record: NewVersion = {
    version: manifest.version,
    bundleId: manifest.bundleId,
    generatedAt: manifest.generatedAt,
    expiresAt: manifest.expiresAt,
    keyId,
    demo,
    itemCount: itemRefs.length,
    totalBytes: manifest.totalBytes,
    committedAt: new Date(clock()).toISOString(),
    items: itemRefs.map((r) => [r.id, r.sha256]),
    objects: [...allObjects],
    files: manifest.files.map((f) => ({
      role: f.role,
      sha256: f.sha256,
      ...(f.name ? { name: f.name } : {}),
    })),
  };
  const extras: CommitExtras = {
    timeFloor: raiseFloor(floor, {
      generatedAt: Date.parse(manifest.generatedAt),
      httpDate: manifestFile.date,
    }),
  };
  if (manifest.nextKeys?.length) {
    const merged = new Map((learned ?? []).map((k) => [k.id, k]));
    for (const k of manifest.nextKeys) {
      merged.set(k.id, { id: k.id, jwk: k.jwk, fromVersion: manifest.version });
    }
    extras.learnedKeys = [...merged.values()];
  }
  extras.copy = {
    manifest: manifestFile.bytes,
    signature: sigFile.bytes,
    paths: [...listed].map(([path, ref]) => [path, ref.sha256]),
    learnedKeys: extras.learnedKeys ?? learned ?? [],
  };

  try {
    if (options.commit) {
      phase('commit');
      await options.commit(record, newObjects, extras);
    } else {
      phase('stage');
      const staged = await store.stage(record, newObjects, extras);
      phase('commit');
      await store.commitStaged(record, staged, extras);
    }
  } catch (err) {
    if (err instanceof DOMException && err.name === 'QuotaExceededError') {
      throw new SyncError('quota', '存储空间不足，新版本未能保存（继续显示当前版本）');
    }
    const name = err instanceof Error ? err.name : 'Error';
    const message = err instanceof Error ? err.message : String(err);
    throw new SyncError('storage', `本地数据库写入失败（${name}：${message}）`);
  }
  timings.committed = since();
  phase('switched');

  phase('gc');
  await store.collectGarbage().catch((err: unknown) => {
    // Orphans only cost space; the next switch collects them.
    console.warn('[gongkai] garbage collection failed', err);
  });
  timings.total = since();
  return {
    outcome: 'switched',
    version: manifest.version,
    manifestEtag: manifestFile.etag,
    httpDate: manifestFile.date,
    bytesDownloaded,
    filesDownloaded,
    filesReused: allObjects.size - filesDownloaded,
    timings,
  };
}

/** The policy checks on a verified, parsed manifest. */
export function checkManifest(
  manifest: Manifest,
  bundleId: string | undefined,
  currentVersion: number,
  now: number,
): void {
  if (bundleId && manifest.bundleId !== bundleId) {
    throw new SyncError(
      'bundle-id',
      `内容包标识不符：收到 ${manifest.bundleId}，本机应为 ${bundleId}`,
      'manifest.json',
    );
  }
  if (manifest.version <= currentVersion) {
    throw new SyncError(
      'rollback',
      `拒绝旧版本：内容包版本 ${manifest.version} 不高于本机已有的版本 ${currentVersion}（防止回滚或重放）`,
      'manifest.json',
    );
  }
  // `now` is -Infinity when the kiosk restores its own copy.
  if (Date.parse(manifest.expiresAt) <= now) {
    throw new SyncError(
      'expired',
      `内容包已过期（有效期至 ${manifest.expiresAt}），未予采用`,
      'manifest.json',
    );
  }
}

function bundleProblem(err: unknown): SyncError {
  if (err instanceof BundleError) {
    if (/sha256 does not match|size \d+ bytes/.test(err.reason)) {
      return new SyncError('hash', `文件校验失败（内容被篡改或损坏）：${err.file}`, err.file);
    }
    const code = /not a safe relative path/.test(err.reason)
      ? 'unsafe-path'
      : /over the limit/.test(err.reason)
        ? 'oversized'
        : 'manifest';
    return new SyncError(code, `内容包格式错误：${err.file}：${err.reason}`, err.file);
  }
  // Not a problem of the bundle (the crypto is missing, a bug): its own cause.
  return toSyncError(err);
}

/** A pack that cannot be unpacked: cut short, or not a pack at all. */
function packProblem(err: unknown): SyncError {
  const reason = err instanceof BundleError ? err.reason : String(err);
  const cut = /runs past the end/.test(reason);
  return new SyncError(
    cut ? 'truncated' : 'manifest',
    cut
      ? `打包文件 ${PACK_FILE} 不完整（${reason}），未予采用`
      : `打包文件 ${PACK_FILE} 已损坏（${reason}），未予采用`,
    PACK_FILE,
  );
}

async function checkQuota(needed: number, estimate: IngestOptions['estimate']): Promise<void> {
  if (needed === 0) return;
  const get = estimate ?? (() => navigator.storage?.estimate?.() ?? Promise.resolve({}));
  let est: { usage?: number; quota?: number };
  try {
    est = await get();
  } catch {
    return;
  }
  if (est.quota === undefined) return;
  const free = est.quota - (est.usage ?? 0);
  // Structured clones take more room than the JSON bytes; leave a margin. The
  // estimate can be optimistic, so a QuotaExceededError at commit is still handled.
  if (free < needed * 1.5) {
    throw new SyncError(
      'quota',
      `存储空间不足：需要约 ${Math.ceil(needed / 1e6)} MB，可用约 ${Math.floor(free / 1e6)} MB（继续显示当前版本）`,
    );
  }
}

/** Runs `work` over `items` with at most `limit` in flight; the first failure stops the rest. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++];
      try {
        await work(item);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export type { TimeFloor };
