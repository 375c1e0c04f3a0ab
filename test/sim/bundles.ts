// The simulation's bundles: the bench's version 1 and version 2 (1% of 10,000
// items changed), built once with the real CLI (`gongkai bundle build`) and
// cached in .bench-cache/ (test/bench/lib/bundle.ts), and the plan of each
// version: every object a kiosk holding it has, found with the kiosk's own
// parsers (src/content/bundle.ts) reading the bundle from disk.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  collectIndexRefs,
  parseIndexShard,
  parseManifest,
  type FileRef,
  type Manifest,
} from '../../src/content/bundle.ts';
import {
  BUNDLE_CORPUS,
  benchBundles,
  benchKey,
  buildBundleCli,
  changedCorpus,
  writeContentDir,
  type BenchKey,
} from '../bench/lib/bundle.ts';
import { loadCorpus } from '../bench/lib/corpus.ts';
import { sourcesHash } from '../bench/lib/corpus.ts';
import type { BenchContext } from '../bench/lib/types.ts';

/** Every object of one bundle version, in the order a kiosk fetches them. */
export interface VersionPlan {
  version: number;
  manifest: Manifest;
  /** Index lists, index shards, items and other files. */
  objects: FileRef[];
  /** sha256 of every object, for "do I hold it". */
  held: Set<string>;
}

/**
 * Builds (or takes from the cache) the two bundle versions: the bench's
 * 10,000 items, or the first `items` of the same corpus, version 2 with every
 * 100th item changed (1%), built with the real CLI.
 */
export async function simBundles(
  progress: (m: string) => void,
  items: number = BUNDLE_CORPUS.count,
): Promise<{ v1: string; v2: string; key: BenchKey }> {
  const root = resolve('.');
  const ctx: BenchContext = {
    root,
    distDir: join(root, 'dist'),
    cacheDir: join(root, '.bench-cache'),
    runs: 1,
    slowRuns: 1,
    progress,
    launchChromium: () => Promise.reject(new Error('the simulation runs no browser')),
  };
  mkdirSync(ctx.cacheDir, { recursive: true });
  // The bench keys its bundles on every CLI source (a rebuild takes minutes);
  // the simulation only needs the bundle format to be the same, so it keeps
  // its own copy keyed on src/content.
  const formatFiles = readdirSync(join(root, 'src/content'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `src/content/${f}`);
  const dir = join(
    ctx.cacheDir,
    `sim-bundles-${items}-${sourcesHash(root, formatFiles).slice(0, 16)}`,
  );
  const own = { v1: join(dir, 'v1'), v2: join(dir, 'v2') };
  if (existsSync(join(dir, 'done'))) return { ...own, key: await benchKey(ctx) };
  if (items !== BUNDLE_CORPUS.count) {
    const key = await benchKey(ctx);
    const corpus = (await loadCorpus(ctx, BUNDLE_CORPUS.count, BUNDLE_CORPUS.seed)).slice(0, items);
    for (const [version, list] of [
      [1, corpus],
      [2, changedCorpus(corpus)],
    ] as const) {
      const content = join(dir, `content-v${version}`);
      writeContentDir(list, content);
      progress(`building a ${items}-item bundle v${version} with the CLI`);
      await buildBundleCli(ctx, content, join(dir, `v${version}`), version, key);
    }
    writeFileSync(join(dir, 'done'), '');
    return { ...own, key };
  }
  const built = await benchBundles(ctx);
  cpSync(built.v1, own.v1, { recursive: true });
  cpSync(built.v2, own.v2, { recursive: true });
  writeFileSync(join(dir, 'done'), '');
  return { ...own, key: built.key };
}

/** The plan of the bundle in `dir`, with the kiosk's parsers. */
export async function versionPlan(dir: string): Promise<VersionPlan> {
  const read = (ref: FileRef) => Promise.resolve(new Uint8Array(readFileSync(join(dir, ref.path))));
  const manifest = parseManifest(new Uint8Array(readFileSync(join(dir, 'manifest.json'))));
  const tree = await collectIndexRefs(manifest, read);
  const items: FileRef[] = [];
  for (const ref of tree.indexes) items.push(...parseIndexShard(ref.path, await read(ref)).items);
  const objects = [...tree.lists, ...tree.indexes, ...items, ...manifest.files];
  return {
    version: manifest.version,
    manifest,
    objects,
    held: new Set(objects.map((o) => o.sha256)),
  };
}
