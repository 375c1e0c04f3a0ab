// XSS beacon harness (issue #11, cases `xss` and `xss-control`).
//
// Each vector of test/reliability/xss-vectors.ts is rewritten to call a
// beacon if it ever runs, written into every import format (JSON notice and
// guide, Markdown, CSV, XLSX, saved portal page, plain text) and every field
// the kiosk renders, turned into a signed bundle by the real CLI
// (`gongkai bundle build`), verified, and rendered in Chromium in every view
// (notice reader, guide view, reading-room slide, search results with
// highlights); every element is then clicked, hovered and focused. Twice:
// once with no CSP, so the sanitisers alone are tested, and once under the
// app's CSP with Trusted Types, as kiosks run. Beacons fired must be 0.
//
// The control renders each vector's raw HTML without a sanitiser and must
// fire its beacon, proving the harness sees an execution when there is one;
// vectors marked inert (each with the reason it cannot run in Chromium) must
// not, so a wrong marking shows. The test fails on either.
//
// npm test runs 6 vectors; npm run test:reliability all of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CSP } from '../../vite.config.ts';
import { launchChromium } from '../helpers/browser.ts';
import { demoKey } from '../helpers/make-bundle.ts';
import { recordTrial, trials, type ReliabilityCase } from '../helpers/reliability.ts';
import { verifyBundle } from '../../src/content/verify.ts';
import type { Item } from '../../src/content/types.ts';
import { xssVectors, type XssVector } from '../reliability/xss-vectors.ts';
import {
  XSS_FORMATS,
  XSS_MARKER,
  writeXssSources,
  xssItemId,
  type XssFormat,
} from '../reliability/xss-content.ts';

const XSS: ReliabilityCase = {
  id: 'xss',
  title: 'XSS payloads through every import format and field',
  failures: 'vectors whose beacon fired',
  how: 'Each vector, rewritten to call a beacon, goes into every rendered field of items in 7 import formats (JSON notice and guide, Markdown, CSV, XLSX, saved portal page, text), through `gongkai bundle build` into a signed bundle, then into the notice, guide, slide and search-result views in Chromium, with and without the CSP; every element is clicked, hovered and focused. One trial per vector.',
};
const CONTROL: ReliabilityCase = {
  id: 'xss-control',
  title: 'XSS control: render bypassing the sanitiser',
  failures: 'live vectors whose beacon the harness did not see, or inert vectors that fired',
  how: 'Each vector alone in an intact harness page, with no sanitiser and no CSP, poked the same way: parsed into the page (createContextualFragment), then if not seen after a parse–serialise–parse round trip (the mXSS path of a string-returning sanitiser), then as a whole document in an unsandboxed srcdoc frame; a run cut short by a navigation is repeated once on a fresh page. A live vector must fire its beacon; a vector marked inert (with the reason it cannot run in Chromium: legacy IE/Firefox syntax, a feature Chromium lacks, markup that is only live after a broken filter) must not. One trial per vector.',
};

const ALL = xssVectors();
/** The short subset: every n-th vector, so each family is represented. */
function pick(n: number): XssVector[] {
  if (n >= ALL.length) return ALL;
  const step = ALL.length / n;
  return Array.from({ length: n }, (_, i) => ALL[Math.floor(i * step)]);
}
const VECTORS = pick(trials(6, ALL.length));

const CLI = ['src/cli/bin.js'];
const KEY = 'src/content/demo/DEMO-KEY-NOT-SECRET.pem';

interface Built {
  items: Item[];
  /** Source files `gongkai content check` refused (vector id → formats). */
  refused: Map<string, string[]>;
}

