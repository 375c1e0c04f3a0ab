// The search index of the active version is kept in IndexedDB (fake-indexeddb
// here: the behaviour under test is which index is used, not storage).
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/data/db.ts';
import { prepareSearch, type BundleExtras } from '../../src/app/content.ts';
import type { ItemFile } from '../../src/content/bundle.ts';
import { generatedItems } from '../helpers/make-bundle.ts';
import { emptyRecord as record } from '../helpers/version-record.ts';

const extras: BundleExtras = { calendar: null, charPinyin: null, synonyms: null };
let n = 0;

function items(title: string): ItemFile[] {
  const [item] = generatedItems(1);
  return [{ item: { ...item, title: { 'zh-Hans': title } } } as unknown as ItemFile];
}

const kept = async (store: Store, key: string) => {
  for (let i = 0; i < 200 && (await store.getMeta('searchIndexKey')) !== key; i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  expect(await store.getMeta('searchIndexKey')).toBe(key);
};

const finds = (index: Awaited<ReturnType<typeof prepareSearch>>, q: string) =>
  index.search(q).length > 0;

describe('prepareSearch', () => {
  it('keeps the built index and its key, and uses it again for the same version', async () => {
    const store = await openStore({}, `prep-${n++}`);
    const first = await prepareSearch(store, record(1), items('婚姻登记'), extras);
    expect(finds(first, '婚姻登记')).toBe(true);
    await kept(store, 'test@1');
    // Same version, other items: the kept index answers, so it was not rebuilt.
    const again = await prepareSearch(store, record(1), items('不动产登记'), extras);
    expect(finds(again, '婚姻登记')).toBe(true);
    expect(finds(again, '不动产')).toBe(false);
    store.close();
  });

  it('rebuilds after a switch without reading the stale index, and keeps the new one', async () => {
    const store = await openStore({}, `prep-${n++}`);
    await prepareSearch(store, record(1), items('婚姻登记'), extras);
    await kept(store, 'test@1');
    const next = await prepareSearch(store, record(2), items('不动产登记'), extras);
    expect(finds(next, '不动产')).toBe(true);
    await kept(store, 'test@2');
    expect((await store.getMeta('searchIndex'))?.sourceKey).toBe('test@2');
    store.close();
  });

  it('never uses an index whose key does not match, as a crash between the two writes leaves it', async () => {
    const store = await openStore({}, `prep-${n++}`);
    await prepareSearch(store, record(2), items('婚姻登记'), extras);
    await kept(store, 'test@2');
    // The index of version 2 written, its key still naming version 1.
    await store.setMeta('searchIndexKey', 'test@1');
    const index = await prepareSearch(store, record(2), items('不动产登记'), extras);
    expect(finds(index, '不动产')).toBe(true);
    // A key saying version 2 over an index of another version is not trusted either.
    const stale = await store.getMeta('searchIndex');
    await store.setMeta('searchIndex', { sourceKey: 'test@1', buffer: stale!.buffer });
    await store.setMeta('searchIndexKey', 'test@3');
    const third = await prepareSearch(store, record(3), items('公积金提取'), extras);
    expect(finds(third, '公积金')).toBe(true);
    await kept(store, 'test@3');
    store.close();
  });
});
