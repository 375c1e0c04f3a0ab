/**
 * Colloquial abbreviations visitors type, and what notices call them. No
 * tokenizer can guess these (社保卡 shares one bigram with 社会保障卡), so they
 * are a curated list that a bundle file (role 'synonyms') can extend.
 */
import { normalizeText } from './normalize.ts';
import type { SynonymTable } from './types.ts';

/** The default list: abbreviation → full terms. */
export const DEFAULT_SYNONYMS: SynonymTable = {
  社保卡: ['社会保障卡'],
  医保卡: ['社会保障卡', '医疗保险'],
  社保: ['社会保险', '社会保障'],
  医保: ['医疗保险', '医疗保障'],
  公积金: ['住房公积金'],
  身份证: ['居民身份证'],
  驾照: ['驾驶证'],
  户口: ['户籍'],
  低保: ['最低生活保障'],
  公租房: ['公共租赁住房'],
  廉租房: ['廉租住房'],
  养老金: ['养老保险'],
  失业金: ['失业保险金'],
  老年证: ['老年人优待证'],
  残疾证: ['残疾人证'],
  结婚证: ['结婚登记', '婚姻登记'],
  离婚证: ['离婚登记', '婚姻登记'],
  房产证: ['不动产权证书', '不动产登记'],
  房本: ['不动产权证书', '不动产登记'],
  执照: ['营业执照'],
  开公司: ['企业开办'],
  入学: ['义务教育入学'],
  信息公开: ['政府信息公开'],
  年报: ['年度报告'],
  打疫苗: ['预防接种'],
};

const MAX_VARIANTS = 8;

/**
 * The query and its synonym variants: each key found in the normalised query
 * is replaced by each of its values. The literal query comes first.
 */
export function expandSynonyms(norm: string, table: SynonymTable): string[] {
  return expandSynonymsNormalized(
    norm,
    Object.entries(table).map(([k, v]) => [
      normalizeText(k).trim(),
      v.map((x) => normalizeText(x).trim()),
    ]),
  );
}

/** {@link expandSynonyms} over a table whose keys and values are already normalised. */
export function expandSynonymsNormalized(
  norm: string,
  table: readonly [string, string[]][],
): string[] {
  const out = [norm];
  for (const [k, values] of table) {
    if (k === '' || !norm.includes(k)) continue;
    for (const v of values) {
      const variant = norm.replace(k, v);
      if (!out.includes(variant)) out.push(variant);
      if (out.length >= MAX_VARIANTS) return out;
    }
  }
  return out;
}

/**
 * Reads a synonyms file: `{"社保卡": ["社会保障卡"]}`, the same under a
 * `synonyms` key, or groups `[["社保卡", "社会保障卡"], …]` (first = abbreviation).
 * Throws an error naming `file` and the bad entry.
 */
export function parseSynonyms(json: unknown, file = 'synonyms'): SynonymTable {
  const root =
    typeof json === 'object' && json !== null && !Array.isArray(json) && 'synonyms' in json
      ? (json as { synonyms: unknown }).synonyms
      : json;
  const out: SynonymTable = {};
  if (Array.isArray(root)) {
    root.forEach((g, i) => {
      if (!Array.isArray(g) || g.length < 2 || !g.every((x) => typeof x === 'string' && x !== '')) {
        throw new Error(`${file}: group ${i} is not a list of at least two terms`);
      }
      out[g[0] as string] = g.slice(1) as string[];
    });
    return out;
  }
  if (typeof root !== 'object' || root === null) {
    throw new Error(`${file}: expected an object of term → [synonyms] or a list of groups`);
  }
  for (const [k, v] of Object.entries(root)) {
    const list = typeof v === 'string' ? [v] : v;
    if (!Array.isArray(list) || !list.every((x) => typeof x === 'string' && x !== '')) {
      throw new Error(`${file}: entry ${JSON.stringify(k)} is not a list of terms`);
    }
    out[k] = list as string[];
  }
  return out;
}
