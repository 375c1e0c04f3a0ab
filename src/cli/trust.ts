/**
 * Will the kiosks accept what we are about to sign? Checks the signing key
 * against the trusted keys of the target kiosk configurations (plus the
 * `nextKeys` the kiosks learned from the bundle they hold), and notices a key
 * change against what the output folder was last signed with.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  parseManifest,
  verifySignature,
  type JwkP256,
  type Manifest,
  type ManifestLimits,
} from '../content/bundle.ts';
import { SYNC_LIMIT_DEFAULTS } from '../config/limits.ts';
import { keysFromConfig, type SigningKey } from './keys.ts';
import { exists, readJsonFile, UsageError } from './util.ts';

type Key = { id: string; jwk: JwkP256 };

const sameKey = (a: JwkP256, b: JwkP256): boolean => a.x === b.x && a.y === b.y;

/** The manifest in a bundle folder with its signature, or null when there is none. */
async function signedManifest(
  out: string,
): Promise<{ manifest: Manifest; bytes: Uint8Array; sig: string } | null> {
  const m = join(out, 'manifest.json');
  const s = join(out, 'manifest.sig');
  if (!(await exists(m)) || !(await exists(s))) return null;
  const bytes = new Uint8Array(await readFile(m));
  try {
    return { manifest: parseManifest(bytes), bytes, sig: (await readFile(s, 'utf8')).trim() };
  } catch {
    return null;
  }
}

/**
 * Refuses (exit 2) to sign with a key the kiosks of `configs` do not trust,
 * and warns loudly when no configuration was given to check against.
 */
export async function checkKioskTrust(
  command: string,
  signer: SigningKey,
  keyPath: string,
  configs: readonly string[],
  out: string,
  warn: (line: string) => void,
): Promise<void> {
  if (configs.length === 0) {
    warn(
      `WARNING: gongkai ${command}: no --config given, so nothing checks that the kiosks trust key ${signer.id} (${keyPath}). ` +
        'Kiosks silently ignore a bundle or alert signed with a key they do not trust. ' +
        'Pass --config <kiosk-config.json> (repeatable) to check.',
    );
    return;
  }
  const held = await signedManifest(out);
  for (const config of configs) {
    const trusted: Key[] = await keysFromConfig(config);
    // Kiosks that synced the bundle in --out also trust the nextKeys it announced.
    const learned =
      held && (await verifySignature(held.bytes, held.sig, trusted))
        ? (held.manifest.nextKeys ?? [])
        : [];
    if (![...trusted, ...learned].some((k) => sameKey(k.jwk, signer.jwk))) {
      throw new UsageError(
        `gongkai ${command}: refused: the kiosks of ${config} do not trust ${keyPath} (key ${signer.id}); ` +
          `they trust ${trusted.map((k) => k.id).join(', ')}${learned.length ? ` and announced ${learned.map((k) => k.id).join(', ')}` : ''}. ` +
          'Sign with a trusted key, or add the key to trustedKeys (or announce it with --next-key) and deploy that first.',
      );
    }
  }
}

/**
 * Notices a key change: when the file `signedFile` in `out` (manifest.json or
 * alerts.json) was signed by another key, refuses unless `rotate`, and then
 * still warns loudly.
 */
export async function checkKeyChange(
  command: string,
  signer: SigningKey,
  out: string,
  signedFile: 'manifest.json' | 'alerts.json',
  rotate: boolean,
  warn: (line: string) => void,
): Promise<void> {
  const file = join(out, signedFile);
  const sigFile = join(out, signedFile.replace(/\.json$/, '.sig'));
  if (!(await exists(file)) || !(await exists(sigFile))) return;
  const bytes = new Uint8Array(await readFile(file));
  const sig = (await readFile(sigFile, 'utf8')).trim();
  if (await verifySignature(bytes, sig, [{ id: signer.id, jwk: signer.jwk }])) return;
  let previousId = 'another key';
  let announced = false;
  try {
    const raw = JSON.parse(new TextDecoder().decode(bytes)) as {
      keyId?: unknown;
      nextKeys?: { jwk?: JwkP256 }[];
    };
    if (typeof raw.keyId === 'string') previousId = `key ${raw.keyId}`;
    announced = (raw.nextKeys ?? []).some((k) => k.jwk !== undefined && sameKey(k.jwk, signer.jwk));
  } catch {
    // An unreadable previous file: the key change is reported all the same.
  }
  const what = `${file} was signed by ${previousId}, not by the key you gave (${signer.id})`;
  if (!rotate)
    throw new UsageError(
      `gongkai ${command}: refused: ${what}. If you are rotating keys on purpose, pass --rotate` +
        ' (kiosks must already trust the new key: trustedKeys, or --next-key in an earlier bundle).',
    );
  warn(
    `WARNING: gongkai ${command}: key rotation: ${what}.${announced ? ' The previous bundle announced this key in nextKeys.' : ' The previous bundle did not announce this key (nextKeys): kiosks accept it only if their kiosk-config trusts it.'}`,
  );
}

/**
 * The size limits kiosks apply (kiosk-config `sync.maxFileBytes` and
 * `sync.maxBundleBytes`): the smallest over the given configurations, or the
 * kiosk's defaults (one source: kiosk-config/schema.json).
 */
export async function kioskLimits(configs: readonly string[]): Promise<ManifestLimits> {
  const limits: ManifestLimits = { ...SYNC_LIMIT_DEFAULTS };
  for (const config of configs) {
    const raw = (await readJsonFile(config)) as { sync?: Partial<ManifestLimits> } | null;
    for (const k of ['maxFileBytes', 'maxBundleBytes'] as const) {
      const v = raw?.sync?.[k];
      if (typeof v === 'number' && v > 0) limits[k] = Math.min(limits[k], v);
    }
  }
  return limits;
}

/** Bytes in words: `52.4 MB`. */
export function megabytes(n: number): string {
  return `${(n / 1_000_000).toFixed(1)} MB`;
}
