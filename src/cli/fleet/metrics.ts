/**
 * The estate as Prometheus metrics (OpenMetrics text, via prom-client). One
 * registry per receiver; every scrape rebuilds the per-kiosk series from the
 * estate, so a kiosk removed from the directory disappears and nothing is
 * kept between scrapes but the receiver's own counters.
 *
 * Labels: `kiosk`, `site`, `role` on every kiosk series, plus a bounded
 * `cause` (sync error codes), `state` (screen states), `direction`
 * (clock skew) or `engine`/`major` (browser). docs/fleet/README.md lists them.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Estate } from './estate.ts';
import { SCREEN_STATES, type KioskState } from './kiosk-state.ts';

const K = ['kiosk', 'site', 'role'] as const;
type KioskLabel = (typeof K)[number];

/** Versions newer than each kiosk's among the versions the estate reports. */
export function versionsBehind(states: readonly KioskState[]): Map<string, number> {
  const versions = [
    ...new Set(states.map((s) => s.activeVersion).filter((v): v is number => v !== null)),
  ].sort((a, b) => b - a);
  const rank = new Map(versions.map((v, i) => [v, i]));
  const out = new Map<string, number>();
  for (const s of states)
    if (s.activeVersion !== null) out.set(s.kioskId, rank.get(s.activeVersion) ?? 0);
  return out;
}

/** The receiver's metrics: the estate's series plus its own request counters and process metrics. */
export class FleetMetrics {
  readonly registry = new Registry<typeof Registry.OPENMETRICS_CONTENT_TYPE>();
  /** POSTs accepted by this receiver. */
  readonly received: Counter<never>;
  /** POSTs refused, by reason. */
  readonly rejected: Counter<'reason'>;

