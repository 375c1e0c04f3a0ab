// Figures of a simulation run from nginx's access log and /proc readings.

/** One access-log line: `$msec $status $bytes_sent $request_method $uri`. */
export interface LogLine {
  at: number;
  status: number;
  bytes: number;
  method: string;
  uri: string;
}

/** Parses the simulation's access log (`log_format sim`). */
export function parseAccessLog(text: string): LogLine[] {
  const out: LogLine[] = [];
  for (const line of text.split('\n')) {
    const [msec, status, bytes, method, uri] = line.split(' ');
    if (!uri) continue;
    out.push({
      at: Number(msec) * 1000,
      status: Number(status),
      bytes: Number(bytes),
      method,
      uri,
    });
  }
  return out;
}

/** Request kinds the figures separate. */
export type Kind = 'manifest-304' | 'manifest-200' | 'signature' | 'object' | 'report' | 'other';

/** The kind of one logged request. */
export function kindOf(l: LogLine): Kind {
  if (l.uri === '/fleet/report') return 'report';
  if (l.uri.endsWith('/manifest.json')) return l.status === 304 ? 'manifest-304' : 'manifest-200';
  if (l.uri.endsWith('/manifest.sig')) return 'signature';
  if (l.uri.includes('/objects/')) return 'object';
  return 'other';
}

/** Requests and bytes by kind within [from, to). */
export function tally(
  lines: readonly LogLine[],
  from: number,
  to: number,
): Record<Kind, { requests: number; bytes: number; errors: number }> {
  const out = {} as Record<Kind, { requests: number; bytes: number; errors: number }>;
  for (const k of [
    'manifest-304',
    'manifest-200',
    'signature',
    'object',
    'report',
    'other',
  ] as const)
    out[k] = { requests: 0, bytes: 0, errors: 0 };
  for (const l of lines) {
    if (l.at < from || l.at >= to) continue;
    const t = out[kindOf(l)];
    t.requests++;
    t.bytes += l.bytes;
    if (l.status >= 400) t.errors++;
  }
  return out;
}

/** `1,234` */
export const int = (n: number) => Math.round(n).toLocaleString('en-US');
/** `1.2 MB` */
export function bytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} KB`;
  return `${Math.round(n)} B`;
}

/** A two-column text table. */
export function table(rows: readonly [string, string][]): string {
  const w = Math.max(...rows.filter((r) => r[1] !== '').map((r) => r[0].length));
  return rows.map(([k, v]) => (v === '' ? `\n${k}` : `${k.padEnd(w)}  ${v}`)).join('\n');
}
