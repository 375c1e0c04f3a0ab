/**
 * Atomic output for every command that writes: each file is written to a
 * temporary sibling (`name.tmp-<pid>`) and renamed into place at the end, and
 * a folder made from scratch (`bundle unpack`) is filled as `dir.tmp-<pid>`
 * and renamed whole. The temporaries are tracked, so Ctrl-C (SIGINT) or
 * SIGTERM removes them and exits 130, and {@link cleanStaleTemps} removes
 * what a crashed run (SIGKILL, power loss) left behind.
 */
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EXIT } from './util.ts';

/** Temporary paths this process has made and not yet renamed or removed. */
const pending = new Set<string>();
/** Files this run created that only make sense once the run completes (new objects). */
const createdThisRun = new Set<string>();
let guarded = false;
let onInterruptMessage: (removed: number) => void = (removed) =>
  process.stderr.write(
    `\ninterrupted: removed ${removed} temporary files; nothing was published\n`,
  );

/** The temporary sibling of `path` for this process. */
export function tempSibling(path: string): string {
  return `${path}.tmp-${process.pid}`;
}

const TEMP_NAME = /\.tmp-(\d+)$/;

function removeAllSync(): number {
  let removed = 0;
  for (const p of [...pending, ...createdThisRun]) {
    try {
      rmSync(p, { recursive: true, force: true });
      removed++;
    } catch {
      // Best effort while exiting: a file that cannot be removed is left for the next run.
    }
  }
  pending.clear();
  createdThisRun.clear();
  return removed;
}

function interrupted(): void {
  onInterruptMessage(removeAllSync());
  process.exit(EXIT.interrupted);
}

/**
 * Installs the SIGINT/SIGTERM handlers of a writing command (once per
 * process). Long-running commands (fleet serve, watchdog) keep their own
 * graceful handlers and never call this.
 */
export function guardWrites(message?: (removed: number) => void): void {
  if (message) onInterruptMessage = message;
  if (guarded) return;
  guarded = true;
  process.on('SIGINT', interrupted);
  process.on('SIGTERM', interrupted);
}

/** Forgets the files of a completed run (they are published now). */
export function commitRun(): void {
  createdThisRun.clear();
}

/** Writes a file atomically (temporary sibling, then rename), creating folders when asked. */
export async function writeAtomic(
  path: string,
  bytes: Uint8Array | string,
  opts: { makeFolder?: boolean; mode?: number; newFile?: boolean } = {},
): Promise<void> {
  if (opts.makeFolder !== false) await mkdir(dirname(path), { recursive: true });
  const tmp = tempSibling(path);
  pending.add(tmp);
  try {
    await writeFile(tmp, bytes, opts.mode === undefined ? {} : { mode: opts.mode });
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  } finally {
    pending.delete(tmp);
  }
  if (opts.newFile) createdThisRun.add(path);
}

/** Fills a new folder through `fill(tempDir)`, then renames it into place. */
export async function writeFolderAtomic(
  dir: string,
  fill: (tmpDir: string) => Promise<void>,
): Promise<void> {
  const tmp = tempSibling(dir);
  pending.add(tmp);
  try {
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true });
    await fill(tmp);
    await rename(tmp, dir);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  } finally {
    pending.delete(tmp);
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as { code?: string }).code === 'EPERM';
  }
}

/**
 * Removes `*.tmp-<pid>` files and folders of processes no longer running
 * under `dir` (recursively, `depth` levels), so a re-run after a crash
 * leaves nothing behind. Returns how many were removed.
 */
export async function cleanStaleTemps(dir: string, depth = 3): Promise<number> {
  let removed = 0;
  const walk = async (d: string, level: number): Promise<void> => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      const m = TEMP_NAME.exec(e.name);
      if (m && !alive(Number(m[1]))) {
        await rm(p, { recursive: true, force: true });
        removed++;
      } else if (e.isDirectory() && level > 0) await walk(p, level - 1);
    }
  };
  await walk(dir, depth);
  return removed;
}
