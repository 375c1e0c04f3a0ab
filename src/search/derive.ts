/**
 * Search data derived per item at bundle build time (pinyin of titles and
 * terms), shipped inside each item file so one edit changes one file.
 * Owned by the search work; the bundle builder calls `deriveSearchData`.
 */
export type DerivedSearchData = Record<string, unknown>;

/** Derived search data for one item (initially none). */
export function deriveSearchData(_item: unknown): DerivedSearchData {
  return {};
}
