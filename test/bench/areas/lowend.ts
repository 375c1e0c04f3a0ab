// Low-end engines (issue #17, point 6): the built app on an old Chromium at
// 4× CPU throttling, the RK3568 class of hall hardware. Driven over raw CDP
// (test/helpers/cdp.ts), since playwright cannot attach to old engines.
// Opt-in (`npm run bench -- --only lowend`): it installs and starts another
// browser, which the 10-minute bench budget has no room for.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CdpBrowser, type CdpPage, type EngineSpec } from '../../helpers/cdp.ts';
import { startBundleServer, type BundleServer } from '../../helpers/bundle-server.ts';
import { generatedItems, makeBundle } from '../../helpers/make-bundle.ts';
import { PACK_FILE, packBundle } from '../../../src/content/pack.ts';
import { demoBundle } from '../../old-chromium/cells.ts';
import { resolveEngines } from '../../old-chromium/engines.ts';
import { FIRST_NOTICE_SCRIPT } from '../lib/page.ts';
import { percentile, repeat } from '../lib/stats.ts';
import type { Area, AreaResult, Measurement, Missing } from '../lib/types.ts';
import { firstNoticeMs, LONG_TASK_SCRIPT, slideChanges, typeQueries } from './lowend-page.ts';

/** The engine (LOWEND_ENGINE: a major, or `system`) and the throttling of the RK3568 class. */
const ENGINE = process.env.LOWEND_ENGINE ?? '83';
const THROTTLE = 4;
const CHANGES = 8;
/** Items of the ingest bundle, ~1,000 characters each (10,000 make the 20–30 MB). */
const INGEST_ITEMS = Number(process.env.LOWEND_INGEST_ITEMS ?? 2000);
/** Typed on the on-screen keyboard: initials, full pinyin, and letters that match little. */
const QUERIES = ['zwgk', 'xxgk', 'gongkai', 'shenqing', 'nianbao', 'banshi', 'qxz'];
const VIEWPORT = { width: 1920, height: 1080 };

const dwellMs = (id: string) =>
  (
    JSON.parse(readFileSync(`kiosk-config/${id}.json`, 'utf8')) as {
      display: { dwellSeconds: number };
    }
  ).display.dwellSeconds * 1000;

const trustedKeys = () =>
  (JSON.parse(readFileSync('kiosk-config/default.json', 'utf8')) as { trustedKeys: unknown[] })
    .trustedKeys;

/** A throttled page of `browser`, with init scripts, on `url`. */
async function open(
  browser: CdpBrowser,
  url: string,
  opts: { clock?: boolean; scripts?: string[] } = {},
): Promise<CdpPage> {
  const page = await browser.newPage(VIEWPORT, { clock: opts.clock });
  for (const s of opts.scripts ?? []) await page.addInitScript(s);
  await page.throttleCpu(THROTTLE);
  await page.goto(url, 120_000);
  return page;
}

