// The simulation's servers: nginx (docs/nginx.conf with the fleet snippets of
// docs/fleet/, on a loopback port, temp prefix) serving the bundle host and
// proxying reports to a `gongkai fleet serve` child process; and CPU and
// memory readings of those processes from /proc.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

/** A free loopback port. */
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

/** nginx's path, or null. */
export function findNginx(): string | null {
  for (const p of ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx'])
    if (existsSync(p)) return p;
  const r = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' });
  return r.stdout.trim() || null;
}

/**
 * The nginx configuration of the simulation: the documented server
 * (docs/nginx.conf) on `port` with `root`, the fleet location inside it and
 * the upstream pointing at `receiverPort`, plus an access log that records the
 * bytes of every response.
 */
export function simNginxConfig(opts: {
  port: number;
  root: string;
  prefix: string;
  receiverPort: number;
}): string {
  const documented = readFileSync('docs/nginx.conf', 'utf8');
  const location = readFileSync('docs/fleet/nginx-fleet-location.conf', 'utf8');
  const upstream = readFileSync('docs/fleet/nginx-fleet-upstream.conf', 'utf8').replace(
    /server 127\.0\.0\.1:8787 /,
    `server 127.0.0.1:${opts.receiverPort} `,
  );
  if (!upstream.includes(`:${opts.receiverPort} `))
    throw new Error('docs/fleet/nginx-fleet-upstream.conf: expected `server 127.0.0.1:8787 `');
  const server = documented
    .replace(/^\s*listen 80;$/m, `    listen 127.0.0.1:${opts.port} backlog=4096;`)
    .replace(/^\s*root \/srv\/gongkai\/app;$/m, `    root ${opts.root};`)
    // The fleet location goes before the server's closing brace.
    .replace(/\n}\s*$/, `\n${location.replace(/^/gm, '    ')}\n}\n`);
  if (!server.includes(`listen 127.0.0.1:${opts.port}`) || !server.includes(`root ${opts.root};`))
    throw new Error('docs/nginx.conf: expected `listen 80;` and `root /srv/gongkai/app;` lines');
  const mime = existsSync('/etc/nginx/mime.types')
    ? 'include /etc/nginx/mime.types;'
    : 'types { text/html html; application/javascript js; application/json json; }';
  const p = opts.prefix;
  return `pid ${p}/nginx.pid;
error_log ${p}/error.log warn;
worker_processes 1;
worker_rlimit_nofile 16384;
events { worker_connections 8192; }
http {
  ${mime}
  default_type application/octet-stream;
  log_format sim '$msec $status $bytes_sent $request_method $uri';
  access_log ${p}/access.log sim buffer=256k flush=1s;
  keepalive_requests 100000;
  client_body_temp_path ${p}/client;
  proxy_temp_path ${p}/proxy;
  fastcgi_temp_path ${p}/fastcgi;
  uwsgi_temp_path ${p}/uwsgi;
  scgi_temp_path ${p}/scgi;
${upstream}
${server}
}
`;
}

/** Starts a child process and waits until `ready()` resolves true (10 s at most). */
export async function startProcess(
  what: string,
  cmd: string,
  args: string[],
  ready: () => Promise<boolean>,
): Promise<ChildProcess> {
  const proc = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const stderr: string[] = [];
  proc.stderr?.on('data', (d: Buffer) => stderr.push(d.toString()));
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (await ready().catch(() => false)) return proc;
    if (Date.now() > deadline || proc.exitCode !== null)
      throw new Error(`${what} did not start: ${stderr.join('').slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const TICKS = 100; // USER_HZ on Linux

/** CPU seconds (user + system) and resident bytes of a process, from /proc. */
export function procUsage(pid: number): { cpuSeconds: number; rssBytes: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces), 1-based from field 3.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuSeconds = (Number(f[11]) + Number(f[12])) / TICKS;
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuSeconds, rssBytes: rss ? Number(rss[1]) * 1024 : 0 };
}

/** A process and its children (nginx master and workers, node and tsx's loader). */
export function treeUsage(pid: number): { cpuSeconds: number; rssBytes: number } {
  const total = procUsage(pid);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== pid) continue;
      const u = treeUsage(Number(entry));
      total.cpuSeconds += u.cpuSeconds;
      total.rssBytes += u.rssBytes;
    } catch {
      // exited meanwhile
    }
  }
  return total;
}

/** Absolute path from the repository root. */
export const repoPath = (p: string) => resolve(join('.', p));
