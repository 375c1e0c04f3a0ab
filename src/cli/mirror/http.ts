/**
 * The mirror's HTTP client: Node's global `fetch` with the politeness a
 * government portal deserves (a named User-Agent, a delay between request
 * starts, a small concurrency, conditional requests) and the accounting the
 * run report needs (requests, bytes). Responses are read with a size limit so
 * a runaway attachment cannot fill the disk or the memory.
 */
import { readFileSync } from 'node:fs';

/** The package version, for the User-Agent. */
function packageVersion(): string {
  try {
    const pkg = JSON.parse(
      readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
    ) as { version?: string };
    return pkg.version ?? '0';
  } catch {
    return '0';
  }
}

/** Where a portal's webmaster reads what this crawler is and how to reach its operator. */
export const DOCS_URL = 'https://gongkai.invalid/docs/import.md#mirror-your-portal';

/** `gongkai-mirror/<version> (+<docs url>)`, plus the office's contact when configured. */
export function userAgent(contact?: string): string {
  return `gongkai-mirror/${packageVersion()} (+${DOCS_URL}${contact ? `; ${contact}` : ''})`;
}

/** Politeness and limits of one run. */
export interface HttpOptions {
  /** Milliseconds between the starts of two requests (0 = no pause). */
  delayMs: number;
  /** Requests in flight at most. */
  concurrency: number;
  /** Abort a request after this long. */
  timeoutMs: number;
  userAgent: string;
}

/** A fetched response, body read in full (up to the limit). */
export interface Fetched {
  url: string;
  status: number;
  headers: Headers;
  bytes: Uint8Array;
  /** True when the body was cut at the size limit (bytes holds the first part). */
  truncated: boolean;
}

/** A request that could not complete: network error, timeout. */
export class FetchFailure extends Error {
  override name = 'FetchFailure';
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(`${url}: ${reason}`);
  }
}

/** Polite fetcher shared by one mirror run. */
export class PoliteClient {
  requests = 0;
  bytes = 0;
  private active = 0;
  private waiting: (() => void)[] = [];
  private nextStart = 0;

  constructor(private readonly opts: HttpOptions) {}

  private async acquire(): Promise<void> {
    if (this.active >= this.opts.concurrency) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.active++;
    // Request starts are spaced by delayMs across every worker.
    const now = Date.now();
    const at = Math.max(now, this.nextStart);
    this.nextStart = at + this.opts.delayMs;
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  }

  private release(): void {
    this.active--;
    this.waiting.shift()?.();
  }

  /**
   * GETs `url`, reading at most `maxBytes` of the body. `conditional` sends
   * If-None-Match / If-Modified-Since; a 304 comes back with an empty body.
   */
  async get(
    url: string,
    maxBytes: number,
    conditional: { etag?: string; lastModified?: string } = {},
  ): Promise<Fetched> {
    await this.acquire();
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), this.opts.timeoutMs);
    try {
      this.requests++;
      const headers: Record<string, string> = {
        'user-agent': this.opts.userAgent,
        accept: '*/*',
      };
      if (conditional.etag) headers['if-none-match'] = conditional.etag;
      if (conditional.lastModified) headers['if-modified-since'] = conditional.lastModified;
      let res: Response;
      try {
        res = await fetch(url, { headers, signal: ctrl.signal, redirect: 'follow' });
      } catch (e) {
        const why = ctrl.signal.aborted
          ? `no response within ${this.opts.timeoutMs} ms`
          : e instanceof Error
            ? ((e.cause as Error | undefined)?.message ?? e.message)
            : String(e);
        throw new FetchFailure(url, why);
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      let truncated = false;
      if (res.body) {
        const reader = res.body.getReader();
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            if (size + value.byteLength > maxBytes) {
              chunks.push(value.subarray(0, maxBytes - size));
              size = maxBytes;
              truncated = true;
              await reader.cancel();
              break;
            }
            chunks.push(value);
            size += value.byteLength;
          }
        } catch (e) {
          throw new FetchFailure(
            url,
            ctrl.signal.aborted
              ? `body not complete within ${this.opts.timeoutMs} ms`
              : `body cut off (${e instanceof Error ? e.message : String(e)})`,
          );
        }
      }
      const bytes = new Uint8Array(size);
      let at = 0;
      for (const c of chunks) {
        bytes.set(c, at);
        at += c.byteLength;
      }
      this.bytes += size;
      return { url: res.url || url, status: res.status, headers: res.headers, bytes, truncated };
    } finally {
      clearTimeout(timer);
      this.release();
    }
  }
}

/** UTF-8 text of a response (portals of this platform serve UTF-8). */
export function textOf(r: Fetched): string {
  return new TextDecoder('utf-8').decode(r.bytes).replace(/^\uFEFF/, '');
}
