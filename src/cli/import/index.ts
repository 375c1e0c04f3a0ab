/**
 * Importers for the formats admins actually have (domain.md §4): Markdown with
 * front matter, CSV/XLSX task tables, saved portal pages and (damaged) plain
 * text. The content folder loader calls {@link importFile} for every file
 * whose extension is in {@link SUPPORTED_EXTENSIONS}; the items it returns use
 * the content-model field names and go through the content normaliser next.
 */
import { importHtml } from './html.ts';
import { importMarkdown } from './markdown.ts';
import { importCsv, importXlsx } from './tables.ts';
import { importText } from './text.ts';
import { ProblemLog, type ImportResult } from './types.ts';

export type { ImportProblem, ImportResult, RawItem } from './types.ts';
export { markdownToHtml } from './markdown.ts';
export { readMetaTable, BODY_SELECTORS } from './html.ts';
export { readTaskTable } from './tables.ts';
export { repairText } from './text.ts';
export { sanitizeHtml } from './sanitize.ts';
export { extractProseTasks, findSignature, parseResponsibility } from './prose.ts';
export { matchTaskColumn, mapHeader, TASK_COLUMN_ALIASES } from './columns.ts';
export {
  collapseCjkSpaces,
  docTypeFromTitle,
  GBK_SHIFTED_NUMERALS,
  isFormulaLike,
  isMasked,
  normalizeLabel,
  repairGbkNumbering,
  splitOrgs,
  stripPinyinAnnotations,
  toSimplified,
  traditionalShare,
} from './repair.ts';

/** File extensions {@link importFile} reads (lower case, with the dot). */
export const SUPPORTED_EXTENSIONS = [
  '.md',
  '.markdown',
  '.csv',
  '.xlsx',
  '.html',
  '.htm',
  '.txt',
] as const;

/**
 * Decodes text bytes: UTF-8 (BOM allowed), else GB18030 (a superset of GBK,
 * which older Windows tools and portals write).
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'gb18030' } {
  try {
    return {
      text: new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, ''),
      encoding: 'utf-8',
    };
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
  }
}

/**
 * Why bytes are not text, or null: a NUL byte (binary data, or UTF-16, which
 * no portal export uses), or many control characters once decoded. Only the
 * first 64 KB are looked at, so a large file is judged at once.
 */
export function binaryReason(bytes: Uint8Array): string | null {
  const head = bytes.subarray(0, 65_536);
  const nul = head.indexOf(0);
  if (nul >= 0)
    return head[0] === 0xff || head[0] === 0xfe
      ? 'UTF-16: save it as UTF-8'
      : `binary data: a NUL byte at offset ${nul}`;
  let control = 0;
  for (const b of head)
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  if (head.length > 0 && control / head.length > 0.05)
    return `binary data: ${control} control bytes in the first ${head.length}`;
  return null;
}

/**
 * Imports one file into raw content items. Never throws on bad content: every
 * problem is returned with the file, and where known the item, field, row or
 * element. An unsupported extension gives an error problem and no items.
 */
export async function importFile(fileName: string, bytes: Uint8Array): Promise<ImportResult> {
  const ext = /\.[^./\\]+$/.exec(fileName)?.[0].toLowerCase() ?? '';
  if (ext === '.xlsx') return importXlsx(fileName, bytes);
  if (!(SUPPORTED_EXTENSIONS as readonly string[]).includes(ext)) {
    const log = new ProblemLog(fileName);
    log.error(
      `unsupported file type "${ext || '(none)'}": expected one of ${SUPPORTED_EXTENSIONS.join(', ')}`,
    );
    return { items: [], problems: log.problems };
  }
  const binary = binaryReason(bytes);
  if (binary) {
    const log = new ProblemLog(fileName);
    log.error(
      `not a text file (${binary}): expected ${ext} text in UTF-8 or GB18030; nothing imported`,
    );
    return { items: [], problems: log.problems };
  }
  const { text, encoding } = decodeText(bytes);
  let result: ImportResult;
  if (ext === '.csv') result = importCsv(fileName, text);
  else if (ext === '.html' || ext === '.htm') result = importHtml(fileName, text);
  else if (ext === '.txt') result = importText(fileName, text);
  else result = importMarkdown(fileName, text);
  if (encoding === 'gb18030') {
    result.problems.push({
      file: fileName,
      reason: 'not UTF-8: decoded as GB18030',
      level: 'warning',
    });
  }
  return result;
}
