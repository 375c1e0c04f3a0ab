import { expect } from '@open-wc/testing';
import { openStore, type VersionRecord } from '../../src/data/db.ts';
import type { Notice } from '../../src/content/types.ts';

const notice = (id: string, title: string): Notice => ({
  kind: 'notice',
  id,
  docType: '通知',
  title: { 'zh-Hans': title },
  issuer: ['东莞市人民政府办公室'],
  infoCategory: 'plans',
  publishDate: '2026-11-01',
  disclosure: { mode: '主动公开' },
});
const record = (version: number, itemCount: number): VersionRecord => ({
  version,
  bundleId: 'test',
  generatedAt: '2026-11-24T00:00:00Z',
  expiresAt: null,
  keyId: 'k',
  demo: false,
  itemCount,
  committedAt: '2026-11-24T00:00:00Z',
});

let n = 0;
const freshName = () => `gongkai-test-${Date.now()}-${n++}`;

describe('Store (real IndexedDB in Chromium)', () => {
  it('starts empty and returns the active version after a commit', async () => {
    const store = await openStore({}, freshName());
    expect(await store.activeItems()).to.deep.equal([]);
    await store.commitVersion(record(1, 2), [notice('a', '甲'), notice('b', '乙')]);
    const items = await store.activeItems();
    expect(items.map((i) => i.id).sort()).to.deep.equal(['a', 'b']);
    expect((await store.activeVersion())?.version).to.equal(1);
    store.close();
  });

  it('switches to a new version and remembers the previous one', async () => {
    const name = freshName();
    const store = await openStore({}, name);
    await store.commitVersion(record(1, 1), [notice('a', '甲')]);
    await store.commitVersion(record(2, 1), [notice('c', '丙')]);
    expect((await store.activeItems()).map((i) => i.id)).to.deep.equal(['c']);
    expect(await store.getMeta('previous')).to.deep.equal({ version: 1 });
    store.close();
    // Reopening reads the same state back from disk.
    const again = await openStore({}, name);
    expect((await again.activeItems()).map((i) => i.id)).to.deep.equal(['c']);
    again.close();
  });

  it('steps aside when a newer connection wants to upgrade', async () => {
    const name = freshName();
    const store = await openStore({}, name);
    const upgraded = await new Promise<boolean>((resolve, reject) => {
      const req = indexedDB.open(name, 99);
      req.onupgradeneeded = () => resolve(true);
      req.onblocked = () => resolve(false);
      req.onerror = () => reject(req.error);
    });
    expect(upgraded).to.equal(true);
    store.close();
  });
});
