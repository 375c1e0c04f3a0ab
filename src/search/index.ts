/**
 * Chinese full-text search for the kiosk and the CLI: a character unigram +
 * bigram inverted index on typed arrays (BM25F, title weighted), exact 文号 /
 * 索引号 lookup, pinyin (full, initials, mixed) and homophone-typo matching on
 * titles from build-time pinyin, and a synonym list. Pure code: it runs in a
 * Web Worker, the page and Node alike. See docs/search.md for the design and
 * the measurements behind it.
 *
 * A query runs once per keystroke, so its cost is kept proportional to what
 * it can return rather than to the corpus: documents with every term come
 * from intersecting postings (rarest term first, galloping), documents with
 * only some terms are scored only when fewer than `limit` better matches
 * exist, and pinyin and homophone matching start from title positions
 * grouped by syllable instead of scanning every title.
 */
import {
  foldText,
  idKey,
  idKeyOfFolded,
  isHan,
  normalizeMapped,
  normalizeText,
  wordsOfFolded,
  type MappedText,
} from './normalize.ts';
import { DEFAULT_SYNONYMS, expandSynonymsNormalized } from './synonyms.ts';
import type {
  CharPinyinTable,
  DocStatus,
  Highlight,
  QueryOptions,
  SearchDoc,
  SearchResult,
  SynonymTable,
} from './types.ts';
import { DOC_STATUS, MATCH_KINDS } from './types.ts';

export * from './types.ts';
export { normalizeText, idKey, toSimplified } from './normalize.ts';
export { toSearchDoc, htmlToText } from './doc.ts';
export { DEFAULT_SYNONYMS, parseSynonyms } from './synonyms.ts';

/** Bigram keys use 14 bits per character id, so keys stay small integers (V8 Smis). */
const CHAR_BITS = 14;
const MAX_CHARS = (1 << CHAR_BITS) - 1;
const BIGRAM_BASE = 1 << CHAR_BITS;
const WORD_BASE = 1 << 29;
const TITLE_WEIGHT = 3;
const K1_CONST = 1.2;
const K1 = K1_CONST;
const B = 0.75;
const VALID = DOC_STATUS.valid;
/** Indexes into {@link MATCH_KINDS}, kept per candidate in a byte. */
const K_ID = MATCH_KINDS.indexOf('id');
const K_PHRASE = MATCH_KINDS.indexOf('phrase');
const K_PINYIN = MATCH_KINDS.indexOf('pinyin');
const K_HOMOPHONE = MATCH_KINDS.indexOf('homophone');
const K_TERMS = MATCH_KINDS.indexOf('terms');
const K_PARTIAL = MATCH_KINDS.indexOf('partial');
/** Kind of a candidate whose match scored below the top-k bound: never returned. */
const DEAD = 255;
/** Unit of {@link IndexArrays.impact}: the saturation `tf·(k1+1)/(k1+tf)` is below k1+1 = 2.2. */
const IMPACT_UNIT = (K1_CONST + 1) / 255;
/** What one impact step may stand for, with a margin for rounding. */
const IMPACT_STEP = IMPACT_UNIT * (1 + 1e-9);
/** Tier of a document that has only some of the query's terms: below every other match. */
const PARTIAL_TIER = 1;
/** Tier of a document with every term, not all in the title: below every title match. */
const BODY_TIER = 2;

/**
 * The passes of a term search, cheapest and strongest first: documents with
 * every term in the title, then with every term anywhere, then with some.
 * A later pass runs only if the earlier ones found fewer than `limit`
 * documents above its tiers, since its documents could not rank higher.
 */
const PASS = { title: 0, body: 1, partial: 2 } as const;
type Pass = (typeof PASS)[keyof typeof PASS];

/** Options of {@link buildIndex}. */
export interface BuildOptions {
  /** Character → pinyin table of the bundle, for homophone typos. */
  charPinyin?: CharPinyinTable | null;
  /** Extra synonyms from the bundle; merged over {@link DEFAULT_SYNONYMS}. */
  synonyms?: SynonymTable | null;
  /** Identifies the content (e.g. the bundle's manifest hash), so a persisted index can be reused. */
  sourceKey?: string;
  /** ISO date the index was built on; the default "today" of queries. */
  builtOn?: string;
}

/** Metadata kept as JSON inside a serialised index. */
interface IndexMeta {
  format: 1;
  sourceKey: string;
  builtOn: string;
  n: number;
  ids: string[];
  titles: string[];
  summaries: string[];
  /** Normalised titles, spaces removed, for phrase checks. */
  titleNorm: string[];
  /** Characters by id (id 0 unused). */
  chars: string;
  words: string[];
  /** Per doc: the id keys (文号, 索引号, others). */
  idKeys: string[][];
  syllables: string[];
  charPinyin: CharPinyinTable | null;
  synonyms: SynonymTable;
  avgTitleLen: number;
  avgBodyLen: number;
}

/** The typed arrays of an index; views onto one ArrayBuffer once serialised. */
interface IndexArrays {
  keys: Int32Array;
  offsets: Uint32Array;
  postings: Uint16Array | Uint32Array;
  tfTitle: Uint8Array;
  tfBody: Uint8Array;
  /**
   * Per posting, an upper bound of its BM25 saturation `tf·(k1+1)/(k1+tf)`
   * in steps of {@link IMPACT_STEP} (rounded up): lets a query skip scoring
   * a document whose best possible score cannot reach the top `limit`.
   * Absent in indexes serialised before it existed (computed on load).
   */
  impact?: Uint8Array;
  titleLen: Uint16Array;
  bodyLen: Uint32Array;
  /** Days since 1970-01-01 of each doc's date (0 if none). */
  days: Int32Array;
  validUntil: Int32Array;
  status: Uint8Array;
  /** Title syllable ids, all titles concatenated with 0 between titles. */
  sylFlat: Uint16Array;
  /** Title code points, parallel to sylFlat. */
  charFlat: Uint32Array;
  /** Start of each doc's title in sylFlat. */
  sylStart: Uint32Array;
}

/** Positions grouped by a small integer (CSR): group g's positions are `pos[start[g]..start[g+1])`, ascending. */
interface Grouped {
  start: Uint32Array;
  pos: Uint32Array;
}

/** Groups the indices 0..group.length-1 by `group[i]` (negative: left out), keeping them ascending. */
function groupBy(group: Int32Array, nGroups: number): Grouped {
  const start = new Uint32Array(nGroups + 1);
  for (let i = 0; i < group.length; i++) if (group[i] >= 0) start[group[i] + 1]++;
  for (let g = 0; g < nGroups; g++) start[g + 1] += start[g];
  const fill = start.slice(0, nGroups);
  const pos = new Uint32Array(start[nGroups]);
  for (let i = 0; i < group.length; i++) if (group[i] >= 0) pos[fill[group[i]]++] = i;
  return { start, pos };
}

/** The terms of one query variant, looked up once per query for every pass. */
interface TermPlan {
  /** The normalised variant, and without spaces (the phrase looked for in titles). */
  norm: string;
  phrase: string;
  /** Number of terms, repeats included (the coverage denominator of partial matches). */
  total: number;
  /** Per distinct term, in query order: repeats, postings range, IDF (0 and an empty range if unknown). */
  weight: number[];
  starts: number[];
  ends: number[];
  idfs: number[];
  /** Indexes of the distinct terms, fewest postings first. */
  order: number[];
  /** Some term is in no document: nothing has every term. */
  missing: boolean;
}

/** Every tier a match can have (synonym variants 0.05 below), ascending. */
const TIERS = [0.95, 1, 1.95, 2, 2.95, 3, 4, 4.4, 4.5, 4.6, 4.95, 5, 5.95, 6, 6.95, 7] as const;

