/**
 * Chinese full-text search for the kiosk and the CLI: a character unigram +
 * bigram inverted index on typed arrays (BM25F, title weighted), exact 文号 /
 * 索引号 lookup, pinyin (full, initials, mixed) and homophone-typo matching on
 * titles from build-time pinyin, and a synonym list. Pure code: it runs in a
 * Web Worker, the page and Node alike. See docs/search.md for the design and
 * the measurements behind it.
 */
import { idKey, isHan, normalizeMapped, normalizeText, type MappedText } from './normalize.ts';
import { DEFAULT_SYNONYMS, expandSynonymsNormalized } from './synonyms.ts';
import type {
  CharPinyinTable,
  DocStatus,
  Highlight,
  MatchKind,
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
const K1 = 1.2;
const B = 0.75;

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

/** A built (or loaded) search index. Immutable; queries reuse scratch arrays. */
export class SearchIndex {
  readonly meta: IndexMeta;
  readonly arrays: IndexArrays;
  private readonly charIds = new Map<number, number>();
  private readonly wordIds = new Map<string, number>();
  private readonly idLookup = new Map<string, number[]>();
  private readonly sortedIdKeys: string[];
  private readonly sylIds = new Map<string, number>();
  private readonly charSyl = new Map<number, number[]>();
  private readonly sylFirst: Uint8Array;
  private readonly sylInitialLen: Uint8Array;
  private readonly scratchScore: Float64Array;
  private readonly scratchMatched: Uint16Array;
  private readonly scratchTitle: Uint16Array;
  private readonly touched: Int32Array;
  private readonly cand = {
    tier: new Float32Array(0),
    rel: new Float64Array(0),
    kind: new Uint8Array(0),
    variant: new Uint8Array(0),
    spanStart: new Int32Array(0),
    spanEnd: new Int32Array(0),
    list: new Int32Array(0),
    count: 0,
  };
  private variants: string[] = [];
  /** Normalised titles and summaries with offset maps, reused across keystrokes. */
  private readonly mappedCache = new Map<string, MappedText>();
  private readonly synonymKeys: [string, string[]][];

  constructor(meta: IndexMeta, arrays: IndexArrays) {
    this.meta = meta;
    this.arrays = arrays;
    let cid = 1;
    for (const ch of meta.chars) this.charIds.set(ch.codePointAt(0) ?? 0, cid++);
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
    this.sylFirst = new Uint8Array(meta.syllables.length);
    this.sylInitialLen = new Uint8Array(meta.syllables.length);
    meta.syllables.forEach((s, i) => {
      this.sylFirst[i] = s.charCodeAt(0) || 0;
      this.sylInitialLen[i] = /^[zcs]h/.test(s) ? 2 : 1;
    });
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
    this.scratchScore = new Float64Array(meta.n);
    this.scratchMatched = new Uint16Array(meta.n);
    this.scratchTitle = new Uint16Array(meta.n);
    this.touched = new Int32Array(meta.n);
    const n = meta.n;
    this.cand = {
      tier: new Float32Array(n),
      rel: new Float64Array(n),
      kind: new Uint8Array(n),
      variant: new Uint8Array(n),
      spanStart: new Int32Array(n).fill(-1),
      spanEnd: new Int32Array(n),
      list: new Int32Array(n),
      count: 0,
    };
    // Normalised once: the synonym keys are checked on every keystroke.
    this.synonymKeys = Object.entries(meta.synonyms).map(([k, v]) => [
      normalizeText(k).trim(),
      v.map((x) => normalizeText(x).trim()),
    ]);
  }

  /** Records a candidate, keeping its strongest match. */
  private offer(
    doc: number,
    tier: number,
    rel: number,
    kind: MatchKind,
    variant = 0,
    span?: [number, number],
  ): void {
    const c = this.cand;
    const prev = c.tier[doc];
    if (prev === 0) c.list[c.count++] = doc;
    else if (prev > tier || (prev === tier && c.rel[doc] >= rel)) return;
    c.tier[doc] = tier;
    c.rel[doc] = rel;
    c.kind[doc] = MATCH_KINDS.indexOf(kind);
    c.variant[doc] = variant;
    c.spanStart[doc] = span ? span[0] : -1;
    c.spanEnd[doc] = span ? span[1] : 0;
  }

  /** Number of documents. */
  get size(): number {
    return this.meta.n;
  }

  /** Term id range of a key, or null. */
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

  /** Term keys of a normalised query (bigrams of Han runs, unigram for a 1-char run, words). */
  queryKeys(norm: string): number[] {
    const keys: number[] = [];
    forEachRun(norm, (run, han) => {
      if (han) {
        const ids = run.map((cp) => this.charIds.get(cp) ?? -1);
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
   * BM25F × coverage², then recency.
   */
  search(query: string, options: QueryOptions = {}): SearchResult[] {
    const limit = options.limit ?? 20;
    const today = toDays(options.today ?? this.meta.builtOn);
    const raw = query.trim();
    if (raw === '') return [];
    const norm = normalizeText(raw).trim();
    const compact = norm.replace(/ /g, '');
    this.cand.count = 0;

    // 文号 / 索引号: exact key first, then keys that start with what was typed so far.
    const key = idKey(raw);
    if (key.length >= 4 && /\d/.test(key)) {
      const exact = this.idLookup.get(key);
      if (exact) for (const d of exact) this.offer(d, 7, 1, 'id');
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
          for (const d of this.idLookup.get(k) ?? []) this.offer(d, 6, key.length / k.length, 'id');
        }
      }
    }
    this.variants = compact === '' ? [] : expandSynonymsNormalized(norm, this.synonymKeys);
    this.variants.forEach((v, vi) => this.termSearch(v, vi));
    if (/^[a-z ]+$/.test(norm)) this.pinyinSearch(compact);
    else if (/^\p{Script=Han}{2,}$/u.test(compact)) this.homophoneSearch(compact);
    return this.finish(limit, today, options);
  }

  /**
   * Words of the bundle's titles that a pinyin prefix spells (full, initials
   * or mixed), most frequent first: the candidate bar of the on-screen
   * keyboard, as a pinyin input method would offer them.
   */
  candidates(pinyinPrefix: string, limit = 10): string[] {
    const q = pinyinPrefix.toLowerCase().replace(/[^a-z]/g, '');
    if (q === '') return [];
    this.cand.count = 0;
    this.pinyinSearch(q);
    const counts = new Map<string, number>();
    const c = this.cand;
    for (let i = 0; i < c.count; i++) {
      const d = c.list[i];
      const word = Array.from(this.meta.titles[d]).slice(c.spanStart[d], c.spanEnd[d]).join('');
      counts.set(word, (counts.get(word) ?? 0) + 1);
      c.tier[d] = 0;
    }
    c.count = 0;
    return [...counts]
      .sort((a, b) => b[1] - a[1] || a[0].length - b[0].length || (a[0] < b[0] ? -1 : 1))
      .slice(0, limit)
      .map(([w]) => w);
  }

  /** Bigram/unigram/word search with BM25F; offers every touched doc. */
  private termSearch(norm: string, variant: number): void {
    const keys = this.queryKeys(norm);
    const uniq = [...new Set(keys)];
    const total = keys.length;
    if (total === 0) return;
    const { postings, tfTitle, tfBody, titleLen, bodyLen } = this.arrays;
    const score = this.scratchScore;
    const matched = this.scratchMatched;
    const inTitle = this.scratchTitle;
    const touched = this.touched;
    let nTouched = 0;
    const n = this.meta.n;
    const avgT = this.meta.avgTitleLen || 1;
    const avgB = this.meta.avgBodyLen || 1;
    for (const k of uniq) {
      if (k < 0) continue;
      const r = this.range(k);
      if (!r) continue;
      const weight = keys.filter((x) => x === k).length;
      const df = r[1] - r[0];
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      for (let p = r[0]; p < r[1]; p++) {
        const d = postings[p];
        const tt = tfTitle[p];
        const tb = tfBody[p];
        const tf =
          (TITLE_WEIGHT * tt) / (1 - B + (B * titleLen[d]) / avgT) +
          tb / (1 - B + (B * bodyLen[d]) / avgB);
        if (matched[d] === 0) touched[nTouched++] = d;
        score[d] += (idf * tf * (K1 + 1)) / (K1 + tf);
        matched[d] += weight;
        if (tt > 0) inTitle[d] += weight;
      }
    }
    const titleNorm = this.meta.titleNorm;
    const phrase = norm.replace(/ /g, '');
    for (let i = 0; i < nTouched; i++) {
      const d = touched[i];
      const cov = matched[d] / total;
      let tier: number;
      let kind: MatchKind;
      // Every bigram in the title is necessary for the phrase to be there: check the string only then.
      if (inTitle[d] === total && titleNorm[d].includes(phrase)) {
        tier = 5;
        kind = 'phrase';
      } else if (inTitle[d] === total) {
        tier = 3;
        kind = 'terms';
      } else if (matched[d] === total) {
        tier = 2;
        kind = 'terms';
      } else {
        tier = 1;
        kind = 'partial';
      }
      const s = score[d] * cov * cov;
      // A synonym expansion ranks just below the same match of the literal query.
      this.offer(d, variant > 0 ? tier - 0.05 : tier, s / (s + 10), kind, variant);
      score[d] = 0;
      matched[d] = 0;
      inTitle[d] = 0;
    }
  }

  /**
   * Latin letters against title pinyin: every title syllable from the match
   * start consumes a non-empty prefix of itself from the query, so `hunyindengji`
   * (full), `bdcdj` (initials), `zhengwugk` (mixed) and `hunyind` (partial) all match.
   */
  private pinyinSearch(q: string): void {
    const { sylFlat, sylStart } = this.arrays;
    const syls = this.meta.syllables;
    const q0 = q.charCodeAt(0);
    const first = this.sylFirst;
    let doc = 0;
    const n = this.meta.n;
    for (let pos = 0; pos < sylFlat.length; pos++) {
      const sid = sylFlat[pos];
      if (sid === 0 || first[sid] !== q0) continue;
      while (doc + 1 < n && sylStart[doc + 1] <= pos) doc++;
      const full = { n: 0 };
      const end = matchPinyin(q, 0, pos, sylFlat, syls, full);
      if (end < 0) continue;
      const nSyl = end - pos;
      const fullRatio = full.n / nSyl;
      const start = pos - sylStart[doc];
      const tier = fullRatio === 1 ? 4.6 : nSyl === q.length ? 4.4 : 4.5;
      const rel = 0.5 / (1 + start) + 0.5 / (1 + (this.arrays.titleLen[doc] || 1) / 10);
      this.offer(doc, tier, rel, 'pinyin', 0, [start, end - sylStart[doc]]);
    }
  }

  /**
   * Chinese query → its sounds (every reading of each character from the
   * char→pinyin table) matched against title syllables: finds 公积金 for
   * 公基金 and 婚姻登记 for 婚因登记.
   */
  private homophoneSearch(compact: string): void {
    const cps = Array.from(compact, (c) => c.codePointAt(0) ?? 0);
    const sets = cps.map((cp) => this.charSyl.get(cp) ?? []);
    // A character without known reading can only match itself.
    const { sylFlat, charFlat, sylStart } = this.arrays;
    const n = this.meta.n;
    const m = cps.length;
    let doc = 0;
    const okAt = (pos: number, j: number): boolean => {
      if (charFlat[pos] === cps[j]) return true;
      const sid = sylFlat[pos];
      if (sid === 0) return false;
      const set = sets[j];
      for (let s = 0; s < set.length; s++) if (set[s] === sid) return true;
      return false;
    };
    const lastStart = sylFlat.length - m;
    for (let pos = 0; pos <= lastStart; pos++) {
      if (!okAt(pos, 0)) continue;
      let j = 1;
      while (j < m && okAt(pos + j, j)) j++;
      if (j < m) continue;
      while (doc + 1 < n && sylStart[doc + 1] <= pos) doc++;
      let same = 0;
      for (let k = 0; k < m; k++) if (charFlat[pos + k] === cps[k]) same++;
      if (same === m) continue; // the literal phrase: already a phrase match
      const start = pos - sylStart[doc];
      const rel = (same / m) * 0.5 + 0.5 / (1 + start);
      this.offer(doc, 4, rel, 'homophone', 0, [start, start + m]);
    }
  }

  /** Scores candidates and keeps the top `limit` with an insertion list (no full sort). */
  private finish(limit: number, today: number, options: QueryOptions): SearchResult[] {
    const { status, validUntil, days } = this.arrays;
    const c = this.cand;
    const topDoc: number[] = [];
    const topScore: number[] = [];
    for (let i = 0; i < c.count; i++) {
      const d = c.list[i];
      const valid =
        status[d] === DOC_STATUS.valid && (validUntil[d] === 0 || validUntil[d] >= today);
      const score = c.tier[d] * 1000 + (valid ? 400 : 0) + 399 * c.rel[d] + days[d] / 1e6;
      if (topDoc.length === limit && score <= topScore[limit - 1]) continue;
      let at = topDoc.length;
      while (at > 0 && topScore[at - 1] < score) at--;
      topDoc.splice(at, 0, d);
      topScore.splice(at, 0, score);
      if (topDoc.length > limit) {
        topDoc.pop();
        topScore.pop();
      }
    }
    const results = topDoc.map((d, i) => {
      const valid =
        status[d] === DOC_STATUS.valid && (validUntil[d] === 0 || validUntil[d] >= today);
      return {
        id: this.meta.ids[d],
        score: Math.round(topScore[i] * 1000) / 1000,
        title: this.meta.titles[d],
        valid,
        match: MATCH_KINDS[c.kind[d]],
        highlights: options.highlights === false ? [] : this.highlights(d),
      };
    });
    for (let i = 0; i < c.count; i++) c.tier[c.list[i]] = 0;
    c.count = 0;
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
    const c = this.cand;
    if (c.spanStart[d] >= 0) {
      // Pinyin spans count code points of the title.
      const units = Array.from(title);
      const start = units.slice(0, c.spanStart[d]).join('').length;
      const end = start + units.slice(c.spanStart[d], c.spanEnd[d]).join('').length;
      out.push({ field: 'title', start, end });
      return out;
    }
    const fields: [Highlight['field'], string][] = [
      ['title', title],
      ['summary', this.meta.summaries[d]],
    ];
    const term = this.variants[c.variant[d]];
    for (const [field, text] of fields) {
      if (!text || term === undefined) continue;
      out.push(...rangesOf(this.mapped(text), term, field));
    }
    return out;
  }
}

/**
 * Matches query `q` from offset `j` against title syllables from `pos`, each
 * syllable consuming a non-empty prefix of itself (longest first). Returns
 * the end position, or -1. Counts fully consumed syllables in `full.n`.
 */
function matchPinyin(
  q: string,
  j: number,
  pos: number,
  flat: Uint16Array,
  syls: readonly string[],
  full: { n: number },
): number {
  if (j === q.length) return pos;
  const sid = flat[pos];
  if (sid === 0 || pos >= flat.length) return -1;
  const s = syls[sid];
  let common = 0;
  while (
    common < s.length &&
    j + common < q.length &&
    s.charCodeAt(common) === q.charCodeAt(j + common)
  ) {
    common++;
  }
  for (let take = common; take >= 1; take--) {
    const rest = matchPinyin(q, j + take, pos + 1, flat, syls, full);
    if (rest >= 0) {
      if (take === s.length || j + take === q.length) full.n++;
      return rest;
    }
  }
  return -1;
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

/** Growable typed buffer used while building. */
class Grow<T extends Int32Array | Uint8Array> {
  buf: T;
  len = 0;
  constructor(private readonly make: (n: number) => T) {
    this.buf = make(1 << 16);
  }
  push(v: number): void {
    if (this.len === this.buf.length) {
      const next = this.make(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.len++] = v;
  }
}

/**
 * Builds the index of `docs`. Every text is normalised (NFKC, Traditional →
 * Simplified, punctuation stripped) before tokenising. Throws a clear error
 * for a document without id or title.
 */
export function buildIndex(docs: readonly SearchDoc[], options: BuildOptions = {}): SearchIndex {
  const n = docs.length;
  const charIds = new Map<number, number>();
  let chars = '';
  const wordIds = new Map<string, number>();
  const words: string[] = [];
  const termOf = new Map<number, number>();
  const termKeys = new Grow((k) => new Int32Array(k));
  let lastSeen = new Int32Array(1 << 16).fill(-1);
  let slot = new Int32Array(1 << 16);
  // Per doc: (term, tfTitle, tfBody) triples, in doc order.
  const entTerm = new Grow((k) => new Int32Array(k));
  const entTitle = new Grow((k) => new Uint8Array(k));
  const entBody = new Grow((k) => new Uint8Array(k));
  const docEnd = new Uint32Array(n);
  const titleLen = new Uint16Array(n);
  const bodyLen = new Uint32Array(n);
  const titleNorm: string[] = [];
  const idKeys: string[][] = [];
  let sumT = 0;
  let sumB = 0;

  const charId = (cp: number): number => {
    let id = charIds.get(cp);
    if (id === undefined) {
      id = charIds.size + 1;
      if (id > MAX_CHARS)
        throw new Error(`search index: more than ${MAX_CHARS} distinct characters`);
      charIds.set(cp, id);
      chars += String.fromCodePoint(cp);
    }
    return id;
  };

  for (let d = 0; d < n; d++) {
    const doc = docs[d];
    if (!doc || typeof doc.id !== 'string' || doc.id === '') {
      throw new Error(`search index: document ${d} has no id`);
    }
    if (typeof doc.title !== 'string') throw new Error(`search index: ${doc.id}: title is missing`);
    let count = 0;
    const addTerm = (key: number, inTitle: boolean): void => {
      let t = termOf.get(key);
      if (t === undefined) {
        t = termOf.size;
        termOf.set(key, t);
        termKeys.push(key);
        if (t >= lastSeen.length) {
          const ls = new Int32Array(lastSeen.length * 2).fill(-1);
          ls.set(lastSeen);
          lastSeen = ls;
          const sl = new Int32Array(slot.length * 2);
          sl.set(slot);
          slot = sl;
        }
      }
      if (lastSeen[t] !== d) {
        lastSeen[t] = d;
        slot[t] = entTerm.len;
        entTerm.push(t);
        entTitle.push(0);
        entBody.push(0);
      }
      const s = slot[t];
      if (inTitle) {
        if (entTitle.buf[s] < 255) entTitle.buf[s]++;
      } else if (entBody.buf[s] < 255) entBody.buf[s]++;
      count++;
    };
    const tokenize = (text: string, inTitle: boolean): void => {
      forEachRun(text, (run, han) => {
        if (han) {
          let prev = -1;
          for (const cp of run) {
            const id = charId(cp);
            addTerm(id, inTitle);
            if (prev >= 0) addTerm(BIGRAM_BASE + (prev << CHAR_BITS) + id, inTitle);
            prev = id;
          }
        } else {
          const w = String.fromCodePoint(...run);
          let wid = wordIds.get(w);
          if (wid === undefined) {
            wid = words.length;
            words.push(w);
            wordIds.set(w, wid);
          }
          addTerm(WORD_BASE + wid, inTitle);
        }
      });
    };
    const tn = normalizeText(doc.title);
    titleNorm.push(tn.replace(/ /g, ''));
    count = 0;
    tokenize(tn, true);
    titleLen[d] = Math.min(count, 65535);
    sumT += titleLen[d];
    count = 0;
    tokenize(normalizeText(`${doc.summary ?? ''}\n${doc.text}`), false);
    bodyLen[d] = count;
    sumB += count;
    docEnd[d] = entTerm.len;
    const ids = [doc.docNo, doc.indexNo, ...(doc.otherIds ?? [])]
      .filter((x): x is string => typeof x === 'string' && x !== '')
      .map(idKey)
      .filter((k) => k.length >= 4);
    idKeys.push([...new Set(ids)]);
  }

  // CSR postings, terms sorted by key so queries binary-search without a Map.
  const nTerms = termOf.size;
  const keysByTerm = termKeys.buf.subarray(0, nTerms);
  const order = Array.from({ length: nTerms }, (_, i) => i).sort(
    (a, b) => keysByTerm[a] - keysByTerm[b],
  );
  const rank = new Int32Array(nTerms);
  order.forEach((t, r) => (rank[t] = r));
  const df = new Uint32Array(nTerms + 1);
  for (let e = 0; e < entTerm.len; e++) df[rank[entTerm.buf[e]] + 1]++;
  const offsets = new Uint32Array(nTerms + 1);
  for (let r = 0; r < nTerms; r++) offsets[r + 1] = offsets[r] + df[r + 1];
  const total = entTerm.len;
  const postings = n <= 65535 ? new Uint16Array(total) : new Uint32Array(total);
  const tfTitle = new Uint8Array(total);
  const tfBody = new Uint8Array(total);
  const fillAt = offsets.slice(0, nTerms);
  let d = 0;
  for (let e = 0; e < total; e++) {
    while (e >= docEnd[d]) d++;
    const r = rank[entTerm.buf[e]];
    const p = fillAt[r]++;
    postings[p] = d;
    tfTitle[p] = entTitle.buf[e];
    tfBody[p] = entBody.buf[e];
  }
  const keys = new Int32Array(nTerms);
  order.forEach((t, r) => (keys[r] = keysByTerm[t]));

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
  const sylList: number[] = [];
  const charList: number[] = [];
  const sylStart = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    sylStart[i] = sylList.length;
    const doc = docs[i];
    const cps = Array.from(normalizeText(doc.title), (c) => c.codePointAt(0) ?? 0);
    const py =
      doc.titlePinyin && doc.titlePinyin.length === Array.from(doc.title).length
        ? doc.titlePinyin
        : null;
    cps.forEach((cp, k) => {
      sylList.push(py && /^[a-z]+$/.test(py[k] ?? '') ? sylOf(py[k]) : 0);
      charList.push(cp);
    });
    sylList.push(0);
    charList.push(0);
  }

  const days = new Int32Array(n);
  const validUntil = new Int32Array(n);
  const status = new Uint8Array(n);
  docs.forEach((doc, i) => {
    days[i] = toDays(doc.date);
    validUntil[i] = toDays(doc.validUntil);
    status[i] = DOC_STATUS[doc.status satisfies DocStatus] ?? 0;
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
    sylFlat: Uint16Array.from(sylList),
    charFlat: Uint32Array.from(charList),
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
  const entries = Object.entries(index.arrays) as [
    keyof IndexArrays,
    IndexArrays[keyof IndexArrays],
  ][];
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
