/**
 * Search measurements for `npm run bench` (manual, never a timed test): build
 * time, index memory, keystroke latency p50/p95 over 10,000 generated items,
 * and relevance per category, for this project's search and for MiniSearch and
 * FlexSearch on the same corpus in the same run.
 *
 * Run alone with `node --expose-gc --import tsx test/search/bench-search.ts [count]`
 * (without --expose-gc the memory column is approximate).
 */
import type { Item } from '../../src/content/types.ts';
import { itemTitle } from '../../src/content/types.ts';
import { buildCharPinyinTable, deriveSearchData } from '../../src/search/derive.ts';
import {
  buildIndex,
  deserializeIndex,
  serializeIndex,
  toSearchDoc,
} from '../../src/search/index.ts';
import { generateCorpus, mulberry32 } from '../helpers/corpus.ts';
import { GENERATED, loadDemoItems, type LabelledQuery } from './make-queries.ts';
import { evaluate, summarise, type CategoryRow, type SearchFn } from './metrics.ts';
import { buildFlexSearch, buildMiniSearch } from './peers.ts';
import queriesJson from './queries.json' with { type: 'json' };

/** One engine's row. */
export interface SearchBenchRow {
  engine: string;
  items: number;
  buildMs: number;
  /** Process CPU time of the build: on a shared machine, closer to the unloaded wall time. */
  buildCpuMs: number;
  memoryMB: number;
  keystrokeP50Ms: number;
  keystrokeP95Ms: number;
  keystrokes: number;
  /** Relevance per category (generated corpus + demo content). */
  relevance: CategoryRow[];
  notes: string;
}

const gc = (): void => {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) g();
};
const heap = (): number => {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

/**
 * Keystroke sequences: service names and title fragments typed one character
 * at a time, pinyin typed one letter at a time, and 文号 typed key by key.
 */
function keystrokes(items: readonly Item[], n: number): string[] {
  const rand = mulberry32(99);
  const out: string[] = [];
  const typed = (s: string): void => {
    const chars = Array.from(s);
    for (let i = 1; i <= chars.length; i++) out.push(chars.slice(0, i).join(''));
  };
  for (const w of [
    '公积金提取',
    '婚姻登记',
    '不動產登記',
    '社保卡',
    'hunyindengji',
    'bdcdj',
    'zhengwugk',
    '公基金',
    '婚因登记',
  ])
    typed(w);
  while (out.length < n) {
    const t = Array.from(itemTitle(items[Math.floor(rand() * items.length)]));
    const start = Math.floor(rand() * Math.max(1, t.length - 4));
    typed(t.slice(start, start + 2 + Math.floor(rand() * 4)).join(''));
  }
  return out.slice(0, n);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function latency(search: SearchFn, queries: readonly string[]): { p50: number; p95: number } {
  for (const q of queries.slice(0, 50)) search(q, 20); // warm up the JIT
  const times: number[] = [];
  for (const q of queries) {
    let best = Infinity;
    // Minimum of 3 repeats: the machine is shared, a neighbour's burst is not our latency.
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      search(q, 20);
      best = Math.min(best, performance.now() - t0);
    }
    times.push(best);
  }
  times.sort((a, b) => a - b);
  return { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)) };
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Engines `benchSearch` can measure. */
export const BENCH_ENGINES = ['gongkai', 'minisearch', 'flexsearch'] as const;

