/**
 * `gongkai watchdog`: runs Chromium as the kiosk and restarts it when the page
 * stops sending heartbeats (a crashed renderer, an "Aw, Snap" page, a hung
 * main thread) or when Chromium exits. Meant to run under systemd with
 * `Restart=always` (docs/deploy.md), which in turn restarts the watchdog.
 *
 * The page's heartbeat is a counter (`window.gongkaiHeartbeat`, src/pwa/heartbeat.ts)
 * read over the DevTools protocol on a loopback port. A value that does not
 * grow for `--stale-seconds` means the page is gone.
 *
 * The same read returns how many times in a row the page failed to open its
 * local store (`window.gongkaiStoreFailures`, src/sync/status.ts). Chromium
 * refuses to open, and to delete, an IndexedDB store whose LevelDB files are
 * garbled ("Internal error opening backing store"), and the page cannot fix
 * that itself. A full disk gives the same error with the data intact, so the
 * watchdog acts only when the profile's disk has room: first it restarts
 * Chromium once (harmless, and it clears a refusal left over from a full
 * disk), and if the store still cannot be opened it clears the origin's
 * IndexedDB over the DevTools protocol (`Storage.clearDataForOrigin`) and
 * reloads the page, which then re-syncs its content.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { request, get } from 'node:http';
import type { Socket } from 'node:net';
import { STORE_FAILURES_GLOBAL } from '../../sync/status.ts';

/** Flags for an unattended kiosk: full screen, no prompts, no update or crash bubbles. */
export const KIOSK_FLAGS = [
  '--kiosk',
  '--noerrdialogs',
  '--disable-infobars',
  '--no-first-run',
  '--disable-session-crashed-bubble',
  '--disable-features=Translate,TranslateUI',
  '--check-for-update-interval=31536000',
  '--autoplay-policy=no-user-gesture-required',
  '--overscroll-history-navigation=0',
  '--disable-pinch',
];

export interface WatchdogOptions {
  chromium: string;
  url: string;
  /** DevTools port, bound to 127.0.0.1 only. */
  port: number;
  profile: string;
  staleMs: number;
  /** How long a freshly started Chromium may take to send its first heartbeat. */
  startupMs: number;
  pollMs: number;
  /** Extra Chromium flags (after `--` on the command line). */
  extraArgs: string[];
  /** Failed opens in a row after which an unopenable store is acted on (default 3). */
  storeFailures?: number;
  /** Free bytes the profile's disk needs before the watchdog touches the store (default 64 MiB). */
  minFreeBytes?: number;
  /** After restarting Chromium or clearing the store, how long the page gets to try again (default 20 s). */
  storeGraceMs?: number;
  /** Free bytes on the disk holding `dir` (injectable for tests). */
  freeBytes?: (dir: string) => number;
}

/** What to do about the page's report of failed store opens. */
export type StoreAction = 'none' | 'wait-for-disk' | 'restart' | 'clear';

/**
 * The rule for an unopenable store: nothing below `threshold` failures; never
 * anything while the disk is nearly full (the data is intact, only room is
 * missing, and the page shows that); else a Chromium restart first, and
 * clearing the store only when it is still unopenable after that restart.
 */
export function storeAction(s: {
  failures: number | null;
  threshold: number;
  freeBytes: number;
  minFreeBytes: number;
  restartedForStore: boolean;
}): StoreAction {
  if (s.failures === null || s.failures < s.threshold) return 'none';
  if (s.freeBytes < s.minFreeBytes) return 'wait-for-disk';
  return s.restartedForStore ? 'clear' : 'restart';
}

/** Free bytes for an unprivileged writer on the file system holding `dir` (or its nearest existing parent). */
export function freeBytesAt(dir: string): number {
  let d = dir;
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  const s = statfsSync(d);
  return s.bavail * s.bsize;
}

type Log = (line: string) => void;

/** The DevTools targets list, over plain HTTP. */
function listTargets(
  port: number,
  timeoutMs: number,
): Promise<{ type: string; url: string; webSocketDebuggerUrl?: string }[]> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path: '/json/list', timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        try {
          resolve(
            JSON.parse(body) as { type: string; url: string; webSocketDebuggerUrl?: string }[],
          );
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('DevTools /json/list timed out')));
    req.on('error', reject);
  });
}

