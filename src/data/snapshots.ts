import type { PackDir } from './packs.ts';
import type { LocalCopySnapshot } from './schema.ts';

/**
 * Snapshots of versions in a pack directory (`v<version>.snap`, written by
 * `Store.stage`): read on their own, without the database, so that a kiosk
 * whose database is lost or cannot be opened still has its verified copy.
 */

/** File name of a version's snapshot in the pack directory. */
export function snapshotName(version: number): string {
  return `v${version}.snap`;
}

/** The version of a snapshot file name, or null for other files. */
export function snapshotVersion(name: string): number | null {
  const m = /^v(\d+)\.snap$/.exec(name);
  return m ? Number(m[1]) : null;
}

/** A snapshot file parsed, or null when it is unreadable or not a snapshot. */
export async function readSnapshot(
  packs: PackDir,
  name: string,
): Promise<LocalCopySnapshot | null> {
  try {
    const bytes = await packs.readAll(name);
    const snap = JSON.parse(new TextDecoder().decode(bytes)) as LocalCopySnapshot;
    const ok =
      snap.format === 1 &&
      Number.isInteger(snap.version) &&
      Array.isArray(snap.objects) &&
      Array.isArray(snap.paths) &&
      Array.isArray(snap.packs) &&
      Array.isArray(snap.manifest) &&
      Array.isArray(snap.signature) &&
      Array.isArray(snap.learnedKeys);
    return ok ? snap : null;
  } catch {
    return null;
  }
}

/** Every readable snapshot, newest version first. */
export async function listSnapshots(packs: PackDir): Promise<LocalCopySnapshot[]> {
  const names = (await packs.list()).filter((n) => snapshotVersion(n) !== null);
  const snaps = await Promise.all(names.map((n) => readSnapshot(packs, n)));
  return snaps
    .filter((s): s is LocalCopySnapshot => s !== null)
    .sort((a, b) => b.version - a.version);
}

/**
 * The files of a snapshot's bundle by path, `manifest.json` and
 * `manifest.sig` included, read from the pack files. Nothing is checked
 * here: the caller verifies them like a download.
 */
export async function readSnapshotFiles(
  packs: PackDir,
  snap: LocalCopySnapshot,
): Promise<Map<string, Uint8Array>> {
  const ranges = new Map<string, [number, number][]>();
  const keys = new Map<string, string[]>();
  const want = (pack: string, key: string, at: number, size: number) => {
    if (!ranges.has(pack)) {
      ranges.set(pack, []);
      keys.set(pack, []);
    }
    ranges.get(pack)?.push([at, size]);
    keys.get(pack)?.push(key);
  };
  want(snap.manifest[0], 'manifest.json', snap.manifest[1], snap.manifest[2]);
  want(snap.signature[0], 'manifest.sig', snap.signature[1], snap.signature[2]);
  for (const [sha, p, at, size] of snap.objects) want(snap.packs[p] ?? '', sha, at, size);
  const bytes = new Map<string, Uint8Array>();
  for (const [pack, list] of ranges) {
    const got = await packs.read(pack, list);
    (keys.get(pack) ?? []).forEach((k, i) => bytes.set(k, got[i]));
  }
  const files = new Map<string, Uint8Array>();
  for (const name of ['manifest.json', 'manifest.sig']) {
    const b = bytes.get(name);
    if (b) files.set(name, b);
  }
  for (const [path, sha] of snap.paths) {
    const b = bytes.get(sha);
    if (b) files.set(path, b);
  }
  return files;
}
