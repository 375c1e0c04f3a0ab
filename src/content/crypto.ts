/**
 * SHA-256 and signature verification for bundles, in the CLI (Node) and the
 * kiosk. WebCrypto (`crypto.subtle`) is the fast path wherever it exists: in
 * Node and in secure contexts (https, localhost). A kiosk served over plain
 * http from an intranet host has no `crypto.subtle` (issue #17); there the
 * same checks run in pure JS ({@link ./crypto-js.ts}, loaded on first use),
 * with the same results and the same errors.
 */
import type { JwkP256 } from './bundle.ts';

/**
 * Neither WebCrypto nor the pure-JS fallback can run here: the engine has no
 * BigInt (Chromium < 67) on an insecure origin, or the fallback's code could
 * not be loaded. Content can then not be verified, so none is accepted.
 */
export class CryptoUnavailableError extends Error {
  constructor(
    /** `engine`: this engine cannot run the fallback; `load`: its code did not download. */
    readonly reason: 'engine' | 'load',
    message: string,
  ) {
    super(message);
    this.name = 'CryptoUnavailableError';
  }
}

type PureJs = typeof import('./crypto-js.ts');
let pureJsModule: Promise<PureJs> | null = null;

/** WebCrypto when the page has it (Node, secure contexts); null on plain-http origins. */
function webCrypto(): SubtleCrypto | null {
  return (globalThis.crypto as Crypto | undefined)?.subtle ?? null;
}

/** The pure-JS fallback, loaded once; a failed download is retried on the next call. */
function pureJs(): Promise<PureJs> {
  if (typeof BigInt !== 'function') {
    return Promise.reject(
      new CryptoUnavailableError(
        'engine',
        'no WebCrypto on this origin and no BigInt in this engine for the pure-JS fallback',
      ),
    );
  }
  pureJsModule ??= import('./crypto-js.ts').catch((err: unknown) => {
    pureJsModule = null;
    const why = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    // A download that failed is a TypeError; a chunk the engine cannot parse
    // (a SyntaxError) will not load on a retry either.
    throw err instanceof TypeError
      ? new CryptoUnavailableError('load', `the verification code could not be loaded (${why})`)
      : new CryptoUnavailableError(
          'engine',
          `this engine cannot run the verification code (${why})`,
        );
  });
  return pureJsModule;
}

/**
 * Starts loading the pure-JS fallback now when this page will need it, so a
 * kiosk on plain http that later loses its network can still check a PIN.
 * Does nothing where WebCrypto exists or the engine cannot run the fallback.
 */
export function preloadCrypto(): void {
  if (webCrypto() || typeof BigInt !== 'function') return;
  pureJs().catch(() => undefined);
}

/** Which implementation verifies on this page: for diagnostics and the benchmark. */
export function cryptoBackend(): 'webcrypto' | 'pure-js' | 'none' {
  if (webCrypto()) return 'webcrypto';
  return typeof BigInt === 'function' ? 'pure-js' : 'none';
}

const HEX_BYTE = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** Lower-case hex SHA-256 of some bytes. */
export async function sha256Hex(bytes: Uint8Array | ArrayBuffer): Promise<string> {
  const subtle = webCrypto();
  const digest = subtle
    ? new Uint8Array(await subtle.digest('SHA-256', bytes as BufferSource))
    : (await pureJs()).sha256Bytes(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
  // A table and one string: this runs once per file, 12,000 times for a large bundle.
  let hex = '';
  for (let i = 0; i < digest.length; i++) hex += HEX_BYTE[digest[i]];
  return hex;
}

export function base64UrlEncode(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function base64UrlDecode(text: string): Uint8Array {
  const b64 = text.trim().replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/**
 * A trusted key that is not a P-256 public key. Thrown the same way by both
 * implementations (WebCrypto's own error is a DOMException `DataError`, which
 * reads like a storage failure).
 */
export class KeyImportError extends Error {
  constructor(
    readonly keyId: string,
    readonly reason: string,
  ) {
    super(`trusted key ${keyId} is not a valid P-256 public key (${reason})`);
    this.name = 'KeyImportError';
  }
}

/**
 * Verifies `signature` (raw r‖s, or its base64url text) over the exact
 * `bytes` with any of `keys`. Returns the id of the key that verified, or
 * null. Throws {@link KeyImportError} for a key that is not a P-256 public
 * key and {@link CryptoUnavailableError} when nothing here can verify.
 */
export async function verifySignature(
  bytes: Uint8Array,
  signature: Uint8Array | string,
  keys: readonly { id: string; jwk: JwkP256 }[],
): Promise<string | null> {
  let sig: Uint8Array;
  try {
    sig = typeof signature === 'string' ? base64UrlDecode(signature) : signature;
  } catch {
    return null;
  }
  if (sig.length !== 64) return null;
  const subtle = webCrypto();
  const js = subtle ? null : await pureJs();
  for (const k of keys) {
    if (subtle) {
      let key: CryptoKey;
      try {
        key = await subtle.importKey(
          'jwk',
          { ...k.jwk, ext: true },
          { name: 'ECDSA', namedCurve: 'P-256' },
          false,
          ['verify'],
        );
      } catch (err) {
        throw new KeyImportError(k.id, err instanceof Error ? err.message : String(err));
      }
      const ok = await subtle.verify(
        { name: 'ECDSA', hash: 'SHA-256' },
        key,
        sig as BufferSource,
        bytes as BufferSource,
      );
      if (ok) return k.id;
    } else if (js) {
      let key: Uint8Array;
      try {
        key = js.p256PublicKey(base64UrlDecode(k.jwk.x), base64UrlDecode(k.jwk.y));
      } catch (err) {
        throw new KeyImportError(k.id, err instanceof Error ? err.message : String(err));
      }
      if (js.p256Verify(key, sig, bytes)) return k.id;
    }
  }
  return null;
}
