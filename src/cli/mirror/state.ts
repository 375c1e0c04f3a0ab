/**
 * What a mirror remembers between runs, beside the content it wrote:
 * `<content-dir>/_mirror/state.json` (what was seen: per item its list
 * fingerprint, file and attachments; per category its count) and a staging
 * folder of details already fetched by a run that did not finish, so the next
 * run resumes instead of fetching them again. Every file is written atomically
 * (a dot-named temp file, then rename): the content checker skips dot files,
 * so a crash never leaves a half-written item where it reads.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { exists, InvalidError } from '../util.ts';

/** One mirrored item as the state remembers it. */
export interface SeenItem {
  /** The portal's own id. */
  portalId: string;
  /** Hash of the list entry (or the page): a different one means the item changed. */
  fingerprint: string;
  /** Content file, relative to the content folder. */
  file: string;
  url: string;
  title: string;
  /** Category id it was listed under. */
  category?: string;
  /** Attachment files (relative to the content folder) this item references. */
  attachments: string[];
  /** Conditional-request validators of the detail page. */
  etag?: string;
  lastModified?: string;
}

/** `_mirror/state.json`. */
export interface MirrorState {
  format: 1;
  kind: 'gkmlpt' | 'site';
  site: string;
  updatedAt: string;
  categories: Record<string, { name: string; count: number }>;
  items: Record<string, SeenItem>;
}

/** The folder of the mirror's own files. */
export const mirrorDir = (dir: string): string => join(dir, '_mirror');
export const stagingDir = (dir: string): string => join(dir, '_mirror', 'staging');
export const heldDir = (dir: string): string => join(dir, '_mirror', 'held');

/** SHA-256 hex of bytes or text. */
export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** JSON with sorted keys, so the same data always hashes the same. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

let tmpSeq = 0;

/**
 * Writes a file atomically: a dot-named temp file beside it, then rename. The
 * folder is made only when the write finds it missing (one mkdir per folder,
 * not per file: it was a tenth of a 10,000-item run).
 */
export async function writeAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${tmpSeq++}`);
  try {
    await writeFile(tmp, data);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    await mkdir(dirname(path), { recursive: true });
    await writeFile(tmp, data);
  }
  await rename(tmp, path);
}

/** Removes a file; a file already gone is fine (a resumed run removes it again). */
export async function removeFile(path: string): Promise<void> {
  await rm(path, { force: true });
}

/** The state of the last good run, or null on a first run. */
export async function loadState(dir: string): Promise<MirrorState | null> {
  const file = join(mirrorDir(dir), 'state.json');
  if (!(await exists(file))) return null;
  try {
    const s = JSON.parse(await readFile(file, 'utf8')) as MirrorState;
    if (s.format !== 1 || typeof s.items !== 'object') throw new Error('unknown format');
    return s;
  } catch (e) {
    throw new InvalidError(
      `${file}: unreadable mirror state (${e instanceof Error ? e.message : String(e)}); move it away to mirror from scratch`,
    );
  }
}

/** Writes the state: the last step of a run, so an interrupted run is redone. */
export async function saveState(dir: string, state: MirrorState): Promise<void> {
  await writeAtomic(join(mirrorDir(dir), 'state.json'), `${JSON.stringify(state, null, 1)}\n`);
}
