import { describe, expect, it } from 'vitest';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import {
  base64UrlEncode,
  BundleError,
  parseManifest,
  type JwkP256,
} from '../../src/content/bundle.ts';
import { buildBundle, calendarFile, taxonomyFile } from '../../src/content/build.ts';
import { packBundle, unpackBundle } from '../../src/content/pack.ts';
import { verifyBundle } from '../../src/content/verify.ts';
import { generatedNotices } from './helpers/generate.ts';

const hash = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const j = publicKey.export({ format: 'jwk' });
const keys = [{ id: 'test', jwk: { kty: 'EC', crv: 'P-256', x: j.x, y: j.y } as JwkP256 }];

async function built(count: number, changed: Set<number> = new Set(), version = 1) {
  const b = await buildBundle({
    bundleId: 'test',
    version,
    generatedAt: '2026-11-24T00:00:00.000Z',
    expiresAt: '2026-12-24T00:00:00.000Z',
    keyId: 'test',
    items: generatedNotices(count, changed),
    derive: (item) => ({ titleLength: item.kind === 'notice' ? item.title['zh-Hans'].length : 0 }),
    files: [
      calendarFile({ '2026': { holidays: ['2026-10-01'], makeupWorkdays: [] } }),
      taxonomyFile(),
    ],
    hash,
  });
  const sig = base64UrlEncode(
    new Uint8Array(sign('sha256', b.manifestBytes, { key: privateKey, dsaEncoding: 'ieee-p1363' })),
  );
  const all = new Map(b.files);
  all.set('manifest.json', b.manifestBytes);
  all.set('manifest.sig', new TextEncoder().encode(sig));
  return { ...b, all };
}

const isItemFile = (v: Uint8Array): boolean =>
  new TextDecoder().decode(v.subarray(0, 8)) === '{"item":';

const reader = (files: Map<string, Uint8Array>) => async (p: string) => files.get(p) ?? null;

describe('bundle build → verify', () => {
  it('verifies a signed bundle with WebCrypto and lists every item', async () => {
    const b = await built(40);
    const v = await verifyBundle(reader(b.all), keys);
    expect(v.keyId).toBe('test');
    expect(v.items).toHaveLength(40);
    expect(v.manifest.indexLists).toBeUndefined();
    expect(
      parseManifest(b.manifestBytes)
        .files.map((f) => f.role)
        .sort(),
    ).toEqual(['calendar', 'taxonomy']);
  });

  it('fails naming the file when one byte of any file changes', async () => {
    const b = await built(600); // large enough for index lists as well as shards
    expect(b.manifest.indexLists?.length).toBeGreaterThan(0);
    const kinds = new Map<string, string>();
    for (const [p, bytes] of b.files) {
      const s = new TextDecoder().decode(bytes.subarray(0, 12));
      const kind = s.startsWith('{"item"')
        ? 'item'
        : s.startsWith('{"bucket"')
          ? 'shard'
          : s.startsWith('{"indexes"')
            ? 'index list'
            : s.startsWith('{"categories')
              ? 'taxonomy'
              : 'calendar';
      if (!kinds.has(kind)) kinds.set(kind, p);
    }
    expect([...kinds.keys()].sort()).toEqual([
      'calendar',
      'index list',
      'item',
      'shard',
      'taxonomy',
    ]);
    for (const path of [...kinds.values(), 'manifest.json', 'manifest.sig']) {
      const files = new Map(b.all);
      const bytes = new Uint8Array(files.get(path) as Uint8Array);
      const at = Math.floor(bytes.length / 2);
      bytes[at] = bytes[at] ^ 0x01;
      files.set(path, bytes);
      const err = await verifyBundle(reader(files), keys).catch((e: unknown) => e);
      expect(err, path).toBeInstanceOf(BundleError);
      const file = (err as BundleError).file;
      if (path === 'manifest.json') expect((err as Error).message).toContain('manifest.json');
      else expect(file).toBe(path);
    }
  });

  it('refuses a bundle signed by an untrusted key', async () => {
    const b = await built(5);
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
      format: 'jwk',
    });
    const err = await verifyBundle(reader(b.all), [
      { id: 'other', jwk: { kty: 'EC', crv: 'P-256', x: other.x, y: other.y } as JwkP256 },
    ]).catch((e: unknown) => e);
    expect((err as BundleError).file).toBe('manifest.sig');
  });

  it('keeps unchanged items at the same path across versions', async () => {
    const a = await built(100);
    const b = await built(100, new Set([3]), 2);
    const added = [...b.files.keys()].filter((p) => !a.files.has(p));
    // One item file and its shard; the manifest names shards directly at this size.
    expect(added).toHaveLength(2);
  });
});

