import { describe, expect, it } from 'vitest';
import { handle } from '../../src/search/worker.ts';
import type { SearchDoc } from '../../src/search/types.ts';

const docs: SearchDoc[] = [
  {
    id: 'a',
    title: '婚姻登记办事指南',
    text: '',
    status: 'valid',
    titlePinyin: ['hun', 'yin', 'deng', 'ji', 'ban', 'shi', 'zhi', 'nan'],
  },
  { id: 'b', title: '不动产登记须知', text: '', status: 'expired' },
];

describe('search worker protocol', () => {
  it('builds, returns a transferable index that loads elsewhere, and answers queries', () => {
    expect(handle({ type: 'search', seq: 1, query: 'x' }).res).toMatchObject({
      type: 'error',
      message: /no index/,
    });
    const built = handle({ type: 'build', seq: 2, docs, options: { sourceKey: 'bundle-v7' } });
    expect(built.res).toMatchObject({ type: 'built', seq: 2, size: 2 });
    expect(built.transfer).toHaveLength(1);
    const r = handle({ type: 'search', seq: 3, query: 'hydj' }).res;
    expect(r.type === 'results' && r.results.map((x) => x.id)).toEqual(['a']);
    if (built.res.type !== 'built') throw new Error('not built');
    const loaded = handle({ type: 'load', seq: 4, buffer: built.res.buffer }).res;
    expect(loaded).toEqual({ type: 'loaded', seq: 4, size: 2, sourceKey: 'bundle-v7' });
    const r2 = handle({ type: 'search', seq: 5, query: '登记' }).res;
    expect(r2.type === 'results' && r2.results.map((x) => [x.id, x.valid])).toEqual([
      ['a', true],
      ['b', false],
    ]);
  });
});
