// Launching the system Chromium with playwright-core and serving the built app.
import { chromium, type Browser, type Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PNG } from 'pngjs';
import { CHROMIUM_ARGS, findChromium } from './chromium.mjs';

export const OUTPUT_DIR = 'test-output';

export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('No Chromium found: run `node test/find-chromium.mjs`.');
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}

/** Serves dist/ with the production preview server (CSP headers included) on a free port. */
export async function servePreview(): Promise<{ url: string; server: PreviewServer }> {
  const server = await preview({
    logLevel: 'silent',
    preview: { port: 0, strictPort: false, host: '127.0.0.1', open: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('preview server did not report a URL');
  return { url, server };
}

/** Fraction of pixels that differ from the most common colour. */
export function nonBackgroundRatio(png: Buffer): number {
  const img = PNG.sync.read(png);
  const counts = new Map<number, number>();
  const { data } = img;
  for (let i = 0; i < data.length; i += 4 * 7) {
    const key = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let max = 0;
  let total = 0;
  for (const c of counts.values()) {
    total += c;
    if (c > max) max = c;
  }
  return 1 - max / total;
}

/** Elements whose box sticks out of the viewport (content cut off or scrolling the page). */
export async function overflowingElements(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const vw = document.documentElement.clientWidth;
    const vh = document.documentElement.clientHeight;
    if (document.documentElement.scrollWidth > vw)
      out.push(`page scrollWidth ${document.documentElement.scrollWidth} > ${vw}`);
    if (document.documentElement.scrollHeight > vh)
      out.push(`page scrollHeight ${document.documentElement.scrollHeight} > ${vh}`);
    const visit = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && (r.right > vw + 1 || r.left < -1)) {
          out.push(
            `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} spans ${Math.round(r.left)}–${Math.round(r.right)} of ${vw}`,
          );
        }
        if (el.shadowRoot) visit(el.shadowRoot);
      }
    };
    visit(document);
    return out;
  });
}

/**
 * Saves a screenshot under test-output/ and asserts it is not blank and that
 * nothing overflows the viewport. Returns the file path.
 */
export async function checkedScreenshot(page: Page, name: string): Promise<string> {
  const path = `${OUTPUT_DIR}/screenshots/${name}.png`;
  mkdirSync(dirname(path), { recursive: true });
  const png = await page.screenshot({ path });
  const ratio = nonBackgroundRatio(png);
  if (ratio < 0.02)
    throw new Error(
      `${path} looks blank: only ${(ratio * 100).toFixed(2)}% of pixels differ from the background`,
    );
  const overflow = await overflowingElements(page);
  if (overflow.length)
    throw new Error(`${path}: content overflows the viewport: ${overflow.slice(0, 5).join('; ')}`);
  return path;
}

/**
 * Titles of the items the shell is showing: the items handed to the screen's
 * `<gk-display>` (the rotation, which is also the touch kiosk's attract loop).
 * Empty while nothing is shown.
 */
export async function shownTitles(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type Shown = { kind: string; title?: { 'zh-Hans': string }; itemName?: { 'zh-Hans': string } };
    const app = document.querySelector('gk-app');
    const display = app?.shadowRoot?.querySelector('gk-display') as
      (Element & { items?: Shown[] }) | null | undefined;
    return (display?.items ?? []).map(
      (i) => (i.kind === 'notice' ? i.title?.['zh-Hans'] : i.itemName?.['zh-Hans']) ?? '',
    );
  });
}

/** The number of items the shell is showing (see {@link shownTitles}). */
export async function shownCount(page: Page): Promise<number> {
  return (await shownTitles(page)).length;
}
