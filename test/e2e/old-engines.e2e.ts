// The built app (dist/) on the engines halls actually have (issue #17):
// old headless Chromium builds from npm (test/old-chromium/install.mjs) and
// the system Chromium, driven over raw CDP (test/helpers/cdp.ts: playwright
// cannot attach to 66), each at http://localhost:PORT and at
// http://kiosk.lan:PORT (a non-localhost origin over plain http, mapped to
// loopback). Per cell (test/old-chromium/cells.ts): content, rotation, the
// touch role (search + open + idle reset on ≥ 83, the "needs Chromium ≥ 83"
// sentence below), a tampered bundle refused, and the offline restart at
// localhost on ≥ 83. The matrix goes to stdout and test-output/old-engines.md.
//
// OLD_CHROMIUM picks the engines: a comma list of majors and `system`, each
// optionally limited to one origin (`system@kiosk.lan`). `npm test` runs one
// per tier (66, 83, system at kiosk.lan); `npm run test:browsers` runs
// 66, 83, 88, 92, 103, 109 and system at both origins.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CdpBrowser, type EngineSpec } from '../helpers/cdp.ts';
import { startBundleServer } from '../helpers/bundle-server.ts';
import { ORIGINS, runCell, demoBundle, type Cell, type Row } from '../old-chromium/cells.ts';
import { engineNames, resolveEngines, type MissingEngine } from '../old-chromium/engines.ts';
import { writeMatrix } from '../old-chromium/matrix.ts';

/** The build under test (GK_E2E_DIST: a build of one's own while dist/ is shared). */
const DIST = process.env.GK_E2E_DIST ?? 'dist';

/** `66`, `83`, `system@kiosk.lan` → name and origins. */
const PLAN = engineNames(process.env.OLD_CHROMIUM, '66,83,system@kiosk.lan').map((entry) => {
  const [name, only] = entry.split('@');
  const origins = ORIGINS.filter((o) => !only || o === only);
  if (!origins.length) throw new Error(`OLD_CHROMIUM: unknown origin in ${entry}`);
  return { name, origins };
});

describe('the built app on old and current Chromium', () => {
  const rows: Row[] = [];
  const notes: string[] = [];
  let engines: EngineSpec[] = [];
  let missing: MissingEngine[] = [];

  beforeAll(async () => {
    // The installer runs here, before any cell: cached after the first run.
    ({ engines, missing } = await resolveEngines(PLAN.map((p) => p.name)));
    for (const m of missing) {
      const note = `Chromium ${m.name} not available: ${m.reason}${m.skippable ? ' (skipped: npm registry unreachable outside CI)' : ''}`;
      notes.push(note);
      console.warn(`[old-engines] ${note}`);
    }
  }, 600_000);

  afterAll(() => {
    if (rows.length || notes.length) console.log(`\n${writeMatrix(rows, notes)}`);
  });

  it('has every engine it was asked for (a missing one fails under CI)', () => {
    expect(missing.filter((m) => !m.skippable).map((m) => `${m.name}: ${m.reason}`)).toEqual([]);
  });

  for (const { name, origins } of PLAN) {
    it(`Chromium ${name} at ${origins.join(' and ')}`, async (ctx) => {
      const engine = engines.find((e) => e.name === name);
      const gone = missing.find((m) => m.name === name);
      if (!engine) {
        // Only a skippable miss gets here without failing the test above.
        if (gone?.skippable) return ctx.skip(gone.reason);
        throw new Error(gone?.reason ?? `Chromium ${name} was not installed`);
      }
      const mine: Row[] = [];
      // A profile of our own: the offline restart reopens it after closing the browser.
      const profile = mkdtempSync(join(tmpdir(), `gk-old-engines-${name}-`));
      let browser = await CdpBrowser.launch(engine, { profile, hosts: ['kiosk.lan'] });
      try {
        // kiosk.lan first: the offline restart at localhost stops that server.
        const ordered = [
          ...origins.filter((o) => o !== 'localhost'),
          ...origins.filter((o) => o === 'localhost'),
        ];
        for (const origin of ordered) {
          const server = await startBundleServer(DIST);
          const v1 = demoBundle(DIST);
          server.bundle = v1;
          const cell: Cell = {
            engine,
            browser,
            page: await browser.newPage(undefined, { clock: true }),
            server,
            v1,
            origin,
            base: `http://${origin}:${new URL(server.url).port}/`,
            record: (check, ok, detail) => {
              const row = { engine: name, version: browser.version, origin, check, ok, detail };
              mine.push(row);
              rows.push(row);
            },
          };
          try {
            await runCell(cell);
          } finally {
            cell.page.close();
            browser = cell.browser;
            await server.close();
          }
        }
      } finally {
        await browser.close();
        rmSync(profile, { recursive: true, force: true });
      }
      expect(mine.filter((r) => !r.ok).map((r) => `${r.origin} · ${r.check}: ${r.detail}`)).toEqual(
        [],
      );
    }, 300_000);
  }
});
