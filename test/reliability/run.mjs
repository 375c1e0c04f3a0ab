// `npm run test:reliability` (issue #11): the long versions of every
// reliability case, one vitest invocation per case group, then
// docs/reliability.md from the JSON lines the cases wrote.
//
//   node test/reliability/run.mjs [--resume] [--redo a,b] [--only a,b] [--no-build] [--list] [--budget-min 45]
//
// Filters (a, b) match part of a group's name, or its whole name when followed by `$`.
//
// - Each group runs with RELIABILITY_FULL=1, the run id in RELIABILITY_RUN and
//   its own RELIABILITY_OUT (test-output/reliability/<run>/<group>/), so a
//   group that is re-run after an interruption replaces its own lines and
//   never counts a trial twice.
// - Progress and each group's status go to test-output/reliability/state.json;
//   `--resume` continues the last run id and skips groups already complete
//   (passed, failed or timed out).
// - Groups are discovered by glob, so a new case file joins without an edit
//   here: test/e2e/{sync,kiosk,reliability-,xss}*.e2e.ts, display.e2e.ts,
//   pwa.e2e.ts, any other e2e or unit test importing test/helpers/reliability,
//   and the fuzz tests (test/**/*fuzz*.test.ts).
// - The whole run keeps to a budget (45 min by default): each group gets at
//   most its own limit and what is left of the budget; groups that no longer
//   fit are left pending for `--resume`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

const OUT = 'test-output/reliability';
const STATE = join(OUT, 'state.json');
const BUDGET_S = Number(opt('--budget-min') ?? 45) * 60;

/** The long counts of the existing long runs (see each file for how it reads them). */
const LONG_ENV = {
  KILL_TRIALS: '200',
  // Two Chromiums at once: launches dominate a trial (see sync-kill.e2e.ts).
  KILL_LANES: '2',
};

const E2E_CONFIG = ['--config', 'test/e2e/vitest.config.ts'];

function listFiles(dir, test) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name === 'node_modules' || e.name === 'fixtures') continue;
      out.push(...listFiles(p, test));
    } else if (test(p)) out.push(p);
  }
  return out.sort();
}

