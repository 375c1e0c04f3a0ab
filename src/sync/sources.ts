import { BundleError } from '../content/bundle.ts';
import { PACK_FILE, unpackBundle } from '../content/pack.ts';
import { SyncError } from './errors.ts';
import { fetchBytes, type FetchedBytes } from './http.ts';
import type { BundleSource } from './ingest.ts';

/** Options of an HTTP bundle source. */
export interface HttpSourceOptions {
  /** Per-file timeout. */
  timeoutMs: number;
  /** ETag of the last manifest seen, for a conditional request. */
  manifestEtag?: string | null;
  fetchImpl?: typeof fetch;
}

/**
 * Bundle files from any static HTTP host: paths are resolved against the
 * manifest URL, so a bundle can live under any prefix, on a LAN mirror or a CDN.
 */
export function httpSource(manifestUrl: string, options: HttpSourceOptions): BundleSource {
  const base = new URL(manifestUrl);
  return {
    read(path, limits) {
      const url = path === 'manifest.json' ? base.href : new URL(path, base).href;
      return fetchBytes(url, path, {
        ...limits,
        timeoutMs: options.timeoutMs,
        etag: path === 'manifest.json' ? options.manifestEtag : null,
        fetchImpl: options.fetchImpl,
      });
    },
    async readPack(limits) {
      try {
        return await fetchBytes(new URL(PACK_FILE, base).href, PACK_FILE, {
          maxBytes: limits.maxBytes,
          // One request carries the whole bundle: allow it the time of many files
          // (one per-file timeout for every started 4 MB).
          timeoutMs: options.timeoutMs * Math.max(1, Math.ceil(limits.expectedBytes / 4_000_000)),
          fetchImpl: options.fetchImpl,
        });
      } catch (err) {
        // No pack published (an older builder, a mirror that copied only the objects).
        if (err instanceof SyncError && err.code === 'not-found') return null;
        throw err;
      }
    },
  };
}

/** A file chosen in the admin panel: a path relative to the bundle root and its contents. */
export type SideloadFile = { path: string; blob: Blob } | { path: string; bytes: Uint8Array };

/**
 * Bundle files chosen from a folder in the admin panel (`webkitdirectory`).
 * The folder's own name is stripped; listing lets the ingest refuse files the
 * manifest does not list.
 */
export function fileSource(files: readonly SideloadFile[]): BundleSource {
  const byPath = new Map(files.map((f) => [f.path, f]));
  return {
    list: () => [...byPath.keys()],
    async read(path, limits): Promise<FetchedBytes> {
      const file = byPath.get(path);
      if (!file) throw new SyncError('not-found', `所选内容包中缺少 ${path}`, path);
      const size = 'bytes' in file ? file.bytes.length : file.blob.size;
      const limit = Math.min(limits.maxBytes, limits.expectedSize ?? limits.maxBytes);
      if (size > limit) {
        throw new SyncError(
          'oversized',
          `文件 ${path} 超过大小限制（${size} > ${limit} 字节）`,
          path,
        );
      }
      return {
        notModified: false,
        bytes: 'bytes' in file ? file.bytes : new Uint8Array(await file.blob.arrayBuffer()),
        etag: null,
        date: null,
      };
    },
  };
}

/**
 * Paths of files picked with `webkitdirectory`, relative to the bundle root.
 * `webkitRelativePath` starts with the chosen folder's name; if the folder
 * holds the bundle one level down, that level is stripped too.
 */
export function sideloadFiles(files: readonly File[]): SideloadFile[] {
  const rel = files.map((f) => (f.webkitRelativePath || f.name).split('/'));
  const manifest = rel.find((parts) => parts[parts.length - 1] === 'manifest.json');
  const depth = manifest ? manifest.length - 1 : 1;
  return files.map((f, i) => ({ path: rel[i].slice(depth).join('/') || f.name, blob: f }));
}

/**
 * The files of a packed bundle (`.gkb`, `src/content/pack.ts`) chosen in the
 * admin panel; they are then verified exactly like a download.
 */
export function packedFiles(packed: Uint8Array, name: string): SideloadFile[] {
  let files: Map<string, Uint8Array>;
  try {
    files = unpackBundle(packed, name);
  } catch (err) {
    const reason = err instanceof BundleError ? err.reason : String(err);
    throw new SyncError('manifest', `内容包文件 ${name} 无法解包：${reason}`, name);
  }
  return [...files].map(([path, bytes]) => ({ path, bytes }));
}
