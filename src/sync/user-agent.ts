/**
 * The browser engine behind a user-agent string, as fleet reports carry it
 * (`engine`, beside the full `userAgent`), and as messages name it.
 * Pure: the caller passes `navigator.userAgent`.
 *
 * Name and major version come from src/compat/engine.ts (the one parser the
 * tiers use too). Kiosks run Chromium in many disguises: Chrome, the
 * Debian/UOS/Kylin `chromium` packages, Android WebView kiosk shells,
 * 360/QQ/Sogou/UOS browsers, Edge. All of them carry `Chrome/<major>`, which
 * decides what the kiosk can do; the disguise is added as `shell` when the
 * user agent names it, so a fleet report tells a WebView box from a PC.
 */
import { engineLabel, parseEngine } from '../compat/engine.ts';

/** An engine and its major version, as sent in fleet reports. */
export interface EngineInfo {
  /** `Chromium`, `Firefox`, `Safari`, or `unknown`. */
  name: string;
  /** Major version of the engine (Chromium: the `Chrome/<major>` token), or null when unknown. */
  major: number | null;
  /** The product around a Chromium engine when it says so (Android WebView, 360, UOS …). */
  shell?: string;
}

/** Products built on Chromium that name themselves in the user agent, most specific first. */
const SHELLS: readonly [RegExp, string][] = [
  [/; wv\)/, 'Android WebView'],
  [/\bEdgA?\/\d/, 'Edge'],
  [/\bQIHU 360|\b360SE\b|\b360EE\b|\bQihooBrowser\b/i, '360'],
  [/\bUOS(?:Browser)?\b|\bUnionTech\b/i, 'UOS'],
  [/\bKylin\b/i, 'Kylin'],
  [/\bQQBrowser\//, 'QQ'],
  [/\bSE 2\.X MetaSr\b|\bSogouMobileBrowser\//, 'Sogou'],
  [/\bHeadlessChrome\//, 'Headless'],
];

/**
 * Parses a user-agent string. Never throws: anything unrecognised is
 * `{ name: 'unknown', major: null }`.
 */
export function parseUserAgent(ua: string): EngineInfo {
  const { name, major } = parseEngine(ua);
  if (name !== 'Chromium') return { name, major };
  const shell = SHELLS.find(([re]) => re.test(ua));
  return shell ? { name, major, shell: shell[1] } : { name, major };
}

/** `Chromium 66`, `Chromium 66（Android WebView）`, or `未知浏览器`, for messages on screen. */
export function describeEngine(engine: EngineInfo): string {
  if (engine.name === 'unknown') return '未知浏览器';
  const base = engineLabel(engine);
  return engine.shell ? `${base}（${engine.shell}）` : base;
}

/** The engine of the running page (unknown outside a browser). */
export function currentEngine(): EngineInfo {
  return parseUserAgent(typeof navigator === 'undefined' ? '' : navigator.userAgent);
}
