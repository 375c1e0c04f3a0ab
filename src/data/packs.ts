/**
 * Pack files: the bytes of a version's new objects, written as ONE file in the
 * origin private file system (OPFS) before the IndexedDB transaction that
 * points at them. Why: Chromium's IndexedDB commit of a 10,000-item version
 * (37.7 MB in ~800 records) took 1.5–1.9 s on this machine, while writing the
 * same bytes as one OPFS file took 0.36–0.6 s; the transaction then only
 * carries where each object lives. And the packs survive when Chromium finds
 * its IndexedDB backing store corrupt and recreates it empty (the kill test's
 * `dataLoss: partial record`): with a snapshot of the version beside them the
 * kiosk restores its content without a network (see docs/sync.md).
 *
 * Pack files are immutable: written under a fresh name, never changed, deleted
 * only by garbage collection once nothing references them.
 */

/** A directory of immutable files, read by byte range. */
export interface PackDir {
  /** Writes a whole file from its parts in order; it appears under `name` only once complete. */
  write(name: string, parts: readonly Uint8Array[]): Promise<void>;
  /** The bytes of each `[offset, length]` range of a file (throws when the file is missing). */
  read(
    name: string,
    ranges: readonly (readonly [offset: number, length: number])[],
  ): Promise<Uint8Array[]>;
  /** A whole file (throws when it is missing). */
  readAll(name: string): Promise<Uint8Array>;
  /** Every file name in the directory. */
  list(): Promise<string[]>;
  /** Deletes a file; a missing file is not an error. */
  remove(name: string): Promise<void>;
}

/** A pack file that should exist does not, or cannot be read. */
export class PackMissingError extends Error {
  constructor(name: string, cause?: unknown) {
    super(`pack file ${name} is missing or unreadable`, { cause });
    this.name = 'PackMissingError';
  }
}

/**
 * Ranges closer than this are read together: a read from an OPFS file costs
 * ~4 ms in Chromium here whatever its size up to about a megabyte, and 40 MB
 * read in one go take ~0.2 s, so reading a gap is cheaper than another read.
 */
const GAP_BYTES = 1024 * 1024;

/**
 * Reads the ranges from a file, merging neighbours into one read: a version's
 * items lie together in its pack, and one read of a span is far cheaper than
 * a read per object (10,000 reads of a 40 MB pack took ~10 s in Chromium,
 * one read of it ~0.2 s).
 */
async function readRanges(
  file: Blob,
  ranges: readonly (readonly [number, number])[],
): Promise<Uint8Array[]> {
  const order = ranges.map((_, i) => i).sort((a, b) => ranges[a][0] - ranges[b][0]);
  const out = new Array<Uint8Array>(ranges.length);
  const reads: Promise<void>[] = [];
  let k = 0;
  while (k < order.length) {
    const first = order[k];
    const lo = ranges[first][0];
    let hi = lo + ranges[first][1];
    let j = k + 1;
    while (j < order.length && ranges[order[j]][0] <= hi + GAP_BYTES) {
      hi = Math.max(hi, ranges[order[j]][0] + ranges[order[j]][1]);
      j++;
    }
    if (hi > file.size) throw new RangeError(`range ends at ${hi}, file has ${file.size} bytes`);
    const members = order.slice(k, j);
    reads.push(
      file
        .slice(lo, hi)
        .arrayBuffer()
        .then((buffer) => {
          const span = new Uint8Array(buffer);
          for (const m of members) {
            const [at, len] = ranges[m];
            out[m] = span.subarray(at - lo, at - lo + len);
          }
        }),
    );
    k = j;
  }
  await Promise.all(reads);
  return out;
}

/**
 * Lays bodies out in a pack file without copying what arrived together: the
 * entries of a received `.gkb` are views into one buffer, so the part of that
 * buffer they cover is written as it is (with the pack's own header and any
 * entries already stored, when those are under half of it); other bodies, and
 * those flagged in `copy`, are appended together. Returns the parts to write
 * and each body's offset.
 */
