/**
 * `gongkai search <bundle-dir-or-file> "<query>" [--json] [--limit N]`: shows
 * admins what visitors will find for a query, ranked exactly as the kiosk
 * ranks it.
 *
 * The source may be a bundle directory (manifest.json → index shards → item
 * files, see src/content/bundle.ts), a directory of item JSON files, or one
 * JSON file (an item, an item file `{item, derived}`, or a list of either).
 * Items without derived pinyin (a plain directory) get it computed here.
 *
 * Exit codes: 0 results printed (possibly none), 1 unreadable or invalid
 * source, 2 usage error.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseIndexShard, parseManifest } from '../../content/bundle.ts';
import type { Item } from '../../content/types.ts';
import { buildCharPinyinTable, deriveSearchData } from '../../search/derive.ts';
import {
  buildIndex,
  parseSynonyms,
  toSearchDoc,
  type CharPinyinTable,
  type DerivedSearchData,
  type SynonymTable,
} from '../../search/index.ts';

import { describeSystemError, EXIT, IoError, isSystemError } from '../util.ts';

const USAGE = 'usage: gongkai search <bundle-dir-or-file> "<query>" [--json] [--limit N]';

interface Loaded {
  items: { item: Item; derived?: Partial<DerivedSearchData> }[];
  charPinyin: CharPinyinTable | null;
  synonyms: SynonymTable | null;
}

class InputError extends Error {}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Accepts an item or an item file; names the file and the field when it is neither. */
function asEntry(v: unknown, where: string): Loaded['items'][number] {
  const raw = isRecord(v) && isRecord(v.item) ? v.item : v;
  if (!isRecord(raw)) throw new InputError(`${where}: not an item object`);
  if (typeof raw.id !== 'string' || raw.id === '') throw new InputError(`${where}: id is missing`);
  if (raw.kind === 'notice') {
    if (!isRecord(raw.title) || typeof raw.title['zh-Hans'] !== 'string') {
      throw new InputError(`${where}: item ${raw.id}: title.zh-Hans is missing`);
    }
  } else if (raw.kind === 'guide') {
    if (!isRecord(raw.itemName) || typeof raw.itemName['zh-Hans'] !== 'string') {
      throw new InputError(`${where}: item ${raw.id}: itemName.zh-Hans is missing`);
    }
  } else {
    throw new InputError(
      `${where}: item ${raw.id}: kind ${JSON.stringify(raw.kind)} is not notice or guide`,
    );
  }
  const derived =
    isRecord(v) && isRecord(v.derived) ? (v.derived as Partial<DerivedSearchData>) : undefined;
  return { item: raw as unknown as Item, ...(derived ? { derived } : {}) };
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new InputError(`${path}: cannot read (${e instanceof Error ? e.message : String(e)})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new InputError(`${path}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}

async function loadBundle(dir: string): Promise<Loaded> {
  const manifestPath = join(dir, 'manifest.json');
  let manifest;
  try {
    manifest = parseManifest(await readFile(manifestPath));
  } catch (e) {
    throw new InputError(`${manifestPath}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const items: Loaded['items'] = [];
  for (const ref of manifest.indexes) {
    const shardPath = join(dir, ref.path);
    let shard;
    try {
      shard = parseIndexShard(ref.path, await readFile(shardPath));
    } catch (e) {
      throw new InputError(`${shardPath}: ${e instanceof Error ? e.message : String(e)}`);
    }
    for (const entry of shard.items) {
      const path = join(dir, entry.path);
      items.push(asEntry(await readJson(path), `${path} (item ${entry.id})`));
    }
  }
  let charPinyin: CharPinyinTable | null = null;
  let synonyms: SynonymTable | null = null;
  for (const f of manifest.files) {
    const path = join(dir, f.path);
    if (f.role === 'synonyms') synonyms = parseSynonyms(await readJson(path), path);
    if (f.role === 'search' && (f.name ?? '').includes('pinyin')) {
      const t = await readJson(path);
      if (!isRecord(t) || t.format !== 1 || !isRecord(t.syllables)) {
        throw new InputError(`${path}: not a char→pinyin table {format: 1, syllables}`);
      }
      charPinyin = t as unknown as CharPinyinTable;
    }
  }
  return { items, charPinyin, synonyms };
}

async function load(source: string): Promise<Loaded> {
  let info;
  try {
    info = await stat(source);
  } catch {
    throw new IoError(`${source}: no such file or directory`);
  }
  if (info.isDirectory()) {
    const names = await readdir(source);
    if (names.includes('manifest.json')) return loadBundle(source);
    const files = names.filter((n) => n.endsWith('.json')).sort();
    if (files.length === 0)
      throw new InputError(`${source}: no manifest.json and no item .json files`);
    const items: Loaded['items'] = [];
    for (const f of files) items.push(asEntry(await readJson(join(source, f)), join(source, f)));
    return { items, charPinyin: null, synonyms: null };
  }
  const json = await readJson(source);
  const list = Array.isArray(json)
    ? json
    : isRecord(json) && Array.isArray(json.items)
      ? json.items
      : [json];
  return {
    items: list.map((v, i) => asEntry(v, `${source} [${i}]`)),
    charPinyin: null,
    synonyms: null,
  };
}

/** Parses arguments; returns a usage message on error. */
function parseArgs(
  argv: string[],
): { source: string; query: string; json: boolean; limit: number } | string {
  const positional: string[] = [];
  let json = false;
  let limit = 10;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') json = true;
    else if (a === '--limit' || a.startsWith('--limit=')) {
      const v = a.includes('=') ? a.slice(8) : argv[++i];
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 1000)
        return `--limit needs a whole number from 1 to 1000, got ${String(v)}`;
      limit = n;
    } else if (a.startsWith('--')) return `unknown option ${a}`;
    else positional.push(a);
  }
  if (positional.length !== 2) return 'expected a bundle directory or file, and a query';
  return { source: positional[0], query: positional[1], json, limit };
}

/** Runs the command; returns the exit code. */
export async function searchCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    console.error(`gongkai search: ${args}\n${USAGE}`);
    return 2;
  }
  let loaded: Loaded;
  try {
    loaded = await load(args.source);
  } catch (e) {
    // A missing or unreadable path is exit 3 like everywhere else (docs/cli.md).
    if (isSystemError(e) || e instanceof IoError) {
      console.error(`gongkai search: ${e instanceof IoError ? e.message : describeSystemError(e)}`);
      return EXIT.io;
    }
    console.error(`gongkai search: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT.invalid;
  }
  const items = loaded.items.map((e) => e.item);
  const charPinyin = loaded.charPinyin ?? buildCharPinyinTable(items);
  const docs = loaded.items.map((e) =>
    toSearchDoc(
      e.item,
      Array.isArray(e.derived?.titlePinyin) ? e.derived : deriveSearchData(e.item),
    ),
  );
  const index = buildIndex(docs, {
    charPinyin,
    synonyms: loaded.synonyms,
    builtOn: new Date().toISOString().slice(0, 10),
  });
  const results = index.search(args.query, { limit: args.limit, highlights: false });
  if (args.json) {
    const out = results.map((r) => ({ id: r.id, title: r.title, score: r.score, valid: r.valid }));
    console.log(JSON.stringify(out, null, 2));
    return 0;
  }
  if (results.length === 0) {
    console.log(`no results for ${JSON.stringify(args.query)} in ${items.length} items`);
    return 0;
  }
  results.forEach((r, i) => {
    const mark = r.valid ? '有效' : '已失效';
    console.log(
      `${String(i + 1).padStart(3)}  ${r.score.toFixed(1).padStart(8)}  ${mark}  ${r.id}  ${r.title}`,
    );
  });
  return 0;
}
