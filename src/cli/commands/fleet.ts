// `gongkai fleet serve --dir <status-dir>` receives the status reports kiosks
// POST to `sync.statusUrl` (one JSON file per kiosk, written atomically) and
// exposes the estate as Prometheus metrics on `GET /metrics` (see
// src/cli/fleet/ and docs/fleet/); `gongkai fleet report <status-dir>` prints
// which kiosks run which version and engine, their last error, and which have
// gone silent. The proof-of-display entries in the reports are appended, each
// once, to `<kioskId>.proof.jsonl`.
import { createServer, type Server } from 'node:http';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { browserEngine } from '../fleet/browser.ts';
import { Estate, readInventory } from '../fleet/estate.ts';
import { engineText, type InventoryEntry } from '../fleet/kiosk-state.ts';
import { FleetMetrics } from '../fleet/metrics.ts';

const MAX_BODY = 1_000_000;
const SAFE_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** What a stored report file holds: the kiosk's POST body plus the time it arrived. */
export interface StoredFleetReport {
  kioskId: string;
  name?: string;
  location?: string;
  receivedAt: string;
  userAgent?: unknown;
  engine?: unknown;
  extras?: { userAgent?: unknown; engine?: unknown; proof?: unknown };
  status?: {
    activeVersion?: number | null;
    lastSuccess?: string | null;
    lastError?: { message?: string } | null;
    stale?: boolean;
    persisted?: boolean | null;
  };
}

/** One proof-of-display line as a kiosk reports it (src/display/proof.ts `ProofEntry`). */
interface ProofLine {
  shownAt: number;
  screenId?: unknown;
  id?: unknown;
  page?: unknown;
}

const proofKey = (e: ProofLine) =>
  `${e.shownAt}|${String(e.screenId)}|${String(e.id)}|${String(e.page)}`;

/**
 * Keeps each kiosk's proof-of-display history. Every report carries the
 * kiosk's newest entries (a lost POST loses nothing), so reports overlap:
 * only entries newer than the last one kept are appended.
 */
export class ProofArchive {
  /** Per kiosk: the newest shownAt kept and the keys of the entries kept at that instant. */
  private readonly last = new Map<string, { at: number; keys: Set<string> }>();

  constructor(private readonly dir: string) {}

  file(kioskId: string): string {
    return join(this.dir, `${kioskId}.proof.jsonl`);
  }

  /** Appends the entries of `proof` not kept yet; returns how many. */
  add(kioskId: string, proof: unknown): number {
    if (!Array.isArray(proof)) return 0;
    const mark = this.last.get(kioskId) ?? this.load(kioskId);
    const fresh = proof
      .filter(
        (e): e is ProofLine =>
          typeof e === 'object' &&
          e !== null &&
          typeof (e as ProofLine).shownAt === 'number' &&
          Number.isFinite((e as ProofLine).shownAt),
      )
      .filter((e) => e.shownAt > mark.at || (e.shownAt === mark.at && !mark.keys.has(proofKey(e))))
      .sort((a, b) => a.shownAt - b.shownAt);
    if (!fresh.length) return 0;
    appendFileSync(this.file(kioskId), fresh.map((e) => JSON.stringify(e) + '\n').join(''));
    for (const e of fresh) {
      if (e.shownAt > mark.at) {
        mark.at = e.shownAt;
        mark.keys = new Set();
      }
      mark.keys.add(proofKey(e));
    }
    this.last.set(kioskId, mark);
    return fresh.length;
  }

  /** The mark from the kiosk's file, after a restart of the receiver. */
  private load(kioskId: string): { at: number; keys: Set<string> } {
    const mark = { at: -Infinity, keys: new Set<string>() };
    const file = this.file(kioskId);
    if (!existsSync(file)) return mark;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const e = JSON.parse(line) as ProofLine;
        if (typeof e.shownAt !== 'number') continue;
        if (e.shownAt > mark.at) {
          mark.at = e.shownAt;
          mark.keys = new Set();
        }
        if (e.shownAt === mark.at) mark.keys.add(proofKey(e));
      } catch {
        // A line cut by a crash of the receiver: the entries after it still count.
      }
    }
    return mark;
  }
}

