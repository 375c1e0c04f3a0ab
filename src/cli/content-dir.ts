/**
 * Reads a content folder: JSON and YAML items (one item, or a list of items,
 * per file), recursively; other formats go to the importers when present.
 * Also builds the Node-side helpers validation needs: the calendar from
 * chinese-days and the DOMPurify sanitiser on a jsdom window.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { calendarFromDayTable } from '../content/calendar.ts';
import { createSanitizer, type HtmlSanitizer, type SanitizeResult } from '../content/sanitize.ts';
import { isCanonicalSafeHtml } from './canonical-html.ts';
import type { Calendar } from '../content/types.ts';
import type { Problem, RawSource } from '../content/validate.ts';
import type { ManifestLimits } from '../content/bundle.ts';
import { SYNC_LIMIT_DEFAULTS } from '../config/limits.ts';
import { megabytes } from './trust.ts';
import { mapLimit, progress } from './util.ts';

/** Files a content folder may hold besides items (never read as items). */
const SKIP = /(^|\/)(\.|_|node_modules\/)|\.(pem|md~|bak)$|(^|\/)attachments\//;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every file of a folder, relative paths with `/`, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  await walk(dir);
  return out.sort();
}

/** Raw items of a content folder, with a problem per unreadable file. */
export async function readContentDir(
  dir: string,
  limits: ManifestLimits = SYNC_LIMIT_DEFAULTS,
  quiet = false,
): Promise<{ sources: RawSource[]; problems: Problem[] }> {
  const sources: RawSource[] = [];
  const problems: Problem[] = [];
  const fail = (file: string, reason: string): void => {
    problems.push({ file, itemId: null, field: '', reason, level: 'error' });
  };
  const all = (await listFiles(dir)).filter((rel) => !SKIP.test(rel));
  const isData = (rel: string): boolean => /\.(json|ya?ml)$/i.test(rel);
  // Sizes first, before any file is read: what kiosks would refuse is refused in
  // well under a second, whatever its size (docs/cli.md, "Size limits").
  const sizes = await mapLimit(all, 32, async (rel) => (await stat(join(dir, rel))).size);
  const rels: string[] = [];
  for (const [i, rel] of all.entries()) {
    const size = sizes[i];
    // One item per file: such a file over the per-file limit makes an item file kiosks refuse.
    const single = /\.(md|markdown|html?|txt)$/i.test(rel);
    const limit = single ? limits.maxFileBytes : limits.maxBundleBytes;
    if (size > limit) {
      fail(
        join(dir, rel),
        `${megabytes(size)}, over the kiosks' limit of ${megabytes(limit)} ${single ? 'per item file (sync.maxFileBytes)' : 'per bundle (sync.maxBundleBytes)'}: not read; split it into smaller files`,
      );
    } else rels.push(rel);
  }
  let defaults: Record<string, unknown> | undefined;
  const bar = progress('reading', quiet);
  let read = 0;
  // Items are read ahead, many at a time, then handled in order as before.
  const texts = await mapLimit(rels, 32, async (rel) =>
    isData(rel) ? readFile(join(dir, rel), 'utf8').catch((e: unknown) => e) : undefined,
  );
  for (const [index, rel] of rels.entries()) {
    bar.tick(++read, rels.length);
    const file = join(dir, rel);
    const lower = rel.toLowerCase();
    if (isData(rel)) {
      let data: unknown;
      try {
        const text = texts[index];
        if (typeof text !== 'string') throw text;
        data = lower.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
      } catch (e) {
        fail(file, `cannot parse: ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
      for (const d of Array.isArray(data) ? data : [data]) {
        // Only a file over the per-file limit can hold an item over it: measure those items
        // before any validation work, so the refusal comes at once.
        const size =
          sizes[all.indexOf(rel)] > limits.maxFileBytes ? Buffer.byteLength(JSON.stringify(d)) : 0;
        if (size > limits.maxFileBytes) {
          const id = isRecord(d) && typeof d.id === 'string' ? d.id : null;
          problems.push({
            file,
            itemId: id,
            field: '',
            reason: `the item is ${megabytes(size)}, over the kiosks' limit of ${megabytes(limits.maxFileBytes)} per item file (sync.maxFileBytes); split it or shrink its body`,
            level: 'error',
          });
        } else sources.push({ file, data: d });
      }
      continue;
    }
    // Other formats: the importers (Markdown, CSV/XLSX, HTML, text) when available.
    const importers = await loadImporters();
    const ext = /\.[^./]+$/.exec(lower)?.[0] ?? '';
    if (!importers || !importers.SUPPORTED_EXTENSIONS.includes(ext)) {
      if (!/\.(md|txt|csv|xlsx|html?|markdown)$/.test(lower)) continue;
      fail(file, 'no importer for this format in this build');
      continue;
    }
    const r = await importers.importFile(file, new Uint8Array(await readFile(file)));
    defaults ??= await readDefaults(dir, fail);
    // Fields the source never states (category, disclosure mode, privacy) from the
    // folder's _defaults file: the admin confirms them instead of typing them per item.
    for (const item of r.items) sources.push({ file, data: withDefaults(item, defaults) });
    for (const p of r.problems) {
      const where = [p.field, p.row !== undefined ? `row ${p.row}` : '', p.element ?? '']
        .filter(Boolean)
        .join(' ');
      problems.push({
        file,
        itemId: p.itemId ?? null,
        field: where,
        reason: p.reason,
        level: p.level,
      });
    }
  }
  bar.end();
  problems.push(...duplicateImports(sources));
  return { sources, problems };
}

