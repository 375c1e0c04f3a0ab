import type { Plugin } from 'vite';

/**
 * Adds `<link rel="modulepreload">` for the app chunk (src/app/start.ts) and
 * its static imports. The entry (src/main.ts) loads the app with a dynamic
 * import after its polyfill check; without these links a current engine would
 * only start fetching the app once the entry had run, one round trip later.
 * Preloading fetches and compiles, never runs, so engines that need the
 * polyfills first still get them first.
 */
export function preloadApp(entry = 'src/app/start.ts'): Plugin {
  return {
    name: 'gongkai-preload-app',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle) return html;
        const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
        const start = chunks.find((c) => c.facadeModuleId?.endsWith(entry));
        if (!start) throw new Error(`preload-app: no chunk for ${entry}`);
        const files = [start.fileName, ...start.imports];
        return files.map((file) => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', crossorigin: true, href: `./${file}` },
          injectTo: 'head' as const,
        }));
      },
    },
  };
}