/** Options of {@link startFleetServer}. */
export interface FleetServerOptions {
  /** Kiosk id → site and role, for the metrics' labels. */
  inventory?: Map<string, InventoryEntry>;
  /** Name of this receiver in its log file names (default: host name and pid). */
  replica?: string;
  /** Least time between rescans of the directory for reports other receivers wrote. */
  rescanMs?: number;
  /** The clock for `receivedAt` and the metrics (tests inject one). */
  now?: () => number;
}

/**
 * Starts the receiver; resolves with the server and its URL once listening.
 * `POST /` (any path but /metrics) takes a report, `GET /metrics` answers
 * Prometheus, `GET /healthz` a load balancer.
 */
export async function startFleetServer(
  dir: string,
  port = 8787,
  host = '127.0.0.1',
  options: FleetServerOptions = {},
): Promise<{ server: Server; url: string; estate: Estate }> {
  mkdirSync(dir, { recursive: true });
  const now = options.now ?? Date.now;
  const archive = new ProofArchive(dir);
  const estate = new Estate(dir, {
    inventory: options.inventory,
    replica: options.replica ?? `${hostname()}-${process.pid}`.replace(/[^A-Za-z0-9._-]/g, '_'),
    rescanMs: options.rescanMs,
    now,
    warn: (m) => console.error(m),
  });
  const metrics = new FleetMetrics(estate, now);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/metrics') {
      metrics.metrics().then(
        (text) => res.writeHead(200, { 'Content-Type': metrics.contentType }).end(text),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
      return;
    }
    if (req.method === 'GET' && path === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok\n');
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { Allow: 'POST, GET' }).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        metrics.rejected.inc({ reason: 'too-large' });
        res.writeHead(413).end();
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (res.writableEnded) return;
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        metrics.rejected.inc({ reason: 'not-json' });
        res.writeHead(400).end('not JSON');
        return;
      }
      const id = body?.kioskId;
      if (typeof id !== 'string' || !SAFE_ID.test(id)) {
        metrics.rejected.inc({ reason: 'kiosk-id' });
        res.writeHead(400).end('kioskId missing or not [A-Za-z0-9._-]{1,64}');
        return;
      }
      const file = join(dir, `${id}.json`);
      const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
      // Kiosks send the proof log inside `extras` (src/sync/fleet.ts); older senders at the top.
      const extras = body.extras as { proof?: unknown } | null | undefined;
      const proof = body.proof ?? extras?.proof;
      // The proof entries go to their own file: the state file stays small (it is rewritten on every report).
      const stored = {
        ...body,
        proof: undefined,
        ...(extras && typeof extras === 'object'
          ? { extras: { ...extras, proof: undefined } }
          : {}),
        receivedAt: new Date(now()).toISOString(),
      };
      // Write then rename: a reader (another receiver, `fleet report`) never sees half a report.
      writeFileSync(tmp, JSON.stringify(stored));
      renameSync(tmp, file);
      estate.accept(id, stored);
      archive.add(id, proof);
      metrics.received.inc();
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const { port: bound } = server.address() as AddressInfo;
  return { server, url: `http://${host}:${bound}/`, estate };
}

