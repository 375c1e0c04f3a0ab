// Drives any Chromium from 66 on over the raw DevTools protocol (a WebSocket
// from `ws`), for the old-engine tests and the low-end bench rows.
// playwright-core's connectOverCDP needs Browser.setDownloadBehavior, which
// Chromium 66 lacks, so it cannot attach there; the handful of commands used
// here exist unchanged from 66 to today's Chromium.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { CLOCK_SCRIPT, PAGE_HELPERS } from './cdp-scripts.ts';

/** A browser build to start: its binary, environment and flags. */
export interface EngineSpec {
  /** Short name for tables, e.g. "66" or "system". */
  name: string;
  /** Chromium major version. */
  major: number;
  bin: string;
  env: Record<string, string>;
  args: string[];
}

type Params = Record<string, unknown>;
type Handler = (params: Params) => void;

/** One DevTools WebSocket (the browser's or a page's). */
export class CdpConnection {
  private seq = 0;
  private readonly pending = new Map<
    number,
    { resolve: (v: Params) => void; reject: (e: Error) => void; method: string }
  >();
  private readonly handlers = new Map<string, Set<Handler>>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: WebSocket.RawData) => {
      const msg = JSON.parse(data.toString()) as {
        id?: number;
        method?: string;
        params?: Params;
        result?: Params;
        error?: { message: string };
      };
      if (msg.id !== undefined) {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.error) p?.reject(new Error(`${p.method}: ${msg.error.message}`));
        else p?.resolve(msg.result ?? {});
      } else if (msg.method) {
        for (const h of this.handlers.get(msg.method) ?? []) h(msg.params ?? {});
      }
    });
    ws.on('close', () => {
      for (const p of this.pending.values()) p.reject(new Error(`${p.method}: connection closed`));
      this.pending.clear();
    });
  }

  /** Opens a DevTools WebSocket. */
  static open(url: string): Promise<CdpConnection> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 512 * 2 ** 20 });
      ws.once('open', () => resolve(new CdpConnection(ws)));
      ws.once('error', reject);
    });
  }

  /** Sends a command; rejects on a protocol error or after `timeoutMs`. */
  send<T = Params>(method: string, params: Params = {}, timeoutMs = 30_000): Promise<T> {
    const id = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        method,
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Listens to an event; returns the function that stops listening. */
  on(event: string, handler: Handler): () => void {
    const set = this.handlers.get(event) ?? new Set<Handler>();
    set.add(handler);
    this.handlers.set(event, set);
    return () => set.delete(handler);
  }

  close(): void {
    this.ws.close();
  }
}

/** One page (tab) of a {@link CdpBrowser}. */
export class CdpPage {
  /** Uncaught exceptions and console errors since the last {@link goto}. */
  readonly errors: string[] = [];

  /** Requests that failed (`net::ERR_… url`) since the last {@link goto}. */
  readonly failedRequests: string[] = [];
  private readonly urls = new Map<string, string>();

  constructor(readonly cdp: CdpConnection) {
    cdp.on('Network.requestWillBeSent', (p) => {
      this.urls.set(String(p.requestId), (p.request as { url: string }).url);
    });
    cdp.on('Network.loadingFailed', (p) => {
      if (p.canceled) return;
      this.failedRequests.push(
        `${String(p.errorText)} ${this.urls.get(String(p.requestId)) ?? ''}`,
      );
    });
    cdp.on('Runtime.exceptionThrown', (p) => {
      const d = p.exceptionDetails as { text?: string; exception?: { description?: string } };
      this.errors.push(d.exception?.description?.split('\n')[0] ?? d.text ?? 'exception');
    });
    cdp.on('Runtime.consoleAPICalled', (p) => {
      if (p.type !== 'error') return;
      const args = p.args as { value?: unknown; description?: string }[];
      this.errors.push(args.map((a) => String(a.value ?? a.description ?? '')).join(' '));
    });
  }

  /** Enables the domains used, sets the viewport and (optionally) the fake clock. */
  async init(viewport: { width: number; height: number }, clock: boolean): Promise<void> {
    await this.cdp.send('Page.enable');
    await this.cdp.send('Runtime.enable');
    await this.cdp.send('Network.enable');
    await this.cdp.send('Emulation.setDeviceMetricsOverride', {
      ...viewport,
      deviceScaleFactor: 1,
      mobile: false,
    });
    if (clock)
      await this.cdp.send('Page.addScriptToEvaluateOnNewDocument', { source: CLOCK_SCRIPT });
  }

