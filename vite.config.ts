import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Content Security Policy of the app, sent as a header by the preview server
 * (and by the documented nginx configuration). No inline scripts, no eval,
 * and Trusted Types: only lit-html's own policy may create HTML for sinks.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  'trusted-types lit-html',
].join('; ');

const securityHeaders = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** Emits the demo items (src/content/demo/*.json) for the first-run loader. */
function demoContent(): Plugin {
  const dir = 'src/content/demo';
  const load = () =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown);
  return {
    name: 'gongkai-demo-content',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'demo/items.json', source: JSON.stringify(load()) });
    },
    configureServer(server) {
      server.middlewares.use('/demo/items.json', (_req, res) => {
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify(load()));
      });
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [demoContent()],
  build: {
    target: 'es2022',
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
