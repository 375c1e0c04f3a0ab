// The fleet receiver's Prometheus metrics (src/cli/fleet/): what a report
// becomes, bounded labels, the engine from `engine` or `userAgent`, and the
// estate rebuilt from the status directory by a fresh (or second) receiver.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { fleetReport, startFleetServer } from '../../src/cli/commands/fleet.ts';
import { browserEngine, engineFromUserAgent } from '../../src/cli/fleet/browser.ts';
import { kioskState, siteFromId } from '../../src/cli/fleet/kiosk-state.ts';
import { readInventory } from '../../src/cli/fleet/estate.ts';
import { initialStatus } from '../../src/sync/status.ts';
import { postFleetReport } from '../../src/sync/fleet.ts';
import type { KioskConfig } from '../../src/config/types.ts';

const T0 = Date.parse('2026-03-02T08:00:00Z');

/** A report as src/sync/fleet.ts sends it, with `status` fields overridden. */
function report(
  kioskId: string,
  status: Record<string, unknown>,
  top: Record<string, unknown> = {},
) {
  return {
    kioskId,
    name: '查阅终端',
    location: '天河区 政务服务中心 一楼',
    sentAt: new Date(T0).toISOString(),
    status: { ...initialStatus(T0), ...status },
    extras: {},
    ...top,
  };
}

