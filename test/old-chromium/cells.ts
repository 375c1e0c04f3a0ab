// The checks of one matrix cell (an engine at one origin), on the built app
// served with its CSP headers by test/helpers/bundle-server.ts. Each check
// records a row: works, or FAIL with the reason as seen on screen.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { CdpBrowser, type CdpPage, type EngineSpec } from '../helpers/cdp.ts';
import type { BundleServer } from '../helpers/bundle-server.ts';
import { demoItems, makeBundle } from '../helpers/make-bundle.ts';
import { firstError, lookUntil, workerState, type Look } from './probe.ts';

/** One row of the matrix. */
export interface Row {
  engine: string;
  version: string;
  origin: Origin;
  check: string;
  ok: boolean;
  detail: string;
}

/** The two origins: loopback (a secure context) and an intranet host name over plain http. */
export const ORIGINS = ['localhost', 'kiosk.lan'] as const;
export type Origin = (typeof ORIGINS)[number];

/** Chromium majors that get everything (issue #17); 66–82 is the display tier. */
export const SUPPORTED_FROM = 83;

/** A notice only the tampered version 2 has. */
const NEW_TITLE = '旧引擎测试：被篡改的新通知不应出现';
const config = (id: string) =>
  JSON.parse(readFileSync(`kiosk-config/${id}.json`, 'utf8')) as {
    display: { dwellSeconds: number };
    idle?: { timeoutSeconds: number };
  };

/** The display roles and their dwell; the touch role's idle time (default.json). */
const DISPLAY_ROLES = ['library-reading-room', 'notice-board'].map((id) => ({
  id,
  dwellMs: config(id).display.dwellSeconds * 1000,
}));
const IDLE_MS = (config('default').idle?.timeoutSeconds ?? 90) * 1000;

/** How long a first sync may take (old engines on a shared 2-core machine). */
const CONTENT_MS = 30_000;
/** Query string for every load: sync requests give up quickly. */
const QUERY = 'sync-timeout-ms=5000';

/**
 * The demo bundle `npm run build` wrote into `dist` (with its search index, so
 * the touch kiosk has candidates), as the server's file map: version 1 here.
 */
export function demoBundle(dist: string): Map<string, Uint8Array> {
  const root = join(dist, 'bundles', 'demo');
  const files = new Map<string, Uint8Array>();
  for (const f of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    if (statSync(join(root, f)).isFile())
      files.set(f.split(sep).join('/'), readFileSync(join(root, f)));
  }
  if (!files.has('manifest.json'))
    throw new Error(`${root}/manifest.json missing: run npm run build`);
  return files;
}

/** A newer version than `files` holds, with one more notice. */
function newerBundle(files: Map<string, Uint8Array>): Map<string, Uint8Array> {
  const manifest = JSON.parse(new TextDecoder().decode(files.get('manifest.json'))) as {
    version: number;
  };
  const items = demoItems();
  return makeBundle({
    items: [...items, { ...items[0], id: 'old-engine-new', title: { 'zh-Hans': NEW_TITLE } }],
    version: manifest.version + 1,
  }).files;
}

const summary = (l: Look) => `banner “${l.banner.slice(0, 80)}”; screen “${l.text.slice(0, 80)}”`;

/** Everything a cell needs; `browser` is replaced by the offline restart. */
export interface Cell {
  engine: EngineSpec;
  browser: CdpBrowser;
  page: CdpPage;
  server: BundleServer;
  /** Version 1 (what the server offers first and again after the tamper check). */
  v1: Map<string, Uint8Array>;
  /** Items the first display role showed (version 1), once it did. */
  v1Shown?: number;
  origin: Origin;
  /** `http://<origin>:<port>/` */
  base: string;
  record(check: string, ok: boolean, detail: string): void;
}

/** A display role: content on screen, then the rotation moves on after the dwell. */
async function displayRole(cell: Cell, role: { id: string; dwellMs: number }): Promise<void> {
  const { page } = cell;
  await page.goto(`${cell.base}?kiosk=${role.id}&${QUERY}`);
  const l = await lookUntil(page, (x) => x.shown > 0 && x.current !== null, CONTENT_MS);
  const ok = l.shown > 0;
  if (ok) cell.v1Shown ??= l.shown;
  cell.record(
    `${role.id}: content`,
    ok,
    ok ? `${l.shown} items` : `nothing shown: ${summary(l)}${firstError(page)}`,
  );
  if (!ok) return cell.record(`${role.id}: rotation`, false, 'no content');
  await page.fastForward(role.dwellMs + 1000);
  const next = await lookUntil(page, (x) => x.current !== null && x.current !== l.current, 5000);
  const moved = next.current !== null && next.current !== l.current;
  cell.record(
    `${role.id}: rotation`,
    moved,
    moved
      ? `${l.current} → ${next.current} after ${role.dwellMs / 1000} s`
      : `still ${l.current} after ${role.dwellMs / 1000} s${firstError(page)}`,
  );
}

