/**
 * Markdown with front matter (gray-matter, YAML through the `yaml` package so
 * dates stay strings). There is no Markdown library in the project, so the
 * body goes through {@link markdownToHtml}: a small converter for the subset
 * pasted Word documents use (headings, paragraphs, lists, pipe tables, quotes,
 * **bold**). Raw HTML in the Markdown is shown as text, and the result is
 * sanitised anyway.
 */
import matter from 'gray-matter';
import YAML from 'yaml';
import type { TaskRow } from '../../content/types.ts';
import { isTaskHeader, mapHeader, matchMetaLabel } from './columns.ts';
import { applyMeta, finishNotice, pushTo } from './meta.ts';
import {
  extractProseTasks,
  findDocNoLine,
  findRecipientsLine,
  findSignature,
  toParas,
  type Para,
} from './prose.ts';
import { idFromFileName, MASK_IN_TEXT, splitOrgs } from './repair.ts';
import { isCanonicalSafeHtml } from '../canonical-html.ts';
import { sanitizeHtml, tidyHtml } from './sanitize.ts';
import { readTaskTable, type SheetRow } from './tables.ts';
import { ProblemLog, type ImportResult, type RawItem } from './types.ts';

/**
 * Escapes text the way the HTML serialiser writes it (`&amp; &lt; &gt;`,
 * quotes as they are), so a body of plain text is already in the form
 * DOMPurify returns and skips jsdom (see importMarkdown).
 */
function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

function inline(text: string): string {
  // Single stars are not emphasis here: they mask digits in the sources (201*).
  return escapeText(text.replace(/\\\*/g, '\uE000'))
    .replace(/\*\*(\S(?:.*?\S)?)\*\*/g, '<strong>$1</strong>')
    .replace(/\uE000/g, '*');
}

function tableCells(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((c) => c.trim());
}

const TABLE_SEP = /^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$/;

/** A pipe table found in the Markdown, with the 1-based line of each row. */
export interface MdTable {
  rows: SheetRow[];
}

/**
 * Converts the Markdown subset to HTML. Headings `#` become `<h2>` (the kiosk
 * shows the title itself), lines inside one paragraph are joined without a
 * space (Chinese text), pipe tables become `<table>`.
 */
