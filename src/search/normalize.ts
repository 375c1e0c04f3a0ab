/**
 * Text normalisation shared by the index builder and the query side, so both
 * see the same characters: NFKC (full-width → half-width, compatibility
 * ideographs), lower-case Latin, Traditional (Hong Kong and Taiwan forms) →
 * Simplified, punctuation → a space.
 *
 * The converter is built from four OpenCC dictionaries (HK and TW variant
 * reversals, then Traditional phrases and characters → Simplified) rather than
 * the `t2cn` preset, which also pulls in Japanese and "phrase" dictionaries the
 * kiosk does not need.
 */
import { Trie } from 'opencc-js/core';
import HKVariantsRevPhrases from 'opencc-js/dict/HKVariantsRevPhrases';
import HKVariantsRev from 'opencc-js/dict/HKVariantsRev';
import TWVariantsRevPhrases from 'opencc-js/dict/TWVariantsRevPhrases';
import TWVariantsRev from 'opencc-js/dict/TWVariantsRev';
import TSPhrases from 'opencc-js/dict/TSPhrases';
import TSCharacters from 'opencc-js/dict/TSCharacters';

/**
 * One stage of the conversion: OpenCC's trie of a dictionary group, plus the
 * code points that start any of its keys. A position whose character starts
 * no key cannot match, so it is skipped without a trie lookup: most
 * characters of a (mostly Simplified) text are skipped that way.
 */
interface Stage {
  trie: Trie;
  /** Per BMP code point: 1 if some key starts with it, 2 if it is also a whole key. */
  starts: Uint8Array;
  astralStarts: Set<number>;
  /**
   * The first two code points of every longer key, hashed ({@link pairSlot}):
   * a common character starts some phrase, but rarely the phrase that
   * follows it here. A collision only costs a trie walk that finds nothing.
   */
  pairs: Uint8Array;
}

const PAIR_SLOTS = 1 << 16;
/** Slot of a pair of code points in {@link Stage.pairs}. */
function pairSlot(a: number, b: number): number {
  return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b)) >>> 16;
}

/** The same dictionary group, in the same order, as `ConverterFactory(...)` would load. */
function stage(dicts: readonly string[]): Stage {
  const trie = new Trie();
  trie.loadDictGroup(dicts);
  const starts = new Uint8Array(0x10000);
  const astralStarts = new Set<number>();
  const pairs = new Uint8Array(PAIR_SLOTS);
  for (const dict of dicts) {
    for (const entry of dict.split('|')) {
      const key = Array.from(entry.split(' ')[0] ?? '', (c) => c.codePointAt(0) ?? 0);
      if (key.length === 0) continue;
      const cp = key[0];
      if (cp >= 0x10000) astralStarts.add(cp);
      else if (key.length === 1) starts[cp] = 2;
      else {
        starts[cp] ||= 1;
        pairs[pairSlot(cp, key[1])] = 1;
      }
    }
  }
  return { trie, starts, astralStarts, pairs };
}

/** Ideographic description characters: OpenCC keeps a whole description sequence unmatched. */
const IDS = /[\u2ff0-\u2fff]/;

/**
 * `stage.trie.convert(text)` (longest match at each position, left to
 * right), with the positions that start no key skipped in bulk.
 */
function convertStage(st: Stage, text: string): string {
  // The rare text with an ideographic description sequence: OpenCC's own loop, which skips it.
  if (IDS.test(text)) return st.trie.convert(text);
  const { starts, astralStarts, pairs, trie } = st;
  const n = text.length;
  let out = '';
  let from = 0;
  for (let i = 0; i < n;) {
    let cp = text.charCodeAt(i);
    let w = 1;
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n) {
      const lo = text.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        cp = (cp - 0xd800) * 0x400 + (lo - 0xdc00) + 0x10000;
        w = 2;
      }
    }
    const start = cp < 0x10000 ? starts[cp] : astralStarts.has(cp) ? 2 : 0;
    // Starts only longer keys: worth a trie walk only if the next character continues one.
    if (start === 1 && pairs[pairSlot(cp, text.codePointAt(i + w) ?? 0)] === 0) {
      i += w;
      continue;
    }
    if (start !== 0) {
      const m = trie.matchPrefix(text, i);
      if (m) {
        out += text.slice(from, i) + m.value;
        i = m.end;
        from = i;
        continue;
      }
    }
    i += w;
  }
  return from === 0 ? text : out + text.slice(from);
}

