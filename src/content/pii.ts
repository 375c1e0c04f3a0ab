/**
 * The personal-information gate (domain.md 2.5), shared by the CLI's
 * `content check` / `bundle build` (through validate.ts) and the kiosk (what
 * visitors type into search before it is counted, src/data/stats.ts).
 *
 * Pure and synchronous. Text is first normalised (NFKC: full-width digits,
 * letters, brackets and spaces become ASCII), then digit runs are read as
 * groups joined by one separator (space, hyphen, dot or a dash), so
 * `420111 19930215 1386`, `１３９１２３４５６７８` and `+86 139-1234-5678` are
 * seen as the numbers they are. A match always covers whole groups: two
 * numbers written in different words are never merged, and a run touching a
 * Latin letter is part of a code (索引号 `11990100MB0D56786X`), not a number.
 *
 * Every detector checks a checksum or a structure (GB 11643 check digit and
 * birth date, Luhn and an issuer prefix, the Hong Kong and Taiwan check
 * characters), so 文号, dates, 索引号 and office landlines pass. Masked forms
 * (`4201**********1386`, `139****5678`, `×`, `＊`) are safe: the mask breaks
 * the digit run.
 */

import {
  isBankCard,
  isHongKongId,
  isResidentId15,
  isResidentId18,
  isTaiwanId,
  mobileOf,
} from './pii-checks.ts';

export {
  idCheckChar,
  isBankCard,
  isHongKongId,
  isResidentId15,
  isTaiwanId,
  isValidIdNumber,
  luhnValid,
} from './pii-checks.ts';

/** The kinds of personal number the gate knows. */
export const PII_KINDS = [
  'id-number',
  'mobile',
  'bank-card',
  'hk-id',
  'macau-id',
  'taiwan-id',
] as const;
/** One kind of personal number. */
export type PiiKind = (typeof PII_KINDS)[number];

/** How a finding is named in a content problem. */
export const PII_LABELS: Readonly<Record<PiiKind, string>> = {
  'id-number': 'ID number',
  mobile: 'mobile number',
  'bank-card': 'bank card number',
  'hk-id': 'Hong Kong identity card number',
  'macau-id': 'Macau identity card number',
  'taiwan-id': 'Taiwan identity card number',
};

/** What a finding is replaced with in a stored visitor query. */
export const PII_QUERY_LABELS: Readonly<Record<PiiKind, string>> = {
  'id-number': '[身份证号]',
  mobile: '[手机号]',
  'bank-card': '[银行卡号]',
  'hk-id': '[证件号]',
  'macau-id': '[证件号]',
  'taiwan-id': '[证件号]',
};

/** What a long digit run without a valid checksum becomes in a stored query. */
export const LONG_NUMBER_LABEL = '[号码]';
/** Digits (separators removed) from which a run in a query counts as a personal number. */
export const LONG_NUMBER_DIGITS = 11;

/** One piece of personal information found in a text. */
export interface PiiHit {
  kind: PiiKind;
  /** The match, masked for safe reporting (e.g. `4401**********123X`). */
  masked: string;
  /** Offsets of the match in {@link normalizePiiText}`(text)` (end exclusive). */
  start: number;
  end: number;
}

/** The text detectors read: NFKC, so full-width forms count as their ASCII twins. */
export function normalizePiiText(text: string): string {
  return text.normalize('NFKC');
}

/** A Latin letter next to a run makes it part of a code. */
const LATIN = /^[A-Za-z]$/;

/** A group of digits (the last one may end in the ID check letter X). */
interface Group {
  start: number;
  end: number;
  digits: string;
  /** The separator before this group ('' for the first of a run). */
  sep: string;
}

/** A run of digit groups joined by single separators, and whether it touches a Latin letter. */
interface Run {
  groups: Group[];
  inCode: boolean;
}

/**
 * A run: digit groups joined by single separators (space, hyphen, dot, dashes),
 * the last one possibly
 * closed by the ID check letter X (not when a letter or digit follows it).
 */
const RUN_RE = /\d+(?:[ \-.\u2010-\u2015\u2212]\d+)*(?:[Xx](?![A-Za-z0-9]))?/g;
const GROUP_RE = /\d+[Xx]?/g;

/** The digit runs of normalised text with at least `minDigits` digits. */
function digitRuns(t: string, minDigits = 1): Run[] {
  const runs: Run[] = [];
  for (const m of t.matchAll(RUN_RE)) {
    if (m[0].length < minDigits) continue;
    const groups: Group[] = [];
    for (const g of m[0].matchAll(GROUP_RE)) {
      const start = m.index + g.index;
      const sep = g.index > 0 ? m[0][g.index - 1] : '';
      groups.push({ start, end: start + g[0].length, digits: g[0].toUpperCase(), sep });
    }
    const end = m.index + m[0].length;
    const inCode = LATIN.test(t[m.index - 1] ?? '') || LATIN.test(t[end] ?? '');
    runs.push({ groups, inCode });
  }
  return runs;
}