describe('delta size', () => {
  it('a 1%-changed 10,000-item bundle downloads ≤ 2% of the full bundle, manifest included', async () => {
    const changed = new Set(Array.from({ length: 100 }, (_, k) => k * 97 + 5));
    const a = await built(10_000);
    const b = await built(10_000, changed, 2);
    const itemBytes = [...b.files.values()].filter((v) => isItemFile(v)).map((v) => v.length);
    const avgItem = itemBytes.reduce((s, n) => s + n, 0) / itemBytes.length;
    expect(avgItem).toBeGreaterThan(1900); // ~2 KB items, as a real notice
    const have = new Set(a.files.keys());
    const manifestAndSig =
      (b.all.get('manifest.json')?.length ?? 0) + (b.all.get('manifest.sig')?.length ?? 0);
    let full = manifestAndSig;
    let download = manifestAndSig;
    for (const [p, v] of b.files) {
      full += v.length;
      if (!have.has(p)) download += v.length;
    }
    expect(full).toBeGreaterThan(20_000_000);
    expect(download / full).toBeLessThanOrEqual(0.02);
    // And the kiosk gets every changed item: 100 new item files are among the download.
    const newItems = [...b.files].filter(([p, v]) => !have.has(p) && isItemFile(v));
    expect(newItems).toHaveLength(100);
  }, 120_000);
});

describe('pack / unpack', () => {
  it('round-trips a bundle and verifies the same way', async () => {
    const b = await built(30);
    const packed = packBundle(b.all);
    const files = unpackBundle(packed, 'x.gkb');
    expect([...files.keys()].sort()).toEqual([...b.all.keys()].sort());
    await expect(verifyBundle(reader(files), keys)).resolves.toMatchObject({ keyId: 'test' });
  });

  it('names the packed file on a malformed container', async () => {
    const b = await built(3);
    const packed = packBundle(b.all);
    expect(() => unpackBundle(packed.subarray(0, packed.length - 1), 'usb.gkb')).toThrow(
      /usb\.gkb: .*runs past the end/,
    );
    expect(() => unpackBundle(new Uint8Array([1, 2, 3]), 'usb.gkb')).toThrow(
      /usb\.gkb: not a Gongkai bundle pack/,
    );
    const extra = new Uint8Array(packed.length + 1);
    extra.set(packed);
    expect(() => unpackBundle(extra, 'usb.gkb')).toThrow(/1 bytes after the last file/);
    expect(() => packBundle(new Map([['../evil', new Uint8Array()]]))).toThrow(BundleError);
  });

  it('a flipped byte inside a packed file fails verification naming the inner file', async () => {
    const b = await built(20);
    const packed = new Uint8Array(packBundle(b.all));
    const files = unpackBundle(packed);
    const itemPath = [...files.keys()].find(
      (p) => p.startsWith('objects/') && isItemFile(files.get(p) as Uint8Array),
    ) as string;
    const view = files.get(itemPath) as Uint8Array;
    view[5] ^= 0x01; // a view into `packed`: the same as flipping the byte in the .gkb file
    const err = await verifyBundle(reader(unpackBundle(packed)), keys).catch((e: unknown) => e);
    expect((err as BundleError).file).toBe(itemPath);
  });
});