/** One masked client text frame (RFC 6455). */
function frame(text: string): Buffer {
  const payload = Buffer.from(text);
  const mask = randomBytes(4);
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x81, 0x80 | len]) : Buffer.alloc(4);
  if (len >= 126) {
    if (len > 0xffff) throw new Error('CDP message too large');
    head[0] = 0x81;
    head[1] = 0x80 | 126;
    head.writeUInt16BE(len, 2);
  }
  const masked = Buffer.alloc(len);
  for (let i = 0; i < len; i++) masked[i] = payload[i] ^ mask[i % 4];
  return Buffer.concat([head, mask, masked]);
}

/** Reads complete unmasked server frames from `buf`; returns texts and the rest. */
function parseFrames(buf: Buffer): { texts: string[]; rest: Buffer } {
  const texts: string[] = [];
  let off = 0;
  for (;;) {
    if (buf.length - off < 2) break;
    const opcode = buf[off] & 0x0f;
    let len = buf[off + 1] & 0x7f;
    let head = 2;
    if (len === 126) {
      if (buf.length - off < 4) break;
      len = buf.readUInt16BE(off + 2);
      head = 4;
    } else if (len === 127) {
      if (buf.length - off < 10) break;
      len = Number(buf.readBigUInt64BE(off + 2));
      head = 10;
    }
    if (buf.length - off < head + len) break;
    if (opcode === 1) texts.push(buf.subarray(off + head, off + head + len).toString('utf8'));
    off += head + len;
  }
  return { texts, rest: buf.subarray(off) };
}

/** Evaluates `expression` in the target over a one-shot WebSocket; rejects after `timeoutMs`. */
export async function evaluateOverCdp(
  wsUrl: string,
  expression: string,
  timeoutMs: number,
): Promise<unknown> {
  const result = (await sendOverCdp(
    wsUrl,
    'Runtime.evaluate',
    { expression, returnByValue: true },
    timeoutMs,
  )) as { result?: { value?: unknown } } | null;
  return result?.result?.value ?? null;
}

/** Sends one DevTools protocol command over a one-shot WebSocket; resolves with its result. */
export function sendOverCdp(
  wsUrl: string,
  method: string,
  params: Record<string, unknown>,
  timeoutMs: number,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const url = new URL(wsUrl);
    let socket: Socket | null = null;
    const timer = setTimeout(() => {
      socket?.destroy();
      req.destroy();
      reject(new Error(`no answer from the page within ${timeoutMs} ms`));
    }, timeoutMs);
    const done = (fn: () => void) => {
      clearTimeout(timer);
      socket?.destroy();
      fn();
    };
    const req = request({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
      },
    });
    req.on('error', (e) => done(() => reject(e)));
    req.on('response', (res) =>
      done(() => reject(new Error(`DevTools refused: HTTP ${res.statusCode}`))),
    );
    req.on('upgrade', (_res, sock: Socket, head: Buffer) => {
      socket = sock;
      let buf = head;
      sock.on('data', (chunk: Buffer) => {
        const parsed = parseFrames(Buffer.concat([buf, chunk]));
        buf = parsed.rest;
        for (const text of parsed.texts) {
          const msg = JSON.parse(text) as {
            id?: number;
            result?: unknown;
            error?: { message: string };
          };
          if (msg.id !== 1) continue;
          if (msg.error) done(() => reject(new Error(msg.error?.message)));
          else done(() => resolve(msg.result ?? null));
        }
      });
      sock.on('error', (e) => done(() => reject(e)));
      sock.write(frame(JSON.stringify({ id: 1, method, params })));
    });
    req.end();
  });
}

