/**
 * The page side of the service worker: call {@link startPwa} once from the
 * entry point. Shows nothing itself; the shell reads {@link pwaStatus}.
 */
import { shippedConfigs, type KioskConfig } from '../config/load.ts';
import { SW_FILE, SW_POLICY_NAME } from './csp.ts';
import { startHeartbeat } from './heartbeat.ts';
import { pwaStatus } from './status.ts';
import { KioskUpdater, type ScriptUrl } from './updater.ts';

export { pwaStatus, describeStatus, PWA_STATUS_EVENT } from './status.ts';
export type { PwaState, PwaStatus, PwaStatusStore } from './status.ts';
export { KioskUpdater } from './updater.ts';

interface TrustedTypesFactory {
  createPolicy(
    name: string,
    rules: { createScriptURL(input: string): string },
  ): { createScriptURL(input: string): { toString(): string } };
}

/**
 * The worker's URL. `register()` is a Trusted Types sink, so under the app's
 * CSP it takes a TrustedScriptURL made by the `gongkai-sw` policy, which
 * accepts exactly one URL: sw.js next to the page.
 */
export function swScriptUrl(base: string): ScriptUrl {
  const url = new URL(SW_FILE, base).href;
  const tt = (globalThis as { trustedTypes?: TrustedTypesFactory }).trustedTypes;
  if (!tt) return url;
  const policy = tt.createPolicy(SW_POLICY_NAME, {
    createScriptURL(input: string): string {
      if (input !== url) throw new TypeError(`${SW_POLICY_NAME}: refusing script URL ${input}`);
      return input;
    },
  });
  return policy.createScriptURL(url);
}

/** A positive number no larger than `max`, else `fallback`. */
function bounded(value: unknown, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= max
    ? value
    : fallback;
}

/**
 * The configuration in force for update timing: two numbers read from the
 * shipped file, checked for range only. Quiet on purpose: the shell validates
 * the whole file and reports problems; here a bad value just means the
 * default. (Not the schema validator: building it costs the first visit a
 * long task on the main thread.)
 */
export function pwaConfig(search: string): KioskConfig['pwa'] & KioskConfig['idle'] {
  const shipped = shippedConfigs();
  const id = new URLSearchParams(search).get('kiosk') ?? 'default';
  const raw = (shipped.get(id) ?? shipped.get('default'))?.raw as
    { pwa?: { updateCheckMinutes?: unknown }; idle?: { timeoutSeconds?: unknown } } | undefined;
  return {
    updateCheckMinutes: bounded(raw?.pwa?.updateCheckMinutes, 7 * 24 * 60, 30),
    timeoutSeconds: bounded(raw?.idle?.timeoutSeconds, 24 * 3600, 90),
  };
}

let started: KioskUpdater | null = null;

/** Registers the service worker with safe-update policy and starts the heartbeat. Idempotent. */
export function startPwa(): KioskUpdater {
  if (started) return started;
  startHeartbeat();
  const config = pwaConfig(location.search);
  started = new KioskUpdater({
    swUrl: swScriptUrl(document.baseURI),
    scope: new URL('./', document.baseURI).href,
    checkIntervalMs: config.updateCheckMinutes * 60_000,
    idleMs: config.timeoutSeconds * 1000,
    status: pwaStatus,
    activityTarget: window,
    reload: () => location.reload(),
  });
  void started.start();
  return started;
}

/**
 * Calls `fn` once the page has loaded and the main thread has a free moment
 * (at most `maxDelayMs` after load), so that work the first paint does not
 * need, such as registering the service worker and its precache download,
 * does not lengthen the first visit's main-thread tasks.
 */
export function afterFirstPaint(fn: () => void, maxDelayMs = 3000): void {
  const idle = (): void => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(fn, { timeout: maxDelayMs });
    else setTimeout(fn, 0);
  };
  if (document.readyState === 'complete') idle();
  else window.addEventListener('load', idle, { once: true });
}
