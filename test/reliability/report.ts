// Builds docs/reliability.md from the per-trial JSON lines that
// test/helpers/reliability.ts writes (issue #11). Nothing in the table is
// written by hand: every row comes from the lines, and a case with no line is
// listed as not run.
//
//   node --import tsx test/reliability/report.ts [--run <id>] [--out docs/reliability.md]
//
// test/reliability/run.mjs calls it at the end of `npm run test:reliability`
// with the run id and the state file (group timings).
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One JSON line as written by `recordTrial`. */
export interface TrialLine {
  run: string;
  full: boolean;
  at: string;
  case: string;
  title: string;
  failures: string;
  how: string;
  trial: number | string;
  ok: boolean;
  detail?: string;
  data?: Record<string, string | number | boolean | null>;
}

/** A case the suite expects, with the words used when it has not run. */
export interface ExpectedCase {
  id: string;
  title: string;
  failures: string;
}

/**
 * The cases issue #11 asks for. A case that records no line in any run still
 * gets a row ("not run"), so a missing test cannot hide as a missing row.
 */
export const EXPECTED_CASES: readonly ExpectedCase[] = [
  {
    id: 'kill-commit',
    title: 'Browser killed during a bundle commit',
    failures: 'violations (mixed or missing version)',
  },
  { id: 'hostile-bundle', title: 'Hostile bundles', failures: 'hostile bundles accepted' },
  {
    id: 'fuzz',
    title: 'Fuzzed manifests, items, packed bundles and kiosk-config',
    failures: 'crashes, hangs or invalid input accepted',
  },
  {
    id: 'xss',
    title: 'XSS payloads through every import format and field',
    failures: 'beacons fired',
  },
  {
    id: 'xss-control',
    title: 'XSS control: render bypassing the sanitiser',
    failures: 'live vectors whose beacon the harness did not see, or inert vectors that fired',
  },
  { id: 'escape', title: 'Escape attempts from the kiosk', failures: 'escapes' },
  { id: 'disk-full', title: 'Disk full', failures: 'blank screens or lost versions' },
  { id: 'storage-eviction', title: 'Storage eviction', failures: 'blank screens or no recovery' },
  {
    id: 'db-corruption',
    title: 'Corrupted database and blocked upgrade',
    failures: 'recoveries that failed',
  },
  {
    id: 'clock-skew',
    title: 'Clock skew and a clock that jumps back',
    failures: 'rollbacks accepted, skew unreported or expired items shown',
  },
  {
    id: 'offline-30d',
    title: 'Offline for 30 simulated days',
    failures: 'days with blank screens, late expiries or no stale banner',
  },
  {
    id: 'soak',
    title: 'Soak: 7 simulated days',
    failures: 'days over the growth bounds',
  },
  {
    id: 'privacy-reset',
    title: 'Idle privacy reset',
    failures: 'traces of the previous visitor found',
  },
];

/**
 * Defects the suite found while it was being built, and what became of them
 * (issue #11: each is fixed or listed as open). Written by hand, unlike the
 * table; a case's engineer adds a line when a trial finds something.
 */
