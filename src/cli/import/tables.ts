/**
 * Task tables (seed 002): CSV through papaparse, XLSX through exceljs. One
 * table per notice. Notice metadata comes from the rows above the header:
 * `label | value` rows (标题, 发布机构, 发文字号, 成文日期, 发布日期, id, 信息类别 …)
 * and a single-cell row taken as the title. Formula-like cells are never
 * evaluated: they are kept as text and reported.
 */
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import type { TaskRow } from '../../content/types.ts';
import { isTaskHeader, mapHeader, matchMetaLabel, type TaskField } from './columns.ts';
import { applyMeta, finishNotice, pushTo } from './meta.ts';
import { cnNumber } from './prose.ts';
import { collapseCjkSpaces, idFromFileName, isFormulaLike } from './repair.ts';
import { ProblemLog, type ImportResult, type RawItem } from './types.ts';

/** One spreadsheet row as text cells, with where it came from. */
export interface SheetRow {
  /** 1-based row number in the file. */
  row: number;
  cells: string[];
  /** Worksheet name (XLSX), used to name cells in reports. */
  sheet?: string;
  /** Cell addresses (`C5`) of cells that held a formula (XLSX). */
  formulas?: Map<number, string>;
}

const FIELD_LABEL: Readonly<Record<TaskField, string>> = {
  seq: '序号',
  task: '工作任务',
  requirement: '具体要求',
  lead: '牵头单位',
  responsible: '责任单位',
  partners: '配合单位',
  deadline: '完成时限',
};

