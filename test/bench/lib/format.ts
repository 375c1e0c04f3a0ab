// Formatting of the bench report: the plain console table and the markdown of
// docs/benchmarks.md. Pure functions, checked by harness.test.ts on fixed inputs.
import { summarize, type Summary } from './stats.ts';
import type { AreaReport, MachineInfo, Measurement, Target, Unit } from './types.ts';

/** Column headers shared by the console table and the markdown tables. */
export const COLUMNS = ['metric', 'subject', 'median', 'min', 'max', 'runs', 'ratio', 'target'];

/** A number with three significant digits, thousands separated; integers ≥ 100 unrounded. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 100) return Math.round(x).toLocaleString('en-US');
  if (abs >= 0.01) return String(Number(x.toPrecision(3)));
  return String(Number(x.toPrecision(2)));
}

/** A value with its unit: scores with two decimals, counts as integers. */
export function formatValue(x: number, unit: Unit): string {
  switch (unit) {
    case 'score':
      return x.toFixed(2);
    case 'count':
      return Math.round(x).toLocaleString('en-US');
    case 'ratio':
      return `×${formatNumber(x)}`;
    case '%':
      return `${formatNumber(x)} %`;
    default:
      return `${formatNumber(x)} ${unit}`;
  }
}

/** "≤ 50 ms" and whether the median meets it. */
export function formatTarget(target: Target | undefined, unit: Unit, value: number): string {
  if (!target) return '';
  const met = target.op === '<=' ? value <= target.value : value >= target.value;
  return `${target.op === '<=' ? '≤' : '≥'} ${formatValue(target.value, unit)} ${met ? 'met' : 'MISSED'}`;
}

/**
 * Ratio of a row's median to the baseline subject's median for the same metric
 * ("×12.5" = 12.5 times the baseline's figure); empty for the baseline itself or
 * when the baseline has no row for that metric.
 */
export function ratioFor(
  row: Measurement,
  rows: readonly Measurement[],
  baseline?: string,
): string {
  if (!baseline || !row.subject || row.subject === baseline) return '';
  const base = rows.find((r) => r.metric === row.metric && r.subject === baseline);
  if (!base) return '';
  const b = summarize(base.samples).median;
  const v = summarize(row.samples).median;
  if (b === 0) return v === 0 ? '×1' : '';
  return `×${formatNumber(v / b)} ${baseline}`;
}

/** The cells of one measured row, in COLUMNS order. */
export function rowCells(
  row: Measurement,
  rows: readonly Measurement[],
  baseline?: string,
): string[] {
  const s: Summary = summarize(row.samples);
  const single = s.n === 1;
  const metric = row.note ? `${row.metric} (${row.note})` : row.metric;
  return [
    metric,
    row.subject ?? '',
    formatValue(s.median, row.unit),
    single ? '' : formatValue(s.min, row.unit),
    single ? '' : formatValue(s.max, row.unit),
    String(s.n),
    ratioFor(row, rows, baseline),
    formatTarget(row.target, row.unit, s.median),
  ];
}

/** Every table row of an area report: measured rows, then missing ones, or one status row. */
export function areaCells(report: AreaReport): string[][] {
  const r = report.result;
  if (r.status === 'not-measured')
    return [[`not measured (${r.reason})`, '', '', '', '', '', '', '']];
  if (r.status === 'failed') return [[`FAILED: ${r.error}`, '', '', '', '', '', '', '']];
  const out = r.rows.map((row) => rowCells(row, r.rows, r.baseline));
  for (const m of r.missing ?? []) {
    out.push([m.metric, m.subject ?? '', `not measured (${m.reason})`, '', '', '', '', '']);
  }
  return out;
}

/** Display width in a terminal: CJK and full-width characters take two columns. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    const wide =
      (cp >= 0x1100 && cp <= 0x115f) ||
      (cp >= 0x2e80 && cp <= 0xa4cf) ||
      (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xfe30 && cp <= 0xfe4f) ||
      (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) ||
      (cp >= 0x20000 && cp <= 0x3fffd);
    w += wide ? 2 : 1;
  }
  return w;
}

function pad(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)));
}

/** A plain fixed-width table with a header rule; empty trailing columns are kept aligned. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) =>
    Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => pad(c, widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function mdEscape(s: string): string {
  return s.replace(/\|/g, '\\|');
}

/** A GitHub markdown table; numeric columns (median, min, max, runs) right-aligned. */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  rightAligned: readonly number[] = [],
): string {
  const sep = header.map((_, i) => (rightAligned.includes(i) ? '---:' : '---'));
  const line = (cells: readonly string[]) => `| ${cells.map(mdEscape).join(' | ')} |`;
  return [line(header), `|${sep.join('|')}|`, ...rows.map(line)].join('\n');
}

