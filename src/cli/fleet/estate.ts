/**
 * The receiver's in-memory estate: the latest state of every kiosk, read from
 * the status directory. The directory is the only state (one `<kioskId>.json`
 * per kiosk, written atomically by whichever receiver took the report), so
 * several receivers sharing it behind a load balancer expose the same estate,
 * and a restarted receiver rebuilds it on start. Each receiver also appends a
 * compact JSON line per report to `log/reports-<UTC day>.<replica>.jsonl` for
 * a log shipper (one file per replica: concurrent appends never interleave).
 */
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { SAFE_LABEL, kioskState, type InventoryEntry, type KioskState } from './kiosk-state.ts';

/** Reads an inventory file: `{"<kioskId>": {"site": "…", "role": "…"}}`; throws naming the file and entry. */
export function readInventory(file: string): Map<string, InventoryEntry> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error(`${file}: expected an object {"<kioskId>": {"site", "role"}}`);
  const map = new Map<string, InventoryEntry>();
  for (const [id, v] of Object.entries(parsed)) {
    const e = v as InventoryEntry | null;
    if (typeof e !== 'object' || e === null)
      throw new Error(`${file}: kiosk "${id}": expected {"site", "role"}`);
    for (const field of ['site', 'role'] as const) {
      const value = e[field];
      if (value !== undefined && (typeof value !== 'string' || !SAFE_LABEL.test(value)))
        throw new Error(`${file}: kiosk "${id}": field ${field}: not [A-Za-z0-9._-]{1,64}`);
    }
    map.set(id, { site: e.site, role: e.role });
  }
  return map;
}

/** Options of an {@link Estate}. */
export interface EstateOptions {
  inventory?: Map<string, InventoryEntry>;
  /** Name in the log file names (default: the process id). */
  replica?: string;
  /** Least time between two rescans of the directory (default 5 s). */
  rescanMs?: number;
  now?: () => number;
  /** Told about files that are not reports (skipped). */
  warn?: (message: string) => void;
}

/** Latest state per kiosk, kept in step with the status directory. */
export class Estate {
  private readonly kiosks = new Map<string, { mtimeMs: number; state: KioskState }>();
  private lastScan = -Infinity;
  private readonly warned = new Set<string>();
  private readonly now: () => number;

  constructor(
    readonly dir: string,
    private readonly options: EstateOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    mkdirSync(dir, { recursive: true });
    this.rescan(true);
  }

  /** All kiosks, by id. */
  states(): KioskState[] {
    return [...this.kiosks.values()]
      .map((k) => k.state)
      .sort((a, b) => a.kioskId.localeCompare(b.kioskId));
  }

  /**
   * Picks up reports other receivers wrote (and files removed) since the
   * last scan, at most once per `rescanMs` unless forced.
   */
  rescan(force = false): void {
    const now = this.now();
    if (!force && now - this.lastScan < (this.options.rescanMs ?? 5000)) return;
    this.lastScan = now;
    const seen = new Set<string>();
    for (const name of readdirSync(this.dir)) {
      if (!name.endsWith('.json')) continue;
      const id = name.slice(0, -5);
      if (!SAFE_LABEL.test(id)) continue;
      seen.add(id);
      let mtimeMs: number;
      try {
        mtimeMs = statSync(join(this.dir, name)).mtimeMs;
      } catch {
        continue; // replaced between readdir and stat: the next scan reads it
      }
      if (this.kiosks.get(id)?.mtimeMs === mtimeMs) continue;
      this.load(id, mtimeMs);
    }
    for (const id of this.kiosks.keys()) if (!seen.has(id)) this.kiosks.delete(id);
  }

  /** Takes a report this receiver just stored; appends its log line. */
  accept(kioskId: string, stored: unknown): KioskState | null {
    const state = this.update(kioskId, stored, this.mtime(kioskId));
    if (state) this.log(state);
    return state;
  }

  private mtime(kioskId: string): number {
    try {
      return statSync(join(this.dir, `${kioskId}.json`)).mtimeMs;
    } catch {
      return -1;
    }
  }

  private load(kioskId: string, mtimeMs: number): void {
    const file = join(this.dir, `${kioskId}.json`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      parsed = null;
    }
    if (!this.update(kioskId, parsed, mtimeMs) && !this.warned.has(file)) {
      this.warned.add(file);
      this.options.warn?.(`gongkai fleet: skipping ${file}: not a kiosk status report`);
    }
  }

  private update(kioskId: string, stored: unknown, mtimeMs: number): KioskState | null {
    const state = kioskState(stored, this.options.inventory?.get(kioskId));
    if (!state || state.kioskId !== kioskId) return null;
    this.kiosks.set(kioskId, { mtimeMs, state });
    return state;
  }

  private log(state: KioskState): void {
    const logDir = join(this.dir, 'log');
    if (!existsSync(logDir)) mkdirSync(logDir, { recursive: true });
    const day = new Date(state.receivedAt).toISOString().slice(0, 10);
    const replica = this.options.replica ?? String(process.pid);
    const line = { ...state, receivedAt: new Date(state.receivedAt).toISOString() };
    appendFileSync(join(logDir, `reports-${day}.${replica}.jsonl`), JSON.stringify(line) + '\n');
  }
}
