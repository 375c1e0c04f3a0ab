/**
 * The app-update status the shell can show: which phase the service worker is
 * in, when updates were last checked, and why the last deploy was refused.
 * Subscribe with `pwaStatus.subscribe(fn)` or listen for
 * {@link PWA_STATUS_EVENT} on `window`.
 */

/** Phases of the app's service worker, as seen from the page. */
export const PWA_STATES = [
  /** No service worker support (or registration impossible): runs from the network only. */
  'unsupported',
  'registering',
  /** Running the newest version the kiosk knows of. */
  'current',
  /** A new version is downloading into the precache. */
  'installing',
  /** A new version is ready and waits for a moment with no visitor. */
  'waiting',
  /** The new version is being activated; the page reloads next. */
  'applying',
] as const;
export type PwaState = (typeof PWA_STATES)[number];

export interface PwaStatus {
  state: PwaState;
  /** When `registration.update()` last ran (ms since epoch), or null. */
  lastCheckAt: number | null;
  /** Why the last update check failed (e.g. the server is down), or null. */
  checkError: string | null;
  /**
   * Why the last deploy was refused, e.g. `assets/index-x.js: HTTP 404`. The
   * kiosk keeps running its current version. Cleared when a later version installs.
   */
  deployFailure: { reason: string; at: number } | null;
}

/** Name of the CustomEvent<PwaStatus> dispatched on `window` on each change. */
export const PWA_STATUS_EVENT = 'gongkai-pwa-status';

type Listener = (status: PwaStatus) => void;

/** Holds the current status and tells subscribers about changes. */
export class PwaStatusStore {
  private current: PwaStatus = {
    state: 'registering',
    lastCheckAt: null,
    checkError: null,
    deployFailure: null,
  };
  private readonly listeners = new Set<Listener>();

  get(): PwaStatus {
    return this.current;
  }

  /** Calls `fn` now and on every change; returns the unsubscribe function. */
  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    fn(this.current);
    return () => this.listeners.delete(fn);
  }

  update(patch: Partial<PwaStatus>): void {
    this.current = { ...this.current, ...patch };
    for (const fn of this.listeners) fn(this.current);
    if (typeof window !== 'undefined')
      window.dispatchEvent(new CustomEvent<PwaStatus>(PWA_STATUS_EVENT, { detail: this.current }));
  }
}

/** The page's single status store. */
export const pwaStatus = new PwaStatusStore();

/** A short Chinese line for the status banner, or null when there is nothing to say. */
export function describeStatus(status: PwaStatus): string | null {
  if (status.deployFailure) return `应用更新失败，继续运行当前版本：${status.deployFailure.reason}`;
  if (status.state === 'applying') return '正在应用新版本…';
  return null;
}
