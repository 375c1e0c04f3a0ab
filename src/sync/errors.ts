import { BundleError } from '../content/bundle.ts';
import { CryptoUnavailableError, KeyImportError } from '../content/crypto.ts';
import { currentEngine, describeEngine } from './user-agent.ts';

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
  /** Content cannot be verified on this page (no WebCrypto, no usable fallback). */
  'crypto',
  /** A programming error (a TypeError and the like): a bug to report, not the network. */
  'internal',
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

/**
 * What a rejected `fetch` (or a module that failed to download) says in
 * Chromium, Firefox, WebKit and Node: these TypeErrors are the network's.
 */
const NETWORK_TYPE_ERROR =
  /Failed to fetch|NetworkError|Load failed|fetch failed|dynamically imported module|Importing a module script failed/i;

/**
 * Turns any thrown value into a {@link SyncError} under its true cause.
 * Only errors that come from the network are `network`: a TypeError from the
 * code itself (a missing `crypto.subtle`, a bug) is `internal` and says so.
 */
export function toSyncError(err: unknown): SyncError {
  if (err instanceof SyncError) return err;
  if (err instanceof CryptoUnavailableError) {
    const engine = describeEngine(currentEngine());
    return err.reason === 'engine'
      ? new SyncError(
          'crypto',
          `此浏览器为 ${engine}，在 http 方式下无法校验内容签名（缺少 WebCrypto 与 BigInt），未采用任何内容；请改用 https 或本机地址访问，或升级到 Chromium 83 以上`,
        )
      : new SyncError('network', `无法从服务器加载内容校验程序（${err.message}）`);
  }
  if (err instanceof BundleError) {
    return new SyncError('manifest', `内容包格式错误：${err.file}：${err.reason}`, err.file);
  }
  if (err instanceof KeyImportError) {
    return new SyncError(
      'signature',
      `受信任的密钥 ${err.keyId} 不是有效的 P-256 公钥，无法校验签名（请检查终端配置 trustedKeys）`,
    );
  }
  if (err instanceof DOMException || (err instanceof Error && err.name === 'QuotaExceededError')) {
    if (err.name === 'QuotaExceededError') {
      return new SyncError('quota', '存储空间不足，新版本未能保存（继续显示当前版本）');
    }
    if (err.name === 'AbortError' || err.name === 'TimeoutError') {
      return new SyncError('timeout', '连接内容服务器超时');
    }
    if (err.name === 'NetworkError') {
      return new SyncError('network', `同步失败：网络中断（${err.message}）`);
    }
    return new SyncError('storage', `本地数据库写入失败（${err.name}：${err.message}）`);
  }
  if (err instanceof TypeError && NETWORK_TYPE_ERROR.test(err.message)) {
    return new SyncError('network', `同步失败：网络中断或服务器未响应（${err.message}）`);
  }
  const what = err instanceof Error ? `${err.name}：${err.message}` : String(err);
  return new SyncError('internal', `程序内部错误（${what}），请将此信息报告给技术支持`);
}
