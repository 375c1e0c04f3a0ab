// MiniSearch with the bigram tokenizer, title boosted ×3, OR semantics, prefix
// matching for one-character queries (as in ../shared/reference/search.md).
import MiniSearch from 'minisearch';
import { bigrams, isSingleHan } from './bigram.ts';
import type { BenchEngine, PeerDoc } from './types.ts';

export const minisearch: BenchEngine = {
  name: 'MiniSearch',
  build(data) {
    const ms = new MiniSearch<PeerDoc>({
      fields: ['title', 'text'],
      storeFields: [],
      tokenize: bigrams,
      processTerm: (t) => t,
      searchOptions: { boost: { title: 3 }, combineWith: 'OR' },
    });
    ms.addAll(data.peerDocs);
    return ms;
  },
  search(index, query, limit) {
    const ms = index as MiniSearch<PeerDoc>;
    return ms
      .search(query, { prefix: isSingleHan(query) })
      .slice(0, limit)
      .map((r) => String(r.id));
  },
};
