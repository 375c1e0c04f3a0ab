// The plan `npm run bench` prints before it starts: which areas run, how many
// repetitions, how long each is expected to take and its time budget. Kept
// free of IO so harness.test.ts can check it.
import { markers } from './format.ts';

/** The whole bench must finish within this (issue #3: under 10 minutes on 2 cores). */
export const TOTAL_BUDGET_S = 600;

/** Expected duration and time budget of an area, in seconds, on a quiet 2-core machine. */
export interface AreaBudget {
  /** Used when docs/benchmarks.md has no earlier duration of the area. */
  estimate: number;
  /** Past it, repetitions stop at the minimum (3) and the report says so. */
  budget: number;
  /** What repeats, for the plan. */
  runs: string;
}

/**
 * Budgets per area. They add up to under {@link TOTAL_BUDGET_S}; an area that
 * needs more must get it from another.
 */
export const BUDGETS: Readonly<Record<string, AreaBudget>> = {
  size: { estimate: 1, budget: 10, runs: '1 (sizes do not vary)' },
  start: { estimate: 110, budget: 105, runs: '5 per case' },
  lighthouse: { estimate: 120, budget: 115, runs: '3' },
  display: { estimate: 50, budget: 60, runs: '3 slide-change runs, 1 soak' },
  search: { estimate: 150, budget: 140, runs: '5 gongkai, 3 per library' },
  cli: { estimate: 70, budget: 70, runs: '5 builds, 3 verifies' },
  sync: { estimate: 60, budget: 80, runs: '5 per case' },
  'plain-http': { estimate: 20, budget: 20, runs: '5 per origin, 3 at 4× throttling' },
};

/** Earlier wall time of an area from its block in docs/benchmarks.md ("Measured … in N s."). */
export function previousSeconds(doc: string, id: string): number | undefined {
  const { start, end } = markers(id);
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  if (i < 0 || j < i) return undefined;
  const m = /Measured [^\n]*? in ([\d,.]+) s/.exec(doc.slice(i, j));
  if (!m) return undefined;
  const s = Number(m[1].replace(/,/g, ''));
  return Number.isFinite(s) ? s : undefined;
}

/** One row of the plan. */
export interface PlanRow {
  id: string;
  runs: string;
  /** Expected seconds: the earlier duration when known, else the static estimate. */
  estimate: number;
  /** Where the estimate comes from. */
  basis: 'last run' | 'estimate';
  budget: number;
}

/** The plan for the selected areas. */
export function makePlan(ids: readonly string[], previousDoc: string): PlanRow[] {
  return ids.map((id) => {
    const b = BUDGETS[id] ?? { estimate: 60, budget: 60, runs: '5' };
    const last = previousSeconds(previousDoc, id);
    return {
      id,
      runs: b.runs,
      estimate: last ?? b.estimate,
      basis: last === undefined ? 'estimate' : 'last run',
      budget: b.budget,
    };
  });
}
