// The touch kiosk on the BUILT app (dist/, served by the production preview
// server with the CSP headers), synced from the signed demo bundle:
// - privacy: a visitor types on the on-screen keyboard, picks a candidate,
//   opens a result and walks away; after the idle time no trace is left in any
//   place a browser keeps state (reliability case `privacy-reset`);
// - escape: a visitor (or hostile content) tries every way out of the app
//   (reliability case `escape`);
// - the admin panel: anonymous counts, CSV exports, screenshots.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkedScreenshot, launchChromium, OUTPUT_DIR } from '../helpers/browser.ts';
import { recordTrial, type ReliabilityCase } from '../helpers/reliability.ts';

/** The build to test: `dist/` (npm test builds it first), or another out dir while developing. */
const DIST = process.env.KIOSK_E2E_DIST ?? 'dist';

const PRIVACY: ReliabilityCase = {
  id: 'privacy-reset',
  title: 'Idle privacy reset',
  failures: 'traces of the previous visitor found',
  how: 'Built app: a visitor types a nonsense query on the on-screen keyboard, then a real one, picks a candidate and opens a result; after the idle time (fake clock) the query and the item are searched for in DOM text (shadow roots), input values, history, URL, session/localStorage, IndexedDB (except content and counts), CacheStorage, the title and a heap snapshot after GC.',
};

const ESCAPE: ReliabilityCase = {
  id: 'escape',
  title: 'Escape attempts from the kiosk',
  failures: 'escapes (the page left the app, reloaded or opened another page)',
  how: 'Built app in Chromium: link clicks (left, middle, target=_blank), window.open, a form submit, history back past the start, a link and a file dropped on the page (CDP drag events), Ctrl+L/N/T/R, Alt+Left, F5, Backspace, the context menu; after each the page must still be the app at its start URL.',
};

/** A query that cannot occur in the content or its index: nonsense pinyin plus digits. */
const NONSENSE_KEYS = ['q', 'x', 'z', 'v', '7', '3', '1', '8'];
const NONSENSE = NONSENSE_KEYS.join('');
/** The shortest prefix of the nonsense query searched for (its own prefixes are traces too). */
const NONSENSE_TRACE = NONSENSE.slice(0, 4);
const IDLE_MS = 90_000;

const T0 = Date.now();
/** Step timings on stderr with KIOSK_E2E_TRACE=1 (the machine is shared; steps vary a lot). */
const step = (name: string) => {
  if (process.env.KIOSK_E2E_TRACE)
    console.error(`[kiosk-e2e] ${((Date.now() - T0) / 1000).toFixed(1)} s ${name}`);
};

const kiosk = (page: Page, css: string) => page.locator(`gk-kiosk ${css}`);

async function pressKeys(page: Page, keys: string[]) {
  for (const k of keys) await kiosk(page, `gk-keyboard button[data-key="${k}"]`).click();
}

/** DOM text through every shadow root, except the rotation (which shows content to everyone). */
function domText(page: Page): Promise<{ all: string; outsideRotation: string; inputs: string[] }> {
  return page.evaluate(() => {
    const inputs: string[] = [];
    const walk = (root: Document | ShadowRoot | Element, skipRotation: boolean): string => {
      let out = '';
      for (const node of root.childNodes) {
        if (node.nodeType === Node.TEXT_NODE) out += node.textContent ?? '';
        if (!(node instanceof Element)) continue;
        if (skipRotation && node.localName === 'gk-display') continue;
        if (node instanceof HTMLInputElement || node instanceof HTMLTextAreaElement)
          inputs.push(node.value);
        if (node.shadowRoot) out += ` ${walk(node.shadowRoot, skipRotation)}`;
        out += ` ${walk(node, skipRotation)}`;
      }
      return out;
    };
    const all = walk(document, false);
    const outsideRotation = walk(document, true);
    return { all, outsideRotation, inputs };
  });
}