  constructor(
    private readonly estate: Estate,
    private readonly now: () => number = Date.now,
  ) {
    this.registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    collectDefaultMetrics({ register: this.registry, prefix: 'gongkai_fleet_' });
    const registers = [this.registry];
    this.received = new Counter({
      name: 'gongkai_fleet_reports_received_total',
      help: 'Kiosk status reports this receiver accepted.',
      registers,
    });
    this.rejected = new Counter({
      name: 'gongkai_fleet_reports_rejected_total',
      help: 'Kiosk status reports this receiver refused, by reason.',
      labelNames: ['reason'],
      registers,
    });
    const gauge = <L extends string>(name: string, help: string, extra: readonly L[] = []) =>
      new Gauge<KioskLabel | L>({ name, help, labelNames: [...K, ...extra], registers });
    const g = {
      lastReport: gauge(
        'gongkai_kiosk_last_report_timestamp_seconds',
        'When the newest report of the kiosk arrived (Unix time).',
      ),
      version: gauge('gongkai_kiosk_bundle_version', 'Version of the bundle the kiosk shows.'),
      age: gauge(
        'gongkai_kiosk_bundle_age_seconds',
        'Time since the active bundle was generated (its signed generatedAt).',
      ),
      behind: gauge(
        'gongkai_kiosk_versions_behind',
        'Bundle versions newer than the kiosk’s among those the estate reports (0: newest).',
      ),
      failures: gauge(
        'gongkai_kiosk_sync_failures',
        'Consecutive failed sync attempts, labelled with the cause of the last one.',
        ['cause'],
      ),
      alertsFailing: gauge(
        'gongkai_kiosk_alerts_failing',
        '1 while the kiosk cannot read the alerts file, by cause.',
        ['cause'],
      ),
      alerts: gauge(
        'gongkai_kiosk_alerts_sequence',
        'Sequence number of the newest alerts file the kiosk accepted.',
      ),
      skew: gauge(
        'gongkai_kiosk_clock_skew_seconds',
        'How far the device clock is behind trusted time, or ahead of the server Date.',
        ['direction'],
      ),
      stored: gauge('gongkai_kiosk_storage_used_bytes', 'Bytes the kiosk origin stores.'),
      quota: gauge(
        'gongkai_kiosk_storage_quota_bytes',
        'Storage quota of the kiosk origin, when the kiosk reports it.',
      ),
      persisted: gauge(
        'gongkai_kiosk_storage_persisted',
        '1 when the browser granted persistent storage, 0 when it refused.',
      ),
      screen: gauge(
        'gongkai_kiosk_screen',
        '1 for the state the screen is in (showing, stale, blank, recovering), 0 for the others.',
        ['state'],
      ),
      browser: gauge(
        'gongkai_kiosk_browser_info',
        'The browser engine and major version the kiosk runs (value 1).',
        ['engine', 'major'],
      ),
      browserMajor: gauge(
        'gongkai_kiosk_browser_major_version',
        'Major version of the kiosk browser engine.',
      ),
      uptime: gauge('gongkai_kiosk_uptime_seconds', 'Kiosk uptime, when the kiosk reports it.'),
      views: gauge('gongkai_kiosk_views_last_day', 'Items opened on the last completed day.'),
      searches: gauge('gongkai_kiosk_searches_last_day', 'Searches on the last completed day.'),
      zero: gauge(
        'gongkai_kiosk_zero_results_last_day',
        'Searches without results on the last completed day.',
      ),
    };
    const estateKiosks = new Gauge<'site'>({
      name: 'gongkai_estate_kiosks',
      help: 'Kiosks in the status directory, by site.',
      labelNames: ['site'],
      registers,
    });
    const latest = new Gauge({
      name: 'gongkai_estate_latest_version',
      help: 'Newest bundle version any kiosk reports.',
      registers,
    });
    // Every series is filled from one snapshot of the estate, before each scrape.
    this.fill = () => {
      this.estate.rescan();
      const states = this.estate.states();
      const now = this.now();
      for (const m of [...Object.values(g), estateKiosks, latest]) m.reset();
      const behind = versionsBehind(states);
      const perSite = new Map<string, number>();
      for (const s of states) {
        const l = { kiosk: s.kioskId, site: s.site, role: s.role };
        perSite.set(s.site, (perSite.get(s.site) ?? 0) + 1);
        g.lastReport.set(l, s.receivedAt / 1000);
        if (s.activeVersion !== null) {
          g.version.set(l, s.activeVersion);
          g.behind.set(l, behind.get(s.kioskId) ?? 0);
        }
        if (s.generatedAt !== null) g.age.set(l, Math.max(0, (now - s.generatedAt) / 1000));
        if (s.failureCause) g.failures.set({ ...l, cause: s.failureCause }, s.consecutiveFailures);
        if (s.alertsFailureCause) g.alertsFailing.set({ ...l, cause: s.alertsFailureCause }, 1);
        g.alerts.set(l, s.alertsSequence);
        g.skew.set({ ...l, direction: 'behind' }, s.clockBehindSeconds);
        g.skew.set({ ...l, direction: 'ahead' }, s.clockAheadSeconds);
        if (s.bytesStored !== null) g.stored.set(l, s.bytesStored);
        if (s.bytesQuota !== null) g.quota.set(l, s.bytesQuota);
        if (s.persisted !== null) g.persisted.set(l, s.persisted ? 1 : 0);
        for (const state of SCREEN_STATES)
          g.screen.set({ ...l, state }, s.screen === state ? 1 : 0);
        if (s.engine) {
          g.browser.set({ ...l, engine: s.engine.name, major: String(s.engine.major ?? '') }, 1);
          if (s.engine.major !== null) g.browserMajor.set(l, s.engine.major);
        }
        if (s.uptimeSeconds !== null) g.uptime.set(l, s.uptimeSeconds);
        if (s.lastDay) {
          g.views.set(l, s.lastDay.views);
          g.searches.set(l, s.lastDay.searches);
          g.zero.set(l, s.lastDay.zeroResults);
        }
      }
      for (const [site, n] of perSite) estateKiosks.set({ site }, n);
      const newest = states.reduce((m, s) => Math.max(m, s.activeVersion ?? -1), -1);
      if (newest >= 0) latest.set(newest);
    };
  }

  private readonly fill: () => void;

  /** The exposition text for `/metrics`. */
  metrics(): Promise<string> {
    this.fill();
    return this.registry.metrics();
  }

  /** The `Content-Type` of {@link metrics}. */
  get contentType(): string {
    return this.registry.contentType;
  }
}
