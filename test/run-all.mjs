// `npm test`: every check in order, with a time budget each, then one closing
// line `N passed, N failed` summing all runners. Exits non-zero when any step
// fails or a test runner ran no test.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';

const only = process.argv.slice(2);
mkdirSync('test-output', { recursive: true });

const hasSwSources = existsSync('src/sw') && readdirSync('src/sw').some((f) => f.endsWith('.ts'));

/** The day of the `unit@2031` step. */
const FAKE_DAY = '2031-06-15';
/** Unit test files without dates or clocks, not run again under the fake date. */
const CLOCKLESS = [
  'test/search/normalize.test.ts',
  'test/search/corpus.test.ts',
  'test/search/relevance.test.ts',
  'test/search/pruning.test.ts',
  'test/content/fuzz.test.ts',
  'test/content/pii.test.ts',
  'test/lint/boundaries.test.ts',
  'test/cli/canonical-html.test.ts',
  'test/data/pack-layout.test.ts',
  'test/pwa/icons.test.ts',
  'test/helpers/corpus.test.ts',
  // Changes directory (process.chdir), which worker threads cannot; it fuzzes argument
  // handling, not dates.
  'test/cli/fuzz.test.ts',
];

/** name, command, budget in seconds, and how to read its counts. */
const steps = [
  { name: 'typecheck', cmd: ['npx', 'tsc', '-p', 'tsconfig.json'], budget: 90, counts: 'single' },
  ...(hasSwSources
    ? [
        {
          name: 'typecheck:sw',
          cmd: ['npx', 'tsc', '-p', 'src/sw/tsconfig.json'],
          budget: 60,
          counts: 'single',
        },
      ]
    : []),
  {
    name: 'format',
    cmd: ['npx', 'prettier', '--check', '--log-level', 'warn', '.'],
    budget: 60,
    counts: 'single',
  },
  {
    name: 'lint',
    cmd: ['npx', 'eslint', '.', '--max-warnings', '0'],
    budget: 120,
    counts: 'single',
  },
  {
    name: 'unit',
    cmd: [
      'npx',
      'vitest',
      'run',
      '--reporter=default',
      '--reporter=json',
      '--outputFile.json=test-output/vitest-unit.json',
    ],
    budget: 180,
    counts: 'test-output/vitest-unit.json',
  },
  // The unit suite again on a day far from today (Debian's faketime, inherited by
  // every vitest worker; test/helpers/fake-date.test.ts proves the workers see it):
  // no test may depend on the day it runs. Files with no clock in them (search
  // normalisation and relevance, fuzzing, PII properties, lint, icons, HTML
  // canonicalisation, pack layout) are left out to keep the step short.
  {
    name: 'unit@2031',
    cmd: [
      'faketime',
      '-f',
      `@${FAKE_DAY} 12:00:00`,
      'npx',
      'vitest',
      'run',
      '--pool=threads',
      ...CLOCKLESS.flatMap((f) => ['--exclude', f]),
      '--reporter=dot',
      '--reporter=json',
      '--outputFile.json=test-output/vitest-unit-2031.json',
    ],
    budget: 180,
    counts: 'test-output/vitest-unit-2031.json',
    env: { GONGKAI_FAKE_DATE: FAKE_DAY },
  },
  { name: 'build', cmd: ['npm', 'run', '--silent', 'build'], budget: 120, counts: 'single' },
  // The built JS against the engine tiers (README "Which browsers"): syntax and built-ins.
  { name: 'compat', cmd: ['node', 'test/build/check-compat.mjs'], budget: 30, counts: 'single' },
  {
    name: 'browser',
    cmd: ['npx', 'web-test-runner', '--config', 'test/web-test-runner.config.mjs'],
    budget: 180,
    counts: 'test-output/wtr-counts.json',
    pre: () => rmSync('test-output/wtr-counts.json', { force: true }),
  },
  {
    name: 'e2e',
    cmd: [
      'npx',
      'vitest',
      'run',
      '--config',
      'test/e2e/vitest.config.ts',
      '--reporter=default',
      '--reporter=json',
      '--outputFile.json=test-output/vitest-e2e.json',
    ],
    budget: 480,
    counts: 'test-output/vitest-e2e.json',
    // The short versions of the long runs (npm run test:reliability runs 200 kills, 72 hours).
    env: {
      KILL_TRIALS: process.env.KILL_TRIALS ?? '10',
    },
  },
];

let passed = 0;
let failed = 0;
const table = [];
for (const step of steps) {
  if (only.length && !only.includes(step.name)) continue;
  step.pre?.();
  if (typeof step.counts === 'string' && step.counts !== 'single')
    rmSync(step.counts, { force: true });
  console.log(`\n── ${step.name} (budget ${step.budget} s): ${step.cmd.join(' ')}`);
  const t0 = Date.now();
  const r = spawnSync(step.cmd[0], step.cmd.slice(1), {
    stdio: 'inherit',
    timeout: step.budget * 3 * 1000,
    env: { ...process.env, ...step.env },
  });
  const secs = (Date.now() - t0) / 1000;
  let p = 0;
  let f = 0;
  let note = '';
  if (step.counts === 'single') {
    if (r.status === 0) p = 1;
    else f = 1;
  } else if (existsSync(step.counts)) {
    const c = JSON.parse(readFileSync(step.counts, 'utf8'));
    p = c.numPassedTests ?? c.passed ?? 0;
    f = c.numFailedTests ?? c.failed ?? 0;
    if (r.status !== 0 && f === 0) {
      f = 1;
      note = 'runner failed';
    }
    if (p + f === 0) {
      f = 1;
      note = 'ran no test';
    }
  } else {
    f = 1;
    note = 'no results written';
  }
  if (r.error) note = `${note} ${r.error.message}`.trim();
  passed += p;
  failed += f;
  table.push({
    step: step.name,
    passed: p,
    failed: f,
    seconds: secs.toFixed(1),
    budget: step.budget,
    note,
  });
}

console.log('\nstep          passed  failed  seconds  budget');
for (const t of table) {
  console.log(
    `${t.step.padEnd(13)} ${String(t.passed).padStart(6)}  ${String(t.failed).padStart(6)}  ${t.seconds.padStart(7)}  ${String(t.budget).padStart(6)}${t.note ? '  ' + t.note : ''}${Number(t.seconds) > t.budget ? '  OVER BUDGET' : ''}`,
  );
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
