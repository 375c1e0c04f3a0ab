/**
 * Types shared by the search builder, the query side, the bundle builder
 * (derived data, the char→pinyin table) and the CLI.
 */

/**
 * Search data derived per item at bundle build time by `deriveSearchData`
 * (with pinyin-pro, which the kiosk never loads) and shipped in the item file.
 */
export interface DerivedSearchData {
  /** Format of this record. */
  v: 1;
  /** One toneless syllable per code point of the zh-Hans title; '' where the character has none. */
  titlePinyin: string[];
}

/**
 * Every reading of every character of the corpus, as a bundle file (role
 * 'search', name 'char-pinyin'): toneless syllable → the characters that have it.
 * The kiosk uses it to turn a Chinese query into sounds (homophone typos).
 */
export interface CharPinyinTable {
  format: 1;
  syllables: Record<string, string>;
}

/**
 * Synonyms and colloquial abbreviations: a query term → what it stands for.
 * A bundle file (role 'synonyms') extends the default list with the same shape.
 */
export type SynonymTable = Record<string, string[]>;

/** Validity as far as search cares. */
export const DOC_STATUS = { valid: 0, expired: 1, repealed: 2 } as const;
export type DocStatus = keyof typeof DOC_STATUS;

/** One searchable document, flattened from an item by `toSearchDoc`. */
export interface SearchDoc {
  id: string;
  /** Display title in Simplified (as the bundle has it). */
  title: string;
  summary?: string;
  /** Everything else searchable (body without tags, issuer, keywords, guide fields), joined. */
  text: string;
  docNo?: string | null;
  indexNo?: string | null;
  /** Other exact-lookup identifiers (事项编码, the 文号 as in the source). */
  otherIds?: string[];
  /** ISO date used as the recency tie-breaker. */
  date?: string | null;
  status: DocStatus;
  /** ISO date after which the document counts as expired. */
  validUntil?: string | null;
  titlePinyin?: string[];
}

/** A highlighted range in the original (not normalised) title or summary, UTF-16 offsets. */
export interface Highlight {
  field: 'title' | 'summary';
  start: number;
  end: number;
}

/** What matched a result, strongest first. */
export const MATCH_KINDS = ['id', 'phrase', 'pinyin', 'homophone', 'terms', 'partial'] as const;
export type MatchKind = (typeof MATCH_KINDS)[number];

/** One ranked result. */
export interface SearchResult {
  id: string;
  score: number;
  highlights: Highlight[];
  title: string;
  /** False when the item is 失效/废止 or past validUntil: still found, shown marked. */
  valid: boolean;
  match: MatchKind;
}

/** Options of a query. */
export interface QueryOptions {
  /** Maximum results (default 20). */
  limit?: number;
  /** ISO date for "expired by validUntil" (default: the date the index was built). */
  today?: string;
  /** Skip highlight computation (the bench and metrics do not need it). */
  highlights?: boolean;
  /**
   * Run every matching pass, even those that cannot change the top `limit`
   * (same results, slower): for tests of the skipping.
   */
  exhaustive?: boolean;
}
