/**
 * Anonymous counts for the admin panel, the fleet report and the annual
 * report (政府信息公开工作年度报告): views per item, searches, and searches
 * that found nothing, keyed by the normalised query ("what visitors look for
 * and cannot find").
 *
 * Privacy by construction: a counter is `(local day, kind, key) → count`.
 * Nothing ties two counts together (no session, no visitor, no time finer
 * than the day), so a count cannot be traced back to a person at the screen.
 *
 * The counts live in the `stats` store of the kiosk's database (schema v3).
 * They are best-effort: a failed write is logged and dropped, never allowed
 * to affect display, search or sync.
 */
import { openDB, type IDBPDatabase } from 'idb';
import { LONG_NUMBER_LABEL, PII_QUERY_LABELS, maskQuery } from '../content/pii.ts';
import { DB_NAME, type GongkaiDB, type StatKind, type StatRecord } from './schema.ts';

export type { StatKind, StatRecord } from './schema.ts';

/** Longest query text kept for a zero-result search (longer ones are cut). */
export const MAX_QUERY_CHARS = 40;
/** Distinct zero-result queries kept per day; more are counted under {@link OTHER_QUERY}. */
export const MAX_ZERO_QUERIES_PER_DAY = 300;
/** Key of the zero-result searches beyond the daily cap. */
export const OTHER_QUERY = '（其他）';
/** Days of counts kept; older days are deleted by {@link StatsStore.prune}. */
export const RETENTION_DAYS = 400;

/** One thing to count. */
export interface StatEvent {
  kind: StatKind;
  /** Item id for `view`, '' for `search`, the query for `zero` (normalised here). */
  key: string;
}

/** The id of a counter: sorts by day first, so a day range is a key range. */
export function statId(day: string, kind: StatKind, key: string): string {
  return `${day}|${kind}|${key}`;
}

/** The labels {@link maskQuery} puts in place of a number, kept whole through normalising. */
const LABELS = new RegExp(
  `(${[...new Set([...Object.values(PII_QUERY_LABELS), LONG_NUMBER_LABEL])]
    .map((l) => l.replace(/[[\]]/g, '\\$&'))
    .join('|')})`,
);

/**
 * Normalises a zero-result query for counting: personal numbers masked
 * first (src/content/pii.ts: an ID, mobile or card becomes `[身份证号]`,
 * `[手机号]`, `[银行卡号]`, `[证件号]`, any other run of 11+ digits
 * `[号码]`), then NFKC, lower case, whitespace collapsed, cut to
 * {@link MAX_QUERY_CHARS}. The caller may pass a stronger normaliser (the
 * search module's, which also maps Traditional → Simplified so 婚姻 and 婚姻
 * count together); it runs between the labels, and its output is masked
 * again (it may turn `139/1234/5678` into a grouped number).
 */
export function normaliseQuery(query: string, normalise?: (q: string) => string): string {
  const parts = maskQuery(query).split(LABELS);
  const text = parts
    .map((part, i) => {
      if (i % 2 === 1) return ` ${part} `;
      const base = part.toLowerCase();
      return maskQuery(normalise ? normalise(base) : base);
    })
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
  const cut = [...text].slice(0, MAX_QUERY_CHARS).join('');
  // A label cut in half would read as something the visitor typed.
  return cut.length < text.length ? cut.replace(/\[[^\]]*$/, '').trimEnd() : cut;
}

/**
 * A stored query as it may be shown or sent: masked again, so counts written
 * before the gate existed (raw queries, up to {@link RETENTION_DAYS} old)
 * never reach the admin panel, a CSV or a fleet report with a number in them.
 */
function shownQuery(key: string): string {
  return key === OTHER_QUERY ? key : maskQuery(key);
}

/** Totals and rankings over a range of days. */
export interface StatsSummary {
  fromDay: string;
  toDay: string;
  /** Per day, oldest first. */
  days: { day: string; views: number; searches: number; zeroResults: number }[];
  /** Item id → views, most viewed first. */
  views: { id: string; count: number }[];
  /** Zero-result queries, most frequent first. */
  zeroQueries: { query: string; count: number }[];
  totals: { views: number; searches: number; zeroResults: number };
}

