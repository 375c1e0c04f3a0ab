// Size: gzipped JavaScript and CSS of the built app (dist/), the service
// worker, and the largest lazily loaded chunk.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, posix, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Area, AreaResult, Measurement, Missing } from '../lib/types.ts';

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** Gzipped size (zlib level 9, as most static servers precompress) in KB. */
function gzKB(file: string): number {
  return gzipSync(readFileSync(file), { level: 9 }).length / 1024;
}

/** Relative module specifiers a built chunk imports statically and dynamically. */
export function chunkImports(code: string): { static: string[]; dynamic: string[] } {
  const stat = new Set<string>();
  const dyn = new Set<string>();
  // `import"./x.js"`, `import{a}from"./x.js"`, `export*from"./x.js"`
  for (const m of code.matchAll(
    /(?:\bimport|\bexport)\s*(?:[\w$*{}\s,]*?\bfrom\s*)?["'](\.{1,2}\/[^"']+)["']/g,
  )) {
    stat.add(m[1]);
  }
  for (const m of code.matchAll(/\bimport\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g)) dyn.add(m[1]);
  // new Worker(new URL("./w.js", import.meta.url)) is lazy too
  for (const m of code.matchAll(
    /new URL\(\s*["'](\.{1,2}\/[^"']+\.js)["']\s*,\s*import\.meta\.url/g,
  )) {
    dyn.add(m[1]);
  }
  return { static: [...stat], dynamic: [...dyn].filter((d) => !stat.has(d)) };
}

/** JS and CSS files the page loads before anything lazy: index.html entries and their static imports. */
export function initialFiles(dist: string): Set<string> {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const queue: string[] = [];
  for (const m of html.matchAll(/<(?:script|link)\b[^>]*?(?:src|href)="([^"]+\.(?:js|css))"/g)) {
    queue.push(join(dist, m[1].replace(/^\.?\//, '')));
  }
  const seen = new Set<string>();
  while (queue.length) {
    const file = queue.pop() as string;
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    if (!file.endsWith('.js')) continue;
    for (const spec of chunkImports(readFileSync(file, 'utf8')).static) {
      queue.push(join(dirname(file), spec));
    }
  }
  return seen;
}

function fileCount(n: number): string {
  return `${n} file${n === 1 ? '' : 's'}`;
}

function isServiceWorker(rel: string): boolean {
  return (
    /^(sw|service-worker)\.js$/.test(basename(rel)) || /^workbox-[\w-]+\.js$/.test(basename(rel))
  );
}

export const size: Area = {
  id: 'size',
  title: 'Size',
  description:
    'Gzipped (level 9) size of the built app in `dist/`: the JavaScript and CSS loaded at start (index.html entries and their static imports), all JavaScript, the service worker, and the largest lazily loaded chunk (dynamic imports and workers: Traditional-conversion and pinyin dictionaries count here). Source maps and content are excluded. A single measurement: sizes do not vary between runs.',
  async run(ctx): Promise<AreaResult> {
    const dist = ctx.distDir;
    if (!existsSync(join(dist, 'index.html'))) {
      return { status: 'not-measured', reason: 'no dist/index.html: run `npm run build` first' };
    }
    const files = walk(dist).filter((f) => /\.(js|css|mjs)$/.test(f));
    const rel = (f: string) => relative(dist, f).split('\\').join(posix.sep);
    const initial = initialFiles(dist);
    const sw = files.filter((f) => isServiceWorker(rel(f)));
    const app = files.filter((f) => !sw.includes(f));
    const sum = (list: string[]) => list.reduce((a, f) => a + gzKB(f), 0);
    const initialJs = app.filter((f) => initial.has(f) && f.endsWith('.js'));
    const initialCss = app.filter((f) => initial.has(f) && f.endsWith('.css'));
    const lazy = app.filter((f) => !initial.has(f) && f.endsWith('.js'));
    const rows: Measurement[] = [
      {
        metric: 'JS loaded at start (gzip)',
        unit: 'KB',
        samples: [sum(initialJs)],
        note: fileCount(initialJs.length),
      },
      {
        metric: 'CSS loaded at start (gzip)',
        unit: 'KB',
        samples: [sum(initialCss)],
        note: fileCount(initialCss.length),
      },
      {
        metric: 'all app JS (gzip)',
        unit: 'KB',
        samples: [sum(app.filter((f) => f.endsWith('.js')))],
      },
      {
        metric: 'all app CSS (gzip)',
        unit: 'KB',
        samples: [sum(app.filter((f) => f.endsWith('.css')))],
      },
      {
        metric: 'all app JS (raw, minified)',
        unit: 'KB',
        samples: [
          app.filter((f) => f.endsWith('.js')).reduce((a, f) => a + statSync(f).size / 1024, 0),
        ],
      },
    ];
    const missing: Missing[] = [];
    if (sw.length) {
      rows.push({
        metric: 'service worker (gzip)',
        unit: 'KB',
        samples: [sum(sw)],
        note: sw.map(rel).join(', '),
      });
    } else {
      missing.push({
        metric: 'service worker (gzip)',
        reason: 'no sw.js in dist/ yet (PWA issue)',
      });
    }
    if (lazy.length) {
      const sized = lazy.map((f) => ({ f, kb: gzKB(f) })).sort((a, b) => b.kb - a.kb);
      rows.push({
        metric: 'largest lazy chunk (gzip)',
        unit: 'KB',
        samples: [sized[0].kb],
        note: rel(sized[0].f),
      });
      rows.push({
        metric: 'all lazy chunks (gzip)',
        unit: 'KB',
        samples: [sum(lazy)],
        note: fileCount(lazy.length),
      });
    } else {
      missing.push({
        metric: 'largest lazy chunk (gzip)',
        reason: 'the build has no lazily loaded chunk yet',
      });
    }
    ctx.progress(
      `${files.length} JS/CSS files, ${initial.size} loaded at start, ${lazy.length} lazy`,
    );
    return { status: 'measured', rows, missing };
  },
};
