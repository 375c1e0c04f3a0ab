/**
 * Pure-JS SHA-256 and ECDSA P-256 verification (the audited `@noble/hashes`
 * and `@noble/curves`), for pages without WebCrypto: `crypto.subtle` exists
 * only in secure contexts, and many intranets serve kiosks over plain http
 * from an intranet host (issue #17).
 *
 * Only {@link ./bundle.ts} loads this, with a dynamic `import()`, and only
 * when `crypto.subtle` is missing: secure contexts never download it, and the
 * BigInt code in it never reaches engines without BigInt (Chromium < 67),
 * which cannot parse it.
 */
import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';

/** SHA-256 of `bytes`. */
export function sha256Bytes(bytes: Uint8Array): Uint8Array {
  return sha256(bytes);
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
  // Throws for a point off the curve (or the point at infinity).
  p256.Point.fromBytes(key).assertValidity();
  return key;
}

/**
 * Verifies a raw r‖s ECDSA P-256 / SHA-256 signature over `message` like
 * WebCrypto does: high-S signatures are valid (OpenSSL and Node sign them),
 * a malformed signature is simply not valid.
 */
export function p256Verify(publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array) {
  if (signature.length !== 64) return false;
  try {
    return p256.verify(signature, message, publicKey, {
      prehash: true,
      lowS: false,
      format: 'compact',
    });
  } catch {
    return false;
  }
}
