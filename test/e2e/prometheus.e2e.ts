// The fleet receiver scraped by a real Prometheus: simulated kiosks report to
// `gongkai fleet serve` (in-process, loopback, free port), a `prometheus`
// child process (temp dir, short scrape and evaluation intervals) loads the
// shipped alert rules with test-sized durations, and the test reads the
// series and the alerts back through Prometheus's HTTP API. Under CI a
// missing prometheus fails the test; elsewhere the suite is skipped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFleetServer } from '../../src/cli/commands/fleet.ts';
import { initialStatus } from '../../src/sync/status.ts';
import { requireBinary } from '../helpers/prometheus.ts';

const prometheus = requireBinary('prometheus', 'prometheus.e2e.ts');

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? ok(a.port) : fail(new Error('no port'))));
    });
  });
}

/**
 * docs/fleet/gongkai-rules.yml with test-sized durations: every `for:` 1 s,
 * and the 15-minute silence 4 s. Throws if the shipped file no longer has
 * what this rewrites, so the test cannot silently test nothing.
 */
function testSizedRules(shipped: string): string {
  const silence = /> 15 \* 60$/m;
  if (!silence.test(shipped) || !/for: 2m/.test(shipped))
    throw new Error(
      'docs/fleet/gongkai-rules.yml: expected `> 15 * 60` and `for: 2m` (GongkaiKioskSilent)',
    );
  return shipped.replace(silence, '> 4').replace(/for: \S+/g, 'for: 1s');
}

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}
interface Alert {
  labels: Record<string, string>;
  state: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!prometheus)('the estate in a real Prometheus', () => {
  let dir: string;
  let receiver: Server;
  let receiverUrl: string;
  let proc: ChildProcess;
  let api: string;
  let ticker: NodeJS.Timeout | undefined;
  const log: string[] = [];

  const report = (kioskId: string, activeVersion: number) =>
    fetch(receiverUrl, {
      method: 'POST',
      body: JSON.stringify({
        kioskId,
        name: '查阅终端',
        location: '演示',
        sentAt: new Date().toISOString(),
        status: { ...initialStatus(Date.now()), activeVersion },
        extras: {},
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/83.0.4103.0 Safari/537.36',
      }),
    });

  async function query(q: string): Promise<Sample[]> {
    const res = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(q)}`);
    const body = (await res.json()) as { status: string; data: { result: Sample[] } };
    expect(body.status).toBe('success');
    return body.data.result;
  }

  async function until<T>(what: string, get: () => Promise<T | null>, ms = 30_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await get().catch(() => null);
      if (v !== null) return v;
      if (Date.now() > deadline || proc.exitCode !== null)
        throw new Error(
          `${what}: not within ${ms} ms; prometheus said:\n${log.join('').slice(-3000)}`,
        );
      await sleep(250);
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gk-prom-'));
    chmodSync(dir, 0o755);
    ({ server: receiver, url: receiverUrl } = await startFleetServer(join(dir, 'status'), 0));
    // Two kiosks report once; hall-2 keeps reporting every 500 ms, hall-1 falls silent.
    await report('tianhe-1', 41);
    await report('tianhe-2', 42);
    ticker = setInterval(() => void report('tianhe-2', 42).catch(() => undefined), 500);
    writeFileSync(
      join(dir, 'rules.yml'),
      testSizedRules(readFileSync('docs/fleet/gongkai-rules.yml', 'utf8')),
    );
    const port = await freePort();
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: [rules.yml]
scrape_configs:
  - job_name: gongkai-fleet
    static_configs:
      - targets: ['${new URL(receiverUrl).host}']
`,
    );
    proc = spawn(
      prometheus!,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    proc.stdout?.on('data', (d: Buffer) => log.push(d.toString()));
    proc.stderr?.on('data', (d: Buffer) => log.push(d.toString()));
    api = `http://127.0.0.1:${port}`;
    await until('prometheus ready', async () => ((await fetch(`${api}/-/ready`)).ok ? true : null));
  });

  afterAll(async () => {
    clearInterval(ticker);
    proc?.kill('SIGTERM');
    if (proc && proc.exitCode === null) await new Promise((r) => proc.once('exit', r));
    await new Promise((r) => receiver?.close(r));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('scrapes every kiosk’s series from the receiver', async () => {
    const versions = await until('bundle versions scraped', async () => {
      const r = await query('gongkai_kiosk_bundle_version');
      return r.length === 2 ? r : null;
    });
    expect(versions.map((s) => [s.metric.kiosk, s.metric.site, s.value[1]]).sort()).toEqual([
      ['tianhe-1', 'tianhe', '41'],
      ['tianhe-2', 'tianhe', '42'],
    ]);
    const engines = await query('gongkai_kiosk_browser_info');
    expect(engines.map((s) => `${s.metric.engine} ${s.metric.major}`)).toEqual([
      'chromium 83',
      'chromium 83',
    ]);
    const up = await query('up{job="gongkai-fleet"}');
    expect(up[0]?.value[1]).toBe('1');
  });

  it('fires the silent-kiosk alert for the kiosk that stopped reporting, only for it', async () => {
    const firing = await until('GongkaiKioskSilent firing', async () => {
      const res = await fetch(`${api}/api/v1/alerts`);
      const body = (await res.json()) as { data: { alerts: Alert[] } };
      const silent = body.data.alerts.filter(
        (a) => a.labels.alertname === 'GongkaiKioskSilent' && a.state === 'firing',
      );
      return silent.length ? silent : null;
    });
    expect(firing.map((a) => a.labels.kiosk)).toEqual(['tianhe-1']);
    expect(firing[0].labels.site).toBe('tianhe');
  });

  it('every query of the shipped Grafana dashboard runs and the estate panels have data', async () => {
    const dashboard = JSON.parse(readFileSync('docs/fleet/grafana-dashboard.json', 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const exprs = dashboard.panels.flatMap((p) =>
      p.targets.map((t) => ({ title: p.title, expr: t.expr })),
    );
    expect(exprs.length).toBeGreaterThan(10);
    for (const { title, expr } of exprs) {
      const res = await fetch(
        `${api}/api/v1/query?query=${encodeURIComponent(expr.replaceAll('$site', '.+'))}`,
      );
      const body = (await res.json()) as {
        status: string;
        error?: string;
        data?: { result: Sample[] };
      };
      expect(body.error ?? body.status, `${title}: ${expr}`).toBe('success');
      if (['Kiosks', 'Kiosks per bundle version', 'Browser engines'].includes(title))
        expect(body.data?.result.length, title).toBeGreaterThan(0);
    }
  });
});
