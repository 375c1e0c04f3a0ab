import type { KioskConfig } from '../config/types.ts';
import type { Store } from '../data/db.ts';
import { checkAlerts } from './alerts.ts';
import { SyncError, toSyncError } from './errors.ts';
import { postFleetReport } from './fleet.ts';
import {
  ingestBundle,
  type BundleSource,
  type IngestResult,
  type TrustedKeyRef,
} from './ingest.ts';
import { trustedKeyRefs } from './restore.ts';
import { fileSource, httpSource, type SideloadFile } from './sources.ts';
import { initialStatus, type SyncStatus } from './status.ts';
import { describeDuration, raiseFloor, TrustedClock } from './time.ts';

/** Timer functions, injectable so tests can drive time. */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(id: unknown): void;
}

/** The parts of `navigator.storage` the engine uses. */
export interface StorageApi {
  estimate(): Promise<{ usage?: number; quota?: number }>;
  persist?(): Promise<boolean>;
}

export interface SyncEngineOptions {
  store: Store;
  config: KioskConfig;
  /** The page URL: manifest, alerts and status URLs are resolved against it. */
  baseUrl: string;
  now?: () => number;
  random?: () => number;
  timers?: Timers;
  fetchImpl?: typeof fetch;
  storage?: StorageApi | null;
  /** Per-file download timeout. */
  timeoutMs?: number;
  /** First retry delay after a transient failure; doubles up to the poll interval. */
  retryBaseMs?: number;
  onStatus?: (status: SyncStatus) => void;
  /** A new version became active (reload the content). */
  onSwitched?: (result: IngestResult) => void;
  onAlerts?: (alerts: unknown[], sequence: number) => void;
  /** Extra fields for fleet reports (proof-of-display log, counts). */
  fleetExtras?: () => Record<string, unknown>;
  /**
   * trustedNow with floors advanced by the monotonic clock; the shell passes
   * the one its display uses, so screen, status and fleet reports agree.
   * Default: one of the engine's own on `now`.
   */
  clock?: TrustedClock;
}

const HOUR = 3_600_000;

/**
 * Polls the manifest (with jitter, conditional requests and backoff), the
 * alerts file (separately, at least every 60 s), reports to the fleet
 * endpoint, and keeps a {@link SyncStatus}. One check runs at a time.
 */
export class SyncEngine {
  private _status: SyncStatus;
  private readonly _now: () => number;
  private readonly _random: () => number;
  private readonly _timers: Timers;
  private _checkTimer: unknown = null;
  private _alertsTimer: unknown = null;
  private _fleetTimer: unknown = null;
  private _running: Promise<void> | null = null;
  private _stopped = true;
  private _manifestEtag: string | null = null;
  private _alertsEtag: string | null = null;
  private readonly _clock: TrustedClock;

  constructor(private readonly options: SyncEngineOptions) {
    this._now = options.now ?? Date.now;
    this._random = options.random ?? Math.random;
    this._timers = options.timers ?? {
      set: (fn, ms) => setTimeout(fn, ms),
      clear: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
    };
    this._clock = options.clock ?? new TrustedClock(this._now);
    this._status = initialStatus(this._now());
  }

  /**
   * fetch, noting the server's `Date` of manifest and alerts answers (they are
   * revalidated every time; a content object may come from the HTTP cache with
   * the Date of its first download, so its Date is not looked at).
   */
  private readonly _fetch = async (
    input: RequestInfo | URL,
    init?: RequestInit,
  ): Promise<Response> => {
    const impl = this.options.fetchImpl ?? fetch;
    const res = await impl(input, init);
    const url = input instanceof Request ? input.url : String(input);
    const { manifestUrl, alertsUrl } = this.options.config.sync;
    const watched = [manifestUrl, alertsUrl]
      .filter((u): u is string => !!u)
      .map((u) => new URL(u, this.options.baseUrl).href);
    const date = Date.parse(res.headers.get('date') ?? '');
    if (watched.includes(url) && Number.isFinite(date)) {
      const age = Number(res.headers.get('age')) || 0;
      this._clock.observeServerDate(date + age * 1000);
    }
    return res;
  };

  /** The status with the clock figures as of now (they move between checks). */
  private _liveStatus(): SyncStatus {
    return {
      ...this._status,
      trustedNow: new Date(this._clock.now()).toISOString(),
      clockSkewMs: this._clock.skewMs(),
      clockAheadMs: this._clock.aheadMs(),
    };
  }

  get status(): SyncStatus {
    return this._status;
  }

  private get _keys(): TrustedKeyRef[] {
    return trustedKeyRefs(this.options.config);
  }

