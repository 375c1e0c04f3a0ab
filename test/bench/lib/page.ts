// Page-side measurement helpers shared by the browser areas.
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../helpers/chromium.mjs';

/** Name of the performance mark set when the first notice card has been painted. */
export const FIRST_NOTICE_MARK = 'gk-bench-first-notice';

/**
 * Init script (runs before the page's own scripts): on every animation frame it
 * looks, through every shadow root, for a `gk-notice-list` whose shadow root
 * has a card, or a `gk-display` whose shadow root has a slide; in the first frame where one exists, it
 * posts a message whose handler runs after that frame's rendering step and
 * sets the mark there. So the mark is "navigation start → first frame with a
 * notice painted", at frame resolution.
 */
export const FIRST_NOTICE_SCRIPT = `(() => {
  const deep = (root, sel) => {
    const hit = root.querySelector(sel);
    if (hit) return hit;
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) { const h = deep(el.shadowRoot, sel); if (h) return h; }
    }
    return null;
  };
  const found = () => {
    const list = deep(document, 'gk-notice-list');
    if (list && list.shadowRoot && list.shadowRoot.querySelector('li')) return true;
    const display = deep(document, 'gk-display');
    return !!(display && display.shadowRoot && display.shadowRoot.querySelector('gk-slide'));
  };
  const tick = () => {
    if (found()) {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => performance.mark(${JSON.stringify(FIRST_NOTICE_MARK)});
      ch.port2.postMessage(null);
      return;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();`;

/** Expression returning the text of every shadow root (evaluated as a string: tsx would wrap a named helper in `__name`). */
const SHADOW_TEXT = `(() => {
  const walk = (root) => {
    let out = '';
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) out += ' ' + el.shadowRoot.textContent + walk(el.shadowRoot);
    }
    return out;
  };
  return walk(document).replace(/\\s+/g, ' ').trim();
})()`;

/** Times since navigation start, in ms, read after the first notice was painted. */
export interface StartTimes {
  firstNotice: number;
  firstContentfulPaint: number | null;
}

/** Waits for the first-notice mark and returns it with the first contentful paint. */
export async function readStartTimes(page: Page, timeout = 20_000): Promise<StartTimes> {
  try {
    await page.waitForFunction(
      (name) => performance.getEntriesByName(name).length > 0,
      FIRST_NOTICE_MARK,
      { timeout, polling: 50 },
    );
  } catch (err) {
    // Say what the page shows instead, so a broken build is named rather than timed out.
    const shown = await page.evaluate(SHADOW_TEXT).catch(() => '(page text unavailable)');
    throw new Error(
      `no notice painted within ${timeout / 1000} s at ${page.url()}; the page shows: ${String(shown).slice(0, 300)}`,
      { cause: err },
    );
  }
  return page.evaluate((name) => {
    const mark = performance.getEntriesByName(name)[0];
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    return { firstNotice: mark.startTime, firstContentfulPaint: fcp ? fcp.startTime : null };
  }, FIRST_NOTICE_MARK);
}

/** A Chromium with a persistent profile, so a relaunch is a kiosk power-on (disk cache, IndexedDB, service worker kept). */
export async function launchProfile(userDataDir: string): Promise<BrowserContext> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('No Chromium found: run `node test/find-chromium.mjs`.');
  return chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1920, height: 1080 },
    locale: 'zh-CN',
  });
}
