// Helpers for the mirror tests: run the command in-process (quietly), snapshot
// a content folder to prove a refused run changed nothing, and spawn the real
// CLI for the check → build → verify chain.
import { spawnSync } from 'node:child_process';
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

/** Runs the real CLI as a child process. */
export function gk(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'src/cli/bin.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** One mirrored item file, parsed. */
export function readItem(dir: string, id: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, 'gkmlpt', `${id}.json`), 'utf8')) as Record<
    string,
    unknown
  >;
}
