/**
 * Content Security Policy of the app. One definition shared by the preview
 * server (vite.config.ts), the documented nginx configuration (checked by
 * test/e2e/deploy-nginx.e2e.ts) and the service worker, which adds it to a
 * navigation response that lacks it so the offline page is as strict as the
 * online one.
 *
 * No inline scripts, no eval, and Trusted Types: only lit-html's policy may
 * create HTML, and only the `gongkai-sw` policy (src/pwa/register.ts) may
 * create the one script URL the page needs, the service worker's.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // The hash is that of the empty string: it admits only *empty* <style> elements, into which
  // src/compat/lit-styles.ts inserts Lit's rules through CSSOM on engines without
  // constructable style sheets (Chromium < 73). Styles with text stay refused.
  "style-src 'self' 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  // lit-html renders templates; dompurify re-sanitises notice bodies; the other two create the
  // service worker's and the search worker's script URLs (src/pwa, src/app/content.ts).
  'trusted-types lit-html dompurify gongkai-sw gongkai-worker',
].join('; ');

/** Name of the Trusted Types policy that creates the service worker's script URL. */
export const SW_POLICY_NAME = 'gongkai-sw';

/** The service worker's file name. Never renamed between deploys (a renamed worker never updates). */
export const SW_FILE = 'sw.js';

/** Message the page posts to a waiting worker at a safe moment (the workbox-window convention). */
export const SKIP_WAITING = 'SKIP_WAITING';

/** Message a worker posts to its pages when its install failed; carries `reason`. */
export const INSTALL_FAILED = 'GONGKAI_SW_INSTALL_FAILED';