/** Every IndexedDB record outside the content stores and the counts, as text. */
function indexedDbText(page: Page): Promise<{ names: string[]; text: string }> {
  return page.evaluate(async () => {
    // Content (versions, objects, the persisted search index) and counts (stats) are allowed.
    const allowedStores = new Set([
      'gongkai/versions',
      'gongkai/chunks',
      'gongkai/chunkIndex',
      'gongkai/stats',
    ]);
    const allowedKeys = new Set(['gongkai/meta/searchIndex', 'gongkai/meta/searchIndexKey']);
    const toText = (v: unknown): string => {
      if (v instanceof ArrayBuffer) return new TextDecoder().decode(v);
      if (ArrayBuffer.isView(v))
        return new TextDecoder().decode(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
      if (v && typeof v === 'object')
        return Object.entries(v)
          .map(([k, x]) => `${k}:${toText(x)}`)
          .join(' ');
      return String(v);
    };
    const names: string[] = [];
    let text = '';
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const req = indexedDB.open(info.name!);
        req.onsuccess = () => res(req.result);
        req.onerror = () => rej(req.error);
      });
      for (const store of db.objectStoreNames) {
        const path = `${info.name}/${store}`;
        names.push(path);
        if (allowedStores.has(path)) continue;
        const [keys, values] = await new Promise<[IDBValidKey[], unknown[]]>((res, rej) => {
          const tx = db.transaction(store, 'readonly');
          const k = tx.objectStore(store).getAllKeys();
          const v = tx.objectStore(store).getAll();
          tx.oncomplete = () => res([k.result, v.result]);
          tx.onerror = () => rej(tx.error);
        });
        keys.forEach((key, i) => {
          if (!allowedKeys.has(`${path}/${String(key)}`))
            text += ` ${String(key)} ${toText(values[i])}`;
        });
      }
      db.close();
    }
    return { names, text };
  });
}

/** Every CacheStorage entry: URL and body. */
function cacheText(page: Page): Promise<string> {
  return page.evaluate(async () => {
    let text = '';
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const req of await cache.keys()) {
        const res = await cache.match(req);
        text += ` ${req.url} ${res ? await res.text() : ''}`;
      }
    }
    return text;
  });
}

/** A heap snapshot after a forced GC, as the raw JSON text (strings included). */
async function heapSnapshot(context: BrowserContext, page: Page): Promise<string> {
  const cdp = await context.newCDPSession(page);
  const chunks: string[] = [];
  cdp.on('HeapProfiler.addHeapSnapshotChunk', (p) => chunks.push(p.chunk));
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  await cdp.detach();
  return chunks.join('');
}

