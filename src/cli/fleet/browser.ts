/**
 * The browser engine a kiosk runs, from its fleet report: the report's
 * `engine` field when the kiosk sends one, else parsed from `userAgent`.
 * Only a bounded set of names and a major version leave this module, so they
 * can be Prometheus labels.
 */
import { parseEngine } from '../../compat/engine.ts';

/** Engine names the metrics may carry (anything else is `unknown`). */
export const ENGINE_NAMES = ['chromium', 'firefox', 'webkit', 'unknown'] as const;
/** One of {@link ENGINE_NAMES}. */
export type EngineName = (typeof ENGINE_NAMES)[number];

/** A kiosk's engine: bounded name and major version (null when unknown). */
export interface BrowserEngine {
  name: EngineName;
  major: number | null;
}

const ALIASES: Record<string, EngineName> = {
  chromium: 'chromium',
  chrome: 'chromium',
  blink: 'chromium',
  edge: 'chromium',
  firefox: 'firefox',
  gecko: 'firefox',
  webkit: 'webkit',
  safari: 'webkit',
};

function majorOf(value: unknown): number | null {
  const n =
    typeof value === 'number' ? value : typeof value === 'string' ? parseInt(value, 10) : NaN;
  // A major version beyond 999 is a parse error, not a browser.
  return Number.isInteger(n) && n >= 0 && n < 1000 ? n : null;
}

function nameOf(value: unknown): EngineName {
  if (typeof value !== 'string') return 'unknown';
  return ALIASES[value.trim().toLowerCase()] ?? 'unknown';
}

/**
 * Parses a User-Agent string with the kiosk's own parser (src/compat/engine.ts):
 * `Chrome/83.0.4103.0` → chromium 83 (Edge, WebView and the 国产 browsers carry
 * `Chrome/` too), `Firefox/115.0` → firefox 115, `Version/17.4 … Safari/` →
 * webkit 17. Null when nothing is recognised.
 */
export function engineFromUserAgent(ua: string): BrowserEngine | null {
  const { name, major } = parseEngine(ua);
  const bounded = nameOf(name);
  return bounded === 'unknown' ? null : { name: bounded, major: majorOf(major) };
}

/**
 * The engine from an `engine` field, in any of the shapes a kiosk may send
 * (`{name, version}`, `{name, major}`, `"Chromium 83"`, `"chromium/83.0"`),
 * falling back to `userAgent`. Null when neither says anything usable.
 */
export function browserEngine(engine: unknown, userAgent: unknown): BrowserEngine | null {
  if (typeof engine === 'object' && engine !== null && !Array.isArray(engine)) {
    const e = engine as Record<string, unknown>;
    const name = nameOf(e.name ?? e.engine);
    if (name !== 'unknown') return { name, major: majorOf(e.major ?? e.version) };
  } else if (typeof engine === 'string') {
    const m = /^\s*([A-Za-z]+)[\s/]*(\d+)?/.exec(engine);
    const name = nameOf(m?.[1]);
    if (name !== 'unknown') return { name, major: majorOf(m?.[2]) };
  }
  if (typeof userAgent === 'string') return engineFromUserAgent(userAgent);
  return null;
}
