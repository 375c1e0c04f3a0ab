// A small static file server for end-to-end tests of the service worker: it
// serves one directory with the app's CSP header and the documented caching
// headers, can switch to another directory (a "deploy"), and can be stopped
// and started again on the same port, so the origin (and with it the service
// worker registration and IndexedDB) stays the same across a real outage.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { CSP } from '../../src/pwa/csp.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
  '.sig': 'text/plain; charset=utf-8',
};

/** Cache-Control as documented in docs/nginx.conf. */
export function cacheControl(path: string): string {
  if (/^\/assets\//.test(path) || /^\/bundles\/.*\/objects\//.test(path))
    return 'public, max-age=31536000, immutable';
  return 'no-cache';
}

export interface StaticServer {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  readonly port: number;
  /** Serves another directory from now on (an atomic deploy). */
  deploy(root: string): void;
  /** Requests seen since the last call, e.g. to assert nothing reached the server. */
  takeRequests(): string[];
  /** Stops listening and drops open connections (the server process is "down"). */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

/** Starts a server for `root` on a free loopback port (or `port`). */
export async function serveStatic(root: string, port = 0): Promise<StaticServer> {
  let dir = resolve(root);
  let requests: string[] = [];
  let server: Server | null = null;
  let boundPort = port;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    const rel = normalize(path === '/' ? '/index.html' : path);
    const file = join(dir, rel);
    if (!file.startsWith(dir + sep)) {
      res.writeHead(400).end();
      return;
    }
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new Error('not a file');
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Content-Length': body.length,
        'Cache-Control': cacheControl(path),
        'Content-Security-Policy': CSP,
        'X-Content-Type-Options': 'nosniff',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache' });
      res.end('not found');
    }
  };

  const start = (): Promise<void> =>
    new Promise((ok, fail) => {
      const s = createServer((req, res) => void handle(req, res));
      s.once('error', fail);
      s.listen(boundPort, '127.0.0.1', () => {
        const address = s.address();
        if (address && typeof address === 'object') boundPort = address.port;
        server = s;
        ok();
      });
    });

  await start();
  return {
    get url() {
      return `http://127.0.0.1:${boundPort}/`;
    },
    get port() {
      return boundPort;
    },
    deploy(next) {
      dir = resolve(next);
    },
    takeRequests() {
      const r = requests;
      requests = [];
      return r;
    },
    stop: () =>
      new Promise<void>((ok) => {
        const s = server;
        server = null;
        if (!s) return ok();
        s.closeAllConnections();
        s.close(() => ok());
      }),
    start,
  };
}
