/**
 * Pure repair helpers for text that went through portals, gateways and
 * spreadsheets (domain.md §4, "Import hazards found in the seeds"). None of
 * them guesses a lost value: damaged or masked values are left empty and the
 * caller flags them.
 */
import { createHash } from 'node:crypto';
import * as OpenCC from 'opencc-js';
import { normalizeDocNo, parseDate } from '../../content/normalize.ts';
import type { ProblemLog } from './types.ts';

const TONE_VOWELS = 'āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü';
/** One pinyin syllable, toned or not (`dāng`, `de`, `lǜ`). */
const SYLLABLE = new RegExp(
  `^(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?[aeiouv${TONE_VOWELS}]{1,3}(?:ng|n|r)?$`,
);

/**
 * Removes the per-character pinyin a Simplified→Traditional gateway added:
 * `當(dāng)前位置` → `當前位置`. Only a Han character followed by a parenthesised
 * single pinyin syllable is touched, so `市(区)` or `(2007)` stay as they are.
 */
export function stripPinyinAnnotations(text: string): { text: string; count: number } {
  let count = 0;
  const out = text.replace(
    new RegExp(`(\\p{Script=Han})[(（]([a-z${TONE_VOWELS}]{1,6})[)）]`, 'gu'),
    (whole, han: string, py: string) => {
      if (!SYLLABLE.test(py)) return whole;
      count++;
      return han;
    },
  );
  return { text: out, count };
}

/**
 * The character a GBK decoder produced for `0xA8` + the first byte of each
 * numeral when "\u3000（一）" was decoded one byte late (domain.md §4 item 2).
 * 六 (C1 F9) has no such character: A8 C1 is not valid GBK.
 */
export const GBK_SHIFTED_NUMERALS: Readonly<Record<string, string>> = {
  ㄒ: '一',
  ǘ: '二',
  ㄈ: '三',
  ㄋ: '四',
  ㄎ: '五',
  ㄆ: '七',
  ò: '八',
  ň: '九',
  ㄊ: '十',
};

/**
 * Repairs GBK one-byte-offset numbering: `?。ㄒ唬?` → `（一）`, `?。ǘ?` → `（二）`.
 * Returns the repaired text, the number of repairs and the 1-based lines where
 * the damage pattern is present but the numeral cannot be identified.
 */
export function repairGbkNumbering(text: string): {
  text: string;
  count: number;
  unrepaired: number[];
} {
  let count = 0;
  const keys = Object.keys(GBK_SHIFTED_NUMERALS).join('');
  const out = text.replace(
    new RegExp(`[?\uFFFD]。([${keys}])[^\\s?\uFFFD]?[?\uFFFD]`, 'gu'),
    (_w, k: string) => {
      count++;
      return `（${GBK_SHIFTED_NUMERALS[k]}）`;
    },
  );
  const unrepaired: number[] = [];
  out.split('\n').forEach((line, i) => {
    if (/[?\uFFFD]。\S{1,2}[?\uFFFD]/u.test(line)) unrepaired.push(i + 1);
  });
  return { text: out, count, unrepaired };
}

let toCn: ((s: string) => string) | undefined;
let tToCn: ((s: string) => string) | undefined;

/**
 * Converts Traditional text to Simplified with OpenCC. The Hong Kong table is
 * used first so HK variant forms (e.g. 衞, 綫) map too, then any remaining
 * Taiwan/standard Traditional forms.
 */
export function toSimplified(text: string): string {
  toCn ??= OpenCC.Converter({ from: 'hk', to: 'cn' });
  tToCn ??= OpenCC.Converter({ from: 'tw', to: 'cn' });
  return tToCn(toCn(text));
}

/**
 * Share of Han characters that change when converted to Simplified (0–1).
 * Text from a Traditional gateway scores well above 0.1; Simplified text 0.
 */
export function traditionalShare(text: string): number {
  const han = [...text].filter((c) => /\p{Script=Han}/u.test(c));
  if (han.length === 0) return 0;
  const conv = [...toSimplified(han.join(''))];
  let changed = 0;
  han.forEach((c, i) => {
    if (conv[i] !== c) changed++;
  });
  return changed / han.length;
}

const CJK = '\\p{Script=Han}\u3000-\u303F\uFF00-\uFFEF';

/** Removes whitespace that a page layout put between two CJK characters. */
export function collapseCjkSpaces(text: string): string {
  return text
    .replace(new RegExp(`(?<=[${CJK}])[\\s\u00A0\u3000]+(?=[${CJK}])`, 'gu'), '')
    .replace(/[\s\u00A0\u3000]+/g, ' ')
    .trim();
}

/** A label as it appears on portals (`索 引 号：`) reduced to `索引号`. */
export function normalizeLabel(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\s\u00A0\u3000*＊]+/g, '')
    .replace(/[:：]+$/, '');
}

