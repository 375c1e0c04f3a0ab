import type { Item } from '../content/types.ts';

/**
 * Stopgap first-run loader: fetches the demo items the build emits at
 * `demo/items.json`. It will be replaced by verified bundle sync; it exists
 * so the shell reads real content from IndexedDB from the first day.
 */
export async function fetchDemoItems(base: string): Promise<Item[]> {
  const res = await fetch(new URL('demo/items.json', base));
  if (!res.ok) throw new Error(`demo/items.json: HTTP ${res.status}`);
  const items = (await res.json()) as unknown;
  if (!Array.isArray(items)) throw new Error('demo/items.json: not an array of items');
  return items as Item[];
}
