import { SyncError } from './errors.ts';

/** Options for one bounded download. */
export interface FetchBytesOptions {
  /** Refuse (and stop reading) a body larger than this. */
  maxBytes: number;
  /** The size the manifest declares: a shorter body is truncated, a longer one oversized. */
  expectedSize?: number;
  /** Abort when the whole download takes longer than this. */
  timeoutMs: number;
  /** Send If-None-Match: a 304 answer returns `notModified`. */
  etag?: string | null;
  fetchImpl?: typeof fetch;
}

/** A completed download. */
export interface FetchedBytes {
  notModified: boolean;
  bytes: Uint8Array;
  etag: string | null;
  /** The server's Date header in ms since the epoch, when present. */
  date: number | null;
}

/**
 * Downloads one file with a size cap enforced while streaming (an endless body
 * is cut at `maxBytes + 1`), a timeout, and plain-words errors naming the file.
 */
export async function fetchBytes(
  url: string,
  file: string,
  options: FetchBytesOptions,
): Promise<FetchedBytes> {
  const doFetch = options.fetchImpl ?? fetch;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  const limit = Math.min(options.maxBytes, options.expectedSize ?? options.maxBytes);
  try {
    let res: Response;
    try {
      res = await doFetch(url, {
        signal: controller.signal,
        cache: 'no-store',
        headers: options.etag ? { 'If-None-Match': options.etag } : {},
      });
    } catch {
      if (timedOut) throw new SyncError('timeout', `连接内容服务器超时（${file}）`, file);
      throw new SyncError('network', `无法连接内容服务器（${file}）：网络中断或服务器未响应`, file);
    }
    const dateHeader = res.headers.get('Date');
    const parsedDate = dateHeader ? Date.parse(dateHeader) : NaN;
    const date = Number.isNaN(parsedDate) ? null : parsedDate;
    const etag = res.headers.get('ETag');
    if (res.status === 304) {
      return {
        notModified: true,
        bytes: new Uint8Array(0),
        etag: etag ?? options.etag ?? null,
        date,
      };
    }
    if (res.status === 404) {
      throw new SyncError('not-found', `服务器上找不到内容包文件 ${file}（HTTP 404）`, file);
    }
    if (!res.ok) {
      throw new SyncError('http', `内容服务器出错：${file} 返回 HTTP ${res.status}`, file);
    }
    const declared = Number(res.headers.get('Content-Length') ?? NaN);
    if (!Number.isNaN(declared) && declared > limit) {
      controller.abort();
      throw new SyncError(
        'oversized',
        `文件 ${file} 超过大小限制（${declared} > ${limit} 字节）`,
        file,
      );
    }
    const bytes = await readCapped(
      res,
      file,
      limit,
      () => timedOut,
      controller,
      Number.isNaN(declared) ? null : declared,
    );
    if (options.expectedSize !== undefined && bytes.length < options.expectedSize) {
      throw new SyncError(
        'truncated',
        `文件 ${file} 不完整（收到 ${bytes.length} / ${options.expectedSize} 字节，连接中断）`,
        file,
      );
    }
    return { notModified: false, bytes, etag, date };
  } finally {
    clearTimeout(timer);
  }
}

async function readCapped(
  res: Response,
  file: string,
  limit: number,
  timedOut: () => boolean,
  controller: AbortController,
  declared: number | null,
): Promise<Uint8Array> {
  const body = res.body;
  // With a Content-Length within the limit, the browser itself holds the body to
  // that length (a longer one is cut, a shorter one is a network error), so the
  // whole body can be read at once: much faster than chunk by chunk for a pack.
  if (!body || (declared !== null && declared > 1_000_000)) {
    try {
      const whole = new Uint8Array(await res.arrayBuffer());
      if (whole.length > limit) {
        throw new SyncError('oversized', `文件 ${file} 超过大小限制（超过 ${limit} 字节）`, file);
      }
      return whole;
    } catch (err) {
      if (err instanceof SyncError) throw err;
      if (timedOut()) throw new SyncError('timeout', `下载 ${file} 超时`, file);
      throw new SyncError('truncated', `文件 ${file} 下载中断（连接断开）`, file);
    }
  }
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > limit) {
        controller.abort();
        throw new SyncError('oversized', `文件 ${file} 超过大小限制（超过 ${limit} 字节）`, file);
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof SyncError) throw err;
    if (timedOut()) throw new SyncError('timeout', `下载 ${file} 超时`, file);
    throw new SyncError('truncated', `文件 ${file} 下载中断（收到 ${total} 字节后连接断开）`, file);
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