/**
 * True when a spreadsheet cell would be a formula if re-opened in a spreadsheet
 * (CSV injection: `=`, `+`, `-`, `@`, or a tab/CR before them). Such cells are
 * kept as text, never evaluated.
 */
export function isFormulaLike(cell: string): boolean {
  return /^[\t\r]*[=+\-@]./s.test(cell);
}

/** True when a value carries masking stars (`201*`, `*市`, `构建和谐*`). */
export function isMasked(value: string): boolean {
  return /[*＊]/.test(value);
}

/** Masking stars next to digits or Han characters (`201*`, `*市`), not Markdown `**`. */
export const MASK_IN_TEXT =
  /(?<![*＊])(?:[\p{Script=Han}\d][*＊](?![*＊])|[*＊](?![*＊])[\p{Script=Han}\d])/u;

/**
 * Reads a date field: ISO, Arabic or Chinese numerals (○ or 〇). A masked
 * value (`201*年`) or one that is no date is left empty and reported.
 */
export function readDate(
  raw: unknown,
  field: string,
  log: ProblemLog,
  row?: number,
): string | null {
  if (raw === null || raw === undefined || raw === '') return null;
  if (raw instanceof Date) return raw.toISOString().slice(0, 10);
  const s = collapseCjkSpaces(String(raw));
  if (isMasked(s)) {
    log.warn(`${field} "${s}" has masked digits; left empty`, { field, row });
    return null;
  }
  const iso = parseDate(s);
  if (!iso) log.error(`${field} "${s}" is not a date`, { field, row });
  return iso;
}

/**
 * Reads a 文号. Brackets are normalised to 〔〕; a damaged (`东府办函〔2007198`)
 * or masked (`湛府办明电201*69号`) value keeps its raw form in
 * `docNoAsInSource`, `docNo` stays null and a warning says why.
 */
export function readDocNo(
  raw: string,
  log: ProblemLog,
  row?: number,
): { docNo: string | null; docNoAsInSource: string; flag?: string } {
  const s = raw.trim();
  if (isMasked(s)) {
    const flag = `docNo "${s}" has masked digits; left empty`;
    log.warn(flag, { field: 'docNo', row });
    return { docNo: null, docNoAsInSource: s, flag };
  }
  let r = normalizeDocNo(s);
  // A Traditional 文号 (東府辦函〔2007〕198號) reads like a Simplified one once converted.
  if (r.docNo === null && traditionalShare(s) > 0) {
    const simplified = normalizeDocNo(toSimplified(s));
    if (simplified.docNo !== null) r = simplified;
  }
  if (r.docNo === null) {
    const flag = `docNo "${s}" is damaged (${r.damage ?? 'unreadable'}); not repaired, shown as in source`;
    log.warn(flag, { field: 'docNo', row });
    return { docNo: null, docNoAsInSource: s, flag };
  }
  return { docNo: r.docNo, docNoAsInSource: s };
}

/** A value that looks like a 文号 at the start of a line (`东府办函〔2007198`). */
export const DOC_NO_LIKE = /^[\p{Script=Han}]{1,12}[〔[【(（［]\s*(?:\d{3}[\d*]|\d{4})/u;

const DOC_TYPES = [
  '通知',
  '公告',
  '公示',
  '通告',
  '意见',
  '办法',
  '方案',
  '计划',
  '报告',
  '总结',
  '规定',
  '决定',
  '通报',
  '批复',
  '指南',
  '细则',
  '规划',
  '解读',
  '函',
] as const;

/** 文种 read from the end of a title (`…工作计划的通知` → 通知); null when none. */
export function docTypeFromTitle(title: string): string | null {
  const t = title.replace(/[)）》」"”]+$/, '');
  for (const d of DOC_TYPES) if (t.endsWith(d)) return d;
  return null;
}

/**
 * A stable ASCII item id from a file name (`dg-2017 任务表.csv` → `dg-2017`).
 * A name with no ASCII letters or digits gets `import-` and a hash of the
 * name, so two Chinese-named files never share an id.
 */
export function idFromFileName(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, '');
  const slug = base
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || `import-${createHash('sha256').update(base).digest('hex').slice(0, 8)}`;
}

/**
 * Splits a list of organisations on `,`, `，`, `;`, `；` and `、` outside
 * parentheses: `各镇人民政府(街道办事处),市府直属各单位` gives two entries.
 */
export function splitOrgs(text: string, separators = ',，;；、'): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of text) {
    if ('(（'.includes(c)) depth++;
    if (')）'.includes(c)) depth = Math.max(0, depth - 1);
    if (depth === 0 && separators.includes(c)) {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** Escapes text for inclusion in HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