/** The touch role on the display tier: a plain-Chinese sentence saying it needs Chromium ≥ 83. */
async function touchNeeds83(cell: Cell): Promise<void> {
  const { page } = cell;
  await page.goto(`${cell.base}?${QUERY}`);
  const l = await lookUntil(page, (x) => /Chromium\s*83/.test(x.text) || x.start, CONTENT_MS);
  const at = l.text.search(/Chromium\s*83/);
  const sentence = at >= 0 ? l.text.slice(Math.max(0, at - 40), at + 20) : '';
  const ok = at >= 0 && /[\u4e00-\u9fff]/.test(sentence) && !l.start;
  cell.record(
    'touch: needs-83 message',
    ok,
    ok
      ? `“${sentence.trim()}”`
      : l.start
        ? 'the touch UI started instead of the message'
        : `no message naming 83: ${summary(l)}${firstError(page)}`,
  );
}

/** Waits for `css` (a gkDeep chain) to be on screen; false after `ms`. */
async function present(page: CdpPage, css: string, ms = 5000): Promise<boolean> {
  return page.poll<boolean>(`gkDeep(${JSON.stringify(css)}).length > 0`, ms);
}

/** The touch role on the supported tier: content, a search that opens an item, the idle reset. */
async function touchRole(cell: Cell): Promise<void> {
  const { page } = cell;
  await page.goto(`${cell.base}?${QUERY}`);
  const l = await lookUntil(page, (x) => x.start && x.shown > 0, CONTENT_MS);
  const ok = l.start && l.shown > 0;
  cell.record(
    'touch: content',
    ok,
    ok ? `start button, ${l.shown} items in the attract loop` : `${summary(l)}${firstError(page)}`,
  );
  if (!ok) {
    cell.record('touch: search + open', false, 'no content');
    cell.record('touch: idle reset', false, 'no content');
    return;
  }
  let opened = '';
  try {
    await page.click('gk-kiosk >> button.start');
    await present(page, 'gk-kiosk >> nav button');
    await page.click('gk-kiosk >> nav button', '搜索');
    // Initials of 政务公开 on the on-screen keyboard, then the word from the candidate bar.
    for (const k of ['z', 'w', 'g', 'k']) {
      await present(page, `gk-keyboard >> button[data-key="${k}"]`);
      await page.click(`gk-keyboard >> button[data-key="${k}"]`);
    }
    const word = 'gk-candidate-bar >> button[data-word="政务公开"]';
    // The index is built after the content shows; on a loaded machine over plain http
    // (pure-JS hashing of the index files) that can take a while: a wait, not a budget.
    if (!(await present(page, word, 30_000))) {
      const typed = await page.evaluate<string>(
        `(gkDeep('gk-kiosk >> input[type="search"]')[0] || {}).value || ''`,
      );
      const words = await page.evaluate<string[]>(
        `gkDeep('gk-candidate-bar >> button').map(function (b) { return b.textContent.trim(); })`,
      );
      throw new Error(`no candidate 政务公开 for “${typed}” (candidates: ${words.join(' ')})`);
    }
    await page.click(word);
    if (!(await present(page, 'gk-kiosk >> [part="result"]')))
      throw new Error('no search result for 政务公开');
    const title = await page.evaluate<string>(
      `(gkDeep('gk-kiosk >> [part="result"]')[0].querySelector('.title') || {}).textContent.trim()`,
    );
    await page.click('gk-kiosk >> [part="result"]');
    const h1 = await page.poll<string>(
      `(gkDeep('gk-notice-view >> h1')[0] || {}).textContent || ''`,
      5000,
      (t) => t.trim() === title,
    );
    if (h1.trim() !== title) throw new Error(`opened “${h1.trim()}”, expected “${title}”`);
    opened = title;
    cell.record('touch: search + open', true, `zwgk → 政务公开 → “${title.slice(0, 30)}”`);
  } catch (err) {
    cell.record('touch: search + open', false, `${(err as Error).message}${firstError(page)}`);
  }
  // Nobody touches the screen for the idle time: back to the start, the item gone.
  await page.fastForward(IDLE_MS + 1000);
  const back = await lookUntil(page, (x) => x.start, 5000);
  const gone = !opened || !(await present(page, 'gk-notice-view', 0));
  cell.record(
    'touch: idle reset',
    back.start && gone,
    back.start && gone
      ? `start screen after ${IDLE_MS / 1000} s idle`
      : `no reset after ${IDLE_MS / 1000} s idle: ${summary(back)}`,
  );
}