describe('the built app as a touch kiosk', () => {
  let browser: Browser;
  let server: PreviewServer;
  let url: string;

  beforeAll(async () => {
    server = await preview({
      logLevel: 'silent',
      build: { outDir: DIST },
      preview: { port: 0, strictPort: false, host: '127.0.0.1', open: false },
    });
    url = server.resolvedUrls?.local[0] ?? '';
    if (!url) throw new Error('preview server did not report a URL');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(viewport = { width: 1920, height: 1080 }) {
    const context = await browser.newContext({ viewport, locale: 'zh-CN', acceptDownloads: true });
    await context.clock.install();
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text());
    });
    await page.goto(url);
    await kiosk(page, 'button.start').waitFor({ timeout: 30_000 });
    return { context, page, errors, requests };
  }

  it('forgets the visitor after the idle time: no trace anywhere (privacy-reset)', async () => {
    const { context, page, errors } = await open();
    step('opened');
    const historyAtStart = await page.evaluate(() => history.length);
    const startUrl = page.url();

    await kiosk(page, 'button.start').click();
    await kiosk(page, 'nav button').filter({ hasText: '搜索' }).click();
    // A query nobody's content contains: the search finds nothing (and counts it).
    await pressKeys(page, NONSENSE_KEYS);
    await expect.poll(() => kiosk(page, 'input[type="search"]').inputValue()).toBe(NONSENSE);
    expect(await kiosk(page, '[part="result"]').count()).toBe(0);
    await kiosk(page, 'gk-keyboard button[data-key="Clear"]').click();
    // Initials of 政务公开, then the word from the candidate bar; open the first result.
    await pressKeys(page, ['z', 'w', 'g', 'k']);
    await kiosk(page, 'gk-candidate-bar button').filter({ hasText: '政务公开' }).first().click();
    await expect.poll(() => kiosk(page, 'input[type="search"]').inputValue()).toBe('政务公开');
    const first = kiosk(page, '[part="result"]').first();
    await first.waitFor();
    const itemId = (await first.getAttribute('data-id'))!;
    const title = (await first.locator('.title').textContent())!.trim();
    await first.click();
    await expect.poll(() => kiosk(page, 'gk-notice-view h1').textContent()).toBe(title);
    expect((await domText(page)).outsideRotation).toContain(title);

    step('item open');
    // Nobody touches the screen for the idle time.
    await page.clock.fastForward(IDLE_MS + 1000);
    await kiosk(page, 'button.start').waitFor();

    const found: Record<string, string[]> = {};
    const check = (place: string, text: string, needles: string[]) => {
      found[place] = needles.filter((n) => text.includes(n));
      recordTrial(PRIVACY, {
        trial: place,
        ok: found[place].length === 0,
        detail: found[place].length ? `found ${found[place].join(', ')}` : 'clean',
      });
    };
    step('idle reset');
    const dom = await domText(page);
    check('dom-text', dom.all, [NONSENSE_TRACE, '政务公开工作']);
    check('dom-text-outside-rotation', dom.outsideRotation, [title]);
    check('input-values', dom.inputs.join(' '), [NONSENSE_TRACE, '政务公开', 'zwgk']);
    const browserState = await page.evaluate(() => ({
      length: history.length,
      state: JSON.stringify(history.state),
      url: location.href,
      title: document.title,
      session: JSON.stringify({ ...sessionStorage }),
      local: JSON.stringify({ ...localStorage }),
      // Item-specific state: the kiosk's session and any element naming the item.
      kiosk: JSON.stringify(
        (
          document.querySelector('gk-app')?.shadowRoot?.querySelector('gk-kiosk') as
            (Element & { session?: unknown }) | null
        )?.session ?? null,
      ),
    }));
    check(
      'history',
      `${browserState.length === historyAtStart ? '' : 'history-length-changed'} ${browserState.state} ${browserState.url === startUrl ? '' : browserState.url}`,
      [
        'history-length-changed',
        NONSENSE_TRACE,
        itemId,
        'zwgk',
        ...(browserState.url === startUrl ? [] : [browserState.url]),
      ],
    );
    check('document-title', browserState.title, [NONSENSE_TRACE, title]);
    check('session-storage', browserState.session, [NONSENSE_TRACE, title, itemId]);
    check('local-storage', browserState.local, [NONSENSE_TRACE, title, itemId]);
    check('kiosk-session-state', browserState.kiosk, [NONSENSE_TRACE, itemId, '政务公开']);
    const opened = await page.locator(`gk-kiosk [data-id="${itemId}"], gk-notice-view`).count();
    check('item-elements', opened ? 'item-element-present' : '', ['item-element-present']);
    const idb = await indexedDbText(page);
    expect(idb.names).toContain('gongkai/stats');
    check('indexeddb', idb.text, [NONSENSE_TRACE, title, itemId]);
    check('cache-storage', await cacheText(page), [NONSENSE_TRACE, title]);
    // The index legitimately holds content words, so the heap is searched for the nonsense query.
    step('before heap');
    check('heap-snapshot', await heapSnapshot(context, page), [NONSENSE_TRACE]);
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));

    step('heap done');
    // What was kept is anonymous and aggregated: the admin panel shows the counts.
    await page.keyboard.press('Control+Shift+A');
    await page.locator('gk-admin-panel #pin').fill('123456');
    await page.locator('gk-admin-panel button[type="submit"]').click();
    await expect
      .poll(() => page.locator('gk-admin-panel table.zero').textContent())
      .toContain(NONSENSE);
    expect(await page.locator('gk-admin-panel table.views').textContent()).toContain(title);
    const saved = async (kind: string) => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.locator(`gk-admin-panel button[data-export="${kind}"]`).click(),
      ]);
      const path = `${OUTPUT_DIR}/kiosk-export-${kind}.csv`;
      await download.saveAs(path);
      return {
        text: (await import('node:fs')).readFileSync(path, 'utf8'),
        name: download.suggestedFilename(),
      };
    };
    step('admin open');
    const stats = await saved('stats');
    expect(stats.name).toMatch(/^gongkai-default-stats-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(stats.text).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2},zero,${NONSENSE},,1\\r$`, 'm'));
    expect(stats.text).toMatch(new RegExp(`,view,${itemId},`));
    step('stats saved');
    const proof = await saved('proof');
    expect(proof.text.split('\r\n')[0]).toBe(
      '\uFEFFshown_at_utc,shown_at_local,screen,kind,id,title,page,pages,dwell_s',
    );
    expect(proof.text.split('\r\n').length).toBeGreaterThan(2);
    expect(await page.locator('gk-admin-panel .diagnostics').textContent()).toContain('default');
    step('proof saved');
    for (const [orientation, viewport] of [
      ['landscape', { width: 1920, height: 1080 }],
      ['portrait', { width: 1080, height: 1920 }],
    ] as const) {
      await page.setViewportSize(viewport);
      await checkedScreenshot(page, `kiosk-admin-${orientation}-normal`);
    }
    expect(errors, errors.join('\n')).toEqual([]);
    await context.close();
  }, 240_000);

  it('cannot be left: links, window.open, forms, history, drops, shortcuts, context menu (escape)', async () => {
    const { context, page, errors, requests } = await open();
    const startUrl = page.url();
    const navigations: string[] = [];
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame() && f.url() !== startUrl) navigations.push(f.url());
    });
    await kiosk(page, 'button.start').click();
    await kiosk(page, 'gk-home h2').first().waitFor();
    // The demo PDF attachment renders under the real CSP and Trusted Types; pdf.js is fetched
    // only now, never at start.
    const scripts = async () => requests.filter((u) => /pdf/i.test(u));
    expect(await scripts()).toEqual([]);
    await page.evaluate(() =>
      document
        .querySelector('gk-app')!
        .shadowRoot!.querySelector('gk-kiosk')!
        .openItem('dg-2007-zwgk-plan-notice'),
    );
    await kiosk(page, 'gk-notice-view button[data-attachment="0"]').click();
    await expect
      .poll(() => kiosk(page, 'gk-pdf-view [role="status"]').textContent(), { timeout: 20_000 })
      .toContain('2 页');
    expect(await kiosk(page, 'gk-pdf-view canvas').count()).toBe(2);
    expect((await scripts()).length).toBeGreaterThan(0);
    await checkedScreenshot(page, 'kiosk-notice-pdf-landscape-normal');
    await page.evaluate(() => {
      (window as unknown as { gkMarker: number }).gkMarker = 1;
    });
    const dropFile = resolve(OUTPUT_DIR, 'escape-drop.html');
    mkdirSync(OUTPUT_DIR, { recursive: true });
    writeFileSync(dropFile, '<p>not the kiosk</p>');

    /** Hostile elements placed where content would be: inside the kiosk, and in the page. */
    type Planted = { tag: 'a' | 'form'; id: string; attrs: Record<string, string>; text: string };
    const plant = (spec: Planted, inKiosk: boolean) =>
      page.evaluate(
        ([p, k]) => {
          const host = k
            ? document
                .querySelector('gk-app')!
                .shadowRoot!.querySelector('gk-kiosk')!
                .shadowRoot!.querySelector('main')!
            : document.body;
          // Built with the DOM API: the app's Trusted Types forbid HTML strings.
          const el = document.createElement(p.tag);
          el.id = p.id;
          for (const [name, value] of Object.entries(p.attrs)) el.setAttribute(name, value);
          if (p.tag === 'form') {
            const button = document.createElement('button');
            button.textContent = p.text;
            el.append(button);
          } else el.textContent = p.text;
          host.prepend(el);
        },
        [spec, inKiosk] as const,
      );
    const drop = async (data: object) => {
      const cdp = await context.newCDPSession(page);
      for (const type of ['dragEnter', 'dragOver', 'drop'] as const)
        await cdp.send('Input.dispatchDragEvent', { type, x: 400, y: 400, data: data as never });
      await cdp.detach();
    };
    const attempts: [string, () => Promise<unknown>][] = [
      [
        'link-click-in-kiosk',
        async () => {
          await plant(
            {
              tag: 'a',
              id: 'esc1',
              attrs: { href: 'https://example.org/escape' },
              text: '外部链接',
            },
            true,
          );
          await kiosk(page, '#esc1').click();
        },
      ],
      [
        'link-click-target-blank',
        async () => {
          await plant(
            {
              tag: 'a',
              id: 'esc2',
              attrs: { href: 'https://example.org/', target: '_blank' },
              text: '新窗口',
            },
            false,
          );
          await page.locator('#esc2').click();
        },
      ],
      ['link-middle-click', () => page.locator('#esc2').click({ button: 'middle' })],
      ['window-open', () => page.evaluate(() => window.open('https://example.org/', '_blank'))],
      [
        'form-submit',
        async () => {
          await plant(
            {
              tag: 'form',
              id: 'esc3',
              attrs: { action: 'https://example.org/', method: 'get' },
              text: '提交',
            },
            false,
          );
          await page.locator('#esc3 button').click();
        },
      ],
      ['history-back-api', () => page.evaluate(() => history.go(-3))],
      ['history-back-browser', () => page.goBack({ timeout: 2000 }).catch(() => null)],
      [
        'drop-link',
        () =>
          drop({
            items: [{ mimeType: 'text/uri-list', data: 'https://example.org/dropped' }],
            dragOperationsMask: 1 | 2 | 16,
          }),
      ],
      ['drop-file', () => drop({ items: [], files: [dropFile], dragOperationsMask: 1 | 2 | 16 })],
      ['key-ctrl-l', () => page.keyboard.press('Control+L')],
      ['key-ctrl-n', () => page.keyboard.press('Control+N')],
      ['key-ctrl-t', () => page.keyboard.press('Control+T')],
      ['key-ctrl-r', () => page.keyboard.press('Control+R')],
      ['key-alt-left', () => page.keyboard.press('Alt+ArrowLeft')],
      ['key-f5', () => page.keyboard.press('F5')],
      ['key-backspace', () => page.keyboard.press('Backspace')],
      [
        'context-menu',
        async () => {
          await page.evaluate(() => {
            window.addEventListener('contextmenu', (e) => {
              (window as unknown as { gkMenu: boolean }).gkMenu = !e.defaultPrevented;
            });
          });
          await page.mouse.click(300, 300, { button: 'right' });
        },
      ],
    ];
    const escapes: string[] = [];
    for (const [name, attempt] of attempts) {
      let detail = '';
      try {
        await attempt();
      } catch (err) {
        detail = `attempt threw: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
      }
      await page.waitForTimeout(150);
      const state = await page
        .evaluate(() => ({
          marker: (window as unknown as { gkMarker?: number }).gkMarker ?? 0,
          menu: (window as unknown as { gkMenu?: boolean }).gkMenu ?? false,
          app: !!document.querySelector('gk-app'),
        }))
        .catch(() => ({ marker: 0, menu: false, app: false }));
      const problems = [
        page.url() !== startUrl && `left to ${page.url()}`,
        navigations.length > 0 && `navigated to ${navigations.join(', ')}`,
        context.pages().length !== 1 && `${context.pages().length} pages open`,
        state.marker !== 1 && 'page reloaded or replaced',
        !state.app && 'app gone',
        state.menu && 'context menu not prevented',
      ].filter((p): p is string => typeof p === 'string');
      recordTrial(ESCAPE, {
        trial: name,
        ok: problems.length === 0,
        detail: [...problems, detail].filter(Boolean).join('; ') || 'stayed',
      });
      if (problems.length) escapes.push(`${name}: ${problems.join('; ')}`);
      for (const extra of context.pages().slice(1)) await extra.close();
      navigations.length = 0;
    }
    expect(escapes).toEqual([]);
    expect(errors, errors.join('\n')).toEqual([]);
    await context.close();
  }, 240_000);
});