/**
 * The least score a match in the next tier above `tier` can add over a match
 * in `tier` with relevance 0 (1000 per tier, less a margin for rounding).
 */
function gapAbove(tier: number): number {
  for (const t of TIERS) if (t > tier + 1e-9) return (t - tier) * 1000 - 1e-6;
  return Infinity;
}

/** First index in `[p, end)` whose posting is ≥ `d` (or `end`): exponential then binary search. */
function seek(postings: Uint16Array | Uint32Array, p: number, end: number, d: number): number {
  if (p >= end || postings[p] >= d) return p;
  let lo = p + 1;
  let hi = lo;
  let step = 1;
  // Invariant: postings[lo - 1] < d.
  while (hi < end && postings[hi] < d) {
    lo = hi + 1;
    step *= 2;
    hi = lo + step;
  }
  if (hi > end) hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (postings[mid] < d) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A built (or loaded) search index. Immutable; queries reuse scratch arrays. */
export class SearchIndex {
  readonly meta: IndexMeta;
  readonly arrays: IndexArrays;
  /** Character id by BMP code point (0: not in the index); astral ones in a Map. */
  private readonly charIdBmp = new Int32Array(0x10000);
  private readonly charIdAstral = new Map<number, number>();
  private readonly wordIds = new Map<string, number>();
  private readonly idLookup = new Map<string, number[]>();
  private readonly sortedIdKeys: string[];
  private readonly sylIds = new Map<string, number>();
  private readonly charSyl = new Map<number, number[]>();
  /** Title positions by syllable id, by the first letter (a–z) of their syllable, by character id. */
  private readonly bySyl: Grouped;
  private readonly byLetter: Grouped;
  private readonly byChar: Grouped;
  // Candidates of the running query, by document; `list` holds the documents offered so far.
  private readonly tier: Float64Array;
  private readonly rel: Float64Array;
  private readonly kind: Uint8Array;
  private readonly variantOf: Uint8Array;
  private readonly spanStart: Int32Array;
  private readonly spanEnd: Int32Array;
  private readonly list: Int32Array;
  private count = 0;
  // Scratch of the term passes, reused by every query.
  private readonly scratchScore: Float64Array;
  private readonly scratchMatched: Uint16Array;
  private readonly scratchTitle: Uint16Array;
  private readonly touched: Int32Array;
  /** Per distinct query term: its cursor in its postings while intersecting. */
  private cursor = new Int32Array(16);
  private matches = new Int32Array(256);
  private topDoc = new Int32Array(32);
  private topScore = new Float64Array(32);
  /** Whether each document is valid on day `validOn` (recomputed when a query's day differs). */
  private readonly validNow: Uint8Array;
  private validOn = Number.NaN;
  /**
   * The best scores of the running query's candidates (a min-heap of at most
   * `bound` entries, one per candidate, its score when first offered; scores
   * only rise after that). Once full, its least entry is a lower bound of the
   * final `limit`-th score, so a match scoring below it cannot be returned and
   * is not offered (nor scored, when an upper bound of its score is below it).
   * 0: no bound (exhaustive queries, the candidate bar).
   */
  private bound = 0;
  private boundSize = 0;
  /** Candidates with a score in the heap (one entry each). */
  private readonly tracked: Uint8Array;
  private boundHeap = new Float64Array(32);
  private readonly fullSyllables = { n: 0 };
  /** Length of each syllable; per query, the common prefix of (query offset, syllable), 255 unknown. */
  private readonly sylLen: Uint8Array;
  private pyCommon = new Uint8Array(0);
  /** The latest document date (days since 1970), for bounds on scores. */
  private readonly maxDay: number;
  /** See {@link IndexArrays.impact}. */
  private readonly impact: Uint8Array;
  /** Per document: the BM25 length normalisation of its title and of its body. */
  private readonly titleNormOf: Float64Array;
  private readonly bodyNormOf: Float64Array;
  private variants: string[] = [];
  /** The running query has no synonym variant. */
  private single = true;
  /** Normalised titles and summaries with offset maps, reused across keystrokes. */
  private readonly mappedCache = new Map<string, MappedText>();
  private readonly synonymKeys: [string, string[]][];

  constructor(meta: IndexMeta, arrays: IndexArrays) {
    this.meta = meta;
    this.arrays = arrays;
    let cid = 1;
    for (const ch of meta.chars) {
      const cp = ch.codePointAt(0) ?? 0;
      if (cp < 0x10000) this.charIdBmp[cp] = cid++;
      else this.charIdAstral.set(cp, cid++);
    }
    const nChars = cid;
    meta.words.forEach((w, i) => this.wordIds.set(w, i));
    meta.idKeys.forEach((keys, d) => {
      for (const k of keys) {
        const list = this.idLookup.get(k);
        if (list) list.push(d);
        else this.idLookup.set(k, [d]);
      }
    });
    this.sortedIdKeys = [...this.idLookup.keys()].sort();
    meta.syllables.forEach((s, i) => this.sylIds.set(s, i));
    this.sylLen = Uint8Array.from(meta.syllables, (s) => Math.min(s.length, 254));
    if (meta.charPinyin) {
      for (const [syl, chars] of Object.entries(meta.charPinyin.syllables)) {
        const sid = this.sylIds.get(syl);
        if (sid === undefined) continue;
        for (const ch of chars) {
          const cp = ch.codePointAt(0) ?? 0;
          const list = this.charSyl.get(cp);
          if (list) list.push(sid);
          else this.charSyl.set(cp, [sid]);
        }
      }
    }
    // Title positions grouped three ways (about 1 ms per 10,000 titles), so pinyin and homophone
    // queries visit only the positions that can start a match.
    const { sylFlat, charFlat } = arrays;
    const len = sylFlat.length;
    const g = new Int32Array(len);
    for (let p = 0; p < len; p++) g[p] = sylFlat[p] === 0 ? -1 : sylFlat[p];
    this.bySyl = groupBy(g, meta.syllables.length);
    const letter = meta.syllables.map((s) => {
      const c = s.charCodeAt(0) - 97;
      return c >= 0 && c < 26 ? c : -1;
    });
    for (let p = 0; p < len; p++) g[p] = sylFlat[p] === 0 ? -1 : letter[sylFlat[p]];
    this.byLetter = groupBy(g, 26);
    for (let p = 0; p < len; p++) g[p] = charFlat[p] === 0 ? -1 : this.charIdOf(charFlat[p]) - 1;
    this.byChar = groupBy(g, nChars);

    const n = meta.n;
    this.tier = new Float64Array(n);
    this.rel = new Float64Array(n);
    this.kind = new Uint8Array(n);
    this.variantOf = new Uint8Array(n);
    this.spanStart = new Int32Array(n).fill(-1);
    this.spanEnd = new Int32Array(n);
    this.list = new Int32Array(n);
    this.scratchScore = new Float64Array(n);
    this.scratchMatched = new Uint16Array(n);
    this.scratchTitle = new Uint16Array(n);
    this.touched = new Int32Array(n);
    this.validNow = new Uint8Array(n);
    this.tracked = new Uint8Array(n);
    this.titleNormOf = new Float64Array(n);
    this.bodyNormOf = new Float64Array(n);
    let maxDay = 0;
    for (let d = 0; d < n; d++) if (arrays.days[d] > maxDay) maxDay = arrays.days[d];
    this.maxDay = maxDay;
    const avgT = meta.avgTitleLen || 1;
    const avgB = meta.avgBodyLen || 1;
    for (let d = 0; d < n; d++) {
      this.titleNormOf[d] = 1 - B + (B * arrays.titleLen[d]) / avgT;
      this.bodyNormOf[d] = 1 - B + (B * arrays.bodyLen[d]) / avgB;
    }
    // Built here (once, then serialised with the rest) rather than in buildIndex: an index
    // serialised before impacts existed gets them on loading too.
    arrays.impact ??= this.computeImpacts();
    this.impact = arrays.impact;
    // Normalised once: the synonym keys are checked on every keystroke.
    this.synonymKeys = Object.entries(meta.synonyms).map(([k, v]) => [
      normalizeText(k).trim(),
      v.map((x) => normalizeText(x).trim()),
    ]);
  }

  /** {@link IndexArrays.impact} of every posting (at build time, or on loading an older index). */
  private computeImpacts(): Uint8Array {
    const { postings, tfTitle, tfBody } = this.arrays;
    const n = this.meta.n;
    // Reciprocals instead of the two divisions of tf(): a few ulps off, which the margin of
    // IMPACT_STEP (1e-9, relative) covers many times over.
    const invTitle = new Float64Array(n);
    const invBody = new Float64Array(n);
    for (let d = 0; d < n; d++) {
      invTitle[d] = TITLE_WEIGHT / this.titleNormOf[d];
      invBody[d] = 1 / this.bodyNormOf[d];
    }
    const out = new Uint8Array(postings.length);
    for (let p = 0; p < postings.length; p++) {
      const d = postings[p];
      const tf = tfTitle[p] * invTitle[d] + tfBody[p] * invBody[d];
      // Saturation over IMPACT_UNIT: (tf·(k1+1)/(k1+tf)) / ((k1+1)/255), below 255.
      out[p] = Math.ceil((255 * tf) / (K1 + tf));
    }
    return out;
  }

  /** Character id of a code point, 0 if no indexed text has it. */
  private charIdOf(cp: number): number {
    return cp < 0x10000 ? this.charIdBmp[cp] : (this.charIdAstral.get(cp) ?? 0);
  }

  /**
   * Records a candidate, keeping its strongest match (higher tier, then
   * higher relevance; the first one offered on a tie).
   */
  private offer(
    doc: number,
    tier: number,
    rel: number,
    kind: number,
    variant = 0,
    spanStart = -1,
    spanEnd = 0,
  ): void {
    const prev = this.tier[doc];
    if (prev !== 0 && (prev > tier || (prev === tier && this.rel[doc] >= rel))) return;
    if (prev === 0) this.list[this.count++] = doc;
    this.tier[doc] = tier;
    this.rel[doc] = rel;
    if (this.bound > 0) {
      const score = this.scoreAt(doc, tier, rel);
      // Below the bound: kept as the document's match (a weaker offer later must not replace
      // it, and the pass decisions count it) but marked so that it is never returned.
      if (score < this.floor()) {
        this.kind[doc] = DEAD;
        return;
      }
      if (this.tracked[doc] === 0) {
        this.tracked[doc] = 1;
        // A later, stronger match keeps this tier and at least this relevance, or is in a
        // higher tier (with any relevance): the document's final score is at least this.
        this.track(Math.min(score, this.scoreAt(doc, tier, 0) + gapAbove(tier)));
      }
    }
    this.kind[doc] = kind;
    this.variantOf[doc] = variant;
    this.spanStart[doc] = spanStart;
    this.spanEnd[doc] = spanEnd;
  }

  /**
   * Final score of a candidate: tier, then valid, then relevance, then
   * recency (`days / 1e6` < 0.1 < one relevance step that matters).
   */
  private scoreOf(d: number): number {
    return this.scoreAt(d, this.tier[d], this.rel[d]);
  }

  /** The score document `d` would have with a match of `tier` and `rel`. */
  private scoreAt(d: number, tier: number, rel: number): number {
    return tier * 1000 + (this.validNow[d] === 1 ? 400 : 0) + 399 * rel + this.arrays.days[d] / 1e6;
  }

  /** Sets the day that decides validity (validUntil), recomputing the per-document flags if it changed. */
  private setToday(today: number): void {
    if (today === this.validOn) return;
    const { status, validUntil } = this.arrays;
    for (let d = 0; d < this.meta.n; d++) {
      this.validNow[d] =
        status[d] === VALID && (validUntil[d] === 0 || validUntil[d] >= today) ? 1 : 0;
    }
    this.validOn = today;
  }

  /** Starts tracking the best `bound` scores of a new query (0: no bound). */
  private startBound(bound: number): void {
    this.bound = Math.min(bound, this.meta.n + 1);
    this.boundSize = 0;
    if (this.boundHeap.length < this.bound) this.boundHeap = new Float64Array(this.bound);
  }

  /**
   * A score no returned result is below: the least of the `bound` best
   * candidates' first scores once there are that many, else -Infinity.
   * A match scoring strictly below it cannot be in the top `limit`.
   */
  private floor(): number {
    return this.bound > 0 && this.boundSize === this.bound ? this.boundHeap[0] : -Infinity;
  }

  /** Adds a new candidate's score to the min-heap of the best `bound` scores. */
  private track(score: number): void {
    const h = this.boundHeap;
    let i: number;
    if (this.boundSize < this.bound) {
      // Sift up from the new last slot.
      i = this.boundSize++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (h[parent] <= score) break;
        h[i] = h[parent];
        i = parent;
      }
      h[i] = score;
      return;
    }
    if (score <= h[0]) return;
    // Replace the least and sift down.
    const size = this.boundSize;
    i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= size) break;
      if (c + 1 < size && h[c + 1] < h[c]) c++;
      if (h[c] >= score) break;
      h[i] = h[c];
      i = c;
    }
    h[i] = score;
  }

  /** Number of documents. */
  get size(): number {
    return this.meta.n;
  }

  /** Posting range of a key, or null. */
  private range(key: number): [number, number] | null {
    const keys = this.arrays.keys;
    let lo = 0;
    let hi = keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = keys[mid];
      if (k === key) return [this.arrays.offsets[mid], this.arrays.offsets[mid + 1]];
      if (k < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return null;
  }

  /** Term keys of a normalised query (bigrams of Han runs, unigram for a 1-char run, words); -1 for unknown. */
  queryKeys(norm: string): number[] {
    const keys: number[] = [];
    forEachRun(norm, (run, han) => {
      if (han) {
        const ids = run.map((cp) => this.charIdOf(cp) || -1);
        if (ids.length === 1) keys.push(ids[0] < 0 ? -1 : ids[0]);
        for (let i = 0; i + 1 < ids.length; i++) {
          keys.push(
            ids[i] < 0 || ids[i + 1] < 0 ? -1 : BIGRAM_BASE + (ids[i] << CHAR_BITS) + ids[i + 1],
          );
        }
      } else {
        const w = this.wordIds.get(String.fromCodePoint(...run));
        keys.push(w === undefined ? -1 : WORD_BASE + w);
      }
    });
    return keys;
  }

  /**
   * Ranks documents for a query. Tiers, strongest first: 文号/索引号 exact,
   * phrase in title, pinyin in title, homophone in title, every term in title,
   * every term anywhere, some terms. Within a tier valid beats expired, then
   * BM25F × coverage², then recency, then index order.
   */
  search(query: string, options: QueryOptions = {}): SearchResult[] {
    const limit = options.limit ?? 20;
    const today = toDays(options.today ?? this.meta.builtOn);
    const raw = query.trim();
    if (raw === '' || limit <= 0) return [];
    const folded = foldText(raw);
    const norm = wordsOfFolded(folded).trim();
    const compact = norm.replace(/ /g, '');
    this.count = 0;
    this.setToday(today);
    this.startBound(options.exhaustive === true ? 0 : limit);

    // 文号 / 索引号: exact key first, then keys that start with what was typed so far.
    const key = idKeyOfFolded(folded);
    if (key.length >= 4 && /\d/.test(key)) {
      const exact = this.idLookup.get(key);
      if (exact) for (const d of exact) this.offer(d, 7, 1, K_ID);
      if (key.length >= 6) {
        // Sorted keys: the keys starting with what was typed are one contiguous run.
        let lo = 0;
        let hi = this.sortedIdKeys.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (this.sortedIdKeys[mid] < key) lo = mid + 1;
          else hi = mid;
        }
        for (
          let i = lo;
          i < this.sortedIdKeys.length && this.sortedIdKeys[i].startsWith(key);
          i++
        ) {
          const k = this.sortedIdKeys[i];
          if (k === key) continue;
          for (const d of this.idLookup.get(k) ?? []) this.offer(d, 6, key.length / k.length, K_ID);
        }
      }
    }
    this.variants = compact === '' ? [] : expandSynonymsNormalized(norm, this.synonymKeys);
    const plans = this.variants.map((v) => this.plan(v));
    this.single = plans.length === 1;
    const all = options.exhaustive === true;
    for (let v = 0; v < plans.length; v++) this.termSearch(plans[v], v, PASS.title);
    // Pinyin (tiers 4.4–4.6) and homophone (tier 4) matches cannot reach the top `limit`
    // when that many documents already rank above them (文号, phrase in the title).
    if (/^[a-z ]+$/.test(norm)) {
      if (all || this.countAbove(4.6) < limit) this.pinyinSearch(compact);
    } else if (/^\p{Script=Han}{2,}$/u.test(compact) && (all || this.countAbove(4) < limit)) {
      this.homophoneSearch(compact);
    }
    if (all || this.countAbove(BODY_TIER) < limit) {
      for (let v = 0; v < plans.length; v++) this.termSearch(plans[v], v, PASS.body);
    }
    // Every candidate so far ranks above a partial match.
    if (all || this.count < limit) {
      for (let v = 0; v < plans.length; v++) this.termSearch(plans[v], v, PASS.partial);
    }
    return this.finish(limit, options);
  }

  /** Number of candidates ranked in a tier above `tier`. */
  private countAbove(tier: number): number {
    let k = 0;
    for (let i = 0; i < this.count; i++) if (this.tier[this.list[i]] > tier) k++;
    return k;
  }

  /**
   * Words of the bundle's titles that a pinyin prefix spells (full, initials
   * or mixed), most frequent first: the candidate bar of the on-screen
   * keyboard, as a pinyin input method would offer them.
   */
  candidates(pinyinPrefix: string, limit = 10): string[] {
    const q = pinyinPrefix.toLowerCase().replace(/[^a-z]/g, '');
    if (q === '') return [];
    this.count = 0;
    this.startBound(0);
    this.pinyinSearch(q);
    const counts = new Map<string, number>();
    for (let i = 0; i < this.count; i++) {
      const d = this.list[i];
      const word = Array.from(this.meta.titles[d])
        .slice(this.spanStart[d], this.spanEnd[d])
        .join('');
      counts.set(word, (counts.get(word) ?? 0) + 1);
      this.tier[d] = 0;
    }
    this.count = 0;
    return [...counts]
      .sort((a, b) => b[1] - a[1] || a[0].length - b[0].length || (a[0] < b[0] ? -1 : 1))
      .slice(0, limit)
      .map(([w]) => w);
  }

  /**
   * The terms of one query variant and their postings, looked up once per
   * query for every pass; null when the variant has no term.
   */
  private plan(norm: string): TermPlan | null {
    const keys = this.queryKeys(norm);
    const total = keys.length;
    if (total === 0) return null;
    const uniq: number[] = [];
    const weight: number[] = [];
    for (const k of keys) {
      const at = uniq.indexOf(k);
      if (at >= 0) weight[at]++;
      else {
        uniq.push(k);
        weight.push(1);
      }
    }
    const n = this.meta.n;
    const starts: number[] = [];
    const ends: number[] = [];
    const idfs: number[] = [];
    let missing = false;
    for (const k of uniq) {
      const r = k < 0 ? null : this.range(k);
      if (!r) {
        missing = true;
        starts.push(0);
        ends.push(0);
        idfs.push(0);
        continue;
      }
      const df = r[1] - r[0];
      starts.push(r[0]);
      ends.push(r[1]);
      idfs.push(Math.log(1 + (n - df + 0.5) / (df + 0.5)));
    }
    const order = uniq.map((_, i) => i).sort((a, b) => ends[a] - starts[a] - (ends[b] - starts[b]));
    return {
      norm,
      phrase: norm.replace(/ /g, ''),
      total,
      weight,
      starts,
      ends,
      idfs,
      order,
      missing,
    };
  }

  /**
   * Bigram/unigram/word search with BM25F. The title and body passes offer
   * documents that have every term (in the title; not all in the title),
   * found by intersecting postings, rarest first. The partial pass offers
   * every document with any term (a union of postings).
   */
  private termSearch(plan: TermPlan | null, variant: number, pass: Pass): void {
    if (!plan) return;
    if (pass === PASS.partial) this.unionPass(plan, variant);
    // A term no document has: nothing has every term.
    else if (!plan.missing) this.intersectPass(plan, variant, pass === PASS.title);
  }

  /** BM25F term frequency part of posting `p` of document `d`. */
  private tf(p: number, d: number): number {
    return (
      (TITLE_WEIGHT * this.arrays.tfTitle[p]) / this.titleNormOf[d] +
      this.arrays.tfBody[p] / this.bodyNormOf[d]
    );
  }

  /**
   * Offers a document that has every term, in the tier of where the terms are:
   * the phrase in the title, every term in the title, or every term anywhere.
   */
  private offerFull(
    d: number,
    allInTitle: boolean,
    plan: TermPlan,
    variant: number,
    score: number,
  ): void {
    let tier = BODY_TIER;
    let kind = K_TERMS;
    // Every term in the title is necessary for the phrase to be there: check the string only
    // then. A single term in the title is the phrase itself (its text is the whole query).
    if (allInTitle && (plan.total === 1 || this.meta.titleNorm[d].includes(plan.phrase))) {
      tier = 5;
      kind = K_PHRASE;
    } else if (allInTitle) tier = 3;
    // A synonym expansion ranks just below the same match of the literal query.
    this.offer(d, variant > 0 ? tier - 0.05 : tier, score / (score + 10), kind, variant);
  }

  /**
   * Documents with every term, one document at a time: each posting of the
   * rarest term, then a galloping cursor through each other term's postings
   * (rarest first, so most documents are rejected by the first cursor). The
   * title pass starts only from postings with the rarest term in the title
   * and rejects a document as soon as one term is not in its title; the body
   * pass offers the documents with every term but not all in the title.
   */
  private intersectPass(plan: TermPlan, variant: number, inTitle: boolean): void {
    const { postings, tfTitle } = this.arrays;
    const { impact, validNow } = this;
    const { order, starts, ends, idfs } = plan;
    const u = order.length;
    // Without synonym variants, a document skipped here gets no weaker match later that could
    // outscore it (see offer), so its score may be bounded rather than computed.
    const bounded = this.single;
    if (this.cursor.length < u) this.cursor = new Int32Array(u * 2);
    const cursor = this.cursor;
    for (let i = 0; i < u; i++) cursor[i] = starts[i];
    const r0 = order[0];
    const end0 = ends[r0];
    // The highest tier a document of this pass can get: a phrase in the title, or every term anywhere.
    const topTier = (inTitle ? 5 : BODY_TIER) - (variant > 0 ? 0.05 : 0);
    // What a document must reach, from the top-k bound (refreshed after each offer): invalid
    // ones are out once even a perfect relevance would not do; valid ones once their impacts
    // (an upper bound of their BM25 sum) are below `need`. Any later match of a skipped
    // document is in a lower tier and scores less (see offer).
    let floor = -Infinity;
    let invalidOut = false;
    let need = 0;
    const refresh = (): boolean => {
      floor = this.floor();
      const best = topTier * 1000 + 399 + this.maxDay / 1e6;
      invalidOut = floor > best + 1e-6;
      // Not even a valid document with a perfect relevance: the pass is over.
      if (floor > best + 400 + 1e-6) return false;
      const rel = (floor - (best + 400 - 399)) / 399 - 1e-9;
      need = bounded && rel > 0 ? ((10 * rel) / (1 - rel) - 1e-9) / IMPACT_STEP : 0;
      return true;
    };
    if (!refresh()) return;
    outer: for (let p = starts[r0]; p < end0; p++) {
      if (inTitle && tfTitle[p] === 0) continue;
      const d = postings[p];
      cursor[r0] = p;
      for (let o = 1; o < u; o++) {
        const k = order[o];
        const end = ends[k];
        const q = seek(postings, cursor[k], end, d);
        cursor[k] = q;
        // This term has no posting from d on: no later document has every term either.
        if (q >= end) break outer;
        if (postings[q] !== d || (inTitle && tfTitle[q] === 0)) continue outer;
      }
      if (!inTitle) {
        // Documents with every term in the title were offered by the title pass.
        let all = true;
        for (let i = 0; i < u && all; i++) if (tfTitle[cursor[i]] === 0) all = false;
        if (all) continue;
      }
      if (validNow[d] === 0) {
        if (invalidOut) continue;
      } else if (need > 0) {
        let q = 0;
        for (let i = 0; i < u; i++) q += idfs[i] * impact[cursor[i]];
        if (q < need) continue;
      }
      // Summed in query order, as the union pass does, so both give the same score.
      let score = 0;
      for (let i = 0; i < u; i++) {
        const tf = this.tf(cursor[i], d);
        score += (idfs[i] * tf * (K1 + 1)) / (K1 + tf);
      }
      // Below the bound even as a phrase: no phrase check. Skipped without a trace only when
      // no synonym variant can offer this document later just below this tier (a higher
      // score in a tier 0.05 lower, which must not replace this match).
      if (bounded && inTitle && this.scoreAt(d, topTier, score / (score + 10)) < floor) continue;
      this.offerFull(d, inTitle, plan, variant, score);
      if (!refresh()) return;
    }
  }

  /** Every document with any term, scored by BM25F × coverage². */
  private unionPass(plan: TermPlan, variant: number): void {
    const { total, weight, starts, ends, idfs } = plan;
    const { postings, tfTitle } = this.arrays;
    const score = this.scratchScore;
    const matched = this.scratchMatched;
    const inTitle = this.scratchTitle;
    const touched = this.touched;
    let nTouched = 0;
    for (let i = 0; i < starts.length; i++) {
      const idf = idfs[i];
      const w = weight[i];
      for (let p = starts[i]; p < ends[i]; p++) {
        const d = postings[p];
        const tf = this.tf(p, d);
        if (matched[d] === 0) touched[nTouched++] = d;
        score[d] += (idf * tf * (K1 + 1)) / (K1 + tf);
        matched[d] += w;
        if (tfTitle[p] > 0) inTitle[d] += w;
      }
    }
    const tier = variant > 0 ? PARTIAL_TIER - 0.05 : PARTIAL_TIER;
    for (let i = 0; i < nTouched; i++) {
      const d = touched[i];
      if (matched[d] === total) this.offerFull(d, inTitle[d] === total, plan, variant, score[d]);
      else {
        const cov = matched[d] / total;
        const s = score[d] * cov * cov;
        this.offer(d, tier, s / (s + 10), K_PARTIAL, variant);
      }
      score[d] = 0;
      matched[d] = 0;
      inTitle[d] = 0;
    }
  }

  /**
   * Latin letters against title pinyin: every title syllable from the match
   * start consumes a non-empty prefix of itself from the query, so `hunyindengji`
   * (full), `bdcdj` (initials), `zhengwugk` (mixed) and `hunyind` (partial) all match.
   * Only positions whose syllable starts with the query's first letter are tried.
   */
  private pinyinSearch(q: string): void {
    const letter = q.charCodeAt(0) - 97;
    if (letter < 0 || letter >= 26) return;
    const { sylStart, titleLen } = this.arrays;
    const { start, pos: positions } = this.byLetter;
    const full = this.fullSyllables;
    const size = q.length * this.sylLen.length;
    if (this.pyCommon.length < size) this.pyCommon = new Uint8Array(size * 2);
    this.pyCommon.fill(255, 0, size);
    let doc = 0;
    const n = this.meta.n;
    for (let x = start[letter]; x < start[letter + 1]; x++) {
      const pos = positions[x];
      full.n = 0;
      const end = this.matchPinyin(q, 0, pos);
      if (end < 0) continue;
      while (doc + 1 < n && sylStart[doc + 1] <= pos) doc++;
      const nSyl = end - pos;
      const fullRatio = full.n / nSyl;
      const first = pos - sylStart[doc];
      const tier = fullRatio === 1 ? 4.6 : nSyl === q.length ? 4.4 : 4.5;
      const rel = 0.5 / (1 + first) + 0.5 / (1 + (titleLen[doc] || 1) / 10);
      this.offer(doc, tier, rel, K_PINYIN, 0, first, end - sylStart[doc]);
    }
  }

  /**
   * Matches query `q` from offset `j` against title syllables from `pos`, each
   * syllable consuming a non-empty prefix of itself (longest first). Returns
   * the end position, or -1. Counts fully consumed syllables in `fullSyllables.n`.
   */
  private matchPinyin(q: string, j: number, pos: number): number {
    if (j === q.length) return pos;
    const sid = this.arrays.sylFlat[pos];
    if (sid === 0) return -1;
    // Common prefix of the syllable and the query from j, computed once per query.
    const at = j * this.sylLen.length + sid;
    let common = this.pyCommon[at];
    if (common === 255) {
      const s = this.meta.syllables[sid];
      common = 0;
      while (
        common < s.length &&
        j + common < q.length &&
        s.charCodeAt(common) === q.charCodeAt(j + common)
      ) {
        common++;
      }
      this.pyCommon[at] = common;
    }
    for (let take = common; take >= 1; take--) {
      const rest = this.matchPinyin(q, j + take, pos + 1);
      if (rest >= 0) {
        if (take === this.sylLen[sid] || j + take === q.length) this.fullSyllables.n++;
        return rest;
      }
    }
    return -1;
  }

  /**
   * Chinese query → its sounds (every reading of each character from the
   * char→pinyin table) matched against title syllables: finds 公积金 for
   * 公基金 and 婚姻登记 for 婚因登记. Starts from the query character whose
   * sounds (or the character itself) occur at the fewest title positions.
   */
  private homophoneSearch(compact: string): void {
    const cps = Array.from(compact, (c) => c.codePointAt(0) ?? 0);
    const sets = cps.map((cp) => this.charSyl.get(cp) ?? []);
    const { sylFlat, charFlat, sylStart } = this.arrays;
    const bySyl = this.bySyl;
    const byChar = this.byChar;
    const n = this.meta.n;
    const m = cps.length;
    // A character without known reading can only match itself.
    const okAt = (pos: number, j: number): boolean => {
      if (charFlat[pos] === cps[j]) return true;
      const sid = sylFlat[pos];
      if (sid === 0) return false;
      const set = sets[j];
      for (let s = 0; s < set.length; s++) if (set[s] === sid) return true;
      return false;
    };
    const charGroup = (j: number): number => this.charIdOf(cps[j]) - 1;
    const cost = (j: number): number => {
      let c = 0;
      for (const s of sets[j]) c += bySyl.start[s + 1] - bySyl.start[s];
      const g = charGroup(j);
      return g < 0 ? c : c + byChar.start[g + 1] - byChar.start[g];
    };
    let jBest = 0;
    let best = cost(0);
    for (let j = 1; j < m && best > 0; j++) {
      const c = cost(j);
      if (c < best) {
        best = c;
        jBest = j;
      }
    }
    if (best === 0) return;
    const lastStart = sylFlat.length - m;
    let nMatches = 0;
    const tryStart = (st: number): void => {
      if (st < 0 || st > lastStart) return;
      for (let k = 0; k < m; k++) if (!okAt(st + k, k)) return;
      if (nMatches === this.matches.length) {
        const grown = new Int32Array(nMatches * 2);
        grown.set(this.matches);
        this.matches = grown;
      }
      this.matches[nMatches++] = st;
    };
    const set = sets[jBest];
    for (const s of set) {
      for (let x = bySyl.start[s]; x < bySyl.start[s + 1]; x++) tryStart(bySyl.pos[x] - jBest);
    }
    const g = charGroup(jBest);
    if (g >= 0) {
      for (let x = byChar.start[g]; x < byChar.start[g + 1]; x++) {
        const p = byChar.pos[x];
        // Positions whose sound is in the set were tried above.
        if (set.includes(sylFlat[p])) continue;
        tryStart(p - jBest);
      }
    }
    // In title order, as a scan would find them, so ties keep the earliest match.
    const found = this.matches.subarray(0, nMatches).sort();
    let doc = 0;
    for (let i = 0; i < nMatches; i++) {
      const pos = found[i];
      let same = 0;
      for (let k = 0; k < m; k++) if (charFlat[pos + k] === cps[k]) same++;
      if (same === m) continue; // the literal phrase: already a phrase match
      while (doc + 1 < n && sylStart[doc + 1] <= pos) doc++;
      const first = pos - sylStart[doc];
      const rel = (same / m) * 0.5 + 0.5 / (1 + first);
      this.offer(doc, 4, rel, K_HOMOPHONE, 0, first, first + m);
    }
  }

  /**
   * Scores candidates and keeps the top `limit` by insertion into a small
   * sorted buffer (no full sort). Equal scores keep index order.
   */
  private finish(limit: number, options: QueryOptions): SearchResult[] {
    if (this.topDoc.length < limit) {
      this.topDoc = new Int32Array(limit);
      this.topScore = new Float64Array(limit);
    }
    const topDoc = this.topDoc;
    const topScore = this.topScore;
    let k = 0;
    for (let i = 0; i < this.count; i++) {
      const d = this.list[i];
      if (this.kind[d] === DEAD) continue;
      const score = this.scoreOf(d);
      if (k === limit) {
        const ls = topScore[k - 1];
        if (score < ls || (score === ls && d > topDoc[k - 1])) continue;
      } else k++;
      let at = k - 1;
      while (
        at > 0 &&
        (topScore[at - 1] < score || (topScore[at - 1] === score && topDoc[at - 1] > d))
      ) {
        topScore[at] = topScore[at - 1];
        topDoc[at] = topDoc[at - 1];
        at--;
      }
      topScore[at] = score;
      topDoc[at] = d;
    }
    const results: SearchResult[] = [];
    for (let i = 0; i < k; i++) {
      const d = topDoc[i];
      results.push({
        id: this.meta.ids[d],
        score: Math.round(topScore[i] * 1000) / 1000,
        title: this.meta.titles[d],
        valid: this.validNow[d] === 1,
        match: MATCH_KINDS[this.kind[d]],
        highlights: options.highlights === false ? [] : this.highlights(d),
      });
    }
    for (let i = 0; i < this.count; i++) {
      const d = this.list[i];
      this.tier[d] = 0;
      this.tracked[d] = 0;
    }
    this.count = 0;
    return results;
  }

  private mapped(text: string): MappedText {
    let m = this.mappedCache.get(text);
    if (!m) {
      if (this.mappedCache.size >= 2000) this.mappedCache.clear();
      m = normalizeMapped(text);
      this.mappedCache.set(text, m);
    }
    return m;
  }

  /** Highlight ranges on the original title and summary. */
  private highlights(d: number): Highlight[] {
    const out: Highlight[] = [];
    const title = this.meta.titles[d];
    if (this.spanStart[d] >= 0) {
      // Pinyin and homophone spans count code points of the title.
      const units = Array.from(title);
      const start = units.slice(0, this.spanStart[d]).join('').length;
      const end = start + units.slice(this.spanStart[d], this.spanEnd[d]).join('').length;
      out.push({ field: 'title', start, end });
      return out;
    }
    const fields: [Highlight['field'], string][] = [
      ['title', title],
      ['summary', this.meta.summaries[d]],
    ];
    const term = this.variants[this.variantOf[d]];
    for (const [field, text] of fields) {
      if (!text || term === undefined) continue;
      out.push(...rangesOf(this.mapped(text), term, field));
    }
    return out;
  }
}

