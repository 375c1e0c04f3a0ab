// The shipped nginx snippets for the fleet receivers (docs/fleet/nginx-fleet-*.conf),
// inside the documented app server (docs/nginx.conf), pass `nginx -t`, and nginx
// then passes a kiosk report to the receiver and refuses anything else under /fleet/.
// `npm run simulate` serves its kiosks through the same configuration.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFleetServer } from '../../src/cli/commands/fleet.ts';
import { findNginx, freePort, simNginxConfig } from '../sim/hosts.ts';

const nginx = findNginx();
if (!nginx && process.env.CI)
  throw new Error('nginx is missing: .ci/run installs it (apt-get install nginx)');
if (!nginx) console.warn('fleet-nginx.test.ts: nginx not installed, skipping (CI would fail)');

describe.skipIf(!nginx)('nginx in front of the fleet receiver', () => {
  let prefix: string;
  let proc: ChildProcess;
  let receiver: Server;
  let base: string;

  beforeAll(async () => {
    prefix = mkdtempSync(join(tmpdir(), 'gk-fleet-nginx-'));
    chmodSync(prefix, 0o755);
    mkdirSync(join(prefix, 'app'));
    const started = await startFleetServer(join(prefix, 'status'), 0);
    receiver = started.server;
    const port = await freePort();
    const conf = join(prefix, 'nginx.conf');
    writeFileSync(
      conf,
      simNginxConfig({
        port,
        root: join(prefix, 'app'),
        prefix,
        receiverPort: Number(new URL(started.url).port),
      }),
    );
    const args = ['-p', prefix, '-e', join(prefix, 'error.log'), '-c', conf];
    const test = spawnSync(nginx!, [...args, '-t'], { encoding: 'utf8' });
    expect(test.status, test.stderr).toBe(0);
    proc = spawn(nginx!, [...args, '-g', 'daemon off;'], { stdio: 'ignore' });
    base = `http://127.0.0.1:${port}/`;
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        await fetch(base);
        break;
      } catch {
        if (Date.now() > deadline) throw new Error('nginx did not start');
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  });

  afterAll(async () => {
    proc?.kill('SIGTERM');
    await new Promise((r) => receiver?.close(r));
    if (prefix) rmSync(prefix, { recursive: true, force: true });
  });

  it('passes POST /fleet/report to the receiver and nothing else', async () => {
    const res = await fetch(`${base}fleet/report`, {
      method: 'POST',
      body: JSON.stringify({ kioskId: 'hall-1', status: { activeVersion: 4 } }),
    });
    expect(res.status).toBe(204);
    expect(readdirSync(join(prefix, 'status'))).toContain('hall-1.json');
    expect((await fetch(`${base}fleet/report`)).status).toBe(403);
    expect((await fetch(`${base}fleet/metrics`)).status).toBe(404);
  });
});
