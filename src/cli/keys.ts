/**
 * Key handling for the CLI (node:crypto): loading PEM private keys, public
 * keys as PEM, JWK or from a kiosk configuration, signing in the raw r‖s
 * form WebCrypto verifies, and spotting the demo key.
 */
import { createHash, createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { base64UrlEncode, type JwkP256 } from '../content/bundle.ts';
import { describeSystemError, InvalidError, IoError, isSystemError, readJsonFile } from './util.ts';

/** The repository's kiosk-config folder (for the demo key). */
export const KIOSK_CONFIG_DIR = fileURLToPath(new URL('../../kiosk-config/', import.meta.url));

export interface SigningKey {
  key: KeyObject;
  jwk: JwkP256;
  id: string;
  demo: boolean;
}

function toJwk(pub: KeyObject): JwkP256 {
  const j = pub.export({ format: 'jwk' });
  if (j.kty !== 'EC' || j.crv !== 'P-256' || typeof j.x !== 'string' || typeof j.y !== 'string') {
    throw new InvalidError('the key is not an ECDSA P-256 key');
  }
  return { kty: 'EC', crv: 'P-256', x: j.x, y: j.y };
}

/** RFC 7638 thumbprint (base64url, first 16 characters): a stable key id. */
export function keyThumbprint(jwk: JwkP256): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return base64UrlEncode(createHash('sha256').update(canonical).digest()).slice(0, 16);
}

/** Trusted keys of a kiosk configuration file. */
export async function keysFromConfig(
  path: string,
): Promise<{ id: string; jwk: JwkP256; demo: boolean }[]> {
  const cfg = (await readJsonFile(path)) as { trustedKeys?: unknown };
  if (!Array.isArray(cfg.trustedKeys)) throw new InvalidError(`${path}: no trustedKeys list`);
  return cfg.trustedKeys.map((k: { id?: unknown; jwk?: JwkP256; demo?: unknown }, i) => {
    if (typeof k.id !== 'string' || !k.jwk)
      throw new InvalidError(`${path}: trustedKeys[${i}] is not {id, jwk}`);
    return {
      id: k.id,
      jwk: { kty: 'EC', crv: 'P-256', x: k.jwk.x, y: k.jwk.y },
      demo: k.demo === true,
    };
  });
}

/** The demo key(s) of kiosk-config/default.json. */
export async function demoKeys(): Promise<{ id: string; jwk: JwkP256 }[]> {
  return (await keysFromConfig(`${KIOSK_CONFIG_DIR}default.json`)).filter((k) => k.demo);
}

/** Loads a PEM private key, finding out whether it is the demo key. */
export async function loadSigningKey(path: string, id?: string): Promise<SigningKey> {
  let pem: string;
  try {
    pem = await readFile(path, 'utf8');
  } catch (e) {
    throw new IoError(
      `cannot read the private key ${path}: ${isSystemError(e) ? describeSystemError(e) : String(e)}`,
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (e) {
    throw new InvalidError(
      `${path}: not a PEM private key (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  const jwk = toJwk(createPublicKey(key));
  const demo = (await demoKeys()).find((k) => k.jwk.x === jwk.x && k.jwk.y === jwk.y);
  return { key, jwk, id: id ?? demo?.id ?? keyThumbprint(jwk), demo: !!demo };
}

/** Loads public keys from a PEM or JWK (JSON) file. */
export async function loadPublicKey(path: string): Promise<{ id: string; jwk: JwkP256 }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new IoError(
      `cannot read the public key ${path}: ${isSystemError(e) ? describeSystemError(e) : String(e)}`,
    );
  }
  try {
    if (text.trimStart().startsWith('{')) {
      const j = JSON.parse(text) as { jwk?: JwkP256; x?: string; y?: string; id?: string };
      const src = j.jwk ?? (j as JwkP256);
      const jwk = toJwk(
        createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: src.x, y: src.y }, format: 'jwk' }),
      );
      return { id: j.id ?? keyThumbprint(jwk), jwk };
    }
    const jwk = toJwk(createPublicKey(text));
    return { id: keyThumbprint(jwk), jwk };
  } catch (e) {
    if (e instanceof InvalidError) throw e;
    throw new InvalidError(`${path}: not a P-256 public key in PEM or JWK form`);
  }
}

/** Signs bytes: ECDSA P-256 / SHA-256, raw r‖s, base64url text. */
export function signBytes(key: KeyObject, bytes: Uint8Array): string {
  return base64UrlEncode(new Uint8Array(sign('sha256', bytes, { key, dsaEncoding: 'ieee-p1363' })));
}