function colName(i: number): string {
  let n = i + 1;
  let s = '';
  while (n > 0) {
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

function normalizeCell(c: string | undefined): string {
  return (c ?? '').trim();
}

function readSeq(text: string): number | string {
  const t = text.replace(/[.、．\s]+$/, '');
  if (/^\d+$/.test(t)) return Number(t);
  const cn = cnNumber(t);
  return Number.isNaN(cn) ? t : cn;
}

/**
 * Reads a task table from rows: metadata above the header, then task rows.
 * Blank seq and task cells (merged cells exported flat) inherit from the row
 * above; a row with only unnumbered text continues the row above.
 */
export function readTaskTable(rows: SheetRow[], log: ProblemLog, item: RawItem): TaskRow[] {
  const headerIdx = rows.findIndex((r) => isTaskHeader(mapHeader(r.cells)));
  if (headerIdx < 0) {
    log.error(
      'no task table header found: need a 工作任务/任务/工作内容 column and one of 序号, 具体要求, 牵头单位, 完成时限',
    );
    return [];
  }
  for (const r of rows.slice(0, headerIdx)) {
    // Merged cells repeat their value across the merge: count distinct values.
    const filled = [...new Set(r.cells.map((c) => c.trim()).filter(Boolean))];
    if (filled.length === 0) continue;
    const field = matchMetaLabel(r.cells[0] ?? '');
    if (field && filled.length === 1 && normalizeCell(r.cells[0]) === filled[0]) continue; // label, no value
    if (field && filled.length >= 2)
      applyMeta(item, field, r.cells.slice(1).join(' '), log, { row: r.row });
    else if (filled.length === 1 && !item.title && !field)
      applyMeta(item, 'title', filled[0], log, { row: r.row });
    else
      log.warn(`row ${r.row} above the table header is not a known "label, value" row; ignored`, {
        row: r.row,
      });
  }
  const header = rows[headerIdx];
  const map = mapHeader(header.cells);
  const fields = [...map.values()];
  const tasks: TaskRow[] = [];
  const headerKey = header.cells.join('|');
  for (const r of rows.slice(headerIdx + 1)) {
    if (r.cells.every((c) => !c.trim())) continue;
    if (r.cells.join('|') === headerKey) continue;
    const v: Partial<Record<TaskField, string>> = {};
    for (const [i, f] of map) {
      const raw = r.cells[i] ?? '';
      const text = collapseCjkSpaces(joinCellLines(raw, f));
      const formula = r.formulas?.get(i);
      if (formula || isFormulaLike(raw.trim())) {
        const cell = formula ?? `${r.sheet ? `${r.sheet}!` : ''}${colName(i)}${r.row}`;
        log.warn(
          `row ${r.row}, ${FIELD_LABEL[f]} (${cell}): formula "${text}" kept as text, not evaluated`,
          {
            row: r.row,
            field: `tasks.${f}`,
            element: cell,
          },
        );
        pushTo(item, 'qualityFlags', `row ${r.row}: formula cell kept as text`);
      }
      if (text) v[f] = text;
    }
    const prev = tasks[tasks.length - 1];
    if (!v.seq && !v.task) {
      if (!prev) {
        log.error(`row ${r.row}: no 工作任务 and no task row above to continue`, {
          row: r.row,
          field: 'tasks.task',
        });
        continue;
      }
      const numbered = v.requirement && /^\d+\s*[.、．]/.test(v.requirement);
      if (numbered || v.lead || v.deadline || v.responsible || v.partners) {
        tasks.push(makeRow(prev.seq, prev.task, v, fields));
      } else {
        for (const f of ['requirement', 'lead', 'responsible', 'partners', 'deadline'] as const) {
          if (v[f]) prev[f] = prev[f] ? `${prev[f]}${v[f]}` : v[f];
        }
      }
      continue;
    }
    let task = v.task;
    if (!task) {
      if (prev && v.seq && String(readSeq(v.seq)) === String(prev.seq)) task = prev.task;
      else {
        log.error(`row ${r.row}: 工作任务 is empty`, { row: r.row, field: 'tasks.task' });
        continue;
      }
    }
    let seq: number | string;
    if (v.seq) seq = readSeq(v.seq);
    else {
      seq = typeof prev?.seq === 'number' ? prev.seq + 1 : tasks.length + 1;
      log.warn(`row ${r.row}: 序号 is empty; numbered ${seq}`, { row: r.row, field: 'tasks.seq' });
    }
    tasks.push(makeRow(seq, task, v, fields));
  }
  if (tasks.length === 0)
    log.error(`the table under the header on row ${header.row} has no task rows`, {
      row: header.row,
    });
  return tasks;
}

function makeRow(
  seq: number | string,
  task: string,
  v: Partial<Record<TaskField, string>>,
  fields: TaskField[],
): TaskRow {
  const row: TaskRow = { seq, task };
  for (const f of ['requirement', 'lead', 'responsible', 'partners', 'deadline'] as const) {
    if (fields.includes(f)) row[f] = v[f] ?? null;
  }
  return row;
}

function finish(fileName: string, item: RawItem, tasks: TaskRow[], log: ProblemLog): ImportResult {
  item.tasks = tasks;
  finishNotice(item, idFromFileName(fileName));
  if (!item.title)
    log.error('no title: add a single-cell title row or a "标题, …" row above the header', {
      field: 'title',
    });
  return { items: [item], problems: log.problems };
}

/** Ends of the names of bodies (市住建局, 市府办, 各镇街): a line break after one separates two bodies. */
const BODY_END =
  /(?:局|办|委|府|院|会|室|中心|所|处|部|厅|站|队|社|馆|团|行|公司|单位|街|镇|区|县|组|科|司|署|园区|\))$/;

/**
 * A cell written on two lines (`市住建局⏎市发改局`): in the columns that list
 * bodies, a break after a body's name separates two bodies (joined with 、);
 * anywhere else, or after other text, it is a wrapped line (joined as is).
 */
export function joinCellLines(raw: string, field: TaskField): string {
  if (!/\n/.test(raw)) return raw;
  const bodies = field === 'lead' || field === 'partners' || field === 'responsible';
  const lines = raw.split(/\s*\r?\n\s*/).filter(Boolean);
  return lines.reduce((acc, line) =>
    bodies && BODY_END.test(acc) && !/^[、，,;；]/.test(line) && !/[、，,;；]$/.test(acc)
      ? `${acc}、${line}`
      : `${acc}${line}`,
  );
}

/** Imports a CSV task table (UTF-8, with or without BOM; GB18030 when not UTF-8). */
export function importCsv(fileName: string, text: string): ImportResult {
  const log = new ProblemLog(fileName, idFromFileName(fileName));
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: false });
  // A one-column sheet has no delimiter to detect; that is not an error.
  for (const e of parsed.errors.filter((x) => x.code !== 'UndetectableDelimiter')) {
    const row = e.row === undefined ? undefined : e.row + 1;
    log.error(`CSV ${e.code}${row ? ` at row ${row}` : ''}: ${e.message}`, { row });
  }
  // Row numbers are record numbers (what a spreadsheet shows); a quoted cell with line
  // breaks makes them differ from the file's lines, so messages then name both.
  let line = 1;
  const lines: number[] = [];
  const rows: SheetRow[] = parsed.data.map((cells, i) => {
    lines.push(line);
    line += cells.reduce((n, c) => n + (String(c).match(/\n/g)?.length ?? 0), 0) + 1;
    return { row: i + 1, cells: cells.map((c) => String(c)) };
  });
  const shifted = lines.some((l, i) => l !== i + 1);
  if (shifted) {
    // Rewritten after reading: `row N` → `row N (line M)`.
    const before = log.problems.length;
    const item: RawItem = {};
    const tasks = readTaskTable(rows, log, item);
    for (const p of log.problems.slice(before)) {
      if (p.row !== undefined && lines[p.row - 1] !== p.row)
        p.reason = p.reason.replace(
          new RegExp(`^row ${p.row}\\b`),
          `row ${p.row} (line ${lines[p.row - 1]} of the file)`,
        );
    }
    return finish(fileName, item, tasks, log);
  }
  const item: RawItem = {};
  const tasks = readTaskTable(rows, log, item);
  return finish(fileName, item, tasks, log);
}

