/**
 * Plain text (.txt), including text that came back damaged from a
 * Simplified→Traditional gateway (seed 004): pinyin annotations stripped, GBK
 * one-byte-off numbering repaired, then stored as Simplified (OpenCC, Hong
 * Kong variants first) with the repaired Traditional kept in `sourceText` and
 * the title's original in `title['zh-Hant-HK']`. Optional front matter works
 * as in Markdown.
 */
import { applyMeta, finishNotice, pushTo } from './meta.ts';
import { applyFrontMatter, fillFromProse, parseFrontMatter } from './markdown.ts';
import { toParas, type Para } from './prose.ts';
import { stripChrome } from './chrome.ts';
import {
  collapseCjkSpaces,
  escapeHtml,
  idFromFileName,
  repairGbkNumbering,
  stripPinyinAnnotations,
  toSimplified,
  traditionalShare,
} from './repair.ts';
import { ProblemLog, type ImportResult, type RawItem } from './types.ts';

/** Above this share of Traditional-only characters the text is treated as Traditional. */
export const TRADITIONAL_THRESHOLD = 0.05;

/** `索引号：…` or `发文字号：…` (Simplified or Traditional) on a line of its own. */
const META_LINE = /^(索\s*引\s*[号號]|[发發]\s*文\s*字\s*[号號]|文\s*[号號])\s*[:：]\s*(\S.*)$/;

/**
 * Forms of 索引号: the organisation code (`00319234-2/2024-00413`, `006939748/2024-00413`)
 * or the 18-character unified social credit code (`11990100MB0D56786X/2024-00413`), a
 * slash, the year and a serial; some portals use a dash or a dot after the code.
 */
export const INDEX_NO =
  /^(?:[0-9A-Z]{8}-?[0-9A-Z]|[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10})[/／\-.]\d{4}[-.]?\d{1,8}$/;

/** Breadcrumb (`当前位置：首页 > 信息传达 > 文件通知`) → its column path. */
function breadcrumb(text: string): string | null {
  const m = /^(?:当前位置|您的位置|您现在的位置)[:：]?\s*(.*)$/.exec(text);
  if (!m) return null;
  const parts = m[1].split(/\s*[>＞»›]\s*/).filter(Boolean);
  if (parts[0] === '首页') parts.shift();
  return parts.join(' > ');
}

/**
 * Repairs a gateway-damaged text: strips pinyin, repairs numbering and
 * converts to Simplified when it is Traditional. Pure; reports counts.
 */
export function repairText(raw: string): {
  simplified: string;
  traditional: string | null;
  pinyin: number;
  numbering: number;
  unrepaired: number[];
} {
  const py = stripPinyinAnnotations(raw);
  const num = repairGbkNumbering(py.text);
  const isTrad = traditionalShare(num.text) > TRADITIONAL_THRESHOLD;
  return {
    simplified: isTrad ? toSimplified(num.text) : num.text,
    traditional: isTrad ? num.text : null,
    pinyin: py.count,
    numbering: num.count,
    unrepaired: num.unrepaired,
  };
}

function parasToHtml(paras: Para[]): string {
  return paras.map((p) => `<p>${escapeHtml(p.text)}</p>`).join('\n');
}

