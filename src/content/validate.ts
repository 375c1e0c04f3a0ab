/**
 * Validation and normalisation of content items (domain.md (a), (b)).
 *
 * Raw items (parsed JSON or YAML objects) become the model of `types.ts`.
 * Every problem names the source file, the item id, the field and the reason;
 * errors make `bundle build` refuse the item, warnings are advice for admins.
 * Pure code: the HTML sanitiser, the calendar and "today" are parameters.
 */
import { daysBetween, hasYear, isIsoDate, UNKNOWN, workingDaysBetween } from './calendar.ts';
import { normalizeDocNo, parseDate } from './normalize.ts';
import { PII_LABELS, findPii } from './pii.ts';
import type { HtmlSanitizer } from './sanitize.ts';
import {
  DAY_UNITS,
  INFO_CATEGORIES,
  LOCALES,
  VALIDITY_STATUSES,
  type Alert,
  type Calendar,
  type Item,
  type L10n,
} from './types.ts';

/** One validation finding. */
export interface Problem {
  file: string;
  itemId: string | null;
  /** Dotted path of the field, e.g. `display.showUntil`; empty for the whole item. */
  field: string;
  reason: string;
  level: 'error' | 'warning';
}

export interface ValidateOptions {
  /** Today in the kiosks' time zone, `YYYY-MM-DD`. */
  today: string;
  calendar?: Calendar | null;
  /** Sanitiser for HTML bodies; an item with a body fails without one. */
  sanitize?: HtmlSanitizer;
  /** Called after each source is checked, for progress bars. */
  onProgress?: (done: number, total: number) => void;
}

/** A raw item as read from a file. */
export interface RawSource {
  file: string;
  data: unknown;
}

export interface NormalizedItem {
  file: string;
  item: Item;
  errors: Problem[];
  warnings: Problem[];
}

export interface ContentReport {
  /** Every item that could be read, valid or not, with its own problems. */
  items: NormalizedItem[];
  alerts: { file: string; alert: Alert; errors: Problem[]; warnings: Problem[] }[];
  errors: Problem[];
  warnings: Problem[];
}

type Rec = Record<string, unknown>;

/**
 * A raw value as text for a message or a comparison. `String()` throws on
 * valid JSON such as `{"toString": 1}` (found by the reliability suite's fuzzing).
 */
