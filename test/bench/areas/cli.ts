// CLI: time to build and sign a 10,000-item bundle with `gongkai bundle build`
// (Node is the real runtime of the admin tool), and to verify it.
import { rmSync } from 'node:fs';
import {
  BUNDLE_CORPUS,
  assertOk,
  benchKey,
  buildBundleCli,
  buildCpuMs,
  buildScratch,
  bundlePaths,
  bundleSizes,
  cliAvailable,
  contentDirs,
  publishDir,
  runCli,
} from '../lib/bundle.ts';
import { corpusAvailable } from '../lib/corpus.ts';
import { repeat } from '../lib/stats.ts';
import type { Area, AreaResult } from '../lib/types.ts';

export const cli: Area = {
  id: 'cli',
  title: 'CLI',
  description: `Wall time of \`node src/cli/bin.js bundle build <dir> --key <pem> --out <dir>\` on a folder of ${BUNDLE_CORPUS.count.toLocaleString('en-US')} JSON items (\`generateCorpus({count: ${BUNDLE_CORPUS.count}, seed: ${BUNDLE_CORPUS.seed}})\`, one file per item), from process start to exit, into an empty output folder: reading, validation, sanitising, derived search data (pinyin), content addressing, writing every file and the packed copy, signing. Then \`bundle verify\` of the result (every file read and hashed). 5 builds and 3 verifies. The CPU time of each build (user + system, as the CLI reports it with \`--json\`) is given too: on a machine busy with other work it varies far less than wall time. The corpus lacks \`privacy\` and the 公示 \`noticePeriod\`, which the builder requires; the bench fills them (\`bundleReady\` in test/bench/lib/bundle.ts). A build becomes the sync area's version 1 when none is cached for the current sources. Node ${process.version}.`,
  async run(ctx): Promise<AreaResult> {
    if (!cliAvailable(ctx.root)) {
      return { status: 'not-measured', reason: 'no bundle builder yet (src/cli)' };
    }
    if (!corpusAvailable(ctx.root)) {
      return { status: 'not-measured', reason: 'no corpus generator yet (test/helpers/corpus.ts)' };
    }
    const key = await benchKey(ctx);
    const content = await contentDirs(ctx);
    const v1 = bundlePaths(ctx).v1;
    // Each build goes to a private folder (engineers share .bench-cache/).
    const out = buildScratch(v1);
    try {
      const runs = await repeat(ctx.runs, async (i) => {
        ctx.progress(`bundle build ${i + 1}/${ctx.runs}`);
        const run = await buildBundleCli(ctx, content.v1, out, 1, key);
        ctx.progress(`  ${Math.round(run.ms)} ms, ${Math.round(buildCpuMs(run))} ms of CPU`);
        return run;
      });
      const builds = runs.map((r) => r.ms);
      const sizes = bundleSizes(out);
      const verifies = await repeat(ctx.slowRuns, async (i) => {
        ctx.progress(`bundle verify ${i + 1}/${ctx.slowRuns}`);
        const run = await runCli(ctx.root, [
          'bundle',
          'verify',
          out,
          '--pub',
          key.privatePem.replace('.private.pem', '.public.pem'),
        ]);
        assertOk(run, 'gongkai bundle verify');
        return run.ms;
      });
      // Same sources, same bytes (but for the manifest's dates): keep it for the sync area.
      publishDir(out, v1);
      return {
        status: 'measured',
        rows: [
          {
            metric: `bundle build and sign, ${content.items.toLocaleString('en-US')} items`,
            unit: 'ms',
            samples: builds,
            target: { op: '<=', value: 10_000 },
          },
          {
            metric: 'bundle build: CPU time of the process (user + system)',
            unit: 'ms',
            samples: runs.map(buildCpuMs),
            note: 'less sensitive than wall time to other load on the machine',
          },
          { metric: 'bundle verify (every file hashed)', unit: 'ms', samples: verifies },
          {
            metric: 'bundle size on disk',
            unit: 'MB',
            samples: [sizes.bytes / 2 ** 20],
            note: `${sizes.files.toLocaleString('en-US')} files; the packed copy bundle.gkb, which repeats them, not counted`,
          },
          { metric: 'manifest.json', unit: 'KB', samples: [sizes.manifestBytes / 1024] },
        ],
      };
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
};
