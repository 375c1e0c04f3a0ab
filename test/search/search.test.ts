import { describe, expect, it } from 'vitest';
import type { Item, Notice } from '../../src/content/types.ts';
import { buildCharPinyinTable, deriveSearchData, textPinyin } from '../../src/search/derive.ts';
import {
  buildIndex,
  deserializeIndex,
  idKey,
  normalizeText,
  parseSynonyms,
  serializeIndex,
  toSearchDoc,
  type BuildOptions,
} from '../../src/search/index.ts';

let seq = 0;
function notice(title: string, extra: Partial<Notice> = {}): Notice {
  seq++;
  return {
    kind: 'notice',
    id: extra.id ?? `n${seq}`,
    docType: '通知',
    title: { 'zh-Hans': title },
    issuer: ['某市人民政府办公室'],
    infoCategory: 'other',
    publishDate: '2024-01-01',
    disclosure: { mode: '主动公开' },
    validity: { status: '有效' },
    body: '<p>请各单位认真贯彻执行。</p>',
    ...extra,
  };
}

function index(items: Item[], options: BuildOptions = {}) {
  return buildIndex(
    items.map((i) => toSearchDoc(i, deriveSearchData(i))),
    { charPinyin: buildCharPinyinTable(items), builtOn: '2026-11-24', ...options },
  );
}
const ids = (idx: ReturnType<typeof index>, q: string) => idx.search(q).map((r) => r.id);

describe('normalisation', () => {
  it('folds Traditional (incl. Hong Kong 衞 and 枱), full-width, case and punctuation', () => {
    expect(normalizeText('衞生署「枱」婚姻登記ＡＢＣ１２３')).toBe('卫生署 台 婚姻登记abc123');
  });
  it('makes every bracket style of a 文号 the same key', () => {
    const keys = [
      '东府办函〔2007〕198号',
      '东府办函[2007]198号',
      '東府辦函（2007）198號',
      '东府办函【2007】198号',
    ].map(idKey);
    expect(new Set(keys).size).toBe(1);
    expect(idKey('006939748/2015-00331')).toBe(idKey('006939748／2015 - 00331'));
  });
});

describe('derived pinyin (bundle build time)', () => {
  it('reads polyphones in context and place names from the custom dictionary', () => {
    expect(textPinyin('单县')).toEqual(['shan', 'xian']);
    expect(textPinyin('银行行政')).toEqual(['yin', 'hang', 'xing', 'zheng']);
    expect(textPinyin('2007年绿化')).toEqual(['', '', '', '', 'nian', 'lv', 'hua']);
  });
  it('lists every reading of every corpus character in the char table', () => {
    const t = buildCharPinyinTable([notice('银行单县')]);
    expect(t.syllables.hang).toContain('行');
    expect(t.syllables.xing).toContain('行');
    expect(t.syllables.shan).toContain('单');
    expect(t.syllables.dan).toContain('单');
  });
});

describe('ranking', () => {
  it('ranks a title match over a body-only match', () => {
    const idx = index([
      notice('关于做好春节假期值班的通知', { id: 'body', body: '<p>婚姻登记窗口正常开放。</p>' }),
      notice('婚姻登记办事指南', { id: 'title' }),
    ]);
    expect(ids(idx, '婚姻登记')).toEqual(['title', 'body']);
  });
  it('ranks the exact phrase over scattered bigrams', () => {
    const idx = index([
      notice('登记不动产的抵押说明', { id: 'scattered' }),
      notice('不动产登记收费标准', { id: 'phrase' }),
    ]);
    expect(ids(idx, '不动产登记')[0]).toBe('phrase');
  });
  it('ranks valid over expired, keeps expired findable and flagged', () => {
    const idx = index([
      notice('住房公积金提取管理办法', {
        id: 'old',
        validity: { status: '失效' },
        publishDate: '2025-01-01',
      }),
      notice('住房公积金提取管理办法', {
        id: 'ended',
        validity: { status: '有效', validUntil: '2020-12-31' },
      }),
      notice('住房公积金提取管理办法', { id: 'valid', publishDate: '2010-01-01' }),
    ]);
    const r = idx.search('公积金');
    expect(r.map((x) => x.id)).toEqual(['valid', 'old', 'ended']);
    expect(r.map((x) => x.valid)).toEqual([true, false, false]);
    // Before validUntil, "ended" is still valid.
    expect(idx.search('公积金', { today: '2019-06-01' })[0].valid).toBe(true);
  });
  it('breaks ties by recency', () => {
    const idx = index([
      notice('政务公开工作要点', { id: 'a', publishDate: '2019-03-01' }),
      notice('政务公开工作要点', { id: 'b', publishDate: '2023-03-01' }),
    ]);
    expect(ids(idx, '政务公开')).toEqual(['b', 'a']);
  });
  it('puts the 文号 and 索引号 first whatever the brackets, above body mentions', () => {
    const idx = index([
      notice('关于转发有关文件的通知', {
        id: 'cites',
        body: '<p>根据东府办函〔2007〕198号文件精神。</p>',
      }),
      notice('2007年政务公开工作计划', {
        id: 'doc',
        docNo: '东府办函〔2007〕198号',
        indexNo: '006939748/2015-00331',
      }),
    ]);
    expect(ids(idx, '東府辦函[2007]198號')[0]).toBe('doc');
    expect(ids(idx, '006939748/2015-00331')[0]).toBe('doc');
    expect(ids(idx, '东府办函(2007')[0]).toBe('doc');
  });
});

