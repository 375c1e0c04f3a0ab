/**
 * One mirror run, for any source: list → decide what is new, changed or
 * withdrawn → fetch (resuming from the staging folder) → the content check's
 * validation and PII gate → commit. Nothing in the content folder changes
 * until the crawl is known to be good: a {@link CrawlError} (error page,
 * truncated JSON, a shrunken listing, too many failed details) stops the run
 * before the first write. The commit writes each file atomically and the state
 * last, so an interrupted run leaves complete files and is simply redone.
 */
import { mkdir, open, readdir, readFile, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { validateContent, type RawSource } from '../../content/validate.ts';
import { loadCalendar, nodeSanitizer } from '../content-dir.ts';
import { exists, mapLimit, progress } from '../util.ts';
import type { MirrorConfig } from './config.ts';
import { FetchFailure, PoliteClient, userAgent } from './http.ts';
import {
  heldDir,
  loadState,
  mirrorDir,
  removeFile,
  saveState,
  stagingDir,
  writeAtomic,
  type MirrorState,
  type SeenItem,
} from './state.ts';
import { CrawlError, type FetchedItem, type ListEntry, type MirrorSource } from './types.ts';

/** Options of one run. */
export interface RunOptions {
  dir: string;
  cfg: MirrorConfig;
  /** Today for the content rules, `YYYY-MM-DD`. */
  today: string;
  /** Only items published on or after this date are fetched. */
  since?: string;
  quiet?: boolean;
}

/** An item in the report. */
export interface ReportItem {
  id: string;
  title: string;
  url: string;
}

/** What a run did; also written to `_mirror/report.json`. */
export interface RunReport {
  ok: boolean;
  kind: MirrorState['kind'];
  site: string;
  /** Why the run refused to publish, when `ok` is false. */
  error?: string;
  listed: number;
  unchanged: number;
  new: ReportItem[];
  changed: ReportItem[];
  removed: ReportItem[];
  /** Details that could not be fetched: the old version stays, retried next run. */
  failed: (ReportItem & { reason: string })[];
  /** Fetched but failing the content check: not published, listed for review. */
  held: (ReportItem & { problems: string[] })[];
  /** Sanitiser removals and other notes on published items, for the review. */
  notes: { id: string; notes: string[] }[];
  warnings: string[];
  requests: number;
  bytes: number;
  resumed: number;
  seconds: number;
}

interface Staged extends Omit<FetchedItem, 'attachments'> {
  fingerprint: string;
  attachments: { name: string; mime: string; ext: string; sha256: string }[];
}

/** Details fetched by a run, one JSON line each: appended, so a crash loses at most the last line. */
const journalPath = (dir: string): string => join(stagingDir(dir), 'details.jsonl');
const blobPath = (dir: string, sha: string): string => join(stagingDir(dir), 'blobs', sha);

/**
 * The staging journal of an unfinished run: id → staged detail (the last line
 * of an id wins). A torn last line (a crash mid-write) is skipped.
 */
async function readJournal(dir: string): Promise<Map<string, Staged & { id: string }>> {
  const out = new Map<string, Staged & { id: string }>();
  let text: string;
  try {
    text = await readFile(journalPath(dir), 'utf8');
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const s = JSON.parse(line) as Staged & { id: string };
      if (typeof s.id === 'string' && typeof s.fingerprint === 'string') out.set(s.id, s);
    } catch {
      // A torn line: that item is fetched again.
    }
  }
  return out;
}

/** Opens the journal for appending, ending a torn last line first. */
async function openJournal(dir: string): Promise<FileHandle> {
  await mkdir(stagingDir(dir), { recursive: true });
  const h = await open(journalPath(dir), 'a+');
  const { size } = await h.stat();
  if (size > 0) {
    const last = Buffer.alloc(1);
    await h.read(last, 0, 1, size - 1);
    if (last[0] !== 0x0a) await h.write('\n');
  }
  return h;
}

