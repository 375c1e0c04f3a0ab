import type { KioskConfig } from '../config/types.ts';
import type { SyncStatus } from './status.ts';
import { parseUserAgent, type EngineInfo } from './user-agent.ts';

/** The JSON body a kiosk POSTs to `sync.statusUrl`. */
export interface FleetReport {
  kioskId: string;
  name: string;
  location: string;
  sentAt: string;
  status: SyncStatus;
  /** The kiosk browser's full `navigator.userAgent` ('' when there is none). */
  userAgent: string;
  /** The engine parsed from {@link userAgent}, e.g. `{ name: 'Chromium', major: 83 }`. */
  engine: EngineInfo;
  /** Seconds since this page (the kiosk app) started: a restart shows as a drop. */
  uptimeSeconds: number;
  /** False on a plain-http intranet origin (no service worker, no offline start). */
  secureContext: boolean;
  /** Proof-of-display log, anonymous counts: filled in by whoever owns them. */
  extras: Record<string, unknown>;
}

/**
 * POSTs the status report. A missing or failing endpoint must never affect
 * display or sync, so every failure is swallowed (and returned for tests).
 */
export async function postFleetReport(
  statusUrl: string,
  config: KioskConfig,
  status: SyncStatus,
  extras: Record<string, unknown>,
  options: {
    now: number;
    timeoutMs: number;
    fetchImpl?: typeof fetch;
    /** The browser's user agent; default `navigator.userAgent`. */
    userAgent?: string;
    /** Milliseconds since the page started; default `performance.now()`. */
    uptimeMs?: number;
  },
): Promise<{ ok: boolean; error?: string }> {
  const userAgent =
    options.userAgent ?? (typeof navigator === 'undefined' ? '' : navigator.userAgent);
  const report: FleetReport = {
    kioskId: config.id,
    name: config.name,
    location: config.location,
    sentAt: new Date(options.now).toISOString(),
    status,
    userAgent,
    engine: parseUserAgent(userAgent),
    uptimeSeconds: Math.round((options.uptimeMs ?? performance.now()) / 1000),
    secureContext: typeof isSecureContext === 'boolean' ? isSecureContext : true,
    extras,
  };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  try {
    const res = await (options.fetchImpl ?? fetch)(statusUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(report),
      signal: controller.signal,
      keepalive: true,
    });
    return res.ok ? { ok: true } : { ok: false, error: `HTTP ${res.status}` };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}
