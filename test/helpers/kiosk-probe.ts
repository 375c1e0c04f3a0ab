// Reads what the running kiosk shell believes and shows, from outside the page:
// its sync status, the display's trusted time, the rotation and the
// proof-of-display log. The reliability e2e tests (clock skew, disk full,
// eviction) judge the kiosk by these, not by the app's own success flags.
import type { Page } from 'playwright-core';
import type { SyncStatus } from '../../src/sync/status.ts';
import { nonBackgroundRatio } from './browser.ts';

/** The shell's sync status (`gk-app`'s `_status`: what the banner and admin panel read). */
export async function kioskStatus(page: Page): Promise<SyncStatus | null> {
  return page.evaluate(() => {
    const app = document.querySelector('gk-app') as (Element & { _status?: unknown }) | null;
    return (app?._status ?? null) as SyncStatus | null;
  });
}

/** What the reading-room display (the attract loop) is doing right now. */
export interface DisplayState {
  /** The display's idea of "now" (trusted time), epoch ms; null when no display is on screen. */
  now: number | null;
  /** Ids of the items in the rotation (what is shown as current). */
  rotation: string[];
  /** Every item slide the proof-of-display log recorded since the page loaded, oldest first. */
  shown: { id: string; at: number }[];
  /** Id of the item slide on screen, if any. */
  current: string | null;
}

/** Reads the `<gk-display>` inside the shell (private fields read on purpose: no test hooks in the app). */
export async function displayState(page: Page): Promise<DisplayState> {
  return page.evaluate(() => {
    interface Entry {
      item: { id: string };
    }
    type Display = Element & {
      now(): number;
      rotation?: { entries?: Entry[]; current?: { entry: Entry } | null };
      proof?: { entries(): { kind: string; id: string; shownAt: number }[] };
    };
    const app = document.querySelector('gk-app');
    const d = app?.shadowRoot?.querySelector('gk-display') as Display | null | undefined;
    if (!d) return { now: null, rotation: [], shown: [], current: null };
    return {
      now: d.now(),
      rotation: (d.rotation?.entries ?? []).map((e) => e.item.id),
      shown: (d.proof?.entries() ?? [])
        .filter((e) => e.kind === 'item')
        .map((e) => ({ id: e.id, at: e.shownAt })),
      current: d.rotation?.current?.entry.item.id ?? null,
    };
  });
}

/** The status banner's lines, joined. */
export async function bannerText(page: Page): Promise<string> {
  return (await page.locator('gk-status-banner p').allTextContents()).join(' ');
}

/**
 * Every text node on screen, through shadow roots (what a visitor could read).
 * Empty means a blank page.
 */
export async function screenText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const parts: string[] = [];
    const visit = (root: Node) => {
      for (const node of Array.from(root.childNodes)) {
        if (node.nodeType === Node.TEXT_NODE) {
          const t = node.textContent?.trim();
          if (t) parts.push(t);
        } else if (node instanceof Element) {
          if (['STYLE', 'SCRIPT', 'TEMPLATE'].includes(node.tagName)) continue;
          if (node.shadowRoot) visit(node.shadowRoot);
          visit(node);
        }
      }
    };
    visit(document.body);
    return parts.join(' ');
  });
}

/**
 * Presses 立即检查更新 in the PIN-protected admin panel (demo PIN 123456) and
 * waits until the check is over: a sync "during a run", without a reload.
 */
export async function adminCheckNow(page: Page, timeout = 30_000): Promise<void> {
  const panel = page.locator('gk-admin-panel');
  if (!(await panel.count())) await page.keyboard.press('Control+Shift+A');
  if (await panel.locator('#pin').count()) {
    await panel.locator('#pin').fill('123456');
    await panel.locator('button[type=submit]').click();
  }
  const checks = () =>
    page.evaluate(() => {
      const app = document.querySelector('gk-app') as
        (Element & { _status?: { lastCheck: string | null; activity: string } }) | null;
      return { lastCheck: app?._status?.lastCheck ?? null, activity: app?._status?.activity };
    });
  const before = (await checks()).lastCheck;
  await panel.getByRole('button', { name: '立即检查更新' }).click({ timeout });
  const started = Date.now();
  for (;;) {
    const s = await checks();
    if (s.lastCheck !== before && s.activity === 'idle') return;
    if (Date.now() - started > timeout)
      throw new Error(`admin check did not finish in ${timeout} ms`);
    await page.waitForTimeout(150);
  }
}

/** Closes the admin panel if it is open. */
export async function closeAdmin(page: Page): Promise<void> {
  const panel = page.locator('gk-admin-panel');
  if (await panel.count()) await panel.getByRole('button', { name: '关闭' }).click();
}

/** What {@link watchScreen} saw. */
export interface ScreenWatch {
  samples: number;
  /** Samples where the screen showed nothing: no text and a uniform screenshot. */
  blanks: number;
  /** Distinct status-banner texts seen, in order. */
  banners: string[];
}

/**
 * Samples the screen until `stop()` (a few times a second): a sample is blank
 * when no text is on screen and the screenshot is a single colour. Samples
 * taken while the page navigates are judged by the screenshot alone (Chromium
 * keeps the old frame until the new one paints).
 */
export function watchScreen(page: Page): { stop(): Promise<ScreenWatch> } {
  const seen: ScreenWatch = { samples: 0, blanks: 0, banners: [] };
  let running = true;
  const loop = (async () => {
    while (running) {
      let text: string | null = null;
      try {
        text = await screenText(page);
        const banner = await bannerText(page);
        if (banner && seen.banners[seen.banners.length - 1] !== banner) seen.banners.push(banner);
      } catch {
        // Navigating: the execution context is being replaced.
      }
      seen.samples++;
      // Text on screen is enough; only a sample without text needs the (costly) screenshot.
      if (!text?.trim()) {
        let uniform: boolean;
        try {
          uniform = nonBackgroundRatio(await page.screenshot({ timeout: 5000 })) < 0.005;
        } catch {
          // A screenshot can fail mid-navigation; the text decides then.
          uniform = text !== null;
        }
        if (uniform) seen.blanks++;
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return seen;
    },
  };
}