/** The console table of every area: one section per area. */
export function consoleReport(reports: readonly AreaReport[]): string {
  const rows: string[][] = [];
  for (const rep of reports) {
    for (const cells of areaCells(rep)) rows.push([rep.id, ...cells]);
  }
  return textTable(['area', ...COLUMNS], rows);
}

/** Start and end markers of an area's block in docs/benchmarks.md (used by `--only`). */
export function markers(id: string): { start: string; end: string } {
  return { start: `<!-- bench:${id}:start -->`, end: `<!-- bench:${id}:end -->` };
}

/** The markdown block of one area, between its markers. */
export function areaMarkdown(rep: AreaReport): string {
  const { start, end } = markers(rep.id);
  const r = rep.result;
  const parts = [
    start,
    `## ${rep.title}`,
    '',
    rep.description,
    '',
    `Measured ${rep.measuredAt.slice(0, 16).replace('T', ' ')} UTC in ${formatNumber(rep.seconds)} s${
      rep.budgetSeconds === undefined ? '' : ` (budget ${formatNumber(rep.budgetSeconds)} s)`
    }${rep.loadAverage ? `; load average ${rep.loadAverage} at its start` : ''}.`,
    '',
    markdownTable(COLUMNS, areaCells(rep), [2, 3, 4, 5]),
  ];
  if (r.status === 'measured' && r.notes?.length) {
    parts.push('', ...r.notes.map((n) => `- ${n}`));
  }
  parts.push(end);
  return parts.join('\n');
}

/** The machine table. */
export function machineMarkdown(m: MachineInfo): string {
  return markdownTable(
    ['', ''],
    [
      ['CPU', `${m.cpu}, ${m.cores} cores`],
      ['memory', `${formatNumber(m.memoryGB)} GB`],
      ['OS', m.os],
      ['Node', m.node],
      ['Chromium', m.chromium],
      ['load average at start (1/5/15 min)', m.loadAverage],
    ],
  );
}

/** Intro of docs/benchmarks.md: what the columns mean. */
export const METHOD = [
  'Every figure is the median of repeated runs (5 for this project and fast libraries, 3 for slow',
  'competitor libraries) with the min and max; `runs` says how many. `ratio` compares a library with',
  'this project (`gongkai`) on the same data in the same process: ×10 means ten times the figure of',
  'gongkai (for times and sizes, higher is worse; for relevance, higher is better). `target` is the',
  'threshold the issue set and whether the median meets it. Browser figures come from the system',
  'Chromium driven by playwright-core, headless, on loopback.',
].join('\n');

/** The section of docs/benchmarks.md written from `npm run simulate`, kept as it is. */
const SIMULATION_BLOCK = /<!-- simulate:start -->[\s\S]*?<!-- simulate:end -->/;

/**
 * The whole docs/benchmarks.md. Areas not in `fresh` keep the block they had in
 * `previous` (so `--only search` does not erase the other areas); an area with
 * no previous block and no fresh result is left out.
 */
export function documentMarkdown(
  machine: MachineInfo,
  date: string,
  areaOrder: readonly string[],
  fresh: readonly AreaReport[],
  previous: string,
  totalSeconds: number,
  command: string,
): string {
  const blocks: string[] = [];
  for (const id of areaOrder) {
    const rep = fresh.find((r) => r.id === id);
    if (rep) {
      blocks.push(areaMarkdown(rep));
      continue;
    }
    const { start, end } = markers(id);
    const i = previous.indexOf(start);
    const j = previous.indexOf(end);
    if (i >= 0 && j > i) blocks.push(previous.slice(i, j + end.length));
  }
  return [
    '# Benchmarks',
    '',
    `Written by \`${command}\` on ${date.slice(0, 16).replace('T', ' ')} UTC (last run took ${formatNumber(totalSeconds)} s). Do not edit by hand: run \`npm run bench\` (or \`npm run bench -- --only <area>\`, which rewrites only that area's section).`,
    '',
    '## Machine',
    '',
    machineMarkdown(machine),
    '',
    '## How to read the tables',
    '',
    METHOD,
    '',
    ...blocks.flatMap((b) => [b, '']),
    // The province simulation (`npm run simulate`, not an area of the bench) keeps its section.
    ...(SIMULATION_BLOCK.exec(previous) ?? []).map((b) => `${b}\n`),
  ].join('\n');
}
