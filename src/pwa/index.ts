/**
 * The page side of the service worker: call {@link startPwa} once from the
 * entry point. Shows nothing itself; the shell reads {@link pwaStatus}.
 */
import { shippedConfigs, validateConfig, type KioskConfig } from '../config/load.ts';
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

/**
 * The configuration in force for update timing. Quiet on purpose: the shell
 * reports configuration problems; here an invalid file just means the default.
 */
export function pwaConfig(search: string): KioskConfig['pwa'] & KioskConfig['idle'] {
  const shipped = shippedConfigs();
  const id = new URLSearchParams(search).get('kiosk') ?? 'default';
  const entry = shipped.get(id) ?? shipped.get('default');
  const config = entry ? validateConfig(entry.file, entry.raw).config : null;
  return {
    updateCheckMinutes: config?.pwa.updateCheckMinutes ?? 30,
    timeoutSeconds: config?.idle.timeoutSeconds ?? 90,
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