async function measure(
  ctx: Parameters<Area['run']>[0],
  engine: EngineSpec,
  server: BundleServer,
): Promise<{ rows: Measurement[]; missing: Missing[]; notes: string[] }> {
  const subject = `Chromium ${engine.major}, ${THROTTLE}× CPU`;
  const base = `http://localhost:${new URL(server.url).port}/`;
  const reading = `${base}?kiosk=library-reading-room`;
  const rows: Measurement[] = [];
  const missing: Missing[] = [];
  const notes: string[] = [];
  const profile = mkdtempSync(join(tmpdir(), 'gk-bench-lowend-'));
  let browser = await CdpBrowser.launch(engine, { profile });
  try {
    notes.push(`Engine: ${browser.version} (${engine.bin}).`);
    // First run: syncs the demo content into the kept profile.
    ctx.progress(`${subject}: first run (sync into the profile)`);
    const first = await open(browser, reading, { scripts: [FIRST_NOTICE_SCRIPT] });
    await firstNoticeMs(first, 120_000);
    first.close();

    const powerOn = await repeat(Math.min(3, ctx.runs), async (i) => {
      ctx.progress(`${subject}: power-on ${i + 1}`);
      await browser.close();
      browser = await CdpBrowser.launch(engine, { profile });
      const page = await open(browser, reading, { scripts: [FIRST_NOTICE_SCRIPT] });
      const t = await firstNoticeMs(page);
      page.close();
      return t;
    });
    rows.push({
      metric: 'first notice painted, power-on (browser restarted, profile kept)',
      subject,
      unit: 'ms',
      samples: powerOn,
      target: { op: '<=', value: 2000 },
    });

    ctx.progress(`${subject}: ${CHANGES} slide changes`);
    const display = await open(browser, reading, { clock: true, scripts: [LONG_TASK_SCRIPT] });
    await display.poll<boolean>(`gkDeep('gk-display').length > 0`, 60_000);
    await new Promise((r) => setTimeout(r, 2000));
    const longest = await slideChanges(display, dwellMs('library-reading-room'), CHANGES);
    display.close();
    if (longest === null)
      missing.push({
        metric: 'longest task at a slide change',
        subject,
        reason: 'no long-task observer',
      });
    else
      rows.push({
        metric: `longest task at a slide change, demo content (long-task observer, ${CHANGES} changes)`,
        subject,
        unit: 'ms',
        samples: [longest],
        target: { op: '<=', value: 50 },
        note: longest === 0 ? 'no task reached 50 ms' : undefined,
      });

    ctx.progress(`${subject}: keystrokes on the touch kiosk`);
    const touch = await open(browser, base);
    if (!(await touch.poll<boolean>(`gkDeep('gk-kiosk >> button.start').length > 0`, 60_000)))
      throw new Error('the touch kiosk did not start');
    await touch.click('gk-kiosk >> button.start');
    await touch.poll<boolean>(`gkDeep('gk-kiosk >> nav button').length > 0`, 10_000);
    await touch.click('gk-kiosk >> nav button', '搜索');
    await touch.poll<boolean>(`gkDeep('gk-keyboard >> button').length > 0`, 10_000);
    await typeQueries(touch, QUERIES); // warm-up pass
    const passes = await repeat(3, async (i) => {
      ctx.progress(`${subject}: keystroke pass ${i + 1}/3`);
      return typeQueries(touch, QUERIES);
    });
    touch.close();
    const strokes = passes[0].length;
    rows.push(
      {
        metric: 'keystroke to layout p50 (on-screen keyboard, demo content)',
        subject,
        unit: 'ms',
        samples: passes.map((p) => percentile(p, 0.5)),
      },
      {
        metric: 'keystroke to layout p95 (on-screen keyboard, demo content)',
        subject,
        unit: 'ms',
        samples: passes.map((p) => percentile(p, 0.95)),
        target: { op: '<=', value: 16 },
        note: `${strokes} keystrokes per pass`,
      },
    );

    ctx.progress(`${subject}: ingest of ${INGEST_ITEMS} items`);
    const bundle = new Map(
      makeBundle({ items: generatedItems(INGEST_ITEMS, { bodyChars: 1000 }), version: 1 }).files,
    );
    // The packed copy `bundle build` publishes beside the manifest (one request for a cold ingest).
    bundle.set(PACK_FILE, packBundle(bundle));
    let bytes = 0;
    for (const [p, body] of bundle) {
      if (p !== PACK_FILE) bytes += body.length;
      server.extra.set(`lowend/${p}`, { body, type: 'application/json' });
    }
    const bench = await open(browser, `${reading}&bench`);
    await bench.poll<boolean>('!!window.gongkaiBench', 60_000);
    const ingest = await repeat(Math.min(3, ctx.runs), async (i) => {
      ctx.progress(`${subject}: ingest ${i + 1}`);
      const r = await bench.evaluate<{ outcome: string; ms: number }>(`(function () {
        var t0 = performance.now();
        return window.gongkaiBench.ingestFromUrl('/lowend/manifest.json', {
          trustedKeys: ${JSON.stringify(trustedKeys())}, bundleId: 'gongkai-demo',
          dbName: 'gongkai-bench-lowend', fresh: true
        }).then(function (r) { return { outcome: r.outcome, ms: performance.now() - t0 }; });
      })()`);
      if (r.outcome !== 'switched') throw new Error(`ingest did not switch: ${r.outcome}`);
      return r.ms;
    });
    bench.close();
    rows.push({
      metric: `full ingest, ${INGEST_ITEMS.toLocaleString('en-US')} items (${(bytes / 2 ** 20).toFixed(1)} MB), empty database`,
      subject,
      unit: 'ms',
      samples: ingest,
    });
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
  return { rows, missing, notes };
}

export const lowend: Area = {
  id: 'lowend',
  title: 'Low-end engines',
  description: `The built app (dist/, served with its CSP headers on loopback, demo content) on Chromium ${ENGINE} (a headless build from npm, test/old-chromium/install.mjs; LOWEND_ENGINE picks another) at ${THROTTLE}× CPU throttling (CDP \`Emulation.setCPUThrottlingRate\`), the RK3568 class of hall hardware, driven over raw CDP (test/helpers/cdp.ts). Power-on: the browser restarted on a kept profile, navigation to the first frame with a notice painted (the same init script as *Start*). Slide change: the reading-room display on a fake clock, ${CHANGES} changes, the longest long task (PerformanceObserver) that started during them (0 when none reached 50 ms). Keystroke: the touch kiosk's search view, the on-screen keyboard's keys clicked in the page for ${QUERIES.length} queries (${QUERIES.join(', ')}); each figure runs from the click to the end of the work it caused (every Lit update, then style and layout forced), p50/p95 per pass, 3 passes after a warm-up. Ingest: the kiosk's ingest path (\`?bench\`, \`src/sync/bench.ts\`) of a ${INGEST_ITEMS.toLocaleString('en-US')}-item bundle into an empty database. Opt-in: \`npm run bench -- --only lowend\`.`,
  async run(ctx): Promise<AreaResult> {
    if (!existsSync(join(ctx.distDir, 'index.html')))
      return { status: 'not-measured', reason: 'no dist/index.html: run `npm run build` first' };
    ctx.progress(`installing Chromium ${ENGINE} (cached)`);
    const { engines, missing } = await resolveEngines([ENGINE]);
    if (!engines.length)
      return { status: 'not-measured', reason: missing[0]?.reason ?? 'engine not installed' };
    const server = await startBundleServer(ctx.distDir);
    server.bundle = demoBundle(ctx.distDir);
    try {
      const r = await measure(ctx, engines[0], server);
      return { status: 'measured', rows: r.rows, missing: r.missing, notes: r.notes };
    } finally {
      await server.close();
    }
  },
};
