import type { ConfigProblem, KioskConfig } from './types.ts';
import { validateConfig } from './validate.ts';

export type { ConfigProblem, KioskConfig, TrustedKey } from './types.ts';
export { validateConfig } from './validate.ts';

/** Every kiosk-config file is bundled with the app: configuration has the trust of code. */
const files = import.meta.glob<unknown>(
  ['../../kiosk-config/*.json', '!../../kiosk-config/schema.json'],
  {
    eager: true,
    import: 'default',
  },
);

/** The configuration files shipped in this build, keyed by kiosk id. */
export function shippedConfigs(): Map<string, { file: string; raw: unknown }> {
  const map = new Map<string, { file: string; raw: unknown }>();
  for (const [path, raw] of Object.entries(files)) {
    const file = path.replace(/^(\.\.\/)+/, '');
    const id = /([^/]+)\.json$/.exec(path)?.[1] ?? path;
    map.set(id, { file, raw });
  }
  return map;
}

export interface LoadedConfig {
  /** The configuration in force: the requested one, or a fallback when it is invalid. */
  config: KioskConfig;
  /** Problems with the requested file; empty when it was valid. */
  problems: ConfigProblem[];
  /** Where the configuration in force came from. */
  origin: 'requested' | 'last-valid' | 'default';
}

/**
 * Picks the kiosk's configuration from `?kiosk=<id>` (or `default`), validates
 * it, and falls back to the last valid configuration (then to the shipped
 * default) so that a bad edit never blanks the screen.
 */
export function loadConfig(search: string, lastValid: KioskConfig | null): LoadedConfig {
  const id = new URLSearchParams(search).get('kiosk') ?? 'default';
  const shipped = shippedConfigs();
  const entry = shipped.get(id);
  const problems: ConfigProblem[] = [];
  if (!entry) {
    problems.push({
      file: `kiosk-config/${id}.json`,
      field: '/',
      problem: `no configuration named "${id}" is shipped with this build`,
    });
  } else {
    const result = validateConfig(entry.file, entry.raw);
    if (result.config) return { config: result.config, problems: [], origin: 'requested' };
    problems.push(...result.problems);
  }
  for (const p of problems) console.error(`[gongkai] ${p.file}: ${p.field}: ${p.problem}`);
  if (lastValid) return { config: lastValid, problems, origin: 'last-valid' };
  const fallback = shipped.get('default');
  const def = fallback ? validateConfig(fallback.file, fallback.raw).config : null;
  if (!def) throw new Error('kiosk-config/default.json is missing or invalid: the build is broken');
  return { config: def, problems, origin: 'default' };
}