/** Measures the three engines on a generated corpus of `count` items. */
export async function benchSearch(
  options: {
    count?: number;
    seed?: number;
    engines?: readonly (typeof BENCH_ENGINES)[number][];
  } = {},
): Promise<SearchBenchRow[]> {
  const engines = options.engines ?? BENCH_ENGINES;
  const count = options.count ?? GENERATED.count;
  const items = generateCorpus({ count, seed: options.seed ?? GENERATED.seed });
  const demo = await loadDemoItems();
  const queries = queriesJson as LabelledQuery[];
  // Relevance labels refer to the standard corpus; other sizes report relevance on the demo only.
  const standard = count === GENERATED.count && (options.seed ?? GENERATED.seed) === GENERATED.seed;
  const strokes = keystrokes(items, 400);
  const rows: SearchBenchRow[] = [];

  const relevance = (search: SearchFn, demoSearch: SearchFn): CategoryRow[] =>
    summarise([
      ...evaluate(
        demoSearch,
        demo,
        queries.filter((q) => q.corpus === 'demo'),
      ).outcomes,
      ...(standard
        ? evaluate(
            search,
            items,
            queries.filter((q) => q.corpus === 'generated'),
          ).outcomes
        : []),
    ]);

  // Ours: derived data and char table are bundle-build work (not counted); the kiosk builds the index.
  const derived = items.map(deriveSearchData);
  const charPinyin = buildCharPinyinTable(items);
  const docs = items.map((item, i) => toSearchDoc(item, derived[i]));
  const demoTable = buildCharPinyinTable(demo);
  const demoIdx = buildIndex(
    demo.map((d) => toSearchDoc(d, deriveSearchData(d))),
    { charPinyin: demoTable },
  );
  const before = heap();
  const c0 = cpuMs();
  const t0 = performance.now();
  let idx = buildIndex(docs, { charPinyin, builtOn: '2026-11-24' });
  const buildMs = performance.now() - t0;
  const buildCpuMs = cpuMs() - c0;
  const mem = heap() - before;
  const buf = serializeIndex(idx);
  const t1 = performance.now();
  idx = deserializeIndex(buf);
  const loadMs = performance.now() - t1;
  const ours: SearchFn = (q, k) => idx.search(q, { limit: k }).map((r) => r.id);
  const lat = latency(ours, strokes);
  if (engines.includes('gongkai'))
    rows.push({
      engine: 'gongkai (typed-array uni+bigram)',
      items: count,
      buildMs: Math.round(buildMs),
      buildCpuMs: Math.round(buildCpuMs),
      memoryMB: round(mem / 1e6),
      keystrokeP50Ms: lat.p50,
      keystrokeP95Ms: lat.p95,
      keystrokes: strokes.length,
      relevance: relevance(ours, (q, k) => demoIdx.search(q, { limit: k }).map((r) => r.id)),
      notes: `serialised ${round(buf.byteLength / 1e6)} MB, load ${Math.round(loadMs)} ms; latency includes highlights`,
    });

  const peers = [
    ...(engines.includes('minisearch') ? [buildMiniSearch] : []),
    ...(engines.includes('flexsearch') ? [buildFlexSearch] : []),
  ];
  for (const make of peers) {
    const b0 = heap();
    const c1 = cpuMs();
    const s0 = performance.now();
    const engine = make(items);
    const ms = performance.now() - s0;
    const cpu = cpuMs() - c1;
    const m = heap() - b0;
    const l = latency(engine.search, strokes);
    rows.push({
      engine: engine.name,
      items: count,
      buildMs: Math.round(ms),
      buildCpuMs: Math.round(cpu),
      memoryMB: round(m / 1e6),
      keystrokeP50Ms: l.p50,
      keystrokeP95Ms: l.p95,
      keystrokes: strokes.length,
      relevance: relevance(engine.search, make(demo).search),
      notes:
        'same normalisation (t2s) and bigram tokenizer; no pinyin, homophone or synonym support',
    });
  }
  return rows;
}

/** Prints rows as two markdown tables (speed, relevance). */
export function formatSearchBench(rows: readonly SearchBenchRow[]): string {
  const lines = [
    '| engine | items | build ms (wall / CPU) | memory MB | keystroke p50 / p95 ms | notes |',
    '|---|---:|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.engine} | ${r.items} | ${r.buildMs} / ${r.buildCpuMs} | ${r.memoryMB} | ${r.keystrokeP50Ms} / ${r.keystrokeP95Ms} | ${r.notes} |`,
    ),
    '',
    `| category (P@10 / success@5 / first) | ${rows.map((r) => r.engine).join(' | ')} |`,
    `|---|${rows.map(() => '---').join('|')}|`,
  ];
  const cats = rows[0]?.relevance.map((c) => c.category) ?? [];
  for (const c of cats) {
    const cells = rows.map((r) => {
      const x = r.relevance.find((y) => y.category === c);
      return x ? `${x.p10} / ${x.success5} / ${x.first}` : '–';
    });
    lines.push(
      `| ${c} (${rows[0].relevance.find((y) => y.category === c)?.queries ?? 0}) | ${cells.join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

if (process.argv[1]?.endsWith('bench-search.ts')) {
  const count = Number(process.argv[2] ?? GENERATED.count);
  const only = process.argv[3]
    ?.split(',')
    .filter((e): e is (typeof BENCH_ENGINES)[number] =>
      (BENCH_ENGINES as readonly string[]).includes(e),
    );
  console.log(
    formatSearchBench(await benchSearch({ count, ...(only?.length ? { engines: only } : {}) })),
  );
}
