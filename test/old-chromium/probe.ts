// What the kiosk shows, read over raw CDP (the old-engine twin of
// test/helpers/kiosk-probe.ts, which needs playwright). Private fields of the
// shell are read on purpose: no test hooks in the app.
import type { CdpPage } from '../helpers/cdp.ts';

/** One look at the screen. */
export interface Look {
  /** Items handed to the screen's `<gk-display>` (the rotation / attract loop). */
  shown: number;
  /** Id of the item slide on screen. */
  current: string | null;
  /** Titles handed to `<gk-display>` (zh-Hans). */
  titles: string[];
  /** The status banner's lines, joined. */
  banner: string;
  /** Every text on screen through shadow roots. */
  text: string;
  /** The touch kiosk's start button is on screen. */
  start: boolean;
}

const LOOK = `(function () {
  var d = gkDeep('gk-display')[0];
  var items = (d && d.items) || [];
  var cur = d && d.rotation && d.rotation.current;
  var banner = gkDeep('gk-status-banner >> p').map(function (p) { return p.textContent.trim(); });
  return {
    shown: items.length,
    current: cur ? cur.entry.item.id : null,
    titles: items.map(function (i) {
      var t = i.kind === 'notice' ? i.title : i.itemName;
      return (t && t['zh-Hans']) || '';
    }),
    banner: banner.join(' '),
    text: gkText(),
    start: gkDeep('gk-kiosk >> button.start').length > 0
  };
})()`;

/** Reads the screen once (an empty look while the page navigates). */
export async function look(page: CdpPage): Promise<Look> {
  try {
    return await page.evaluate<Look>(LOOK);
  } catch {
    return { shown: 0, current: null, titles: [], banner: '', text: '', start: false };
  }
}

/**
 * Looks until `done` holds or `timeoutMs` passes, and returns the last look.
 * Gives up early (after `graceMs`) when waiting cannot help: the page threw a
 * SyntaxError (a script the engine cannot parse never starts), or, unless
 * `syncMayFail`, nothing is shown and the banner reports a failed sync (the
 * next attempt is minutes away).
 */
export async function lookUntil(
  page: CdpPage,
  done: (l: Look) => boolean,
  timeoutMs: number,
  { graceMs = 3000, syncMayFail = false } = {},
): Promise<Look> {
  const start = Date.now();
  for (;;) {
    const l = await look(page);
    if (done(l)) return l;
    const elapsed = Date.now() - start;
    if (elapsed > timeoutMs) return l;
    if (elapsed > graceMs) {
      if (page.errors.some((e) => /SyntaxError/.test(e))) return l;
      if (!syncMayFail && l.shown === 0 && /更新失败/.test(l.banner)) return l;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The state of this origin's service worker registration ('activated' when ready). */
export function workerState(page: CdpPage): Promise<string | null> {
  return page.evaluate<string | null>(`(function () {
    if (!('serviceWorker' in navigator)) return Promise.resolve('no navigator.serviceWorker');
    return navigator.serviceWorker.getRegistration().then(function (r) {
      return r && r.active ? r.active.state : null;
    });
  })()`);
}

/** The page's errors and failed requests, shortened, for a FAIL reason. */
export function firstError(page: CdpPage): string {
  const e = page.errors.filter((x) => !/service worker registration failed/.test(x));
  const short = (xs: string[]) =>
    xs
      .slice(0, 3)
      .map((x) => x.slice(0, 160))
      .join(' | ');
  return `${e.length ? `; page errors: ${short(e)}` : ''}${
    page.failedRequests.length ? `; failed requests: ${short(page.failedRequests)}` : ''
  }`;
}
