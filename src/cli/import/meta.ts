/**
 * Turns labelled metadata (spreadsheet rows above the header, a portal's
 * metadata table, `label：value` lines) into content-model fields, with the
 * repairs and flags of repair.ts. Shared by every importer.
 */
import { INFO_CATEGORIES, INFO_CATEGORY_SHORT, VALIDITY_STATUSES } from '../../content/types.ts';
import { collapseCjkSpaces, docTypeFromTitle, readDate, readDocNo, splitOrgs } from './repair.ts';
import type { ProblemLog, RawItem } from './types.ts';

/** Appends to a string-array field of a raw item. */
export function pushTo(item: RawItem, field: 'qualityFlags' | 'inferred', text: string): void {
  const arr = Array.isArray(item[field]) ? (item[field] as string[]) : [];
  if (!arr.includes(text)) arr.push(text);
  item[field] = arr;
}

/** Reads an 信息类别 given as a key (`plans`) or its Chinese label into the key. */
export function readInfoCategory(value: string): string | null {
  const v = value.trim();
  if (v in INFO_CATEGORIES) return v;
  for (const [key, label] of Object.entries(INFO_CATEGORIES)) if (label === v) return key;
  for (const [key, label] of Object.entries(INFO_CATEGORY_SHORT)) if (label === v) return key;
  return null;
}

/**
 * Sets one metadata field on `item` from its raw text. Damaged or masked
 * values are left empty and flagged; the raw 文号 is always kept.
 */
export function applyMeta(
  item: RawItem,
  field: string,
  raw: string,
  log: ProblemLog,
  where: { row?: number; element?: string } = {},
): void {
  const v = collapseCjkSpaces(raw);
  if (!v) return;
  switch (field) {
    case 'id':
      item.id = v;
      log.itemId = v;
      break;
    case 'title':
      item.title = { 'zh-Hans': v };
      break;
    case 'issuer':
      item.issuer = splitOrgs(v);
      break;
    case 'docNo': {
      const r = readDocNo(v, log, where.row);
      item.docNo = r.docNo;
      item.docNoAsInSource = r.docNoAsInSource;
      if (r.flag) pushTo(item, 'qualityFlags', r.flag);
      break;
    }
    case 'indexNo':
      item.indexNo = v.replace(/\s+/g, '');
      break;
    case 'topic': {
      const [l1, l2] = v.split(/[\\/／>＞]/).map((s) => s.trim());
      item.topic = l2 ? { l1, l2 } : { l1 };
      break;
    }
    case 'writtenDate':
    case 'publishDate': {
      const iso = readDate(v, field, log, where.row);
      if (iso) item[field] = iso;
      else if (/[*＊]/.test(v)) pushTo(item, 'qualityFlags', `${field} "${v}" masked in source`);
      break;
    }
    case 'validity': {
      const status = VALIDITY_STATUSES.find((s) => v.includes(s)) ?? null;
      if (!status)
        log.warn(`有效性 "${v}" is not one of ${VALIDITY_STATUSES.join('/')}`, { field });
      item.validity = { status };
      break;
    }
    case 'keywords':
      item.keywords = raw.split(/[,，;；、\s\u3000]+/).filter(Boolean);
      break;
    case 'docType':
      item.docType = v;
      break;
    case 'infoCategory': {
      const key = readInfoCategory(v);
      if (key) item.infoCategory = key;
      else log.error(`信息类别 "${v}" is not a known category`, { field, ...where });
      break;
    }
    case 'disclosure':
      item.disclosure = { mode: v };
      break;
    case 'summary':
      item.summary = { 'zh-Hans': v };
      break;
    case 'inferred':
      pushTo(item, 'inferred', v);
      break;
    case 'privacy':
    case 'demo': {
      // 个人信息 / 演示 as 有/无, 是/否, true/false: never defaulted, the PII gate is a human call.
      const yes = /^(有|是|含|true|yes|1)$/i.test(v);
      const no = /^(无|否|不含|false|no|0)$/i.test(v);
      if (!yes && !no) log.error(`${field} "${v}" must be 有/无 (true/false)`, { field, ...where });
      else if (field === 'demo') item.demo = yes;
      else item.privacy = { containsPersonalInfo: yes, redactions: [] };
      break;
    }
    default:
      break;
  }
}

/**
 * Fills what every imported notice needs: `kind`, an id (from the file name
 * when none was given) and a 文种 read from the title (listed in `inferred`).
 */
export function finishNotice(item: RawItem, fallbackId: string): RawItem {
  item.kind ??= 'notice';
  item.id ??= fallbackId;
  const title = item.title as { 'zh-Hans'?: string } | undefined;
  if (!item.docType && title?.['zh-Hans']) {
    const dt = docTypeFromTitle(title['zh-Hans']);
    if (dt) {
      item.docType = dt;
      pushTo(item, 'inferred', `docType "${dt}" read from the end of the title`);
    }
  }
  return item;
}