/** Keeps one Chromium running the kiosk page, and restarts it when the page stops beating. */
export class Watchdog {
  /** Chromium restarts so far (a crash, a hang or an exit each count one). */
  restarts = 0;
  /** The last heartbeat value read, or null before the first. */
  lastBeat: number | null = null;
  /** Times the origin's IndexedDB was cleared because it could not be opened. */
  storeClears = 0;
  /** Chromium was restarted because the store could not be opened, and it has not opened since. */
  private restartedForStore = false;
  /** When the watchdog last acted on the store (ms): the page gets time to try again. */
  private storeActedAt = 0;
  private waitLogged = false;
  private child: ChildProcess | null = null;
  private lastBeatAt = 0;
  private stopped = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly options: WatchdogOptions,
    private readonly log: Log = (line) => console.log(line),
  ) {}

  /** Process id of the running Chromium, or null. */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** Runs until {@link stop}; resolves with the exit code. */
  async run(): Promise<number> {
    this.launch();
    while (!this.stopped) {
      await new Promise<void>((r) => {
        const t = setTimeout(r, this.options.pollMs);
        this.wake = () => {
          clearTimeout(t);
          r();
        };
      });
      if (this.stopped) break;
      if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) {
        this.log(
          `[watchdog] Chromium exited (${this.child?.exitCode ?? this.child?.signalCode}); restarting`,
        );
        await this.restart();
        continue;
      }
      const { beat, storeFailures, wsUrl } = await this.readPage();
      if (await this.checkStore(storeFailures, wsUrl)) continue;
      if (typeof beat === 'number' && beat !== this.lastBeat) {
        this.lastBeat = beat;
        this.lastBeatAt = Date.now();
      } else if (
        Date.now() - this.lastBeatAt >
        (this.lastBeat === null ? this.options.startupMs : this.options.staleMs)
      ) {
        this.log(
          `[watchdog] no heartbeat for ${Math.round((Date.now() - this.lastBeatAt) / 1000)} s; restarting Chromium`,
        );
        await this.restart();
      }
    }
    await this.kill();
    return 0;
  }

  /** Stops the loop and Chromium. */
  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  /** The page's heartbeat and failed store opens (null when unknown), and its DevTools socket. */
  private async readPage(): Promise<{
    beat: unknown;
    storeFailures: number | null;
    wsUrl: string | null;
  }> {
    const none = { beat: null, storeFailures: null, wsUrl: null };
    try {
      const origin = new URL(this.options.url).origin;
      const targets = await listTargets(this.options.port, 3000);
      const page = targets.find((t) => t.type === 'page' && t.url.startsWith(origin));
      if (!page?.webSocketDebuggerUrl) return none;
      const value = await evaluateOverCdp(
        page.webSocketDebuggerUrl,
        `[globalThis.gongkaiHeartbeat ?? null, globalThis.${STORE_FAILURES_GLOBAL} ?? null]`,
        3000,
      );
      const [beat, failures] = Array.isArray(value) ? (value as unknown[]) : [null, null];
      return {
        beat,
        storeFailures: typeof failures === 'number' ? failures : null,
        wsUrl: page.webSocketDebuggerUrl,
      };
    } catch {
      return none;
    }
  }

  /** Acts on an unopenable store ({@link storeAction}); true when Chromium was restarted. */
  private async checkStore(failures: number | null, wsUrl: string | null): Promise<boolean> {
    const o = this.options;
    if (failures === 0) {
      this.restartedForStore = false;
      this.waitLogged = false;
    }
    // After a restart or a clear, the page gets time to start and try again.
    if (Date.now() - this.storeActedAt < (o.storeGraceMs ?? 20_000)) return false;
    const action = storeAction({
      failures,
      threshold: o.storeFailures ?? 3,
      freeBytes: (o.freeBytes ?? freeBytesAt)(o.profile),
      minFreeBytes: o.minFreeBytes ?? 64 * 1024 * 1024,
      restartedForStore: this.restartedForStore,
    });
    if (action === 'wait-for-disk') {
      if (!this.waitLogged)
        this.log(
          `[watchdog] the page cannot open its store and the profile's disk is nearly full: leaving the data alone until there is room`,
        );
      this.waitLogged = true;
    } else if (action === 'restart') {
      this.log(
        `[watchdog] the page failed to open its store ${failures} times in a row; restarting Chromium`,
      );
      this.restartedForStore = true;
      this.storeActedAt = Date.now();
      await this.restart();
      return true;
    } else if (action === 'clear' && wsUrl) {
      const origin = new URL(o.url).origin;
      this.log(
        `[watchdog] the store of ${origin} still cannot be opened after a restart; clearing its IndexedDB so the page re-syncs`,
      );
      this.storeActedAt = Date.now();
      try {
        // Off the kiosk page first, so none of its own retries holds the store while it is cleared.
        await sendOverCdp(wsUrl, 'Page.navigate', { url: 'about:blank' }, 10_000);
        await sendOverCdp(
          wsUrl,
          'Storage.clearDataForOrigin',
          { origin, storageTypes: 'indexeddb' },
          30_000,
        );
        this.storeClears++;
        this.restartedForStore = false;
        await sendOverCdp(wsUrl, 'Page.navigate', { url: o.url }, 10_000);
      } catch (e) {
        this.log(`[watchdog] clearing the store failed: ${e instanceof Error ? e.message : e}`);
      }
    }
    return false;
  }

  private launch(): void {
    const o = this.options;
    const args = [
      ...KIOSK_FLAGS,
      `--remote-debugging-port=${o.port}`,
      '--remote-debugging-address=127.0.0.1',
      `--user-data-dir=${o.profile}`,
      ...o.extraArgs,
      o.url,
    ];
    this.child = spawn(o.chromium, args, { stdio: 'ignore' });
    this.child.on('error', (e) => this.log(`[watchdog] cannot start ${o.chromium}: ${e.message}`));
    // The page gets `startupMs` to load before its silence counts.
    this.lastBeatAt = Date.now();
    this.lastBeat = null;
    this.log(`[watchdog] started Chromium pid ${this.child.pid ?? '?'} on ${o.url}`);
  }

  private async kill(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  private async restart(): Promise<void> {
    await this.kill();
    if (this.stopped) return;
    this.restarts++;
    this.launch();
  }
}

