/**
 * Normalisers for values as admins and portals write them: Chinese-numeral
 * dates, 文号 brackets, and the personal-information patterns of domain.md 2.5.
 * Pure functions, shared by validation and the importers.
 */
import { isIsoDate } from './calendar.ts';

/** Chinese numerals (and the look-alikes found in dates) → digits. */
export const CN_DIGITS: Readonly<Record<string, number>> = {
  〇: 0,
  '○': 0,
  零: 0,
  Ｏ: 0,
  O: 0,
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** 1–31 written as 一 … 十 … 二十一 … 三十一; NaN when it is not one. */
function cnSmallNumber(text: string): number {
  if (/^\d{1,2}$/.test(text)) return Number(text);
  if (/^[一二三四五六七八九]$/.test(text)) return CN_DIGITS[text];
  const m = /^([二三])?十([一二三四五六七八九])?$/.exec(text);
  if (!m) return NaN;
  return (m[1] ? CN_DIGITS[m[1]] : 1) * 10 + (m[2] ? CN_DIGITS[m[2]] : 0);
}

/**
 * Reads a date written as ISO (`2007-04-19`, also with a time), with Arabic
 * digits (`2007年4月19日`, `2007.4.19`, `2007/04/19`) or in Chinese numerals
 * (`二○○七年四月十九日`, with ○ U+25CB or 〇 U+3007). Returns ISO `YYYY-MM-DD`
 * or null when the text is not a real date.
 */
export function parseDate(text: string): string | null {
  const s = text.trim();
  let y: number;
  let mo: number;
  let d: number;
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(s);
  if (m) {
    [y, mo, d] = [+m[1], +m[2], +m[3]];
  } else if ((m = /^(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?$/.exec(s))) {
    [y, mo, d] = [+m[1], +m[2], +m[3]];
  } else if ((m = /^([〇○零一二三四五六七八九ＯO]{4})年(.{1,3})月(.{1,3})日$/.exec(s))) {
    y = Number([...m[1]].map((c) => CN_DIGITS[c]).join(''));
    mo = cnSmallNumber(m[2]);
    d = cnSmallNumber(m[3]);
  } else {
    return null;
  }
  if (!Number.isFinite(mo) || !Number.isFinite(d)) return null;
  const iso = `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : null;
}

const OPEN = '〔[【(（［';
const CLOSE = '〕]】)）］';

/** Result of reading a 文号. */
export interface DocNoReading {
  /** The normalised 文号 (〔year〕), or null when the value is damaged. */
  docNo: string | null;
  /** True when the source used other brackets or spacing than the normalised form. */
  changed: boolean;
  /** Why the value is considered damaged (never repaired by guessing). */
  damage?: string;
}

/**
 * Normalises the brackets of a 文号 to 〔〕 (GB/T 9704): `国办发[2017]47号`,
 * `国办发【2017】47号`, `国办发(2017)47号` and `国办发（2017）47号` all become
 * `国办发〔2017〕47号`. A value whose brackets, year or number are broken (e.g.
 * `东府办函〔2007198`) is reported damaged and not guessed at.
 */
export function normalizeDocNo(raw: string): DocNoReading {
  const s = raw.trim().replace(/\s+/g, '');
  const m = /^(.+?)[〔[【(（［](\d{4})[〕\]】)）］](第?\d+号)$/.exec(s);
  if (m) {
    const docNo = `${m[1]}〔${m[2]}〕${m[3]}`;
    return { docNo, changed: docNo !== raw };
  }
  const hasBracket = [...s].some((c) => OPEN.includes(c) || CLOSE.includes(c));
  if (!hasBracket && /^\D.*?第?\d+号$/.test(s)) return { docNo: s, changed: s !== raw };
  let damage = 'not of the form 机关代字〔年份〕序号号';
  const opens = [...s].filter((c) => OPEN.includes(c)).length;
  const closes = [...s].filter((c) => CLOSE.includes(c)).length;
  if (opens !== closes) damage = 'unbalanced brackets (a character was probably lost)';
  else if (!s.endsWith('号')) damage = 'does not end with 号';
  return { docNo: null, changed: true, damage };
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** True when an 18-character resident ID number has a valid GB 11643 check digit. */
export function isValidIdNumber(id: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(id)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11] === id[17].toUpperCase();
}

/** Luhn check of a digit string (bank cards). */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = Number(digits[i]);
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** One piece of personal information found in a text. */
export interface PiiHit {
  kind: 'id-number' | 'mobile' | 'bank-card';
  /** The match, masked for safe reporting (e.g. `4401**********123X`). */
  masked: string;
}

function mask(text: string, keepStart: number, keepEnd: number): string {
  return (
    text.slice(0, keepStart) + '*'.repeat(text.length - keepStart - keepEnd) + text.slice(-keepEnd)
  );
}

/**
 * Finds unmasked personal information (domain.md 2.5): 18-digit ID numbers
 * whose check digit verifies, mobile numbers `1[3-9]\d{9}`, and bank-card-like
 * runs of 16–19 digits (spaces or dashes allowed) that pass Luhn. Masked
 * values (`138****0000`) do not match because the stars break the digit run.
 */
export function findPii(text: string): PiiHit[] {
  const hits: PiiHit[] = [];
  const taken: [number, number][] = [];
  for (const m of text.matchAll(/(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g)) {
    if (isValidIdNumber(m[0])) {
      hits.push({ kind: 'id-number', masked: mask(m[0], 4, 4) });
      taken.push([m.index, m.index + m[0].length]);
    }
  }
  for (const m of text.matchAll(/(?<!\d)\d(?:[ -]?\d){15,18}(?!\d)/g)) {
    const digits = m[0].replace(/[ -]/g, '');
    const overlaps = taken.some(([a, b]) => m.index < b && m.index + m[0].length > a);
    if (!overlaps && digits.length >= 16 && digits.length <= 19 && luhnValid(digits)) {
      hits.push({ kind: 'bank-card', masked: mask(digits, 4, 4) });
      taken.push([m.index, m.index + m[0].length]);
    }
  }
  for (const m of text.matchAll(/(?<!\d)1[3-9]\d{9}(?!\d)/g)) {
    const overlaps = taken.some(([a, b]) => m.index < b && m.index + m[0].length > a);
    if (!overlaps) hits.push({ kind: 'mobile', masked: mask(m[0], 3, 4) });
  }
  return hits;
}
