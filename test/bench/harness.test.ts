// Checks the bench harness's maths and formatting on fixed inputs; the
// benchmarks themselves run only with `npm run bench`.
import { describe, expect, it } from 'vitest';
import {
  areaCells,
  areaMarkdown,
  displayWidth,
  documentMarkdown,
  formatNumber,
  formatTarget,
  formatValue,
  markdownTable,
  ratioFor,
  textTable,
} from './lib/format.ts';
import { median, percentile, repeat, setDeadline, skippedRuns, summarize } from './lib/stats.ts';
import { BUDGETS, makePlan, previousSeconds, TOTAL_BUDGET_S } from './lib/plan.ts';
import type { AreaReport, MachineInfo, Measurement } from './lib/types.ts';
import { chunkImports } from './areas/size.ts';

const machine: MachineInfo = {
  cpu: 'Test CPU',
  cores: 2,
  memoryGB: 23.5,
  os: 'Linux 6.1',
  node: 'v20.20.2',
  chromium: '156.0.1',
  loadAverage: '0.50 / 0.40 / 0.30',
};

function report(id: string, result: AreaReport['result']): AreaReport {
  return {
    id,
    title: id.toUpperCase(),
    description: `about ${id}`,
    result,
    measuredAt: '2026-11-24T01:30:00.000Z',
    seconds: 12.34,
  };
}

describe('bench statistics', () => {
  it('takes the median of odd and even counts regardless of order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('summarises median, min, max and run count', () => {
    expect(summarize([12, 10, 30, 11, 13])).toEqual({ median: 12, min: 10, max: 30, n: 5 });
  });

  it('interpolates percentiles between ranks', () => {
    const v = Array.from({ length: 101 }, (_, i) => i); // 0..100
    expect(percentile(v, 0.95)).toBe(95);
    expect(percentile([1, 2, 3, 4], 0.95)).toBeCloseTo(3.85, 10);
    expect(percentile([10, 20], 0)).toBe(10);
    expect(percentile([10, 20], 1)).toBe(20);
    expect(percentile([3, 1, 2], 0.5)).toBe(median([3, 1, 2]));
  });

  it('refuses empty, non-finite and out-of-range input', () => {
    expect(() => summarize([])).toThrow(/no samples/);
    expect(() => median([1, Number.NaN])).toThrow(/non-finite/);
    expect(() => percentile([1], 1.5)).toThrow(/outside/);
  });

  it('repeats work in order', async () => {
    expect(await repeat(3, async (i) => i * 2)).toEqual([0, 2, 4]);
  });

  it('stops repeating at the minimum once the area budget has run out, and counts what it skipped', async () => {
    try {
      setDeadline(performance.now() - 1);
      expect(await repeat(5, async (i) => i)).toEqual([0, 1, 2]);
      expect(await repeat(5, async (i) => i, 1)).toEqual([0]);
      expect(await repeat(2, async (i) => i)).toEqual([0, 1]);
      expect(skippedRuns()).toBe(6);
      setDeadline(performance.now() + 60_000);
      expect(await repeat(5, async (i) => i)).toEqual([0, 1, 2, 3, 4]);
      expect(skippedRuns()).toBe(0);
    } finally {
      setDeadline(Number.POSITIVE_INFINITY);
    }
  });
});

describe('bench plan', () => {
  it('keeps the per-area budgets within the 10-minute total', () => {
    const sum = Object.values(BUDGETS).reduce((s, b) => s + b.budget, 0);
    expect(sum).toBeLessThanOrEqual(TOTAL_BUDGET_S);
    expect(TOTAL_BUDGET_S).toBeLessThanOrEqual(600);
  });

  it('estimates from the last measured duration in docs/benchmarks.md, else from the static estimate', () => {
    const doc = [
      '<!-- bench:cli:start -->',
      '## CLI',
      'Measured 2026-11-24 02:31 UTC in 1,157 s (budget 60 s); load average 1 / 2 / 3 at its start.',
      '<!-- bench:cli:end -->',
      '<!-- bench:size:start -->',
      'no duration here',
      '<!-- bench:size:end -->',
    ].join('\n');
    expect(previousSeconds(doc, 'cli')).toBe(1157);
    expect(previousSeconds(doc, 'size')).toBeUndefined();
    expect(previousSeconds(doc, 'sync')).toBeUndefined();
    const plan = makePlan(['cli', 'size'], doc);
    expect(plan[0]).toMatchObject({ id: 'cli', estimate: 1157, basis: 'last run', budget: 70 });
    expect(plan[1]).toMatchObject({
      id: 'size',
      basis: 'estimate',
      estimate: BUDGETS.size.estimate,
    });
  });
});

