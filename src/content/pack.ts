/**
 * One-file form of a bundle for USB sideloading (`.gkb`). Pure Uint8Array
 * code, so the kiosk unpacks a sideloaded file exactly as the CLI packs it;
 * verification is then the same as for a directory.
 *
 * Layout: the 8 magic bytes `GKBPACK1`, a 4-byte big-endian length, a UTF-8
 * JSON header `{files: [{path, size}]}`, then every file's bytes in header
 * order. Nothing is trusted from the header but paths and sizes, and those
 * are checked (safe paths, no duplicates, sizes adding up exactly).
 */
import { BundleError, isSafePath } from './bundle.ts';

const MAGIC = new TextEncoder().encode('GKBPACK1');

/**
 * Name of the packed copy that `gongkai bundle build` publishes beside
 * `manifest.json`. A kiosk syncing most of a bundle fetches it in one request
 * instead of one request per file; it is not signed, because every entry it
 * takes from it is checked against the signed listing (size and SHA-256).
 */
export const PACK_FILE = 'bundle.gkb';

/** Packs files (path → bytes) into one `.gkb` byte array, paths sorted. */
export function packBundle(files: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const paths = [...files.keys()].sort();
  for (const p of paths) {
    if (!isSafePath(p)) throw new BundleError(p, 'not a safe relative path');
  }
  const header = new TextEncoder().encode(
    JSON.stringify({ files: paths.map((path) => ({ path, size: files.get(path)?.length ?? 0 })) }),
  );
  let total = MAGIC.length + 4 + header.length;
  for (const p of paths) total += files.get(p)?.length ?? 0;
  const out = new Uint8Array(total);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(MAGIC.length, header.length);
  out.set(header, MAGIC.length + 4);
  let at = MAGIC.length + 4 + header.length;
  for (const p of paths) {
    const b = files.get(p) ?? new Uint8Array();
    out.set(b, at);
    at += b.length;
  }
  return out;
}

/**
 * Unpacks a `.gkb` file into path → bytes (views into `packed`). Throws
 * {@link BundleError} naming `name` when the container itself is malformed.
 */
export function unpackBundle(packed: Uint8Array, name = 'bundle.gkb'): Map<string, Uint8Array> {
  const fail = (reason: string): never => {
    throw new BundleError(name, reason);
  };
  if (packed.length < MAGIC.length + 4 || MAGIC.some((b, i) => packed[i] !== b)) {
    fail('not a Gongkai bundle pack (bad magic bytes)');
  }
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  const headerLen = view.getUint32(MAGIC.length);
  const start = MAGIC.length + 4;
  if (start + headerLen > packed.length) fail('header length runs past the end of the file');
  let header: unknown;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(packed.subarray(start, start + headerLen)),
    );
  } catch {
    fail('header is not UTF-8 JSON');
  }
  // `null` and other non-objects are valid JSON too.
  const list =
    typeof header === 'object' && header !== null ? (header as { files?: unknown }).files : null;
  if (!Array.isArray(list)) return fail('header has no file list');
  const files = new Map<string, Uint8Array>();
  let at = start + headerLen;
  for (const [i, entry] of list.entries()) {
    const { path, size } = (entry ?? {}) as { path?: unknown; size?: unknown };
    if (typeof path !== 'string' || !isSafePath(path)) fail(`files[${i}].path is not a safe path`);
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
      fail(`files[${i}].size is not a size`);
    }
    if (files.has(path as string)) fail(`${String(path)} is listed twice`);
    if (at + (size as number) > packed.length)
      fail(`${String(path)} runs past the end of the file`);
    files.set(path as string, packed.subarray(at, at + (size as number)));
    at += size as number;
  }
  if (at !== packed.length) fail(`${packed.length - at} bytes after the last file`);
  return files;
}
