// Entry point of the kiosk page. It stays tiny and syntax-safe for every engine
// of the display tier: it loads the polyfills only where a built-in is missing
// (src/compat/), then the app, which registers the shell element and, once the
// first paint is done, the service worker (src/pwa).
import { missingBuiltins } from './compat/missing.ts';

const missing = missingBuiltins();

async function start(): Promise<void> {
  if (missing.length > 0) {
    // core-js first: Lit reads `globalThis` as soon as it loads.
    await import('./compat/polyfills.ts');
    if (missing.includes('Document.prototype.adoptedStyleSheets')) {
      const { installCssomStyles } = await import('./compat/lit-styles.ts');
      installCssomStyles();
    }
  }
  await import('./app/start.ts');
  document.documentElement.setAttribute('data-gk-started', '');
}

start().catch((error: unknown) => {
  // public/startup-check.js shows this, the engine and the minimum on screen.
  document.documentElement.setAttribute('data-gk-start-error', String(error));
  console.error('[gongkai] start failed', error);
});
