// Search: this project's index against MiniSearch and FlexSearch on the same
// generated 10,000-item corpus, in the same Chromium process: build time,
// memory, keystroke latency p50/p95 (also at 4× CPU throttling) and relevance
// per category of the labelled query set (test/search/queries.json).
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import type { Item } from '../../../src/content/types.ts';
import { buildPage } from '../lib/build-page.ts';
import { corpusAvailable, loadCorpus, sourcesHash } from '../lib/corpus.ts';
import { serveStatic } from '../lib/server.ts';
import { percentile, repeat } from '../lib/stats.ts';
import type { Area, AreaResult, BenchContext, Measurement, Missing, Target } from '../lib/types.ts';
import { peerDocsOf } from '../pages/search/peer-docs.ts';
import type { PeerDoc, SearchBenchData, SearchBenchFile } from '../pages/search/types.ts';

/** The generated corpus the labelled queries are written against (test/search/make-queries.ts). */
const CORPUS = { count: 10_000, seed: 42 } as const;
const LIMIT = 20;
const THROTTLE = 4;

interface LabelledQuery {
  q: string;
  category: string;
  corpus: 'demo' | 'generated';
  rel: { titleHas: string[] } | { first: string };
}

interface SearchModule {
  toSearchDoc: (item: Item, derived?: unknown) => NonNullable<SearchBenchData['docs']>[number];
  toSimplified: (s: string) => string;
}
interface DeriveModule {
  deriveSearchData: (item: Item) => unknown;
  buildCharPinyinTable: (items: readonly Item[]) => NonNullable<SearchBenchData['charPinyin']>;
}

/** Whether this project's search has landed: src/search/index.ts exporting buildIndex. */
function ownSearchAvailable(root: string): boolean {
  const file = join(root, 'src/search/index.ts');
  return existsSync(file) && /export function buildIndex\b/.test(readFileSync(file, 'utf8'));
}

/** A small seeded PRNG (mulberry32), so the latency queries are the same every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Keystroke queries: every service term typed one character at a time (each
 * prefix is a keystroke), plus 100 random 1–4-character Han substrings of
 * titles and bodies.
 */
export function keystrokeQueries(
  terms: readonly string[],
  docs: readonly PeerDoc[],
  seed = 7,
): string[] {
  const out: string[] = [];
  for (const term of terms) {
    const chars = Array.from(term);
    for (let i = 1; i <= chars.length; i++) out.push(chars.slice(0, i).join(''));
  }
  const rand = prng(seed);
  let guard = 0;
  let added = 0;
  while (added < 100 && guard++ < 10_000) {
    const d = docs[Math.floor(rand() * docs.length)];
    const src = Array.from(added % 2 === 0 ? d.title : d.text);
    const len = 1 + (added % 4);
    if (src.length < len) continue;
    const at = Math.floor(rand() * (src.length - len + 1));
    const q = src.slice(at, at + len).join('');
    if (!/^\p{Script=Han}+$/u.test(q)) continue;
    out.push(q);
    added++;
  }
  return out;
}

/** Plain-text flattening of an item for the libraries (used only when src/search has no toSearchDoc). */
function flatten(item: Item): PeerDoc {
  const strings: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (/\p{Script=Han}/u.test(v)) strings.push(v.replace(/<[^>]*>/g, ' '));
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  const rec = item as unknown as Record<string, unknown>;
  const titleField = (rec.title ?? rec.itemName) as Record<string, string> | undefined;
  const title = titleField?.['zh-Hans'] ?? '';
  for (const [k, v] of Object.entries(rec)) if (k !== 'title' && k !== 'itemName') walk(v);
  return { id: item.id, title, text: strings.join('\n') };
}

/** The measures reported per category, with the targets of the search issue. */
const CATEGORY_MEASURE: Record<
  string,
  { measure: 'P@10' | 'success@5' | 'first'; target?: Target }
> = {
  simplified: { measure: 'P@10', target: { op: '>=', value: 1 } },
  fragment: { measure: 'P@10', target: { op: '>=', value: 1 } },
  traditional: { measure: 'success@5' },
  pinyin: { measure: 'success@5', target: { op: '>=', value: 0.95 } },
  initials: { measure: 'success@5', target: { op: '>=', value: 0.95 } },
  mixed: { measure: 'success@5' },
  homophone: { measure: 'success@5', target: { op: '>=', value: 0.9 } },
  docno: { measure: 'first', target: { op: '>=', value: 1 } },
  indexno: { measure: 'first', target: { op: '>=', value: 1 } },
  synonym: { measure: 'success@5' },
};

