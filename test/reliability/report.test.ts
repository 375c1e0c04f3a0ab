import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EXPECTED_CASES,
  parseLines,
  readAllLines,
  renderReport,
  selectRuns,
  type TrialLine,
} from './report.ts';

const kill = {
  case: 'kill-commit',
  title: 'Browser killed during a bundle commit',
  failures: 'violations (mixed or missing version)',
  how: 'SIGKILL of the Chromium process group at a random moment of the ingest.',
};

function line(over: Partial<TrialLine>): TrialLine {
  return {
    run: 'r1',
    full: true,
    at: '2026-11-24T03:00:00.000Z',
    ...kill,
    trial: 0,
    ok: true,
    ...over,
  };
}

const META = { date: '2026-11-24T04:00:00Z', machine: 'test CPU, 2 cores', run: 'r2' };

describe('reliability report', () => {
  it('parses trial lines and counts lines that are not', () => {
    const text = [
      JSON.stringify(line({ trial: 1 })),
      '',
      '{not json',
      JSON.stringify({ run: 'r1', case: 'x' }),
      JSON.stringify(line({ trial: 2, ok: false })),
    ].join('\n');
    const { lines, bad } = parseLines(text);
    expect(lines.map((l) => l.trial)).toEqual([1, 2]);
    expect(bad).toBe(2);
  });

  it('counts the latest run of each case, preferring full runs over newer short runs', () => {
    const lines = [
      line({ run: 'old', at: '2026-11-20T00:00:00Z', trial: 0, ok: false, detail: 'old' }),
      line({ run: 'old', at: '2026-11-20T00:00:01Z', trial: 1 }),
      line({ run: 'new', at: '2026-11-23T00:00:00Z', trial: 0 }),
      line({ run: 'new', at: '2026-11-23T00:00:01Z', trial: 1 }),
      line({ run: 'new', at: '2026-11-23T00:00:02Z', trial: 2, ok: false, detail: 'mixed' }),
      line({ run: 'adhoc', full: false, at: '2026-11-24T00:00:00Z', trial: 0 }),
    ];
    const r = selectRuns(lines).find((c) => c.id === 'kill-commit');
    expect(r?.run).toBe('new');
    expect(r?.trials).toBe(3);
    expect(r?.failures.map((f) => f.detail)).toEqual(['mixed']);
  });

  it('counts a trial recorded by several sessions of one run once, by its latest outcome', () => {
    const lines = [
      line({ run: 'adhoc', full: false, at: '2026-11-24T01:00:00Z', trial: 'a', ok: false }),
      line({ run: 'adhoc', full: false, at: '2026-11-24T01:00:01Z', trial: 'b', ok: false }),
      line({ run: 'adhoc', full: false, at: '2026-11-24T02:00:00Z', trial: 'a', ok: true }),
    ];
    const r = selectRuns(lines).find((c) => c.id === 'kill-commit');
    expect(r?.trials).toBe(2);
    expect(r?.failures.map((f) => f.trial)).toEqual(['b']);
  });

  it('uses the requested run when it has lines for the case, and a short run when nothing else exists', () => {
    const lines = [
      line({ run: 'a', at: '2026-11-23T00:00:00Z' }),
      line({ run: 'b', at: '2026-11-22T00:00:00Z', ok: false }),
      line({ case: 'escape', run: 'adhoc', full: false, title: 'Escape attempts', how: 'clicks' }),
    ];
    const results = selectRuns(lines, 'b');
    expect(results.find((c) => c.id === 'kill-commit')?.run).toBe('b');
    const esc = results.find((c) => c.id === 'escape');
    expect(esc?.run).toBe('adhoc');
    expect(esc?.full).toBe(false);
  });

  it('lists every expected case, with zero trials as not run, and unknown cases after them', () => {
    const results = selectRuns([line({ case: 'zz-extra', title: 'Extra case', how: 'h' })]);
    expect(results.map((r) => r.id)).toEqual([...EXPECTED_CASES.map((c) => c.id), 'zz-extra']);
    const md = renderReport(results, META);
    const soak = md.split('\n').find((l) => l.startsWith('| Soak'));
    expect(soak).toContain('| not run |');
    expect(md).toContain('## Not run');
    expect(md).toContain('- `soak`: Soak');
    expect(md).toContain('| Extra case (run `r1`) | 1 |');
  });

  it('renders the table from the lines and details each failure', () => {
    const lines = [
      line({ run: 'r2', trial: 0 }),
      line({
        run: 'r2',
        trial: 1,
        ok: false,
        detail: 'version 2 item missing',
        data: { hit: 'commit' },
      }),
      line({
        run: 'r2',
        case: 'xss',
        title: 'XSS | payloads',
        failures: 'beacons fired',
        how: 'vectors in every field',
        trial: 'svg-onload',
        ok: true,
      }),
    ];
    const md = renderReport(selectRuns(lines, 'r2'), { ...META, wallSeconds: 125, load: '1.0' });
    expect(md).toContain('- Machine: test CPU, 2 cores');
    expect(md).toContain('- Run: `r2`');
    expect(md).toContain('- Total wall time: 2 min 5 s');
    expect(md).toContain(
      '| Browser killed during a bundle commit | 2 | 1 violations (mixed or missing version) | SIGKILL of the Chromium process group at a random moment of the ingest. |',
    );
    // A pipe in a title must not break the table.
    expect(md).toContain('| XSS \\| payloads | 1 | 0 beacons fired | vectors in every field |');
    expect(md).toContain('### Browser killed during a bundle commit (`kill-commit`): 1 of 2');
    expect(md).toContain('- trial 1: version 2 item missing {"hit":"commit"}');
  });

  it('states how many control vectors are live and inert, how many live ones fired, and why each inert one is', () => {
    const control = (trial: string, inert: boolean, fired: boolean, detail: string) =>
      line({
        run: 'r2',
        case: 'xss-control',
        title: 'XSS control',
        failures: 'live vectors whose beacon the harness did not see',
        how: 'unsanitised',
        trial,
        ok: fired !== inert,
        detail,
        data: { inert, fired },
      });
    const lines = [
      control('img-onerror', false, true, 'fired unsanitised'),
      control('svg-onload', false, true, 'fired unsanitised'),
      control('body-onload', false, false, 'live but did not fire unsanitised'),
      control('style-expression', true, false, 'inert in Chromium: CSS expression() was IE only'),
      line({ run: 'r2', trial: 0 }),
    ];
    const results = selectRuns(lines, 'r2');
    const c = results.find((r) => r.id === 'xss-control');
    expect(c?.liveInert?.live).toBe(3);
    expect(c?.liveInert?.liveFired).toBe(2);
    expect(c?.liveInert?.inert.map((l) => l.trial)).toEqual(['style-expression']);
    // A case without live/inert marks gets no such split.
    expect(results.find((r) => r.id === 'kill-commit')?.liveInert).toBeUndefined();
    const md = renderReport(results, META);
    expect(md).toContain(
      '| XSS control | 4 | 1 live vectors whose beacon the harness did not see (3 live, of which 2 fired; 1 inert in Chromium, listed below) | unsanitised |',
    );
    expect(md).toContain('## Inert trials of XSS control (`xss-control`)');
    expect(md).toContain('- style-expression: inert in Chromium: CSS expression() was IE only');
    expect(md).toContain('- trial body-onload: live but did not fire unsanitised');
    expect(md.split('\n').find((l) => l.startsWith('| Browser killed'))).not.toContain('live');
  });

  it('says so when no trial failed, and lists the runner groups', () => {
    const md = renderReport(selectRuns([line({ run: 'r2' })], 'r2'), {
      ...META,
      groups: [
        { name: 'e2e:sync-kill', status: 'passed', seconds: 61 },
        { name: 'e2e:pwa', status: 'timeout', seconds: 300 },
      ],
    });
    expect(md).toContain('No trial failed.');
    expect(md).toContain('| e2e:sync-kill | passed | 1 min 1 s |');
    expect(md).toContain('| e2e:pwa | timeout | 5 min 0 s |');
  });

  it('lists the defects found while building the suite, and none when there are none', () => {
    const results = selectRuns([line({ run: 'r2' })], 'r2');
    const md = renderReport(results, META, [
      { found: 'x | y accepted', by: 'fuzz', status: 'fixed' },
    ]);
    expect(md).toContain('## Found while building the suite');
    expect(md).toContain('| x \\| y accepted | fuzz | fixed |');
    expect(renderReport(results, META, [])).not.toContain('## Found while building');
  });

  it('reads lines from nested run directories', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gk-rel-'));
    mkdirSync(join(dir, 'r9', 'fuzz'), { recursive: true });
    writeFileSync(join(dir, 'kill-commit.jsonl'), `${JSON.stringify(line({}))}\n`);
    writeFileSync(
      join(dir, 'r9', 'fuzz', 'fuzz.jsonl'),
      `${JSON.stringify(line({ case: 'fuzz', run: 'r9' }))}\nnope\n`,
    );
    writeFileSync(join(dir, 'state.json'), '{}');
    const { lines, bad } = readAllLines(dir);
    expect(lines.map((l) => l.case).sort()).toEqual(['fuzz', 'kill-commit']);
    expect(bad).toBe(1);
  });
});
