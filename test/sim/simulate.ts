// `npm run simulate -- --kiosks 5000`: a province's estate against the real
// servers, on loopback, bounded in time. N lightweight kiosks (test/sim/kiosk.ts)
// poll the bundle host — nginx with docs/nginx.conf — and report through it to
// a `gongkai fleet serve` child process (docs/fleet/nginx-fleet-*.conf). After
// a warm-up and one steady poll cycle (all 304s), version 2 (1% of 10,000 items
// changed) is published; the run measures what the bundle host serves, how
// long until 99% of the kiosks report the new version, and the receiver's and
// nginx's CPU and memory, then prints a table and writes test-output/simulate-<N>.json.
//
// Poll intervals are compressed (default 30 s instead of 900 s, jitter 3 s
// instead of 60 s): 2 shared cores cannot wait 15 minutes, and figures per
// request are scaled back to the real interval in the sizing.
//
// Exit codes: 0 done (99% reached), 1 the run failed or 99% was not reached, 2 bad usage.
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  chmodSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync, type ChildProcess } from 'node:child_process';
import type { KioskConfig } from '../../src/config/types.ts';
import { simBundles, versionPlan, type VersionPlan } from './bundles.ts';
import {
  findNginx,
  freePort,
  procUsage,
  repoPath,
  simNginxConfig,
  startProcess,
  treeUsage,
} from './hosts.ts';
import { SimKiosk, type SimShared } from './kiosk.ts';
import { bytes, int, parseAccessLog, tally } from './measure.ts';
import { resultTable, type SimResult } from './report.ts';

const SITES = [
  'guangzhou',
  'shenzhen',
  'zhuhai',
  'shantou',
  'foshan',
  'shaoguan',
  'heyuan',
  'meizhou',
  'huizhou',
  'shanwei',
  'dongguan',
  'zhongshan',
  'jiangmen',
  'yangjiang',
  'zhanjiang',
  'maoming',
  'zhaoqing',
  'qingyuan',
  'chaozhou',
  'jieyang',
  'yunfu',
];
const REAL_POLL_S = 900 + 30; // pollSeconds 900 + half the default 60 s jitter

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) {
    console.error(`simulate: --${name} needs a positive number`);
    process.exit(2);
  }
  return v;
}

