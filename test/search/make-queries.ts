/**
 * Generates the labelled query set `test/search/queries.json` (run with
 * `npx tsx test/search/make-queries.ts`). Homophone typos are not picked by
 * hand: each replaces one character of a service term by another character
 * with the same toneless reading, drawn with a seeded PRNG from a same-pinyin
 * table of the corpus characters (built here with pinyin-pro, independently of
 * src/search). 文号 and 索引号 queries are drawn from the generated corpus and
 * retyped with other bracket styles.
 */
import { writeFileSync } from 'node:fs';
import { pinyin } from 'pinyin-pro';
import type { Item } from '../../src/content/types.ts';
import { generateCorpus, mulberry32 } from '../helpers/corpus.ts';

/** Which documents count as relevant. */
export type Judgement =
  | { titleHas: string[] } // relevant: the Simplified title contains any of these
  | { first: string }; // the document that must come first

export interface LabelledQuery {
  q: string;
  category: QueryCategory;
  corpus: 'demo' | 'generated';
  rel: Judgement;
  /** For Traditional queries: the Simplified query that must give the same results. */
  equivalent?: string;
}

export const QUERY_CATEGORIES = [
  'simplified',
  'fragment',
  'traditional',
  'pinyin',
  'initials',
  'mixed',
  'homophone',
  'docno',
  'indexno',
  'synonym',
] as const;
export type QueryCategory = (typeof QUERY_CATEGORIES)[number];

/** The generated corpus the queries are labelled against. */
export const GENERATED = { count: 10_000, seed: 42 } as const;

const t = (...s: string[]): { titleHas: string[] } => ({ titleHas: s });

const SIMPLIFIED = [
  '公积金',
  '婚姻登记',
  '不动产登记',
  '社会保障卡',
  '医疗保险',
  '政务公开',
  '居民身份证',
  '户口迁移',
  '营业执照',
  '最低生活保障',
  '异地就医',
  '护照',
  '工伤认定',
  '预防接种',
  '政府采购',
  '森林防火',
  '单县',
];
const FRAGMENTS = [
  '积金',
  '动产登',
  '会保障',
  '业执',
  '姻登',
  '疗保',
  '务公',
  '地就',
  '活保障',
  '照申',
];
const TRADITIONAL: [string, string][] = [
  ['婚姻登記', '婚姻登记'],
  ['不動產登記', '不动产登记'],
  ['社會保障卡', '社会保障卡'],
  ['醫療保險', '医疗保险'],
  ['政務公開', '政务公开'],
  ['營業執照', '营业执照'],
  ['戶口遷移', '户口迁移'],
  ['護照申請', '护照申请'],
  ['衞生健康局', '卫生健康局'],
  ['公積金', '公积金'],
  ['異地就醫', '异地就医'],
  ['預防接種', '预防接种'],
];
const PINYIN: [string, string][] = [
  ['hunyindengji', '婚姻登记'],
  ['budongchandengji', '不动产登记'],
  ['gongjijin', '公积金'],
  ['shehuibaozhangka', '社会保障卡'],
  ['zhengwugongkai', '政务公开'],
  ['yiliaobaoxian', '医疗保险'],
  ['hukouqianyi', '户口迁移'],
  ['yingyezhizhao', '营业执照'],
  ['yufangjiezhong', '预防接种'],
  ['senlinfanghuo', '森林防火'],
  ['shanxian', '单县'],
  ['hunyind', '婚姻登'],
  ['budongchand', '不动产登'],
  ['yidijiuyi', '异地就医'],
];
const INITIALS: [string, string][] = [
  ['bdcdj', '不动产登记'],
  ['hydj', '婚姻登记'],
  ['gjj', '公积金'],
  ['shbzk', '社会保障卡'],
  ['zwgk', '政务公开'],
  ['ylbx', '医疗保险'],
  ['yyzz', '营业执照'],
  ['hkqy', '户口迁移'],
  ['yfjz', '预防接种'],
  ['slfh', '森林防火'],
  ['gsrd', '工伤认定'],
  ['zfcg', '政府采购'],
];
const MIXED: [string, string][] = [
  ['zhengwugk', '政务公开'],
  ['hunyindj', '婚姻登记'],
  ['budcdengji', '不动产登记'],
  ['gongjij', '公积金'],
  ['shehbzk', '社会保障卡'],
  ['yiliaobx', '医疗保险'],
  ['yingyzz', '营业执照'],
  ['zuidishbz', '最低生活保障'],
];
const HOMOPHONE_TARGETS = [
  '公积金',
  '婚姻登记',
  '不动产登记',
  '社会保障卡',
  '医疗保险',
  '政务公开',
  '营业执照',
  '户口迁移',
  '最低生活保障',
  '预防接种',
  '工伤认定',
  '森林防火',
  '异地就医',
  '居民身份证',
  '护照申请',
  '政府采购',
  '养老保险',
  '结婚登记',
  '出生登记',
  '食品安全',
];
const SYNONYMS: [string, string[]][] = [
  ['社保卡', ['社会保障卡']],
  ['医保', ['医疗保险', '医疗保障']],
  ['低保', ['最低生活保障']],
  ['房产证', ['不动产权证书', '不动产登记']],
  ['驾照', ['驾驶证']],
  ['公租房', ['公共租赁住房']],
  ['老年证', ['老年人优待证']],
  ['残疾证', ['残疾人证']],
  ['失业金', ['失业保险金']],
  ['结婚证', ['结婚登记', '婚姻登记']],
];
const BRACKETS = [
  ['[', ']'],
  ['(', ')'],
  ['【', '】'],
  ['（', '）'],
  ['［', '］'],
] as const;

