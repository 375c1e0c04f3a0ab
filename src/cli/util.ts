/**
 * Shared CLI plumbing: exit codes, usage errors, argument parsing on
 * node:util's parseArgs, file helpers and the progress bar.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { readFile, stat } from 'node:fs/promises';

/** Exit codes, documented in docs/cli.md and `gongkai --help`. */
export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

/** A usage mistake: bad option, missing argument (exit code 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A content or verification failure (exit code 1). */
export class InvalidError extends Error {
  override name = 'InvalidError';
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
    throw new InvalidError(`${path}: cannot read (${e instanceof Error ? e.message : String(e)})`);
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
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value))
    throw new UsageError(`gongkai ${command}: --today must be YYYY-MM-DD`);
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
