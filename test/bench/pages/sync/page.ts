// The sync bench page: ingests a bundle from the loopback server with the
// kiosk's own code path (src/sync/bench.ts → ingestBundle) into a separate
// IndexedDB database.
import { ingestFromUrl, ingestPacked, type BenchIngestResult } from '../../../../src/sync/bench.ts';
import type { TrustedKey } from '../../../../src/config/types.ts';

/** What one ingest reports back to Node. */
export interface SyncBenchRun {
  wallMs: number;
  result: BenchIngestResult;
}

declare global {
  interface Window {
    syncBench?: {
      ingest(manifestUrl: string, trustedKeys: TrustedKey[], fresh: boolean): Promise<SyncBenchRun>;
      /** The sideload path: fetches the .gkb first (not timed), then ingests it from memory. */
      ingestPacked(
        packUrl: string,
        trustedKeys: TrustedKey[],
        fresh: boolean,
      ): Promise<SyncBenchRun>;
    };
  }
}

window.syncBench = {
  async ingest(manifestUrl, trustedKeys, fresh) {
    const t0 = performance.now();
    const result = await ingestFromUrl(manifestUrl, {
      trustedKeys,
      fresh,
      dbName: 'gongkai-bench',
    });
    return { wallMs: performance.now() - t0, result };
  },
  async ingestPacked(packUrl, trustedKeys, fresh) {
    const packed = new Uint8Array(
      await (await fetch(packUrl, { cache: 'no-store' })).arrayBuffer(),
    );
    const t0 = performance.now();
    const result = await ingestPacked(packed, { trustedKeys, fresh, dbName: 'gongkai-bench' });
    return { wallMs: performance.now() - t0, result };
  },
};
