import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { VitePWA } from 'vite-plugin-pwa';
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { CSP as APP_CSP } from './src/pwa/csp.ts';
import { bigintLiterals } from './src/build/bigint-literals.ts';
import { preloadApp } from './src/build/preload-app.ts';
import { calendarFromDayTable, isIsoDate } from './src/content/calendar.ts';
import { shiftDemoItems } from './src/content/demo-dates.ts';

/**
 * Content Security Policy of the app, sent as a header by the preview server
 * (and by the documented nginx configuration, docs/nginx.conf). Defined in
 * src/pwa/csp.ts so the service worker applies the same policy offline.
 */
export const CSP = APP_CSP;

const securityHeaders = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/**
 * The day the demo content is dated for: GONGKAI_BUILD_DAY (YYYY-MM-DD) when
 * set (tests, reproducible builds), otherwise today (UTC).
 */
function demoBuildDay(): string {
  const day = process.env.GONGKAI_BUILD_DAY;
  if (day && !isIsoDate(day)) throw new Error(`GONGKAI_BUILD_DAY=${day} is not a YYYY-MM-DD date`);
  return day ?? new Date().toISOString().slice(0, 10);
}

/**
 * Where the build writes the dated demo folder that `npm run build` signs as
 * the demo bundle (GONGKAI_DEMO_DIR moves it, for tests).
 */
export const DEMO_BUILD_DIR =
  process.env.GONGKAI_DEMO_DIR ?? 'node_modules/.cache/gongkai/demo-content';

/**
 * Emits the demo items (src/content/demo/*.json) for the first-run loader,
 * dated for the build day (src/content/demo-dates.ts), and writes the same
 * dated items, with the rest of the demo folder (attachments, import
 * samples), to {@link DEMO_BUILD_DIR} for the demo bundle: one build day for
 * both, so they always agree.
 */
function demoContent(): Plugin {
  const dir = 'src/content/demo';
  const calendar = calendarFromDayTable(
    createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as {
      holidays: Record<string, unknown>;
      workdays: Record<string, unknown>;
    },
  );
  const load = () => {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
    const raw = files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown);
    return { files, items: shiftDemoItems(raw, demoBuildDay(), calendar) };
  };
  return {
    name: 'gongkai-demo-content',
    generateBundle() {
      const { files, items } = load();
      this.emitFile({ type: 'asset', fileName: 'demo/items.json', source: JSON.stringify(items) });
      rmSync(DEMO_BUILD_DIR, { recursive: true, force: true });
      cpSync(dir, DEMO_BUILD_DIR, { recursive: true });
      files.forEach((f, i) =>
        writeFileSync(join(DEMO_BUILD_DIR, f), `${JSON.stringify(items[i], null, 2)}\n`),
      );
    },
    configureServer(server) {
      server.middlewares.use('/demo/items.json', (_req, res) => {
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify(load().items));
      });
    },
  };
}

/** The build's output directory, as resolved by Vite (`--outDir` included). */
let outDir = 'dist';

/**
 * The service worker: src/sw/sw.ts built with injectManifest into `sw.js` (a
 * name that never changes). Registration is ours (src/pwa/), not the plugin's.
 * Each precache entry gets a Subresource Integrity hash, so a truncated or
 * altered file fails the install instead of being cached.
 */
function serviceWorker(): Plugin[] {
  const captureOutDir: Plugin = {
    name: 'gongkai-out-dir',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
  };
  return [
    captureOutDir,
    ...VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/sw',
      filename: 'sw.ts',
      injectRegister: false,
      manifest: false,
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        // Content bundles and the first-run demo items are data, stored in IndexedDB.
        globIgnores: ['bundles/**', 'demo/**', 'sw.js', 'workbox-*.js'],
        manifestTransforms: [
          (entries) => ({
            manifest: entries.map((entry) => {
              const file = join(outDir, entry.url.replace(/^\.?\//, ''));
              const digest = createHash('sha384').update(readFileSync(file)).digest('base64');
              return { ...entry, integrity: `sha384-${digest}` };
            }),
            warnings: [],
          }),
        ],
        rollupFormat: 'iife',
      },
    }),
  ];
}

export default defineConfig({
  base: './',
  plugins: [
    bigintLiterals(['@cfworker/json-schema']),
    preloadApp(),
    demoContent(),
    ...serviceWorker(),
  ],
  build: {
    target: ['chrome66'],
    // The polyfill injects an inline script, which the CSP forbids.
    modulePreload: { polyfill: false },
    sourcemap: true,
  },
  preview: { port: 4173, strictPort: true, headers: securityHeaders },
  server: { headers: securityHeaders },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/**/*.browser.test.ts', 'test/e2e/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 20_000,
  },
});