/** Ranges of a normalised term in mapped text: the whole phrase, else each bigram/char. */
function rangesOf(
  mapped: { text: string; origin: number[] },
  term: string,
  field: Highlight['field'],
): Highlight[] {
  const out: Highlight[] = [];
  const text = mapped.text;
  const pieces = term.split(' ').filter((p) => p !== '');
  for (const piece of pieces) {
    let found = false;
    let at = text.indexOf(piece);
    while (at >= 0) {
      found = true;
      out.push({ field, start: mapped.origin[at], end: mapped.origin[at + piece.length - 1] + 1 });
      at = text.indexOf(piece, at + piece.length);
    }
    if (found || piece.length < 3) continue;
    for (let i = 0; i + 2 <= piece.length; i++) {
      const bi = piece.slice(i, i + 2);
      let a = text.indexOf(bi);
      while (a >= 0) {
        out.push({ field, start: mapped.origin[a], end: mapped.origin[a + 1] + 1 });
        a = text.indexOf(bi, a + 2);
      }
    }
  }
  return mergeRanges(out);
}

function mergeRanges(ranges: Highlight[]): Highlight[] {
  ranges.sort((a, b) => a.start - b.start);
  const out: Highlight[] = [];
  for (const r of ranges) {
    const last = out[out.length - 1];
    if (last && last.field === r.field && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

/** Calls `fn` for each run of Han characters or of other letters/digits, as code points. */
function forEachRun(text: string, fn: (run: number[], han: boolean) => void): void {
  let run: number[] = [];
  let han = false;
  for (let i = 0; i < text.length; i++) {
    let cp = text.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
      cp = text.codePointAt(i) ?? cp;
      i++;
    }
    if (cp === 32) {
      if (run.length) fn(run, han);
      run = [];
      continue;
    }
    const h = isHan(cp);
    if (run.length && h !== han) {
      fn(run, han);
      run = [];
    }
    han = h;
    run.push(cp);
  }
  if (run.length) fn(run, han);
}

const DAY_MS = 86_400_000;
function toDays(iso: string | null | undefined): number {
  if (!iso) return 0;
  const t = Date.parse(iso.slice(0, 10));
  return Number.isNaN(t) ? 0 : Math.floor(t / DAY_MS);
}

/**
 * Growable Int32Array used while building (one class per element type: a
 * generic one made every push a polymorphic access, a sixth of the build).
 */
class GrowInt32 {
  buf = new Int32Array(1 << 16);
  len = 0;
  push(v: number): void {
    if (this.len === this.buf.length) {
      const next = new Int32Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.len++] = v;
  }
}

/** The (term, title tf, body tf) entries of every document while building, in document order. */
class Entries {
  term: Int32Array;
  title: Uint8Array;
  body: Uint8Array;
  len = 0;
  /** Sized from an estimate, so that the arrays are rarely copied while growing. */
  constructor(capacity: number) {
    this.term = new Int32Array(capacity);
    this.title = new Uint8Array(capacity);
    this.body = new Uint8Array(capacity);
  }
  /** Adds an entry for term `t` with zero counts; returns its slot. */
  add(t: number): number {
    if (this.len === this.term.length) {
      const size = Math.ceil(this.term.length * 1.5);
      const term = new Int32Array(size);
      term.set(this.term);
      this.term = term;
      const title = new Uint8Array(size);
      title.set(this.title);
      this.title = title;
      const body = new Uint8Array(size);
      body.set(this.body);
      this.body = body;
    }
    this.term[this.len] = t;
    return this.len++;
  }
}

/** Open-addressing hash from non-negative int keys to term ids (a Map is 2–3× slower here). */
class IntTable {
  private bits = 16;
  private keys = new Int32Array(1 << 16).fill(-1);
  private vals = new Int32Array(1 << 16);
  private size = 0;

  private slot(key: number): number {
    const mask = (1 << this.bits) - 1;
    let h = Math.imul(key, 0x9e3779b1) >>> (32 - this.bits);
    while (this.keys[h] !== -1 && this.keys[h] !== key) h = (h + 1) & mask;
    return h;
  }

  /** The value of `key`, or -1. */
  get(key: number): number {
    const h = this.slot(key);
    return this.keys[h] === key ? this.vals[h] : -1;
  }

  /** Sets a key that is not in the table yet. */
  add(key: number, val: number): void {
    if (++this.size * 2 > this.keys.length) {
      const oldKeys = this.keys;
      const oldVals = this.vals;
      this.bits++;
      this.keys = new Int32Array(1 << this.bits).fill(-1);
      this.vals = new Int32Array(1 << this.bits);
      for (let i = 0; i < oldKeys.length; i++) {
        if (oldKeys[i] === -1) continue;
        const h = this.slot(oldKeys[i]);
        this.keys[h] = oldKeys[i];
        this.vals[h] = oldVals[i];
      }
    }
    const h = this.slot(key);
    this.keys[h] = key;
    this.vals[h] = val;
  }
}

const WORD_CP = /[\p{L}\p{N}]/u;
/** Per BMP code unit: 0 not looked at yet, 1 letter or digit, 2 anything else. */
const wordClass = new Uint8Array(0x10000);

/** True for a letter or digit: what {@link normalizeText} keeps (everything else becomes a space). */
function isWordCp(cp: number): boolean {
  if (cp < 0x10000) {
    let c = wordClass[cp];
    if (c === 0) {
      c = WORD_CP.test(String.fromCharCode(cp)) ? 1 : 2;
      wordClass[cp] = c;
    }
    return c === 1;
  }
  return WORD_CP.test(String.fromCodePoint(cp));
}

/**
 * Builds the index of `docs`. Every text is normalised (NFKC, Traditional →
 * Simplified, punctuation as separators) before tokenising. Throws a clear
 * error for a document without id or title.
 */
export function buildIndex(docs: readonly SearchDoc[], options: BuildOptions = {}): SearchIndex {
  const n = docs.length;
  // Character ids: by BMP code point in a typed array, astral ones in a Map.
  const charIdBmp = new Int32Array(0x10000);
  const charIdAstral = new Map<number, number>();
  let nChars = 0;
  let chars = '';
  const wordIds = new Map<string, number>();
  const words: string[] = [];
  // Term ids: unigrams by character id, bigrams in a hash table, words in a Map.
  const uniTerm = new Int32Array(MAX_CHARS + 1).fill(-1);
  const biTerm = new IntTable();
  const wordTerm = new Map<number, number>();
  const termKeys = new GrowInt32();
  let nTerms = 0;
  let lastSeen = new Int32Array(1 << 16).fill(-1);
  let slot = new Int32Array(1 << 16);
  // Per doc: (term, tfTitle, tfBody) triples, in doc order.
  // Distinct unigrams and bigrams per document: a little over half its characters in
  // typical notices (10,000 generated ones: 0.54).
  let textLength = 0;
  for (const x of docs) {
    if (!x) continue;
    textLength += (x.title?.length ?? 0) + (x.summary?.length ?? 0);
    if (typeof x.text === 'string') textLength += x.text.length;
  }
  const ent = new Entries(Math.max(1 << 16, Math.ceil(textLength * 0.6)));
  const docEnd = new Uint32Array(n);
  const titleLen = new Uint16Array(n);
  const bodyLen = new Uint32Array(n);
  const titleNorm: string[] = [];
  const idKeys: string[][] = [];
  let sumT = 0;
  let sumB = 0;

  const charId = (cp: number): number => {
    let id = cp < 0x10000 ? charIdBmp[cp] : (charIdAstral.get(cp) ?? 0);
    if (id === 0) {
      id = ++nChars;
      if (id > MAX_CHARS)
        throw new Error(`search index: more than ${MAX_CHARS} distinct characters`);
      if (cp < 0x10000) charIdBmp[cp] = id;
      else charIdAstral.set(cp, id);
      chars += String.fromCodePoint(cp);
    }
    return id;
  };
  const newTerm = (key: number): number => {
    const t = nTerms++;
    termKeys.push(key);
    if (t >= lastSeen.length) {
      const ls = new Int32Array(lastSeen.length * 2).fill(-1);
      ls.set(lastSeen);
      lastSeen = ls;
      const sl = new Int32Array(slot.length * 2);
      sl.set(slot);
      slot = sl;
    }
    return t;
  };

  // State of the document being tokenised.
  let d = 0;
  let inTitle = true;
  let count = 0;
  const addTerm = (t: number): void => {
    if (lastSeen[t] !== d) {
      lastSeen[t] = d;
      slot[t] = ent.add(t);
    }
    const s = slot[t];
    if (inTitle) {
      if (ent.title[s] < 255) ent.title[s]++;
    } else if (ent.body[s] < 255) ent.body[s]++;
    count++;
  };
  const addWord = (w: string): void => {
    let wid = wordIds.get(w);
    if (wid === undefined) {
      wid = words.length;
      words.push(w);
      wordIds.set(w, wid);
    }
    let t = wordTerm.get(wid);
    if (t === undefined) {
      t = newTerm(WORD_BASE + wid);
      wordTerm.set(wid, t);
    }
    addTerm(t);
  };
  // Folded text → terms: each Han character and each pair of adjacent ones, other letter/digit
  // runs whole; anything else separates (as the spaces of normalizeText would).
  const tokenize = (text: string): void => {
    let prev = -1;
    let wordStart = -1;
    const len = text.length;
    for (let i = 0; i < len;) {
      let cp = text.charCodeAt(i);
      let w = 1;
      if (cp >= 0xd800 && cp <= 0xdbff) {
        cp = text.codePointAt(i) ?? cp;
        if (cp > 0xffff) w = 2;
      }
      if (!isWordCp(cp)) {
        if (wordStart >= 0) addWord(text.slice(wordStart, i));
        wordStart = -1;
        prev = -1;
      } else if (isHan(cp)) {
        if (wordStart >= 0) addWord(text.slice(wordStart, i));
        wordStart = -1;
        const id = charId(cp);
        let t = uniTerm[id];
        if (t < 0) {
          t = newTerm(id);
          uniTerm[id] = t;
        }
        addTerm(t);
        if (prev >= 0) {
          const pair = (prev << CHAR_BITS) + id;
          let bt = biTerm.get(pair);
          if (bt < 0) {
            bt = newTerm(BIGRAM_BASE + pair);
            biTerm.add(pair, bt);
          }
          addTerm(bt);
        }
        prev = id;
      } else {
        prev = -1;
        if (wordStart < 0) wordStart = i;
      }
      i += w;
    }
    if (wordStart >= 0) addWord(text.slice(wordStart));
  };

  // Title pinyin, flattened; syllable id 0 means "none" (separator, non-Han).
  const syllables = [''];
  const sylIds = new Map<string, number>([['', 0]]);
  const sylOf = (s: string): number => {
    let id = sylIds.get(s);
    if (id === undefined) {
      id = syllables.length;
      syllables.push(s);
      sylIds.set(s, id);
    }
    return id;
  };
  if (options.charPinyin) for (const s of Object.keys(options.charPinyin.syllables)) sylOf(s);
  const sylList = new GrowInt32();
  const charList = new GrowInt32();
  const sylStart = new Uint32Array(n);
  const LOWER = /^[a-z]+$/;

  for (d = 0; d < n; d++) {
    const doc = docs[d];
    if (!doc || typeof doc.id !== 'string' || doc.id === '') {
      throw new Error(`search index: document ${d} has no id`);
    }
    if (typeof doc.title !== 'string') throw new Error(`search index: ${doc.id}: title is missing`);
    const foldedTitle = foldText(doc.title);
    const tn = wordsOfFolded(foldedTitle);
    titleNorm.push(tn.replace(/ /g, ''));
    inTitle = true;
    count = 0;
    tokenize(foldedTitle);
    titleLen[d] = Math.min(count, 65535);
    sumT += titleLen[d];
    inTitle = false;
    count = 0;
    tokenize(foldText(`${doc.summary ?? ''}\n${doc.text}`));
    bodyLen[d] = count;
    sumB += count;
    docEnd[d] = ent.len;
    const ids = [doc.docNo, doc.indexNo, ...(doc.otherIds ?? [])]
      .filter((x): x is string => typeof x === 'string' && x !== '')
      .map(idKey)
      .filter((k) => k.length >= 4);
    idKeys.push([...new Set(ids)]);

    sylStart[d] = sylList.len;
    const py =
      doc.titlePinyin && doc.titlePinyin.length === Array.from(doc.title).length
        ? doc.titlePinyin
        : null;
    let k = 0;
    for (const ch of tn) {
      const syl = py?.[k];
      sylList.push(syl && LOWER.test(syl) ? sylOf(syl) : 0);
      charList.push(ch.codePointAt(0) ?? 0);
      k++;
    }
    sylList.push(0);
    charList.push(0);
  }

  // CSR postings, terms sorted by key so queries binary-search without a Map.
  const keysByTerm = termKeys.buf.subarray(0, nTerms);
  const keys = Int32Array.from(keysByTerm).sort();
  const rank = new Int32Array(nTerms);
  for (let t = 0; t < nTerms; t++) {
    const key = keysByTerm[t];
    let lo = 0;
    let hi = nTerms - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    rank[t] = lo;
  }
  const offsets = new Uint32Array(nTerms + 1);
  const entTerm = ent.term;
  for (let e = 0; e < ent.len; e++) offsets[rank[entTerm[e]] + 1]++;
  for (let r = 0; r < nTerms; r++) offsets[r + 1] += offsets[r];
  const total = ent.len;
  const postings = n <= 65535 ? new Uint16Array(total) : new Uint32Array(total);
  const tfTitle = new Uint8Array(total);
  const tfBody = new Uint8Array(total);
  const fillAt = offsets.slice(0, nTerms);
  let doc = 0;
  for (let e = 0; e < total; e++) {
    while (e >= docEnd[doc]) doc++;
    const p = fillAt[rank[entTerm[e]]]++;
    postings[p] = doc;
    tfTitle[p] = ent.title[e];
    tfBody[p] = ent.body[e];
  }

  const days = new Int32Array(n);
  const validUntil = new Int32Array(n);
  const status = new Uint8Array(n);
  docs.forEach((x, i) => {
    days[i] = toDays(x.date);
    validUntil[i] = toDays(x.validUntil);
    status[i] = DOC_STATUS[x.status satisfies DocStatus] ?? 0;
  });

  const meta: IndexMeta = {
    format: 1,
    sourceKey: options.sourceKey ?? '',
    builtOn: options.builtOn ?? new Date().toISOString().slice(0, 10),
    n,
    ids: docs.map((x) => x.id),
    titles: docs.map((x) => x.title),
    summaries: docs.map((x) => x.summary ?? ''),
    titleNorm,
    chars,
    words,
    idKeys,
    syllables,
    charPinyin: options.charPinyin ?? null,
    synonyms: { ...DEFAULT_SYNONYMS, ...(options.synonyms ?? {}) },
    avgTitleLen: n ? sumT / n : 0,
    avgBodyLen: n ? sumB / n : 0,
  };
  return new SearchIndex(meta, {
    keys,
    offsets,
    postings,
    tfTitle,
    tfBody,
    titleLen,
    bodyLen,
    days,
    validUntil,
    status,
    sylFlat: Uint16Array.from(sylList.buf.subarray(0, sylList.len)),
    charFlat: Uint32Array.from(charList.buf.subarray(0, charList.len)),
    sylStart,
  });
}

const MAGIC = 0x31534b47; // "GKS1"
const ARRAY_TYPES = {
  Int32Array,
  Uint32Array,
  Uint16Array,
  Uint8Array,
} as const;
type ArrayTypeName = keyof typeof ARRAY_TYPES;

/** Serialises an index into one ArrayBuffer (JSON metadata + aligned typed arrays). */
export function serializeIndex(index: SearchIndex): ArrayBuffer {
  const entries = (
    Object.entries(index.arrays) as [keyof IndexArrays, IndexArrays[keyof IndexArrays]][]
  ).filter((e): e is [keyof IndexArrays, NonNullable<IndexArrays[keyof IndexArrays]>] => !!e[1]);
  const layout: { name: string; type: ArrayTypeName; offset: number; length: number }[] = [];
  let offset = 0;
  for (const [name, arr] of entries) {
    layout.push({ name, type: arr.constructor.name as ArrayTypeName, offset, length: arr.length });
    offset += Math.ceil(arr.byteLength / 8) * 8;
  }
  const json = new TextEncoder().encode(JSON.stringify({ meta: index.meta, layout }));
  const head = Math.ceil((8 + json.length) / 8) * 8;
  const buf = new ArrayBuffer(head + offset);
  const view = new DataView(buf);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, json.length, true);
  new Uint8Array(buf, 8, json.length).set(json);
  for (let i = 0; i < entries.length; i++) {
    const arr = entries[i][1];
    new Uint8Array(buf, head + layout[i].offset, arr.byteLength).set(
      new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength),
    );
  }
  return buf;
}

/** Loads a serialised index without copying its arrays. Throws on a foreign or damaged buffer. */
export function deserializeIndex(buf: ArrayBuffer): SearchIndex {
  const view = new DataView(buf);
  if (buf.byteLength < 8 || view.getUint32(0, true) !== MAGIC) {
    throw new Error('search index: not a serialised Gongkai index (bad magic)');
  }
  const len = view.getUint32(4, true);
  const parsed = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 8, len))) as {
    meta: IndexMeta;
    layout: { name: keyof IndexArrays; type: ArrayTypeName; offset: number; length: number }[];
  };
  if (parsed.meta.format !== 1)
    throw new Error(`search index: unknown format ${parsed.meta.format}`);
  const head = Math.ceil((8 + len) / 8) * 8;
  const arrays: Partial<Record<keyof IndexArrays, IndexArrays[keyof IndexArrays]>> = {};
  for (const l of parsed.layout) {
    const Ctor = ARRAY_TYPES[l.type];
    if (!Ctor) throw new Error(`search index: unknown array type ${l.type}`);
    arrays[l.name] = new Ctor(buf, head + l.offset, l.length);
  }
  return new SearchIndex(parsed.meta, arrays as IndexArrays);
}