/** Same-pinyin table: toneless syllable → characters of the Simplified corpus items with that reading. */
export function samePinyinTable(items: readonly Item[]): Map<string, string[]> {
  const chars = new Set<string>();
  // Simplified sources only: a Traditional character is not an input-method typo.
  const simplified = items.filter((i) => !i.qualityFlags?.includes('traditional-source'));
  for (const item of simplified)
    for (const ch of JSON.stringify(item)) if (/\p{Script=Han}/u.test(ch)) chars.add(ch);
  const table = new Map<string, string[]>();
  for (const ch of [...chars].sort()) {
    for (const r of new Set(pinyin(ch, { multiple: true, type: 'array', toneType: 'none' }))) {
      table.set(r, [...(table.get(r) ?? []), ch]);
    }
  }
  return table;
}

/** Builds the whole labelled set from the demo items and the generated corpus. */
export function makeQueries(demo: readonly Item[], generated: readonly Item[]): LabelledQuery[] {
  const out: LabelledQuery[] = [];
  const g = (q: string, category: QueryCategory, rel: Judgement, equivalent?: string): void => {
    out.push({ q, category, corpus: 'generated', rel, ...(equivalent ? { equivalent } : {}) });
  };
  const d = (q: string, category: QueryCategory, rel: Judgement, equivalent?: string): void => {
    out.push({ q, category, corpus: 'demo', rel, ...(equivalent ? { equivalent } : {}) });
  };
  for (const s of SIMPLIFIED) g(s, 'simplified', t(s));
  for (const s of ['政务公开', '工作方案', '信息公开', '湛江', '办事指南', '经协办'])
    d(s, 'simplified', t(s));
  for (const s of FRAGMENTS) g(s, 'fragment', t(s));
  for (const s of ['务公', '协办', '作计']) d(s, 'fragment', t(s));
  for (const [q, s] of TRADITIONAL) g(q, 'traditional', t(s), s);
  for (const [q, s] of [
    ['政務公開', '政务公开'],
    ['經協辦', '经协办'],
    ['辦事指南', '办事指南'],
  ])
    d(q, 'traditional', t(s), s);
  for (const [q, s] of PINYIN) g(q, 'pinyin', t(s));
  d('zhengwugongkai', 'pinyin', t('政务公开'));
  d('zhanjiang', 'pinyin', t('湛江'));
  for (const [q, s] of INITIALS) g(q, 'initials', t(s));
  d('zwgk', 'initials', t('政务公开'));
  d('bsznn'.slice(0, 4), 'initials', t('办事指南'));
  for (const [q, s] of MIXED) g(q, 'mixed', t(s));
  d('zhengwgk', 'mixed', t('政务公开'));

  // Homophone typos from the same-pinyin table, two per target, seeded.
  const table = samePinyinTable(generated);
  const rand = mulberry32(20261124);
  const typo = (target: string): string | null => {
    const chars = Array.from(target);
    for (let attempt = 0; attempt < 20; attempt++) {
      const i = Math.floor(rand() * chars.length);
      const reading = pinyin(chars[i], { type: 'array', toneType: 'none' })[0] ?? '';
      const options = (table.get(reading) ?? []).filter((c) => c !== chars[i]);
      if (options.length === 0) continue;
      const copy = [...chars];
      copy[i] = options[Math.floor(rand() * options.length)];
      return copy.join('');
    }
    return null;
  };
  for (const target of HOMOPHONE_TARGETS) {
    const seen = new Set<string>();
    for (let k = 0; k < 2; k++) {
      const q = typo(target);
      if (q && !seen.has(q)) {
        seen.add(q);
        g(q, 'homophone', t(target));
      }
    }
  }
  for (const target of ['政务公开', '办事指南']) {
    const q = typo(target);
    if (q) d(q, 'homophone', t(target));
  }

  // 文号 and 索引号, retyped with another bracket style / separators.
  const notices = generated.filter(
    (i): i is Extract<Item, { kind: 'notice' }> => i.kind === 'notice' && !!i.docNo,
  );
  for (let k = 0; k < 10; k++) {
    const n = notices[Math.floor(rand() * notices.length)];
    const [o, c] = BRACKETS[k % BRACKETS.length];
    g((n.docNo ?? '').replace('〔', o).replace('〕', c), 'docno', { first: n.id });
  }
  d('东府办函[2007]198号', 'docno', { first: 'dg-2007-zwgk-plan-notice' });
  d('东府办函(2007)198号', 'docno', { first: 'dg-2007-zwgk-plan-notice' });
  for (let k = 0; k < 10; k++) {
    const n = notices[Math.floor(rand() * notices.length)];
    const idx = n.indexNo ?? '';
    g(k % 2 ? idx : idx.replace('/', '／').replace('-', ' - '), 'indexno', { first: n.id });
  }
  for (const [q, full] of SYNONYMS) g(q, 'synonym', t(...full));
  d('信息公开', 'synonym', t('政府信息公开', '信息公开'));
  void demo;
  return out;
}

/** Loads the demo items (each file is one item). */
export async function loadDemoItems(): Promise<Item[]> {
  const { readdirSync, readFileSync } = await import('node:fs');
  const dir = new URL('../../src/content/demo/', import.meta.url);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const raw = JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as Item | { item: Item };
      return 'item' in raw ? raw.item : raw;
    });
}

if (process.argv[1]?.endsWith('make-queries.ts')) {
  const demo = await loadDemoItems();
  const generated = generateCorpus(GENERATED);
  const queries = makeQueries(demo, generated);
  writeFileSync(
    new URL('./queries.json', import.meta.url),
    `${JSON.stringify(queries, null, 1)}\n`,
  );
  console.log(`${queries.length} queries written`);
}