function mask(text: string, keepStart: number, keepEnd: number): string {
  return (
    text.slice(0, keepStart) + '*'.repeat(text.length - keepStart - keepEnd) + text.slice(-keepEnd)
  );
}

/** Priority when candidates overlap: IDs, then mobiles, then cards. */
const RANK: Readonly<Record<PiiKind, number>> = {
  'id-number': 0,
  'hk-id': 1,
  'macau-id': 1,
  'taiwan-id': 1,
  mobile: 2,
  'bank-card': 3,
};

/** Whether groups i..j use one separator throughout (`1990-01-13 010-2000000` does not). */
function oneSeparator(g: readonly Group[], i: number, j: number): boolean {
  for (let k = i + 2; k <= j; k++) if (g[k].sep !== g[i + 1].sep) return false;
  return true;
}

/**
 * How people group numbers (group sizes joined by '-'). Only these shapes are
 * read across separators, so a date, a serial and a landline written side by
 * side are never merged into one number; a number in one group is always read.
 */
const GROUPINGS: Readonly<Record<'id' | 'id15' | 'mobile' | 'card', ReadonlySet<string>>> = {
  id: new Set(['6-8-4', '6-4-4-4', '4-4-4-4-2', '6-6-6', '3-3-4-4-4', '6-12', '6-8-3-1']),
  id15: new Set(['6-6-3', '6-9']),
  mobile: new Set(['3-4-4', '3-8', '7-4']),
  card: new Set([
    '4-4-4-4',
    '4-4-4-4-3',
    '4-4-4-4-2',
    '4-4-4-4-1',
    '4-6-5',
    '4-6-4',
    '6-13',
    '6-12',
    '6-11',
    '6-10',
  ]),
};

/** Whether a grouping (sizes joined by '-', '' for one group) is usual for a kind. */
function fits(kind: keyof typeof GROUPINGS, shape: string): boolean {
  return !shape || GROUPINGS[kind].has(shape);
}

/**
 * What groups `from..to` of a run are, if anything. Checksummed numbers (IDs,
 * cards) may be grouped any way; a mobile only in its usual groupings and a
 * 15-digit ID (no check digit) only alone or as 6-6-3, so a date next to a
 * landline is never read as one.
 */
function classify(
  g: readonly Group[],
  from: number,
  to: number,
): Omit<PiiHit, 'start' | 'end'> | null {
  let parts = g.slice(from, to + 1).map((x) => x.digits);
  // +86 / 0086 in a group of its own belongs to a mobile only.
  const cc = parts.length > 1 && (parts[0] === '86' || parts[0] === '0086');
  if (cc) parts = parts.slice(1);
  const digits = parts.join('');
  const shape = parts.length === 1 ? '' : parts.map((p) => p.length).join('-');
  if (!cc && digits.length === 18 && fits('id', shape) && isResidentId18(digits))
    return { kind: 'id-number', masked: mask(digits, 4, 4) };
  if (digits.includes('X')) return null;
  if (!cc && digits.length === 15 && fits('id15', shape) && isResidentId15(digits))
    return { kind: 'id-number', masked: mask(digits, 4, 4) };
  const mobile = mobileOf(digits);
  if (mobile) {
    // The shape is that of the number itself, after a country code written on to it (+86139…).
    const head = parts[0].slice(digits.length - 11);
    const own = parts.length === 1 ? '' : [head, ...parts.slice(1)].map((p) => p.length).join('-');
    if (!own || GROUPINGS.mobile.has(own)) return { kind: 'mobile', masked: mask(mobile, 3, 4) };
  }
  if (!cc && fits('card', shape) && isBankCard(digits))
    return { kind: 'bank-card', masked: mask(digits, 4, 4) };
  return null;
}

function numberHits(t: string): PiiHit[] {
  const hits: PiiHit[] = [];
  // The shortest personal number (a mobile) has 11 digits.
  for (const run of digitRuns(t, 11)) {
    if (run.inCode) continue;
    const cands: (PiiHit & { from: number; to: number })[] = [];
    const g = run.groups;
    for (let i = 0; i < g.length; i++) {
      let digits = '';
      for (let j = i; j < g.length; j++) {
        digits += g[j].digits;
        if (digits.length > 19) break;
        if (!oneSeparator(g, i, j)) break;
        if (digits.length < 11) continue; // shorter than any personal number
        const c = classify(g, i, j);
        if (c) cands.push({ ...c, start: g[i].start, end: g[j].end, from: i, to: j });
      }
    }
    cands.sort(
      // The number as written (most groups) wins, then the stronger kind.
      (a, b) => b.to - b.from - (a.to - a.from) || RANK[a.kind] - RANK[b.kind] || a.from - b.from,
    );
    const taken: [number, number][] = [];
    for (const c of cands) {
      if (taken.some(([a, b]) => c.from <= b && c.to >= a)) continue;
      taken.push([c.from, c.to]);
      hits.push({ kind: c.kind, masked: c.masked, start: c.start, end: c.end });
    }
  }
  return hits;
}