export const FINDINGS: readonly { found: string; by: string; status: string }[] = [
  {
    found:
      'the XSS control did not see 21 of 107 live vectors run when parsed as a fragment (body/frameset/marquee handlers, scripts inside SVG, tab/newline-split javascript: links, CSS background beacons, two mXSS shapes); for those vectors the 0 beacons of the xss row proves less',
    by: 'xss-control (full run)',
    status:
      'fixed in the harness (not a kiosk defect): each vector runs alone in an intact page (a late meta refresh of the vector before had cut style-bg-url and style-bg-image short), as a fragment, after a parse–serialise–parse round trip (form-math-mxss) and as a whole srcdoc document; 9 that Chromium 156 never runs even unsanitised (javascript: in embed/object, marquee onstart, svg discard, a nested-script filter trick, an mXSS that Chromium 138 closed, 3 malformed shapes) are marked inert with the reason, the 3 malformed ones also have a corrected live form, and 2 marked inert (data: link and meta refresh) were found to run in a frame and are live now; the e2e fails on any live vector the control does not see and on any inert one that fires',
  },
  {
    found: 'parseManifest accepted a negative or fractional totalBytes',
    by: 'fuzz (manifest-parse)',
    status: 'fixed: totalBytes must be a non-negative integer (src/content/bundle.ts)',
  },
  {
    found: 'parseManifest accepted an itemCount beyond the safe integers (5.9e196)',
    by: 'fuzz (manifest-parse, full run)',
    status: 'fixed: itemCount must be a safe integer (src/content/bundle.ts)',
  },
  {
    found: 'parseManifest threw a TypeError instead of BundleError on a format like {"toString":1}',
    by: 'fuzz (manifest-parse)',
    status: 'fixed (src/content/bundle.ts)',
  },
  {
    found: 'unpackBundle threw a TypeError on a .gkb header that is JSON null',
    by: 'fuzz (gkb-unpack)',
    status: 'fixed: BundleError "header has no file list" (src/content/pack.ts)',
  },
  {
    found:
      'item validation threw on valid JSON whose toString is not a function (e.g. disclosure.mode {"toString":"x"})',
    by: 'fuzz (item-validate, content-set-validate)',
    status: 'fixed: values shown through JSON, not String() (src/content/validate.ts)',
  },
  {
    found: 'an item whose title or itemName is blank text ("  ") passed validation',
    by: 'fuzz (item-validate)',
    status: 'fixed: blank text counts as missing (src/content/validate.ts)',
  },
  {
    found:
      'kiosk-config with an unknown time zone ("" or "Mars/Base") passed validation, and would throw in every clock',
    by: 'fuzz (kiosk-config)',
    status: 'fixed: the time zone is checked with Intl (src/config/validate.ts)',
  },
  {
    found: 'kiosk-config validation threw on objects holding undefined values',
    by: 'fuzz (kiosk-config)',
    status: 'fixed: the JSON form of the value is validated (src/config/validate.ts)',
  },
];

/** One vitest invocation of the runner, as kept in its state file. */
export interface GroupState {
  name: string;
  status: 'pending' | 'running' | 'passed' | 'failed' | 'timeout';
  seconds?: number;
  exitCode?: number | null;
}

/** Facts about the run that are not in the lines. */
export interface ReportMeta {
  /** ISO date of the report. */
  date: string;
  /** One line: CPU, cores, memory, Node. */
  machine: string;
  /** The run the runner just finished, if any. */
  run?: string;
  /** Wall time of the run, seconds (sum of its groups, resumes included). */
  wallSeconds?: number;
  /** Load average when the report was written. */
  load?: string;
  groups?: GroupState[];
}

/** The trials of one case from the run the report uses. */
export interface CaseResult {
  id: string;
  title: string;
  failuresLabel: string;
  how: string;
  run: string | null;
  full: boolean;
  trials: number;
  failures: TrialLine[];
  /**
   * For a case whose trials say whether the vector is live or inert
   * (`data.inert`, the XSS control): how many of each, how many live ones
   * fired (`data.fired`), and the inert trials with their reasons.
   */
  liveInert?: { live: number; liveFired: number; inert: TrialLine[] };
}

function isTrialLine(v: unknown): v is TrialLine {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    typeof r.run === 'string' &&
    typeof r.case === 'string' &&
    typeof r.ok === 'boolean' &&
    typeof r.at === 'string' &&
    (typeof r.trial === 'number' || typeof r.trial === 'string')
  );
}

/** Parses JSON lines, skipping (and counting) lines that are not trial lines. */
export function parseLines(text: string): { lines: TrialLine[]; bad: number } {
  const lines: TrialLine[] = [];
  let bad = 0;
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue;
    try {
      const v: unknown = JSON.parse(raw);
      if (isTrialLine(v)) lines.push(v);
      else bad++;
    } catch {
      bad++;
    }
  }
  return { lines, bad };
}

/**
 * Picks, for each case, the lines of one run: `preferRun` when that run has
 * lines for the case, else the latest full run (RELIABILITY_FULL=1), else the
 * latest short run (`npm test`). "Latest" is the newest line's timestamp.
 * Within the run, a trial recorded more than once counts once, by its latest line.
 */