describe('bench formatting', () => {
  it('formats numbers to three significant digits and big ones as integers', () => {
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(0.12345)).toBe('0.123');
    expect(formatNumber(1.23456)).toBe('1.23');
    expect(formatNumber(12.3456)).toBe('12.3');
    expect(formatNumber(123.6)).toBe('124');
    expect(formatNumber(31234.4)).toBe('31,234');
    expect(formatNumber(0.0012345)).toBe('0.0012');
  });

  it('formats values by unit', () => {
    expect(formatValue(0.934, 'score')).toBe('0.93');
    expect(formatValue(10234.4, 'count')).toBe('10,234');
    expect(formatValue(12.5, 'ratio')).toBe('×12.5');
    expect(formatValue(1.5, '%')).toBe('1.5 %');
    expect(formatValue(19.04, 'KB')).toBe('19 KB');
    expect(formatValue(0.3333, 'ms')).toBe('0.333 ms');
  });

  it('marks targets as met or missed', () => {
    expect(formatTarget({ op: '<=', value: 50 }, 'ms', 42)).toBe('≤ 50 ms met');
    expect(formatTarget({ op: '<=', value: 50 }, 'ms', 51)).toBe('≤ 50 ms MISSED');
    expect(formatTarget({ op: '>=', value: 0.95 }, 'score', 0.93)).toBe('≥ 0.95 MISSED');
    expect(formatTarget(undefined, 'ms', 1)).toBe('');
  });

  it('computes ratios against the baseline subject of the same metric', () => {
    const rows: Measurement[] = [
      { metric: 'build', subject: 'gongkai', unit: 'ms', samples: [100, 120, 110] },
      { metric: 'build', subject: 'MiniSearch', unit: 'ms', samples: [3300, 3000, 3600] },
      { metric: 'memory', subject: 'MiniSearch', unit: 'MB', samples: [200] },
    ];
    expect(ratioFor(rows[1], rows, 'gongkai')).toBe('×30 gongkai');
    expect(ratioFor(rows[0], rows, 'gongkai')).toBe('');
    expect(ratioFor(rows[2], rows, 'gongkai')).toBe('');
    expect(ratioFor(rows[1], rows, undefined)).toBe('');
  });

  it('lays out measured, missing, not-measured and failed areas', () => {
    const measured = report('search', {
      status: 'measured',
      baseline: 'gongkai',
      rows: [
        { metric: 'build', subject: 'gongkai', unit: 'ms', samples: [10, 30, 20, 40, 50] },
        {
          metric: 'build',
          subject: 'FlexSearch',
          unit: 'ms',
          samples: [300, 200, 100],
          target: { op: '<=', value: 250 },
        },
        { metric: 'size', unit: 'KB', samples: [19.04], note: 'index.js' },
      ],
      missing: [{ metric: 'throttled', subject: 'gongkai', reason: 'no CDP' }],
    });
    expect(areaCells(measured)).toEqual([
      ['build', 'gongkai', '30 ms', '10 ms', '50 ms', '5', '', ''],
      ['build', 'FlexSearch', '200 ms', '100 ms', '300 ms', '3', '×6.67 gongkai', '≤ 250 ms met'],
      ['size (index.js)', '', '19 KB', '', '', '1', '', ''],
      ['throttled', 'gongkai', 'not measured (no CDP)', '', '', '', '', ''],
    ]);
    expect(
      areaCells(report('sync', { status: 'not-measured', reason: 'src/sync missing' }))[0][0],
    ).toBe('not measured (src/sync missing)');
    expect(areaCells(report('cli', { status: 'failed', error: 'boom' }))[0][0]).toBe(
      'FAILED: boom',
    );
  });

  it('pads plain tables by display width, counting CJK as two columns', () => {
    expect(displayWidth('公开ab')).toBe(6);
    const t = textTable(
      ['a', 'bb'],
      [
        ['公开', 'x'],
        ['y', ''],
      ],
    );
    expect(t.split('\n')).toEqual(['a     bb', '----  --', '公开  x', 'y']);
  });

  it('writes markdown tables with right-aligned numeric columns and escaped pipes', () => {
    expect(markdownTable(['m', 'v'], [['a|b', '1']], [1])).toBe(
      '| m | v |\n|---|---:|\n| a\\|b | 1 |',
    );
  });

  it('keeps the other areas of the previous document when only some areas ran', () => {
    const old = documentMarkdown(
      machine,
      '2026-11-24T01:00:00.000Z',
      ['size', 'search'],
      [
        report('size', { status: 'measured', rows: [{ metric: 'js', unit: 'KB', samples: [19] }] }),
        report('search', { status: 'not-measured', reason: 'no search yet' }),
      ],
      '',
      60,
      'npm run bench',
    );
    expect(old).toContain('| CPU | Test CPU, 2 cores |');
    expect(old).toContain('not measured (no search yet)');
    const fresh = report('search', {
      status: 'measured',
      rows: [{ metric: 'build', subject: 'gongkai', unit: 'ms', samples: [5] }],
    });
    const next = documentMarkdown(
      machine,
      '2026-11-24T02:00:00.000Z',
      ['size', 'search'],
      [fresh],
      old,
      10,
      'npm run bench -- --only search',
    );
    expect(next).toContain(areaMarkdown(fresh));
    expect(next).not.toContain('no search yet');
    expect(next).toContain('| js |  | 19 KB |');
    expect(next.indexOf('## SIZE')).toBeLessThan(next.indexOf('## SEARCH'));
    expect(next).toContain('2026-11-24 02:00 UTC');
  });

  it('keeps the province simulation section (npm run simulate) at the end', () => {
    const sim =
      '<!-- simulate:start -->\n## Province simulation\n\n| a | 1 |\n<!-- simulate:end -->';
    const next = documentMarkdown(
      machine,
      '2026-11-24T02:00:00.000Z',
      ['size'],
      [],
      `x\n${sim}\n`,
      1,
      'npm run bench',
    );
    expect(next.trimEnd().endsWith(sim)).toBe(true);
    expect(
      documentMarkdown(machine, '2026-11-24T02:00:00.000Z', ['size'], [], 'x', 1, 'b'),
    ).not.toContain('simulate');
  });
});

describe('size area helpers', () => {
  it('separates static imports from dynamic imports and workers in built chunks', () => {
    const code =
      'import{a as b}from"./lit-x1.js";import"./side.js";export*from"./re.js";' +
      'const m=()=>import("./opencc-y2.js");new Worker(new URL("./search-worker.js",import.meta.url));';
    const { static: s, dynamic: d } = chunkImports(code);
    expect(s.sort()).toEqual(['./lit-x1.js', './re.js', './side.js']);
    expect(d.sort()).toEqual(['./opencc-y2.js', './search-worker.js']);
  });
});
