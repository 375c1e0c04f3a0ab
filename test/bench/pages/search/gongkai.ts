// This project's search (src/search): typed-array unigram+bigram index with
// pinyin and homophone matching from the build-time character→pinyin table.
import { buildIndex, type SearchIndex } from '../../../../src/search/index.ts';
import type { BenchEngine } from './types.ts';

export const gongkai: BenchEngine = {
  name: 'gongkai',
  build(data) {
    if (!data.docs) throw new Error('search bench: no gongkai documents in the data file');
    return buildIndex(data.docs, { charPinyin: data.charPinyin ?? null });
  },
  search(index, query, limit) {
    return (index as SearchIndex).search(query, { limit, highlights: false }).map((r) => r.id);
  },
};
