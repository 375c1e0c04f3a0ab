/**
 * SHA-256 and ECDSA P-256 verification for engines without BigInt
 * (Chromium 66: the Android 9 signage boards of the display tier) on an
 * insecure origin, where there is no WebCrypto either. `elliptic` and
 * `hash.js` are the long-standing pure-JS implementations (bn.js arithmetic
 * on 26-bit words, no BigInt); the same interface as {@link ./crypto-js.ts}.
 *
 * Only {@link ./crypto.ts} loads this, with a dynamic `import()`, and only
 * where both WebCrypto and BigInt are missing. It is slower than the noble
 * code; a display board verifies a bundle once per update.
 */
import elliptic from 'elliptic';
import hash from 'hash.js';

const curve = new elliptic.ec('p256');

/** SHA-256 of `bytes`. */
export function sha256Bytes(bytes: Uint8Array): Uint8Array {
  return Uint8Array.from(
    hash
      .sha256()
      .update(bytes as unknown as number[])
      .digest(),
  );
}

/**
 * The SEC 1 uncompressed form of a P-256 public key given as its JWK
 * coordinates. Throws when they are not 32 bytes each or not a point of the
 * curve, as WebCrypto's `importKey` does.
 */
export function p256PublicKey(x: Uint8Array, y: Uint8Array): Uint8Array {
  if (x.length !== 32 || y.length !== 32) throw new Error('coordinates are not 32 bytes');
  const key = new Uint8Array(65);
  key[0] = 0x04;
  key.set(x, 1);
  key.set(y, 33);
  const check = curve.keyFromPublic(Array.from(key)).validate();
  if (!check.result) throw new Error(`not a point of P-256: ${check.reason ?? ''}`);
  return key;
}

/**
 * Verifies a raw r‖s ECDSA P-256 / SHA-256 signature over `message` like
 * WebCrypto does: high-S signatures are valid, a malformed one is not.
 */
export function p256Verify(publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array) {
  if (signature.length !== 64) return false;
  try {
    const digest = hash
      .sha256()
      .update(message as unknown as number[])
      .digest();
    const r = Array.from(signature.subarray(0, 32));
    const s = Array.from(signature.subarray(32));
    return curve.verify(digest, { r, s }, curve.keyFromPublic(Array.from(publicKey)));
  } catch {
    return false;
  }
}