/** Imports a plain-text notice (UTF-8 or GB18030) into one item. */
export function importText(fileName: string, text: string): ImportResult {
  const log = new ProblemLog(fileName, idFromFileName(fileName));
  const fm = parseFrontMatter(text, log);
  if (!fm) return { items: [], problems: log.problems };
  const item: RawItem = {};
  applyFrontMatter(item, fm.data, log);
  const rep = repairText(fm.content);
  if (rep.pinyin > 0) {
    pushTo(item, 'qualityFlags', `pinyin annotations stripped (${rep.pinyin}), e.g. 當(dāng) → 當`);
    log.warn(`${rep.pinyin} per-character pinyin annotations stripped`, { field: 'body' });
  }
  if (rep.numbering > 0) {
    pushTo(
      item,
      'qualityFlags',
      `GBK one-byte-offset numbering repaired (${rep.numbering}), e.g. ?。ㄒ唬? → （一）`,
    );
    log.warn(`${rep.numbering} mojibake numbers (?。ㄒ唬?) repaired to （一） form`, {
      field: 'body',
    });
  }
  for (const line of rep.unrepaired) {
    log.error(
      `line ${line}: damaged numbering (?。…?) whose numeral cannot be identified; fix the line by hand`,
      {
        row: line + fm.bodyLine - 1,
        field: 'body',
      },
    );
  }
  const allParas = toParas(rep.simplified, fm.bodyLine);
  // Raw portal scrapes carry the site around the article: set it aside (breadcrumb,
  // buttons, the portal's date line) and keep what it said.
  const { paras, facts } = stripChrome(allParas);
  const kept = new Set(paras.map((p) => p.line));
  const tradParas =
    rep.traditional === null
      ? null
      : toParas(rep.traditional, fm.bodyLine).filter((p) => kept.has(p.line));
  if (facts.removed.length > 0) {
    log.warn(
      `${facts.removed.length} lines of site chrome removed (${facts.removed
        .slice(0, 3)
        .map((r) => `"${r.slice(0, 20)}"`)
        .join(', ')}${facts.removed.length > 3 ? ', …' : ''})`,
      { field: 'body' },
    );
    pushTo(item, 'inferred', `site chrome removed: ${facts.removed.length} lines`);
  }
  if (facts.column) {
    const source = (item.source as Record<string, unknown> | undefined) ?? {};
    source.column ??= facts.column;
    item.source = source;
  }
  if (facts.site) {
    const source = (item.source as Record<string, unknown> | undefined) ?? {};
    source.site ??= facts.site;
    item.source = source;
  }
  if (facts.publishDate && item.publishDate === undefined) {
    applyMeta(item, 'publishDate', facts.publishDate, log);
    pushTo(item, 'inferred', "publishDate from the portal's date line");
  }
  // Header lines: breadcrumb, column name, then the title.
  let i = 0;
  const crumb = paras[0] ? breadcrumb(paras[0].text) : null;
  if (crumb !== null) {
    const source = (item.source as Record<string, unknown> | undefined) ?? {};
    source.column ??= crumb;
    item.source = source;
    i = 1;
    const last = crumb.split(' > ').pop();
    if (paras[i] && paras[i].text === last) i++;
  }
  // The column's name as a heading under the breadcrumb (文件通知), before the title.
  if (facts.columnName && paras[i]?.text === facts.columnName && paras.length > i + 1) i++;
  // Labelled metadata lines near the top (索引号：…, 发文字号：…), as portals print them,
  // before or after the title.
  const meta = new Set<number>();
  const takeMeta = (k: number): boolean => {
    const p = paras[k];
    const m = p ? META_LINE.exec(p.text.trim()) : null;
    if (!p || !m) return false;
    const field = /索\s*引\s*[号號]/.test(m[1]) ? 'indexNo' : 'docNo';
    if (field === 'indexNo' && !INDEX_NO.test(m[2].replace(/\s+/g, '')))
      log.warn(`索引号 "${m[2]}" is not of a known form; kept as given`, { field, row: p.line });
    if (item[field] === undefined) applyMeta(item, field, m[2], log, { row: p.line });
    meta.add(k);
    return true;
  };
  while (takeMeta(i)) i++;
  if (!item.title) {
    if (paras[i]) {
      applyMeta(item, 'title', collapseCjkSpaces(paras[i].text), log, { row: paras[i].line });
      if (tradParas) {
        (item.title as Record<string, unknown>)['zh-Hant-HK'] = tradParas[i].text;
      }
      pushTo(item, 'inferred', `title from line ${paras[i].line}`);
      i++;
      // Pages often repeat the title (page heading, then article heading).
      if (
        paras[i] &&
        collapseCjkSpaces(paras[i].text) === (item.title as Record<string, string>)['zh-Hans']
      )
        i++;
    } else log.error('no title: the text is empty', { field: 'title' });
  }
  for (let k = i; k < Math.min(paras.length, i + 15); k++) takeMeta(k);
  const body = paras
    .filter((_, k) => k >= i && !meta.has(k))
    .map((p) => ({ ...p, text: p.text.replace(/^浏览次数[:：]\s*\d+\s*/, '') }));
  item.body ??= parasToHtml(body);
  fillFromProse(item, body, log);
  // A saved text rarely keeps the page's publication date; the 成文日期 is the closest
  // the document says. Used, and flagged, so the admin confirms rather than types it.
  if (item.publishDate === undefined && typeof item.writtenDate === 'string') {
    item.publishDate = item.writtenDate;
    pushTo(item, 'inferred', 'publishDate = writtenDate (the text gives no publication date)');
    log.warn('no publication date in the text: writtenDate used; confirm it', {
      field: 'publishDate',
    });
  }
  if (rep.traditional !== null) {
    item.sourceText = rep.traditional;
    pushTo(
      item,
      'qualityFlags',
      'converted from Traditional to Simplified with OpenCC (hk→cn); the repaired Traditional text is kept in sourceText',
    );
    log.warn('Traditional text converted to Simplified (OpenCC hk→cn); review before publishing', {
      field: 'title',
    });
  }
  finishNotice(item, idFromFileName(fileName));
  return { items: [item], problems: log.problems };
}
