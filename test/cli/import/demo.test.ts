/** The demo sources in src/content/demo/import: one per format, each importing cleanly. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../src/cli/import/index.ts';

const dir = new URL('../../../src/content/demo/import/', import.meta.url);
const files = readdirSync(dir).sort();

describe('demo import sources', () => {
  it('has one file of each format', () => {
    expect(files.map((f) => f.replace(/^.*\./, '.'))).toEqual([
      '.md',
      '.html',
      '.csv',
      '.xlsx',
      '.txt',
    ]);
  });

  for (const file of files) {
    it(`${file} imports to one demo notice with no errors`, async () => {
      const r = await importFile(file, new Uint8Array(readFileSync(new URL(file, dir))));
      expect(r.problems.filter((p) => p.level === 'error')).toEqual([]);
      expect(r.items).toHaveLength(1);
      const item = r.items[0];
      expect(item).toMatchObject({
        kind: 'notice',
        demo: true,
        privacy: { containsPersonalInfo: false },
      });
      for (const field of ['id', 'docType', 'infoCategory', 'publishDate'])
        expect(item[field], field).toBeTruthy();
      expect((item.issuer as string[]).length).toBe(1);
      expect((item.inferred as string[]).length).toBeGreaterThan(0);
      expect((item.tasks as unknown[]).length).toBeGreaterThan(1);
    });
  }
});
