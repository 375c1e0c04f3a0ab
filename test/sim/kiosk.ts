// One lightweight simulated kiosk: the real sync protocol without a browser.
// Each poll GETs manifest.json with If-None-Match (src/sync/http.ts
// fetchBytes, as the engine does); on a new manifest it GETs manifest.sig,
// checks the signature on a sample of kiosks (src/content/bundle.ts
// verifySignature), then GETs only the objects it does not hold yet (index
// lists, shards, items, files: content-addressed, eight at a time, sizes
// checked, SHA-256 on a sample), and POSTs its status to the fleet receiver
// (src/sync/fleet.ts postFleetReport). What it holds is the plan of a version
// (shared by all kiosks holding it): the bundle's index is parsed once per
// version by the simulation, not once per kiosk, since the figures measured
// are the servers', not the kiosks'.
import { sha256Hex, verifySignature, type FileRef } from '../../src/content/bundle.ts';
import type { KioskConfig } from '../../src/config/types.ts';
import { toSyncError } from '../../src/sync/errors.ts';
import { postFleetReport } from '../../src/sync/fleet.ts';
import { fetchBytes } from '../../src/sync/http.ts';
import { initialStatus, type SyncStatus } from '../../src/sync/status.ts';
import type { VersionPlan } from './bundles.ts';
import { leanFetch } from './http-client.ts';

/** What all simulated kiosks share. */
export interface SimShared {
  /** Bundle base URL (ends with `/`). */
  bundleUrl: string;
  statusUrl: string;
  config: KioskConfig;
  trustedKeys: { id: string; jwk: { kty: 'EC'; crv: 'P-256'; x: string; y: string } }[];
  /** The plan of a version, once its manifest is known. */
  plan(version: number): VersionPlan | undefined;
  pollMs: number;
  jitterMs: number;
  /** Share of kiosks that check the manifest signature / of downloads whose SHA-256 is checked. */
  verifyShare: number;
  hashShare: number;
  /**
   * Share of kiosks that download the objects of a new version over HTTP. The
   * others fetch the manifest and signature, then switch without the object
   * GETs (their bytes are extrapolated from the downloading kiosks'): 2 shared
   * cores cannot serve and fetch 393 objects × 5,000 kiosks in minutes.
   */
  downloadShare: number;
  /** Proof-of-display entries per report (a real kiosk sends up to 1,000). */
  proofEntries: number;
  userAgent: string;
  now: () => number;
  /** Told when a kiosk's report of `version` was accepted. */
  onReported(kiosk: SimKiosk, version: number | null): void;
  /** Failed checks by message (the first 120 characters). */
  causes: Map<string, number>;
  counters: {
    requests: number;
    notModified: number;
    downloads: number;
    failures: number;
    reportsFailed: number;
  };
}

/** Runs `task` over `items`, `n` at a time. */
async function pool<T>(
  items: readonly T[],
  n: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}

/** One kiosk. */
export class SimKiosk {
  private holding: VersionPlan;
  private etag: string | null = null;
  private status: SyncStatus;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly verifies: boolean;
  /** Whether this kiosk fetches the objects of a new version (see {@link SimShared.downloadShare}). */
  readonly downloads: boolean;
  private readonly config: KioskConfig;

  constructor(
    readonly id: string,
    private readonly shared: SimShared,
    start: VersionPlan,
    /** Its place in the estate, to spread the sampled checks evenly. */
    index: number,
  ) {
    this.holding = start;
    const every = (share: number) => index % Math.max(1, Math.round(1 / share)) === 0;
    this.verifies = every(shared.verifyShare);
    this.downloads = every(shared.downloadShare);
    this.config = { ...shared.config, id, name: `粤智助 ${id}`, location: `模拟 ${id}` };
    this.status = {
      ...initialStatus(shared.now()),
      activeVersion: start.version,
      activeGeneratedAt: start.manifest.generatedAt,
      activeExpiresAt: start.manifest.expiresAt,
      itemCount: start.manifest.itemCount,
      bytesStored: start.manifest.totalBytes,
      persisted: true,
      alertsSequence: 1,
    };
  }

