import type { KioskConfig } from '../config/types.ts';
import type { ItemFile } from '../content/bundle.ts';
import { verifyBundle } from '../content/verify.ts';
import { listSnapshots, readSnapshotFiles, type PackDir, type Store } from '../data/db.ts';
import { CryptoUnavailableError } from '../content/crypto.ts';
import { SyncError, toSyncError } from './errors.ts';
import { ingestBundle, type TrustedKeyRef } from './ingest.ts';
import { fileSource } from './sources.ts';

/** Options of {@link restoreLocalCopy}. */
export interface RestoreOptions {
  /** Keys from the kiosk configuration; the snapshot adds the keys it had learned. */
  trustedKeys: readonly TrustedKeyRef[];
  bundleId?: string;
  limits: { maxFileBytes: number; maxBundleBytes: number };
}

/** The kiosk configuration's trusted keys, as the ingest takes them. */
export function trustedKeyRefs(config: KioskConfig): TrustedKeyRef[] {
  return config.trustedKeys.map((k) => ({ id: k.id, jwk: k.jwk, demo: k.demo }));
}

/** What a restore (and the read-only copy) verifies with, from the kiosk configuration. */
export function restoreOptions(config: KioskConfig): RestoreOptions {
  return {
    trustedKeys: trustedKeyRefs(config),
    bundleId: config.sync.bundleId,
    limits: { maxFileBytes: config.sync.maxFileBytes, maxBundleBytes: config.sync.maxBundleBytes },
  };
}

/** A restored version. */
export interface Restored {
  version: number;
  /** Snapshots that failed verification and were dropped. */
  dropped: number;
}

/**
 * Failures of storage itself, or of a page that cannot verify at all (no
 * WebCrypto and no usable fallback): the snapshot may be fine, so it is kept
 * for the next start.
 */
const TRANSIENT: readonly string[] = ['quota', 'storage', 'crypto'];

/**
 * When the database holds no active version but the pack directory holds a
 * snapshot of one (Chromium recreated a corrupt store empty; the watchdog
 * cleared IndexedDB; a listed object was missing and the store was deleted),
 * verifies that copy exactly like a download (signature on the manifest's
 * bytes, size and SHA-256 of every file) and commits it: the kiosk shows its
 * content again without a network. The newest snapshot that verifies wins; one
 * that fails is dropped so it is not tried at every start. Resolves null when
 * there is nothing to restore.
 */
export async function restoreLocalCopy(
  store: Store,
  options: RestoreOptions,
): Promise<Restored | null> {
  if (await store.activeVersion()) return null;
  let dropped = 0;
  const packs = store.packs;
  if (!packs) return null;
  for (const snap of await listSnapshots(packs)) {
    try {
      const files = await readSnapshotFiles(packs, snap);
      // Keys learned from verified manifests before the loss, as the lost database held them.
      if (snap.learnedKeys.length && !(await store.getMeta('learnedKeys'))?.length) {
        await store.setMeta('learnedKeys', snap.learnedKeys);
      }
      const result = await ingestBundle(
        fileSource([...files].map(([path, bytes]) => ({ path, bytes }))),
        {
          store,
          trustedKeys: options.trustedKeys,
          bundleId: options.bundleId,
          limits: options.limits,
          restoring: true,
          // The bytes are on this disk already; the write that needs room is checked by the commit.
          estimate: () => Promise.resolve({}),
        },
      );
      if (result.outcome === 'switched' && result.version !== null) {
        return { version: result.version, dropped };
      }
    } catch (err) {
      if (err instanceof SyncError && TRANSIENT.includes(err.code)) throw err;
      // This page cannot verify at all (no WebCrypto and no usable fallback): not the copy's fault.
      if (err instanceof CryptoUnavailableError) throw toSyncError(err);
      console.warn(`[gongkai] local copy of version ${snap.version} unusable, dropping it`, err);
      await store.dropLocalCopy(snap.version).catch(() => undefined);
      dropped++;
    }
  }
  return null;
}

/** A verified local copy read into memory (see {@link verifiedLocalCopy}). */
export interface LocalContent {
  version: number;
  generatedAt: string;
  items: ItemFile[];
}

/**
 * The newest snapshot in a pack directory that verifies (signature on the
 * manifest's bytes, size and SHA-256 of every file), read into memory. For a
 * kiosk whose database cannot be opened at all (Chromium refuses its backing
 * store and no watchdog clears it): it shows this copy, read-only, instead of
 * nothing, until the store opens again. Resolves null when none verifies.
 */
export async function verifiedLocalCopy(
  packs: PackDir,
  options: Pick<RestoreOptions, 'trustedKeys' | 'limits'>,
): Promise<LocalContent | null> {
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  for (const snap of await listSnapshots(packs)) {
    try {
      const files = await readSnapshotFiles(packs, snap);
      const keys = [...options.trustedKeys, ...snap.learnedKeys];
      const read = (path: string) => Promise.resolve(files.get(path) ?? null);
      const verified = await verifyBundle(read, keys, options.limits);
      const items = verified.items.map(({ ref }) => {
        return JSON.parse(utf8.decode(files.get(ref.path))) as ItemFile;
      });
      return {
        version: verified.manifest.version,
        generatedAt: verified.manifest.generatedAt,
        items,
      };
    } catch (err) {
      console.warn(`[gongkai] local copy of version ${snap.version} does not verify`, err);
    }
  }
  return null;
}