/** A tampered version 2 is refused: version 1 stays on screen and the banner says why. */
async function tampered(cell: Cell): Promise<void> {
  const { page, server } = cell;
  const role = DISPLAY_ROLES[0].id;
  server.bundle = newerBundle(cell.v1);
  server.faults = { flipByte: (p) => p.startsWith('objects/') };
  try {
    await page.goto(`${cell.base}?kiosk=${role}&${QUERY}`);
    const l = await lookUntil(page, (x) => /文件校验失败/.test(x.banner), CONTENT_MS);
    const kept = l.shown > 0 && l.shown === cell.v1Shown && !l.titles.includes(NEW_TITLE);
    const ok = kept && /文件校验失败/.test(l.banner);
    cell.record(
      'tampered bundle refused',
      ok,
      ok
        ? `v1 kept (${l.shown} items); “${l.banner.slice(0, 60)}”`
        : `${kept ? 'v1 kept' : `${l.shown} items shown`}, ${summary(l)}${firstError(page)}`,
    );
  } finally {
    server.faults = {};
    server.bundle = cell.v1;
  }
}

/** Entries in every CacheStorage cache of the page's origin (the worker's precache). */
const CACHE_COUNT = `caches.keys().then(function (names) {
    return Promise.all(names.map(function (n) {
      return caches.open(n).then(function (c) { return c.keys(); }).then(function (r) {
        return r.length + ' entries';
      });
    }));
  }).then(function (x) { return 'cache storage ' + (x.join(', ') || 'empty'); })`;

/**
 * Offline restart (supported tier, localhost): once the service worker is
 * active, the server stops and the browser restarts on the same profile; the
 * kiosk must still show its content. Replaces `cell.browser` and `cell.page`.
 */
async function offlineRestart(cell: Cell): Promise<void> {
  const url = `${cell.base}?kiosk=${DISPLAY_ROLES[0].id}&${QUERY}`;
  await cell.page.goto(url);
  const before = await lookUntil(cell.page, (x) => x.shown > 0, CONTENT_MS);
  if (!before.shown) return cell.record('offline restart', false, 'no content before the restart');
  const state = await cell.page.poll<string | null>(
    `navigator.serviceWorker ? navigator.serviceWorker.getRegistration().then(function (r) { return r && r.active ? r.active.state : null; }) : 'none'`,
    20_000,
    (s) => s === 'activated',
    300,
  );
  if (state !== 'activated') {
    cell.record('offline restart', false, `service worker not active (${state})`);
    return;
  }
  // What the worker holds, named in a FAIL reason.
  const cached = await cell.page.evaluate<string>(CACHE_COUNT);
  cell.page.close();
  await cell.browser.close();
  await cell.server.close();
  cell.browser = await CdpBrowser.launch(cell.engine, {
    profile: cell.browser.profile,
    hosts: ['kiosk.lan'],
  });
  cell.page = await cell.browser.newPage(undefined, { clock: true });
  try {
    await cell.page.goto(url);
  } catch (err) {
    cell.record('offline restart', false, `navigation failed: ${(err as Error).message}`);
    return;
  }
  // The server is down: the banner may well report a failed check meanwhile.
  const l = await lookUntil(cell.page, (x) => x.shown > 0, CONTENT_MS, { syncMayFail: true });
  const cachedAfter = l.shown
    ? ''
    : await cell.page.evaluate<string>(CACHE_COUNT).catch(() => 'unreadable');
  cell.record(
    'offline restart',
    l.shown > 0,
    l.shown > 0
      ? `${l.shown} items with the server down (worker ${await workerState(cell.page)})`
      : `nothing shown with the server down: ${summary(l)}${firstError(cell.page)}; before the restart: ${cached}, after: ${cachedAfter}`,
  );
}

/**
 * Runs every check of one cell. The offline restart stops the server, so it
 * comes last and only at localhost on the supported tier.
 */
export async function runCell(cell: Cell): Promise<void> {
  const supported = cell.engine.major >= SUPPORTED_FROM;
  for (const role of DISPLAY_ROLES) await displayRole(cell, role);
  if (supported) await touchRole(cell);
  else await touchNeeds83(cell);
  await tampered(cell);
  if (supported && cell.origin === 'localhost') await offlineRestart(cell);
}
