// The verification bench page: checks a whole bundle the way a kiosk does
// before it accepts it (the manifest's signature, then size and SHA-256 of
// every file against the signed listing), with the kiosk's own crypto
// dispatch (src/content/crypto.ts): WebCrypto on a secure origin, the pure-JS
// fallback on plain http. The bundle is fetched and unpacked before timing.
import {
  collectIndexRefs,
  checkFileBytes,
  parseIndexShard,
  parseManifest,
  type FileRef,
} from '../../../../src/content/bundle.ts';
import { cryptoBackend, sha256Hex, verifySignature } from '../../../../src/content/crypto.ts';
import { unpackBundle } from '../../../../src/content/pack.ts';
import type { TrustedKey } from '../../../../src/config/types.ts';

/** What one verification reports back to Node. */
export interface VerifyBenchRun {
  backend: ReturnType<typeof cryptoBackend>;
  /** Signature check of manifest.json. */
  signatureMs: number;
  /** Size and SHA-256 of every file listed (index lists, shards, items, singletons). */
  hashMs: number;
  files: number;
  bytes: number;
}

declare global {
  interface Window {
    verifyBench?: {
      prepare(bundleUrl: string): Promise<{ files: number; backend: string }>;
      run(trustedKeys: TrustedKey[]): Promise<VerifyBenchRun>;
    };
  }
}

let files: Map<string, Uint8Array> | null = null;

const get = async (url: string) =>
  new Uint8Array(await (await fetch(url, { cache: 'no-store' })).arrayBuffer());

window.verifyBench = {
  async prepare(bundleUrl) {
    files = unpackBundle(await get(`${bundleUrl}bundle.gkb`));
    files.set('manifest.json', await get(`${bundleUrl}manifest.json`));
    files.set('manifest.sig', await get(`${bundleUrl}manifest.sig`));
    // Loads the pure-JS code where it is needed, so the runs time the work, not the download.
    await sha256Hex(new Uint8Array(1));
    return { files: files.size, backend: cryptoBackend() };
  },
  async run(trustedKeys) {
    const all = files;
    if (!all) throw new Error('verify bench: prepare() first');
    const read = (path: string) => {
      const bytes = all.get(path);
      if (!bytes) throw new Error(`verify bench: ${path} is not in the pack`);
      return bytes;
    };
    const manifestBytes = read('manifest.json');
    const t0 = performance.now();
    const keyId = await verifySignature(
      manifestBytes,
      new TextDecoder().decode(read('manifest.sig')),
      trustedKeys,
    );
    if (!keyId) throw new Error('verify bench: the signature does not verify');
    const t1 = performance.now();
    const manifest = parseManifest(manifestBytes);
    let bytes = 0;
    let count = 0;
    const check = async (ref: FileRef) => {
      const b = read(ref.path);
      await checkFileBytes(ref, b);
      bytes += b.length;
      count++;
      return b;
    };
    // collectIndexRefs checks each index list's size and hash itself.
    const tree = await collectIndexRefs(manifest, async (ref) => read(ref.path));
    for (const ref of tree.lists) {
      bytes += ref.size;
      count++;
    }
    const items: FileRef[] = [];
    for (const ref of tree.indexes) {
      items.push(...parseIndexShard(ref.path, await check(ref)).items);
    }
    for (const ref of [...items, ...manifest.files]) await check(ref);
    const t2 = performance.now();
    return {
      backend: cryptoBackend(),
      signatureMs: t1 - t0,
      hashMs: t2 - t1,
      files: count,
      bytes,
    };
  },
};