export function layOut(
  bodies: readonly Uint8Array[],
  copy: readonly boolean[] = [],
): {
  parts: Uint8Array[];
  offsets: number[];
} {
  const spans = new Map<ArrayBufferLike, { lo: number; hi: number; used: number }>();
  for (const [i, b] of bodies.entries()) {
    if (copy[i]) continue;
    const s = spans.get(b.buffer) ?? { lo: Infinity, hi: 0, used: 0 };
    s.lo = Math.min(s.lo, b.byteOffset);
    s.hi = Math.max(s.hi, b.byteOffset + b.length);
    s.used += b.length;
    spans.set(b.buffer, s);
  }
  const parts: Uint8Array[] = [];
  const start = new Map<ArrayBufferLike, number>();
  let total = 0;
  for (const [buffer, s] of spans) {
    if (s.used * 2 < s.hi - s.lo || s.used < 65_536) continue;
    parts.push(new Uint8Array(buffer, s.lo, s.hi - s.lo));
    start.set(buffer, total - s.lo);
    total += s.hi - s.lo;
  }
  // The rest is copied into one part: a write per body would cost a round trip each.
  const loose: Uint8Array[] = [];
  let looseBytes = 0;
  const offsets = bodies.map((b, i) => {
    const base = copy[i] ? undefined : start.get(b.buffer);
    if (base !== undefined) return base + b.byteOffset;
    loose.push(b);
    looseBytes += b.length;
    return total + looseBytes - b.length;
  });
  if (loose.length) {
    const tail = new Uint8Array(looseBytes);
    let at = 0;
    for (const b of loose) {
      tail.set(b, at);
      at += b.length;
    }
    parts.push(tail);
  }
  return { parts, offsets };
}

/** Whether this browser offers the origin private file system. */
export function opfsAvailable(): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.storage?.getDirectory === 'function';
}

/** Pack files in a directory of the origin private file system, one directory per database. */
export function opfsPackDir(dirName: string): PackDir {
  let dir: Promise<FileSystemDirectoryHandle> | null = null;
  const open = () =>
    (dir ??= navigator.storage
      .getDirectory()
      .then((root) => root.getDirectoryHandle(dirName, { create: true }))
      .catch((err: unknown) => {
        dir = null;
        throw err;
      }));
  return {
    async write(name, parts) {
      const handle = await (await open()).getFileHandle(name, { create: true });
      // Chromium writes into a swap file and moves it over the name on close():
      // a kill mid-write leaves no partial file under `name`.
      const writable = await handle.createWritable();
      try {
        // Few large parts (a received pack is written as it came): one write each.
        for (const part of parts) await writable.write(part as Uint8Array<ArrayBuffer>);
        await writable.close();
      } catch (err) {
        await writable.abort().catch(() => undefined);
        await (await open()).removeEntry(name).catch(() => undefined);
        throw err;
      }
    },
    async read(name, ranges) {
      let file: File;
      try {
        file = await (await (await open()).getFileHandle(name)).getFile();
      } catch (err) {
        throw new PackMissingError(name, err);
      }
      return readRanges(file, ranges);
    },
    async readAll(name) {
      try {
        const file = await (await (await open()).getFileHandle(name)).getFile();
        return new Uint8Array(await file.arrayBuffer());
      } catch (err) {
        throw new PackMissingError(name, err);
      }
    },
    async list() {
      const names: string[] = [];
      for await (const name of (await open()).keys()) names.push(name);
      return names;
    },
    async remove(name) {
      try {
        await (await open()).removeEntry(name);
      } catch (err) {
        if (!(err instanceof DOMException && err.name === 'NotFoundError')) throw err;
      }
    },
  };
}

/** Pack files in memory: for unit tests in Node, which has no OPFS. */
export function memoryPackDir(files = new Map<string, Uint8Array>()): PackDir & {
  files: Map<string, Uint8Array>;
} {
  return {
    files,
    write(name, parts) {
      const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        data.set(p, at);
        at += p.length;
      }
      files.set(name, data);
      return Promise.resolve();
    },
    read(name, ranges) {
      const file = files.get(name);
      if (!file) return Promise.reject(new PackMissingError(name));
      return readRanges(new Blob([file as Uint8Array<ArrayBuffer>]), ranges);
    },
    readAll(name) {
      const file = files.get(name);
      return file ? Promise.resolve(file.slice()) : Promise.reject(new PackMissingError(name));
    },
    list: () => Promise.resolve([...files.keys()]),
    remove(name) {
      files.delete(name);
      return Promise.resolve();
    },
  };
}