const USAGE = `usage: gongkai watchdog --url <kiosk URL> [--chromium <path>] [--port 9222]
       [--profile <dir>] [--stale-seconds 30] [--startup-seconds 120] [--poll-seconds 5]
       [--store-failures 3] [--min-free-mb 64] [-- <extra Chromium flags>]`;

/** Parses the command line and runs the watchdog until SIGTERM/SIGINT. */
export async function watchdogCommand(argv: string[]): Promise<number> {
  const sep = argv.indexOf('--');
  const own = sep >= 0 ? argv.slice(0, sep) : argv;
  const extraArgs = sep >= 0 ? argv.slice(sep + 1) : [];
  const values = new Map<string, string>();
  for (let i = 0; i < own.length; i += 2) {
    const key = own[i];
    const value = own[i + 1];
    if (!key.startsWith('--') || value === undefined) {
      console.error(`gongkai watchdog: bad argument ${key}\n${USAGE}`);
      return 2;
    }
    values.set(key.slice(2), value);
  }
  const known = [
    'url',
    'chromium',
    'port',
    'profile',
    'stale-seconds',
    'startup-seconds',
    'poll-seconds',
    'store-failures',
    'min-free-mb',
  ];
  for (const key of values.keys())
    if (!known.includes(key)) {
      console.error(`gongkai watchdog: unknown option --${key}\n${USAGE}`);
      return 2;
    }
  const url = values.get('url');
  if (!url) {
    console.error(`gongkai watchdog: --url is required\n${USAGE}`);
    return 2;
  }
  const number = (key: string, fallback: number): number => {
    const raw = values.get(key);
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(n) || n <= 0)
      throw new Error(`gongkai watchdog: --${key} must be a positive number, got ${raw}`);
    return n;
  };
  const chromium =
    values.get('chromium') ??
    ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) =>
      existsSync(p),
    );
  if (!chromium) {
    console.error('gongkai watchdog: no Chromium found; pass --chromium <path>');
    return 2;
  }
  let options: WatchdogOptions;
  try {
    options = {
      chromium,
      url,
      port: number('port', 9222),
      profile: values.get('profile') ?? `${process.env.HOME ?? '/tmp'}/.config/gongkai-kiosk`,
      staleMs: number('stale-seconds', 30) * 1000,
      startupMs: number('startup-seconds', 120) * 1000,
      pollMs: number('poll-seconds', 5) * 1000,
      storeFailures: number('store-failures', 3),
      minFreeBytes: number('min-free-mb', 64) * 1024 * 1024,
      extraArgs,
    };
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    return 2;
  }
  const dog = new Watchdog(options);
  const stop = () => dog.stop();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  try {
    return await dog.run();
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
  }
}
