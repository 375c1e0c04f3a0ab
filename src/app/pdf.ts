import type { PdfjsModule } from '../components/gk-pdf-view.ts';
// Vite bundles the worker as its own .js module (precached by the service worker like the
// rest of the app, so PDFs open offline); only its URL is in the start bundle.
// pdf.js's *legacy* build: the modern one needs Promise.withResolvers (Chromium 119) and
// fails on every supported engine below it (Windows 7's Chrome 109 included); the legacy
// build still needs a few built-ins in its worker (src/compat/pdf-worker.ts adds them) and,
// in the page, what src/compat/polyfills.ts provides when the engine lacks it.
import pdfWorkerUrl from '../compat/pdf-worker.ts?worker&url';
import { workerScriptUrl } from './content.ts';

let loading: Promise<PdfjsModule> | null = null;

/**
 * Loads pdf.js the first time a visitor opens a PDF attachment (a separate
 * chunk: it never grows the start bundle) and gives it a module worker from
 * the app's own origin. The worker's URL is a Trusted Types sink, created by
 * the app's `gongkai-worker` policy (same-origin URLs only), so the CSP needs
 * no new policy for pdf.js.
 */
export function loadPdfjs(): Promise<PdfjsModule> {
  loading ??= (async () => {
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const url = workerScriptUrl(new URL(pdfWorkerUrl, location.href).href);
    pdfjs.GlobalWorkerOptions.workerPort = new Worker(url, { type: 'module' });
    return pdfjs;
  })();
  // A failed load (e.g. a chunk missing after a broken deploy) may be retried on the next open.
  loading.catch(() => {
    loading = null;
  });
  return loading;
}