let t2sStages: Stage[] | null = null;

/**
 * Traditional (incl. Hong Kong 衞/枱 and Taiwan variants) → Simplified: what
 * `ConverterFactory([HK and TW variant reversals], [TSPhrases, TSCharacters])`
 * gives (test/search/normalize.test.ts checks it), faster on long texts.
 * Built on first use (~20 ms).
 */
export function toSimplified(text: string): string {
  t2sStages ??= [
    stage([HKVariantsRevPhrases, HKVariantsRev, TWVariantsRevPhrases, TWVariantsRev]),
    stage([TSPhrases, TSCharacters]),
  ];
  let out = text;
  for (const st of t2sStages) out = convertStage(st, out);
  return out;
}

/** NFKC, lower case, Simplified: the character folding every search text goes through. */
export function foldText(text: string): string {
  return toSimplified(text.normalize('NFKC').toLowerCase());
}

/** Runs of characters that are neither letters nor digits (punctuation, spaces, symbols). */
const NOT_WORD = /[^\p{L}\p{N}]+/gu;

/** Folded text with punctuation → a space: {@link normalizeText} after {@link foldText}. */
export function wordsOfFolded(folded: string): string {
  return folded.replace(NOT_WORD, ' ');
}

/**
 * Normalises text for indexing and querying. Punctuation (including every
 * bracket style of 文号) becomes a single space; letters are lower-cased.
 */
export function normalizeText(text: string): string {
  return foldText(text).replace(NOT_WORD, ' ');
}

/** Normalised text with, for each UTF-16 unit of it, the offset of its source unit. */
export interface MappedText {
  text: string;
  /** `origin[i]` is the offset in the original of normalised unit i; length text.length + 1. */
  origin: number[];
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * Like {@link normalizeText} but keeps a map back to the original offsets, so
 * highlight ranges can be reported on the text the visitor sees. Slower: use
 * it for the few displayed results only.
 */
export function normalizeMapped(text: string): MappedText {
  let folded = '';
  const origin: number[] = [];
  let i = 0;
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    let n: string;
    // Fast paths for the common characters (unified ideographs are NFKC-stable letters).
    if (code >= 0x4e00 && code <= 0x9fff) n = ch;
    else if (code < 0x80) {
      n = ch.toLowerCase();
      const c = n.charCodeAt(0);
      if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39))) n = ' ';
    } else {
      n = ch.normalize('NFKC').toLowerCase();
      if (!WORD_CHAR.test(n)) n = ' ';
    }
    folded += n;
    for (let k = 0; k < n.length; k++) origin.push(i);
    i += ch.length;
  }
  origin.push(i);
  // One conversion call for the whole text; per character only in the rare case it changed the length.
  let out = toSimplified(folded);
  if (out.length !== folded.length) out = Array.from(folded, (c) => toSimplified(c)).join('');
  if (out.length !== folded.length) out = folded;
  return { text: out, origin };
}

const ID_PUNCT = /[^\p{L}\p{N}]+/gu;

/**
 * The lookup key of a 文号 or 索引号: normalised with every bracket, space,
 * slash and dash removed, so 东府办函〔2007〕198号, 东府办函[2007]198号 and
 * 東府辦函（2007）198號 are the same key.
 */
export function idKey(value: string): string {
  return idKeyOfFolded(foldText(value));
}

/** {@link idKey} of text already through {@link foldText}. */
export function idKeyOfFolded(folded: string): string {
  return folded.replace(ID_PUNCT, '');
}

/** True for a CJK ideograph (URO, Ext A, compatibility, Ext B–G). */
export function isHan(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x20000 && cp <= 0x323af) ||
    cp === 0x3007
  );
}