function cellText(cell: ExcelJS.Cell): { text: string; formula?: string } {
  const src = cell.isMerged && cell.master ? cell.master : cell;
  if (src.formula) return { text: `=${src.formula}`, formula: src.address };
  const v = src.value;
  if (v === null || v === undefined) return { text: '' };
  if (v instanceof Date) return { text: v.toISOString().slice(0, 10) };
  if (typeof v === 'object' && 'richText' in v)
    return { text: v.richText.map((t) => t.text).join('') };
  if (typeof v === 'object' && 'text' in v && typeof v.text === 'string') return { text: v.text };
  if (typeof v === 'object' && 'error' in v) return { text: '' };
  return { text: String(v) };
}

/**
 * Imports an XLSX task table: the first worksheet that has a task header.
 * Merged cells read their master cell's value; formula cells give their
 * formula text (`=…`), never the cached result.
 */
export async function importXlsx(fileName: string, bytes: Uint8Array): Promise<ImportResult> {
  const log = new ProblemLog(fileName, idFromFileName(fileName));
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    );
  } catch (e) {
    log.error(`not a readable XLSX workbook: ${(e as Error).message}`);
    return { items: [], problems: log.problems };
  }
  const sheets = wb.worksheets.map((ws) => {
    const rows: SheetRow[] = [];
    for (let r = 1; r <= ws.rowCount; r++) {
      const cells: string[] = [];
      const formulas = new Map<number, string>();
      for (let c = 1; c <= ws.columnCount; c++) {
        const { text, formula } = cellText(ws.getCell(r, c));
        cells.push(text);
        if (formula) formulas.set(c - 1, `${ws.name}!${formula}`);
      }
      rows.push({ row: r, cells, formulas, sheet: ws.name });
    }
    return { name: ws.name, rows };
  });
  const withTable = sheets.filter((s) => s.rows.some((r) => isTaskHeader(mapHeader(r.cells))));
  if (withTable.length > 1) {
    log.warn(
      `${withTable.length} worksheets have task tables; only "${withTable[0].name}" is read (one table per notice)`,
      {
        element: withTable[1].name,
      },
    );
  }
  const sheet = withTable[0] ?? sheets[0];
  if (!sheet) {
    log.error('the workbook has no worksheet');
    return { items: [], problems: log.problems };
  }
  const item: RawItem = {};
  const tasks = readTaskTable(sheet.rows, log, item);
  return finish(fileName, item, tasks, log);
}
