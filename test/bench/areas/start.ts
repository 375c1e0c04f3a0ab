// Start: time from navigation to the first notice painted, on the built app
// served on loopback, for a first visit, a kiosk power-on (browser restarted,
// profile kept), a warm reload, and offline with the service worker.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { servePreview } from '../../helpers/browser.ts';
import {
  FIRST_NOTICE_SCRIPT,
  launchProfile,
  readStartTimes,
  type StartTimes,
} from '../lib/page.ts';
import { repeat } from '../lib/stats.ts';
import type { Area, AreaResult, Measurement, Missing } from '../lib/types.ts';

async function hasActiveServiceWorker(page: Page): Promise<boolean> {
  return page.evaluate(async () => {
    if (!('serviceWorker' in navigator)) return false;
    const deadline = performance.now() + 8000;
    while (performance.now() < deadline) {
      const reg = await navigator.serviceWorker.getRegistration();
      if (reg?.active) return true;
      await new Promise((r) => setTimeout(r, 200));
    }
    return false;
  });
}

function rowsFor(label: string, times: StartTimes[], withFcp: boolean): Measurement[] {
  const rows: Measurement[] = [
    {
      metric: `first notice painted, ${label}`,
      unit: 'ms',
      samples: times.map((t) => t.firstNotice),
    },
  ];
  const fcp = times.map((t) => t.firstContentfulPaint).filter((x): x is number => x !== null);
  if (withFcp && fcp.length)
    rows.push({ metric: `first contentful paint, ${label}`, unit: 'ms', samples: fcp });
  return rows;
}

export const start: Area = {
  id: 'start',
  title: 'Start',
  description:
    'Time from navigation start to the first frame in which a notice card is painted (an init script checks every animation frame for the first `gk-notice-list` card or `gk-display` slide inside the shadow roots and sets a performance mark after that frame renders), on the built app served by `vite preview` on loopback, 1920×1080. *first visit*: empty profile, so it includes the first-run load into IndexedDB. *power-on*: Chromium restarted on a kept profile (disk cache, IndexedDB and service worker kept), the kiosk case. *warm reload*: reload of a running page. *offline*: the same with the server process stopped, served by the service worker.',
  async run(ctx): Promise<AreaResult> {
    if (!existsSync(join(ctx.distDir, 'index.html'))) {
      return { status: 'not-measured', reason: 'no dist/index.html: run `npm run build` first' };
    }
    const { url, server } = await servePreview();
    let serverOpen = true;
    const profile = mkdtempSync(join(ctx.cacheDir, 'start-profile-'));
    const rows: Measurement[] = [];
    const missing: Missing[] = [];
    try {
      // First visit: a fresh incognito-like context each time.
      const browser = await ctx.launchChromium();
      try {
        const first = await repeat(ctx.runs, async (i) => {
          ctx.progress(`first visit ${i + 1}/${ctx.runs}`);
          const context = await browser.newContext({
            viewport: { width: 1920, height: 1080 },
            locale: 'zh-CN',
          });
          await context.addInitScript(FIRST_NOTICE_SCRIPT);
          const page = await context.newPage();
          await page.goto(url);
          const t = await readStartTimes(page);
          await context.close();
          return t;
        });
        rows.push(...rowsFor('first visit (empty profile)', first, true));
      } finally {
        await browser.close();
      }

      // Prime a persistent profile, then power-on and warm reloads.
      let sw = false;
      {
        const context = await launchProfile(profile);
        await context.addInitScript(FIRST_NOTICE_SCRIPT);
        const page = context.pages()[0] ?? (await context.newPage());
        await page.goto(url);
        await readStartTimes(page);
        sw = await hasActiveServiceWorker(page);
        const warm = await repeat(ctx.runs, async (i) => {
          ctx.progress(`warm reload ${i + 1}/${ctx.runs}`);
          await page.reload();
          return readStartTimes(page);
        });
        rows.push(...rowsFor('warm reload', warm, false));
        await context.close();
      }
      const powerOn = async (label: string) =>
        repeat(ctx.runs, async (i) => {
          ctx.progress(`${label} ${i + 1}/${ctx.runs}`);
          const context = await launchProfile(profile);
          await context.addInitScript(FIRST_NOTICE_SCRIPT);
          const page = context.pages()[0] ?? (await context.newPage());
          await page.goto(url);
          const t = await readStartTimes(page);
          await context.close();
          return t;
        });
      rows.push(
        ...rowsFor('power-on (browser restarted, profile kept)', await powerOn('power-on'), true),
      );

      if (!sw) {
        const reason = 'the built app registers no service worker yet (PWA issue)';
        missing.push({ metric: 'first notice painted, power-on offline (server stopped)', reason });
        missing.push({ metric: 'first notice painted, warm reload offline', reason });
      } else {
        await server.close();
        serverOpen = false;
        rows.push(
          ...rowsFor('power-on offline (server stopped)', await powerOn('power-on offline'), true),
        );
        const context = await launchProfile(profile);
        await context.addInitScript(FIRST_NOTICE_SCRIPT);
        const page = context.pages()[0] ?? (await context.newPage());
        await page.goto(url);
        await readStartTimes(page);
        const warm = await repeat(ctx.runs, async (i) => {
          ctx.progress(`warm reload offline ${i + 1}/${ctx.runs}`);
          await page.reload();
          return readStartTimes(page);
        });
        rows.push(...rowsFor('warm reload offline', warm, false));
        await context.close();
      }
    } finally {
      if (serverOpen) await server.close();
      rmSync(profile, { recursive: true, force: true });
    }
    return {
      status: 'measured',
      rows,
      missing,
      notes: [
        'Frame resolution: headless Chromium renders at 60 Hz, so times are within about 17 ms of the paint.',
      ],
    };
  },
};
