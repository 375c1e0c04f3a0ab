/**
 * Reads the parts of a 公文 written as prose: the 文号 line, the recipients
 * line, the closing signature (issuer + date) and task rows, in the three
 * shapes found in the seeds. Pure functions over paragraphs.
 */
import { CN_DIGITS, parseDate } from '../../content/normalize.ts';
import type { TaskRow } from '../../content/types.ts';
import { matchTaskColumn, type TaskField } from './columns.ts';
import { collapseCjkSpaces, DOC_NO_LIKE } from './repair.ts';

/** One paragraph of text with the 1-based line it starts on. */
export interface Para {
  text: string;
  line: number;
}

/** `一` … `九十九` as a number; NaN otherwise. */
export function cnNumber(text: string): number {
  const m = /^([一二三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(text);
  if (!m || !text || (m[1] && !m[2] && m[3])) return NaN;
  if (!m[2]) return CN_DIGITS[m[1]];
  return (m[1] ? CN_DIGITS[m[1]] : 1) * 10 + (m[3] ? CN_DIGITS[m[3]] : 0);
}

/** Splits text into trimmed, non-empty paragraphs (one per line). */
export function toParas(text: string, firstLine = 1): Para[] {
  return text
    .split(/\r?\n/)
    .map((t, i) => ({
      text: t.replace(/^[\s\u3000\u00A0]+|[\s\u3000\u00A0]+$/g, ''),
      line: i + firstLine,
    }))
    .filter((p) => p.text !== '');
}

/** The closing signature: the first date-only paragraph and the short line above it. */
export function findSignature(paras: Para[]): {
  issuer?: string;
  date?: string;
  maskedDate?: string;
  line?: number;
} {
  for (let i = 0; i < paras.length; i++) {
    const t = collapseCjkSpaces(paras[i].text);
    if (t.length > 16 || !/年.*月.*日$/.test(t)) continue;
    const prev = i > 0 ? paras[i - 1].text.trim() : '';
    const issuer =
      prev && prev.length <= 24 && !/[。，,；;:：!！?？]/.test(prev) ? prev : undefined;
    if (/[*＊]/.test(t)) return { issuer, maskedDate: t, line: paras[i].line };
    const date = parseDate(t);
    if (date) return { issuer, date, line: paras[i].line };
  }
  return {};
}

/** The 文号 line of a 公文 (`东府办函〔2007198`), raw, or undefined. */
export function findDocNoLine(paras: Para[]): Para | undefined {
  return paras
    .slice(0, 12)
    .find((p) => p.text.length <= 30 && DOC_NO_LIKE.test(p.text.replace(/\s+/g, '')));
}

/** The 主送机关 line (`各镇人民政府(街道办事处),市府直属各单位:`) right after the 文号. */
export function findRecipientsLine(paras: Para[], after: number): string | undefined {
  const p = paras.find((x) => x.line > after);
  if (
    p &&
    p.text.length <= 80 &&
    /[:：]$/.test(p.text) &&
    !/[。]/.test(p.text) &&
    /^(各|市|省|县|区|国务院|[\p{Script=Han}]{2,}(?:办公室|政府|单位|部门|小组))/u.test(p.text)
  ) {
    return p.text.replace(/[:：]$/, '');
  }
  return undefined;
}

const ORG_TAIL = /等(?:相关|有关)?单位$/;

/** `由A、B牵头，C配合。` → lead A、B and partners C. */
export function parseResponsibility(
  text: string,
): { lead: string | null; partners: string | null } | null {
  const m = /^由(.+)$/.exec(text.trim().replace(/[。.]$/, ''));
  if (!m) return null;
  const clauses = m[1].split(/[，,；;]/).map((c) => c.trim());
  const first = /^(.+?)(?:等)?(牵头负责|具体负责|负责|牵头|具体落实)$/.exec(clauses[0]);
  if (!first) return null;
  const others = clauses
    .slice(1)
    .map((c) => /^(.+?)(配合|具体落实|协助|参与)$/.exec(c))
    .filter((x): x is RegExpExecArray => x !== null)
    .map((x) => ({ org: x[1].replace(ORG_TAIL, '等'), role: x[2] }));
  const partners =
    others.length === 0
      ? null
      : others.length === 1
        ? others[0].org
        : others.map((o) => `${o.org}(${o.role})`).join(';');
  return { lead: first[1], partners };
}

const NUMBERED = /^[(（]([一二三四五六七八九十]+)[)）]\s*/;
const HEADING = /^([一二三四五六七八九十]+)、\s*/;

/**
 * Task rows written as prose, in the three shapes of the seeds:
 * 1. `（一）task。…` followed by `牵头单位：` / `责任单位：` / `完成时限：` lines (seed 001);
 * 2. `（一）task（6月20日前）。` with the deadline in brackets (seed 004);
 * 3. `一、task` followed by `由A牵头，B配合。` (seed 000).
 * The first shape that yields rows wins; none gives an empty list.
 */
export function extractProseTasks(paras: Para[]): TaskRow[] {
  // Shape 1: labelled lines under a numbered item.
  const labelled: TaskRow[] = [];
  let current: TaskRow | null = null;
  for (const p of paras) {
    const num = NUMBERED.exec(p.text);
    if (num) {
      const rest = p.text.slice(num[0].length);
      current = { seq: cnNumber(num[1]), task: rest.split('。')[0].trim() };
      continue;
    }
    const lab = /^([^:：]{1,8})[:：]\s*(.+)$/.exec(p.text);
    const field: TaskField | null = lab ? matchTaskColumn(lab[1]) : null;
    if (current && lab && field && field !== 'task' && field !== 'seq') {
      if (!labelled.includes(current)) labelled.push(current);
      current[field] = lab[2].trim();
    }
  }
  if (labelled.length > 0) return labelled;

  // Shape 2: deadline in brackets after the task name.
  const bracketed: TaskRow[] = [];
  const seen = new Set<number>();
  for (const p of paras) {
    const m =
      /^[(（]([一二三四五六七八九十]+)[)）]\s*([^（(。]{2,30}?)\s*[（(]([^)）]{2,20}(?:前|底|内|止))[)）]/.exec(
        p.text,
      );
    if (!m) continue;
    const seq = cnNumber(m[1]);
    if (seen.has(seq)) break;
    seen.add(seq);
    bracketed.push({ seq, task: m[2].trim(), deadline: m[3].trim() });
  }
  if (bracketed.length > 0) return bracketed;

  // Shape 3: heading followed by a 由…牵头 paragraph.
  const headed: TaskRow[] = [];
  paras.forEach((p, i) => {
    const h = HEADING.exec(p.text);
    const next = paras[i + 1];
    if (!h || !next || p.text.length > 40) return;
    const r = parseResponsibility(next.text);
    if (!r) return;
    headed.push({
      seq: cnNumber(h[1]),
      task: p.text.slice(h[0].length).trim(),
      lead: r.lead,
      partners: r.partners,
      deadline: null,
    });
  });
  return headed;
}
