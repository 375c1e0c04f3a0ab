import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../helpers/corpus.ts';
import { itemTitle } from '../../src/content/types.ts';

const digest = (x: unknown): string => createHash('sha256').update(JSON.stringify(x)).digest('hex');

describe('generateCorpus', () => {
  it('gives the same bytes for the same seed, and different bytes for another seed', () => {
    const a = generateCorpus({ count: 300, seed: 7 });
    const b = generateCorpus({ count: 300, seed: 7 });
    const c = generateCorpus({ count: 300, seed: 8 });
    expect(digest(a)).toBe(digest(b));
    expect(digest(a)).not.toBe(digest(c));
  });

  it('produces notices and ~10% guides, Traditional-source items flagged, bodies of 300-2000 chars', () => {
    const items = generateCorpus({ count: 2000, seed: 1 });
    const guides = items.filter((i) => i.kind === 'guide').length;
    expect(guides / items.length).toBeGreaterThan(0.06);
    expect(guides / items.length).toBeLessThan(0.14);
    const trad = items.filter((i) => i.qualityFlags?.includes('traditional-source'));
    expect(trad.length / items.length).toBeGreaterThan(0.15);
    expect(trad.length / items.length).toBeLessThan(0.25);
    // Traditional-source bodies really are Traditional (some character differs from Simplified).
    const tradNotice = trad.find((i) => i.kind === 'notice');
    expect(
      tradNotice?.kind === 'notice' && /[與為們關於請務會發經證資險醫]/.test(tradNotice.body ?? ''),
    ).toBe(true);
    for (const item of items) {
      expect(itemTitle(item).length).toBeGreaterThan(1);
      if (item.kind !== 'notice') continue;
      const text = (item.body ?? '').replace(/<[^>]+>/g, '').replace(/\n/g, '');
      expect(text.length).toBeGreaterThanOrEqual(300);
      expect(text.length).toBeLessThanOrEqual(2100);
      expect(item.docNo).toMatch(/^.+〔\d{4}〕\d+号$/);
      expect(item.indexNo).toMatch(/^\d{9}\/\d{4}-\d{5}$/);
    }
    const ids = new Set(items.map((i) => i.id));
    expect(ids.size).toBe(items.length);
    const docNos = items.flatMap((i) => (i.kind === 'notice' && i.docNo ? [i.docNo] : []));
    expect(new Set(docNos).size).toBe(docNos.length);
  });
});
