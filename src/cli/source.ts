/**
 * Opening a bundle for reading: a directory or a packed `.gkb` file, both
 * seen through the same reader as the kiosk uses.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isSafePath, parseManifest, type Manifest } from '../content/bundle.ts';
import { unpackBundle } from '../content/pack.ts';
import type { BundleReader } from '../content/verify.ts';
import { exists, InvalidError, IoError, isDirectory } from './util.ts';

export interface OpenedBundle {
  read: BundleReader;
  /** Where it came from, for messages. */
  label: string;
}

/** Opens a bundle directory or `.gkb` file. */
export async function openBundle(path: string): Promise<OpenedBundle> {
  if (await isDirectory(path)) {
    return {
      label: path,
      read: async (p) => {
        if (!isSafePath(p)) return null;
        try {
          return new Uint8Array(await readFile(join(path, p)));
        } catch {
          return null;
        }
      },
    };
  }
  if (!(await exists(path))) throw new IoError(`${path}: no such bundle directory or file`);
  const files = unpackBundle(new Uint8Array(await readFile(path)), path);
  return { label: path, read: async (p) => files.get(p) ?? null };
}

/** Reads and structurally parses a bundle's manifest (signature not checked). */
export async function readManifest(
  b: OpenedBundle,
): Promise<{ manifest: Manifest; bytes: Uint8Array }> {
  const bytes = await b.read('manifest.json');
  if (!bytes) throw new InvalidError(`${b.label}: manifest.json is missing`);
  return { manifest: parseManifest(bytes), bytes };
}