/** Score of one query's top results under its category's measure. */
export function judge(
  q: LabelledQuery,
  top: readonly string[],
  titleOf: (id: string) => string,
  relevantCount: number,
): number {
  const measure = CATEGORY_MEASURE[q.category]?.measure ?? 'success@5';
  if ('first' in q.rel) {
    const first = q.rel.first;
    return measure === 'first'
      ? top[0] === first
        ? 1
        : 0
      : top.slice(0, 5).includes(first)
        ? 1
        : 0;
  }
  const terms = q.rel.titleHas;
  const rel = (id: string) => terms.some((t) => titleOf(id).includes(t));
  if (measure === 'P@10') {
    const hits = top.slice(0, 10).filter(rel).length;
    const possible = Math.min(10, relevantCount);
    return possible === 0 ? 0 : hits / possible;
  }
  return top.slice(0, 5).some(rel) ? 1 : 0;
}

async function heapBytes(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const usage = (await cdp.send('Runtime.getHeapUsage')) as {
    usedSize: number;
    backingStorageSize?: number;
  };
  return usage.usedSize + (usage.backingStorageSize ?? 0);
}

interface EngineFigures {
  build: number[];
  memoryMB: number[];
  p50: number[];
  p95: number[];
  p50Throttled: number[];
  p95Throttled: number[];
  results: string[][];
}

async function measureEngine(
  ctx: BenchContext,
  page: Page,
  engine: string,
  runs: number,
  keystrokes: string[],
  relevance: string[],
): Promise<EngineFigures> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  await page.evaluate(() => window.searchBench?.drop());
  const baseline = await heapBytes(cdp);
  const build: number[] = [];
  const memoryMB: number[] = [];
  for (let r = 0; r < runs; r++) {
    ctx.progress(`${engine}: build ${r + 1}/${runs}`);
    await page.evaluate(() => window.searchBench?.drop());
    await heapBytes(cdp);
    const ms = await page.evaluate((e) => window.searchBench?.build(e) ?? NaN, engine);
    build.push(ms);
    memoryMB.push(((await heapBytes(cdp)) - baseline) / 2 ** 20);
  }
  const pass = async () => {
    const times = await page.evaluate(([q, limit]) => window.searchBench?.latency(q, limit) ?? [], [
      keystrokes,
      LIMIT,
    ] as const);
    return { p50: percentile(times, 0.5), p95: percentile(times, 0.95) };
  };
  ctx.progress(
    `${engine}: ${keystrokes.length} keystrokes × ${runs} passes (after one warm-up pass)`,
  );
  await pass();
  const plain = await repeat(runs, pass);
  ctx.progress(`${engine}: the same at ${THROTTLE}× CPU throttling`);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
  let throttled: { p50: number; p95: number }[];
  try {
    throttled = await repeat(runs, pass);
  } finally {
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  }
  const results = relevance.length
    ? await page.evaluate(([q, limit]) => window.searchBench?.results(q, limit) ?? [], [
        relevance,
        10,
      ] as const)
    : [];
  await cdp.detach();
  return {
    build,
    memoryMB,
    p50: plain.map((x) => x.p50),
    p95: plain.map((x) => x.p95),
    p50Throttled: throttled.map((x) => x.p50),
    p95Throttled: throttled.map((x) => x.p95),
    results,
  };
}

