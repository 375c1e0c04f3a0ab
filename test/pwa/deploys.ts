// Makes "deploys" of the built app for the service-worker end-to-end tests
// without running Vite again: copy dist/, mark index.html with a label, and
// rewrite the precache manifest injected into sw.js to match (revision and
// integrity), exactly as a real build would. Faults make a broken deploy.
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

export interface PrecacheEntry {
  url: string;
  revision: string | null;
  integrity?: string;
}

/** What makes a deploy broken: a listed file missing, or served with other bytes than listed. */
export type Fault = 'missing-file' | 'wrong-content';

const sri = (bytes: Buffer | string) =>
  `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
const md5 = (bytes: Buffer | string) => createHash('md5').update(bytes).digest('hex');

/** Finds the injected precache manifest (a JSON array) in the text of sw.js. */
export function findManifest(sw: string): { start: number; end: number; entries: PrecacheEntry[] } {
  const anchor = sw.indexOf('"url":"index.html"');
  if (anchor < 0) throw new Error('sw.js: no precache entry for index.html');
  const start = sw.lastIndexOf('[{', anchor);
  let depth = 0;
  let inString = false;
  for (let i = start; i < sw.length; i++) {
    const c = sw[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0) {
        const end = i + 1;
        return { start, end, entries: JSON.parse(sw.slice(start, end)) as PrecacheEntry[] };
      }
    }
  }
  throw new Error('sw.js: unterminated precache manifest');
}

/**
 * Copies `dist` to `out` as deploy `label`: index.html carries
 * `<meta name="gongkai-deploy" content="<label>">` and sw.js lists it with a
 * new revision and integrity. With a fault, the deploy is broken on purpose.
 */
export function makeDeploy(dist: string, out: string, label: string, fault?: Fault): string {
  rmSync(out, { recursive: true, force: true });
  cpSync(dist, out, { recursive: true });
  const htmlPath = join(out, 'index.html');
  const html = readFileSync(htmlPath, 'utf8').replace(
    '<meta charset="utf-8" />',
    `<meta charset="utf-8" />\n    <meta name="gongkai-deploy" content="${label}" />`,
  );
  if (!html.includes(`content="${label}"`))
    throw new Error('index.html: no <meta charset> to mark');
  const swPath = join(out, 'sw.js');
  const sw = readFileSync(swPath, 'utf8');
  const { start, end, entries } = findManifest(sw);
  const next = entries.map((e) =>
    e.url === 'index.html' ? { ...e, revision: md5(html), integrity: sri(html) } : e,
  );
  writeFileSync(htmlPath, html);
  if (fault === 'missing-file') {
    // A new chunk the build listed but the upload lost.
    const body = `console.log(${JSON.stringify(label)});`;
    next.push({ url: `assets/lost-${label}.js`, revision: null, integrity: sri(body) });
  } else if (fault === 'wrong-content') {
    // The server (or a CDN) serves other bytes than the build hashed: a truncated file.
    writeFileSync(htmlPath, html.slice(0, Math.floor(html.length / 2)));
  }
  writeFileSync(swPath, sw.slice(0, start) + JSON.stringify(next) + sw.slice(end));
  return out;
}

/**
 * Copies a complete build out of `dist` (which other processes may be
 * rebuilding right now) into `out`: retries until sw.js lists a precache
 * manifest and every listed file is there.
 */
export async function snapshotDist(dist: string, out: string, attempts = 10): Promise<string> {
  let problem = '';
  for (let i = 0; i < attempts; i++) {
    rmSync(out, { recursive: true, force: true });
    try {
      cpSync(dist, out, { recursive: true });
      const { entries } = findManifest(readFileSync(join(out, 'sw.js'), 'utf8'));
      const missing = entries.filter((e) => !existsSync(join(out, e.url)));
      if (missing.length === 0) return out;
      problem = `missing ${missing.map((e) => e.url).join(', ')}`;
    } catch (e) {
      problem = e instanceof Error ? e.message : String(e);
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
  throw new Error(`${dist}: no complete build to test (${problem}); run \`npx vite build\``);
}