/** Runs the mirror; throws only on usage or I/O errors, a bad crawl is a report with ok false. */
export async function runMirror(source: MirrorSource, opts: RunOptions): Promise<RunReport> {
  const started = performance.now();
  const { dir, cfg } = opts;
  const previous = await loadState(dir);
  if (previous && (previous.kind !== source.kind || previous.site !== source.site))
    throw new CrawlError(
      `${dir} mirrors ${previous.kind} ${previous.site}, not ${source.kind} ${source.site}: one content folder per mirrored site`,
    );
  const client = new PoliteClient({
    delayMs: cfg.delayMs,
    concurrency: cfg.concurrency,
    timeoutMs: cfg.timeoutMs,
    userAgent: userAgent(cfg.contact),
  });
  const ctx = { client, cfg, previous };
  const report: RunReport = {
    ok: false,
    kind: source.kind,
    site: source.site,
    listed: 0,
    unchanged: 0,
    new: [],
    changed: [],
    removed: [],
    failed: [],
    held: [],
    notes: [],
    warnings: [],
    requests: 0,
    bytes: 0,
    resumed: 0,
    seconds: 0,
  };
  const finish = async (): Promise<RunReport> => {
    report.requests = client.requests;
    report.bytes = client.bytes;
    report.seconds = Math.round(performance.now() - started) / 1000;
    await writeAtomic(join(mirrorDir(dir), 'report.json'), `${JSON.stringify(report, null, 1)}\n`);
    return report;
  };
  try {
    await commitRun(source, opts, ctx, report, previous);
    report.ok = true;
  } catch (e) {
    if (!(e instanceof CrawlError)) throw e;
    report.error = e.message;
  }
  return finish();
}

