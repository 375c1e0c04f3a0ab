// Per-trial results of the reliability suite (issue #11), as JSON lines.
//
// Every reliability case, wherever its test lives (unit vitest, e2e vitest),
// calls `recordTrial` once per trial. Lines go to
// `test-output/reliability/<case-id>.jsonl` (or $RELIABILITY_OUT), and
// `test/reliability/report.ts` builds the table of docs/reliability.md from
// them: nothing in that table is written by hand.
//
// `npm test` runs the short subset (`trials(short, full)` returns `short`);
// `npm run test:reliability` sets RELIABILITY_FULL=1 and a RELIABILITY_RUN id,
// so a resumed run can tell its own lines from an older run's.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Where the JSON lines go. */
export const RELIABILITY_DIR = process.env.RELIABILITY_OUT ?? 'test-output/reliability';

/** True inside `npm run test:reliability` (the long run). */
export const RELIABILITY_FULL = process.env.RELIABILITY_FULL === '1';

/** Id of the current run: lines of older runs are ignored by the report. */
export const RELIABILITY_RUN = process.env.RELIABILITY_RUN ?? 'adhoc';

/** The trial count for this run: `short` inside `npm test`, `full` in the long run. */
export function trials(short: number, full: number): number {
  return RELIABILITY_FULL ? full : short;
}

/** What the report says about a case. Keep the texts stable: they are the table rows. */
export interface ReliabilityCase {
  /** File-name-safe id, e.g. `kill-commit`, `hostile-bundle`, `xss-beacon`. */
  id: string;
  /** The case as the table names it, e.g. "Browser killed during a bundle commit". */
  title: string;
  /** What counts as a failure, plural, e.g. "violations (mixed or missing version)". */
  failures: string;
  /** How it is tested, one or two sentences, e.g. "SIGKILL of Chromium at a random moment…". */
  how: string;
}

/** One trial's outcome. `ok: false` is a failure of the kiosk (a lost or broken case). */
export interface TrialOutcome {
  /** Trial number or a name (a payload, a vector id…). */
  trial: number | string;
  ok: boolean;
  /** Why it failed, or what it observed (phase of a kill, skew seen…). Short. */
  detail?: string;
  /** Optional extra, machine-readable facts (phase, ms, bytes…). */
  data?: Record<string, string | number | boolean | null>;
}

/** Appends one trial's line. Never throws into the test: a lost line is reported on stderr. */
export function recordTrial(c: ReliabilityCase, outcome: TrialOutcome): void {
  const line = {
    run: RELIABILITY_RUN,
    full: RELIABILITY_FULL,
    at: new Date().toISOString(),
    case: c.id,
    title: c.title,
    failures: c.failures,
    how: c.how,
    ...outcome,
  };
  try {
    mkdirSync(RELIABILITY_DIR, { recursive: true });
    appendFileSync(join(RELIABILITY_DIR, `${c.id}.jsonl`), `${JSON.stringify(line)}\n`);
  } catch (err) {
    console.error(`reliability: could not record ${c.id} trial ${String(outcome.trial)}:`, err);
  }
}
