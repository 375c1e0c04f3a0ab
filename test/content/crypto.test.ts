// The pure-JS fallback of src/content/crypto.ts (for plain-http origins, where
// `crypto.subtle` does not exist) against WebCrypto: same answers, same errors.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import fc from 'fast-check';
import {
  base64UrlEncode,
  cryptoBackend,
  CryptoUnavailableError,
  KeyImportError,
  sha256Hex,
  verifySignature,
} from '../../src/content/crypto.ts';
import type { JwkP256 } from '../../src/content/bundle.ts';
import { p256PublicKey, p256Verify } from '../../src/content/crypto-js.ts';

const realCrypto = globalThis.crypto;

/** Runs `fn` on a page without WebCrypto: `crypto` is there, `crypto.subtle` is not. */
async function withoutSubtle<T>(fn: () => Promise<T>): Promise<T> {
  vi.stubGlobal('crypto', { getRandomValues: realCrypto.getRandomValues.bind(realCrypto) });
  try {
    expect(cryptoBackend()).toBe('pure-js');
    return await fn();
  } finally {
    vi.unstubAllGlobals();
  }
}

function keyPair(id: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const j = publicKey.export({ format: 'jwk' });
  return {
    privateKey,
    ref: { id, jwk: { kty: 'EC', crv: 'P-256', x: j.x, y: j.y } as JwkP256 },
  };
}

const signer = keyPair('k1');
const other = keyPair('k2');
const sigOf = (bytes: Uint8Array, key = signer.privateKey) =>
  new Uint8Array(sign('sha256', bytes, { key, dsaEncoding: 'ieee-p1363' }));

afterEach(() => vi.unstubAllGlobals());

describe('SHA-256 without WebCrypto', () => {
  it('gives the same hex as WebCrypto and Node for any bytes', async () => {
    expect(cryptoBackend()).toBe('webcrypto');
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), async (bytes) => {
        const web = await sha256Hex(bytes);
        const js = await withoutSubtle(() => sha256Hex(bytes));
        expect(js).toBe(web);
        expect(js).toBe(createHash('sha256').update(bytes).digest('hex'));
      }),
      { numRuns: 60 },
    );
  });

  it('accepts an ArrayBuffer like WebCrypto does', async () => {
    const bytes = new TextEncoder().encode('gongkai:123456');
    const js = await withoutSubtle(() => sha256Hex(bytes.slice().buffer));
    expect(js).toBe(await sha256Hex(bytes));
    // admin.pinSha256 of kiosk-config/default.json (demo PIN 123456): the admin panel opens.
    expect(js).toBe('2bef6c18fe183d8b80075041e1d6d61b7e7ae885062735786892faff02b163d0');
  });
});

describe('ECDSA P-256 verification without WebCrypto', () => {
  const manifest = new TextEncoder().encode(JSON.stringify({ format: 1, version: 7, x: '公开' }));

  it('accepts what WebCrypto accepts, with the key that signed', async () => {
    const sig = base64UrlEncode(sigOf(manifest));
    const keys = [other.ref, signer.ref];
    expect(await verifySignature(manifest, sig, keys)).toBe('k1');
    expect(await withoutSubtle(() => verifySignature(manifest, sig, keys))).toBe('k1');
  });

  it('refuses a tampered manifest, a flipped signature bit and a wrong key, like WebCrypto', async () => {
    const sig = sigOf(manifest);
    const tampered = manifest.slice();
    tampered[10] ^= 0x01;
    const flipped = sig.slice();
    flipped[40] ^= 0x80;
    const cases: [Uint8Array, Uint8Array | string, { id: string; jwk: JwkP256 }[]][] = [
      [tampered, sig, [signer.ref]],
      [manifest, flipped, [signer.ref]],
      [manifest, sig, [other.ref]],
      [manifest, sig.subarray(0, 63), [signer.ref]],
      [manifest, '!!not base64!!', [signer.ref]],
      [manifest, new Uint8Array(64), [signer.ref]],
      [manifest, sig, []],
    ];
    for (const [bytes, s, keys] of cases) {
      expect(await verifySignature(bytes, s, keys)).toBeNull();
      expect(await withoutSubtle(() => verifySignature(bytes, s, keys))).toBeNull();
    }
  });

  it('agrees with WebCrypto on random messages, keys and damaged signatures', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 500 }),
        fc.boolean(),
        fc.nat(63),
        async (bytes, damage, at) => {
          const sig = sigOf(bytes);
          if (damage) sig[at] ^= 0x01;
          const web = await verifySignature(bytes, sig, [signer.ref]);
          const js = await withoutSubtle(() => verifySignature(bytes, sig, [signer.ref]));
          expect(js).toBe(web);
          expect(web).toBe(damage ? null : 'k1');
        },
      ),
      { numRuns: 25 },
    );
  });

  it('accepts high-S signatures (OpenSSL makes them; WebCrypto accepts them)', async () => {
    // n - s flips the signature to the other half; both are valid ECDSA.
    const n = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
    const sig = sigOf(manifest);
    const s = BigInt('0x' + Buffer.from(sig.subarray(32)).toString('hex'));
    const other = Buffer.from((n - s).toString(16).padStart(64, '0'), 'hex');
    const mirrored = new Uint8Array([...sig.subarray(0, 32), ...other]);
    expect(await verifySignature(manifest, mirrored, [signer.ref])).toBe('k1');
    expect(await withoutSubtle(() => verifySignature(manifest, mirrored, [signer.ref]))).toBe('k1');
  });

  it('throws the same KeyImportError for a key that is not a P-256 point', async () => {
    const off = {
      id: 'bad',
      jwk: { ...signer.ref.jwk, y: base64UrlEncode(new Uint8Array(randomBytes(32))) },
    };
    const short = {
      id: 'short',
      jwk: { ...signer.ref.jwk, x: base64UrlEncode(new Uint8Array(8)) },
    };
    const sig = sigOf(manifest);
    for (const key of [off, short]) {
      const web = await verifySignature(manifest, sig, [key]).catch((e: unknown) => e);
      const js = await withoutSubtle(() =>
        verifySignature(manifest, sig, [key]).catch((e: unknown) => e),
      );
      expect(web).toBeInstanceOf(KeyImportError);
      expect(js).toBeInstanceOf(KeyImportError);
      expect((js as KeyImportError).keyId).toBe(key.id);
    }
  });

  it('exposes the SEC 1 key form and rejects coordinates of the wrong length', () => {
    const x = Buffer.from(signer.ref.jwk.x, 'base64url');
    const y = Buffer.from(signer.ref.jwk.y, 'base64url');
    const key = p256PublicKey(x, y);
    expect(key[0]).toBe(4);
    expect(p256Verify(key, sigOf(manifest), manifest)).toBe(true);
    expect(() => p256PublicKey(x.subarray(1), y)).toThrow(/32 bytes/);
  });
});

describe('an engine that can run neither', () => {
  it('refuses with CryptoUnavailableError, never a TypeError', async () => {
    vi.stubGlobal('crypto', {});
    vi.stubGlobal('BigInt', undefined);
    expect(cryptoBackend()).toBe('none');
    const err = await sha256Hex(new Uint8Array(3)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CryptoUnavailableError);
    expect((err as CryptoUnavailableError).reason).toBe('engine');
    const verr = await verifySignature(new Uint8Array(3), new Uint8Array(64), [signer.ref]).catch(
      (e: unknown) => e,
    );
    expect(verr).toBeInstanceOf(CryptoUnavailableError);
  });
});
