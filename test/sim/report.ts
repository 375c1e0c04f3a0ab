// The table `npm run simulate` prints, from the figures it writes to
// test-output/simulate-<N>.json.
import { bytes, int, table, type Kind } from './measure.ts';

type Tally = Record<Kind, { requests: number; bytes: number; errors: number }>;

/** Everything a run measured (the JSON file's content). */
export interface SimResult {
  options: {
    kiosks: number;
    pollS: number;
    jitterS: number;
    proofEntries: number;
  };
  bundle: { objectsV1: number; bytesV1: number; deltaObjects: number; deltaBytes: number };
  steadyCycle: {
    seconds: number;
    tally: Tally;
    receiverCpuSeconds: number;
    nginxCpuSeconds: number;
  };
  publish: {
    tally: Tally;
    downloaders: number;
    hostBytesMeasured: number;
    objectBytesPerDownloader: number;
    estateHostBytes: number;
    estateHostBytesPerKiosk: number;
    secondsTo99: number | null;
    secondsTo99Downloaders: number | null;
    reachedV2: number;
  };
  receiver: {
    cpuSecondsPerReport: number;
    /** Reports per kiosk per second at the real poll. */
    realRate: number;
    rssIdle: number;
    rssEnd: number;
    rssPer1000: number;
    scrapeMs: number;
    scrapeCpu: number;
    scrapeBytes: number;
    series: number;
    v2Series: number;
    kiosksPerCoreAtRealPoll: number;
  };
  nginx: { cpuSecondsPerRequest: number; rssEnd: number; kiosksPerCoreInPublishWave: number };
  simulator: { cpuSeconds: number; counters: { failures: number; reportsFailed: number } };
  errors: number;
}

const pct = (n: number) => `${(n * 100).toFixed(1)}%`;

/** The run as a text table, sections first. */
export function resultTable(r: SimResult, realPollS: number): string {
  const o = r.options;
  const interval = o.pollS + o.jitterS / 2;
  const steady304 = r.steadyCycle.tally['manifest-304'];
  const reports = r.steadyCycle.tally.report.requests;
  const p = r.publish;
  const to99 = (s: number | null) =>
    s === null ? 'not reached' : `${s.toFixed(1)} s (${(s / interval).toFixed(2)} poll intervals)`;
  return table([
    [
      `Simulation: ${int(o.kiosks)} kiosks, poll ${o.pollS} s + ≤${o.jitterS} s jitter (compressed from 900 + 60 s), proof log ${o.proofEntries} entries/report`,
      '',
    ],
    ['bundle v1', `${int(r.bundle.objectsV1)} objects, ${bytes(r.bundle.bytesV1)}`],
    [
      'delta v1 → v2 (1% of items)',
      `${r.bundle.deltaObjects} objects, ${bytes(r.bundle.deltaBytes)} (before gzip)`,
    ],
    ['Steady state (all up to date), half a poll cycle', ''],
    [
      'manifest polls (304)',
      `${int(steady304.requests)}, ${bytes(steady304.bytes / Math.max(1, steady304.requests))} each`,
    ],
    ['reports through nginx', `${int(reports)}, ${(reports / r.steadyCycle.seconds).toFixed(0)}/s`],
    ['Publishing version 2', ''],
    [
      'kiosks downloading the objects',
      `${int(p.downloaders)} (${pct(p.downloaders / o.kiosks)}; the others fetch manifest and signature only)`,
    ],
    ['object requests (downloading kiosks)', int(p.tally.object.requests)],
    ['object bytes per downloading kiosk', bytes(p.objectBytesPerDownloader)],
    ['bundle host bytes, measured', bytes(p.hostBytesMeasured)],
    [
      `bundle host bytes, estate of ${int(o.kiosks)}${p.downloaders < o.kiosks ? ' (extrapolated)' : ''}`,
      bytes(p.estateHostBytes),
    ],
    ['bundle host bytes per kiosk', bytes(p.estateHostBytes / o.kiosks)],
    ['time to 99% of downloading kiosks on v2', to99(p.secondsTo99Downloaders)],
    ['time to 99% of all kiosks on v2 (compressed)', to99(p.secondsTo99)],
    [
      `time to 99% at the real ${realPollS - 30} s poll`,
      p.secondsTo99 === null
        ? '—'
        : `≈ ${(((p.secondsTo99 / interval) * realPollS) / 60).toFixed(0)} min`,
    ],
    [
      'kiosks on v2 at the end',
      `${int(p.reachedV2)} (${pct(p.reachedV2 / o.kiosks)}); receiver says ${int(r.receiver.v2Series)}`,
    ],
    ['Receiver (gongkai fleet serve)', ''],
    ['CPU per report', `${(r.receiver.cpuSecondsPerReport * 1000).toFixed(2)} ms`],
    [
      'CPU per 1,000 kiosks, compressed poll',
      pct((r.receiver.cpuSecondsPerReport * 1000) / interval),
    ],
    [
      'CPU per 1,000 kiosks, real poll',
      pct(r.receiver.cpuSecondsPerReport * 1000 * r.receiver.realRate),
    ],
    [
      'memory (RSS) idle → end',
      `${bytes(r.receiver.rssIdle)} → ${bytes(r.receiver.rssEnd)} (${bytes(r.receiver.rssPer1000)} per 1,000 kiosks)`,
    ],
    [
      'one /metrics scrape',
      `${r.receiver.scrapeMs.toFixed(0)} ms, ${(r.receiver.scrapeCpu * 1000).toFixed(0)} ms CPU, ${bytes(r.receiver.scrapeBytes)}, ${int(r.receiver.series)} series`,
    ],
    ['kiosks per receiver core (real poll, 30 s scrape)', int(r.receiver.kiosksPerCoreAtRealPoll)],
    ['nginx (bundle host and report proxy)', ''],
    ['CPU per request', `${(r.nginx.cpuSecondsPerRequest * 1e6).toFixed(0)} µs`],
    ['memory (RSS)', bytes(r.nginx.rssEnd)],
    ['kiosks per nginx core, 1% publish wave (real poll)', int(r.nginx.kiosksPerCoreInPublishWave)],
    ['Errors', ''],
    [
      'HTTP errors / failed checks / failed reports',
      `${r.errors} / ${r.simulator.counters.failures} / ${r.simulator.counters.reportsFailed}`,
    ],
    ['simulator CPU', `${r.simulator.cpuSeconds.toFixed(1)} s`],
  ]);
}
