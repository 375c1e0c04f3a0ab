// A lean `fetch` for thousands of simulated kiosks: node:http with a
// keep-alive agent, gzip accepted and undone as a browser does. The kiosk code
// (src/sync/http.ts fetchBytes, src/sync/fleet.ts postFleetReport) takes it as
// `fetchImpl`; Node's built-in fetch costs several times more CPU per request,
// which on 2 shared cores would measure the simulator instead of the servers.
import { Agent, request } from 'node:http';
import { gunzipSync } from 'node:zlib';

// No cap on sockets: every real kiosk has its own connection, so a slow report
// must never hold up another kiosk's manifest poll in a shared queue.
const bundleAgent = new Agent({ keepAlive: true });
const reportAgent = new Agent({ keepAlive: true });

/** Bytes received by the simulated kiosks, as sent on the wire (compressed). */
export const received = { bytes: 0 };

/** `fetch` over node:http, for the fields the kiosk code uses. */
export const leanFetch: typeof fetch = (input, init) =>
  new Promise<Response>((resolve, reject) => {
    const url = new URL(
      typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
    );
    const headers: Record<string, string> = { 'Accept-Encoding': 'gzip' };
    new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
    const body = typeof init?.body === 'string' ? Buffer.from(init.body) : undefined;
    if (body) headers['Content-Length'] = String(body.length);
    const req = request(
      {
        agent: url.pathname.startsWith('/fleet/') ? reportAgent : bundleAgent,
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: init?.method ?? 'GET',
        headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          let bytes = Buffer.concat(chunks);
          received.bytes += bytes.length;
          if (res.headers['content-encoding'] === 'gzip') bytes = gunzipSync(bytes);
          const out = new Headers();
          for (const name of ['etag', 'date', 'content-type'] as const) {
            const v = res.headers[name];
            if (typeof v === 'string') out.set(name, v);
          }
          out.set('content-length', String(bytes.length));
          const status = res.statusCode ?? 0;
          const nullBody = status === 204 || status === 304;
          resolve(new Response(nullBody ? null : bytes, { status, headers: out }));
        });
      },
    );
    req.on('error', reject);
    init?.signal?.addEventListener('abort', () => req.destroy(new Error('aborted')));
    req.end(body);
  });
