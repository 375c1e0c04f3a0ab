/// <reference lib="webworker" />
/**
 * The kiosk's service worker (built by vite-plugin-pwa with `injectManifest`,
 * always published as `sw.js`).
 *
 * - Precaches the app shell from the build's manifest; every entry carries a
 *   revision and a Subresource Integrity hash, so a missing (404) or altered
 *   file fails the install. A failed install leaves the running version in
 *   place and is reported to the pages ({@link INSTALL_FAILED}) with the first
 *   entry found at fault.
 * - Serves navigations from the precached `index.html`, so the kiosk starts
 *   with the server down. The cached response keeps the server's CSP header;
 *   if it has none, the worker adds the app's CSP.
 * - Never calls skipWaiting on its own: only when the page posts
 *   {@link SKIP_WAITING} at a safe moment (no visitor), see src/pwa/updater.ts.
 * - Content bundles (`bundles/`) are not precached: they go to IndexedDB via
 *   src/sync, so an app deploy and a content push stay separate channels.
 */
// Workbox's strategies call Promise.allSettled (Chromium 76); the service worker also runs
// on the display tier's engines (Chromium 66–75). core-js patches it only where it is missing.
import 'core-js/actual/promise/all-settled';
import { PrecacheController, PrecacheRoute, type PrecacheEntry } from 'workbox-precaching';
import { NavigationRoute, Router } from 'workbox-routing';
import type { WorkboxPlugin } from 'workbox-core';
import { CSP, INSTALL_FAILED, SKIP_WAITING } from '../pwa/csp.ts';
import { parseEngine } from '../compat/engine.ts';

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: (PrecacheEntry | string)[];
};

/** Longest any waitUntil may keep the worker busy, so a hung request cannot block activation. */
const WAIT_LIMIT_MS = 60_000;

const manifest: PrecacheEntry[] = self.__WB_MANIFEST.map((e) =>
  typeof e === 'string' ? { url: e, revision: null } : e,
);
/**
 * On Chromium before 88 a precached module script that the page has run is
 * later missing from Cache Storage (seen on 83: the entries of the scripts the
 * page ran were gone about 90 s after start, and the next offline start had no
 * app). Those engines write V8's code cache back into the Cache Storage entry
 * of a script served straight from it; serving a copy of the response keeps
 * the entry out of that path. Current engines get the cached response itself
 * (and its code cache).
 */
const engine = parseEngine(self.navigator.userAgent);
const copyScripts = engine.name === 'Chromium' && engine.major !== null && engine.major < 88;
const scriptCopies: WorkboxPlugin = {
  cachedResponseWillBeUsed: async ({ cachedResponse, request }) => {
    if (!cachedResponse || !new URL(request.url).pathname.endsWith('.js')) return cachedResponse;
    return new Response(await cachedResponse.blob(), {
      status: cachedResponse.status,
      statusText: cachedResponse.statusText,
      headers: cachedResponse.headers,
    });
  },
};
const precache = new PrecacheController({ plugins: copyScripts ? [scriptCopies] : [] });
precache.addToCacheList(manifest);

const router = new Router();
router.registerRoute(new PrecacheRoute(precache, { cleanURLs: false }));
const shell = precache.createHandlerBoundToURL('index.html');
router.registerRoute(
  new NavigationRoute(async (options) => withCsp(await shell(options)), {
    // Bundles and their objects are data, never the shell.
    denylist: [/\/bundles\//],
  }),
);

/** Rejects after `ms` so that no waitUntil can keep the worker from activating forever. */
function limit<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Adds the app's CSP to a navigation response that does not carry one. */
function withCsp(response: Response): Response {
  if (response.headers.has('Content-Security-Policy')) return response;
  const headers = new Headers(response.headers);
  headers.set('Content-Security-Policy', CSP);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

/** Base64 of the SRI digest of `bytes` with the algorithm named in `integrity`. */
async function sri(integrity: string, bytes: ArrayBuffer): Promise<string> {
  const alg = integrity.split('-')[0];
  const name = alg === 'sha512' ? 'SHA-512' : alg === 'sha256' ? 'SHA-256' : 'SHA-384';
  const digest = new Uint8Array(await crypto.subtle.digest(name, bytes));
  let bin = '';
  for (const b of digest) bin += String.fromCharCode(b);
  return `${alg}-${btoa(bin)}`;
}

/**
 * Finds which precache entry broke the install, for the status line: the
 * first that is not served with 2xx, or whose bytes do not match its hash.
 */
async function diagnose(error: unknown): Promise<string> {
  for (const entry of manifest) {
    const url = new URL(entry.url, self.registration.scope).href;
    try {
      const res = await fetch(url, { cache: 'no-store', credentials: 'same-origin' });
      if (!res.ok) return `${entry.url}: HTTP ${res.status}`;
      if (entry.integrity) {
        const actual = await sri(entry.integrity, await res.arrayBuffer());
        if (actual !== entry.integrity)
          return `${entry.url}: content does not match its integrity hash (${entry.integrity.slice(0, 20)}…)`;
      }
    } catch (e) {
      return `${entry.url}: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  return error instanceof Error ? error.message : String(error);
}

async function reportInstallFailure(error: unknown): Promise<void> {
  const reason = await diagnose(error);
  console.error(`[gongkai sw] install failed, the running version stays: ${reason}`);
  const pages = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  for (const page of pages) page.postMessage({ type: INSTALL_FAILED, reason });
}

/** The Service Worker Static Routing API (Chromium 123+), not yet in TypeScript's lib. */
interface RouterInstallEvent extends ExtendableEvent {
  addRoutes?(
    rules: { condition: { urlPattern: { pathname: string } }; source: 'network' }[],
  ): Promise<void>;
}

self.addEventListener('install', (event) => {
  // Content traffic (bundles, often long or many requests) bypasses the worker
  // entirely: no fetch event is ever in flight for it, so it can never hold
  // back the activation of a new version.
  const routed = (event as RouterInstallEvent).addRoutes?.([
    { condition: { urlPattern: { pathname: '*/bundles/*' } }, source: 'network' },
  ]);
  if (routed) event.waitUntil(routed.catch(() => undefined));
  // PrecacheController.install calls waitUntil itself; this second waitUntil
  // only adds the report, and rethrows so that the install really fails.
  const installing = precache.install(event);
  event.waitUntil(
    limit(installing, WAIT_LIMIT_MS, 'precaching').catch(async (error: unknown) => {
      await limit(reportInstallFailure(error), 10_000, 'reporting').catch(() => undefined);
      throw error;
    }),
  );
});

self.addEventListener('activate', (event) => {
  precache.activate(event);
  // On the very first install, take the open page so it works offline without
  // a reload. Updates reach here only after the page asked (SKIP_WAITING).
  event.waitUntil(limit(self.clients.claim(), WAIT_LIMIT_MS, 'claiming pages'));
});

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  const data: unknown = event.data;
  if (typeof data === 'object' && data !== null && 'type' in data && data.type === SKIP_WAITING) {
    // self.skipWaiting(), not workbox-core's: that one only works while installing.
    event.waitUntil(self.skipWaiting());
  }
});

self.addEventListener('fetch', (event) => {
  const responded = router.handleRequest({ event, request: event.request });
  if (responded) event.respondWith(responded);
});
