// `npm run test:browsers`: the whole old-engine matrix (test/e2e/old-engines.e2e.ts)
// on Chromium 66, 83, 88, 92, 103, 109 and the system Chromium, at localhost and
// kiosk.lan. OLD_CHROMIUM overrides the list (e.g. OLD_CHROMIUM=67,109@localhost).
// The matrix is printed and written to test-output/old-engines.md.
// Exit code: vitest's (0 when every cell works).
import { spawnSync } from 'node:child_process';

const engines = process.env.OLD_CHROMIUM || '66,83,88,92,103,109,system';
const r = spawnSync(
  'npx',
  ['vitest', 'run', '--config', 'test/e2e/vitest.config.ts', 'test/e2e/old-engines.e2e.ts'],
  { stdio: 'inherit', env: { ...process.env, OLD_CHROMIUM: engines } },
);
process.exit(r.status ?? 1);