export function markdownToHtml(md: string, firstLine = 1): { html: string; tables: MdTable[] } {
  const lines = md.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  const tables: MdTable[] = [];
  let para: string[] = [];
  const flush = (): void => {
    if (para.length) out.push(`<p>${inline(para.join(''))}</p>`);
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const t = line.trim();
    if (!t) {
      flush();
      continue;
    }
    const h = /^(#{1,6})\s+(.*?)\s*#*$/.exec(t);
    if (h) {
      flush();
      const level = Math.min(6, Math.max(2, h[1].length + 1));
      out.push(`<h${level}>${inline(h[2])}</h${level}>`);
      continue;
    }
    if (t.startsWith('|') && i + 1 < lines.length && TABLE_SEP.test(lines[i + 1])) {
      flush();
      const head = tableCells(t);
      const rows: SheetRow[] = [{ row: i + firstLine, cells: head }];
      i += 2;
      while (i < lines.length && lines[i].trim().startsWith('|')) {
        rows.push({ row: i + firstLine, cells: tableCells(lines[i]) });
        i++;
      }
      i--;
      tables.push({ rows });
      const body = rows
        .slice(1)
        .map((r) => `<tr>${r.cells.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`)
        .join('');
      out.push(
        `<table><thead><tr>${head.map((c) => `<th>${inline(c)}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table>`,
      );
      continue;
    }
    const list = /^([-*+]|\d+[.)])\s+/.exec(t);
    if (list) {
      flush();
      const ordered = /\d/.test(list[1]);
      const items: string[] = [];
      while (i < lines.length) {
        const m = /^\s*([-*+]|\d+[.)])\s+(.*)$/.exec(lines[i]);
        if (!m || /\d/.test(m[1]) !== ordered) break;
        items.push(`<li>${inline(m[2])}</li>`);
        i++;
      }
      i--;
      const tag = ordered ? 'ol' : 'ul';
      out.push(`<${tag}>${items.join('')}</${tag}>`);
      continue;
    }
    if (t.startsWith('>')) {
      flush();
      out.push(`<blockquote><p>${inline(t.replace(/^>\s?/, ''))}</p></blockquote>`);
      continue;
    }
    para.push(t);
  }
  flush();
  return { html: out.join('\n'), tables };
}

/** Front-matter keys in Chinese (`标题`) or content-model names, set through {@link applyMeta}. */
const META_KEYS = new Set([
  'title',
  'issuer',
  'docNo',
  'writtenDate',
  'publishDate',
  'indexNo',
  'keywords',
  'infoCategory',
  'summary',
]);

/** Parses Markdown or text with optional front matter; YAML errors name the line. */
export function parseFrontMatter(
  text: string,
  log: ProblemLog,
): { data: Record<string, unknown>; content: string; bodyLine: number } | null {
  let parsed: { data: Record<string, unknown>; content: string; matter: string };
  try {
    parsed = matter(text, {
      engines: {
        yaml: (s: string): object => {
          const v: unknown = YAML.parse(s);
          if (v === null || v === undefined) return {};
          if (typeof v !== 'object' || Array.isArray(v))
            throw new Error('front matter is not a mapping of field: value');
          return v;
        },
      },
    }) as unknown as typeof parsed;
  } catch (e) {
    const err = e as Error & { linePos?: { line: number }[] };
    const line = err.linePos?.[0]?.line;
    const message = err.message.split('\n')[0].replace(/\s*at line \d+, column \d+:?$/, '');
    log.error(
      `front matter${line ? ` line ${line + 1}` : ''}: ${message}`,
      line ? { row: line + 1, field: 'front matter' } : { field: 'front matter' },
    );
    return null;
  }
  const bodyLine = parsed.matter
    ? text.slice(0, text.length - parsed.content.length).split('\n').length
    : 1;
  return { data: parsed.data, content: parsed.content, bodyLine };
}

/**
 * Applies front-matter fields: known metadata goes through the repairs
 * (dates, 文号, masks), other keys pass through unchanged for the normaliser.
 */
export function applyFrontMatter(
  item: RawItem,
  data: Record<string, unknown>,
  log: ProblemLog,
): void {
  if (typeof data.id === 'string') applyMeta(item, 'id', data.id, log);
  for (const [key, value] of Object.entries(data)) {
    if (key === 'id') continue;
    const field = META_KEYS.has(key) ? key : matchMetaLabel(key);
    if (field && typeof value === 'string') applyMeta(item, field, value, log, {});
    else if (field === 'issuer' && Array.isArray(value)) item.issuer = value.map(String);
    else if (field === 'keywords' && Array.isArray(value)) item.keywords = value.map(String);
    else if (field === 'title' && value && typeof value === 'object') item.title = value;
    else if (field && (typeof value === 'number' || value instanceof Date))
      applyMeta(item, field, String(value), log);
    else item[field ?? key] = value;
  }
}

/**
 * Fills fields a 公文 carries in its text when the front matter did not give
 * them: the 文号 line, recipients, the closing signature (issuer, 成文日期)
 * and task rows. Each is listed in `inferred`; masked digits are flagged.
 */
export function fillFromProse(
  item: RawItem,
  paras: Para[],
  log: ProblemLog,
  tables: MdTable[] = [],
): void {
  const docLine = findDocNoLine(paras);
  if (docLine && item.docNoAsInSource === undefined) {
    applyMeta(item, 'docNo', docLine.text, log, { row: docLine.line });
    pushTo(item, 'inferred', `docNo from line ${docLine.line} of the text`);
  }
  const sig = findSignature(paras);
  if (sig.maskedDate && !item.writtenDate) {
    log.warn(`closing date "${sig.maskedDate}" has masked digits; writtenDate left empty`, {
      field: 'writtenDate',
      row: sig.line,
    });
    pushTo(item, 'qualityFlags', `closing date "${sig.maskedDate}" masked in source`);
  }
  if (sig.date && !item.writtenDate) {
    item.writtenDate = sig.date;
    pushTo(item, 'inferred', `writtenDate from the closing date on line ${sig.line}`);
  }
  if (sig.issuer && (!Array.isArray(item.issuer) || item.issuer.length === 0)) {
    item.issuer = [sig.issuer];
    pushTo(item, 'inferred', `issuer from the signature on line ${(sig.line ?? 1) - 1}`);
  }
  if (!Array.isArray(item.tasks)) {
    const table = tables.find((t) => t.rows.length > 0 && isTaskHeader(mapHeader(t.rows[0].cells)));
    const tasks: TaskRow[] = table
      ? readTaskTable(table.rows, log, item)
      : extractProseTasks(paras);
    if (tasks.length > 0) {
      item.tasks = tasks;
      if (!table) pushTo(item, 'inferred', 'tasks read from the numbered items of the text');
    }
  }
  const masked = paras.filter((p) => MASK_IN_TEXT.test(p.text));
  if (masked.length > 0) {
    const lines = masked.map((p) => p.line);
    log.warn(`masked digits or names (201*, *市) on lines ${lines.join(', ')}; not filled in`, {
      row: lines[0],
      field: 'body',
    });
    pushTo(
      item,
      'qualityFlags',
      `masked digits or names (201*, *市) in the text on ${lines.length} line(s); not filled in`,
    );
  }
  // 文号 cited in the text whose closing bracket was lost (中办发〔200512号).
  for (const p of paras) {
    if (p.text.trim() === item.docNoAsInSource) continue;
    for (const m of p.text.matchAll(
      /[\p{Script=Han}]{2,8}[〔[【]\d{4,}(?![\d]*[〕\]】])[\d]*号?/gu,
    )) {
      log.warn(`cited 文号 "${m[0]}" looks damaged (closing bracket lost); shown as in source`, {
        row: p.line,
        field: 'body',
      });
      pushTo(item, 'qualityFlags', `cited 文号 "${m[0]}" damaged in the text`);
    }
  }
  if (!item.recipients) {
    const rec = findRecipientsLine(paras, docLine?.line ?? 0);
    if (rec) {
      item.recipients = splitOrgs(rec, ',，');
      pushTo(item, 'inferred', 'recipients from the 主送机关 line');
    }
  }
}

/** Imports one Markdown file with front matter into a notice. */
export function importMarkdown(fileName: string, text: string): ImportResult {
  const log = new ProblemLog(fileName, idFromFileName(fileName));
  const fm = parseFrontMatter(text, log);
  if (!fm) return { items: [], problems: log.problems };
  const item: RawItem = {};
  applyFrontMatter(item, fm.data, log);
  let content = fm.content;
  if (!item.title) {
    const h1 = /^\s*#\s+(.+?)\s*#*\s*$/m.exec(content);
    if (h1) {
      applyMeta(item, 'title', h1[1], log);
      content = content.replace(h1[0], '');
    } else
      log.error('no title: give `title:` in the front matter or a `# heading`', { field: 'title' });
  }
  const { html, tables } = markdownToHtml(content, fm.bodyLine);
  // The converter escapes all text and emits only its own tags, so the body is safe by
  // construction; the sanitiser (jsdom, about 50 µs per element) runs only when the
  // markup is not already in its canonical form, which keeps a large file linear and fast.
  const clean = isCanonicalSafeHtml(html)
    ? { html: tidyHtml(html), removed: [] }
    : sanitizeHtml(html);
  for (const r of clean.removed) log.warn(r.reason, { element: r.element, field: 'body' });
  if (item.body === undefined) item.body = clean.html;
  fillFromProse(item, toParas(content, fm.bodyLine), log, tables);
  finishNotice(item, idFromFileName(fileName));
  return { items: [item], problems: log.problems };
}