export function selectRuns(lines: readonly TrialLine[], preferRun?: string): CaseResult[] {
  const byCase = new Map<string, Map<string, TrialLine[]>>();
  for (const l of lines) {
    let runs = byCase.get(l.case);
    if (!runs) byCase.set(l.case, (runs = new Map()));
    let rs = runs.get(l.run);
    if (!rs) runs.set(l.run, (rs = []));
    rs.push(l);
  }
  const ids = [
    ...EXPECTED_CASES.map((c) => c.id),
    ...[...byCase.keys()].filter((id) => !EXPECTED_CASES.some((c) => c.id === id)).sort(),
  ];
  return ids.map((id) => {
    const expected = EXPECTED_CASES.find((c) => c.id === id);
    const runs = byCase.get(id);
    let chosen: TrialLine[] | null = null;
    if (runs) {
      if (preferRun && runs.has(preferRun)) chosen = runs.get(preferRun) ?? null;
      else {
        const latest = (rs: TrialLine[]) => rs.reduce((m, l) => (l.at > m ? l.at : m), '');
        const candidates = [...runs.values()].sort((a, b) => latest(b).localeCompare(latest(a)));
        chosen = candidates.find((rs) => rs.some((l) => l.full)) ?? candidates[0] ?? null;
      }
    }
    // `npm test` writes every session under the run id `adhoc`: keep the latest
    // outcome of each trial, so repeated sessions do not add up.
    if (chosen) {
      const latest = new Map<string, TrialLine>();
      for (const l of chosen) {
        const prev = latest.get(String(l.trial));
        if (!prev || l.at >= prev.at) latest.set(String(l.trial), l);
      }
      chosen = [...latest.values()].sort((a, b) => a.at.localeCompare(b.at));
    }
    const last = chosen?.[chosen.length - 1];
    const marked = chosen?.filter((l) => typeof l.data?.inert === 'boolean') ?? [];
    const liveLines = marked.filter((l) => l.data?.inert === false);
    const liveInert =
      marked.length > 0
        ? {
            live: liveLines.length,
            liveFired: liveLines.filter((l) => l.data?.fired === true).length,
            inert: marked.filter((l) => l.data?.inert === true),
          }
        : undefined;
    return {
      id,
      title: last?.title ?? expected?.title ?? id,
      failuresLabel: last?.failures ?? expected?.failures ?? 'failures',
      how: last?.how ?? '',
      run: last?.run ?? null,
      full: chosen?.some((l) => l.full) ?? false,
      trials: chosen?.length ?? 0,
      failures: chosen?.filter((l) => !l.ok) ?? [],
      ...(liveInert ? { liveInert } : {}),
    };
  });
}

