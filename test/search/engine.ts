/** Builds this project's search over items the way the bundle builder and kiosk do. */
import type { Item } from '../../src/content/types.ts';
import { buildCharPinyinTable, deriveSearchData } from '../../src/search/derive.ts';
import { buildIndex, toSearchDoc, type SearchIndex } from '../../src/search/index.ts';

/** Derives pinyin per item and the char table (bundle build), then builds the index (kiosk). */
export function buildGongkaiIndex(items: readonly Item[], builtOn = '2026-11-24'): SearchIndex {
  const charPinyin = buildCharPinyinTable(items);
  const docs = items.map((item) => toSearchDoc(item, deriveSearchData(item)));
  return buildIndex(docs, { charPinyin, builtOn });
}
