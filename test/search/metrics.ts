/**
 * Relevance metrics over the labelled query set, per category, for any
 * search engine given as a function (ours, and the MiniSearch/FlexSearch
 * adapters in peers.ts), so `npm run bench` can print all three side by side.
 */
import { itemTitle, type Item } from '../../src/content/types.ts';
import { normalizeText } from '../../src/search/normalize.ts';
import { QUERY_CATEGORIES, type LabelledQuery, type QueryCategory } from './make-queries.ts';

/** A search engine under test: the ids of its top `k` results for `q`. */
export type SearchFn = (q: string, k: number) => string[];

/** Mean metrics of one category. */
export interface CategoryRow {
  category: QueryCategory;
  queries: number;
  /** Mean P@10, with min(10, relevant) as the denominator. */
  p10: number;
  /** Share of queries with a relevant result in the top 5. */
  success5: number;
  /** Share of queries whose first result is relevant. */
  first: number;
}

/** Per query detail, for failure messages. */
export interface QueryOutcome {
  query: LabelledQuery;
  p10: number;
  success5: boolean;
  first: boolean;
  top: string[];
}

/** Targets from the issue: which metric each category is held to, and its minimum. */
export const TARGETS: Record<QueryCategory, { metric: 'p10' | 'success5' | 'first'; min: number }> =
  {
    simplified: { metric: 'p10', min: 1 },
    fragment: { metric: 'p10', min: 1 },
    traditional: { metric: 'p10', min: 1 },
    pinyin: { metric: 'success5', min: 0.95 },
    initials: { metric: 'success5', min: 0.95 },
    mixed: { metric: 'success5', min: 0.95 },
    homophone: { metric: 'success5', min: 0.9 },
    docno: { metric: 'first', min: 1 },
    indexno: { metric: 'first', min: 1 },
    synonym: { metric: 'success5', min: 0.9 },
  };

const compact = (s: string): string => normalizeText(s).replace(/ /g, '');

/** Evaluates `search` on the queries of one corpus. */
export function evaluate(
  search: SearchFn,
  items: readonly Item[],
  queries: readonly LabelledQuery[],
): { rows: CategoryRow[]; outcomes: QueryOutcome[] } {
  const titles = new Map(items.map((i) => [i.id, compact(itemTitle(i))]));
  const outcomes: QueryOutcome[] = [];
  for (const query of queries) {
    const top = search(query.q, 10);
    let relevant: (id: string) => boolean;
    let total: number;
    if ('first' in query.rel) {
      const want = query.rel.first;
      relevant = (id) => id === want;
      total = 1;
    } else {
      const needles = query.rel.titleHas.map(compact);
      relevant = (id) => needles.some((n) => (titles.get(id) ?? '').includes(n));
      total = 0;
      for (const id of titles.keys()) if (relevant(id)) total++;
    }
    const hits = top.filter(relevant).length;
    outcomes.push({
      query,
      top,
      p10: total === 0 ? (top.length === 0 ? 1 : 0) : Math.min(1, hits / Math.min(10, total)),
      success5: top.slice(0, 5).some(relevant),
      first: top.length > 0 && relevant(top[0]),
    });
  }
  return { rows: summarise(outcomes), outcomes };
}

/** Means per category over outcomes (possibly from several corpora). */
export function summarise(outcomes: readonly QueryOutcome[]): CategoryRow[] {
  const rows: CategoryRow[] = [];
  for (const category of QUERY_CATEGORIES) {
    const os = outcomes.filter((o) => o.query.category === category);
    if (os.length === 0) continue;
    const mean = (f: (o: QueryOutcome) => number): number =>
      Math.round((os.reduce((a, o) => a + f(o), 0) / os.length) * 1000) / 1000;
    rows.push({
      category,
      queries: os.length,
      p10: mean((o) => o.p10),
      success5: mean((o) => (o.success5 ? 1 : 0)),
      first: mean((o) => (o.first ? 1 : 0)),
    });
  }
  return rows;
}

/** Rows below their target, as readable lines (empty when every target is met). */
export function belowTarget(rows: readonly CategoryRow[]): string[] {
  return rows
    .filter((r) => r[TARGETS[r.category].metric] < TARGETS[r.category].min)
    .map(
      (r) =>
        `${r.category}: ${TARGETS[r.category].metric} ${r[TARGETS[r.category].metric]} < ${TARGETS[r.category].min}`,
    );
}
