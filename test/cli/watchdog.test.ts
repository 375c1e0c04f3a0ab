// The watchdog's rule for a store the page cannot open (issue #6: an
// unopenable database is cleared and re-synced; a full disk must never lose
// content). A fake DevTools endpoint plays the page: it answers the
// watchdog's Runtime.evaluate with a heartbeat and a count of failed opens,
// and records every other command. Chromium is a process that just waits.
import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeBytesAt, storeAction, Watchdog } from '../../src/cli/commands/watchdog.ts';

const KIOSK = 'http://127.0.0.1:4999/';
const MiB = 1024 * 1024;

/** A DevTools endpoint with one kiosk page whose failed-open count the test sets. */
async function fakeDevTools(): Promise<{
  port: number;
  failures: number | null;
  commands: { method: string; params: Record<string, unknown> }[];
  close(): Promise<void>;
}> {
  const state = {
    failures: null as number | null,
    commands: [] as { method: string; params: Record<string, unknown> }[],
  };
  let beat = 1;
  const sockets = new Set<Socket>();
  const server: Server = createServer((_req, res) => {
    const { port } = server.address() as AddressInfo;
    res.setHeader('Content-Type', 'application/json');
    res.end(
      JSON.stringify([
        { type: 'page', url: KIOSK, webSocketDebuggerUrl: `ws://127.0.0.1:${port}/page/1` },
      ]),
    );
  });
  server.on('upgrade', (req, socket: Socket) => {
    sockets.add(socket);
    const accept = createHash('sha1')
      .update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
      .digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    socket.on('data', (buf: Buffer) => {
      // One small masked client frame per connection (the watchdog's one-shot commands).
      let len = buf[1] & 0x7f;
      let off = 2;
      if (len === 126) {
        len = buf.readUInt16BE(2);
        off = 4;
      }
      const mask = buf.subarray(off, off + 4);
      const payload = Buffer.from(
        buf.subarray(off + 4, off + 4 + len).map((b, i) => b ^ mask[i % 4]),
      );
      const msg = JSON.parse(payload.toString('utf8')) as {
        id: number;
        method: string;
        params: Record<string, unknown>;
      };
      let result: unknown = {};
      if (msg.method === 'Runtime.evaluate') {
        result = { result: { value: [beat++, state.failures] } };
      } else {
        state.commands.push({ method: msg.method, params: msg.params });
      }
      const text = Buffer.from(JSON.stringify({ id: msg.id, result }));
      const head =
        text.length < 126
          ? Buffer.from([0x81, text.length])
          : Buffer.from([0x81, 126, text.length >> 8, text.length & 0xff]);
      socket.write(Buffer.concat([head, text]));
    });
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return Object.assign(state, {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  });
}

describe('storeAction', () => {
  const base = { threshold: 3, freeBytes: 1024 * MiB, minFreeBytes: 64 * MiB };
  it('waits for the threshold, never touches a store on a nearly full disk, restarts before clearing', () => {
    expect(storeAction({ ...base, failures: null, restartedForStore: false })).toBe('none');
    expect(storeAction({ ...base, failures: 2, restartedForStore: true })).toBe('none');
    expect(storeAction({ ...base, failures: 3, restartedForStore: false })).toBe('restart');
    expect(storeAction({ ...base, failures: 9, restartedForStore: true })).toBe('clear');
    for (const restartedForStore of [false, true])
      expect(storeAction({ ...base, failures: 9, freeBytes: MiB, restartedForStore })).toBe(
        'wait-for-disk',
      );
  });

  it('reads free space from the nearest existing directory', () => {
    expect(freeBytesAt(join(tmpdir(), 'gk-no-such-dir', 'profile'))).toBeGreaterThan(0);
  });
});

describe('Watchdog and a store the page cannot open', () => {
  let work: string;
  let devtools: Awaited<ReturnType<typeof fakeDevTools>> | null = null;
  let dog: Watchdog | null = null;
  let running: Promise<number> | null = null;

  afterEach(async () => {
    dog?.stop();
    await running;
    await devtools?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  async function start(freeBytes: number): Promise<{ log: string[] }> {
    work = mkdtempSync(join(tmpdir(), 'gk-watchdog-unit-'));
    // A "Chromium" that only waits to be killed.
    const fake = join(work, 'chromium');
    writeFileSync(fake, '#!/bin/sh\nexec sleep 600\n');
    chmodSync(fake, 0o755);
    devtools = await fakeDevTools();
    const log: string[] = [];
    dog = new Watchdog(
      {
        chromium: fake,
        url: KIOSK,
        port: devtools.port,
        profile: join(work, 'profile'),
        staleMs: 60_000,
        startupMs: 60_000,
        pollMs: 30,
        storeGraceMs: 100,
        freeBytes: () => freeBytes,
        extraArgs: [],
      },
      (line) => log.push(line),
    );
    running = dog.run();
    return { log };
  }

  it('restarts Chromium once, then clears the origin’s IndexedDB and reloads the page', async () => {
    const { log } = await start(1024 * MiB);
    const d = devtools!;
    d.failures = 3;
    await expect.poll(() => dog!.restarts, { timeout: 3000, interval: 20 }).toBe(1);
    expect(d.commands).toEqual([]);
    await expect.poll(() => d.commands.length, { timeout: 3000, interval: 20 }).toBe(3);
    expect(dog!.storeClears).toBe(1);
    // Off the page (no retry of its own holds the store), cleared, back to the kiosk.
    expect(d.commands).toEqual([
      { method: 'Page.navigate', params: { url: 'about:blank' } },
      {
        method: 'Storage.clearDataForOrigin',
        params: { origin: 'http://127.0.0.1:4999', storageTypes: 'indexeddb' },
      },
      { method: 'Page.navigate', params: { url: KIOSK } },
    ]);
    expect(dog!.restarts).toBe(1);
    expect(log.join('\n')).toMatch(/restarting Chromium[\s\S]*clearing its IndexedDB/);
  });

  it('a store that opens after the restart is left alone', async () => {
    await start(1024 * MiB);
    const d = devtools!;
    d.failures = 4;
    await expect.poll(() => dog!.restarts, { timeout: 3000, interval: 20 }).toBe(1);
    d.failures = 0;
    await new Promise((r) => setTimeout(r, 300));
    // A later failure starts over with a restart, not a clear.
    d.failures = 3;
    await expect.poll(() => dog!.restarts, { timeout: 3000, interval: 20 }).toBe(2);
    expect(dog!.storeClears).toBe(0);
    expect(d.commands).toEqual([]);
  });

  it('on a nearly full disk it never restarts for the store and never clears it', async () => {
    const { log } = await start(MiB);
    devtools!.failures = 12;
    await new Promise((r) => setTimeout(r, 600));
    expect(dog!.restarts).toBe(0);
    expect(dog!.storeClears).toBe(0);
    expect(devtools!.commands).toEqual([]);
    expect(log.filter((l) => /nearly full/.test(l))).toHaveLength(1);
  });
});