const NOT_ALNUM_BEFORE = '(?<![A-Za-z0-9])';
const NOT_ALNUM_AFTER = '(?![A-Za-z0-9])';
const HK_RE = new RegExp(`${NOT_ALNUM_BEFORE}([A-Za-z]{1,2})(\\d{6}) ?\\(([0-9Aa])\\)`, 'g');
const MACAU_RE = new RegExp(`${NOT_ALNUM_BEFORE}([157])(\\d{6}) ?\\((\\d)\\)`, 'g');
const TAIWAN_RE = new RegExp(`${NOT_ALNUM_BEFORE}[A-Za-z][12]\\d{8}${NOT_ALNUM_AFTER}`, 'g');

function cardHits(t: string): PiiHit[] {
  const hits: PiiHit[] = [];
  for (const m of t.matchAll(HK_RE)) {
    if (!isHongKongId(m[1], m[2], m[3])) continue;
    const masked = `${m[1].toUpperCase()}${m[2].slice(0, 2)}****(*)`;
    hits.push({ kind: 'hk-id', masked, start: m.index, end: m.index + m[0].length });
  }
  for (const m of t.matchAll(MACAU_RE)) {
    const masked = `${m[1]}${m[2].slice(0, 1)}*****(*)`;
    hits.push({ kind: 'macau-id', masked, start: m.index, end: m.index + m[0].length });
  }
  for (const m of t.matchAll(TAIWAN_RE)) {
    if (!isTaiwanId(m[0])) continue;
    const masked = mask(m[0].toUpperCase(), 2, 2);
    hits.push({ kind: 'taiwan-id', masked, start: m.index, end: m.index + m[0].length });
  }
  return hits;
}

/**
 * Finds unmasked personal numbers in a text: resident IDs (18-digit with
 * check digit, 15-digit with a valid birth date), mainland mobiles (with
 * +86 / 0086), bank cards (Luhn and an issuer prefix), Hong Kong, Macau and
 * Taiwan identity cards. Offsets refer to {@link normalizePiiText}`(text)`;
 * hits are in text order and never overlap.
 */
export function findPii(text: string): PiiHit[] {
  const t = normalizePiiText(text);
  const hits = [...cardHits(t), ...numberHits(t)].sort((a, b) => a.start - b.start);
  const out: PiiHit[] = [];
  for (const h of hits) if (!out.some((o) => h.start < o.end && h.end > o.start)) out.push(h);
  return out;
}

/** True when the text holds no unmasked personal number. */
export function hasPii(text: string): boolean {
  return findPii(text).length > 0;
}

/**
 * A visitor's query made safe to keep: NFKC, every detected personal number
 * replaced by its label ({@link PII_QUERY_LABELS}), and every other run of
 * {@link LONG_NUMBER_DIGITS} or more digits (separators removed, even inside
 * a code) by {@link LONG_NUMBER_LABEL}, since a mistyped ID or phone is still
 * personal. 文号, dates, years and short numbers stay as typed.
 */
export function maskQuery(query: string): string {
  const t = normalizePiiText(query);
  const hits = findPii(t);
  const spans: { start: number; end: number; label: string }[] = [];
  for (const run of digitRuns(t, LONG_NUMBER_DIGITS)) {
    const digits = run.groups.reduce((n, g) => n + g.digits.length, 0);
    if (digits < LONG_NUMBER_DIGITS) continue;
    // The whole run goes: its detected numbers keep their labels, the rest is a number too.
    const start = run.groups[0].start;
    const end = run.groups[run.groups.length - 1].end;
    const inside = hits.filter((h) => h.start >= start && h.end <= end);
    const covered = inside.reduce(
      (n, h) => n + t.slice(h.start, h.end).replace(/\D/g, '').length,
      0,
    );
    const labels = inside.map((h) => PII_QUERY_LABELS[h.kind]);
    if (digits - covered >= LONG_NUMBER_DIGITS || labels.length === 0)
      labels.push(LONG_NUMBER_LABEL);
    spans.push({ start, end, label: labels.join(' ') });
  }
  for (const h of hits) {
    if (spans.some((s) => h.start < s.end && h.end > s.start)) continue;
    spans.push({ start: h.start, end: h.end, label: PII_QUERY_LABELS[h.kind] });
  }
  spans.sort((a, b) => b.start - a.start);
  let out = t;
  for (const s of spans) out = out.slice(0, s.start) + s.label + out.slice(s.end);
  return out;
}
