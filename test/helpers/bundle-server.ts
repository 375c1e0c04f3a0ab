// A real HTTP server on loopback for sync tests: serves the built app (dist/)
// with its CSP headers, and a bundle at /bundles/demo/ from memory, with
// injectable faults. Same origin for both, as the app's CSP requires.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import { CSP } from '../../vite.config.ts';

/** Faults applied to requests under /bundles/demo/. Each predicate gets the bundle path. */
export interface Faults {
  /** Answer with this HTTP status. */
  status?: { match: (path: string) => boolean; code: number };
  /** Send the headers and this many bytes, then destroy the socket. */
  dropAfter?: { match: (path: string) => boolean; bytes: number };
  /** Flip one byte of the body (at its middle). */
  flipByte?: (path: string) => boolean;
  /** Wait this long before answering. */
  delayMs?: { match: (path: string) => boolean; ms: number };
  /** Append this many bytes to the body (and to Content-Length). */
  oversize?: { match: (path: string) => boolean; bytes: number };
}

export interface BundleServer {
  url: string;
  /** The bundle files served at /bundles/demo/, by path. Replace freely. */
  bundle: Map<string, Uint8Array>;
  faults: Faults;
  /** Bundle paths requested (200 answers), in order. */
  served: string[];
  /** Bodies POSTed to /fleet. */
  fleetReports: unknown[];
  /** Status of /fleet answers (500 to test a failing endpoint). */
  fleetStatus: number;
  /** Extra static files (path without leading slash → body and content type). */
  extra: Map<string, { body: Uint8Array | string; type: string }>;
  /**
   * The clock behind the `Date` header of bundle answers. A test that fakes the
   * device clock sets it too, so the engine's trusted time never sees today's date.
   */
  now?: () => number;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
  '.map': 'application/json',
};

export async function startBundleServer(distDir = 'dist'): Promise<BundleServer> {
  const state: Omit<BundleServer, 'url' | 'close'> = {
    bundle: new Map(),
    faults: {},
    served: [],
    fleetReports: [],
    fleetStatus: 204,
    extra: new Map(),
  };
  const server: Server = createServer((req, res) => void handle(req, res));
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === '/fleet' && req.method === 'POST') {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      try {
        state.fleetReports.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        state.fleetReports.push(null);
      }
      res.writeHead(state.fleetStatus).end();
      return;
    }
    if (path.startsWith('/bundles/demo/'))
      return serveBundle(path.slice('/bundles/demo/'.length), req, res);
    const extra = state.extra.get(path.slice(1));
    if (extra) {
      res
        .writeHead(200, { 'Content-Type': extra.type, 'Cache-Control': 'no-store' })
        .end(extra.body);
      return;
    }
    const file = normalize(join(distDir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(normalize(distDir)) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CSP,
      'Cache-Control': 'no-store',
    });
    res.end(readFileSync(file));
  }

  async function serveBundle(p: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const f = state.faults;
    if (state.now) res.setHeader('Date', new Date(state.now()).toUTCString());
    if (f.delayMs?.match(p)) await new Promise((r) => setTimeout(r, f.delayMs?.ms));
    if (f.status?.match(p)) {
      res.writeHead(f.status.code).end('fault');
      return;
    }
    let body = state.bundle.get(p);
    if (!body) {
      res.writeHead(404).end('not found');
      return;
    }
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { ETag: etag }).end();
      return;
    }
    if (f.flipByte?.(p)) {
      body = Uint8Array.from(body);
      body[Math.floor(body.length / 2)] ^= 0x01;
    }
    if (f.oversize?.match(p)) {
      const big = new Uint8Array(body.length + f.oversize.bytes).fill(0x20);
      big.set(body);
      body = big;
    }
    state.served.push(p);
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Content-Length': String(body.length),
      ETag: etag,
      'Cache-Control': 'no-cache',
    });
    if (f.dropAfter?.match(p)) {
      res.write(body.subarray(0, Math.min(f.dropAfter.bytes, body.length)), () =>
        setTimeout(() => res.socket?.destroy(), 20),
      );
      return;
    }
    res.end(body);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  });
}
