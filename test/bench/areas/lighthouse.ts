// Lighthouse performance, accessibility and best-practices scores of the built
// app, with the desktop preset, against the system Chromium launched here
// with --remote-debugging-port (no chrome-launcher download path involved);
// accessibility again in elder mode (适老化, `?elder`), which issue #9 wants
// at the same score.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { preview, type PreviewServer } from 'vite';
import { CHROMIUM_ARGS, findChromium } from '../../helpers/chromium.mjs';
import { repeat } from '../lib/stats.ts';
import type { Area, AreaResult, Measurement } from '../lib/types.ts';

const CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const;

/** Targets from the PWA (performance, best practices) and touch-kiosk (accessibility) issues. */
const TARGETS: Record<(typeof CATEGORIES)[number], number> = {
  performance: 0.95,
  accessibility: 0.95,
  'best-practices': 0.95,
};

const AUDITS = [
  ['first-contentful-paint', 'first contentful paint'],
  ['largest-contentful-paint', 'largest contentful paint'],
  ['total-blocking-time', 'total blocking time'],
] as const;

/** Starts Chromium with a DevTools port and resolves once it listens. */
async function startChromium(profile: string): Promise<{ port: number; proc: ChildProcess }> {
  const exe = findChromium();
  if (!exe) throw new Error('No Chromium found: run `node test/find-chromium.mjs`.');
  const proc = spawn(
    exe,
    [
      ...CHROMIUM_ARGS,
      '--headless=new',
      '--remote-debugging-port=0',
      `--user-data-dir=${profile}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`Chromium gave no DevTools port: ${err.slice(-300)}`)),
      20_000,
    );
    proc.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    proc.on('exit', (code) => reject(new Error(`Chromium exited (${code}): ${err.slice(-300)}`)));
  });
  return { port, proc };
}

/** Serves the build in `distDir` with the production preview server (CSP headers included). */
async function serveBuild(distDir: string): Promise<{ url: string; server: PreviewServer }> {
  const server = await preview({
    logLevel: 'silent',
    build: { outDir: distDir },
    preview: { port: 0, strictPort: false, host: '127.0.0.1', open: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('preview server did not report a URL');
  return { url, server };
}

type Category = (typeof CATEGORIES)[number];

interface RunResult {
  scores: number[];
  failing: string[];
  metrics: number[];
}

/** One Lighthouse run of `url` for `categories`: their scores, the audits not passed, the metrics. */
async function audit(
  url: string,
  port: number,
  categories: readonly Category[],
  keepAs?: string,
): Promise<RunResult> {
  const out = await lighthouse(
    url,
    { port, output: 'json', logLevel: 'error', onlyCategories: [...categories] },
    desktopConfig,
  );
  if (!out) throw new Error('lighthouse returned no result');
  const lhr = out.lhr;
  if (lhr.runtimeError) throw new Error(`lighthouse: ${lhr.runtimeError.message}`);
  // The full report (long tasks, layout shifts, bootup time…) explains a score; kept for reading.
  if (keepAs) writeFileSync(keepAs, JSON.stringify(lhr));
  const scores = categories.map((c) => {
    const s = lhr.categories[c]?.score;
    if (typeof s !== 'number')
      throw new Error(`lighthouse: no ${c} score (${lhr.runWarnings.join('; ')})`);
    return s;
  });
  const failing = categories.flatMap((c) =>
    (lhr.categories[c]?.auditRefs ?? [])
      .filter((r) => r.weight > 0 && (lhr.audits[r.id]?.score ?? 1) < 1)
      .map((r) => `${c}: ${r.id}`),
  );
  const metrics = AUDITS.map(([id]) => lhr.audits[id]?.numericValue ?? NaN);
  return { scores, failing, metrics };
}

export const lighthouseArea: Area = {
  id: 'lighthouse',
  title: 'Lighthouse',
  description:
    'Lighthouse 12 scores (0–1) of the built app served by `vite preview` (with its CSP headers) on loopback, desktop preset (`lighthouse/core/config/desktop-config.js`: 1350×940, simulated throttling of 40 ms RTT, 10 Mbit/s, CPU ×1), against the system Chromium started here with `--remote-debugging-port`. Lighthouse clears storage before each run, so every run is a first visit. 3 runs (each full report kept as `.bench-cache/lighthouse-run-N.json`), then 3 accessibility-only runs in elder mode (`?elder`).',
  async run(ctx): Promise<AreaResult> {
    if (!existsSync(join(ctx.distDir, 'index.html'))) {
      return { status: 'not-measured', reason: 'no dist/index.html: run `npm run build` first' };
    }
    const { url, server } = await serveBuild(ctx.distDir);
    const profile = mkdtempSync(join(ctx.cacheDir, 'lh-profile-'));
    const { port, proc } = await startChromium(profile);
    const runs = Math.min(3, ctx.runs);
    try {
      const results = await repeat(runs, async (i) => {
        ctx.progress(`lighthouse run ${i + 1}/${runs}`);
        return audit(url, port, CATEGORIES, join(ctx.cacheDir, `lighthouse-run-${i + 1}.json`));
      });
      // Elder mode starts from the URL flag the kiosk reads (`?elder`); only accessibility changes.
      const elderUrl = new URL(url);
      elderUrl.searchParams.set('elder', '');
      const elder = await repeat(runs, async (i) => {
        ctx.progress(`lighthouse elder-mode accessibility run ${i + 1}/${runs}`);
        return audit(elderUrl.href, port, ['accessibility']);
      });
      const rows: Measurement[] = CATEGORIES.map((c, i) => ({
        metric: `${c} score`,
        unit: 'score' as const,
        samples: results.map((r) => r.scores[i]),
        target: { op: '>=' as const, value: TARGETS[c] },
      }));
      AUDITS.forEach(([, label], i) => {
        const samples = results.map((r) => r.metrics[i]).filter((x) => Number.isFinite(x));
        if (samples.length) rows.push({ metric: `${label} (simulated)`, unit: 'ms', samples });
      });
      rows.push({
        metric: 'accessibility score, elder mode (?elder)',
        unit: 'score',
        samples: elder.map((r) => r.scores[0]),
        target: { op: '>=', value: TARGETS.accessibility },
      });
      const failing = [
        ...new Set([
          ...results.flatMap((r) => r.failing),
          ...elder.flatMap((r) => r.failing.map((f) => `elder ${f}`)),
        ]),
      ];
      return {
        status: 'measured',
        rows,
        notes: [
          failing.length
            ? `Audits not fully passed in at least one run: ${failing.map((f) => `\`${f}\``).join(', ')}.`
            : 'Every weighted audit passed in every run.',
        ],
      };
    } finally {
      proc.kill();
      await new Promise((r) => setTimeout(r, 300));
      rmSync(profile, { recursive: true, force: true });
      await server.close();
    }
  },
};
