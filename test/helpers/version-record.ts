// Version records for storage tests, in Node and in the browser (no Node imports).
import type { NewVersion, StoredObject, VersionRecord } from '../../src/data/db.ts';

/** A version listing `entries` (item id and its object) as its items and objects. */
export function newVersion(
  version: number,
  entries: readonly { id: string; o: StoredObject }[],
): NewVersion {
  return {
    ...versionFields(version),
    itemCount: entries.length,
    totalBytes: entries.reduce((s, x) => s + x.o.size, 0),
    items: entries.map((x) => [x.id, x.o.sha256]),
    objects: entries.map((x) => x.o.sha256),
  };
}

/** A committed record with nothing listed: for code that reads only its key fields. */
export function emptyRecord(version: number): VersionRecord {
  return { ...versionFields(version), itemCount: 1, totalBytes: 1, items: [], chunks: [] };
}

function versionFields(version: number) {
  return {
    version,
    bundleId: 'test',
    generatedAt: '2026-11-24T00:00:00Z',
    expiresAt: null,
    keyId: 'k',
    demo: false,
    committedAt: '2026-11-24T00:00:00Z',
    files: [],
  };
}