  /** Reads the stored state, asks for persistent storage, and starts polling. */
  async start(): Promise<void> {
    this._stopped = false;
    await this.refreshFromStore();
    void this._askPersist();
    this._scheduleCheck(0);
    if (this.options.config.sync.alertsUrl) this._scheduleAlerts(0);
    if (this.options.config.sync.statusUrl) {
      const hourly = () => {
        void this._report();
        this._fleetTimer = this._timers.set(hourly, HOUR);
      };
      this._fleetTimer = this._timers.set(hourly, HOUR);
    }
  }

  stop(): void {
    this._stopped = true;
    for (const t of [this._checkTimer, this._alertsTimer, this._fleetTimer]) {
      if (t !== null) this._timers.clear(t);
    }
    this._checkTimer = this._alertsTimer = this._fleetTimer = null;
  }

  /** Checks for a new bundle now (admin panel, tests); joins a check already running. */
  checkNow(): Promise<void> {
    this._running ??= this._check(() =>
      httpSource(new URL(this.options.config.sync.manifestUrl, this.options.baseUrl).href, {
        timeoutMs: this.options.timeoutMs ?? 30_000,
        manifestEtag: this._manifestEtag,
        fetchImpl: this._fetch,
      }),
    ).finally(() => {
      this._running = null;
    });
    return this._running;
  }

  /** Verifies and ingests a bundle chosen in the admin panel, exactly like a download. */
  async sideload(files: readonly SideloadFile[]): Promise<void> {
    if (this._running) await this._running.catch(() => undefined);
    this._running = this._check(() => fileSource(files), false).finally(() => {
      this._running = null;
    });
    return this._running;
  }

  /** Re-reads the active version, trusted time and storage figures into the status. */
  async refreshFromStore(): Promise<void> {
    const { store } = this.options;
    const [active, floor, alerts] = await Promise.all([
      store.activeVersion(),
      store.getMeta('timeFloor'),
      store.getMeta('alerts'),
    ]);
    this._clock.observeFloor(floor);
    const tNow = this._clock.now();
    let bytesStored = this._status.bytesStored;
    try {
      bytesStored = (await this.options.storage?.estimate())?.usage ?? bytesStored;
    } catch {
      // Unknown is reported as unknown.
    }
    this._update({
      activeVersion: active?.version ?? null,
      activeGeneratedAt: active?.generatedAt ?? null,
      activeExpiresAt: active?.expiresAt ?? null,
      itemCount: active?.itemCount ?? 0,
      stale: !!active?.expiresAt && Date.parse(active.expiresAt) <= tNow,
      trustedNow: new Date(tNow).toISOString(),
      clockSkewMs: this._clock.skewMs(),
      clockAheadMs: this._clock.aheadMs(),
      bytesStored,
      alertsSequence: alerts?.sequence ?? this._status.alertsSequence,
    });
  }

  /** Marks the status with a database recovery that happened at start. */
  setRecovered(reason: string | null): void {
    this._update({ recovered: reason });
  }

  private async _check(makeSource: () => BundleSource, reschedule = true): Promise<void> {
    const { config, store, storage } = this.options;
    this._update({ activity: 'checking', lastCheck: new Date(this._now()).toISOString() });
    try {
      const result = await ingestBundle(makeSource(), {
        store,
        trustedKeys: this._keys,
        bundleId: config.sync.bundleId,
        limits: {
          maxFileBytes: config.sync.maxFileBytes,
          maxBundleBytes: config.sync.maxBundleBytes,
        },
        // trustedNow as of now: the persisted floor plus the time elapsed since it was seen.
        now: () => this._clock.now(),
        estimate: storage ? () => storage.estimate() : undefined,
        onPhase: (p) => {
          if (p === 'items') this._update({ activity: 'downloading' });
          if (p === 'commit') this._update({ activity: 'committing' });
        },
        onProgress: (done, total) => {
          // Status updates are cheap but not free: report every 1%.
          if (done === total || done % Math.max(1, Math.floor(total / 100)) === 0) {
            this._update({ progress: { done, total } });
          }
        },
      });
      if (result.manifestEtag) this._manifestEtag = result.manifestEtag;
      if (result.outcome === 'not-modified' && result.httpDate) {
        await store.setMeta(
          'timeFloor',
          raiseFloor(await store.getMeta('timeFloor'), { httpDate: result.httpDate }),
        );
      }
      this._update({
        lastSuccess: new Date(this._now()).toISOString(),
        lastError: null,
        consecutiveFailures: 0,
        progress: null,
      });
      await this.refreshFromStore();
      if (result.outcome === 'switched') this.options.onSwitched?.(result);
      if (reschedule) this._scheduleCheck(this._pollDelay());
    } catch (err) {
      let e = toSyncError(err);
      const ahead = this._clock.aheadMs();
      if (e.code === 'expired' && ahead > 0) {
        // Expired by a device clock that the server says is ahead: say so, but
        // still refuse (the server's Date is not signed).
        e = new SyncError(
          e.code,
          `${e.message}（设备时钟比服务器时间快 ${describeDuration(ahead)}，可能不准，请校准时钟）`,
          e.file,
        );
      }
      console.warn('[gongkai] sync failed:', e.code, e.message);
      const failures = this._status.consecutiveFailures + 1;
      this._update({
        lastError: { code: e.code, message: e.message, at: new Date(this._now()).toISOString() },
        consecutiveFailures: failures,
        progress: null,
      });
      await this.refreshFromStore().catch(() => undefined);
      if (reschedule)
        this._scheduleCheck(e.transient ? this._retryDelay(failures) : this._pollDelay());
      if (!reschedule) throw e;
    } finally {
      this._update({ activity: 'idle' });
      void this._report();
    }
  }

