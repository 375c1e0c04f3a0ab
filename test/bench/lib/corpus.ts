// The generated corpus shared by the search, sync and CLI areas, cached in
// .bench-cache/ under a hash of the generator's sources (generating 10,000
// items takes tens of seconds on a busy 2-core machine).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Item } from '../../../src/content/types.ts';
import type { BenchContext } from './types.ts';

/** Hash of the given files' contents (missing files hash as empty). */
export function sourcesHash(root: string, files: readonly string[]): string {
  const h = createHash('sha256');
  for (const f of files) {
    const p = join(root, f);
    h.update(f)
      .update('\0')
      .update(existsSync(p) ? readFileSync(p) : '')
      .update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

/** True when the corpus generator (test/helpers/corpus.ts) exists. */
export function corpusAvailable(root: string): boolean {
  return existsSync(join(root, 'test/helpers/corpus.ts'));
}

/** `generateCorpus({count, seed})`, from the cache when the generator has not changed. */
export async function loadCorpus(ctx: BenchContext, count: number, seed: number): Promise<Item[]> {
  const key = sourcesHash(ctx.root, ['test/helpers/corpus.ts', 'src/content/types.ts']);
  const file = join(ctx.cacheDir, `corpus-${count}-${seed}-${key}.json`);
  if (existsSync(file)) {
    ctx.progress(`corpus ${count}/${seed} from ${file.slice(ctx.root.length + 1)}`);
    return JSON.parse(readFileSync(file, 'utf8')) as Item[];
  }
  ctx.progress(`generating the ${count}-item corpus (seed ${seed})`);
  const mod = (await import('../../helpers/corpus.ts')) as {
    generateCorpus: (o: { count: number; seed: number }) => Item[];
  };
  const items = mod.generateCorpus({ count, seed });
  // Written aside and renamed: another bench process may be reading the cache.
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(items));
  renameSync(tmp, file);
  return items;
}