/** Escapes text for a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function duration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds - m * 60);
  return m > 0 ? `${m} min ${s} s` : `${s} s`;
}

/** The Markdown of docs/reliability.md. Pure, so it is unit-tested on fixture lines. */
export function renderReport(
  results: readonly CaseResult[],
  meta: ReportMeta,
  findings: readonly { found: string; by: string; status: string }[] = FINDINGS,
): string {
  const out: string[] = [];
  out.push('# Reliability figures', '');
  out.push(
    'Generated by `npm run test:reliability` (test/reliability/run.mjs, then test/reliability/report.ts)',
    'from the per-trial JSON lines each case writes; do not edit by hand. Each row counts the trials',
    'of the latest run of that case (the latest full run when there is one). A case recorded only by',
    'the short subset of `npm test` is marked "short run".',
    '',
  );
  out.push(`- Machine: ${meta.machine}`);
  out.push(`- Date: ${meta.date}`);
  if (meta.run) out.push(`- Run: \`${meta.run}\``);
  if (meta.wallSeconds !== undefined) out.push(`- Total wall time: ${duration(meta.wallSeconds)}`);
  if (meta.load)
    out.push(`- Load average at the end: ${meta.load} (other work shares this machine)`);
  out.push('');
  out.push('| case | trials | failures | how it is tested |', '|---|---:|---:|---|');
  for (const r of results) {
    const runNote =
      r.trials === 0
        ? ''
        : r.run !== meta.run
          ? ` (run \`${r.run ?? ''}\`${r.full ? '' : ', short run'})`
          : r.full
            ? ''
            : ' (short run)';
    const trials = r.trials === 0 ? 'not run' : String(r.trials);
    const li = r.liveInert;
    const split = li
      ? ` (${li.live} live, of which ${li.liveFired} fired; ${li.inert.length} inert in Chromium, listed below)`
      : '';
    const failures = r.trials === 0 ? '–' : `${r.failures.length} ${r.failuresLabel}${split}`;
    const how = r.trials === 0 ? 'No trial recorded yet.' : r.how;
    out.push(`| ${cell(r.title)}${runNote} | ${trials} | ${cell(failures)} | ${cell(how)} |`);
  }
  out.push('');
  const notRun = results.filter((r) => r.trials === 0);
  if (notRun.length > 0) {
    out.push('## Not run', '');
    out.push('These cases recorded no trial in any run, so they have no figures:', '');
    for (const r of notRun) out.push(`- \`${r.id}\`: ${r.title}`);
    out.push('');
  }
  out.push('## Failures', '');
  const failed = results.filter((r) => r.failures.length > 0);
  if (failed.length === 0) out.push('No trial failed.', '');
  for (const r of failed) {
    out.push(`### ${r.title} (\`${r.id}\`): ${r.failures.length} of ${r.trials}`, '');
    const shown = r.failures.slice(0, 50);
    for (const f of shown) {
      const data = f.data ? ` ${JSON.stringify(f.data)}` : '';
      out.push(`- trial ${String(f.trial)}: ${f.detail ?? 'no detail'}${data}`);
    }
    if (r.failures.length > shown.length)
      out.push(`- … and ${r.failures.length - shown.length} more (see the JSON lines)`);
    out.push('');
  }
  for (const r of results) {
    if (!r.liveInert || r.liveInert.inert.length === 0) continue;
    out.push(`## Inert trials of ${r.title} (\`${r.id}\`)`, '');
    out.push(
      `${r.liveInert.inert.length} trials are marked inert: they cannot run in Chromium even with no sanitiser, and each must stay silent in the control. The reason given for each:`,
      '',
    );
    for (const l of r.liveInert.inert)
      out.push(`- ${String(l.trial)}: ${l.detail ?? 'no reason given'}`);
    out.push('');
  }
  if (findings.length > 0) {
    out.push('## Found while building the suite', '');
    out.push('| defect | found by | status |', '|---|---|---|');
    for (const f of findings) out.push(`| ${cell(f.found)} | ${cell(f.by)} | ${cell(f.status)} |`);
    out.push('');
  }
  if (meta.groups && meta.groups.length > 0) {
    out.push('## Test groups of the run', '');
    out.push(
      'One vitest invocation each; a group can fail (an assertion, a timeout) apart from the trial counts above.',
      '',
    );
    out.push('| group | status | time |', '|---|---|---:|');
    for (const g of meta.groups) {
      const t = g.seconds === undefined ? '–' : duration(g.seconds);
      out.push(`| ${cell(g.name)} | ${g.status} | ${t} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

/** Every `*.jsonl` file under `dir`, recursively. */
export function readAllLines(dir: string): { lines: TrialLine[]; bad: number } {
  const lines: TrialLine[] = [];
  let bad = 0;
  if (!existsSync(dir)) return { lines, bad };
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.jsonl')) {
        const r = parseLines(readFileSync(p, 'utf8'));
        lines.push(...r.lines);
        bad += r.bad;
      }
    }
  };
  walk(dir);
  return { lines, bad };
}

/** One line about this machine. */
export function describeMachine(): string {
  const c = cpus();
  const model = c[0]?.model.trim() ?? 'unknown CPU';
  return `${model}, ${c.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${process.platform}`;
}

function main(argv: string[]): void {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const dir = arg('--dir') ?? process.env.RELIABILITY_OUT ?? 'test-output/reliability';
  const outFile = arg('--out') ?? 'docs/reliability.md';
  const statePath = arg('--state') ?? join(dir, 'state.json');
  let run = arg('--run');
  let wallSeconds: number | undefined;
  let groups: GroupState[] | undefined;
  if (existsSync(statePath)) {
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as {
      run?: string;
      groups?: GroupState[];
    };
    run ??= state.run;
    groups = state.groups;
    wallSeconds = groups?.reduce((s, g) => s + (g.seconds ?? 0), 0);
  }
  const { lines, bad } = readAllLines(dir);
  if (bad > 0) console.error(`reliability report: ${bad} unreadable line(s) skipped`);
  const results = selectRuns(lines, run);
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(', ');
  const md = renderReport(results, {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    machine: describeMachine(),
    run,
    wallSeconds,
    load,
    groups,
  });
  writeFileSync(outFile, md);
  const failures = results.reduce((s, r) => s + r.failures.length, 0);
  const notRun = results.filter((r) => r.trials === 0).length;
  console.log(
    `reliability report: ${outFile} (${results.length} cases, ${failures} failure(s), ${notRun} not run)`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2));
}
