// Every failure under its true cause (issue #17): only the network's errors
// are `network`; a missing crypto or a bug in the code says what it is.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SyncError, toSyncError } from '../../src/sync/errors.ts';
import { CryptoUnavailableError, KeyImportError } from '../../src/content/crypto.ts';
import { BundleError } from '../../src/content/bundle.ts';

afterEach(() => vi.unstubAllGlobals());

describe('toSyncError', () => {
  it('keeps a SyncError as it is', () => {
    const e = new SyncError('hash', 'x', 'objects/aa/b.json');
    expect(toSyncError(e)).toBe(e);
  });

  it('calls a TypeError from the code internal, not network (the issue #17 symptom)', () => {
    let thrown: unknown;
    try {
      const subtle = (globalThis as { noCrypto?: { subtle?: SubtleCrypto } }).noCrypto?.subtle;
      void (subtle as unknown as { importKey: () => void }).importKey();
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    const e = toSyncError(thrown);
    expect(e.code).toBe('internal');
    expect(e.transient).toBe(false);
    expect(e.message).toMatch(/^程序内部错误（TypeError：.*importKey/);
    expect(toSyncError(new RangeError('Invalid array length')).code).toBe('internal');
    expect(toSyncError('a string').code).toBe('internal');
  });

  it('keeps rejected fetches and failed module downloads under network', () => {
    for (const message of [
      'Failed to fetch',
      'fetch failed',
      'NetworkError when attempting to fetch resource.',
      'Load failed',
      'Failed to fetch dynamically imported module: http://kiosk.lan/assets/crypto-js.js',
    ]) {
      const e = toSyncError(new TypeError(message));
      expect(e.code, message).toBe('network');
      expect(e.transient).toBe(true);
    }
  });

  it('names the engine when neither WebCrypto nor the fallback can verify', () => {
    vi.stubGlobal('navigator', {
      userAgent:
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/66.0.3359.181 Safari/537.36',
    });
    const e = toSyncError(new CryptoUnavailableError('engine', 'no BigInt'));
    expect(e.code).toBe('crypto');
    expect(e.transient).toBe(false);
    expect(e.message).toContain('Chromium 66');
    expect(e.message).toMatch(/http 方式下无法校验内容签名.*https 或本机地址/);
  });

  it('retries a fallback that did not download as a network failure', () => {
    const e = toSyncError(new CryptoUnavailableError('load', 'Failed to fetch'));
    expect(e.code).toBe('network');
    expect(e.message).toMatch(/无法从服务器加载内容校验程序/);
  });

  it('reports a trusted key that is not a P-256 key as a signature problem, naming the key', () => {
    const e = toSyncError(new KeyImportError('hall-2027', 'Invalid key'));
    expect(e.code).toBe('signature');
    expect(e.message).toContain('hall-2027');
  });

  it('keeps the storage causes of DOMExceptions', () => {
    expect(toSyncError(new DOMException('full', 'QuotaExceededError')).code).toBe('quota');
    expect(toSyncError(new DOMException('late', 'TimeoutError')).code).toBe('timeout');
    expect(toSyncError(new DOMException('closing', 'InvalidStateError')).code).toBe('storage');
  });

  it('reports a bundle problem that reaches it under manifest, naming the file', () => {
    // Most are classified where they happen (src/sync/ingest.ts); one that slips through is still not the network.
    const e = toSyncError(new BundleError('objects/ab/x.json', 'not valid UTF-8 JSON'));
    expect(e.code).toBe('manifest');
    expect(e.file).toBe('objects/ab/x.json');
  });
});
