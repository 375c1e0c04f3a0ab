/**
 * Why a sync attempt failed, as a code for tests and fleet reports and as a
 * plain Chinese sentence for the screen.
 */
export const SYNC_ERROR_CODES = [
  'network',
  'timeout',
  'http',
  'not-found',
  'truncated',
  'oversized',
  'hash',
  'signature',
  'manifest',
  'bundle-id',
  'rollback',
  'expired',
  'unsafe-path',
  'unlisted',
  'quota',
  'storage',
] as const;
export type SyncErrorCode = (typeof SYNC_ERROR_CODES)[number];

/** A failed sync step. `message` is the plain-words text shown on screen. */
export class SyncError extends Error {
  constructor(
    readonly code: SyncErrorCode,
    message: string,
    /** The bundle file concerned, when there is one. */
    readonly file?: string,
  ) {
    super(message);
    this.name = 'SyncError';
  }

  /** Errors worth retrying soon with backoff (the server or the network may recover). */
  get transient(): boolean {
    return ['network', 'timeout', 'http', 'truncated'].includes(this.code);
  }
}

/** Turns any thrown value into a {@link SyncError} with a readable message. */
export function toSyncError(err: unknown): SyncError {
  if (err instanceof SyncError) return err;
  if (err instanceof DOMException || (err instanceof Error && err.name === 'QuotaExceededError')) {
    if (err.name === 'QuotaExceededError') {
      return new SyncError('quota', '存储空间不足，新版本未能保存（继续显示当前版本）');
    }
    if (err.name === 'AbortError' || err.name === 'TimeoutError') {
      return new SyncError('timeout', '连接内容服务器超时');
    }
    return new SyncError('storage', `本地数据库写入失败（${err.name}：${err.message}）`);
  }
  const text = err instanceof Error ? err.message : String(err);
  return new SyncError('network', `同步失败：${text}`);
}