/** `name{labels} value` lines of an exposition, as a map. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

describe('engine of a kiosk', () => {
  it('parses user agents of the engines kiosks run', () => {
    expect(
      engineFromUserAgent(
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/83.0.4103.0 Safari/537.36',
      ),
    ).toEqual({ name: 'chromium', major: 83 });
    expect(
      engineFromUserAgent('Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0'),
    ).toEqual({
      name: 'firefox',
      major: 115,
    });
    expect(
      engineFromUserAgent(
        'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
      ),
    ).toEqual({ name: 'webkit', major: 17 });
    expect(engineFromUserAgent('curl/8.0')).toBeNull();
  });

  it('prefers the engine field in any shape, and keeps names bounded', () => {
    const ua = 'Mozilla/5.0 Chrome/66.0.3359.0';
    expect(browserEngine({ name: 'Chromium', version: '109.0.5414.0' }, ua)).toEqual({
      name: 'chromium',
      major: 109,
    });
    expect(browserEngine('Chromium 83', undefined)).toEqual({ name: 'chromium', major: 83 });
    expect(browserEngine({ name: 'NotABrowser<script>', major: 3 }, ua)).toEqual({
      name: 'chromium',
      major: 66,
    });
    expect(browserEngine({ name: 'chromium', major: 123456 }, undefined)).toEqual({
      name: 'chromium',
      major: null,
    });
    expect(browserEngine(null, 42)).toBeNull();
  });
});

describe('kiosk state from a stored report', () => {
  const stored = (status: Record<string, unknown>, top: Record<string, unknown> = {}) => ({
    ...report('tianhe-hall-0042', status, top),
    receivedAt: new Date(T0).toISOString(),
  });

  it('derives the screen state', () => {
    expect(kioskState(stored({ activeVersion: 3 }))?.screen).toBe('showing');
    expect(kioskState(stored({ activeVersion: 3, stale: true }))?.screen).toBe('stale');
    expect(kioskState(stored({ activeVersion: null }))?.screen).toBe('blank');
    expect(kioskState(stored({ activeVersion: null, recovered: '数据库已重建' }))?.screen).toBe(
      'recovering',
    );
    // Recovered earlier and showing content again: showing.
    expect(kioskState(stored({ activeVersion: 3, recovered: '数据库已重建' }))?.screen).toBe(
      'showing',
    );
    expect(kioskState(stored({ activeVersion: 3 }, { screen: 'blank' }))?.screen).toBe('blank');
    expect(kioskState(stored({ activeVersion: 3 }, { screen: 'on fire' }))?.screen).toBe('showing');
  });

  it('bounds failure causes and labels, and takes site and role from the inventory', () => {
    const s = kioskState(
      stored({
        lastError: { code: 'made-up', message: 'x', at: '' },
        consecutiveFailures: 4,
      }),
    );
    expect(s?.failureCause).toBe('other');
    expect(s?.consecutiveFailures).toBe(4);
    expect(s?.site).toBe('tianhe-hall');
    expect(s?.role).toBe('unknown');
    expect(siteFromId('kiosk')).toBe('kiosk');
    const inv = kioskState(stored({}, { site: 'ignored' }), { site: 'th', role: 'touch' });
    expect([inv?.site, inv?.role]).toEqual(['th', 'touch']);
    expect(kioskState(stored({}, { site: '天河 大厅' }))?.site).toBe('tianhe-hall');
    expect(kioskState({ kioskId: '../etc', receivedAt: '2026-01-01T00:00:00Z' })).toBeNull();
    expect(kioskState({ kioskId: 'a', receivedAt: 'yesterday' })).toBeNull();
  });

  it('reads an inventory file, naming the entry and field at fault', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gk-inv-'));
    try {
      const file = join(dir, 'kiosks.json');
      writeFileSync(file, JSON.stringify({ 'k-1': { site: 'tianhe', role: 'touch' } }));
      expect(readInventory(file).get('k-1')).toEqual({ site: 'tianhe', role: 'touch' });
      writeFileSync(file, JSON.stringify({ 'k-1': { site: '天河区' } }));
      expect(() => readInventory(file)).toThrow(`${file}: kiosk "k-1": field site`);
      writeFileSync(file, '{');
      expect(() => readInventory(file)).toThrow(file);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('fleet serve /metrics', () => {
  let dir: string;
  let server: Server;
  let url: string;
  let now: number;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gk-fleet-metrics-'));
    now = T0;
    ({ server, url } = await startFleetServer(dir, 0, '127.0.0.1', {
      now: () => now,
      rescanMs: 0,
    }));
  });
  afterEach(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (body: unknown) =>
    fetch(url, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.status);
  const scrape = async () => {
    const res = await fetch(`${url}metrics`);
    expect(res.headers.get('content-type')).toContain('application/openmetrics-text');
    const text = await res.text();
    expect(text.endsWith('# EOF\n')).toBe(true);
    return samples(text);
  };

  it('exposes each kiosk’s version, age, failures, skew, storage, screen, engine and counts', async () => {
    expect(
      await post(
        report(
          'tianhe-1',
          {
            activeVersion: 20,
            activeGeneratedAt: new Date(T0 - 3600_000).toISOString(),
            lastError: { code: 'network', message: '同步失败', at: '' },
            consecutiveFailures: 3,
            clockSkewMs: 400_000,
            bytesStored: 5e6,
            persisted: true,
            alertsSequence: 7,
          },
          {
            userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/83.0.4103.0 Safari/537.36',
            extras: {
              counts: {
                days: [
                  { day: '2026-02-28', views: 1, searches: 1, zeroResults: 0 },
                  { day: '2026-03-01', views: 40, searches: 12, zeroResults: 2 },
                ],
              },
            },
          },
        ),
      ),
    ).toBe(204);
    now = T0 + 60_000;
    expect(await post(report('tianhe-2', { activeVersion: 18 }))).toBe(204);
    expect(await post(report('yuexiu-1', { activeVersion: 19 }))).toBe(204);
    expect(await post({ kioskId: 'bad id', status: {} })).toBe(400);
    const m = await scrape();
    const l = 'kiosk="tianhe-1",site="tianhe",role="unknown"';
    expect(m.get(`gongkai_kiosk_last_report_timestamp_seconds{${l}}`)).toBe(T0 / 1000);
    expect(m.get(`gongkai_kiosk_bundle_version{${l}}`)).toBe(20);
    expect(m.get(`gongkai_kiosk_bundle_age_seconds{${l}}`)).toBe(3660);
    expect(m.get(`gongkai_kiosk_versions_behind{${l}}`)).toBe(0);
    expect(
      m.get('gongkai_kiosk_versions_behind{kiosk="tianhe-2",site="tianhe",role="unknown"}'),
    ).toBe(2);
    expect(m.get(`gongkai_kiosk_sync_failures{${l},cause="network"}`)).toBe(3);
    expect(m.get(`gongkai_kiosk_clock_skew_seconds{${l},direction="behind"}`)).toBe(400);
    expect(m.get(`gongkai_kiosk_storage_used_bytes{${l}}`)).toBe(5e6);
    expect(m.get(`gongkai_kiosk_storage_persisted{${l}}`)).toBe(1);
    expect(m.get(`gongkai_kiosk_alerts_sequence{${l}}`)).toBe(7);
    expect(m.get(`gongkai_kiosk_screen{${l},state="showing"}`)).toBe(1);
    expect(m.get(`gongkai_kiosk_screen{${l},state="blank"}`)).toBe(0);
    expect(m.get(`gongkai_kiosk_browser_info{${l},engine="chromium",major="83"}`)).toBe(1);
    expect(m.get(`gongkai_kiosk_views_last_day{${l}}`)).toBe(40);
    expect(m.get(`gongkai_kiosk_zero_results_last_day{${l}}`)).toBe(2);
    expect(m.get('gongkai_estate_kiosks{site="tianhe"}')).toBe(2);
    expect(m.get('gongkai_estate_latest_version')).toBe(20);
    expect(m.get('gongkai_fleet_reports_received_total')).toBe(3);
    expect(m.get('gongkai_fleet_reports_rejected_total{reason="kiosk-id"}')).toBe(1);
    expect(m.has('gongkai_fleet_process_resident_memory_bytes')).toBe(true);
    // No free text in any label: the location and the error sentence stay out.
    for (const key of m.keys()) expect(key).not.toMatch(/天河|同步失败/);
    // A recovered report replaces the failure series rather than adding one.
    await post(report('tianhe-1', { activeVersion: 20 }));
    expect(
      [...(await scrape()).keys()].some((k) =>
        k.startsWith('gongkai_kiosk_sync_failures{kiosk="tianhe-1"'),
      ),
    ).toBe(false);
  });

  it('labels the engine a real kiosk report carries (src/sync/fleet.ts)', async () => {
    const config = { id: 'baiyun-7', name: '终端', location: '白云' } as KioskConfig;
    const sent = await postFleetReport(
      url,
      config,
      initialStatus(T0),
      {},
      {
        now: T0,
        timeoutMs: 5000,
        userAgent:
          'Mozilla/5.0 (Linux; Android 9; wv) AppleWebKit/537.36 Chrome/66.0.3359.158 Safari/537.36',
      },
    );
    expect(sent).toEqual({ ok: true });
    const m = await scrape();
    expect(
      m.get(
        'gongkai_kiosk_browser_info{kiosk="baiyun-7",site="baiyun",role="unknown",engine="chromium",major="66"}',
      ),
    ).toBe(1);
    expect(
      m.get('gongkai_kiosk_screen{kiosk="baiyun-7",site="baiyun",role="unknown",state="blank"}'),
    ).toBe(1);
  });

  it('rebuilds the estate from the directory on start, and sees what another receiver wrote', async () => {
    await post(
      report('hall-1', { activeVersion: 5 }, { engine: { name: 'chromium', version: '109.0' } }),
    );
    const second = await startFleetServer(dir, 0, '127.0.0.1', { now: () => now, rescanMs: 0 });
    try {
      let m = samples(await (await fetch(`${second.url}metrics`)).text());
      expect(m.get('gongkai_kiosk_bundle_version{kiosk="hall-1",site="hall",role="unknown"}')).toBe(
        5,
      );
      // A report taken by the second receiver shows on the first (same directory).
      await fetch(second.url, {
        method: 'POST',
        body: JSON.stringify(report('hall-2', { activeVersion: 6 })),
      });
      m = await scrape();
      expect(m.get('gongkai_kiosk_bundle_version{kiosk="hall-2",site="hall",role="unknown"}')).toBe(
        6,
      );
      expect(
        m.get(
          'gongkai_kiosk_browser_info{kiosk="hall-1",site="hall",role="unknown",engine="chromium",major="109"}',
        ),
      ).toBe(1);
    } finally {
      await new Promise((r) => second.server.close(r));
    }
    expect(fleetReport(dir, now)[0].split('\t')).toContain('engine');
    expect(fleetReport(dir, now).find((l) => l.startsWith('hall-1\t'))).toContain(
      '\tchromium 109\t',
    );
  });
});
