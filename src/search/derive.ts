/**
 * Bundle-build-time search data, computed with pinyin-pro (135 KB gzipped),
 * which the kiosk never loads: the bundle builder calls these and ships the
 * results (per item, and one char→pinyin table file with role 'search').
 */
import { customPinyin, pinyin } from 'pinyin-pro';
import type { Item } from '../content/types.ts';
import { itemTitle } from '../content/types.ts';
import { isHan, toSimplified } from './normalize.ts';
import type { CharPinyinTable, DerivedSearchData } from './types.ts';

export type { DerivedSearchData } from './types.ts';

/**
 * Place names pinyin-pro reads with the common reading of a polyphone
 * (单县 is Shàn Xiàn, not Dān). Applied before every derivation.
 */
export const PLACE_NAME_PINYIN: Readonly<Record<string, string>> = {
  单县: 'shàn xiàn',
  单父: 'shàn fǔ',
  莘县: 'shēn xiàn',
  六安: 'lù ān',
  蚌埠: 'bèng bù',
  番禺: 'pān yú',
  丽水: 'lí shuǐ',
  台州: 'tāi zhōu',
  铅山: 'yán shān',
  东阿: 'dōng ē',
  乐亭: 'lào tíng',
  涡阳: 'guō yáng',
  洪洞: 'hóng tóng',
  枞阳: 'zōng yáng',
  费县: 'bì xiàn',
  尉犁: 'yù lí',
  筠连: 'jūn lián',
  大城县: 'dà chéng xiàn',
  厦门: 'xià mén',
  重庆: 'chóng qìng',
};

let customised = false;
function ensureCustomDictionary(): void {
  if (customised) return;
  customPinyin({ ...PLACE_NAME_PINYIN });
  customised = true;
}

/** Toneless syllable as typed on a keyboard: ü is typed v (lv, nv). */
function keyboardSyllable(s: string): string {
  return s.replace(/ü/g, 'v').toLowerCase();
}

/**
 * Pinyin of a text, one syllable per code point ('' for non-Han), resolving
 * polyphones in context (银行 háng, 行政 xíng) and by the place-name dictionary.
 * Traditional text is read through its Simplified form.
 */
export function textPinyin(text: string): string[] {
  ensureCustomDictionary();
  const chars = Array.from(text);
  const simplified = Array.from(toSimplified(text));
  // Read the Simplified form when conversion kept the length (it almost always does).
  const source = simplified.length === chars.length ? simplified.join('') : text;
  const all = pinyin(source, { type: 'all', toneType: 'none' });
  const out: string[] = [];
  for (const entry of all) {
    const cp = entry.origin.codePointAt(0) ?? 0;
    const units = Array.from(entry.origin).length;
    for (let k = 0; k < units; k++)
      out.push(entry.isZh && isHan(cp) ? keyboardSyllable(entry.pinyin) : '');
  }
  return out.length === chars.length ? out : chars.map(() => '');
}

/** Search data of one item, stored by the bundle builder in the item file's `derived`. */
export function deriveSearchData(item: Item): DerivedSearchData {
  return { v: 1, titlePinyin: textPinyin(itemTitle(item)) };
}

/**
 * The 3,755 level-1 characters of GB 2312 (the most common Simplified
 * characters), decoded from their GB 2312 byte range. A pinyin input method
 * offers these first, so they are what a homophone typo is made of, whether
 * or not the corpus uses them.
 */
export function commonChars(): string {
  const bytes: number[] = [];
  for (let hi = 0xb0; hi <= 0xd7; hi++) {
    for (let lo = 0xa1; lo <= 0xfe; lo++) if (!(hi === 0xd7 && lo > 0xf9)) bytes.push(hi, lo);
  }
  try {
    return new TextDecoder('gbk').decode(Uint8Array.from(bytes));
  } catch {
    return ''; // a runtime without legacy encodings: corpus characters only
  }
}

/**
 * Every reading of every Han character in the items' searchable text (after
 * Traditional → Simplified), plus `extraChars` (by default the common
 * characters of {@link commonChars}, which typos are made of).
 */
export function buildCharPinyinTable(
  items: readonly Item[],
  extraChars: string = commonChars(),
): CharPinyinTable {
  ensureCustomDictionary();
  const chars = new Set<string>();
  const add = (s: string | null | undefined): void => {
    if (!s) return;
    for (const ch of toSimplified(s)) if (isHan(ch.codePointAt(0) ?? 0)) chars.add(ch);
  };
  for (const item of items) add(JSON.stringify(item));
  add(extraChars);
  const bySyllable = new Map<string, string>();
  for (const ch of [...chars].sort()) {
    const readings = pinyin(ch, { multiple: true, type: 'array', toneType: 'none' });
    for (const r of new Set(readings.map(keyboardSyllable))) {
      if (!/^[a-z]+$/.test(r)) continue;
      bySyllable.set(r, (bySyllable.get(r) ?? '') + ch);
    }
  }
  const syllables: Record<string, string> = {};
  for (const k of [...bySyllable.keys()].sort()) syllables[k] = bySyllable.get(k) ?? '';
  return { format: 1, syllables };
}
