// A small tmpfs for a Chromium profile, so storage really runs out (issue #11,
// disk full): `Storage.overrideQuotaForOrigin` does not block writes in
// Chromium 156 and `estimate()` reports a quota far above a small disk, so the
// only faithful fault is a full file system. Mounting needs root (or
// CAP_SYS_ADMIN); `tmpfsProblem()` says why it is not possible here.
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  statfsSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A mounted tmpfs with a filler that takes its free space away and gives it back. */
export interface Tmpfs {
  /** The mount point. */
  readonly dir: string;
  /** Bytes free for an unprivileged writer now. */
  free(): number;
  /**
   * Writes filler files until at most `leaveBytes` are free (a real ENOSPC
   * ends it early, which is fine). Returns the bytes written.
   */
  fill(leaveBytes: number): number;
  /** Deletes the filler: the space is free again. */
  release(): void;
  /** Unmounts and removes the mount point (retries while a process still holds it). */
  unmount(): void;
}

const run = (cmd: string, args: string[]) =>
  execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });

function describeError(err: unknown): string {
  const e = err as { stderr?: string; message?: string };
  return (e.stderr?.trim() || e.message || String(err)).split('\n')[0];
}

/** Mounts a tmpfs of `sizeBytes` on a fresh directory. Throws with the reason when it cannot. */
export function mountTmpfs(sizeBytes: number, prefix = 'gk-tmpfs-'): Tmpfs {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const kib = Math.ceil(sizeBytes / 1024);
  try {
    run('mount', ['-t', 'tmpfs', '-o', `size=${kib}k,mode=0700`, 'tmpfs', dir]);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`cannot mount a ${kib} KiB tmpfs on ${dir}: ${describeError(err)}`, {
      cause: err,
    });
  }
  const fillDir = join(dir, 'filler');
  let mounted = true;
  const free = () => {
    const s = statfsSync(dir);
    return s.bavail * s.bsize;
  };
  return {
    dir,
    free,
    fill(leaveBytes) {
      mkdirSync(fillDir, { recursive: true });
      const chunk = Buffer.alloc(256 * 1024, 0x5a);
      let written = 0;
      let n = readdirSync(fillDir).length;
      for (;;) {
        const want = free() - leaveBytes;
        if (want <= 0) return written;
        // One file per call keeps release() simple; each write is at most a chunk.
        const fd = openSync(join(fillDir, `fill-${n++}`), 'w');
        try {
          let left = want;
          while (left > 0) {
            const size = Math.min(left, chunk.length);
            writeSync(fd, chunk, 0, size);
            written += size;
            left -= size;
          }
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOSPC') return written;
          throw err;
        } finally {
          closeSync(fd);
        }
      }
    },
    release() {
      rmSync(fillDir, { recursive: true, force: true });
    },
    unmount() {
      if (!mounted) return;
      let last: unknown = null;
      for (let i = 0; i < 20; i++) {
        try {
          run('umount', [dir]);
          mounted = false;
          rmSync(dir, { recursive: true, force: true });
          return;
        } catch (err) {
          last = err;
          execFileSync('sleep', ['0.25']);
        }
      }
      // Lazy unmount as a last resort: the mount goes away when its last user does.
      try {
        run('umount', ['-l', dir]);
        mounted = false;
      } catch {
        throw new Error(`cannot unmount ${dir}: ${describeError(last)}`);
      }
    },
  };
}

/** Null when a tmpfs can be mounted here; else why not (probed with a 1 MiB mount). */
export function tmpfsProblem(): string | null {
  try {
    mountTmpfs(1024 * 1024, 'gk-tmpfs-probe-').unmount();
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
