/**
 * Which browser engine the kiosk runs on, and which tier that puts it in.
 *
 * The tiers (README "Which browsers", docs/deploy.md):
 * - `supported`: Chromium ≥ 83 — every role and feature.
 * - `display`: Chromium 66–82 (Android 9 signage boards, WebView 66) — the
 *   `reading-room` and `notice-board` roles only; the touch role says it needs 83.
 * - `unsupported`: below 66; public/startup-check.js says so before any module runs.
 * Engines that are not Chromium (or whose version cannot be read) are treated
 * as supported: feature detection, not the user agent, decides what they get.
 */
export const TIERS = { display: 66, supported: 83 } as const;

/** The engine as read from a user agent. */
export interface Engine {
  /** `Chromium` for Chrome, Chromium, WebView and Chromium-based 国产 browsers. */
  readonly name: string;
  /** Major version, or null when the user agent does not say. */
  readonly major: number | null;
}

/** Tier names, as shown in status and fleet reports. */
export const Tier = {
  supported: 'supported',
  display: 'display',
  unsupported: 'unsupported',
} as const;
export type Tier = (typeof Tier)[keyof typeof Tier];

/** Reads the engine from a user agent string (`Chrome/83.0.4103.0`, `HeadlessChrome/66…`). */
export function parseEngine(userAgent: string): Engine {
  const chromium = /(?:HeadlessChrome|Chrome|Chromium|CriOS)\/(\d+)/.exec(userAgent);
  if (chromium) return { name: 'Chromium', major: Number(chromium[1]) };
  const firefox = /Firefox\/(\d+)/.exec(userAgent);
  if (firefox) return { name: 'Firefox', major: Number(firefox[1]) };
  const safari = /Version\/(\d+)[.\d]* .*Safari\//.exec(userAgent);
  if (safari) return { name: 'Safari', major: Number(safari[1]) };
  return { name: 'unknown', major: null };
}

/** The tier of an engine. */
export function tierOf(engine: Engine): Tier {
  if (engine.name !== 'Chromium' || engine.major === null) return Tier.supported;
  if (engine.major >= TIERS.supported) return Tier.supported;
  if (engine.major >= TIERS.display) return Tier.display;
  return Tier.unsupported;
}

/** `Chromium 83`, or `unknown` — for messages and reports. */
export function engineLabel(engine: Engine): string {
  return engine.major === null ? engine.name : `${engine.name} ${engine.major}`;
}