  /** Runs `source` in every new document of this page, before the page's own scripts. */
  async addInitScript(source: string): Promise<void> {
    await this.cdp.send('Page.addScriptToEvaluateOnNewDocument', { source });
  }

  /** Navigates and waits for the load event (`timeoutMs`). */
  async goto(url: string, timeoutMs = 30_000): Promise<void> {
    this.errors.length = 0;
    this.failedRequests.length = 0;
    this.urls.clear();
    const loaded = this.event('Page.loadEventFired', timeoutMs);
    const r = await this.cdp.send<{ errorText?: string }>('Page.navigate', { url });
    if (r.errorText) throw new Error(`navigating to ${url}: ${r.errorText}`);
    await loaded;
  }

  /** Resolves on the next `event`, rejects after `timeoutMs`. */
  event(event: string, timeoutMs: number): Promise<Params> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`no ${event} in ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.cdp.on(event, (p) => {
        clearTimeout(timer);
        off();
        resolve(p);
      });
    });
  }

  /**
   * Evaluates `expression` (page helpers gkDeep/gkText in scope, promises
   * awaited) and returns its value as JSON; throws the page's exception.
   */
  async evaluate<T>(expression: string): Promise<T> {
    const r = await this.cdp.send<{
      result: { value?: unknown };
      exceptionDetails?: { text?: string; exception?: { description?: string } };
    }>('Runtime.evaluate', {
      expression: `${PAGE_HELPERS}\n${expression}`,
      returnByValue: true,
      awaitPromise: true,
    });
    if (r.exceptionDetails) {
      const d = r.exceptionDetails;
      throw new Error(`in page: ${d.exception?.description?.split('\n')[0] ?? d.text}`);
    }
    return r.result.value as T;
  }

  /**
   * Polls `expression` until `done(value)` (default: truthy); returns the last
   * value. Never throws on timeout: the caller judges the value it gets.
   */
  async poll<T>(
    expression: string,
    timeoutMs: number,
    done: (v: T) => boolean = Boolean,
    everyMs = 150,
  ): Promise<T> {
    const end = Date.now() + timeoutMs;
    let value = undefined as T;
    for (;;) {
      try {
        value = await this.evaluate<T>(expression);
        if (done(value)) return value;
      } catch {
        // Navigating: the execution context is being replaced.
      }
      if (Date.now() > end) return value;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }

  /** Jumps the page's fake clock (see init) forward. */
  async fastForward(ms: number): Promise<void> {
    await this.evaluate(`window.__gkClock.fastForward(${Number(ms)})`);
  }

  /** A PNG of the viewport. */
  async screenshot(): Promise<Buffer> {
    const r = await this.cdp.send<{ data: string }>('Page.captureScreenshot', { format: 'png' });
    return Buffer.from(r.data, 'base64');
  }

  /**
   * The centre of the first element matching `css` (through shadow roots)
   * whose text contains `text`, scrolled into view; null when there is none.
   */
  async centre(css: string, text = ''): Promise<{ x: number; y: number } | null> {
    return this.evaluate(`(function () {
      var el = gkDeep(${JSON.stringify(css)}).filter(function (e) {
        return (e.textContent || '').indexOf(${JSON.stringify(text)}) >= 0;
      })[0];
      if (!el) return null;
      el.scrollIntoView({ block: 'center' });
      var r = el.getBoundingClientRect();
      return r.width > 0 ? { x: r.left + r.width / 2, y: r.top + r.height / 2 } : null;
    })()`);
  }

  /** Clicks (real mouse events) the element {@link centre} finds; throws when there is none. */
  async click(css: string, text = ''): Promise<void> {
    const at = await this.centre(css, text);
    if (!at) throw new Error(`nothing to click: ${css}${text ? ` with text ${text}` : ''}`);
    await this.clickAt(at.x, at.y);
  }

  async clickAt(x: number, y: number): Promise<void> {
    await this.cdp.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y });
    for (const type of ['mousePressed', 'mouseReleased'])
      await this.cdp.send('Input.dispatchMouseEvent', {
        type,
        x,
        y,
        button: 'left',
        clickCount: 1,
      });
  }

  /** A one-finger tap (touch events). */
  async tapAt(x: number, y: number): Promise<void> {
    await this.cdp.send('Input.dispatchTouchEvent', {
      type: 'touchStart',
      touchPoints: [{ x, y }],
    });
    await this.cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  }

  /** Presses and releases a key (`key` as in KeyboardEvent.key; `text` for printable keys). */
  async press(key: string, code = key, modifiers = 0, text?: string): Promise<void> {
    await this.cdp.send('Input.dispatchKeyEvent', {
      type: text ? 'keyDown' : 'rawKeyDown',
      key,
      code,
      modifiers,
      text,
    });
    await this.cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key, code, modifiers });
  }

  /** CPU throttling (1 = none; 4 = a quarter of this machine's speed). */
  async throttleCpu(rate: number): Promise<void> {
    await this.cdp.send('Emulation.setCPUThrottlingRate', { rate });
  }

  /** Network offline emulation and the HTTP cache switch. */
  async network(opts: { offline?: boolean; cacheDisabled?: boolean }): Promise<void> {
    if (opts.offline !== undefined)
      await this.cdp.send('Network.emulateNetworkConditions', {
        offline: opts.offline,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: -1,
      });
    if (opts.cacheDisabled !== undefined)
      await this.cdp.send('Network.setCacheDisabled', { cacheDisabled: opts.cacheDisabled });
  }

  close(): void {
    this.cdp.close();
  }
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? ok(a.port) : fail(new Error('no port'))));
    });
  });
}

export interface LaunchOptions {
  /** Profile folder; a temporary one (deleted on close) when omitted. */
  profile?: string;
  /** Host names resolved to 127.0.0.1 (a non-localhost origin on loopback). */
  hosts?: string[];
}

/** A running Chromium, driven over its browser WebSocket. */
export class CdpBrowser {
  private constructor(
    readonly spec: EngineSpec,
    readonly version: string,
    readonly port: number,
    readonly profile: string,
    private readonly child: ChildProcess,
    private readonly browserWs: CdpConnection,
    private readonly ownProfile: boolean,
  ) {}

  /** Starts `spec` with a DevTools port and waits until it answers (30 s). */
  static async launch(spec: EngineSpec, opts: LaunchOptions = {}): Promise<CdpBrowser> {
    const port = await freePort();
    const profile = opts.profile ?? mkdtempSync(join(tmpdir(), 'gk-cdp-profile-'));
    const args = [
      ...spec.args,
      `--remote-debugging-port=${port}`,
      `--user-data-dir=${profile}`,
      '--lang=zh-CN',
      '--disable-background-networking',
      '--disable-component-update',
      ...(opts.hosts?.length
        ? [`--host-resolver-rules=${opts.hosts.map((h) => `MAP ${h} 127.0.0.1`).join(', ')}`]
        : []),
      'about:blank',
    ];
    const child = spawn(spec.bin, args, {
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-3000)));
    const end = Date.now() + 30_000;
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/json/version`);
        const v = (await res.json()) as { Browser: string; webSocketDebuggerUrl: string };
        const ws = await CdpConnection.open(v.webSocketDebuggerUrl);
        return new CdpBrowser(spec, v.Browser, port, profile, child, ws, !opts.profile);
      } catch (err) {
        if (child.exitCode !== null || Date.now() > end) {
          killGroup(child);
          throw new Error(
            `${spec.bin} did not answer on :${port} (${String(err)}); stderr:\n${stderr}`,
            { cause: err },
          );
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  /** A new tab, with the fake clock installed when `clock` is set. */
  async newPage(
    viewport = { width: 1920, height: 1080 },
    opts: { clock?: boolean } = {},
  ): Promise<CdpPage> {
    const { targetId } = await this.browserWs.send<{ targetId: string }>('Target.createTarget', {
      url: 'about:blank',
    });
    const page = new CdpPage(
      await CdpConnection.open(`ws://127.0.0.1:${this.port}/devtools/page/${targetId}`),
    );
    await page.init(viewport, opts.clock ?? false);
    return page;
  }

  /** Browser.close, then the process group is killed if it lingers; a temporary profile is removed. */
  async close(): Promise<void> {
    const exited = new Promise<void>((r) =>
      this.child.exitCode !== null ? r() : this.child.once('exit', () => r()),
    );
    await this.browserWs.send('Browser.close', {}, 5000).catch(() => undefined);
    this.browserWs.close();
    // A graceful exit flushes the profile (cache storage, IndexedDB) to disk; only a
    // browser that hangs is killed.
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      killGroup(this.child);
    }, 20_000);
    await exited;
    clearTimeout(timer);
    if (killed && process.env.CDP_DEBUG) console.error(`[cdp] ${this.version} killed after 20 s`);
    killGroup(this.child);
    if (this.ownProfile) rmSync(this.profile, { recursive: true, force: true });
  }
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
