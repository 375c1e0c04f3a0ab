/**
 * Shared CLI plumbing: exit codes, usage errors, argument parsing on
 * node:util's parseArgs, file helpers and the progress bar.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { readFile, stat } from 'node:fs/promises';

/**
 * Exit codes, documented in docs/cli.md and `gongkai --help`. `internal` means
 * a bug (an exception no command expected); the fuzz test fails on it.
 */
export const EXIT = { ok: 0, invalid: 1, usage: 2, io: 3, internal: 70, interrupted: 130 } as const;

/** Every exit code the CLI documents. */
export const DOCUMENTED_EXIT_CODES: readonly number[] = Object.values(EXIT);

/** A usage mistake: bad option, missing argument (exit code 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A content or verification failure (exit code 1). */
export class InvalidError extends Error {
  override name = 'InvalidError';
}

/** A path that cannot be read or written: missing input, permission, disk full (exit code 3). */
export class IoError extends Error {
  override name = 'IoError';
}

/** Node's system errors (ENOENT …) carry a code, the call and the path. */
interface SystemError extends Error {
  code: string;
  syscall?: string;
  path?: string;
}

/** True for an error Node's fs or net layer raised (it has an `E…` code). */
export function isSystemError(e: unknown): e is SystemError {
  const code = e instanceof Error ? (e as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}

const SYSTEM_REASONS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a folder, a file was expected',
  ENOTDIR: 'a part of the path is not a folder',
  ENOSPC: 'the disk is full',
  EROFS: 'read-only file system',
  EEXIST: 'already exists',
  ENAMETOOLONG: 'name too long',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
  ENOTEMPTY: 'folder not empty',
  EBUSY: 'busy',
};

/** A system error in plain words naming the path: `cannot open x.pem: no such file or folder`. */
export function describeSystemError(e: SystemError): string {
  const verb =
    e.syscall === 'open' || e.syscall === 'read' || e.syscall === 'scandir'
      ? 'read'
      : (e.syscall ?? 'use');
  const reason = SYSTEM_REASONS[e.code] ?? e.code;
  return `cannot ${verb} ${e.path ?? '(unknown path)'}: ${reason} (${e.code})`;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses argv strictly; unknown options are usage errors naming the command. */
export function parse<O extends Options>(command: string, argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`gongkai ${command}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** A required string option. */
export function required(command: string, value: string | undefined, name: string): string {
  if (!value) throw new UsageError(`gongkai ${command}: --${name} is required`);
  return value;
}

/** A positive integer option. */
export function intOption(
  command: string,
  value: string | undefined,
  name: string,
): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new UsageError(`gongkai ${command}: --${name} must be a positive integer, got ${value}`);
  }
  return Number(value);
}

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Reads and parses a JSON file, naming the file on failure. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if (isSystemError(e)) throw new IoError(describeSystemError(e));
    throw e;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new InvalidError(
      `${path}: not valid JSON (${e instanceof Error ? e.message : String(e)})`,
    );
  }
}

/**
 * Progress for long work: a redrawn bar on stderr when it is a TTY, a few
 * plain lines otherwise (logs stay readable), nothing with `quiet`.
 */
export function progress(
  label: string,
  quiet = false,
): { tick(done: number, total: number): void; end(): void } {
  const tty = process.stderr.isTTY === true;
  let lastPct = -1;
  let shown = false;
  return {
    tick(done, total) {
      if (quiet || total < 200) return;
      const pct = Math.floor((done / total) * 100);
      if (tty) {
        if (pct === lastPct) return;
        const width = 30;
        const fill = Math.round((pct / 100) * width);
        process.stderr.write(
          `\r${label} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${pct}% ${done}/${total}`,
        );
        shown = true;
        lastPct = pct;
      } else if (Math.floor(pct / 25) > Math.floor(lastPct / 25)) {
        // Plain lines at 25 % steps keep logs short.
        process.stderr.write(`${label}: ${done}/${total} (${pct}%)\n`);
        lastPct = pct;
      }
    },
    end() {
      if (shown) process.stderr.write('\n');
    },
  };
}

/** True for `YYYY-MM-DD` naming a day that exists (no 2026-13-45, no 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

/** An ISO 8601 time option (`--at`, `--expires`), as a Date. */
export function timeOption(
  command: string,
  value: string | undefined,
  name: string,
): Date | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(t) || !isCalendarDate(value.slice(0, 10)))
    throw new UsageError(
      `gongkai ${command}: --${name} must be an ISO time such as 2026-11-25T08:00:00+08:00, got ${value}`,
    );
  return new Date(t);
}

/** Today in Asia/Shanghai (or `--today`), as `YYYY-MM-DD`. */
export function todayOption(command: string, value: string | undefined): string {
  if (value === undefined) {
    return new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(new Date());
  }
  if (!isCalendarDate(value))
    throw new UsageError(
      `gongkai ${command}: --today must be a real date YYYY-MM-DD, got ${value}`,
    );
  return value;
}

/**
 * Maps `fn` over `items` with at most `limit` calls in flight, results in
 * input order. File I/O of a large bundle (10,000+ small files) is mostly
 * waiting; one at a time it took longer than all the computing.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
