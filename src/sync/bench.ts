import type { TrustedKey } from '../config/types.ts';
import { openStore, deleteStore } from '../data/db.ts';
import { ingestBundle, type IngestPhase, type IngestResult } from './ingest.ts';
import { fileSource, httpSource, packedFiles } from './sources.ts';
import type { BundleSource } from './ingest.ts';

/** Options of {@link ingestFromUrl}. */
export interface BenchIngestOptions {
  /** Keys the manifest may be signed with (the kiosk configuration's `trustedKeys`). */
  trustedKeys: readonly TrustedKey[];
  bundleId?: string;
  /** Database to ingest into; a dedicated one so the kiosk's content is untouched. */
  dbName?: string;
  /** Delete the database first (a cold, full ingest). Default false (incremental). */
  fresh?: boolean;
  maxFileBytes?: number;
  maxBundleBytes?: number;
  concurrency?: number;
}

/** Timings of one benchmark ingest, in ms from the request of the manifest. */
export interface BenchIngestResult extends IngestResult {
  /** performance.now() offset of each phase's start. */
  phases: Partial<Record<IngestPhase, number>>;
}

/**
 * For `npm run bench`: ingests the bundle at `manifestUrl` into a separate
 * database with the same code path as the kiosk (verify, download only missing
 * files, hash, one strict transaction) and returns the timings and bytes.
 */
export async function ingestFromUrl(
  manifestUrl: string,
  options: BenchIngestOptions,
): Promise<BenchIngestResult> {
  return benchIngest(
    () => httpSource(new URL(manifestUrl, location.href).href, { timeoutMs: 120_000 }),
    options,
  );
}

/**
 * For `npm run bench`: the sideload path. Ingests a packed bundle (`.gkb`)
 * already read into memory, as the admin panel does with a file from a USB
 * stick: unpacking, verification and the commit are timed, reading the file is not.
 */
export async function ingestPacked(
  packed: Uint8Array,
  options: BenchIngestOptions,
): Promise<BenchIngestResult> {
  return benchIngest(() => fileSource(packedFiles(packed, 'bundle.gkb')), options);
}

async function benchIngest(
  makeSource: () => BundleSource,
  options: BenchIngestOptions,
): Promise<BenchIngestResult> {
  const dbName = options.dbName ?? 'gongkai-bench';
  if (options.fresh) await deleteStore(dbName);
  const store = await openStore({}, dbName);
  const t0 = performance.now();
  const phases: Partial<Record<IngestPhase, number>> = {};
  try {
    const result = await ingestBundle(
      // Made after t0: unpacking a sideloaded file is part of its ingest.
      makeSource(),
      {
        store,
        trustedKeys: options.trustedKeys.map((k) => ({ id: k.id, jwk: k.jwk, demo: k.demo })),
        bundleId: options.bundleId,
        limits: {
          maxFileBytes: options.maxFileBytes ?? 50_000_000,
          maxBundleBytes: options.maxBundleBytes ?? 2_000_000_000,
        },
        concurrency: options.concurrency,
        onPhase: (p) => {
          phases[p] = performance.now() - t0;
        },
      },
    );
    return { ...result, phases };
  } finally {
    store.close();
  }
}
