// @web/test-runner: *.browser.test.ts files run in the system Chromium with real IndexedDB.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { writeFileSync, mkdirSync } from 'node:fs';
import { CHROMIUM_ARGS, findChromium } from './helpers/chromium.mjs';
import { build } from 'esbuild';

/**
 * Serves CommonJS-only packages (qrcode) as one ES module bundled by esbuild,
 * as Vite does in the app build; the dev server cannot load `require`.
 */
function commonJsPackages(entries) {
  return {
    name: 'commonjs-packages',
    async serve(context) {
      const entry = entries[context.path];
      if (!entry) return undefined;
      const out = await build({
        entryPoints: [entry],
        bundle: true,
        format: 'esm',
        platform: 'browser',
        write: false,
        logLevel: 'silent',
      });
      return { body: out.outputFiles[0].text, type: 'js' };
    },
  };
}

/** Writes pass/fail counts for test/run-all.mjs to sum. */
function countsReporter() {
  return {
    onTestRunFinished({ sessions }) {
      let passed = 0;
      let failed = 0;
      let skipped = 0;
      const walk = (suite) => {
        for (const t of suite.tests) {
          if (t.skipped) skipped++;
          else if (t.passed) passed++;
          else failed++;
        }
        for (const s of suite.suites) walk(s);
      };
      for (const s of sessions) {
        if (s.testResults) walk(s.testResults);
        // A file that failed to load has no tests: count it as a failure.
        if (
          !s.passed &&
          (!s.testResults || s.testResults.tests.length + s.testResults.suites.length === 0)
        )
          failed++;
      }
      mkdirSync('test-output', { recursive: true });
      writeFileSync('test-output/wtr-counts.json', JSON.stringify({ passed, failed, skipped }));
    },
  };
}

const executablePath = findChromium();
if (!executablePath) throw new Error('No Chromium found: run `node test/find-chromium.mjs`.');

export default {
  rootDir: '.',
  files: process.env.WTR_FILES ? process.env.WTR_FILES.split(',') : ['test/**/*.browser.test.ts'],
  nodeResolve: { exportConditions: ['production'] },
  concurrency: 1,
  concurrentBrowsers: 1,
  testsFinishTimeout: 240_000,
  plugins: [
    commonJsPackages({ '/node_modules/qrcode/lib/index.js': 'node_modules/qrcode/lib/browser.js' }),
    esbuildPlugin({ ts: true, json: true, tsconfig: 'tsconfig.json', target: 'es2022' }),
  ],
  browsers: [
    chromeLauncher({
      // Reduced motion: axe must not judge colours halfway through an entrance animation.
      launchOptions: {
        executablePath,
        headless: true,
        args: [...CHROMIUM_ARGS, '--force-prefers-reduced-motion'],
      },
    }),
  ],
  testFramework: { config: { timeout: 20_000 } },
  reporters: [
    defaultReporter({ reportTestResults: true, reportTestProgress: false }),
    summaryReporter({ flatten: false }),
    countsReporter(),
  ],
};
