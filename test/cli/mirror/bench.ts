// `npm run bench:mirror [-- --items 10000 --dry]`: mirrors the loopback fixture
// portal with politeness off (no delay, 8 requests in flight), then re-runs
// it unchanged and with 1 % of the items edited, and writes the rows to
// docs/benchmarks.md (between the bench:mirror markers). The portal runs in
// this process, so its own work is in the wall and CPU times too.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultConfig } from '../../../src/cli/mirror/config.ts';
import { GkmlptSource } from '../../../src/cli/mirror/gkmlpt.ts';
import { runMirror, type RunReport } from '../../../src/cli/mirror/run.ts';
import { startPortal } from './fixture-portal.ts';

const { values } = parseArgs({
  options: { items: { type: 'string' }, concurrency: { type: 'string' }, dry: { type: 'boolean' } },
});
const items = Number(values.items ?? 10_000);
const concurrency = Number(values.concurrency ?? 8);
const ROOT = join(import.meta.dirname, '../../..');

const portal = await startPortal({ items, paging: 'paged', pageSize: 100 });
const dir = mkdtempSync(join(tmpdir(), 'gongkai-bench-mirror-'));
const cfg = {
  ...defaultConfig(),
  delayMs: 0,
  concurrency,
  defaults: { privacy: { containsPersonalInfo: false } },
};
const startedAt = new Date();
const load = loadavg()
  .map((l) => l.toFixed(2))
  .join(' / ');

async function timed(): Promise<{ r: RunReport; ms: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await runMirror(new GkmlptSource(portal.siteUrl, { categories: [] }), {
    dir,
    cfg,
    today: '2026-10-01',
    quiet: true,
  });
  const c = process.cpuUsage(cpu0);
  if (!r.ok) throw new Error(`bench run refused: ${r.error ?? ''}`);
  return { r, ms: performance.now() - t0, cpu: (c.user + c.system) / 1000 };
}

const full = await timed();
const same = await timed();
// Every hundredth item edited: 1 %.
for (let i = 0; i < items; i += 100) portal.edit(1000 + i);
const changed = await timed();
await portal.close();
rmSync(dir, { recursive: true, force: true });

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const pct = (a: number, b: number): string => `${((a / b) * 100).toFixed(2)} %`;
const rows = [
  `| full mirror, ${fmt(items)} items (list + details + attachments) | ${fmt(full.ms)} ms | ${fmt(full.cpu)} ms | ${fmt(full.r.requests)} | ${(full.r.bytes / 1024 / 1024).toFixed(1)} MB | ≤ 120,000 ms ${full.ms <= 120_000 ? 'met' : 'NOT met'} |`,
  `| re-run, nothing changed | ${fmt(same.ms)} ms | ${fmt(same.cpu)} ms | ${fmt(same.r.requests)} (${pct(same.r.requests, full.r.requests)}) | ${(same.r.bytes / 1024 / 1024).toFixed(1)} MB |  |`,
  `| re-run, 1 % changed (${changed.r.changed.length} items) | ${fmt(changed.ms)} ms | ${fmt(changed.cpu)} ms | ${fmt(changed.r.requests)} (${pct(changed.r.requests, full.r.requests)}) | ${(changed.r.bytes / 1024 / 1024).toFixed(1)} MB | ≤ 3 % of the full run's requests ${changed.r.requests <= full.r.requests * 0.03 ? 'met' : 'NOT met'} |`,
];
const section = `<!-- bench:mirror:start -->
## Mirror

\`npm run bench:mirror\`: \`gongkai mirror gkmlpt\` (the run engine, in-process) against the loopback fixture portal (test/cli/mirror/fixture-portal.ts) with ${fmt(items)} items in 3 categories, 100 per list page, every tenth with a PDF attachment, politeness off (no delay, ${concurrency} requests in flight). Into an empty content folder, then again unchanged, then with 1 % of the items edited. The portal runs in the same process, so its work is inside the wall and CPU times. Node ${process.version}.

Measured ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC; load average ${load} at its start. The work is CPU-bound in one process: on a machine busier than its cores, the wall time mostly measures waiting for a core, and the CPU time is the figure to compare.

| run | wall | CPU (user + system) | requests | bytes | target |
|---|---:|---:|---:|---:|---|
${rows.join('\n')}
<!-- bench:mirror:end -->`;
console.log(section);
if (!values.dry) {
  const file = join(ROOT, 'docs/benchmarks.md');
  const doc = readFileSync(file, 'utf8');
  const re = /<!-- bench:mirror:start -->[\s\S]*?<!-- bench:mirror:end -->/;
  writeFileSync(file, re.test(doc) ? doc.replace(re, section) : `${doc.trimEnd()}\n\n${section}\n`);
}