  /** Starts polling, the first poll after `delayMs`; `etag` is the manifest's it last saw. */
  start(delayMs: number, etag: string | null): void {
    this.etag = etag;
    this.timer = setTimeout(() => void this.poll(), delayMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  get version(): number {
    return this.holding.version;
  }

  private async poll(): Promise<void> {
    const s = this.shared;
    const now = s.now();
    try {
      await this.check();
      this.status = {
        ...this.status,
        lastCheck: new Date(now).toISOString(),
        lastSuccess: new Date(now).toISOString(),
        lastError: null,
        consecutiveFailures: 0,
      };
    } catch (err) {
      s.counters.failures++;
      const e = toSyncError(err);
      s.causes.set(e.message.slice(0, 120), (s.causes.get(e.message.slice(0, 120)) ?? 0) + 1);
      this.status = {
        ...this.status,
        lastCheck: new Date(now).toISOString(),
        lastError: { code: e.code, message: e.message, at: new Date(now).toISOString() },
        consecutiveFailures: this.status.consecutiveFailures + 1,
      };
    }
    await this.report();
    if (!this.stopped)
      this.timer = setTimeout(() => void this.poll(), s.pollMs + Math.random() * s.jitterMs);
  }

  private async check(): Promise<void> {
    const s = this.shared;
    s.counters.requests++;
    const manifest = await fetchBytes(`${s.bundleUrl}manifest.json`, 'manifest.json', {
      maxBytes: 4_000_000,
      timeoutMs: 30_000,
      etag: this.etag,
      fetchImpl: leanFetch,
    });
    if (manifest.notModified) {
      s.counters.notModified++;
      return;
    }
    s.counters.requests++;
    const sig = await fetchBytes(`${s.bundleUrl}manifest.sig`, 'manifest.sig', {
      maxBytes: 512,
      timeoutMs: 30_000,
      fetchImpl: leanFetch,
    });
    if (this.verifies) {
      const ok = await verifySignature(
        manifest.bytes,
        new TextDecoder().decode(sig.bytes),
        s.trustedKeys,
      );
      // A manifest and signature caught mid-publish: retried at the next poll, like the engine.
      if (!ok) throw Object.assign(new Error('signature'), { name: 'SimSignature' });
    }
    const version = (JSON.parse(new TextDecoder().decode(manifest.bytes)) as { version: number })
      .version;
    const plan = s.plan(version);
    if (!plan) throw new Error(`no plan for version ${version}`);
    if (plan.version !== this.holding.version) {
      const missing = plan.objects.filter((o) => !this.holding.held.has(o.sha256));
      this.status = {
        ...this.status,
        activity: 'downloading',
        progress: { done: 0, total: missing.length },
      };
      if (this.downloads) await pool(missing, 8, (ref) => this.download(ref));
      this.holding = plan;
      this.status = {
        ...this.status,
        activity: 'idle',
        progress: null,
        activeVersion: plan.version,
        activeGeneratedAt: plan.manifest.generatedAt,
        activeExpiresAt: plan.manifest.expiresAt,
        itemCount: plan.manifest.itemCount,
        bytesStored: plan.manifest.totalBytes,
      };
    }
    // Only after the switch: a failed download fetches the manifest again next time.
    this.etag = manifest.etag;
  }

  private async download(ref: FileRef): Promise<void> {
    const s = this.shared;
    s.counters.requests++;
    s.counters.downloads++;
    const got = await fetchBytes(`${s.bundleUrl}${ref.path}`, ref.path, {
      maxBytes: 50_000_000,
      expectedSize: ref.size,
      timeoutMs: 60_000,
      fetchImpl: leanFetch,
    });
    if (got.bytes.length !== ref.size)
      throw new Error(`${ref.path}: size ${got.bytes.length} ≠ ${ref.size}`);
    if (Math.random() < s.hashShare && (await sha256Hex(got.bytes)) !== ref.sha256)
      throw new Error(`${ref.path}: SHA-256 mismatch`);
  }

  private async report(): Promise<void> {
    const s = this.shared;
    const now = s.now();
    const proof = Array.from({ length: s.proofEntries }, (_, i) => ({
      shownAt: now - (s.proofEntries - i) * 10_000,
      kind: 'item',
      id: `item-${i % 50}`,
      title: '关于政务公开事项的通知',
      page: 1,
      pages: 1,
      dwellMs: 10_000,
      screenId: 'main',
    }));
    const r = await postFleetReport(
      s.statusUrl,
      this.config,
      { ...this.status, trustedNow: new Date(now).toISOString() },
      { proof, proofTotal: proof.length },
      { now, timeoutMs: 10_000, fetchImpl: leanFetch, userAgent: s.userAgent },
    );
    if (r.ok) s.onReported(this, this.status.activeVersion);
    else s.counters.reportsFailed++;
  }
}
