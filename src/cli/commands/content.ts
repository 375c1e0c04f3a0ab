/** `gongkai content check <content-dir> [--json] [--today YYYY-MM-DD]`. */
import { itemTitle } from '../../content/types.ts';
import { validateContent, type ContentReport, type Problem } from '../../content/validate.ts';
import { loadCalendar, nodeSanitizer, readContentDir } from '../content-dir.ts';
import { EXIT, isDirectory, parse, progress, todayOption, UsageError } from '../util.ts';

/** Reads and validates a content folder (shared with `bundle build`). */
export async function checkContentDir(
  dir: string,
  today: string,
  quiet = false,
): Promise<ContentReport> {
  if (!(await isDirectory(dir))) throw new UsageError(`${dir}: not a content directory`);
  const { sources, problems } = await readContentDir(dir);
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
    const fileProblems = [...report.errors, ...report.warnings].filter((p) => !p.itemId);
    for (const p of fileProblems) console.log(problemLine(p));
    for (const n of report.items) {
      const it = n.item;
      const mark = n.errors.length > 0 ? 'INVALID' : 'ok';
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
        `${mark} ${it.id} ${itemTitle(it)} [${facts.join(' · ')}]${it.demo ? ' 演示' : ''} (${n.file})`,
      );
      for (const p of [...n.errors, ...n.warnings]) console.log(`  ${problemLine(p)}`);
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
