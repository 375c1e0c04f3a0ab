/**
 * `gongkai mirror gkmlpt|site|review`: the portal's disclosure catalogue into
 * a content folder, incrementally, never from a bad crawl (docs/import.md
 * "Mirror your portal"). Exit codes: 0 ok, 1 crawl refused (content
 * untouched), 2 usage, 3 mirrored with items held for review or failed.
 */
import { join } from 'node:path';
import { loadConfig, type MirrorConfig } from '../mirror/config.ts';
import { GkmlptSource } from '../mirror/gkmlpt.ts';
import { exitCodeOf, MIRROR_EXIT, reviewLines, summaryLines } from '../mirror/report.ts';
import { runMirror, type RunReport } from '../mirror/run.ts';
import { SiteSource } from '../mirror/site.ts';
import { mirrorDir } from '../mirror/state.ts';
import { CrawlError, type MirrorSource } from '../mirror/types.ts';
import { exists, parse, readJsonFile, required, todayOption, UsageError } from '../util.ts';

const USAGE = `gongkai mirror gkmlpt <site-url> --out <content-dir> [--categories <ids|names>] [--since YYYY-MM-DD]
gongkai mirror site <column-url> --out <content-dir> [--max-pages N] [--since YYYY-MM-DD]
gongkai mirror review <content-dir> [--json]
  common: [--delay ms] [--concurrency N] [--timeout ms] [--max-attachment-mb N]
          [--min-listed-share 0.5] [--max-failed-share 0.05] [--today YYYY-MM-DD] [--json] [--review] [--quiet]`;

const OPTIONS = {
  out: { type: 'string' },
  categories: { type: 'string' },
  since: { type: 'string' },
  'max-pages': { type: 'string' },
  delay: { type: 'string' },
  concurrency: { type: 'string' },
  timeout: { type: 'string' },
  'max-attachment-mb': { type: 'string' },
  'min-listed-share': { type: 'string' },
  'max-failed-share': { type: 'string' },
  today: { type: 'string' },
  json: { type: 'boolean' },
  review: { type: 'boolean' },
  quiet: { type: 'boolean' },
} as const;

/** A number option within bounds, or undefined when not given. */
function num(name: string, v: string | undefined, min: number, max = Infinity): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < min || n > max)
    throw new UsageError(
      `gongkai mirror: --${name} must be a number from ${min}${max < Infinity ? ` to ${max}` : ''}, got ${v}`,
    );
  return n;
}

function dateOption(name: string, v: string | undefined): string | undefined {
  if (v !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(v))
    throw new UsageError(`gongkai mirror: --${name} must be YYYY-MM-DD`);
  return v;
}

function print(report: RunReport, json: boolean, review: boolean): void {
  if (json) console.log(JSON.stringify(report, null, 2));
  else if (review) console.log(reviewLines(report).join('\n'));
  for (const line of summaryLines(report)) console.error(line);
}

export async function mirrorCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'gkmlpt' && sub !== 'site' && sub !== 'review')
    throw new UsageError(`gongkai mirror: unknown subcommand ${sub ?? '(none)'}\n${USAGE}`);
  const { values, positionals } = parse(`mirror ${sub}`, rest, OPTIONS);
  if (positionals.length !== 1)
    throw new UsageError(
      `gongkai mirror ${sub}: give exactly one ${sub === 'review' ? 'content folder' : 'URL'}\n${USAGE}`,
    );
  if (sub === 'review') {
    const file = join(mirrorDir(positionals[0]), 'report.json');
    if (!(await exists(file)))
      throw new UsageError(`gongkai mirror review: ${file} does not exist (no run yet)`);
    const report = (await readJsonFile(file)) as RunReport;
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else console.log(reviewLines(report).join('\n'));
    return exitCodeOf(report);
  }
  const url = positionals[0];
  try {
    if (!/^https?:$/.test(new URL(url).protocol)) throw new Error('not http(s)');
  } catch {
    throw new UsageError(`gongkai mirror ${sub}: ${url} is not an http(s) URL`);
  }
  const dir = required(`mirror ${sub}`, values.out, 'out');
  const cfg: MirrorConfig = await loadConfig(dir);
  cfg.delayMs = num('delay', values.delay, 0) ?? cfg.delayMs;
  cfg.concurrency = num('concurrency', values.concurrency, 1, 64) ?? cfg.concurrency;
  cfg.timeoutMs = num('timeout', values.timeout, 1) ?? cfg.timeoutMs;
  const mb = num('max-attachment-mb', values['max-attachment-mb'], 0);
  if (mb !== undefined) cfg.maxAttachmentBytes = Math.floor(mb * 1024 * 1024);
  cfg.minListedShare =
    num('min-listed-share', values['min-listed-share'], 0, 1) ?? cfg.minListedShare;
  cfg.maxFailedShare =
    num('max-failed-share', values['max-failed-share'], 0, 1) ?? cfg.maxFailedShare;
  const since = dateOption('since', values.since);
  const categories = (values.categories ?? '')
    .split(/[,，]/)
    .map((s) => s.trim())
    .filter(Boolean);
  const maxPages = num('max-pages', values['max-pages'], 1);
  const source: MirrorSource =
    sub === 'gkmlpt'
      ? new GkmlptSource(url, { categories })
      : new SiteSource(url, { maxPages: maxPages ?? 50 });
  let report: RunReport;
  // Ctrl-C: every file is written atomically and the state last, so stopping anywhere is safe.
  const onInterrupt = (): void => {
    console.error(
      '\ninterrupted: the content folder is consistent; the next run resumes from here',
    );
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  try {
    report = await runMirror(source, {
      dir,
      cfg,
      today: todayOption(`mirror ${sub}`, values.today),
      ...(since ? { since } : {}),
      quiet: values.quiet === true || values.json === true,
    });
  } catch (e) {
    if (!(e instanceof CrawlError)) throw e;
    console.error(`REFUSED: ${e.message}`);
    return MIRROR_EXIT.refused;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
  print(report, values.json === true, values.review === true);
  return exitCodeOf(report);
}
