// The kiosk's fleet report (src/sync/fleet.ts) against the `gongkai fleet`
// receiver (src/cli/commands/fleet.ts) over loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { fleetReport, startFleetServer } from '../../src/cli/commands/fleet.ts';
import { postFleetReport } from '../../src/sync/fleet.ts';
import { initialStatus } from '../../src/sync/status.ts';
import { validateConfig } from '../../src/config/validate.ts';

const config = validateConfig(
  'kiosk-config/default.json',
  JSON.parse(readFileSync('kiosk-config/default.json', 'utf8')),
).config!;

describe('fleet status', () => {
  let dir: string;
  let server: Server;
  let url: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gk-fleet-'));
    ({ server, url } = await startFleetServer(dir, 0));
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores one file per kiosk and reports versions, errors and silent kiosks', async () => {
    const now = Date.now();
    const status = {
      ...initialStatus(now),
      activeVersion: 12,
      lastError: { code: 'http' as const, message: '内容服务器出错：HTTP 500', at: '' },
    };
    expect(await postFleetReport(url, config, status, {}, { now, timeoutMs: 5000 })).toEqual({
      ok: true,
    });
    // A second report from the same kiosk replaces the first.
    await postFleetReport(
      url,
      config,
      { ...status, activeVersion: 13 },
      {},
      { now, timeoutMs: 5000 },
    );
    // One state file per kiosk; the JSON-lines log keeps both reports for a log shipper.
    expect(readdirSync(dir).filter((n) => n.endsWith('.json'))).toEqual(['default.json']);
    const [log] = readdirSync(join(dir, 'log'));
    const logged = readFileSync(join(dir, 'log', log), 'utf8')
      .trim()
      .split('\n');
    expect(logged.map((l) => (JSON.parse(l) as { activeVersion: number }).activeVersion)).toEqual([
      12, 13,
    ]);
    writeFileSync(
      join(dir, 'hall-2.json'),
      JSON.stringify({
        kioskId: 'hall-2',
        // Three hours before `now` (silent after two), whatever day the test runs on.
        receivedAt: new Date(now - 3 * 3_600_000).toISOString(),
        status: { activeVersion: 9 },
      }),
    );
    const lines = fleetReport(dir, now);
    expect(lines[1]).toMatch(/^default\t演示环境.*\t13\t.*\tok\t内容服务器出错：HTTP 500$/);
    expect(lines[2]).toMatch(/^hall-2\t\t9\t.*\tSILENT\t$/);
  });

  it('skips JSON files that are not kiosk reports, with a warning', () => {
    const other = mkdtempSync(join(tmpdir(), 'gk-fleet-other-'));
    try {
      const report = { kioskId: 'hall-3', receivedAt: new Date(0).toISOString() };
      writeFileSync(join(other, 'hall-3.json'), JSON.stringify(report));
      writeFileSync(join(other, 'package.json'), JSON.stringify({ name: 'x', version: '1.0.0' }));
      writeFileSync(join(other, 'list.json'), '[1, 2]');
      writeFileSync(join(other, 'null.json'), 'null');
      writeFileSync(join(other, 'renamed.json'), JSON.stringify(report));
      writeFileSync(
        join(other, 'odd.json'),
        JSON.stringify({ ...report, kioskId: 'odd', status: 5 }),
      );
      const warnings: string[] = [];
      const lines = fleetReport(other, Date.now(), 120, (m) => warnings.push(m));
      expect(lines.slice(1).map((l) => l.split('\t')[0])).toEqual(['hall-3', 'odd']);
      expect(lines[2]).toMatch(/^odd\t\tnone\t/);
      expect(warnings.sort()).toEqual(
        ['list.json', 'null.json', 'package.json', 'renamed.json'].map(
          (f) => `gongkai fleet report: skipping ${join(other, f)}: not a kiosk status report`,
        ),
      );
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('refuses a report without a safe kiosk id, and a failing endpoint is only reported', async () => {
    const res = await fetch(url, { method: 'POST', body: JSON.stringify({ kioskId: '../x' }) });
    expect(res.status).toBe(400);
    const down = await postFleetReport(
      'http://127.0.0.1:9/',
      config,
      initialStatus(0),
      {},
      {
        now: 0,
        timeoutMs: 2000,
      },
    );
    expect(down.ok).toBe(false);
  });
});
