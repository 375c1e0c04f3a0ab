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
// vectors marked inert (legacy IE/Firefox syntax) are not expected to.
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
  failures: 'live vectors whose beacon the harness did not see',
  how: 'The raw vector HTML is parsed into the page with no sanitiser (createContextualFragment, no CSP) and poked the same way, and a vector not seen then is loaded as a whole document in an unsandboxed srcdoc frame and poked again; a live vector must fire its beacon. Vectors that cannot run in Chromium at all (legacy IE/Firefox syntax) are marked inert and pass without firing. One trial per vector.',
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

  /** Opens the harness, with the app's CSP header or without one; counts beacon requests. */
  async function open(withCsp: boolean): Promise<{ page: Page; requested: Set<string> }> {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    const requested = new Set<string>();
    page.on('request', (r) => {
      const m = /\/__beacon\/([A-Za-z0-9-]+)/.exec(r.url());
      if (m) requested.add(m[1]);
    });
    // The dev server sends the app's CSP (vite.config.ts); the document's header decides.
    await page.route(harness, async (route) => {
      const res = await route.fetch();
      const headers = { ...res.headers() };
      delete headers['content-security-policy'];
      if (withCsp) headers['content-security-policy'] = CSP;
      await route.fulfill({ response: res, headers });
    });
    await page.goto(harness);
    await page.waitForFunction(() => document.documentElement.dataset.ready === 'true', null, {
      timeout: 60_000,
    });
    return { page, requested };
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
      // One vector at a time: an unsanitised meta refresh or form post may navigate the
      // page away (that is the vector running), after which the harness is reopened.
      const controlFired = new Set<string>();
      for (const v of VECTORS) {
        plain.requested.clear();
        const fired = await plain.page
          .evaluate((one) => window.xss.control([one]), { id: v.id, html: v.html })
          .catch(() => [] as string[]);
        if (fired.includes(v.id) || plain.requested.has(v.id)) controlFired.add(v.id);
        if (plain.page.url() !== harness) {
          await plain.page.goto(harness);
          await plain.page.waitForFunction(() => document.documentElement.dataset.ready === 'true');
        }
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
        recordTrial(CONTROL, {
          trial: v.id,
          ok: seen || v.inert !== '',
          detail: seen
            ? 'fired unsanitised'
            : v.inert
              ? `inert in Chromium: ${v.inert}`
              : 'did not fire unsanitised',
          data: { fired: seen, inert: v.inert !== '' },
        });
        if (!seen && !v.inert) missedControl.push(v.id);
      }
      expect(fired, 'beacons fired through the sanitised views').toEqual([]);
      // The control must see most live vectors run. Some do not run when parsed as a
      // fragment (body/frameset handlers, SVG scripts, some CSS loads); each is a failed
      // xss-control trial in docs/reliability.md, listed there as an open gap of the harness.
      const live = VECTORS.filter((v) => !v.inert).length;
      expect(
        missedControl.length,
        `live vectors the control did not see run: ${missedControl.join(', ')}`,
      ).toBeLessThanOrEqual(Math.floor(live * 0.2));
      expect(controlFired.size, 'the control saw executions').toBeGreaterThan(0);
    },
    120_000 + VECTORS.length * 8_000,
  );
});
