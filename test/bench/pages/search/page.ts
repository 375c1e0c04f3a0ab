// The search bench page: loads the corpus once, then builds and queries
// whichever engine the driver asks for. `installSearchBench` is called by the
// entry that test/bench/areas/search.ts generates with the engines available.
import { peerDocsOf } from './peer-docs.ts';
import type { BenchEngine, SearchBenchData, SearchBenchFile, SearchBenchPage } from './types.ts';

declare global {
  interface Window {
    searchBench?: SearchBenchPage;
  }
}

export function installSearchBench(engines: readonly BenchEngine[]): void {
  let data: SearchBenchData | null = null;
  let current: { engine: BenchEngine; index: unknown } | null = null;
  const engine = (name: string): BenchEngine => {
    const e = engines.find((x) => x.name === name);
    if (!e) throw new Error(`search bench: no engine ${name}`);
    return e;
  };
  const kept = (): { engine: BenchEngine; index: unknown } => {
    if (!current) throw new Error('search bench: build an engine first');
    return current;
  };
  window.searchBench = {
    engines: engines.map((e) => e.name),
    async load(url) {
      const res = await fetch(url);
      const file = (await res.json()) as SearchBenchFile;
      data = { ...file, peerDocs: file.peerDocs ?? peerDocsOf(file.docs ?? []) };
      return data.peerDocs.length;
    },
    build(name) {
      if (!data) throw new Error('search bench: load the data first');
      current = null;
      const e = engine(name);
      const t0 = performance.now();
      const index = e.build(data);
      const ms = performance.now() - t0;
      current = { engine: e, index };
      return ms;
    },
    drop() {
      current = null;
    },
    latency(queries, limit) {
      const { engine: e, index } = kept();
      return queries.map((q) => {
        const t0 = performance.now();
        e.search(index, q, limit);
        return performance.now() - t0;
      });
    },
    results(queries, limit) {
      const { engine: e, index } = kept();
      return queries.map((q) => e.search(index, q, limit));
    },
  };
}