function show(v: unknown): string {
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

function isRecord(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const PENALTY_SPECIAL_DOMAINS = ['special-equipment', 'work-safety', 'fire-safety'];

const NOTICE_KEYS = new Set([
  'id', 'kind', 'docType', 'title', 'issuer', 'docNo', 'docNoAsInSource', 'indexNo', 'topic',
  'infoCategory', 'writtenDate', 'publishDate', 'validity', 'disclosure', 'noticePeriod',
  'enforcement', 'keywords', 'summary', 'body', 'tasks', 'attachments', 'interpretationOf',
  'interpretations', 'recipients', 'baseLevelArea', 'source', 'display', 'privacy', 'inferred',
  'qualityFlags', 'provenance', 'demo', 'reviewedAt', 'sourceText',
]); // prettier-ignore
const GUIDE_KEYS = new Set([
  'id', 'kind', 'itemName', 'itemCode', 'itemType', 'implementingBody', 'department', 'topic',
  'legalBasis', 'applicants', 'conditions', 'materials', 'procedure', 'flowchart', 'timeLimit',
  'fees', 'location', 'hours', 'consultationPhone', 'complaintPhone', 'visitsRequired',
  'onlineUrl', 'queryUrl', 'faq', 'serviceCommitments', 'updatedAt', 'forms', 'shortVersion',
  'validity', 'source', 'display', 'privacy', 'inferred', 'qualityFlags', 'provenance', 'demo',
  'reviewedAt',
]); // prettier-ignore

/** Collects problems for one item. */
class Checker {
  readonly errors: Problem[] = [];
  readonly warnings: Problem[] = [];
  constructor(
    readonly file: string,
    public itemId: string | null,
  ) {}
  error(field: string, reason: string): void {
    this.errors.push({ file: this.file, itemId: this.itemId, field, reason, level: 'error' });
  }
  warn(field: string, reason: string): void {
    this.warnings.push({ file: this.file, itemId: this.itemId, field, reason, level: 'warning' });
  }

  /** A required non-empty string. */
  str(obj: Rec, key: string, path = key): string | null {
    const v = obj[key];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
    this.error(path, v === undefined || v === null || v === '' ? 'is required' : 'must be text');
    return null;
  }

  /** An optional string (null when absent). */
  optStr(obj: Rec, key: string, path = key): string | null {
    const v = obj[key];
    if (v === undefined || v === null || v === '') return null;
    if (typeof v === 'string') return v.trim();
    this.error(path, 'must be text');
    return null;
  }

  /** A date field: ISO, Arabic or Chinese numerals accepted, ISO returned. */
  date(obj: Rec, key: string, path: string, required: boolean): string | null {
    const v = obj[key];
    if (v === undefined || v === null || v === '') {
      if (required) this.error(path, 'is required (a date, YYYY-MM-DD)');
      return null;
    }
    if (typeof v !== 'string') {
      this.error(path, 'must be a date written as text (YYYY-MM-DD)');
      return null;
    }
    const iso = parseDate(v);
    if (!iso) this.error(path, `${JSON.stringify(v)} is not a valid date (YYYY-MM-DD)`);
    return iso;
  }

  /** A text field: a string is taken as zh-Hans; zh-Hans is required. */
  l10n(obj: Rec, key: string, required: boolean): L10n | null {
    const v = obj[key];
    if (v === undefined || v === null || v === '') {
      if (required) this.error(`${key}.zh-Hans`, 'is required');
      return null;
    }
    if (typeof v === 'string') {
      // Blank text is no title: found by the reliability suite's fuzzing.
      if (v.trim() !== '') return { 'zh-Hans': v.trim() };
      if (required) this.error(`${key}.zh-Hans`, 'is required');
      return null;
    }
    if (!isRecord(v)) {
      this.error(key, 'must be text or {"zh-Hans": ..., "zh-Hant-HK"?, "zh-Hant-TW"?, "en"?}');
      return null;
    }
    const zh = v['zh-Hans'];
    if (typeof zh !== 'string' || zh.trim() === '') {
      this.error(`${key}.zh-Hans`, 'is required (the Simplified original)');
      return null;
    }
    const out: L10n = { 'zh-Hans': zh.trim() };
    for (const [k, val] of Object.entries(v)) {
      if (k === 'zh-Hans' || k === 'machineConverted') continue;
      if (!(LOCALES as readonly string[]).includes(k)) {
        this.error(`${key}.${k}`, `unknown locale (allowed: ${LOCALES.join(', ')})`);
      } else if (typeof val !== 'string') {
        this.error(`${key}.${k}`, 'must be text');
      } else if (val.trim() !== '') {
        out[k as Exclude<keyof L10n, 'machineConverted'>] = val.trim();
      }
    }
    const mc = v.machineConverted;
    if (mc !== undefined) {
      if (!Array.isArray(mc) || mc.some((l) => typeof l !== 'string' || !(l in out))) {
        this.error(
          `${key}.machineConverted`,
          'must list variants present in this field (zh-Hant-HK, zh-Hant-TW, en)',
        );
      } else if (mc.length > 0) {
        out.machineConverted = mc as NonNullable<L10n['machineConverted']>;
      }
    }
    return out;
  }
}

function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${ny}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** Walks every string of a value with its dotted path. */
function* strings(v: unknown, path: string): Generator<[string, string]> {
  if (typeof v === 'string') yield [path, v];
  else if (Array.isArray(v))
    for (let i = 0; i < v.length; i++) yield* strings(v[i], `${path}[${i}]`);
  else if (isRecord(v)) {
    for (const [k, val] of Object.entries(v)) yield* strings(val, path ? `${path}.${k}` : k);
  }
}

/** Fields that hold identifiers or provenance, not text shown to visitors. */
const PII_SKIP =
  /^(id|privacy|source|provenance|inferred|qualityFlags|attachments\[\d+\]\.sha256|indexNo|itemCode)(\.|\[|$)/;

function piiGate(c: Checker, raw: Rec): void {
  const privacy = isRecord(raw.privacy) ? raw.privacy : null;
  const ov = privacy && isRecord(privacy.override) ? privacy.override : null;
  let override: { reviewedBy: string; reviewedAt: string; reason: string } | null = null;
  if (privacy && privacy.override !== undefined && privacy.override !== null) {
    const by = ov && typeof ov.reviewedBy === 'string' ? ov.reviewedBy.trim() : '';
    const at = ov && typeof ov.reviewedAt === 'string' ? parseDate(ov.reviewedAt) : null;
    const reason = ov && typeof ov.reason === 'string' ? ov.reason.trim() : '';
    if (!by || !at || !reason) {
      c.error(
        'privacy.override',
        'needs reviewedBy, reviewedAt (a date) and reason to allow personal information',
      );
    } else {
      override = { reviewedBy: by, reviewedAt: at, reason };
    }
  }
  for (const [path, text] of strings(raw, '')) {
    if (PII_SKIP.test(path)) continue;
    for (const hit of findPii(text)) {
      const what = `unmasked ${PII_LABELS[hit.kind]} ${hit.masked}`;
      if (override) {
        c.warn(path, `${what} shown under the privacy override by ${override.reviewedBy}`);
      } else {
        c.error(path, `${what} in a public item: mask it or record privacy.override`);
      }
    }
  }
}

function checkValidity(c: Checker, raw: Rec, out: Rec, today: string): void {
  if (raw.validity === undefined || raw.validity === null) return;
  if (!isRecord(raw.validity)) {
    c.error('validity', 'must be {status, validFrom?, validUntil?, replacedBy?}');
    return;
  }
  const v = raw.validity;
  const status = v.status ?? null;
  if (status !== null && !(VALIDITY_STATUSES as readonly unknown[]).includes(status)) {
    c.error('validity.status', `must be one of ${VALIDITY_STATUSES.join('/')} or null`);
  }
  const validFrom = c.date(v, 'validFrom', 'validity.validFrom', false);
  const validUntil = c.date(v, 'validUntil', 'validity.validUntil', false);
  out.validity = { ...v, status, validFrom, validUntil };
  // ISO dates compare as strings. An end before the start is a typo kiosks cannot show sensibly.
  if (validFrom && validUntil && validUntil < validFrom) {
    c.error(
      'validity.validUntil',
      `${validUntil} is before validFrom ${validFrom}: the validity ends before it starts`,
    );
  }
  if (validUntil && (status === '有效' || status === null)) {
    const left = daysBetween(today, validUntil);
    if (left < 0) {
      c.warn('validity.validUntil', `passed on ${validUntil}: kiosks treat the item as expired`);
    } else if (left <= 60) {
      c.warn('validity.validUntil', `ends in ${left} days (${validUntil}): review or replace it`);
    }
  }
}

function checkDisplay(
  c: Checker,
  raw: Rec,
  out: Rec,
): { showFrom: string | null; showUntil: string | null } {
  if (raw.display === undefined || raw.display === null) return { showFrom: null, showUntil: null };
  if (!isRecord(raw.display)) {
    c.error('display', 'must be {rotate?, showFrom?, showUntil?, priority?, screens?}');
    return { showFrom: null, showUntil: null };
  }
  const d = raw.display;
  const showFrom = c.date(d, 'showFrom', 'display.showFrom', false);
  const showUntil = c.date(d, 'showUntil', 'display.showUntil', false);
  if (showFrom && showUntil && showUntil < showFrom) {
    c.error('display.showUntil', `is before display.showFrom (${showFrom})`);
  }
  if (d.rotate !== undefined && d.rotate !== null && typeof d.rotate !== 'boolean') {
    c.error('display.rotate', 'must be true or false');
  }
  if (d.priority !== undefined && d.priority !== null && typeof d.priority !== 'number') {
    c.error('display.priority', 'must be a number');
  }
  if (
    d.screens !== undefined &&
    (!Array.isArray(d.screens) || d.screens.some((s) => typeof s !== 'string'))
  ) {
    c.error('display.screens', 'must be a list of screen ids');
  }
  out.display = { ...d, showFrom, showUntil };
  return { showFrom, showUntil };
}

function checkBody(c: Checker, raw: Rec, out: Rec, opts: ValidateOptions): void {
  const body = raw.body;
  if (body === undefined || body === null || body === '') return;
  if (typeof body !== 'string') {
    c.error('body', 'must be HTML text');
    return;
  }
  if (!opts.sanitize) {
    c.error('body', 'cannot be checked: no HTML sanitiser was given');
    return;
  }
  const { html, removed } = opts.sanitize(body);
  out.body = html;
  for (const r of removed) c.warn('body', `removed ${r} (not in the allow-list)`);
}

/** Reads a working-day rule's answer into a warning, reporting 'unknown' plainly. */
function lagRule(
  c: Checker,
  field: string,
  from: string,
  to: string,
  limit: number,
  what: string,
  calendar: Calendar | null | undefined,
): void {
  const n = workingDaysBetween(from, to, calendar);
  if (n === UNKNOWN) {
    c.warn(
      field,
      `${what}: unknown, the calendar has no working days for ${from.slice(0, 4)}–${to.slice(0, 4)}`,
    );
  } else if (n > limit) {
    c.warn(field, `${what}: ${n} working days after ${from}, over the ${limit} allowed`);
  }
}

function normalizeNotice(c: Checker, raw: Rec, opts: ValidateOptions): Rec {
  const out: Rec = { ...raw };
  const today = opts.today;
  const docType = c.str(raw, 'docType');
  const title = c.l10n(raw, 'title', true);
  if (title) out.title = title;
  const summary = c.l10n(raw, 'summary', false);
  if (summary) out.summary = summary;
  if (
    !Array.isArray(raw.issuer) ||
    raw.issuer.length === 0 ||
    raw.issuer.some((s) => typeof s !== 'string' || s.trim() === '')
  ) {
    c.error('issuer', 'is required: a list of issuing bodies (发布机构)');
  }
  if (typeof raw.infoCategory !== 'string' || !(raw.infoCategory in INFO_CATEGORIES)) {
    c.error('infoCategory', `must be one of ${Object.keys(INFO_CATEGORIES).join(', ')}`);
  }
  const writtenDate = c.date(raw, 'writtenDate', 'writtenDate', false);
  const publishDate = c.date(raw, 'publishDate', 'publishDate', true);
  out.writtenDate = writtenDate;
  if (publishDate) out.publishDate = publishDate;
  if (writtenDate && publishDate) {
    if (publishDate < writtenDate) c.error('publishDate', `is before writtenDate (${writtenDate})`);
    else lagRule(c, 'publishDate', writtenDate, publishDate, 20, 'published', opts.calendar);
  }

  // 文号: normalise brackets, keep the raw value, flag damage rather than guess.
  if (raw.docNo !== undefined && raw.docNo !== null && raw.docNo !== '') {
    if (typeof raw.docNo !== 'string') c.error('docNo', 'must be text');
    else {
      const r = normalizeDocNo(raw.docNo);
      out.docNoAsInSource =
        typeof raw.docNoAsInSource === 'string' ? raw.docNoAsInSource : raw.docNo;
      out.docNo = r.docNo;
      if (r.damage) {
        c.warn(
          'docNo',
          `${JSON.stringify(raw.docNo)} is damaged (${r.damage}): shown as in the source, not repaired`,
        );
        const flags = Array.isArray(raw.qualityFlags) ? [...(raw.qualityFlags as unknown[])] : [];
        flags.push(`docNo damaged in source: ${raw.docNo}`);
        out.qualityFlags = flags;
      }
    }
  }

  if (!isRecord(raw.disclosure))
    c.error('disclosure', 'is required: {mode, audience?, term?, channels?}');
  else if (!['主动公开', '依申请公开', '不予公开'].includes(show(raw.disclosure.mode))) {
    c.error('disclosure.mode', 'must be 主动公开, 依申请公开 or 不予公开');
  }

  checkValidity(c, raw, out, today);
  const { showFrom, showUntil } = checkDisplay(c, raw, out);

  // 公示 needs its window.
  if (docType === '公示' && (raw.noticePeriod === undefined || raw.noticePeriod === null)) {
    c.error(
      'noticePeriod',
      'a 公示 item needs noticePeriod {start, end or days, unit 自然日|工作日}',
    );
  } else if (raw.noticePeriod !== undefined && raw.noticePeriod !== null) {
    if (!isRecord(raw.noticePeriod)) c.error('noticePeriod', 'must be {start, end?, days?, unit}');
    else {
      const p = raw.noticePeriod;
      const start = c.date(p, 'start', 'noticePeriod.start', true);
      const end = c.date(p, 'end', 'noticePeriod.end', false);
      if (!(DAY_UNITS as readonly unknown[]).includes(p.unit)) {
        c.error('noticePeriod.unit', 'must be 自然日 or 工作日');
      }
      const days = p.days ?? null;
      if (days !== null && (typeof days !== 'number' || !Number.isInteger(days) || days < 1)) {
        c.error('noticePeriod.days', 'must be a whole number of days ≥ 1');
      }
      if (!end && days === null) c.error('noticePeriod', 'needs an end date or a number of days');
      if (start && end && end < start)
        c.error('noticePeriod.end', `is before the start (${start})`);
      out.noticePeriod = { ...p, start, end, days };
    }
  }

  // 双公示: permits and penalties.
  if (raw.enforcement !== undefined && raw.enforcement !== null) {
    if (!isRecord(raw.enforcement))
      c.error('enforcement', 'must be {type, decisionDate, decisionNo, ...}');
    else {
      const e = raw.enforcement;
      if (e.type !== 'permit' && e.type !== 'penalty')
        c.error('enforcement.type', 'must be permit or penalty');
      const decisionDate = c.date(e, 'decisionDate', 'enforcement.decisionDate', true);
      c.str(e, 'decisionNo', 'enforcement.decisionNo');
      out.enforcement = { ...e, decisionDate };
      if (!showUntil) {
        c.error('display.showUntil', `a ${show(e.type)} (双公示) item needs display.showUntil`);
      }
      if (e.type === 'penalty') {
        if (e.warningOnly === true)
          c.error('enforcement.warningOnly', 'a warning-only penalty (警告) is not published');
        if (e.minor === true)
          c.error('enforcement.minor', 'penalties on minors are never published');
        const special = PENALTY_SPECIAL_DOMAINS.includes(show(e.domain));
        const start = showFrom ?? decisionDate;
        if (start && showUntil) {
          const min = addMonths(start, special ? 12 : 3);
          const max = addMonths(start, 36);
          if (showUntil < min) {
            c.error(
              'display.showUntil',
              `${showUntil} is too early: a ${special ? `${show(e.domain)} ` : ''}penalty is shown at least ${special ? '1 year' : '3 months'} (until ${min} or later)`,
            );
          } else if (showUntil > max) {
            c.error(
              'display.showUntil',
              `${showUntil} is too late: a penalty is shown at most 3 years (until ${max})`,
            );
          }
        }
      }
      if (decisionDate && publishDate && publishDate >= decisionDate) {
        lagRule(c, 'publishDate', decisionDate, publishDate, 7, '双公示 published', opts.calendar);
      }
    }
  }

  // 长期公开 items need a yearly review.
  if (isRecord(raw.disclosure) && raw.disclosure.term === '长期公开') {
    const reviewed = c.date(raw, 'reviewedAt', 'reviewedAt', false) ?? publishDate;
    if (reviewed && addMonths(reviewed, 12) < today) {
      c.warn('reviewedAt', `长期公开 item last reviewed ${reviewed}, more than 12 months ago`);
    }
  }
  checkBody(c, raw, out, opts);
  if (!isRecord(raw.privacy))
    c.error('privacy', 'is required: {containsPersonalInfo, redactions?, override?}');
  return out;
}

function normalizeGuide(c: Checker, raw: Rec, opts: ValidateOptions): Rec {
  const out: Rec = { ...raw };
  const name = c.l10n(raw, 'itemName', true);
  if (name) out.itemName = name;
  if (!isRecord(raw.implementingBody)) c.error('implementingBody.name', 'is required (实施主体)');
  else c.str(raw.implementingBody, 'name', 'implementingBody.name');
  if (
    isRecord(raw.flowchart) &&
    (typeof raw.flowchart.altText !== 'string' || raw.flowchart.altText.trim() === '')
  ) {
    c.error('flowchart.altText', 'a flowchart needs a text alternative');
  }
  if (Array.isArray(raw.materials)) {
    raw.materials.forEach((m, i) => {
      if (!isRecord(m)) c.error(`materials[${i}]`, 'must be {name, form, copies?, required}');
      else {
        c.str(m, 'name', `materials[${i}].name`);
        if (typeof m.required !== 'boolean')
          c.error(`materials[${i}].required`, 'must be true or false');
      }
    });
  }
  if (raw.onlineUrl !== undefined && raw.onlineUrl !== null) {
    if (typeof raw.onlineUrl !== 'string' || !/^https?:\/\/[^\s]+$/.test(raw.onlineUrl)) {
      c.error('onlineUrl', 'must be an http(s) URL');
    }
  }
  const updatedAt = c.date(raw, 'updatedAt', 'updatedAt', false);
  if (updatedAt) out.updatedAt = updatedAt;
  checkValidity(c, raw, out, opts.today);
  checkDisplay(c, raw, out);
  if (!isRecord(raw.privacy))
    c.error('privacy', 'is required: {containsPersonalInfo, redactions?, override?}');
  return out;
}

/**
 * Normalises and checks one raw item. Returns the normalised item (even when
 * it has errors, so `content check` can show it) or null when it is not an
 * item at all.
 */
export function normalizeItem(
  file: string,
  raw: unknown,
  opts: ValidateOptions,
): { item: Item | null; errors: Problem[]; warnings: Problem[] } {
  const id = isRecord(raw) && typeof raw.id === 'string' && raw.id.trim() ? raw.id.trim() : null;
  const c = new Checker(file, id);
  if (!isRecord(raw)) {
    c.error('', 'an item must be a JSON/YAML object');
    return { item: null, errors: c.errors, warnings: c.warnings };
  }
  if (!id) c.error('id', 'is required');
  else if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(id)) {
    c.error('id', 'must be letters, digits, ".", "_" or "-" (max 128)');
  }
  if (raw.kind !== 'notice' && raw.kind !== 'guide') {
    c.error('kind', 'must be "notice" or "guide"');
    return { item: null, errors: c.errors, warnings: c.warnings };
  }
  const known = raw.kind === 'notice' ? NOTICE_KEYS : GUIDE_KEYS;
  for (const k of Object.keys(raw)) {
    if (!known.has(k)) c.warn(k, `unknown field for a ${raw.kind} (kept, but kiosks ignore it)`);
  }
  for (const k of ['inferred', 'qualityFlags'] as const) {
    if (
      raw[k] !== undefined &&
      (!Array.isArray(raw[k]) || (raw[k] as unknown[]).some((s) => typeof s !== 'string'))
    ) {
      c.error(k, 'must be a list of text');
    }
  }
  if (raw.demo === true && !(Array.isArray(raw.inferred) && raw.inferred.length > 0)) {
    c.warn('inferred', 'a demo item should list its synthetic values in inferred');
  }
  const out = raw.kind === 'notice' ? normalizeNotice(c, raw, opts) : normalizeGuide(c, raw, opts);
  if (id) out.id = id;
  piiGate(c, raw);
  return { item: out as unknown as Item, errors: c.errors, warnings: c.warnings };
}

/** Normalises and checks one alert (预警信息). */
export function normalizeAlert(
  file: string,
  raw: unknown,
): { alert: Alert | null; errors: Problem[]; warnings: Problem[] } {
  const id = isRecord(raw) && typeof raw.id === 'string' && raw.id.trim() ? raw.id.trim() : null;
  const c = new Checker(file, id);
  if (!isRecord(raw)) {
    c.error('', 'an alert must be an object');
    return { alert: null, errors: c.errors, warnings: c.warnings };
  }
  if (!id) c.error('id', 'is required');
  if (!['red', 'orange', 'yellow', 'blue'].includes(show(raw.severity))) {
    c.error('severity', 'must be red, orange, yellow or blue');
  }
  const headline = c.l10n(raw, 'headline', true);
  const text = c.l10n(raw, 'text', true);
  const area = c.str(raw, 'area');
  const times: Record<'effective' | 'expires', string | null> = { effective: null, expires: null };
  for (const k of ['effective', 'expires'] as const) {
    const v = raw[k];
    if (
      typeof v !== 'string' ||
      !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v) ||
      Number.isNaN(Date.parse(v))
    ) {
      c.error(k, 'must be an ISO date-time with its offset, e.g. 2026-11-24T08:00:00+08:00');
    } else {
      times[k] = new Date(Date.parse(v)).toISOString();
    }
  }
  if (times.effective && times.expires && times.expires <= times.effective) {
    c.error('expires', 'is not after effective');
  }
  piiGate(c, raw);
  if (c.errors.length > 0 || !headline || !text || !area || !times.effective || !times.expires) {
    return { alert: null, errors: c.errors, warnings: c.warnings };
  }
  const alert: Alert = {
    id: id as string,
    kind: 'alert',
    severity: raw.severity as Alert['severity'],
    headline,
    text,
    area,
    effective: times.effective,
    expires: times.expires,
    ...(typeof raw.issuer === 'string' ? { issuer: raw.issuer } : {}),
    ...(raw.cancelled === true ? { cancelled: true } : {}),
  };
  return { alert, errors: c.errors, warnings: c.warnings };
}

/**
 * Warnings about the calendar itself: from October on, next year's calendar
 * should be in the bundle, or working-day rules turn unknown on 1 January.
 */
export function calendarWarnings(calendar: Calendar | null | undefined, today: string): Problem[] {
  const out: Problem[] = [];
  const year = Number(today.slice(0, 4));
  const w = (reason: string): Problem => ({
    file: 'calendar',
    itemId: null,
    field: 'calendar',
    reason,
    level: 'warning',
  });
  if (!hasYear(calendar, year))
    out.push(w(`no working-day calendar for ${year}: working-day rules are unknown`));
  if (Number(today.slice(5, 7)) >= 10 && !hasYear(calendar, year + 1)) {
    out.push(
      w(
        `no working-day calendar for ${year + 1} yet: update chinese-days once the State Council publishes it`,
      ),
    );
  }
  return out;
}

/**
 * Checks a whole content set: every item and alert, plus rules across items
 * (duplicate ids, 解读 published more than 3 working days after its document).
 * Invalid items stay in the report with their errors.
 */
export function validateContent(sources: RawSource[], opts: ValidateOptions): ContentReport {
  const items: NormalizedItem[] = [];
  const alerts: ContentReport['alerts'] = [];
  const stray: Problem[] = [];
  for (const [i, s] of sources.entries()) {
    opts.onProgress?.(i + 1, sources.length);
    if (isRecord(s.data) && s.data.kind === 'alert') {
      const r = normalizeAlert(s.file, s.data);
      if (r.alert)
        alerts.push({ file: s.file, alert: r.alert, errors: r.errors, warnings: r.warnings });
      else stray.push(...r.errors, ...r.warnings);
      continue;
    }
    const r = normalizeItem(s.file, s.data, opts);
    if (r.item) items.push({ file: s.file, item: r.item, errors: r.errors, warnings: r.warnings });
    else stray.push(...r.errors, ...r.warnings);
  }
  const byId = new Map<string, NormalizedItem>();
  for (const n of items) {
    const prev = byId.get(n.item.id);
    if (prev) {
      n.errors.push({
        file: n.file,
        itemId: n.item.id,
        field: 'id',
        reason: `duplicate id (also in ${prev.file})`,
        level: 'error',
      });
    } else byId.set(n.item.id, n);
  }
  for (const n of items) {
    const it = n.item;
    if (it.kind !== 'notice' || it.docType !== '解读' || !it.interpretationOf) continue;
    const doc = byId.get(it.interpretationOf);
    const c = new Checker(n.file, it.id);
    if (!doc || doc.item.kind !== 'notice') {
      c.warn('interpretationOf', `document ${it.interpretationOf} is not in this content set`);
    } else if (
      isIsoDate(doc.item.publishDate) &&
      isIsoDate(it.publishDate) &&
      it.publishDate > doc.item.publishDate
    ) {
      lagRule(
        c,
        'publishDate',
        doc.item.publishDate,
        it.publishDate,
        3,
        '解读 published',
        opts.calendar,
      );
    }
    n.warnings.push(...c.warnings);
  }
  const errors = [
    ...stray.filter((p) => p.level === 'error'),
    ...items.flatMap((n) => n.errors),
    ...alerts.flatMap((a) => a.errors),
  ];
  const warnings = [
    ...calendarWarnings(opts.calendar, opts.today),
    ...stray.filter((p) => p.level === 'warning'),
    ...items.flatMap((n) => n.warnings),
    ...alerts.flatMap((a) => a.warnings),
  ];
  return { items, alerts, errors, warnings };
}

/** `YYYY-MM-DD` of an instant in a time zone (default Asia/Shanghai). */
export function isoDateIn(instant: Date, timeZone = 'Asia/Shanghai'): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}