  private _pollDelay(): number {
    const { pollSeconds, jitterSeconds } = this.options.config.sync;
    return pollSeconds * 1000 + this._random() * jitterSeconds * 1000;
  }

  /** Exponential backoff with full jitter, capped at the poll interval. */
  private _retryDelay(failures: number): number {
    const base = this.options.retryBaseMs ?? 5_000;
    const cap = this.options.config.sync.pollSeconds * 1000;
    const exp = Math.min(cap, base * 2 ** (failures - 1));
    return exp / 2 + this._random() * (exp / 2);
  }

  private _scheduleCheck(ms: number): void {
    if (this._stopped) return;
    if (this._checkTimer !== null) this._timers.clear(this._checkTimer);
    this._update({ nextCheck: new Date(this._now() + ms).toISOString() });
    this._checkTimer = this._timers.set(() => {
      this._checkTimer = null;
      void this.checkNow();
    }, ms);
  }

  private _scheduleAlerts(ms: number): void {
    if (this._stopped) return;
    this._alertsTimer = this._timers.set(async () => {
      await this._checkAlerts();
      // At least every 60 s, whatever the configuration says.
      const every = Math.min(60, this.options.config.sync.alertPollSeconds) * 1000;
      this._scheduleAlerts(every * (0.9 + this._random() * 0.1));
    }, ms);
  }

  private async _checkAlerts(): Promise<void> {
    const { config, store } = this.options;
    if (!config.sync.alertsUrl) return;
    try {
      const result = await checkAlerts(new URL(config.sync.alertsUrl, this.options.baseUrl).href, {
        store,
        trustedKeys: this._keys,
        bundleId: config.sync.bundleId,
        timeoutMs: this.options.timeoutMs ?? 30_000,
        etag: this._alertsEtag,
        fetchImpl: this._fetch,
      });
      this._alertsEtag = result.etag;
      this._update({
        alertsSequence: result.sequence,
        lastAlertsCheck: new Date(this._now()).toISOString(),
        alertsError: null,
      });
      if (result.changed) this.options.onAlerts?.(result.alerts, result.sequence);
    } catch (err) {
      const e = err instanceof SyncError ? err : toSyncError(err);
      // A missing alerts file is normal (nothing to announce): not an error on screen.
      if (e.code === 'not-found') return;
      this._update({
        alertsError: { code: e.code, message: e.message, at: new Date(this._now()).toISOString() },
      });
    }
  }

  private async _askPersist(): Promise<void> {
    const storage = this.options.storage;
    if (!storage?.persist) return;
    try {
      this._update({ persisted: await storage.persist() });
    } catch {
      this._update({ persisted: false });
    }
  }

  private async _report(): Promise<void> {
    const { config } = this.options;
    if (!config.sync.statusUrl) return;
    let extras: Record<string, unknown> = {};
    try {
      extras = this.options.fleetExtras?.() ?? {};
    } catch {
      // A broken extras provider must not stop the report.
    }
    await postFleetReport(
      new URL(config.sync.statusUrl, this.options.baseUrl).href,
      config,
      this._liveStatus(),
      extras,
      {
        now: this._now(),
        timeoutMs: 10_000,
        fetchImpl: this.options.fetchImpl,
      },
    );
  }

  private _update(patch: Partial<SyncStatus>): void {
    this._status = { ...this._status, ...patch };
    this.options.onStatus?.(this._status);
  }
}