/** Writes the sources, builds a signed bundle with the CLI and reads its verified items. */
async function buildBundle(dir: string): Promise<Built> {
  const src = join(dir, 'src');
  const out = join(dir, 'out');
  await writeXssSources(src, VECTORS);
  const refused = new Map<string, string[]>();
  const build = () =>
    spawnSync(
      'node',
      [...CLI, 'bundle', 'build', src, '--key', KEY, '--demo', '--out', out, '--version', '1', '--today', '2026-11-24', '--quiet'],
      { encoding: 'utf8', maxBuffer: 1 << 28 },
    ); // prettier-ignore
  let r = build();
  if (r.status !== 0) {
    // Files with errors are refused by the build: drop them (they never reach a kiosk) and count them.
    // The build names each refused file on stderr: `error <file> (item …, field …): reason`.
    for (const line of r.stderr.split('\n')) {
      const m = /^error (\S+) (?:\([^)]*\))?:? ?(.*)$/.exec(line);
      const name = m?.[1].replace(/^.*\//, '') ?? '';
      const v = VECTORS.find((x) => name.startsWith(`${x.id}.`));
      if (!m || !v) continue;
      refused.set(v.id, [...(refused.get(v.id) ?? []), `${name.slice(v.id.length + 1)}: ${m[2]}`]);
      rmSync(m[1], { force: true });
    }
    r = build();
  }
  if (r.status !== 0) throw new Error(`gongkai bundle build failed: ${r.stderr}`);
  const read = async (path: string) => {
    try {
      return new Uint8Array(readFileSync(join(out, path)));
    } catch {
      return null;
    }
  };
  const key = demoKey();
  const verified = await verifyBundle(read, [{ id: key.id, jwk: key.jwk }]);
  const items: Item[] = [];
  for (const it of verified.items) {
    const bytes = (await read(it.ref.path)) as Uint8Array;
    items.push((JSON.parse(new TextDecoder().decode(bytes)) as { item: Item }).item);
  }
  return { items, refused };
}

