/**
 * What the fleet receiver knows about one kiosk, derived from its newest
 * stored report (`<kioskId>.json`). Pure: the metrics, the JSON-lines log
 * and `gongkai fleet report` all read this one shape, so they agree.
 *
 * Every field that becomes a Prometheus label is bounded here: kiosk ids
 * match the receiver's id pattern, sites and roles come from the inventory
 * or a short slug, failure causes from the sync error codes, engines from
 * src/cli/fleet/browser.ts. Free text (names, locations, error sentences)
 * stays out of labels.
 */
import { SYNC_ERROR_CODES, type SyncErrorCode } from '../../sync/errors.ts';
import { browserEngine, type BrowserEngine } from './browser.ts';

/** What the screen shows, for the `gongkai_kiosk_screen` metric. */
export const SCREEN_STATES = ['showing', 'stale', 'blank', 'recovering'] as const;
/** One of {@link SCREEN_STATES}. */
export type ScreenState = (typeof SCREEN_STATES)[number];

/** Kiosk roles (src/config/types.ts `KioskConfig.role`), plus `unknown`. */
export const ROLES = ['touch', 'reading-room', 'notice-board', 'unknown'] as const;

/** A failure cause label: a sync error code, or `other` for anything else. */
export type FailureCause = SyncErrorCode | 'other';

/** Where a kiosk stands in the estate (site and role) when the inventory says so. */
export interface InventoryEntry {
  site?: string;
  role?: string;
}

/** The receiver's view of one kiosk. Times are epoch milliseconds. */
export interface KioskState {
  kioskId: string;
  site: string;
  role: (typeof ROLES)[number];
  location: string;
  receivedAt: number;
  activeVersion: number | null;
  generatedAt: number | null;
  screen: ScreenState;
  consecutiveFailures: number;
  failureCause: FailureCause | null;
  lastErrorMessage: string;
  alertsSequence: number;
  alertsFailureCause: FailureCause | null;
  clockBehindSeconds: number;
  clockAheadSeconds: number;
  bytesStored: number | null;
  bytesQuota: number | null;
  persisted: boolean | null;
  engine: BrowserEngine | null;
  uptimeSeconds: number | null;
  /** Counts of the last completed day the kiosk reported. */
  lastDay: { views: number; searches: number; zeroResults: number } | null;
}

/** Label values: letters, digits, `.`, `_`, `-`, at most 64 (the receiver's kiosk id pattern). */
export const SAFE_LABEL = /^[A-Za-z0-9._-]{1,64}$/;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : null;
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const time = (v: unknown): number | null => {
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isNaN(t) ? null : t;
};

function cause(error: unknown): FailureCause | null {
  const e = obj(error);
  if (!e) return null;
  return (SYNC_ERROR_CODES as readonly unknown[]).includes(e.code)
    ? (e.code as SyncErrorCode)
    : 'other';
}

/**
 * A kiosk without an inventory entry: the site is its id without the last
 * `-` part (`tianhe-hall-0042` → `tianhe-hall`), so one site's kiosks group
 * when ids follow `<site>-<n>`; an id without `-` is its own site.
 */
export function siteFromId(kioskId: string): string {
  const i = kioskId.lastIndexOf('-');
  return i > 0 ? kioskId.slice(0, i) : kioskId;
}

/** The screen state a report implies (an explicit, known `screen` field wins). */
export function screenState(report: Obj, status: Obj | null): ScreenState {
  const said = report.screen ?? obj(report.extras)?.screen;
  if ((SCREEN_STATES as readonly unknown[]).includes(said)) return said as ScreenState;
  const version = num(status?.activeVersion);
  // `recovered`: the local store was rebuilt at start; until content is back
  // (or while it is being downloaded again) the kiosk is recovering.
  if (typeof status?.recovered === 'string' && (version === null || obj(status.progress)))
    return 'recovering';
  if (version === null) return 'blank';
  if (status?.stale === true) return 'stale';
  return 'showing';
}

function lastDay(extras: Obj | null): KioskState['lastDay'] {
  const days = obj(extras?.counts)?.days;
  if (!Array.isArray(days) || !days.length) return null;
  const d = obj(days[days.length - 1]);
  if (!d) return null;
  return {
    views: num(d.views) ?? 0,
    searches: num(d.searches) ?? 0,
    zeroResults: num(d.zeroResults) ?? 0,
  };
}

/**
 * The state a stored report describes, or null when it is not a report the
 * receiver wrote (no safe `kioskId`, no `receivedAt`).
 */
export function kioskState(stored: unknown, inventory?: InventoryEntry): KioskState | null {
  const r = obj(stored);
  if (!r || typeof r.kioskId !== 'string' || !SAFE_LABEL.test(r.kioskId)) return null;
  const receivedAt = time(r.receivedAt);
  if (receivedAt === null) return null;
  const status = obj(r.status);
  const extras = obj(r.extras);
  const pick = (key: string): unknown => r[key] ?? extras?.[key] ?? status?.[key];
  const site = [inventory?.site, r.site].find(
    (s): s is string => typeof s === 'string' && SAFE_LABEL.test(s),
  );
  const role = [inventory?.role, r.role].find((s) => (ROLES as readonly unknown[]).includes(s)) as
    KioskState['role'] | undefined;
  const lastError = obj(status?.lastError);
  const uptime = num(pick('uptimeSeconds'));
  return {
    kioskId: r.kioskId,
    site: site ?? siteFromId(r.kioskId),
    role: role ?? 'unknown',
    location: typeof r.location === 'string' ? r.location : '',
    receivedAt,
    activeVersion: num(status?.activeVersion),
    generatedAt: time(status?.activeGeneratedAt),
    screen: screenState(r, status),
    consecutiveFailures: lastError ? Math.max(1, num(status?.consecutiveFailures) ?? 1) : 0,
    failureCause: cause(lastError),
    lastErrorMessage: typeof lastError?.message === 'string' ? lastError.message : '',
    alertsSequence: num(status?.alertsSequence) ?? 0,
    alertsFailureCause: cause(status?.alertsError),
    clockBehindSeconds: (num(status?.clockSkewMs) ?? 0) / 1000,
    clockAheadSeconds: (num(status?.clockAheadMs) ?? 0) / 1000,
    bytesStored: num(status?.bytesStored),
    bytesQuota: num(pick('bytesQuota')),
    persisted: typeof status?.persisted === 'boolean' ? status.persisted : null,
    engine: browserEngine(pick('engine'), pick('userAgent')),
    uptimeSeconds: uptime !== null && uptime >= 0 ? uptime : null,
    lastDay: lastDay(extras),
  };
}

/** `chromium 83`, `chromium`, or `` for the report table. */
export function engineText(e: BrowserEngine | null): string {
  if (!e) return '';
  return e.major === null ? e.name : `${e.name} ${e.major}`;
}
