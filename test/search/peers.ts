/**
 * MiniSearch and FlexSearch set up as well as they can be for Chinese, for a
 * fair comparison on the same corpus: the same normalisation as ours (NFKC,
 * Traditional → Simplified), a character-bigram tokenizer (a unigram for a
 * one-character run, Latin words and numbers whole), title boosted ×3, OR
 * semantics, prefix matching for one-character queries. They get no pinyin,
 * homophone or synonym support, because they have none.
 */
import FlexSearch from 'flexsearch';
import MiniSearch from 'minisearch';
import { itemTitle, type Item } from '../../src/content/types.ts';
import { normalizeText } from '../../src/search/normalize.ts';
import { toSearchDoc } from '../../src/search/doc.ts';
import type { SearchFn } from './metrics.ts';

const HAN = /\p{Script=Han}/u;

/** Character bigrams of each Han run (a unigram for a run of one), other words whole. */
export function bigramTokens(text: string): string[] {
  const out: string[] = [];
  for (const word of normalizeText(text).split(' ')) {
    if (word === '') continue;
    let run: string[] = [];
    let latin = '';
    const flush = (): void => {
      if (run.length === 1) out.push(run[0]);
      for (let i = 0; i + 1 < run.length; i++) out.push(run[i] + run[i + 1]);
      run = [];
      if (latin) out.push(latin);
      latin = '';
    };
    for (const ch of word) {
      if (HAN.test(ch)) {
        if (latin) {
          out.push(latin);
          latin = '';
        }
        run.push(ch);
      } else {
        if (run.length) {
          const keep = latin;
          latin = '';
          flush();
          latin = keep;
        }
        latin += ch;
      }
    }
    flush();
  }
  return out;
}

/** A search engine built over items. */
export interface Engine {
  name: string;
  search: SearchFn;
}

/** MiniSearch 7 with the bigram tokenizer. */
export function buildMiniSearch(items: readonly Item[]): Engine {
  const ms = new MiniSearch<{ id: number; title: string; text: string }>({
    fields: ['title', 'text'],
    tokenize: bigramTokens,
    processTerm: (t) => t,
    searchOptions: {
      boost: { title: 3 },
      combineWith: 'OR',
      tokenize: bigramTokens,
      processTerm: (t) => t,
    },
  });
  ms.addAll(
    items.map((item, id) => {
      const doc = toSearchDoc(item);
      return { id, title: itemTitle(item), text: `${doc.summary ?? ''}\n${doc.text}` };
    }),
  );
  return {
    name: 'MiniSearch + bigram',
    search: (q, k) => {
      const terms = bigramTokens(q);
      const prefix = terms.length === 1 && terms[0].length === 1;
      return ms
        .search(q, { prefix })
        .slice(0, k)
        .map((r) => items[r.id as number].id);
    },
  };
}

/** FlexSearch 0.8 with the bigram tokenizer: one index per field, title results first. */
export function buildFlexSearch(items: readonly Item[]): Engine {
  const opts = { tokenize: 'forward', encode: bigramTokens } as const;
  const title = new FlexSearch.Index(opts);
  const body = new FlexSearch.Index(opts);
  items.forEach((item, id) => {
    const doc = toSearchDoc(item);
    title.add(id, itemTitle(item));
    body.add(id, `${doc.summary ?? ''}\n${doc.text}`);
  });
  return {
    name: 'FlexSearch + bigram',
    search: (q, k) => {
      const seen = new Set<number>();
      for (const idx of [title, body]) {
        for (const id of idx.search(q, { limit: k, suggest: true })) {
          seen.add(id as number);
          if (seen.size >= k) break;
        }
        if (seen.size >= k) break;
      }
      return [...seen].map((id) => items[id].id);
    },
  };
}
