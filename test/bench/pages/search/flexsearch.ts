// FlexSearch with the bigram tokenizer and forward (prefix) tokenization, one
// Index per field; results merged by rank with the title weighted ×3.
import { Index } from 'flexsearch';
import { bigrams } from './bigram.ts';
import type { BenchEngine } from './types.ts';

interface FlexPair {
  title: Index;
  text: Index;
  ids: string[];
}

function makeIndex(): Index {
  return new Index({ tokenize: 'forward', encode: bigrams, resolution: 9 });
}

export const flexsearch: BenchEngine = {
  name: 'FlexSearch',
  build(data) {
    const pair: FlexPair = { title: makeIndex(), text: makeIndex(), ids: [] };
    data.peerDocs.forEach((d, i) => {
      pair.ids.push(d.id);
      pair.title.add(i, d.title);
      pair.text.add(i, d.text);
    });
    return pair;
  },
  search(index, query, limit) {
    const pair = index as FlexPair;
    const opts = { limit, suggest: true };
    const score = new Map<number, number>();
    const add = (hits: readonly (string | number)[], weight: number) =>
      hits.forEach((id, rank) => {
        const n = Number(id);
        score.set(n, (score.get(n) ?? 0) + weight / (rank + 1));
      });
    add(pair.title.search(query, opts), 3);
    add(pair.text.search(query, opts), 1);
    return [...score.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([n]) => pair.ids[n]);
  },
};