const usesRecorder = (file) => /helpers\/reliability(\.ts)?['"]/.test(readFileSync(file, 'utf8'));

/** Every case group, in the order they run: short and new ones first, the kill run last. */
function discoverGroups() {
  const groups = [];
  const unit = listFiles(
    'test',
    (p) =>
      p.endsWith('.test.ts') &&
      !p.endsWith('.browser.test.ts') &&
      !p.startsWith('test/e2e/') &&
      (/fuzz/.test(p) || (!p.startsWith('test/reliability/') && usesRecorder(p))),
  );
  for (const f of unit) {
    groups.push({
      name: `unit:${f.replace(/^test\//, '').replace(/\.test\.ts$/, '')}`,
      cmd: ['npx', 'vitest', 'run', f],
      limitS: 10 * 60,
    });
  }
  const e2e = listFiles('test/e2e', (p) => p.endsWith('.e2e.ts'));
  const base = (p) => p.replace(/^test\/e2e\//, '');
  const wanted = e2e.filter(
    (p) =>
      /^(sync|kiosk|reliability-|xss)/.test(base(p)) ||
      ['display.e2e.ts', 'pwa.e2e.ts'].includes(base(p)) ||
      usesRecorder(p),
  );
  // The 200-kill run is by far the longest: last, so the other figures exist even if it runs out.
  const rank = (p) => (base(p).startsWith('sync-kill') ? 2 : base(p).startsWith('xss') ? 0 : 1);
  wanted.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  for (const f of wanted) {
    groups.push({
      name: `e2e:${base(f).replace(/\.e2e\.ts$/, '')}`,
      cmd: ['npx', 'vitest', 'run', ...E2E_CONFIG, f],
      limitS: base(f).startsWith('sync-kill')
        ? 30 * 60
        : base(f).startsWith('xss')
          ? 20 * 60
          : 12 * 60,
    });
  }
  return groups;
}

function loadState() {
  if (!existsSync(STATE)) return null;
  try {
    return JSON.parse(readFileSync(STATE, 'utf8'));
  } catch {
    return null;
  }
}

function saveState(state) {
  mkdirSync(OUT, { recursive: true });
  writeFileSync(STATE, `${JSON.stringify(state, null, 2)}\n`);
}

const fmt = (s) =>
  s >= 60 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${Math.round(s)} s`;

/** Runs one command in its own process group; kills the group at the time limit. */
function runGroup(cmd, env, limitS) {
  return new Promise((resolve) => {
    const child = spawn(cmd[0], cmd.slice(1), {
      stdio: 'inherit',
      env: { ...process.env, ...env },
      detached: true,
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGTERM');
        setTimeout(() => {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            /* already gone */
          }
        }, 5000).unref();
      } catch {
        /* already gone */
      }
    }, limitS * 1000);
    // Ctrl-C of the runner ends the group too; the state says "running", so --resume redoes it.
    const onSig = () => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
      process.exit(130);
    };
    process.once('SIGINT', onSig);
    child.on('exit', (code) => {
      clearTimeout(timer);
      process.removeListener('SIGINT', onSig);
      resolve({ code, timedOut });
    });
  });
}

/** A group filter: part of a group's name, or its whole name followed by `$`. */
const matches = (name, filter) =>
  filter.endsWith('$') ? name === filter.slice(0, -1) : filter !== '' && name.includes(filter);

async function main() {
  const groups = discoverGroups();
  if (flag('--list')) {
    for (const g of groups) console.log(`${g.name.padEnd(36)} ${g.cmd.join(' ')}`);
    return 0;
  }
  const only = opt('--only')?.split(',');
  const previous = flag('--resume') ? loadState() : null;
  if (flag('--resume') && !previous)
    console.log('reliability: no run to resume, starting a new one');
  const run =
    previous?.run ?? `rel-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}`;
  const state = previous ?? { run, startedAt: new Date().toISOString(), groups: [] };
  // Keep the state's group list in discovery order; new groups (new files) join a resumed run.
  const known = new Map(state.groups.map((g) => [g.name, g]));
  state.groups = groups.map((g) => known.get(g.name) ?? { name: g.name, status: 'pending' });
  const selected = groups.filter((g) => !only || only.some((o) => matches(g.name, o)));
  // `--redo a,b` runs those groups of a resumed run again (after a fix), replacing their lines.
  const redo = opt('--redo')?.split(',');
  for (const st of state.groups) {
    if (redo?.some((r) => matches(st.name, r))) {
      // Its earlier time no longer counts against the budget: its lines are replaced.
      st.status = 'pending';
      delete st.seconds;
    }
  }
  saveState(state);

  const t0 = Date.now();
  const spentBefore = state.groups.reduce((s, g) => s + (g.seconds ?? 0), 0);
  console.log(
    `reliability run ${run}: ${selected.length} group(s), budget ${fmt(BUDGET_S)}${previous ? `, resumed (${fmt(spentBefore)} already spent)` : ''}`,
  );

  if (!flag('--no-build') && !previous?.built) {
    console.log('\n── build (the e2e groups run against dist/)');
    const b = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
    if (b.status !== 0) {
      console.error('reliability: build failed');
      return 1;
    }
    state.built = true;
    saveState(state);
  }

  let i = 0;
  for (const g of selected) {
    i++;
    const st = state.groups.find((s) => s.name === g.name);
    if (['passed', 'failed', 'timeout'].includes(st.status)) {
      console.log(`[${i}/${selected.length}] ${g.name}: already ${st.status}, skipped`);
      continue;
    }
    const spent = spentBefore + (Date.now() - t0) / 1000;
    const left = BUDGET_S - spent;
    if (left < 60) {
      console.log(`[${i}/${selected.length}] ${g.name}: no time left in the budget, left pending`);
      st.status = 'pending';
      continue;
    }
    const limitS = Math.min(g.limitS, left);
    const outDir = join(OUT, run, g.name.replace(/[^A-Za-z0-9._-]+/g, '_'));
    rmSync(outDir, { recursive: true, force: true });
    st.status = 'running';
    st.startedAt = new Date().toISOString();
    saveState(state);
    console.log(
      `\n── [${i}/${selected.length}] ${g.name} (limit ${fmt(limitS)}, ${fmt(spent)} of ${fmt(BUDGET_S)} spent): ${g.cmd.join(' ')}`,
    );
    const g0 = Date.now();
    const r = await runGroup(
      g.cmd,
      { ...LONG_ENV, RELIABILITY_FULL: '1', RELIABILITY_RUN: run, RELIABILITY_OUT: outDir },
      limitS,
    );
    st.seconds = Math.round((Date.now() - g0) / 100) / 10;
    st.exitCode = r.code;
    st.status = r.timedOut ? 'timeout' : r.code === 0 ? 'passed' : 'failed';
    saveState(state);
    console.log(`── ${g.name}: ${st.status} in ${fmt(st.seconds)}`);
  }

  const wall = state.groups.reduce((s, g) => s + (g.seconds ?? 0), 0);
  console.log(`\nreliability run ${run}: ${fmt(wall)} of group time`);
  for (const g of state.groups) {
    console.log(
      `  ${g.name.padEnd(36)} ${g.status.padEnd(8)} ${g.seconds === undefined ? '' : fmt(g.seconds)}`,
    );
  }
  const rep = spawnSync(
    'node',
    ['--import', 'tsx', 'test/reliability/report.ts', '--run', run, '--state', STATE, '--dir', OUT],
    { stdio: 'inherit' },
  );
  const bad = state.groups.filter((g) => g.status !== 'passed' && g.status !== 'pending');
  const pending = state.groups.filter((g) => g.status === 'pending' || g.status === 'running');
  if (pending.length > 0)
    console.log(`${pending.length} group(s) not run yet: npm run test:reliability -- --resume`);
  return rep.status === 0 && bad.length === 0 ? 0 : 1;
}

process.exit(await main());