describe('query forms', () => {
  const idx = index([
    notice('婚姻登记办事指南', { id: 'hy' }),
    notice('不动产登记收费标准', { id: 'bdc' }),
    notice('住房公积金提取办法', { id: 'gjj' }),
    notice('社会保障卡申领流程', { id: 'sbk' }),
    notice('城乡居民医疗保险参保通知', { id: 'yb' }),
    notice('单县政务公开工作要点', { id: 'sx' }),
  ]);
  it('matches full pinyin, a partial last syllable, initials and mixed input', () => {
    expect(ids(idx, 'hunyindengji')[0]).toBe('hy');
    expect(ids(idx, 'hunyind')[0]).toBe('hy');
    expect(ids(idx, 'bdcdj')[0]).toBe('bdc');
    expect(ids(idx, 'zhengwugk')[0]).toBe('sx');
    expect(ids(idx, 'shanxian')[0]).toBe('sx');
  });
  it('offers candidate words for a pinyin prefix, as an input method would', () => {
    expect(idx.candidates('hunyin')).toEqual(['婚姻']);
    expect(idx.candidates('dengj')).toEqual(['登记']);
    expect(idx.candidates('')).toEqual([]);
  });
  it('forgives homophone typos', () => {
    expect(ids(idx, '公基金')[0]).toBe('gjj');
    expect(ids(idx, '婚因登记')[0]).toBe('hy');
    expect(ids(idx, '不动产登机')[0]).toBe('bdc');
  });
  it('expands default synonyms and synonyms from the bundle', () => {
    expect(ids(idx, '社保卡')[0]).toBe('sbk');
    expect(ids(idx, '医保')[0]).toBe('yb');
    expect(ids(idx, '房证')).not.toContain('bdc');
    const extended = index([notice('不动产登记收费标准', { id: 'bdc' })], {
      synonyms: parseSynonyms({ synonyms: { 房证: ['不动产登记'] } }),
    });
    expect(ids(extended, '房证')).toEqual(['bdc']);
  });
  it('returns highlight ranges on the original title and summary', () => {
    const trad = index([
      notice('關於「婚姻登記」的通知', { id: 't', summary: { 'zh-Hans': '婚姻登记窗口时间调整' } }),
    ]);
    const [r] = trad.search('婚姻登记');
    expect(r.highlights).toEqual([
      { field: 'title', start: 3, end: 7 },
      { field: 'summary', start: 0, end: 4 },
    ]);
    const [p] = idx.search('bdcdj');
    expect(p.highlights).toEqual([{ field: 'title', start: 0, end: 5 }]);
  });
  it('gives the same results after serialising and loading', () => {
    const loaded = deserializeIndex(serializeIndex(idx));
    for (const q of ['婚姻登記', 'bdcdj', '公基金', '社保卡', '公']) {
      expect(loaded.search(q)).toEqual(idx.search(q));
    }
    expect(() => deserializeIndex(new ArrayBuffer(16))).toThrow(/bad magic/);
  });
  it('names the document that cannot be indexed', () => {
    expect(() => buildIndex([{ id: '', title: 'x', text: '', status: 'valid' }])).toThrow(
      /document 0 has no id/,
    );
  });
  it('rejects a malformed synonyms file with its name', () => {
    expect(() => parseSynonyms({ a: [1] }, 'objects/ab/x.json')).toThrow(
      /objects\/ab\/x.json: entry "a"/,
    );
  });
});
