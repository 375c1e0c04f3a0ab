import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ProofLog, proofToCsv, type ProofEntry } from '../display/proof.ts';
import { localDate } from '../display/zoned.ts';
import {
  RETENTION_DAYS,
  StatsStore,
  dayMinus,
  statsToCsv,
  summarise,
  type StatEvent,
  type StatsSummary,
} from '../data/stats.ts';
import { normalizeText } from '../search/index.ts';
import type { AdminCounts } from '../components/gk-admin-panel.ts';

/** Days of counts (before today) carried by every fleet report. */
export const FLEET_DAYS = 31;
/** Most recent proof-of-display entries carried by every fleet report. */
export const FLEET_PROOF_ENTRIES = 1000;

/** Fleet report extras (the sync engine's `fleetExtras` hook). */
export interface CountsExtras {
  /** Counts of completed days only: today's are not reported until the day is over. */
  counts: StatsSummary | null;
  proof: ProofEntry[];
  proofTotal: number;
}

/**
 * Owns the anonymous counts (src/data/stats.ts) and the proof-of-display log
 * for the shell: records views, finished searches and shown slides, answers
 * the admin panel and the fleet report, and saves CSV exports.
 *
 * Today's counts stay in IndexedDB until the admin panel asks for them; the
 * summary kept in memory for the (synchronous) fleet hook covers completed
 * days only, so nothing a visitor typed today lingers in the page's memory.
 */
export class CountsController implements ReactiveController {
  /** What the screen showed (filled from `gk-slide-shown`). */
  readonly proof = new ProofLog(5000);
  private _stats: StatsStore | null = null;
  private _timeZone = 'Asia/Shanghai';
  private _now: () => number = Date.now;
  private _fleet: StatsSummary | null = null;
  private _fleetDay = '';

  constructor(host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** Starts counting into the database `dbName` (already opened and upgraded by openStore). */
  attach(dbName: string, timeZone: string, now: () => number): void {
    this._stats?.close();
    this._stats = new StatsStore(dbName);
    this._timeZone = timeZone;
    this._now = now;
    const today = this._today();
    void this._stats
      .prune(dayMinus(today, RETENTION_DAYS))
      .catch((err: unknown) => console.warn('[gongkai] pruning counts failed:', err))
      .then(() => this._refreshFleet());
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this._stats?.close();
    this._stats = null;
  }

  /** A visitor opened an item. */
  view(id: string): void {
    this._add([{ kind: 'view', key: id }]);
  }

  /** A visitor finished a search; `resultCount` 0 also counts the normalised query. */
  search(query: string, resultCount: number): void {
    const events: StatEvent[] = [{ kind: 'search', key: '' }];
    if (resultCount === 0) events.push({ kind: 'zero', key: query });
    this._add(events);
  }

  /** `gk-slide-shown` listener. */
  readonly onSlideShown = (e: CustomEvent<ProofEntry>): void => {
    this.proof.record(e.detail);
  };

  /** The synchronous fleet hook: completed days' counts and the recent proof log. */
  fleetExtras(): CountsExtras {
    if (this._today() !== this._fleetDay) void this._refreshFleet();
    const entries = this.proof.entries();
    return {
      counts: this._fleet,
      proof: entries.slice(-FLEET_PROOF_ENTRIES),
      proofTotal: entries.length,
    };
  }

  /** Counts of this calendar year up to today, for the admin panel (the annual report's period). */
  async adminCounts(titleOf: (id: string) => string, top = 20): Promise<AdminCounts | null> {
    if (!this._stats) return null;
    const today = this._today();
    const from = `${today.slice(0, 4)}-01-01`;
    const s = summarise(await this._stats.read(from, today), from, today);
    return {
      period: `${from} 至 ${today}（${this._timeZone}）`,
      totals: s.totals,
      views: s.views.slice(0, top).map((v) => ({ ...v, title: titleOf(v.id) })),
      zeroQueries: s.zeroQueries.slice(0, top),
    };
  }

  /** Every kept daily counter as CSV. */
  async statsCsv(titleOf: (id: string) => string): Promise<string> {
    const today = this._today();
    const records = this._stats ? await this._stats.read('0000-00-00', today) : [];
    return statsToCsv(records, titleOf);
  }

  /** The proof-of-display log as CSV. */
  proofCsv(): string {
    return proofToCsv(this.proof.entries(), this._timeZone);
  }

  private _today(): string {
    return localDate(this._now(), this._timeZone);
  }

  private _add(events: StatEvent[]): void {
    // Traditional and Simplified spellings of a query count together.
    void this._stats?.add(this._today(), events, normalizeText);
  }

  private async _refreshFleet(): Promise<void> {
    const stats = this._stats;
    if (!stats) return;
    const today = this._today();
    this._fleetDay = today;
    const yesterday = dayMinus(today, 1);
    const from = dayMinus(today, FLEET_DAYS);
    try {
      this._fleet = summarise(await stats.read(from, yesterday), from, yesterday);
    } catch (err) {
      console.warn('[gongkai] reading counts for the fleet report failed:', err);
    }
  }
}

/**
 * Saves `text` as a file the admin can copy to a USB stick (a download of a
 * blob URL: no navigation, no network).
 */
export function saveCsv(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started by now; the URL is not needed afterwards.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
