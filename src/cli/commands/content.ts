/** `gongkai content check <content-dir> [--json] [--today YYYY-MM-DD]`. */
import type { Item } from '../../content/types.ts';
import { validateContent, type ContentReport, type Problem } from '../../content/validate.ts';
import { loadCalendar, nodeSanitizer, readContentDir } from '../content-dir.ts';
import type { ManifestLimits } from '../../content/bundle.ts';
import { SYNC_LIMIT_DEFAULTS } from '../../config/limits.ts';
import {
  EXIT,
  exists,
  IoError,
  isDirectory,
  parse,
  progress,
  todayOption,
  UsageError,
} from '../util.ts';

/** Reads and validates a content folder (shared with `bundle build`). */
export async function checkContentDir(
  dir: string,
  today: string,
  quiet = false,
  limits: ManifestLimits = SYNC_LIMIT_DEFAULTS,
): Promise<ContentReport> {
  if (!(await exists(dir))) throw new IoError(`${dir}: no such content folder`);
  if (!(await isDirectory(dir)))
    throw new UsageError(`${dir}: not a folder; give the content folder that holds the items`);
  const { sources, problems } = await readContentDir(dir, limits, quiet);
  const bar = progress('checking', quiet);
  const report = validateContent(sources, {
    today,
    calendar: loadCalendar(),
    sanitize: await nodeSanitizer(),
    onProgress: (d, t) => bar.tick(d, t),
  });
  bar.end();
  report.errors.unshift(...problems.filter((p) => p.level === 'error'));
  report.warnings.push(...problems.filter((p) => p.level === 'warning'));
  return report;
}

/** The zh-Hans title, or '' when the item has none (an invalid item is still listed). */
function titleOf(it: Item): string {
  const t: unknown = it.kind === 'notice' ? it.title : it.itemName;
  const zh = typeof t === 'object' && t !== null ? (t as Record<string, unknown>)['zh-Hans'] : t;
  return typeof zh === 'string' ? zh : '';
}

/** One problem as a line: `error file [item] field: reason`. */
export function problemLine(p: Problem): string {
  const where = [p.itemId ? `item ${p.itemId}` : '', p.field ? `field ${p.field}` : '']
    .filter(Boolean)
    .join(', ');
  return `${p.level} ${p.file}${where ? ` (${where})` : ''}: ${p.reason}`;
}

export async function contentCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'check')
    throw new UsageError(
      `gongkai content: unknown subcommand ${sub ?? '(none)'}; try "content check"`,
    );
  const { values, positionals } = parse('content check', rest, {
    json: { type: 'boolean' },
    today: { type: 'string' },
    quiet: { type: 'boolean' },
  });
  if (positionals.length !== 1)
    throw new UsageError('gongkai content check: give exactly one content directory');
  const report = await checkContentDir(
    positionals[0],
    todayOption('content check', values.today),
    values.quiet,
  );
  if (values.json) {
    console.log(
      JSON.stringify(
        {
          items: report.items.map((n) => n.item),
          alerts: report.alerts.map((a) => a.alert),
          errors: report.errors,
          warnings: report.warnings,
        },
        null,
        2,
      ),
    );
  } else {
    // Every problem once, under the item it belongs to: the validator's own
    // (n.errors, n.warnings) and the importers' (damaged 文号, masked text,
    // conversion notes), which name the item by file and id.
    const key = (file: string, id: string | null): string => `${file}\u0000${id ?? ''}`;
    const byItem = new Map<string, Problem[]>();
    const shown = new Set<Problem>();
    for (const n of report.items) {
      const k = key(n.file, n.item.id);
      byItem.set(k, [...(byItem.get(k) ?? []), ...n.errors, ...n.warnings]);
      for (const p of [...n.errors, ...n.warnings]) shown.add(p);
    }
    const loose: Problem[] = [];
    for (const p of [...report.errors, ...report.warnings]) {
      if (shown.has(p)) continue;
      const list = p.itemId ? byItem.get(key(p.file, p.itemId)) : undefined;
      if (list) list.push(p);
      else loose.push(p);
    }
    for (const p of loose) console.log(problemLine(p));
    for (const n of report.items) {
      const it = n.item;
      const problems = byItem.get(key(n.file, it.id)) ?? [];
      const mark = problems.some((p) => p.level === 'error') ? 'INVALID' : 'ok';
      const facts =
        it.kind === 'notice'
          ? [
              it.docType,
              it.docNo ?? it.docNoAsInSource ?? '',
              it.publishDate,
              it.validity?.status ?? '',
            ].filter(Boolean)
          : ['办事指南', it.implementingBody?.name ?? ''].filter(Boolean);
      console.log(
        `${mark} ${it.id} ${titleOf(it) || '(no title)'} [${facts.join(' · ')}]${it.demo ? ' 演示' : ''} (${n.file})`,
      );
      for (const p of problems) console.log(`  ${problemLine(p)}`);
    }
    for (const a of report.alerts)
      console.log(
        `ok alert ${a.alert.id} ${a.alert.severity} ${a.alert.headline['zh-Hans']} (${a.file})`,
      );
    console.log(
      `${report.items.length} items, ${report.alerts.length} alerts: ${report.errors.length} errors, ${report.warnings.length} warnings`,
    );
  }
  return report.errors.length > 0 ? EXIT.invalid : EXIT.ok;
}
