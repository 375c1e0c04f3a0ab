import { beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../src/content/types.ts';
import type { SearchIndex } from '../../src/search/index.ts';
import { generateCorpus } from '../helpers/corpus.ts';
import { buildGongkaiIndex } from './engine.ts';
import { GENERATED, loadDemoItems, makeQueries, type LabelledQuery } from './make-queries.ts';
import { belowTarget, evaluate, summarise, type QueryOutcome } from './metrics.ts';
import queriesJson from './queries.json' with { type: 'json' };

const queries = queriesJson as LabelledQuery[];
let demo: Item[];
let generated: Item[];
let demoIndex: SearchIndex;
let genIndex: SearchIndex;

beforeAll(async () => {
  demo = await loadDemoItems();
  generated = generateCorpus(GENERATED);
  demoIndex = buildGongkaiIndex(demo);
  genIndex = buildGongkaiIndex(generated);
}, 300_000);

const ids = (index: SearchIndex) => (q: string, k: number) =>
  index.search(q, { limit: k, highlights: false }).map((r) => r.id);

describe('labelled query set', () => {
  it('is the generated set (homophone typos from the same-pinyin table, not hand-picked)', () => {
    expect(makeQueries(demo, generated)).toEqual(queries);
    expect(queries.length).toBeGreaterThanOrEqual(60);
  });

  it('meets every category target on the demo content and the 10,000-item corpus', () => {
    const a = evaluate(
      ids(demoIndex),
      demo,
      queries.filter((q) => q.corpus === 'demo'),
    );
    const b = evaluate(
      ids(genIndex),
      generated,
      queries.filter((q) => q.corpus === 'generated'),
    );
    const all: QueryOutcome[] = [...a.outcomes, ...b.outcomes];
    const rows = summarise(all);
    const failing = all
      .filter((o) => o.p10 < 1 && !o.success5)
      .map((o) => `${o.query.category} ${o.query.q}: ${o.top.slice(0, 3).join(', ')}`);
    expect({ below: belowTarget(rows), failing }).toEqual({ below: [], failing: [] });
  });

  it('gives Traditional queries exactly the results of their Simplified equivalents', () => {
    for (const q of queries.filter((x) => x.category === 'traditional')) {
      const index = q.corpus === 'demo' ? demoIndex : genIndex;
      expect(ids(index)(q.q, 10), q.q).toEqual(ids(index)(q.equivalent ?? '', 10));
    }
  });
});