/** Sums raw counters into a {@link StatsSummary}. Pure. */
export function summarise(records: readonly StatRecord[], fromDay: string, toDay: string) {
  const days = new Map<
    string,
    { day: string; views: number; searches: number; zeroResults: number }
  >();
  const views = new Map<string, number>();
  const zero = new Map<string, number>();
  const totals = { views: 0, searches: 0, zeroResults: 0 };
  for (const r of records) {
    if (r.day < fromDay || r.day > toDay) continue;
    let d = days.get(r.day);
    if (!d) days.set(r.day, (d = { day: r.day, views: 0, searches: 0, zeroResults: 0 }));
    if (r.kind === 'view') {
      d.views += r.count;
      totals.views += r.count;
      views.set(r.key, (views.get(r.key) ?? 0) + r.count);
    } else if (r.kind === 'search') {
      d.searches += r.count;
      totals.searches += r.count;
    } else {
      d.zeroResults += r.count;
      totals.zeroResults += r.count;
      const query = shownQuery(r.key);
      zero.set(query, (zero.get(query) ?? 0) + r.count);
    }
  }
  const ranked = (m: Map<string, number>) =>
    [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const summary: StatsSummary = {
    fromDay,
    toDay,
    days: [...days.values()].sort((a, b) => a.day.localeCompare(b.day)),
    views: ranked(views).map(([id, count]) => ({ id, count })),
    zeroQueries: ranked(zero).map(([query, count]) => ({ query, count })),
    totals,
  };
  return summary;
}

/** Quotes a CSV field and defuses spreadsheet formulas (=, +, -, @ at the start). */
function csvField(value: string | number): string {
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The raw daily counters as CSV (RFC 4180, CRLF, UTF-8 BOM for spreadsheet
 * software): `day,kind,key,title,count`, one counter a line, oldest day first.
 * `title` names the item of a view when `titleOf` knows it.
 */
export function statsToCsv(
  records: readonly StatRecord[],
  titleOf: (id: string) => string = () => '',
): string {
  // Older raw queries that mask to the same text become one counter.
  const merged = new Map<string, StatRecord>();
  for (const r of records) {
    const key = r.kind === 'zero' ? shownQuery(r.key) : r.key;
    const id = statId(r.day, r.kind, key);
    const prev = merged.get(id);
    merged.set(id, { ...r, id, key, count: (prev?.count ?? 0) + r.count });
  }
  const sorted = [...merged.values()].sort((a, b) => a.id.localeCompare(b.id));
  const rows = sorted.map((r) =>
    [r.day, r.kind, r.key, r.kind === 'view' ? titleOf(r.key) : '', r.count]
      .map(csvField)
      .join(','),
  );
  return `\uFEFF${['day,kind,key,title,count', ...rows].join('\r\n')}\r\n`;
}

/** The date `days` before `day` (YYYY-MM-DD, calendar arithmetic in UTC). */
export function dayMinus(day: string, days: number): string {
  const t = Date.parse(`${day}T00:00:00Z`) - days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * The counters. Uses its own connection to the kiosk database (opened at the
 * version `openStore` already upgraded to, never upgrading it itself) and
 * steps aside for a newer version or a deletion, reopening on the next use.
 */
export class StatsStore {
  private _db: IDBPDatabase<GongkaiDB> | null = null;
  private _opening: Promise<IDBPDatabase<GongkaiDB> | null> | null = null;
  private _closed = false;

  constructor(readonly name = DB_NAME) {}

  /** Adds one to each counter of `events` on `day`, in one transaction. */
  async add(day: string, events: readonly StatEvent[], normalise?: (q: string) => string) {
    if (events.length === 0) return;
    try {
      const db = await this._connection();
      if (!db) return;
      const tx = db.transaction('stats', 'readwrite');
      const store = tx.store;
      const zeroPrefix = statId(day, 'zero', '');
      let zeroKeys = await store.count(IDBKeyRange.bound(zeroPrefix, `${zeroPrefix}\uffff`));
      for (const e of events) {
        let key =
          e.kind === 'zero' ? normaliseQuery(e.key, normalise) : e.kind === 'search' ? '' : e.key;
        if (e.kind === 'zero' && !key) continue;
        let id = statId(day, e.kind, key);
        let row = await store.get(id);
        if (!row && e.kind === 'zero') {
          // A cap on distinct queries keeps a day's counters small whatever is typed.
          if (zeroKeys >= MAX_ZERO_QUERIES_PER_DAY) {
            key = OTHER_QUERY;
            id = statId(day, 'zero', key);
            row = await store.get(id);
          } else zeroKeys++;
        }
        await store.put({ id, day, kind: e.kind, key, count: (row?.count ?? 0) + 1 });
      }
      await tx.done;
    } catch (err) {
      console.warn('[gongkai] anonymous counts not written:', err);
    }
  }

  /** Every counter from `fromDay` to `toDay` inclusive. */
  async read(fromDay: string, toDay: string): Promise<StatRecord[]> {
    const db = await this._connection();
    if (!db) return [];
    return db.getAll('stats', IDBKeyRange.bound(`${fromDay}|`, `${toDay}|\uffff`));
  }

  /** Deletes the counters of days before `day`; returns how many went. */
  async prune(day: string): Promise<number> {
    const db = await this._connection();
    if (!db) return 0;
    const range = IDBKeyRange.upperBound(`${day}|`, true);
    const tx = db.transaction('stats', 'readwrite');
    const n = await tx.store.count(range);
    await tx.store.delete(range);
    await tx.done;
    return n;
  }

  /** Deletes every counter (admin action "清空统计"). */
  async clear(): Promise<void> {
    const db = await this._connection();
    if (db) await db.clear('stats');
  }

  close(): void {
    this._closed = true;
    this._db?.close();
    this._db = null;
  }

  private _connection(): Promise<IDBPDatabase<GongkaiDB> | null> {
    if (this._closed) return Promise.resolve(null);
    if (this._db) return Promise.resolve(this._db);
    this._opening ??= this._open().finally(() => {
      this._opening = null;
    });
    return this._opening;
  }

  private async _open(): Promise<IDBPDatabase<GongkaiDB> | null> {
    const holder: { db?: IDBPDatabase<GongkaiDB> } = {};
    let db: IDBPDatabase<GongkaiDB>;
    try {
      // No version: open whatever openStore() created; this connection never upgrades.
      db = (await openDB(this.name, undefined, {
        // The database does not exist (deleted after corruption): do not create an empty one.
        upgrade: (_db, _old, _new, tx) => {
          tx.done.catch(() => undefined);
          tx.abort();
        },
        blocking: () => {
          holder.db?.close();
          if (this._db === holder.db) this._db = null;
        },
        terminated: () => {
          if (this._db === holder.db) this._db = null;
        },
      })) as unknown as IDBPDatabase<GongkaiDB>;
    } catch {
      return null;
    }
    holder.db = db;
    if (!db.objectStoreNames.contains('stats')) {
      db.close();
      return null;
    }
    this._db = db;
    return db;
  }
}
