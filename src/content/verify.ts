/**
 * Full verification of a bundle, the same for a directory, a packed file or
 * a kiosk's staging: the manifest signature first (on the exact bytes), then
 * every listed file's size and SHA-256. The first problem throws a
 * {@link BundleError} naming the file.
 */
import {
  BundleError,
  checkFileBytes,
  collectIndexRefs,
  parseIndexShard,
  parseManifest,
  verifySignature,
  type FileRef,
  type JwkP256,
  type Manifest,
  type ManifestLimits,
} from './bundle.ts';

/** Reads a bundle file by path; null when it does not exist. */
export type BundleReader = (path: string) => Promise<Uint8Array | null>;

export interface VerifiedBundle {
  manifest: Manifest;
  /** Id of the trusted key that verified the signature. */
  keyId: string;
  /** Every file checked (manifest and signature excluded). */
  files: FileRef[];
  /** Item ids by item file path. */
  items: { id: string; ref: FileRef }[];
}

/** Verifies a whole bundle; throws {@link BundleError} on the first bad file. */
export async function verifyBundle(
  read: BundleReader,
  keys: readonly { id: string; jwk: JwkP256 }[],
  limits?: ManifestLimits,
): Promise<VerifiedBundle> {
  const manifestBytes = await read('manifest.json');
  if (!manifestBytes) throw new BundleError('manifest.json', 'missing');
  const sigBytes = await read('manifest.sig');
  if (!sigBytes) throw new BundleError('manifest.sig', 'missing');
  const sigText = new TextDecoder().decode(sigBytes);
  if (!/^[A-Za-z0-9_-]+\s*$/.test(sigText)) {
    throw new BundleError('manifest.sig', 'not base64url text');
  }
  const keyId = await verifySignature(manifestBytes, sigText.trim(), keys);
  if (!keyId) {
    throw new BundleError(
      'manifest.sig',
      'signature does not verify manifest.json with any trusted key (manifest.json or manifest.sig was changed, or the key is not trusted)',
    );
  }
  const manifest = parseManifest(manifestBytes, limits);
  const { files, items } = await listBundleFiles(manifest, read, limits?.maxFileBytes);
  return { manifest, keyId, files, items };
}

/**
 * Every file a manifest reaches (index lists, shards, items, singletons),
 * each read and checked for size and SHA-256. Does not check the signature:
 * {@link verifyBundle} does that first; `bundle diff` and `bundle pack` use
 * this alone on bundles they do not need to trust.
 */
export async function listBundleFiles(
  manifest: Manifest,
  read: BundleReader,
  maxFileBytes?: number,
): Promise<{ files: FileRef[]; items: VerifiedBundle['items'] }> {
  const need = async (ref: FileRef): Promise<Uint8Array> => {
    const bytes = await read(ref.path);
    if (!bytes) throw new BundleError(ref.path, 'listed but missing');
    await checkFileBytes(ref, bytes);
    return bytes;
  };
  const { indexes, lists } = await collectIndexRefs(manifest, need, maxFileBytes);
  const files: FileRef[] = [...lists];
  const items: VerifiedBundle['items'] = [];
  for (const ref of indexes) {
    const shard = parseIndexShard(ref.path, await need(ref), maxFileBytes);
    files.push(ref);
    for (const it of shard.items) {
      await need(it);
      files.push(it);
      items.push({ id: it.id, ref: { path: it.path, sha256: it.sha256, size: it.size } });
    }
  }
  for (const f of manifest.files) {
    await need(f);
    files.push(f);
  }
  if (items.length !== manifest.itemCount) {
    throw new BundleError(
      'manifest.json',
      `itemCount ${manifest.itemCount} but the index lists ${items.length} items`,
    );
  }
  return { files, items };
}
