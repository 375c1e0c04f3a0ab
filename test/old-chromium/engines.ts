// Which engines a run uses, and getting them: old builds through the
// installer (test/old-chromium/install.mjs), "system" from findChromium().
import { CHROMIUM_ARGS, findChromium } from '../helpers/chromium.mjs';
import type { EngineSpec } from '../helpers/cdp.ts';
import { EXIT, installOldChromium } from './install.mjs';
import { execFileSync } from 'node:child_process';

/** Why an engine could not be had, and whether that may be skipped (outside CI, no registry). */
export interface MissingEngine {
  name: string;
  reason: string;
  skippable: boolean;
}

/** Engine names from a comma list such as "66,83,system" (`fallback` when unset). */
export function engineNames(value: string | undefined, fallback: string): string[] {
  return (value?.trim() ? value : fallback)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The system Chromium, with the project's usual flags, headless. */
export function systemEngine(): EngineSpec | null {
  const bin = findChromium();
  if (!bin) return null;
  const version = execFileSync(bin, ['--version'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const major = Number(/(\d+)\./.exec(version)?.[1] ?? 0);
  return { name: 'system', major, bin, env: {}, args: ['--headless', ...CHROMIUM_ARGS] };
}

/**
 * Installs (cached) every named engine. An engine that cannot be installed is
 * listed in `missing`; it is skippable only outside CI when npm could not
 * reach the registry (installer exit code 3).
 */
export async function resolveEngines(
  names: string[],
): Promise<{ engines: EngineSpec[]; missing: MissingEngine[] }> {
  const engines: EngineSpec[] = [];
  const missing: MissingEngine[] = [];
  const ci = process.env.CI === 'true' || process.env.CI === '1';
  for (const name of names) {
    if (name === 'system') {
      const sys = systemEngine();
      if (sys) engines.push(sys);
      else missing.push({ name, reason: 'no system Chromium found', skippable: false });
      continue;
    }
    const major = Number(name);
    try {
      const r = await installOldChromium(major);
      engines.push({ name, major, bin: r.bin, env: r.env, args: r.args });
    } catch (err) {
      const code = (err as { code?: number }).code;
      missing.push({
        name,
        reason: err instanceof Error ? err.message : String(err),
        skippable: !ci && code === EXIT.npm,
      });
    }
  }
  return { engines, missing };
}
