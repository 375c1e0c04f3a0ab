// `npm run bench [-- --only <area>[,<area>…]] [--runs N] [--no-write]`
//
// Runs every benchmark area in test/bench/areas/ (in Chromium, and in Node
// where Node is the real runtime), prints a plain table and writes
// docs/benchmarks.md. An area whose code has not landed reports
// "not measured (reason)"; an area that throws is reported as FAILED and
// makes the exit code 1, the others still run. The low-end area (an old
// Chromium at 4× CPU throttling) runs only when named: --only lowend.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchChromium } from '../helpers/browser.ts';
import { AREAS } from './areas/index.ts';
import { lowend } from './areas/lowend.ts';
import { consoleReport, documentMarkdown, formatNumber, textTable } from './lib/format.ts';
import { machineInfo } from './lib/machine.ts';
import { makePlan, TOTAL_BUDGET_S } from './lib/plan.ts';
import { setDeadline, skippedRuns } from './lib/stats.ts';
import { loadavg } from 'node:os';
import type { AreaReport, BenchContext } from './lib/types.ts';

/**
 * Areas run only when named with `--only`: the low-end rows start another
 * browser at 4× CPU throttling, which the 10-minute total has no room for.
 */
const OPT_IN = [lowend];
const KNOWN = [...AREAS, ...OPT_IN];

interface Options {
  only: string[];
  runs: number;
  write: boolean;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { only: [], runs: 5, write: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`bench: ${a} needs a value`);
      return v;
    };
    if (a === '--only') opts.only.push(...value().split(','));
    else if (a.startsWith('--only=')) opts.only.push(...a.slice(7).split(','));
    else if (a === '--runs') opts.runs = Number(value());
    else if (a === '--no-write') opts.write = false;
    else throw new Error(`bench: unknown argument ${a} (use --only <area>, --runs N, --no-write)`);
  }
  const known = KNOWN.map((x) => x.id);
  for (const id of opts.only) {
    if (!known.includes(id))
      throw new Error(`bench: unknown area "${id}"; areas: ${known.join(', ')}`);
  }
  if (!Number.isInteger(opts.runs) || opts.runs < 1) throw new Error('bench: --runs must be ≥ 1');
  return opts;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  const root = resolve(import.meta.dirname, '../..');
  process.chdir(root);
  const t0 = performance.now();
  const elapsed = () => ((performance.now() - t0) / 1000).toFixed(1).padStart(6);
  let current = '';
  const ctx: BenchContext = {
    root,
    distDir: join(root, 'dist'),
    cacheDir: join(root, '.bench-cache'),
    runs: opts.runs,
    slowRuns: Math.min(3, opts.runs),
    progress: (m) => process.stderr.write(`[bench ${elapsed()} s] ${current}: ${m}\n`),
    launchChromium,
  };
  mkdirSync(ctx.cacheDir, { recursive: true });
  if (!existsSync(join(ctx.distDir, 'index.html'))) {
    process.stderr.write(
      '[bench] dist/ has no build: size, start and lighthouse need `npm run build` first\n',
    );
  } else if (newestMtime(join(root, 'src')) > statSync(join(ctx.distDir, 'index.html')).mtimeMs) {
    process.stderr.write(
      '[bench] warning: src/ changed after the last build; run `npm run build` for current figures\n',
    );
  }

  const probe = await launchChromium();
  const machine = await machineInfo(probe);
  await probe.close();

  const file = join(root, 'docs/benchmarks.md');
  const command = `npm run bench${opts.only.length ? ` -- --only ${opts.only.join(',')}` : ''}`;
  const writeDocument = (done: AreaReport[], totalSeconds = (performance.now() - t0) / 1000) => {
    const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
    writeFileSync(
      file,
      documentMarkdown(
        machine,
        new Date().toISOString(),
        KNOWN.map((a) => a.id),
        done,
        previous,
        totalSeconds,
        command,
      ),
    );
  };
  const selected = opts.only.length ? KNOWN.filter((a) => opts.only.includes(a.id)) : AREAS;
  const plan = makePlan(
    selected.map((a) => a.id),
    existsSync(file) ? readFileSync(file, 'utf8') : '',
  );
  const expected = plan.reduce((s, p) => s + p.estimate, 0);
  process.stderr.write(
    `[bench] plan (${machine.cores} cores, load average ${machine.loadAverage}):\n${textTable(
      ['area', 'runs', 'expected', 'budget'],
      plan.map((p) => [
        p.id,
        p.runs,
        `${formatNumber(p.estimate)} s (${p.basis})`,
        `${formatNumber(p.budget)} s`,
      ]),
    )}\n[bench] expected total ${formatNumber(expected)} s; limit ${TOTAL_BUDGET_S} s${
      expected > TOTAL_BUDGET_S ? ' (OVER: figures from a loaded machine, or an area grew)' : ''
    }\n`,
  );
  const reports: AreaReport[] = [];
  for (const [index, area] of selected.entries()) {
    current = area.id;
    const budget = plan[index].budget;
    ctx.progress(`start (${index + 1}/${selected.length}, budget ${formatNumber(budget)} s)`);
    const started = performance.now();
    setDeadline(started + budget * 1000);
    const measuredAt = new Date().toISOString();
    const loadAverage = loadavg()
      .map((x) => x.toFixed(2))
      .join(' / ');
    let result: AreaReport['result'];
    try {
      result = await area.run(ctx);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      result = { status: 'failed', error: msg.split('\n')[0] };
      process.stderr.write(`${err instanceof Error && err.stack ? err.stack : msg}\n`);
    }
    const skipped = skippedRuns();
    setDeadline(Number.POSITIVE_INFINITY);
    const seconds = (performance.now() - started) / 1000;
    if (result.status === 'measured' && skipped > 0) {
      result.notes = [
        ...(result.notes ?? []),
        `The area's time budget of ${formatNumber(budget)} s ran out: ${skipped} repetitions were skipped (the \`runs\` column says how many ran).`,
      ];
    }
    ctx.progress(
      `${
        result.status === 'measured'
          ? `done in ${formatNumber(seconds)} s`
          : `${result.status} (${formatNumber(seconds)} s)`
      }${seconds > budget ? `, OVER its ${formatNumber(budget)} s budget` : ''}; ${formatNumber(
        (performance.now() - t0) / 1000,
      )} s of ${TOTAL_BUDGET_S} s used`,
    );
    reports.push({
      id: area.id,
      title: area.title,
      description: area.description,
      result,
      measuredAt,
      seconds,
      budgetSeconds: budget,
      loadAverage,
    });
    // Write after every area, so a run stopped early keeps what it measured.
    if (opts.write) writeDocument(reports);
  }
  const totalSeconds = (performance.now() - t0) / 1000;

  process.stdout.write(`\n${consoleReport(reports)}\n\n`);
  process.stdout.write(
    `total ${formatNumber(totalSeconds)} s on ${machine.cpu} (${machine.cores} cores), Chromium ${machine.chromium}, Node ${machine.node}\n`,
  );

  if (opts.write) {
    writeDocument(reports, totalSeconds);
    process.stdout.write(`wrote docs/benchmarks.md\n`);
  }
  return reports.some((r) => r.result.status === 'failed') ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
