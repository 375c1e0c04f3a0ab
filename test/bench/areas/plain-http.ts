// Plain http (issue #17): what verifying a 10,000-item bundle costs where
// `crypto.subtle` does not exist and the pure-JS fallback does the work.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../helpers/chromium.mjs';
import { BUNDLE_CORPUS, benchBundles, cliAvailable } from '../lib/bundle.ts';
import { buildPage } from '../lib/build-page.ts';
import { corpusAvailable } from '../lib/corpus.ts';
import { serveStatic } from '../lib/server.ts';
import { repeat } from '../lib/stats.ts';
import type { Area, AreaResult, Measurement } from '../lib/types.ts';
import type { VerifyBenchRun } from '../pages/verify/page.ts';

/** The host name the insecure page is opened under (mapped to loopback). */
const HOST = 'kiosk.lan';
const THROTTLE = 4;

export const plainHttp: Area = {
  id: 'plain-http',
  title: 'Verification on plain http',
  description: `A kiosk served over plain http from an intranet host is not a secure context: it has no \`crypto.subtle\`, so \`src/content/crypto.ts\` verifies with the pure-JS \`@noble/curves\` (P-256) and \`@noble/hashes\` (SHA-256), loaded on first use. A bench page (\`test/bench/pages/verify/page.ts\`) checks the same ${BUNDLE_CORPUS.count.toLocaleString('en-US')}-item bundle as the sync area the way an ingest does before it accepts anything: the manifest's signature, then size and SHA-256 of every listed file (index lists, shards, items, singletons), the bundle already in memory (download, storage and the switch are not timed; see the sync area for those). The page is opened twice in the system Chromium: at \`http://127.0.0.1\` (a secure context: WebCrypto) and at \`http://${HOST}\` mapped to loopback with \`--host-resolver-rules\` (insecure: the pure-JS path), each also with ${THROTTLE}× CPU throttling (\`Emulation.setCPUThrottlingRate\` over a CDP session), a stand-in for a slow kiosk board.`,
  async run(ctx): Promise<AreaResult> {
    if (!cliAvailable(ctx.root) || !corpusAvailable(ctx.root)) {
      return {
        status: 'not-measured',
        reason: 'needs the CLI bundle builder and the corpus generator',
      };
    }
    const chunk = fallbackChunk(ctx.distDir);
    const bundles = await benchBundles(ctx);
    ctx.progress('building the bench page');
    const pageDir = await buildPage(
      ctx.root,
      ctx.cacheDir,
      'verify',
      (toRoot) => `import '${toRoot}/test/bench/pages/verify/page.ts';\n`,
    );
    const server = await serveStatic(ctx.cacheDir);
    const path = (dir: string) => `${relative(ctx.cacheDir, dir).split('\\').join('/')}/`;
    const executablePath = findChromium();
    if (!executablePath) throw new Error('no Chromium found');
    const browser = await chromium.launch({
      executablePath,
      headless: true,
      args: [...CHROMIUM_ARGS, `--host-resolver-rules=MAP ${HOST} 127.0.0.1`],
    });
    const rows: Measurement[] = [];
    let files = 0;
    let megabytes = 0;
    try {
      const { port } = new URL(server.url);
      for (const [origin, label] of [
        [`http://127.0.0.1:${port}/`, 'WebCrypto (secure origin)'],
        [`http://${HOST}:${port}/`, 'pure JS (plain http)'],
      ] as const) {
        const page = await browser.newPage();
        try {
          await page.goto(`${origin}${path(pageDir)}`);
          await page.waitForFunction(() => window.verifyBench !== undefined);
          const prepared = await page.evaluate(
            (u: string) => window.verifyBench!.prepare(u),
            `${origin}${path(bundles.v1)}`,
          );
          const expected = origin.includes(HOST) ? 'pure-js' : 'webcrypto';
          if (prepared.backend !== expected)
            throw new Error(`${origin}: crypto backend ${prepared.backend}, expected ${expected}`);
          for (const rate of [1, THROTTLE]) {
            const cdp = await page.context().newCDPSession(page);
            await cdp.send('Emulation.setCPUThrottlingRate', { rate });
            const total: number[] = [];
            const signature: number[] = [];
            await repeat(rate === 1 ? ctx.runs : ctx.slowRuns, async (i) => {
              ctx.progress(`${label}, CPU ×${rate}: run ${i + 1}`);
              const r = await verifyOnce(page, bundles.key.trustedKey);
              total.push(r.signatureMs + r.hashMs);
              signature.push(r.signatureMs);
              files = r.files;
              megabytes = r.bytes / 2 ** 20;
            });
            await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
            await cdp.detach();
            const cpu = rate === 1 ? 'this machine' : `${rate}× CPU throttling`;
            rows.push(
              {
                metric: `verify the whole bundle, ${cpu}`,
                subject: label,
                unit: 's',
                samples: total.map((ms) => ms / 1000),
              },
              {
                metric: `of which the manifest signature, ${cpu}`,
                subject: label,
                unit: 'ms',
                samples: signature,
              },
            );
          }
        } finally {
          await page.close();
        }
      }
    } finally {
      await browser.close();
      await server.close();
    }
    return {
      status: 'measured',
      rows: [
        {
          metric: 'files and bytes checked',
          unit: 'count',
          samples: [files],
          note: `${megabytes.toFixed(1)} MB hashed`,
        },
        ...(chunk
          ? [
              {
                metric: 'pure-JS verifier chunk (loaded only without WebCrypto)',
                unit: 'KB' as const,
                samples: [chunk.bytes / 1024],
                note: chunk.name,
              },
            ]
          : []),
        ...rows,
      ],
      baseline: 'WebCrypto (secure origin)',
      notes: [
        'Times are for the checks alone: the bundle is in memory; the sync area times a whole ingest. The pure-JS chunk is loaded before the first timed run.',
      ],
    };
  },
};

/** One verification in the page; throws with the page's own words. */
async function verifyOnce(
  page: Page,
  key: { id: string; jwk: { kty: 'EC'; crv: 'P-256'; x: string; y: string } },
): Promise<VerifyBenchRun> {
  return page.evaluate((k) => window.verifyBench!.run([k]), key);
}

/** The built app's lazily loaded pure-JS verifier (dist/assets/crypto-js-*.js), if built. */
function fallbackChunk(distDir: string): { name: string; bytes: number } | null {
  const assets = join(distDir, 'assets');
  if (!existsSync(assets)) return null;
  const name = readdirSync(assets).find((f) => /^crypto-js-.*\.js$/.test(f));
  return name ? { name, bytes: statSync(join(assets, name)).size } : null;
}