const opts = {
  kiosks: Math.round(arg('kiosks', 1000)),
  pollS: arg('poll-seconds', 30),
  jitterS: arg('jitter-seconds', 3),
  proofEntries: Math.round(arg('proof-entries', 100)),
  maxS: arg('max-seconds', 300),
  verifyShare: arg('verify-share', 0.01),
  hashShare: arg('hash-share', 0.1),
  items: Math.round(arg('items', 10_000)),
  downloadShare: Math.min(1, arg('download-share', 1)),
};
const t0 = Date.now();
const log = (m: string) =>
  console.error(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${m}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<number> {
  const nginx = findNginx();
  if (!nginx) throw new Error('nginx is not installed (apt-get install nginx)');
  const built = await simBundles(log, opts.items);
  const [plan1, plan2] = [await versionPlan(built.v1), await versionPlan(built.v2)];
  const delta = plan2.objects.filter((o) => !plan1.held.has(o.sha256));
  const deltaBytes = delta.reduce((s, o) => s + o.size, 0);
  log(
    `bundle v1: ${int(plan1.objects.length)} objects, ${bytes(plan1.manifest.totalBytes)}; v2 adds ${delta.length} objects, ${bytes(deltaBytes)}`,
  );

  const prefix = mkdtempSync(join(tmpdir(), 'gk-sim-'));
  chmodSync(prefix, 0o755);
  const procs: ChildProcess[] = [];
  const kiosks: SimKiosk[] = [];
  try {
    const root = join(prefix, 'app');
    const bundleDir = join(root, 'bundles/sim');
    mkdirSync(bundleDir, { recursive: true });
    // Hard links: the cache's files are never written (publishing renames over them).
    const linked = spawnSync('cp', ['-al', `${built.v1}/.`, bundleDir]);
    if (linked.status !== 0) cpSync(built.v1, bundleDir, { recursive: true });

    const receiverPort = await freePort();
    const receiverUrl = `http://127.0.0.1:${receiverPort}/`;
    const receiver = await startProcess(
      'fleet receiver',
      process.execPath,
      [
        repoPath('src/cli/bin.js'),
        'fleet',
        'serve',
        '--dir',
        join(prefix, 'status'),
        '--port',
        String(receiverPort),
        '--replica',
        'sim',
      ],
      async () => (await fetch(`${receiverUrl}healthz`)).ok,
    );
    procs.push(receiver);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}/`;
    const conf = join(prefix, 'nginx.conf');
    writeFileSync(conf, simNginxConfig({ port, root, prefix, receiverPort }));
    const web = await startProcess(
      'nginx',
      nginx,
      ['-p', prefix, '-e', join(prefix, 'error.log'), '-c', conf, '-g', 'daemon off;'],
      async () => (await fetch(`${base}bundles/sim/manifest.json`)).ok,
    );
    procs.push(web);
    const usage = () => ({
      at: Date.now(),
      receiver: treeUsage(receiver.pid!),
      nginx: treeUsage(web.pid!),
      sim: procUsage(process.pid),
    });
    const idle = usage();

    const plans = new Map<number, VersionPlan>([
      [1, plan1],
      [2, plan2],
    ]);
    const reportedV2 = new Map<string, number>();
    const downloadersV2 = new Map<string, number>();
    let publishedAt = Infinity;
    const config = JSON.parse(readFileSync('kiosk-config/default.json', 'utf8')) as KioskConfig;
    const shared: SimShared = {
      bundleUrl: `${base}bundles/sim/`,
      statusUrl: `${base}fleet/report`,
      config,
      trustedKeys: [built.key.trustedKey],
      plan: (v) => plans.get(v),
      pollMs: opts.pollS * 1000,
      jitterMs: opts.jitterS * 1000,
      verifyShare: opts.verifyShare,
      hashShare: opts.hashShare,
      downloadShare: opts.downloadShare,
      proofEntries: opts.proofEntries,
      userAgent:
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.5414.0 Safari/537.36',
      now: Date.now,
      onReported: (k, v) => {
        if (v === 2 && !reportedV2.has(k.id)) reportedV2.set(k.id, Date.now());
        if (v === 2 && k.downloads && !downloadersV2.has(k.id)) downloadersV2.set(k.id, Date.now());
      },
      causes: new Map(),
      counters: { requests: 0, notModified: 0, downloads: 0, failures: 0, reportsFailed: 0 },
    };
    for (let i = 0; i < opts.kiosks; i++) {
      const site = SITES[i % SITES.length];
      kiosks.push(new SimKiosk(`${site}-${String(i).padStart(5, '0')}`, shared, plan1, i));
    }
    // The estate has been running: every kiosk holds version 1 and its manifest's ETag,
    // and its next poll falls anywhere in the coming interval.
    const etag = (await fetch(`${base}bundles/sim/manifest.json`)).headers.get('etag');
    const started = Date.now();
    const deadline = started + opts.maxS * 1000;
    for (const k of kiosks) k.start(Math.random() * opts.pollS * 1000, etag);
    log(
      `${opts.kiosks} kiosks polling every ${opts.pollS} s (+ up to ${opts.jitterS} s jitter) at ${base}; measuring half a poll cycle`,
    );
    await sleep(2000);
    const steadyStart = usage();
    await sleep((opts.pollS * 1000) / 2);
    const steadyEnd = usage();

    // Publish v2 as a deploy does (rsync of `gongkai bundle build` output): the new
    // objects and the pack first, then the signature, then the manifest. The clock
    // starts when the manifest is in place.
    for (const o of delta) {
      mkdirSync(join(bundleDir, o.path, '..'), { recursive: true });
      cpSync(join(built.v2, o.path), join(bundleDir, o.path));
    }
    cpSync(join(built.v2, 'bundle.gkb'), join(bundleDir, 'bundle.gkb.new'));
    renameSync(join(bundleDir, 'bundle.gkb.new'), join(bundleDir, 'bundle.gkb'));
    for (const f of ['manifest.sig', 'manifest.json']) {
      cpSync(join(built.v2, f), join(bundleDir, `${f}.new`));
      renameSync(join(bundleDir, `${f}.new`), join(bundleDir, f));
    }
    publishedAt = Date.now();
    const need = Math.ceil(opts.kiosks * 0.99);
    const downloaders = kiosks.filter((k) => k.downloads).length;
    const needDl = Math.ceil(downloaders * 0.99);
    let t99: number | null = null;
    let t99dl: number | null = null;
    log(`published version 2 (${shared.counters.failures} failed checks so far)`);
    while (Date.now() < deadline) {
      await sleep(500);
      if (t99 === null && reportedV2.size >= need) {
        t99 = Date.now();
        log(`99% of kiosks report version 2 after ${((t99 - publishedAt) / 1000).toFixed(1)} s`);
      }
      if (t99dl === null && downloadersV2.size >= needDl) {
        t99dl = Date.now();
        log(
          `99% of the ${downloaders} downloading kiosks report version 2 after ${((t99dl - publishedAt) / 1000).toFixed(1)} s`,
        );
      }
      if (reportedV2.size === opts.kiosks && downloadersV2.size === downloaders) break;
      if (Date.now() - publishedAt > 2.5 * (opts.pollS + opts.jitterS) * 1000) break;
    }
    const done = usage();
    for (const k of kiosks) k.stop();
    await sleep(3000);
    log(`${reportedV2.size}/${opts.kiosks} kiosks on version 2; scraping the receiver`);
    // Two scrapes: the first after the run, the second as Prometheus sees it every 30 s.
    let metrics = '';
    let scrapeMs = 0;
    let scrapeCpu = 0;
    for (let i = 0; i < 2; i++) {
      const cpu = treeUsage(receiver.pid!).cpuSeconds;
      const ts = performance.now();
      metrics = await (await fetch(`${receiverUrl}metrics`)).text();
      scrapeMs = performance.now() - ts;
      scrapeCpu = treeUsage(receiver.pid!).cpuSeconds - cpu;
    }
    const v2Series = (metrics.match(/^gongkai_kiosk_bundle_version\{[^}]*\} 2$/gm) ?? []).length;
    const series = metrics.split('\n').filter((l) => l && !l.startsWith('#')).length;
    const afterScrape = treeUsage(receiver.pid!);

    web.kill('SIGQUIT'); // graceful: flushes the buffered access log
    await new Promise((r) => web.once('exit', r));
    const lines = parseAccessLog(readFileSync(join(prefix, 'access.log'), 'utf8'));
    const steady = tally(lines, steadyStart.at, steadyEnd.at);
    const pub = tally(lines, publishedAt, done.at + 3000);
    const hostBytes = (t: typeof pub) =>
      t['manifest-304'].bytes +
      t['manifest-200'].bytes +
      t.signature.bytes +
      t.object.bytes +
      t.other.bytes;
    const hostRequests = (t: typeof pub) =>
      t['manifest-304'].requests +
      t['manifest-200'].requests +
      t.signature.requests +
      t.object.requests +
      t.other.requests;
    // Kiosks that skipped the object GETs would have fetched what the downloading ones did.
    const objectBytesPerDownloader = pub.object.bytes / Math.max(1, downloaders);
    const estateHostBytes = hostBytes(pub) + (opts.kiosks - downloaders) * objectBytesPerDownloader;
    const errors =
      Object.values(pub).reduce((s, t) => s + t.errors, 0) +
      Object.values(steady).reduce((s, t) => s + t.errors, 0);

    const steadyS = (steadyEnd.at - steadyStart.at) / 1000;
    const rCpu = steadyEnd.receiver.cpuSeconds - steadyStart.receiver.cpuSeconds;
    const nCpu = steadyEnd.nginx.cpuSeconds - steadyStart.nginx.cpuSeconds;
    const steadyReports = steady.report.requests;
    const steadyHostReq = hostRequests(steady);
    const cpuPerReport = rCpu / Math.max(1, steadyReports);
    const nginxCpuPerReq = nCpu / Math.max(1, steadyHostReq + steadyReports);
    const realRate = 1 / REAL_POLL_S + 1 / 3600; // reports per kiosk per second: after each check, and hourly
    const perK = opts.kiosks / 1000;
    const scrapePerKioskCpu = scrapeCpu / opts.kiosks; // per 30 s scrape
    const receiverKiosksPerCore = 1 / (cpuPerReport * realRate + scrapePerKioskCpu / 30);
    // The publish wave sizes the bundle host: every kiosk fetches manifest, signature and the
    // delta's objects, and reports, within one real poll interval.
    const nginxKiosksPerCore = 1 / ((nginxCpuPerReq * (delta.length + 3)) / REAL_POLL_S);
    const rssPerK = (afterScrape.rssBytes - idle.receiver.rssBytes) / perK;

    const result: SimResult & Record<string, unknown> = {
      options: opts,
      machine: { cores: 2, note: 'shared with other work; load average during the run was high' },
      bundle: {
        objectsV1: plan1.objects.length,
        bytesV1: plan1.manifest.totalBytes,
        deltaObjects: delta.length,
        deltaBytes,
      },
      steadyCycle: {
        seconds: steadyS,
        tally: steady,
        receiverCpuSeconds: rCpu,
        nginxCpuSeconds: nCpu,
      },
      publish: {
        tally: pub,
        downloaders,
        hostBytesMeasured: hostBytes(pub),
        objectBytesPerDownloader,
        estateHostBytes,
        estateHostBytesPerKiosk: estateHostBytes / opts.kiosks,
        secondsTo99: t99 === null ? null : (t99 - publishedAt) / 1000,
        secondsTo99Downloaders: t99dl === null ? null : (t99dl - publishedAt) / 1000,
        reachedV2: reportedV2.size,
      },
      receiver: {
        cpuSecondsPerReport: cpuPerReport,
        realRate,
        rssIdle: idle.receiver.rssBytes,
        rssEnd: afterScrape.rssBytes,
        rssPer1000: rssPerK,
        scrapeMs,
        scrapeCpu,
        scrapeBytes: metrics.length,
        series,
        v2Series,
        kiosksPerCoreAtRealPoll: receiverKiosksPerCore,
      },
      nginx: {
        cpuSecondsPerRequest: nginxCpuPerReq,
        rssEnd: done.nginx.rssBytes,
        kiosksPerCoreInPublishWave: nginxKiosksPerCore,
      },
      simulator: { cpuSeconds: done.sim.cpuSeconds, counters: shared.counters },
      errors,
    };
    mkdirSync('test-output', { recursive: true });
    const out = `test-output/simulate-${opts.kiosks}.json`;
    writeFileSync(out, JSON.stringify(result, null, 2));
    console.log(resultTable(result, REAL_POLL_S));
    for (const [m, n] of shared.causes) log(`failed checks: ${n} × ${m}`);
    log(`figures written to ${out}`);
    return t99 === null || t99dl === null ? 1 : 0;
  } finally {
    for (const k of kiosks) k.stop();
    for (const p of procs) if (p.exitCode === null) p.kill('SIGTERM');
    await sleep(300);
    rmSync(prefix, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`simulate: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
