// Builds a bench page (an HTML file and a generated TypeScript entry) with
// Vite's production build, so pages run the same minified code the kiosk would.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'vite';

/**
 * Writes `<cacheDir>/pages/<name>/index.html` and `entry.ts` (whose source is
 * `entry(relativePathFromEntryToRepoRoot)`), builds it into
 * `<cacheDir>/pages/<name>/dist/` and returns that directory.
 */
export async function buildPage(
  root: string,
  cacheDir: string,
  name: string,
  entry: (toRoot: string) => string,
): Promise<string> {
  const dir = join(cacheDir, 'pages', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const toRoot = relative(dir, root).split('\\').join('/');
  writeFileSync(join(dir, 'entry.ts'), entry(toRoot));
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"><title>bench ${name}</title><script type="module" src="./entry.ts"></script></head><body></body></html>\n`,
  );
  const outDir = join(dir, 'dist');
  await build({
    configFile: false,
    root: dir,
    base: './',
    logLevel: 'error',
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      modulePreload: { polyfill: false },
      chunkSizeWarningLimit: 100_000,
      reportCompressedSize: false,
    },
  });
  return outDir;
}