/**
 * The same document imported twice from different files (a task table as
 * CSV and as XLSX): both would show on the kiosk. Warned on the second file,
 * naming the first; same title and same task rows make the same document.
 */
function duplicateImports(sources: readonly RawSource[]): Problem[] {
  const seen = new Map<string, string>();
  const out: Problem[] = [];
  for (const { file, data } of sources) {
    if (!isRecord(data) || !isRecord(data.title)) continue;
    const key = JSON.stringify([data.kind, data.title['zh-Hans'], data.tasks ?? null]);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, file);
    else if (first !== file)
      out.push({
        file,
        itemId: typeof data.id === 'string' ? data.id : null,
        field: 'title',
        reason: `the same document as in ${first} (same title and task rows): kiosks would show it twice; keep one of the files`,
        level: 'warning',
      });
  }
  return out;
}

/** Names of the defaults file in a content folder (skipped as an item: it starts with `_`). */
export const DEFAULTS_FILES = ['_defaults.yaml', '_defaults.yml', '_defaults.json'] as const;

/** The folder's defaults for imported items, or {} (a broken file is reported, not fatal). */
async function readDefaults(
  dir: string,
  fail: (file: string, reason: string) => void,
): Promise<Record<string, unknown>> {
  for (const name of DEFAULTS_FILES) {
    const file = join(dir, name);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    try {
      const data: unknown = name.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
      if (isRecord(data)) return data;
      fail(file, 'not a mapping of item fields (e.g. infoCategory: plans)');
    } catch (e) {
      fail(file, `cannot parse: ${e instanceof Error ? e.message : String(e)}`);
    }
    return {};
  }
  return {};
}

/** An imported item with the folder's defaults under it (the item's own fields win). */
function withDefaults(item: unknown, defaults: Record<string, unknown>): unknown {
  if (!isRecord(item) || Object.keys(defaults).length === 0) return item;
  const filled = Object.keys(defaults).filter((k) => item[k] === undefined || item[k] === null);
  if (filled.length === 0) return item;
  const inferred = Array.isArray(item.inferred) ? item.inferred : [];
  return {
    ...defaults,
    ...Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined && v !== null)),
    inferred: [...inferred, `${filled.join(', ')} from the folder's _defaults file`],
  };
}

interface Importers {
  SUPPORTED_EXTENSIONS: readonly string[];
  importFile(
    name: string,
    bytes: Uint8Array,
  ): Promise<{
    items: unknown[];
    problems: {
      itemId?: string;
      field?: string;
      row?: number;
      element?: string;
      reason: string;
      level: 'error' | 'warning';
    }[];
  }>;
}

let importers: Importers | null | undefined;
async function loadImporters(): Promise<Importers | null> {
  if (importers === undefined) {
    try {
      // Loaded lazily: JSON/YAML content never needs the importer dependencies.
      importers = (await import('./import/index.ts')) as unknown as Importers;
    } catch {
      importers = null;
    }
  }
  return importers;
}

/** The working-day calendar of every year chinese-days covers. */
export function loadCalendar(): Calendar {
  const require = createRequire(import.meta.url);
  const table = require('chinese-days/dist/chinese-days.json') as {
    holidays: Record<string, unknown>;
    workdays: Record<string, unknown>;
  };
  return calendarFromDayTable(table);
}

/**
 * The HTML sanitiser: DOMPurify on a jsdom window (DOMPurify needs a DOM), with
 * a fast path for bodies it would return unchanged (`isCanonicalSafeHtml`).
 * jsdom is loaded on the first body that needs it: it takes most of the CLI's
 * start-up time, and a folder of plain paragraphs never needs it.
 */
export async function nodeSanitizer(): Promise<HtmlSanitizer> {
  let slow: HtmlSanitizer | undefined;
  const purified = (html: string): SanitizeResult => {
    if (!slow) {
      // Synchronous load: the sanitiser is called from synchronous validation.
      const require = createRequire(import.meta.url);
      const { JSDOM } = require('jsdom') as typeof import('jsdom');
      const createDOMPurify = require('dompurify') as typeof import('dompurify').default;
      const { window } = new JSDOM('');
      slow = createSanitizer(
        createDOMPurify(window as unknown as Parameters<typeof createDOMPurify>[0]),
      );
    }
    return slow(html);
  };
  return Promise.resolve((html: string): SanitizeResult =>
    // Without '<' DOMPurify itself returns the input as it is.
    !html.includes('<') || isCanonicalSafeHtml(html) ? { html, removed: [] } : purified(html),
  );
}
