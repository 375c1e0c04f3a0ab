/**
 * The browser engine behind a user-agent string, for fleet reports (which
 * kiosk runs which Chromium) and for messages that must name the engine.
 * Pure: the caller passes `navigator.userAgent`.
 *
 * Kiosks run Chromium in many disguises: Chrome, the Debian/UOS/Kylin
 * `chromium` packages, Android WebView kiosk shells, 360/QQ/Sogou/UOS
 * browsers, Edge. All of them carry `Chrome/<major>`, which is what decides
 * what the kiosk can do; the disguise is kept apart as `shell`. (Chrome on
 * iOS, `CriOS`, is WebKit underneath and is reported as such.)
 */

/** An engine and its major version, as sent in fleet reports. */
export interface EngineInfo {
  /** `Chromium`, `Firefox`, `WebKit`, or `unknown`. */
  name: 'Chromium' | 'Firefox' | 'WebKit' | 'unknown';
  /** Major version of the engine (Chromium: the `Chrome/<major>` token), or null when unknown. */
  major: number | null;
  /** The product around the engine when it says so (Android WebView, 360, UOS …). */
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
  const chrome = /\b(?:Chrome|Chromium|HeadlessChrome)\/(\d+)\./.exec(ua);
  if (chrome) {
    const info: EngineInfo = { name: 'Chromium', major: Number(chrome[1]) };
    const shell = SHELLS.find(([re]) => re.test(ua));
    return shell ? { ...info, shell: shell[1] } : info;
  }
  const firefox = /\bFirefox\/(\d+)/.exec(ua);
  if (firefox) return { name: 'Firefox', major: Number(firefox[1]) };
  const webkit = /\bAppleWebKit\/(\d+)/.exec(ua);
  if (webkit) {
    // Safari says its own version; WebViews without it give the WebKit build.
    const version = /\bVersion\/(\d+)/.exec(ua);
    return { name: 'WebKit', major: Number((version ?? webkit)[1]) };
  }
  return { name: 'unknown', major: null };
}

/** `Chromium 66`, `Chromium 83（Android WebView）`, or `未知浏览器`, for messages on screen. */
export function describeEngine(engine: EngineInfo): string {
  if (engine.name === 'unknown') return '未知浏览器';
  const base = engine.major === null ? engine.name : `${engine.name} ${engine.major}`;
  return engine.shell ? `${base}（${engine.shell}）` : base;
}

/** The engine of the running page (unknown outside a browser). */
export function currentEngine(): EngineInfo {
  return parseUserAgent(typeof navigator === 'undefined' ? '' : navigator.userAgent);
}
