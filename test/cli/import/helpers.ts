import { readFileSync } from 'node:fs';
import { importFile, type ImportResult, type RawItem } from '../../../src/cli/import/index.ts';

/** Imports a fixture by name, as the content folder loader would. */
export async function importFixture(name: string): Promise<ImportResult> {
  const bytes = new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
  return importFile(name, bytes);
}

/** The single item of an import, failing clearly when there is not exactly one. */
export function only(r: ImportResult): RawItem {
  if (r.items.length !== 1)
    throw new Error(`expected 1 item, got ${r.items.length}: ${JSON.stringify(r.problems)}`);
  return r.items[0];
}

/** Problems of one level. */
export function errors(r: ImportResult): ImportResult['problems'] {
  return r.problems.filter((p) => p.level === 'error');
}
