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