/** The report table as text lines (newest version first), for `fleet report`. */
export function fleetReport(
  dir: string,
  now: number,
  silentMinutes = 120,
  /** Told about each .json file that is not a kiosk report (it is skipped). */
  warn: (message: string) => void = (m) => console.error(m),
): string[] {
  const rows: StoredFleetReport[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    } catch {
      rows.push({ kioskId: f.replace(/\.json$/, ''), receivedAt: '', status: undefined });
      continue;
    }
    // The status dir may hold other JSON (a config, a copied export): only files
    // the receiver wrote, <kioskId>.json with that kioskId and a receivedAt, are reports.
    const r = parsed as Partial<StoredFleetReport> | null;
    if (
      typeof r !== 'object' ||
      r === null ||
      Array.isArray(r) ||
      typeof r.kioskId !== 'string' ||
      `${r.kioskId}.json` !== f ||
      typeof r.receivedAt !== 'string'
    ) {
      warn(`gongkai fleet report: skipping ${join(dir, f)}: not a kiosk status report`);
      continue;
    }
    const status = typeof r.status === 'object' && r.status !== null ? r.status : undefined;
    rows.push({ ...r, kioskId: r.kioskId, receivedAt: r.receivedAt, status });
  }
  rows.sort(
    (a, b) =>
      (b.status?.activeVersion ?? -1) - (a.status?.activeVersion ?? -1) ||
      a.kioskId.localeCompare(b.kioskId),
  );
  const lines = ['kiosk\tlocation\tversion\tengine\tlast report\tstate\tlast error'];
  for (const r of rows) {
    const at = Date.parse(r.receivedAt);
    const silent = Number.isNaN(at) || now - at > silentMinutes * 60_000;
    const state = silent ? 'SILENT' : r.status?.stale ? 'stale content' : 'ok';
    lines.push(
      [
        r.kioskId,
        r.location ?? '',
        r.status?.activeVersion ?? 'none',
        engineText(browserEngine(r.engine ?? r.extras?.engine, r.userAgent ?? r.extras?.userAgent)),
        r.receivedAt || 'unreadable report',
        state,
        r.status?.lastError?.message ?? '',
      ].join('\t'),
    );
  }
  return lines;
}

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

/**
 * Entry point: `fleet serve --dir <dir> [--port N] [--host H] [--inventory kiosks.json]
 * [--replica NAME] [--rescan-seconds S]` or `fleet report <dir> [--silent-minutes N]`.
 * Exit codes: 0 done, 1 the directory could not be read, 2 bad usage or inventory.
 */
export async function fleetCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'serve') {
    const dir = option(rest, '--dir');
    if (!dir) {
      console.error('gongkai fleet serve: --dir <status-dir> is required');
      return 2;
    }
    const inventoryFile = option(rest, '--inventory');
    let inventory: Map<string, InventoryEntry> | undefined;
    try {
      inventory = inventoryFile ? readInventory(inventoryFile) : undefined;
    } catch (err) {
      console.error(`gongkai fleet serve: ${err instanceof Error ? err.message : String(err)}`);
      return 2;
    }
    const rescan = option(rest, '--rescan-seconds');
    const { server, url, estate } = await startFleetServer(
      dir,
      Number(option(rest, '--port') ?? 8787),
      option(rest, '--host') ?? '127.0.0.1',
      {
        inventory,
        replica: option(rest, '--replica'),
        rescanMs: rescan === undefined ? undefined : Number(rescan) * 1000,
      },
    );
    console.log(
      `gongkai fleet: receiving kiosk status at ${url} into ${dir} (${estate.states().length} kiosks on record); Prometheus metrics at ${url}metrics`,
    );
    await new Promise<void>((resolve) => {
      const stop = () => server.close(() => resolve());
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  }
  if (sub === 'report') {
    const dir = rest.find((a) => !a.startsWith('--'));
    if (!dir) {
      console.error('gongkai fleet report: <status-dir> is required');
      return 2;
    }
    const silent = Number(option(rest, '--silent-minutes') ?? 120);
    try {
      for (const line of fleetReport(dir, Date.now(), silent)) console.log(line);
    } catch (err) {
      console.error(`gongkai fleet report: ${dir}: ${err instanceof Error ? err.message : err}`);
      return 1;
    }
    return 0;
  }
  console.error(
    'usage: gongkai fleet serve --dir <status-dir> | gongkai fleet report <status-dir>',
  );
  return 2;
}
