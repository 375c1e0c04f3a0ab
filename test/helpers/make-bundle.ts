// Test fixture builder for signed bundles, following src/content/bundle.ts
// exactly (the CLI's `bundle build` is the production writer). Node only.
import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  sign,
  type KeyObject,
} from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  BUNDLE_FORMAT,
  bucketCount,
  bucketOf,
  objectPath,
  type FileRef,
  type JwkP256,
  type Manifest,
} from '../../src/content/bundle.ts';

/** A signing key: its id, the private key for Node, the public JWK for the kiosk. */
export interface TestKey {
  id: string;
  privateKey: KeyObject;
  jwk: JwkP256;
}

/** The demo key whose public half is in kiosk-config/default.json (id demo-2026). */
export function demoKey(): TestKey {
  const privateKey = createPrivateKey(readFileSync('src/content/demo/DEMO-KEY-NOT-SECRET.pem'));
  return { id: 'demo-2026', privateKey, jwk: publicJwk(privateKey) };
}

/** A fresh random P-256 key. */
export function newKey(id: string): TestKey {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { id, privateKey, jwk: publicJwk(privateKey) };
}

function publicJwk(privateKey: KeyObject): JwkP256 {
  const { kty, crv, x, y } = privateKey.export({ format: 'jwk' });
  return { kty: kty as 'EC', crv: crv as 'P-256', x: x as string, y: y as string };
}

/** base64url of the raw r‖s signature over `bytes`, as bundle.ts expects. */
export function signBytes(bytes: Uint8Array, key: TestKey): string {
  return sign('sha256', bytes, { key: key.privateKey, dsaEncoding: 'ieee-p1363' }).toString(
    'base64url',
  );
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

export interface MakeBundleOptions {
  items: { id: string }[];
  version: number;
  key?: TestKey;
  bundleId?: string;
  generatedAt?: string;
  expiresAt?: string;
  /** Overrides of manifest fields after it is built (to forge odd manifests), before signing. */
  mutateManifest?: (m: Manifest) => void;
  nextKeys?: { id: string; jwk: JwkP256 }[];
  /** Extra singleton files. */
  files?: { role: Manifest['files'][number]['role']; name?: string; bytes: Uint8Array }[];
}

/** A built bundle: every file by its path, and the manifest. */
export interface BuiltBundle {
  files: Map<string, Uint8Array>;
  manifest: Manifest;
}

/** Builds a signed bundle in memory. */
export function makeBundle(opts: MakeBundleOptions): BuiltBundle {
  const key = opts.key ?? demoKey();
  const files = new Map<string, Uint8Array>();
  const put = (bytes: Uint8Array): FileRef => {
    const sha256 = sha(bytes);
    const path = objectPath(sha256);
    files.set(path, bytes);
    return { path, sha256, size: bytes.length };
  };
  const n = bucketCount(opts.items.length);
  const buckets: (FileRef & { id: string })[][] = Array.from({ length: n }, () => []);
  for (const item of opts.items) {
    buckets[bucketOf(item.id, n)].push({ ...put(enc({ item })), id: item.id });
  }
  const indexes = buckets.map((items, bucket) => put(enc({ bucket, items })));
  const singles = (opts.files ?? []).map((f) => ({
    ...put(f.bytes),
    role: f.role,
    ...(f.name ? { name: f.name } : {}),
  }));
  let totalBytes = 0;
  for (const b of files.values()) totalBytes += b.length;
  const manifest: Manifest = {
    format: BUNDLE_FORMAT,
    bundleId: opts.bundleId ?? 'gongkai-demo',
    version: opts.version,
    generatedAt: opts.generatedAt ?? '2026-11-20T00:00:00.000Z',
    expiresAt: opts.expiresAt ?? '2099-01-01T00:00:00.000Z',
    keyId: key.id,
    ...(opts.nextKeys ? { nextKeys: opts.nextKeys } : {}),
    itemCount: opts.items.length,
    totalBytes,
    indexes,
    files: singles,
  };
  opts.mutateManifest?.(manifest);
  const manifestBytes = enc(manifest);
  files.set('manifest.json', manifestBytes);
  files.set('manifest.sig', new TextEncoder().encode(signBytes(manifestBytes, key)));
  return { files, manifest };
}

/** Signed alerts.json + alerts.sig. */
export function makeAlerts(opts: {
  sequence: number;
  alerts: unknown[];
  key?: TestKey;
  bundleId?: string;
}): Map<string, Uint8Array> {
  const key = opts.key ?? demoKey();
  const bytes = enc({
    format: BUNDLE_FORMAT,
    bundleId: opts.bundleId ?? 'gongkai-demo',
    sequence: opts.sequence,
    issuedAt: '2026-11-20T00:00:00.000Z',
    keyId: key.id,
    alerts: opts.alerts,
  });
  return new Map([
    ['alerts.json', bytes],
    ['alerts.sig', new TextEncoder().encode(signBytes(bytes, key))],
  ]);
}

/** Writes a built bundle to a directory. */
export function writeBundle(dir: string, bundle: BuiltBundle): void {
  for (const [path, bytes] of bundle.files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), bytes);
  }
}

/** The demo items of src/content/demo/, as plain objects. */
export function demoItems(): { id: string; title?: { 'zh-Hans': string } }[] {
  return readdirSync('src/content/demo')
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(`src/content/demo/${f}`, 'utf8')) as { id: string });
}

/**
 * `count` generated notices of about `bodyChars` characters each (a 10,000-item
 * bundle of 20–30 MB uses ~1,000). `rev` changes the text of every item whose
 * index is a multiple of `every`, for incremental updates.
 */
export function generatedItems(
  count: number,
  {
    bodyChars = 200,
    rev = 0,
    every = 1,
  }: { bodyChars?: number; rev?: number; every?: number } = {},
): { id: string; kind: 'notice'; title: { 'zh-Hans': string } }[] {
  const phrase =
    '为进一步推进政务公开工作，切实保障人民群众的知情权、参与权和监督权，现将有关事项通知如下。';
  const body = phrase.repeat(Math.ceil(bodyChars / phrase.length)).slice(0, bodyChars);
  return Array.from({ length: count }, (_, i) => {
    const r = rev && i % every === 0 ? rev : 0;
    return {
      kind: 'notice' as const,
      id: `gen-${String(i).padStart(5, '0')}`,
      docType: '通知',
      title: { 'zh-Hans': `关于第 ${i} 号政务公开事项的通知${r ? `（修订 ${r}）` : ''}` },
      issuer: ['示例市人民政府办公室'],
      infoCategory: 'other',
      publishDate: `2026-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
      disclosure: { mode: '主动公开' },
      body: `<p>${body}</p>`,
    };
  });
}
