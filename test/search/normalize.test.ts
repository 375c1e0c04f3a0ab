// toSimplified skips the positions that start no dictionary key instead of
// looking each one up in OpenCC's trie; it must give exactly what OpenCC's own
// converter gives with the same dictionaries, on notices and on any string.
import fc from 'fast-check';
import { ConverterFactory } from 'opencc-js/core';
import HKVariantsRevPhrases from 'opencc-js/dict/HKVariantsRevPhrases';
import HKVariantsRev from 'opencc-js/dict/HKVariantsRev';
import TWVariantsRevPhrases from 'opencc-js/dict/TWVariantsRevPhrases';
import TWVariantsRev from 'opencc-js/dict/TWVariantsRev';
import TSPhrases from 'opencc-js/dict/TSPhrases';
import TSCharacters from 'opencc-js/dict/TSCharacters';
import { describe, expect, it } from 'vitest';
import { itemTitle } from '../../src/content/types.ts';
import { toSimplified } from '../../src/search/normalize.ts';
import { generateCorpus } from '../helpers/corpus.ts';

const opencc = ConverterFactory(
  [HKVariantsRevPhrases, HKVariantsRev, TWVariantsRevPhrases, TWVariantsRev],
  [TSPhrases, TSCharacters],
);

/** Keys of the dictionaries (Traditional words and characters), to build strings that match. */
const keys = [TSPhrases, TSCharacters, HKVariantsRev, TWVariantsRevPhrases]
  .flatMap((d) => d.split('|').map((e) => e.split(' ')[0]))
  .filter((k) => k !== '');

describe('toSimplified', () => {
  it('equals OpenCC on generated notices, Simplified and Traditional', () => {
    const items = generateCorpus({ count: 120, seed: 3 });
    let changed = 0;
    for (const item of items) {
      for (const text of [itemTitle(item), JSON.stringify(item)]) {
        const want = opencc(text);
        if (want !== text) changed++;
        expect(toSimplified(text)).toBe(want);
      }
    }
    // Some of them are Traditional, so the conversion is exercised.
    expect(changed).toBeGreaterThan(0);
  });

  it('equals OpenCC on any mix of dictionary keys, Han, Latin, astral and description characters', () => {
    const piece = fc.oneof(
      fc.constantFrom(...keys),
      fc.constantFrom(
        '衞',
        '枱',
        '乾',
        '後',
        '一',
        '的',
        '〔',
        '号',
        '⿰',
        '⿱',
        '木',
        '𠵾',
        '𡞱',
        'A',
      ),
      fc.string({ unit: 'grapheme', maxLength: 3 }),
      fc.string({ unit: 'binary', maxLength: 3 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        expect(toSimplified(text)).toBe(opencc(text));
      }),
      { numRuns: 3000 },
    );
  });
});
