/**
 * One gkmlpt article (list entry merged with its detail page's DETAIL) as a
 * notice in the content model's field names. Every field of the platform
 * (docs/import.md "Mirror your portal" lists them) is mapped here or
 * deliberately ignored. Dates come as Unix seconds or strings; any field may
 * be missing, in which case validation, not this code, decides.
 */
import { applyMeta, finishNotice, pushTo } from '../import/meta.ts';
import { sanitizeHtml } from '../import/sanitize.ts';
import { ProblemLog, type RawItem } from '../import/types.ts';
import { mapCategory, mapDocType, type MirrorConfig } from './config.ts';

type Rec = Record<string, unknown>;

const isRecord = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A non-empty trimmed string of a value that may be a string or a number. */
export function str(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

/** `YYYY-MM-DD` in Asia/Shanghai of Unix seconds (or milliseconds, told apart by size). */
export function dateOfUnix(n: number): string | undefined {
  if (!Number.isFinite(n) || n <= 0) return undefined;
  const ms = n > 1e11 ? n : n * 1000;
  return SHANGHAI_DAY.format(new Date(ms));
}

// Created once: building a DateTimeFormat costs about 1 ms, more than all else per item.
const SHANGHAI_DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** A date field given as Unix seconds, a digit string of them, or a date string. */
export function portalDate(v: unknown): string | undefined {
  if (typeof v === 'number') return dateOfUnix(v);
  const s = str(v);
  if (!s) return undefined;
  if (/^\d{9,13}$/.test(s)) return dateOfUnix(Number(s));
  return s;
}

const truthy = (v: unknown): boolean => v === true || v === 1 || v === '1' || v === 'true';

/** The EXT_* fields of an article, from the article itself and its `json_ext`. */
export function extFields(a: Rec): Rec {
  const out: Rec = {};
  let ext: unknown = a.json_ext;
  if (typeof ext === 'string') {
    try {
      ext = JSON.parse(ext);
    } catch {
      ext = null;
    }
  }
  if (isRecord(ext)) Object.assign(out, ext);
  for (const [k, v] of Object.entries(a)) if (k.startsWith('EXT_')) out[k] = v;
  return out;
}

/** An attachment the article lists: where it is and what to call it. */
export interface AttachmentRef {
  url: string;
  name: string;
}

/** The article's `attachment` list as absolute URLs (entries without a URL are skipped). */
export function attachmentRefs(a: Rec, base: string): AttachmentRef[] {
  const list = Array.isArray(a.attachment)
    ? a.attachment
    : Array.isArray(a.attachments)
      ? a.attachments
      : [];
  const out: AttachmentRef[] = [];
  for (const e of list) {
    const url =
      typeof e === 'string'
        ? e
        : isRecord(e)
          ? str(e.url ?? e.link ?? e.path ?? e.file_url)
          : undefined;
    if (!url) continue;
    let abs: string;
    try {
      abs = new URL(url, base).href;
    } catch {
      continue;
    }
    const fromUrl = decodeURIComponent(new URL(abs).pathname.split('/').pop() ?? '');
    const name =
      (isRecord(e) ? str(e.name ?? e.title ?? e.file_name ?? e.filename) : undefined) ?? fromUrl;
    out.push({ url: abs, name: name || 'attachment' });
  }
  return out;
}

/**
 * The configuration's `defaults` (for fields the portal did not give, listed
 * in `inferred`) and the admin's per-item corrections (merged last).
 */
export function applyConfig(item: RawItem, id: string, cfg: MirrorConfig): void {
  for (const [k, v] of Object.entries(cfg.defaults)) {
    if (item[k] === undefined) {
      item[k] = structuredClone(v);
      pushTo(item, 'inferred', `${k} from the mirror configuration's defaults`);
    }
  }
  const patch = cfg.items[id];
  if (patch) Object.assign(item, structuredClone(patch));
}

/** What the mapping needs besides the article. */
export interface MapContext {
  id: string;
  url: string;
  siteName?: string;
  /** Name of the category the item was listed in. */
  column?: string;
  cfg: MirrorConfig;
}

/**
 * Maps one article to a raw notice. `problems` are the mapping's own notes
 * (sanitiser removals, damaged values), for the run's review summary.
 */
export function articleToNotice(a: Rec, ctx: MapContext): { item: RawItem; problems: string[] } {
  const log = new ProblemLog(ctx.url, ctx.id);
  const item: RawItem = { kind: 'notice', id: ctx.id };
  const inferred = (why: string): void => pushTo(item, 'inferred', why);
  const set = (field: string, v: unknown): void => {
    const s = str(v);
    if (s) applyMeta(item, field, s, log);
  };
  set('title', a.title);
  set('docNo', a.document_number);
  set('indexNo', a.identifier);
  set('issuer', a.publisher);
  if (Array.isArray(a.keywords)) item.keywords = a.keywords.filter((k) => typeof k === 'string');
  else set('keywords', a.keywords);
  set('summary', a.abstract);
  set('writtenDate', portalDate(a.date));
  const published =
    portalDate(a.created_at) ??
    portalDate(a.display_publish_time) ??
    portalDate(a.visible_publish_time) ??
    portalDate(a.publish_time);
  if (published) set('publishDate', published.slice(0, 10));
  else if (typeof item.writtenDate === 'string') {
    item.publishDate = item.writtenDate;
    inferred('publishDate from 成文日期 (the portal gives no 发布时间)');
  }

  const ext = extFields(a);
  const main = str(a.classify_main_name);
  const theme = str(a.classify_theme_name);
  const genre = str(a.classify_genre_name);
  if (theme) item.topic = { l1: theme };
  const cat = mapCategory([main, theme, ctx.column], ctx.cfg);
  if (cat) {
    item.infoCategory = cat.key;
    inferred(`infoCategory ${cat.key} from ${cat.by}`);
  } else {
    item.infoCategory = 'other';
    inferred(
      `infoCategory other: no mapping for ${[main, theme, ctx.column].filter(Boolean).join(' / ') || 'an unnamed category'} (add one to categoryMap)`,
    );
  }
  const docType =
    mapDocType(genre, ctx.cfg) ??
    genre ??
    mapDocType(str(ext.EXT_type), ctx.cfg) ??
    str(ext.EXT_type);
  if (docType) item.docType = docType;

  // 有效性: the platform's 失效/废止 flags, else the EXT_sx text some sites add.
  const until = portalDate(a.expired_time);
  if (truthy(a.is_abolished)) item.validity = { status: '废止' };
  else if (truthy(a.is_expired))
    item.validity = { status: '失效', ...(until ? { validUntil: until.slice(0, 10) } : {}) };
  else if (str(ext.EXT_sx)) applyMeta(item, 'validity', str(ext.EXT_sx) ?? '', log);
  if (until && !truthy(a.is_expired) && !truthy(a.is_abolished)) {
    const v = isRecord(item.validity) ? item.validity : { status: null };
    item.validity = { ...v, validUntil: until.slice(0, 10) };
  }

  const content = typeof a.content === 'string' ? a.content : '';
  if (content.trim()) {
    const clean = sanitizeHtml(content);
    item.body = clean.html;
    for (const r of clean.removed)
      log.warn(`${r.reason} from the body`, { element: r.element, field: 'body' });
  }
  item.source = {
    site: ctx.siteName ?? null,
    siteIdCode: null,
    column: ctx.column ?? main ?? null,
    url: ctx.url,
  };
  item.disclosure = { mode: '主动公开' };
  inferred('disclosure.mode 主动公开 (published on the portal)');

  finishNotice(item, ctx.id);
  if (!item.docType) {
    item.docType = '公开目录条目';
    inferred('docType 公开目录条目: the portal gives no 体裁');
  }
  applyConfig(item, ctx.id, ctx.cfg);
  return {
    item,
    problems: log.problems.map(
      (p) => `${p.level} ${p.field ?? ''}${p.element ? ` (${p.element})` : ''}: ${p.reason}`,
    ),
  };
}
