/**
 * `gongkai bundle verify`: everything a kiosk checks before it takes a
 * bundle: the signature by a trusted key, every file, the size limits,
 * expiry, rollback (against an older manifest) and the bundle id (with a
 * kiosk configuration), then alerts.json and the packed copy `bundle.gkb`
 * beside the files, which kiosks fetch in one request.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BundleError, verifySignature, type JwkP256, type Manifest } from '../../content/bundle.ts';
import { parseAlertsFile } from '../../content/alerts.ts';
import { PACK_FILE, unpackBundle } from '../../content/pack.ts';
import { verifyBundle, type BundleReader, type VerifiedBundle } from '../../content/verify.ts';
import { demoKeys, keysFromConfig, loadPublicKey } from '../keys.ts';
import { openBundle, readManifest } from '../source.ts';
import { kioskLimits } from '../trust.ts';
import {
  EXIT,
  exists,
  IoError,
  isDirectory,
  parse,
  readJsonFile,
  timeOption,
  UsageError,
} from '../util.ts';

type Key = { id: string; jwk: JwkP256 };

async function trustedKeys(pub: string | undefined, configs: readonly string[]): Promise<Key[]> {
  if (!pub && configs.length === 0)
    throw new UsageError(
      'gongkai bundle verify: give --pub <public key file> or --config <kiosk-config.json>',
    );
  const keys: Key[] = [];
  if (pub) keys.push(await loadPublicKey(pub));
  for (const c of configs) keys.push(...(await keysFromConfig(c)));
  return keys;
}

/** The version a kiosk holds: from an older manifest.json, bundle folder or .gkb. */
async function previousManifest(path: string): Promise<Manifest> {
  if (!(await exists(path))) throw new IoError(`${path}: no such manifest, bundle folder or file`);
  if (!(await isDirectory(path)) && path.endsWith('.json')) {
    const b = { label: path, read: async () => new Uint8Array(await readFile(path)) };
    return (await readManifest(b)).manifest;
  }
  return (await readManifest(await openBundle(path))).manifest;
}

/** The bundle ids the kiosks of the configurations expect (sync.bundleId). */
async function expectedBundleIds(configs: readonly string[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const c of configs) {
    const raw = (await readJsonFile(c)) as { sync?: { bundleId?: unknown } } | null;
    if (typeof raw?.sync?.bundleId === 'string') ids.set(c, raw.sync.bundleId);
  }
  return ids;
}

/** Checks alerts.json against alerts.sig when present. */
async function checkAlerts(
  read: BundleReader,
  keys: Key[],
): Promise<{ sequence: number; count: number } | null> {
  const alertBytes = await read('alerts.json');
  if (!alertBytes) return null;
  const sig = await read('alerts.sig');
  if (!sig) throw new BundleError('alerts.sig', 'missing beside alerts.json');
  const ok = await verifySignature(alertBytes, new TextDecoder().decode(sig).trim(), keys);
  if (!ok)
    throw new BundleError(
      'alerts.sig',
      'signature does not verify alerts.json with any trusted key',
    );
  const file = parseAlertsFile(alertBytes);
  return { sequence: file.sequence, count: file.alerts.length };
}

/** `gongkai bundle verify …`; returns the exit code. */
export async function verifyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse('bundle verify', argv, {
    pub: { type: 'string' },
    config: { type: 'string', multiple: true },
    previous: { type: 'string' },
    at: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 1)
    throw new UsageError('gongkai bundle verify: give one bundle directory or .gkb file');
  const configs = values.config ?? [];
  const at = timeOption('bundle verify', values.at, 'at') ?? new Date();
  const keys = await trustedKeys(values.pub, configs);
  const limits = await kioskLimits(configs);
  const previous = values.previous ? await previousManifest(values.previous) : null;
  const path = positionals[0];
  const b = await openBundle(path);

  const checkAll = async (read: BundleReader, prefix: string): Promise<VerifiedBundle> => {
    let v: VerifiedBundle;
    try {
      v = await verifyBundle(read, keys, limits);
    } catch (e) {
      if (e instanceof BundleError && prefix) throw new BundleError(`${prefix}${e.file}`, e.reason);
      throw e;
    }
    const m = v.manifest;
    const where = `${prefix}manifest.json`;
    // Kiosks refuse an expired bundle (src/sync/ingest.ts): so does verify.
    if (Date.parse(m.expiresAt) <= at.getTime())
      throw new BundleError(
        where,
        `expired at ${m.expiresAt} (checked at ${at.toISOString()}); kiosks refuse it: build a new version`,
      );
    // The same version is fine only when it is the same build (the kiosk already holds it).
    const same = m.version === previous?.version && m.generatedAt === previous.generatedAt;
    if (previous && previous.bundleId === m.bundleId && m.version <= previous.version && !same)
      throw new BundleError(
        where,
        `rollback: version ${m.version} is not newer than version ${previous.version} of ${values.previous}; kiosks holding that refuse it`,
      );
    if (previous && previous.bundleId !== m.bundleId)
      throw new BundleError(
        where,
        `bundle id ${m.bundleId} is not ${previous.bundleId} of ${values.previous}`,
      );
    for (const [config, id] of await expectedBundleIds(configs))
      if (id !== m.bundleId)
        throw new BundleError(
          where,
          `bundle id ${m.bundleId}, but the kiosks of ${config} take ${id}`,
        );
    return v;
  };

  const v = await checkAll(b.read, '');
  const alerts = await checkAlerts(b.read, keys);
  // The packed copy beside the files: kiosks may fetch it instead, so it must be the same bundle.
  let packed: { bytes: number } | null = null;
  if (await isDirectory(path)) {
    const gkb = await b.read(PACK_FILE);
    if (gkb) {
      let files: Map<string, Uint8Array>;
      try {
        files = unpackBundle(gkb, PACK_FILE);
      } catch (e) {
        if (e instanceof BundleError) throw new BundleError(PACK_FILE, `${e.file}: ${e.reason}`);
        throw e;
      }
      const pv = await checkAll(async (p) => files.get(p) ?? null, `${PACK_FILE}:`);
      if (pv.manifest.version !== v.manifest.version)
        throw new BundleError(
          PACK_FILE,
          `holds version ${pv.manifest.version}, the folder version ${v.manifest.version}: repack it (gongkai bundle pack)`,
        );
      packed = { bytes: gkb.length };
    }
  }
  const demo = (await demoKeys()).some((k) => k.id === v.keyId);
  const bytes = v.files.reduce((s, f) => s + f.size, 0);
  const m = v.manifest;
  if (values.json) {
    console.log(
      JSON.stringify(
        {
          ok: true,
          bundleId: m.bundleId,
          version: m.version,
          items: v.items.length,
          files: v.files.length,
          bytes,
          keyId: v.keyId,
          demo,
          expiresAt: m.expiresAt,
          alerts,
          packed,
        },
        null,
        2,
      ),
    );
  } else {
    console.log(
      `ok ${b.label}: ${m.bundleId} version ${m.version}, signature by ${v.keyId}${demo ? ' (DEMO key)' : ''}, ${v.items.length} items, ${v.files.length} files (${bytes} bytes) checked, expires ${m.expiresAt}`,
    );
    if (alerts) console.log(`ok alerts.json: sequence ${alerts.sequence}, ${alerts.count} alerts`);
    if (packed) console.log(`ok ${join(path, PACK_FILE)}: the same bundle, ${packed.bytes} bytes`);
  }
  return EXIT.ok;
}
