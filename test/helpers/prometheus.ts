// Finding the `prometheus` and `promtool` binaries for the fleet tests. Under
// CI a missing binary is an error (.ci/run installs Debian's `prometheus`
// package); elsewhere the tests that need it are skipped with a note.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

/** The path of `name` (from /usr/bin or the PATH), or null. */
export function findBinary(name: 'prometheus' | 'promtool'): string | null {
  for (const p of [`/usr/bin/${name}`, `/usr/local/bin/${name}`]) if (existsSync(p)) return p;
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return r.stdout.trim() || null;
}

/** The binary, throwing under CI when it is missing and warning otherwise. */
export function requireBinary(name: 'prometheus' | 'promtool', file: string): string | null {
  const found = findBinary(name);
  if (!found && process.env.CI)
    throw new Error(`${name} is missing: .ci/run installs it (apt-get install prometheus)`);
  if (!found) console.warn(`${file}: ${name} not installed, skipping (CI would fail)`);
  return found;
}
