// The tokenizer given to MiniSearch and FlexSearch: NFKC, lower-case, CJK
// character bigrams (a single character when a run has one), Latin words and
// numbers whole. The research in ../shared/reference/search.md found this the
// best configuration for both libraries on Chinese.

const RUN = /(\p{Script=Han}+)|([\p{L}\p{N}]+)/gu;

/** Tokens of a text or a query. */
export function bigrams(text: string): string[] {
  const out: string[] = [];
  for (const m of text.normalize('NFKC').toLowerCase().matchAll(RUN)) {
    if (m[1]) {
      const chars = Array.from(m[1]);
      if (chars.length === 1) out.push(chars[0]);
      for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
    } else if (m[2]) {
      out.push(m[2]);
    }
  }
  return out;
}

/** True for a query of one CJK character, which the libraries answer by prefix matching. */
export function isSingleHan(query: string): boolean {
  return /^\p{Script=Han}$/u.test(query.trim());
}
