// Helpers for the mirror tests: run the command in-process (quietly), snapshot
// a content folder to prove a refused run changed nothing, and spawn the real
// CLI for the check → build → verify chain.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { vi } from 'vitest';
import { mirrorCommand } from '../../../src/cli/commands/mirror.ts';
import type { RunReport } from '../../../src/cli/mirror/run.ts';

export const ROOT = join(import.meta.dirname, '../../..');

/** A fixed "today" for the content rules: no test depends on the real date. */
export const TODAY = '2026-10-01';

/** A new content folder with a mirror config (privacy stated, as an office would). */
export function contentDir(config: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'gongkai-mirror-'));
  mkdirSync(join(dir, '_mirror'));
  writeFileSync(
    join(dir, '_mirror', 'config.json'),
    JSON.stringify({ defaults: { privacy: { containsPersonalInfo: false } }, ...config }),
  );
  return dir;
}

/** Runs `gongkai mirror …` in-process; returns the exit code, the report and what it printed. */
export async function mirror(
  ...args: string[]
): Promise<{ code: number; report: RunReport | null; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((s: unknown) => void out.push(String(s)));
  const error = vi
    .spyOn(console, 'error')
    .mockImplementation((s: unknown) => void err.push(String(s)));
  try {
    const withDefaults = args.includes('--delay') ? args : [...args, '--delay', '0'];
    const code = await mirrorCommand([...withDefaults, '--today', TODAY, '--quiet']);
    const at = args.indexOf('--out');
    let report: RunReport | null = null;
    try {
      report = JSON.parse(
        readFileSync(join(args[at + 1], '_mirror', 'report.json'), 'utf8'),
      ) as RunReport;
    } catch {
      report = null;
    }
    return { code, report, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

/** Every file of a folder outside `_mirror/`, with its SHA-256: equal snapshots = untouched content. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const rel = relative(dir, p);
      if (rel === '_mirror') continue;
      if (e.isDirectory()) walk(p);
      else out[rel] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

/** Runs a shell script (asynchronously, like {@link gk}) with an environment. */
export function sh(
  script: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; out: string; err: string }> {
  return collect(spawn('sh', [script], { cwd: ROOT, env }));
}

function collect(
  child: ChildProcessWithoutNullStreams,
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

/**
 * Runs the real CLI as a child process. Asynchronous: the fixture portal runs
 * in this process and must keep answering while the child crawls it.
 */
export function gk(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return collect(
    spawn(process.execPath, [join(ROOT, 'src/cli/bin.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
    }),
  );
}

/** One mirrored item file, parsed. */
export function readItem(dir: string, id: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, 'gkmlpt', `${id}.json`), 'utf8')) as Record<
    string,
    unknown
  >;
}
