// The bench corpus (issue #3): deterministic, realistic notices and guides of
// 300–2,000 characters, from Simplified and Traditional sources.
import { describe, expect, it } from 'vitest';
import * as OpenCC from 'opencc-js';
import type { Item } from '../../src/content/types.ts';
import { generateCorpus } from './corpus.ts';

const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' });

/** The prose of an item: a notice's body text, a guide's conditions and step descriptions. */
function prose(item: Item): string {
  if (item.kind === 'notice') return (item.body ?? '').replace(/<[^>]+>/g, '').replace(/\n/g, '');
  return [...(item.conditions ?? []), ...(item.procedure ?? []).map((p) => p.desc ?? '')].join('');
}

describe('generateCorpus for the bench', () => {
  const items = generateCorpus({ count: 400, seed: 3 });

  it('is deterministic: the same seed gives the same items', () => {
    expect(JSON.stringify(generateCorpus({ count: 400, seed: 3 }))).toBe(JSON.stringify(items));
  });

  it('gives notices and guides of 300–2,000 characters', () => {
    const kinds = new Set(items.map((i) => i.kind));
    expect([...kinds].sort()).toEqual(['guide', 'notice']);
    for (const item of items) {
      const n = Array.from(prose(item)).length;
      expect(n, item.id).toBeGreaterThanOrEqual(300);
      expect(n, item.id).toBeLessThanOrEqual(2000);
    }
  });

  it('mixes Simplified and Traditional sources, and the Traditional ones really are Traditional', () => {
    const trad = items.filter((i) => i.qualityFlags?.includes('traditional-source'));
    const share = trad.length / items.length;
    expect(share).toBeGreaterThan(0.12);
    expect(share).toBeLessThan(0.28);
    for (const item of items) {
      const text = prose(item);
      // Converting to Simplified changes a Traditional text and leaves a Simplified one alone.
      if (trad.includes(item)) expect(toSimplified(text), item.id).not.toBe(text);
      else expect(toSimplified(text), item.id).toBe(text);
    }
  });
});
