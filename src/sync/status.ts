import type { SyncErrorCode } from './errors.ts';

/** What the sync engine is doing right now. */
export type SyncActivity = 'idle' | 'checking' | 'downloading' | 'committing';

/** The status the UI, the admin panel and fleet reports read. Times are ISO strings. */
export interface SyncStatus {
  activity: SyncActivity;
  activeVersion: number | null;
  activeGeneratedAt: string | null;
  activeExpiresAt: string | null;
  itemCount: number;
  /** Past expiresAt by trustedNow: keep showing, with a stale-content banner. */
  stale: boolean;
  lastCheck: string | null;
  lastSuccess: string | null;
  /** The last failure, in plain words (Chinese, for the screen); null after a success. */
  lastError: { code: SyncErrorCode; message: string; at: string } | null;
  consecutiveFailures: number;
  nextCheck: string | null;
  /** Bytes the origin uses (navigator.storage.estimate), when known. */
  bytesStored: number | null;
  /** Answer of navigator.storage.persist(), or null when unsupported. */
  persisted: boolean | null;
  trustedNow: string;
  /** How far the device clock is behind trustedNow (0 when within tolerance). */
  clockSkewMs: number;
  /**
   * How far the device clock is ahead of the content server's `Date` (0 when
   * within tolerance or unknown). Only reported, never used: the header is not
   * signed, so it cannot make an expired bundle acceptable.
   */
  clockAheadMs: number;
  /** Files downloaded / to download during an update. */
  progress: { done: number; total: number } | null;
  alertsSequence: number;
  lastAlertsCheck: string | null;
  /** The last failure of the alerts file (kept apart: content is not affected). */
  alertsError: { code: SyncErrorCode; message: string; at: string } | null;
  /** Set when the database was deleted and rebuilt at start. */
  recovered: string | null;
}

/** A status before anything happened. */
export function initialStatus(now: number): SyncStatus {
  return {
    activity: 'idle',
    activeVersion: null,
    activeGeneratedAt: null,
    activeExpiresAt: null,
    itemCount: 0,
    stale: false,
    lastCheck: null,
    lastSuccess: null,
    lastError: null,
    consecutiveFailures: 0,
    nextCheck: null,
    bytesStored: null,
    persisted: null,
    trustedNow: new Date(now).toISOString(),
    clockSkewMs: 0,
    clockAheadMs: 0,
    progress: null,
    alertsSequence: 0,
    lastAlertsCheck: null,
    alertsError: null,
    recovered: null,
  };
}

/**
 * What a kiosk served over plain http from an intranet host says, once in the
 * status line and once in the admin panel (issue #17): such a page is not a
 * secure context, so it has no service worker and cannot start offline.
 */
export const INSECURE_ORIGIN_NOTICE =
  '此终端以 http 方式访问：断网后重启无法离线启动，请改用 https 或本机地址';

/**
 * The standing notice about how the page is served, or null when there is
 * nothing to say. Pure: the shell passes `isSecureContext`.
 */
export function originNotice(page: { isSecureContext: boolean }): string | null {
  return page.isSecureContext ? null : INSECURE_ORIGIN_NOTICE;
}

/**
 * Global the kiosk watchdog (`gongkai watchdog`) reads over the DevTools
 * protocol with the heartbeat: how many times in a row the local store failed
 * to open (0 once it opened; absent before the first try).
 */
export const STORE_FAILURES_GLOBAL = 'gongkaiStoreFailures';

/** Publishes the count of consecutive failed opens of the local store for the watchdog. */
export function reportStoreFailures(count: number): void {
  (globalThis as unknown as Record<string, number>)[STORE_FAILURES_GLOBAL] = count;
}
