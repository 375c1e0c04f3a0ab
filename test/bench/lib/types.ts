// Shared types of the benchmark harness (`npm run bench`).
import type { Browser } from 'playwright-core';

/** Units the report knows how to format. */
export const UNITS = ['ms', 's', 'B', 'KB', 'MB', 'score', 'count', 'ratio', '%'] as const;
export type Unit = (typeof UNITS)[number];

/** A pass/fail threshold from an issue ("≤ 50 ms", "≥ 0.95"). */
export interface Target {
  op: '<=' | '>=';
  value: number;
}

/** One figure of the report: the raw value of every run, summarised as median, min and max. */
export interface Measurement {
  /** What is measured, e.g. "index build" or "keystroke latency p95". */
  metric: string;
  /** Whose figure it is: this project (`gongkai`) or a library compared with it. */
  subject?: string;
  unit: Unit;
  /** One value per run (a single value for a single-shot figure). */
  samples: number[];
  /** Threshold from the issue that set it; the report marks it met or missed. */
  target?: Target;
  /** Short remark printed with the row (e.g. which chunk is the largest). */
  note?: string;
}

/** A figure an area could not produce, with the reason. */
export interface Missing {
  metric: string;
  subject?: string;
  reason: string;
}

/** What an area returns. */
export type AreaResult =
  | {
      status: 'measured';
      rows: Measurement[];
      /** Rows this area would report but cannot yet. */
      missing?: Missing[];
      /** Subject that ratios in this area are computed against (usually `gongkai`). */
      baseline?: string;
      /** Method notes for docs/benchmarks.md. */
      notes?: string[];
    }
  | { status: 'not-measured'; reason: string }
  | { status: 'failed'; error: string };

/** Services the runner gives every area. */
export interface BenchContext {
  /** Repository root (absolute). */
  root: string;
  /** Built app (dist/). */
  distDir: string;
  /** Scratch space kept between runs (.bench-cache/, ignored by git). */
  cacheDir: string;
  /** Repetitions for our own code and fast libraries (5). */
  runs: number;
  /** Repetitions for slow competitor libraries (3). */
  slowRuns: number;
  /** Prints a progress line for long work. */
  progress(message: string): void;
  /** Launches the system Chromium (headless); the caller closes it. */
  launchChromium(): Promise<Browser>;
}

/** One benchmark area: a module in test/bench/areas/. */
export interface Area {
  /** Short id used by `--only` and in docs/benchmarks.md markers. */
  id: string;
  /** Heading in the report. */
  title: string;
  /** What the area measures and how (one paragraph for the report). */
  description: string;
  run(ctx: BenchContext): Promise<AreaResult>;
}

/** An area's result as recorded in the report, with when it was measured and how long it took. */
export interface AreaReport {
  id: string;
  title: string;
  description: string;
  result: AreaResult;
  /** ISO timestamp of the measurement. */
  measuredAt: string;
  /** Wall time of the area, in seconds. */
  seconds: number;
  /** The area's time budget, in seconds. */
  budgetSeconds?: number;
  /** Load average (1/5/15 min) when the area started: figures from a busy machine are inflated. */
  loadAverage?: string;
}

/** The machine the figures were taken on. */
export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGB: number;
  os: string;
  node: string;
  chromium: string;
  loadAverage: string;
}