export const search: Area = {
  id: 'search',
  title: 'Search',
  description: `This project's search (\`src/search\`) against MiniSearch and FlexSearch, each with a CJK bigram tokenizer (title ×3, OR, prefix matching for one-character queries, as in the research), on the same generated corpus (\`generateCorpus({count: ${CORPUS.count}, seed: ${CORPUS.seed}})\`, test/helpers/corpus.ts), one after another in the same headless Chromium (a cross-origin-isolated bench page, so \`performance.now()\` has 5 µs resolution). Build: index construction from parsed documents. Memory: JS heap plus ArrayBuffer backing stores after a forced GC with the index held, minus the same with only the corpus loaded (CDP \`Runtime.getHeapUsage\`). Keystroke latency: every service term typed one character at a time plus 100 random 1–4-character substrings, top ${LIMIT}, one timing per keystroke, p50/p95 per pass after a warm-up pass; also at ${THROTTLE}× CPU throttling (CDP \`Emulation.setCPUThrottlingRate\`). Relevance: the labelled queries of \`test/search/queries.json\` against the same corpus; P@10 = relevant results in the top 10 over min(10, relevant documents); success@5 = a relevant result in the top 5; first = the expected item ranked first. The libraries get no Traditional conversion, pinyin or synonyms, since none ships them.`,
  async run(ctx): Promise<AreaResult> {
    if (!corpusAvailable(ctx.root)) {
      return { status: 'not-measured', reason: 'no corpus generator yet (test/helpers/corpus.ts)' };
    }
    const own = ownSearchAvailable(ctx.root);
    const { SERVICES } = (await import('../../helpers/corpus.ts')) as {
      SERVICES: readonly { term: string }[];
    };
    const dataDir = join(ctx.cacheDir, 'search-data');
    mkdirSync(dataDir, { recursive: true });
    // Only what the documents are derived from: the index code itself can change without
    // re-deriving pinyin for 10,000 items.
    const key = sourcesHash(ctx.root, [
      'test/helpers/corpus.ts',
      'src/content/types.ts',
      ...(own
        ? ['doc.ts', 'derive.ts', 'normalize.ts', 'types.ts'].map((f) => `src/search/${f}`)
        : []),
    ]);
    const dataFile = join(dataDir, `docs-${own ? 'own' : 'peers'}-${key}.json`);
    let file: SearchBenchFile;
    if (existsSync(dataFile)) {
      ctx.progress(`search documents from ${dataFile.slice(ctx.root.length + 1)}`);
      file = JSON.parse(readFileSync(dataFile, 'utf8')) as SearchBenchFile;
    } else {
      const items = await loadCorpus(ctx, CORPUS.count, CORPUS.seed);
      if (own) {
        ctx.progress(
          'flattening items with toSearchDoc and deriving pinyin (as the bundle builder does)',
        );
        const s = (await import('../../../src/search/index.ts')) as unknown as SearchModule;
        const d = (await import('../../../src/search/derive.ts')) as unknown as DeriveModule;
        file = {
          docs: items.map((i) => s.toSearchDoc(i, d.deriveSearchData(i))),
          charPinyin: d.buildCharPinyinTable(items),
        };
      } else {
        file = { peerDocs: items.map(flatten) };
      }
      // Written aside and renamed: another bench process may be reading the cache.
      const tmp = `${dataFile}.tmp-${process.pid}`;
      writeFileSync(tmp, JSON.stringify(file));
      renameSync(tmp, dataFile);
    }
    const data: SearchBenchData = {
      ...file,
      peerDocs: file.peerDocs ?? peerDocsOf(file.docs ?? []),
    };
    let titleOf: (id: string) => string;
    if (own) {
      const s = (await import('../../../src/search/index.ts')) as unknown as SearchModule;
      const simple = new Map(data.peerDocs.map((doc) => [doc.id, s.toSimplified(doc.title)]));
      titleOf = (id) => simple.get(id) ?? '';
    } else {
      const plain = new Map(data.peerDocs.map((doc) => [doc.id, doc.title]));
      titleOf = (id) => plain.get(id) ?? '';
    }
    const keystrokes = keystrokeQueries(
      SERVICES.map((x) => x.term),
      data.peerDocs,
    );
    const queriesFile = join(ctx.root, 'test/search/queries.json');
    const labelled: LabelledQuery[] = existsSync(queriesFile)
      ? (JSON.parse(readFileSync(queriesFile, 'utf8')) as LabelledQuery[]).filter(
          (q) => q.corpus === 'generated',
        )
      : [];

    const engines = [
      ...(own ? [{ name: 'gongkai', module: 'gongkai.ts', runs: ctx.runs }] : []),
      { name: 'MiniSearch', module: 'minisearch.ts', runs: ctx.slowRuns },
      { name: 'FlexSearch', module: 'flexsearch.ts', runs: ctx.slowRuns },
    ];
    ctx.progress('building the bench page');
    const pageDir = await buildPage(ctx.root, ctx.cacheDir, 'search', (toRoot) =>
      [
        `import { installSearchBench } from '${toRoot}/test/bench/pages/search/page.ts';`,
        ...engines.map(
          (e, i) =>
            `import { ${e.module.replace('.ts', '')} as e${i} } from '${toRoot}/test/bench/pages/search/${e.module}';`,
        ),
        `installSearchBench([${engines.map((_, i) => `e${i}`).join(', ')}]);`,
        '',
      ].join('\n'),
    );
    cpSync(dataFile, join(pageDir, 'data.json'));
    const server = await serveStatic(pageDir, true);
    const browser = await ctx.launchChromium();
    const figures = new Map<string, EngineFigures>();
    try {
      // One page for every engine: the corpus is fetched and parsed once; each engine's
      // index is dropped (and garbage-collected) before the next one is built.
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(server.url);
      await page.waitForFunction(() => window.searchBench !== undefined);
      const isolated = await page.evaluate(() => crossOriginIsolated);
      if (!isolated) throw new Error('search bench page is not cross-origin isolated');
      const n = await page.evaluate(
        (u) => window.searchBench?.load(u) ?? 0,
        `${server.url}data.json`,
      );
      ctx.progress(`${n} documents loaded`);
      for (const e of engines) {
        figures.set(
          e.name,
          await measureEngine(
            ctx,
            page,
            e.name,
            e.runs,
            keystrokes,
            labelled.map((q) => q.q),
          ),
        );
        await page.evaluate(() => window.searchBench?.drop());
      }
      await context.close();
    } finally {
      await browser.close();
      await server.close();
    }

    const rows: Measurement[] = [];
    const missing: Missing[] = [];
    const add = (
      metric: string,
      unit: Measurement['unit'],
      pick: (f: EngineFigures) => number[],
      target?: Target,
    ) => {
      for (const [name, f] of figures) {
        rows.push({
          metric,
          subject: name,
          unit,
          samples: pick(f),
          ...(name === 'gongkai' && target ? { target } : {}),
        });
      }
    };
    add('index build', 'ms', (f) => f.build);
    add('index memory', 'MB', (f) => f.memoryMB, { op: '<=', value: 60 });
    add('keystroke latency p50', 'ms', (f) => f.p50);
    add('keystroke latency p95', 'ms', (f) => f.p95, { op: '<=', value: 1 });
    add(`keystroke latency p50, ${THROTTLE}× CPU throttling`, 'ms', (f) => f.p50Throttled);
    add(`keystroke latency p95, ${THROTTLE}× CPU throttling`, 'ms', (f) => f.p95Throttled, {
      op: '<=',
      value: 3,
    });
    if (!own)
      missing.push({
        metric: 'every figure',
        subject: 'gongkai',
        reason: 'src/search/index.ts has no buildIndex yet',
      });

    if (labelled.length) {
      const simpleTitles = data.peerDocs.map((d) => titleOf(d.id));
      const relevantCount = (q: LabelledQuery) =>
        'titleHas' in q.rel
          ? simpleTitles.filter((t) =>
              (q.rel as { titleHas: string[] }).titleHas.some((x) => t.includes(x)),
            ).length
          : 1;
      const counts = labelled.map(relevantCount);
      const categories = [...new Set(labelled.map((q) => q.category))];
      for (const cat of categories) {
        const m = CATEGORY_MEASURE[cat] ?? { measure: 'success@5' as const };
        const idx = labelled.flatMap((q, i) => (q.category === cat ? [i] : []));
        for (const [name, f] of figures) {
          const mean =
            idx.reduce((a, i) => a + judge(labelled[i], f.results[i], titleOf, counts[i]), 0) /
            idx.length;
          rows.push({
            metric: `relevance ${cat} (${m.measure}, ${idx.length} queries)`,
            subject: name,
            unit: 'score',
            samples: [mean],
            ...(name === 'gongkai' && m.target ? { target: m.target } : {}),
          });
        }
      }
    } else {
      missing.push({
        metric: 'relevance per category',
        reason: 'no labelled query set yet (test/search/queries.json)',
      });
    }
    return {
      status: 'measured',
      rows,
      missing,
      baseline: own ? 'gongkai' : undefined,
      notes: [
        `${data.peerDocs.length} items, ${data.peerDocs.reduce((a, d) => a + d.title.length + d.text.length, 0).toLocaleString('en-US')} characters indexed by the libraries; ${keystrokes.length} keystrokes per pass; ${labelled.length} labelled queries.`,
        `Runs: ${engines.map((e) => `${e.name} ${e.runs}`).join(', ')} (builds, and latency passes at each CPU rate). Relevance is deterministic, so it is one figure.`,
      ],
    };
  },
};
