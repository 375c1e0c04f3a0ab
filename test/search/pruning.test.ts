// A query skips the passes whose documents cannot reach the top `limit`
// (body-only and partial matches, pinyin and homophone matches below enough
// stronger ones) and starts intersections and homophone matching from the
// rarest term or sound. The results must equal those of an exhaustive query
// (every pass) with the same limit and the first results of one with no
// limit, for every kind of query.
import { beforeAll, describe, expect, it } from 'vitest';
import { itemTitle, type Item } from '../../src/content/types.ts';
import { textPinyin } from '../../src/search/derive.ts';
import { toSimplified, type SearchIndex } from '../../src/search/index.ts';
import { generateCorpus, mulberry32 } from '../helpers/corpus.ts';
import { buildGongkaiIndex } from './engine.ts';

let items: Item[];
let index: SearchIndex;

beforeAll(() => {
  items = generateCorpus({ count: 250, seed: 11 });
  index = buildGongkaiIndex(items);
}, 120_000);

/** Substrings of titles and bodies, pinyin initials and full pinyin of title words, typos. */
function queries(): string[] {
  const rand = mulberry32(5);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const out = new Set<string>(['的', '社保卡', '医保', '公基金', '婚因登记', 'z', 'sh', 'gk']);
  // A same-sound substitute for a character, from the corpus's own titles.
  const bySound = new Map<string, Set<string>>();
  const titles = items.map(itemTitle);
  for (const t of titles) {
    const chars = Array.from(t);
    textPinyin(t).forEach((s, i) => {
      if (s !== '') bySound.set(s, (bySound.get(s) ?? new Set()).add(chars[i]));
    });
  }
  for (let k = 0; k < 40; k++) {
    const t = Array.from(pick(titles));
    const len = 1 + Math.floor(rand() * 6);
    const at = Math.floor(rand() * Math.max(1, t.length - len));
    const piece = t.slice(at, at + len);
    out.add(piece.join(''));
    const py = textPinyin(piece.join(''));
    if (py.every((s) => s !== '')) {
      out.add(py.join(''));
      out.add(py.map((s) => s[0]).join(''));
      const i = Math.floor(rand() * piece.length);
      const others = [...(bySound.get(py[i]) ?? [])].filter((c) => c !== piece[i]);
      if (piece.length >= 2 && others.length) {
        out.add([...piece.slice(0, i), pick(others), ...piece.slice(i + 1)].join(''));
      }
    }
    const body = JSON.stringify(pick(items)).replace(/[^\p{Script=Han}]+/gu, '');
    const b = Math.floor(rand() * Math.max(1, body.length - 4));
    out.add(body.slice(b, b + 2 + Math.floor(rand() * 3)));
  }
  return [...out].filter((q) => q !== '');
}

describe('search passes skipped by the top-k bound', () => {
  it('give the same top results as an unlimited query', () => {
    const all = items.length + 1;
    const qs = queries();
    expect(qs.length).toBeGreaterThan(100);
    for (const q of qs) {
      const full = index.search(q, { limit: all, exhaustive: true });
      for (const limit of [1, 5, 20]) {
        const top = index.search(q, { limit });
        expect(top, `${q} top ${limit}`).toEqual(full.slice(0, limit));
        expect(top, `${q} top ${limit}, exhaustive`).toEqual(
          index.search(q, { limit, exhaustive: true }),
        );
      }
    }
  });

  it('find homophone typos in any position of the query', () => {
    const expected = items
      .filter((i) => toSimplified(itemTitle(i)).includes('公积金'))
      .map((i) => i.id);
    expect(expected.length).toBeGreaterThan(0);
    for (const typo of ['工积金', '公基金', '公积斤']) {
      const found = new Set(
        index
          .search(typo, { limit: items.length })
          .filter((r) => r.match === 'homophone')
          .map((r) => r.id),
      );
      expect(
        expected.filter((id) => !found.has(id)),
        typo,
      ).toEqual([]);
    }
  });

  it('still fill the top results from the weaker passes when the stronger ones found too few', () => {
    const items: Item[] = [];
    const add = (id: string, title: string, body = '<p>请认真贯彻执行。</p>') =>
      items.push({
        kind: 'notice',
        id,
        docType: '通知',
        title: { 'zh-Hans': title },
        issuer: ['某市人民政府办公室'],
        infoCategory: 'other',
        publishDate: '2024-01-01',
        disclosure: { mode: '主动公开' },
        validity: { status: '有效' },
        body,
      });
    // Title matches, then body-only ones: 登记 in 2 titles and 6 bodies.
    for (let i = 0; i < 2; i++) add(`title${i}`, '不动产登记须知');
    for (let i = 0; i < 6; i++) add(`body${i}`, '春节假期值班安排', '<p>办理登记手续。</p>');
    // A literal typo in one title (a phrase match), the right word (homophone matches) in 4.
    add('typo', '公基金管理说明');
    for (let i = 0; i < 4; i++) add(`right${i}`, '住房公积金提取办法');
    // A Latin word in one title (a phrase match), its initials in 4 (pinyin matches).
    add('latin', 'BS标准说明');
    for (let i = 0; i < 4; i++) add(`initials${i}`, '办事指南');
    const small = buildGongkaiIndex(items);
    const ids = (q: string, exhaustive: boolean) =>
      small.search(q, { limit: 5, exhaustive }).map((r) => r.id);
    const cases: [string, RegExp][] = [
      ['登记', /^(title|body)/],
      ['公基金', /^(typo|right)/],
      ['bs', /^(latin|initials)/],
    ];
    for (const [q, want] of cases) {
      expect(ids(q, false), q).toEqual(ids(q, true));
      expect(
        ids(q, false).filter((id) => want.test(id)),
        q,
      ).toHaveLength(5);
    }
  });
});
