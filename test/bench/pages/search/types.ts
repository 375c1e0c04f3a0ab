// Types shared by the search bench page (Chromium) and its driver (Node).
import type { CharPinyinTable, SearchDoc } from '../../../../src/search/types.ts';

/** A document as every library indexes it: id, Simplified-or-source title, everything else. */
export interface PeerDoc {
  id: string;
  title: string;
  text: string;
}

/** The corpus in each engine's input form. */
export interface SearchBenchData {
  /** For this project's index (`toSearchDoc` with build-time pinyin); absent until search lands. */
  docs?: SearchDoc[];
  charPinyin?: CharPinyinTable;
  /** For the libraries: the same text, flattened. */
  peerDocs: PeerDoc[];
}

/** What the page fetches: `peerDocs` only when there are no `docs` to derive them from. */
export type SearchBenchFile = Omit<SearchBenchData, 'peerDocs'> & { peerDocs?: PeerDoc[] };

/** One search engine as the bench page drives it. */
export interface BenchEngine {
  name: string;
  build(data: SearchBenchData): unknown;
  /** Ids of the top `limit` results, best first. */
  search(index: unknown, query: string, limit: number): string[];
}

/** The page's API, reached from Node with page.evaluate. */
export interface SearchBenchPage {
  engines: string[];
  load(url: string): Promise<number>;
  /** Builds the engine's index, keeps it, returns ms. */
  build(engine: string): number;
  /** Drops the kept index (before measuring the next build or the memory baseline). */
  drop(): void;
  /** Time of each query in ms (performance.now, cross-origin isolated: 5 µs resolution). */
  latency(queries: string[], limit: number): number[];
  /** Top ids of each query. */
  results(queries: string[], limit: number): string[][];
}
