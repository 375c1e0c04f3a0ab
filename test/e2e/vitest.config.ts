import { defineConfig } from 'vitest/config';

// End-to-end tests: playwright-core drives the system Chromium against the
// built app (dist/) served on loopback. test/run-all.mjs builds first.
export default defineConfig({
  test: {
    root: '.',
    include: ['test/e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