describe('XSS beacon harness', () => {
  let browser: Browser;
  let server: ViteDevServer;
  let harness: string;
  let dir: string;
  let built: Built;

  beforeAll(
    async () => {
      dir = mkdtempSync(join(tmpdir(), 'gk-xss-'));
      server = await createServer({
        logLevel: 'silent',
        cacheDir: 'node_modules/.vite-xss-e2e',
        server: { port: 0, host: '127.0.0.1', hmr: false },
        optimizeDeps: {
          entries: ['test/reliability/pages/xss.html'],
          include: ['qrcode', 'dompurify', 'lit', 'pinyin-pro', 'opencc-js/cn2t'],
        },
      });
      await server.listen();
      const url = server.resolvedUrls?.local[0];
      if (!url) throw new Error('vite dev server did not report a URL');
      harness = `${url}test/reliability/pages/xss.html`;
      [browser, built] = await Promise.all([launchChromium(), buildBundle(dir)]);
    },
    120_000 + VECTORS.length * 5_000,
  );
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Opens the harness, with the app's CSP header or without one; counts beacon
   * requests of every page of its context. `fresh()` opens another harness page
   * in the same context.
   */
  async function open(
    withCsp: boolean,
  ): Promise<{ page: Page; requested: Set<string>; fresh: () => Promise<Page> }> {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const requested = new Set<string>();
    context.on('request', (r) => {
      const m = /\/__beacon\/([A-Za-z0-9-]+)/.exec(r.url());
      if (m) requested.add(m[1]);
    });
    // The dev server sends the app's CSP (vite.config.ts); the document's header decides.
    await context.route(harness, async (route) => {
      const res = await route.fetch();
      const headers = { ...res.headers() };
      delete headers['content-security-policy'];
      if (withCsp) headers['content-security-policy'] = CSP;
      await route.fulfill({ response: res, headers });
    });
    const fresh = async () => {
      const page = await context.newPage();
      await page.goto(harness);
      await page.waitForFunction(
        () => document.documentElement.dataset.ready === 'true' && typeof window.xss === 'object',
        null,
        { timeout: 60_000 },
      );
      return page;
    };
    return { page: await fresh(), requested, fresh };
  }

  /**
   * The control for one vector, alone in an intact harness page (`h.page`,
   * replaced when needed): true when its beacon fired (a call or a request).
   * A vector may navigate the page (an unsanitised meta refresh is the vector
   * running), and the navigation can land after control() returned and cut
   * the next vector short; so the page is replaced whenever a run was cut
   * short or the page is no longer an intact harness, and a run cut short is
   * repeated once on the fresh page.
   */
  async function controlOne(
    h: Awaited<ReturnType<typeof open>>,
    v: XssVector,
  ): Promise<{ seen: boolean; rerun: boolean }> {
    for (let attempt = 0; attempt < 2; attempt++) {
      h.requested.clear();
      const page = h.page;
      const fired = await page
        .evaluate((one) => window.xss.control([one]), { id: v.id, html: v.html })
        .catch(() => null);
      const seen = (fired?.includes(v.id) ?? false) || h.requested.has(v.id);
      const intact =
        fired !== null &&
        page.url() === harness &&
        (await page.evaluate(() => typeof window.xss === 'object').catch(() => false));
      if (!intact) {
        await page.close().catch(() => undefined);
        h.page = await h.fresh();
      }
      if (seen || fired !== null) return { seen, rerun: attempt > 0 };
    }
    return { seen: false, rerun: true };
  }

  /** Renders every format's items and the search results; beacons by vector id → where. */
  async function renderAll(page: Page, requested: Set<string>, mode: string) {
    const where = new Map<string, string[]>();
    const note = (ids: Iterable<string>, at: string) => {
      for (const id of ids) where.set(id, [...(where.get(id) ?? []), at]);
    };
    const byFormat = new Map<XssFormat, Item[]>();
    for (const f of XSS_FORMATS) {
      const ids = new Set(VECTORS.map((v) => xssItemId(v, f)));
      byFormat.set(
        f,
        built.items.filter((i) => ids.has(i.id)),
      );
    }
    for (const [format, items] of byFormat) {
      requested.clear();
      const fired = await page.evaluate((its) => window.xss.render(its), items);
      note(new Set([...fired, ...requested]), `${mode}:${format}`);
      expect(page.url(), `${format} items navigated the page`).toBe(harness);
    }
    requested.clear();
    const s = await page.evaluate((its) => window.xss.search(its, '公开'), built.items);
    note(new Set([...s.fired, ...requested]), `${mode}:search`);
    expect(page.url()).toBe(harness);
    return { where, search: s };
  }

  it(
    `${VECTORS.length} vectors × ${XSS_FORMATS.length} formats × every view fire no beacon; the unsanitised control fires`,
    async () => {
      // Every vector reached the bundle in most formats (a refused file never reaches a kiosk).
      expect(built.items.length).toBeGreaterThanOrEqual(VECTORS.length * (XSS_FORMATS.length - 1));
      expect(built.items.every((i) => JSON.stringify(i).includes(XSS_MARKER))).toBe(true);

      const plain = await open(false);
      const bare = await renderAll(plain.page, plain.requested, 'no-csp');
      // One vector at a time, each in an intact harness page (see controlOne).
      const controlFired = new Set<string>();
      const controlRerun = new Set<string>();
      for (const v of VECTORS) {
        const r = await controlOne(plain, v);
        if (r.seen) controlFired.add(v.id);
        if (r.rerun) controlRerun.add(v.id);
      }
      await plain.page.context().close();

      const strict = await open(true);
      const csp = await renderAll(strict.page, strict.requested, 'csp');
      await strict.page.context().close();

      // The search view found the items and drew highlights, so that path was exercised.
      expect(bare.search.hits).toBeGreaterThan(0);
      expect(bare.search.marks).toBeGreaterThan(0);

      const fired: string[] = [];
      const missedControl: string[] = [];
      for (const v of VECTORS) {
        const at = [...(bare.where.get(v.id) ?? []), ...(csp.where.get(v.id) ?? [])];
        const formats = XSS_FORMATS.filter((f) =>
          built.items.some((i) => i.id === xssItemId(v, f)),
        );
        const refused = built.refused.get(v.id) ?? [];
        recordTrial(XSS, {
          trial: v.id,
          ok: at.length === 0,
          detail:
            at.length === 0
              ? `no beacon; in the bundle from ${formats.length} formats${refused.length ? `, refused at build: ${refused.join('; ')}` : ''}`
              : `beacon fired in ${at.join(', ')}`,
          data: { formats: formats.length, refused: refused.length, fired: at.length },
        });
        if (at.length > 0) fired.push(`${v.id} (${at.join(', ')})`);
        const seen = controlFired.has(v.id);
        const inert = v.inert !== '';
        recordTrial(CONTROL, {
          trial: v.id,
          // A live vector must fire; an inert one must not (else its reason is wrong).
          ok: seen !== inert,
          detail: inert
            ? seen
              ? `marked inert but fired unsanitised (${v.inert})`
              : `inert in Chromium: ${v.inert}`
            : seen
              ? 'fired unsanitised'
              : 'live but did not fire unsanitised',
          data: { fired: seen, inert, rerun: controlRerun.has(v.id) },
        });
        if (seen === inert)
          missedControl.push(`${v.id} (${inert ? 'inert, fired' : 'live, silent'})`);
      }
      expect(fired, 'beacons fired through the sanitised views').toEqual([]);
      // Every live vector must be seen to run unsanitised, or its 0 beacons above prove
      // nothing; every vector marked inert must stay silent, or its marking is wrong.
      expect(missedControl, 'vectors the control contradicts').toEqual([]);
      expect(controlFired.size, 'the control saw executions').toBeGreaterThan(0);
    },
    120_000 + VECTORS.length * 8_000,
  );
});