async function commitRun(
  source: MirrorSource,
  opts: RunOptions,
  ctx: { client: PoliteClient; cfg: MirrorConfig; previous: MirrorState | null },
  report: RunReport,
  previous: MirrorState | null,
): Promise<void> {
  const { dir, cfg } = opts;
  let listing;
  try {
    listing = await source.list(ctx);
  } catch (e) {
    // A portal that is down or too slow while listing: nothing to trust.
    if (e instanceof FetchFailure) throw new CrawlError(e.message, { cause: e });
    throw e;
  }
  report.warnings.push(...listing.warnings);
  report.listed = listing.entries.length;
  const prevItems = previous?.items ?? {};
  // With a category selection, items of other categories are neither checked nor withdrawn.
  const inScope = (seen: SeenItem): boolean =>
    listing.complete || (seen.category !== undefined && seen.category in listing.categories);
  const prevCount = Object.values(prevItems).filter(inScope).length;
  if (prevCount >= 10 && listing.entries.length < prevCount * cfg.minListedShare)
    throw new CrawlError(
      `the site lists ${listing.entries.length} items, last run ${prevCount}: below ${Math.round(cfg.minListedShare * 100)} %, a broken listing rather than withdrawals`,
    );
  if (listing.complete && cfg.minListedShare > 0) {
    // A category that vanished from the tree is a broken tree as often as a real reorganisation.
    for (const [id, c] of Object.entries(previous?.categories ?? {}))
      if (c.count > 0 && !(id in listing.categories))
        throw new CrawlError(
          `category ${id} ${c.name} (${c.count} items last run) is gone from the catalogue; if the portal really dropped it, run once with --min-listed-share 0`,
        );
  }
  const listedIds = new Set(listing.entries.map((e) => e.id));
  const wanted = listing.entries.filter(
    (e) => !opts.since || !e.publishDate || e.publishDate >= opts.since,
  );
  const todo: ListEntry[] = [];
  for (const e of wanted) {
    const seen = prevItems[e.id];
    if (seen && seen.fingerprint === e.fingerprint && (await exists(join(dir, seen.file))))
      report.unchanged++;
    else todo.push(e);
  }

  // Fetch (or take from a previous interrupted run's staging), nothing published yet.
  const bar = progress('mirror', opts.quiet);
  let done = 0;
  const fetched = new Map<string, Staged>();
  const journal = await readJournal(dir);
  const out = await openJournal(dir);
  try {
    await mapLimit(todo, cfg.concurrency, async (e) => {
      let staged: Staged | null = null;
      const j = journal.get(e.id);
      if (j && j.fingerprint === e.fingerprint) {
        let complete = true;
        for (const a of j.attachments)
          if (!(await exists(blobPath(dir, a.sha256)))) complete = false;
        if (complete) {
          staged = j;
          report.resumed++;
        }
      }
      if (!staged) {
        try {
          const f = await source.fetch(e, ctx);
          for (const a of f.attachments) await writeAtomic(blobPath(dir, a.sha256), a.bytes);
          staged = {
            fingerprint: e.fingerprint,
            item: f.item,
            notes: f.notes,
            attachments: f.attachments.map(({ name, mime, ext, sha256 }) => ({
              name,
              mime,
              ext,
              sha256,
            })),
          };
          await out.write(`${JSON.stringify({ id: e.id, ...staged })}\n`);
        } catch (err) {
          report.failed.push({
            id: e.id,
            title: e.title,
            url: e.url,
            reason: err instanceof Error ? err.message : String(err),
          });
        }
      }
      if (staged) fetched.set(e.id, staged);
      bar.tick(++done, todo.length);
    });
  } finally {
    await out.close();
  }
  bar.end();
  const limit = Math.max(3, Math.floor(todo.length * cfg.maxFailedShare));
  if (report.failed.length > limit)
    throw new CrawlError(
      `${report.failed.length} of ${todo.length} details failed (limit ${limit}); first: ${report.failed[0].url}: ${report.failed[0].reason}`,
    );

  // The content check's rules, before anything is published.
  const folder = source.kind;
  const sources: RawSource[] = todo
    .filter((e) => fetched.has(e.id))
    .map((e) => ({ file: join(dir, folder, `${e.id}.json`), data: fetched.get(e.id)?.item }));
  const check = validateContent(sources, {
    today: opts.today,
    calendar: loadCalendar(),
    sanitize: await nodeSanitizer(),
  });
  const problemsOf = new Map<string, string[]>();
  for (const n of check.items)
    if (n.errors.length > 0)
      problemsOf.set(
        n.item.id,
        n.errors.map((p) => `${p.field || '(item)'}: ${p.reason}`),
      );
  for (const p of check.errors) {
    const id = p.itemId ?? '';
    if (id && !problemsOf.has(id)) problemsOf.set(id, [`${p.field || '(item)'}: ${p.reason}`]);
  }

  // Commit: attachments, then items, then removals; the state last.
  await sweepTempFiles(dir, [folder, 'attachments']);
  const state: MirrorState = {
    format: 1,
    kind: source.kind,
    site: source.site,
    updatedAt: new Date().toISOString(),
    categories: listing.complete
      ? listing.categories
      : { ...(previous?.categories ?? {}), ...listing.categories },
    items: {},
  };
  for (const [id, seen] of Object.entries(prevItems))
    if (listedIds.has(id) || !inScope(seen)) state.items[id] = seen;
  const dropped: string[] = [];
  for (const e of todo) {
    const s = fetched.get(e.id);
    if (!s) continue;
    const ref = { id: e.id, title: e.title, url: e.url };
    const problems = problemsOf.get(e.id);
    if (problems) {
      report.held.push({ ...ref, problems });
      await writeAtomic(
        join(heldDir(dir), `${e.id}.json`),
        `${JSON.stringify({ url: e.url, problems, notes: s.notes, item: s.item }, null, 1)}\n`,
      );
      continue;
    }
    const files: string[] = [];
    for (const a of s.attachments) {
      const rel = `attachments/${a.sha256}.${a.ext}`;
      if (!(await exists(join(dir, rel))))
        await writeAtomic(join(dir, rel), await readFile(blobPath(dir, a.sha256)));
      files.push(rel);
    }
    const rel = `${folder}/${e.id}.json`;
    await writeAtomic(join(dir, rel), `${JSON.stringify(s.item, null, 1)}\n`);
    await removeFile(join(heldDir(dir), `${e.id}.json`));
    const old = prevItems[e.id];
    (old ? report.changed : report.new).push(ref);
    if (old) dropped.push(...old.attachments);
    if (s.notes.length > 0) report.notes.push({ id: e.id, notes: s.notes });
    const seen: SeenItem = {
      portalId: e.portalId,
      fingerprint: e.fingerprint,
      file: rel,
      url: e.url,
      title: e.title,
      ...(e.category ? { category: e.category } : {}),
      attachments: files,
    };
    state.items[e.id] = seen;
  }
  for (const [id, seen] of Object.entries(prevItems)) {
    if (listedIds.has(id) || !inScope(seen)) continue;
    await removeFile(join(dir, seen.file));
    await removeFile(join(heldDir(dir), `${id}.json`));
    dropped.push(...seen.attachments);
    report.removed.push({ id, title: seen.title, url: seen.url });
  }
  const inUse = new Set(Object.values(state.items).flatMap((s) => s.attachments));
  for (const rel of new Set(dropped)) if (!inUse.has(rel)) await removeFile(join(dir, rel));
  await saveState(dir, state);
  // Staged details are only dropped once the state records them.
  await rm(stagingDir(dir), { recursive: true, force: true });
  await pruneHeld(dir, listedIds, listing.complete);
}

/** Held files of items the portal no longer lists. */
async function pruneHeld(dir: string, listed: Set<string>, complete: boolean): Promise<void> {
  if (!complete) return;
  let names: string[];
  try {
    names = await readdir(heldDir(dir));
  } catch {
    return;
  }
  for (const n of names)
    if (n.endsWith('.json') && !listed.has(n.slice(0, -5))) await removeFile(join(heldDir(dir), n));
}

/** Temp files a killed run left (dot-named, so never read as content): removed before writing. */
async function sweepTempFiles(dir: string, folders: string[]): Promise<void> {
  for (const f of folders) {
    let names: string[];
    try {
      names = await readdir(join(dir, f));
    } catch {
      continue;
    }
    for (const n of names) if (/^\..*\.tmp-\d+-\d+$/.test(n)) await removeFile(join(dir, f, n));
  }
}
