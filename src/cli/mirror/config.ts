/**
 * The mirror's configuration, `<content-dir>/_mirror/config.json` (optional;
 * the `_` keeps it out of the content the checker reads). It holds what an
 * admin decides once: politeness, the safety thresholds, the table mapping the
 * portal's categories (主题/体裁/目录) to the kiosk's, field defaults such as
 * `privacy`, and per-item corrections that survive every re-mirror.
 */
import { join } from 'node:path';
import { INFO_CATEGORIES, type InfoCategory } from '../../content/types.ts';
import { exists, InvalidError, readJsonFile } from '../util.ts';

/** Everything a run can be tuned with (CLI options override the file). */
export interface MirrorConfig {
  /** Milliseconds between request starts. */
  delayMs: number;
  concurrency: number;
  timeoutMs: number;
  /** Larger attachments are not downloaded (the item keeps the link in its body). */
  maxAttachmentBytes: number;
  /** A category listing fewer than this share of last run's items fails the run. */
  minListedShare: number;
  /** More failed details than this share of those fetched (and at least 3) fails the run. */
  maxFailedShare: number;
  /** Appended to the User-Agent: the office's URL or e-mail, for the portal's webmaster. */
  contact?: string;
  /** Item ids are `<idPrefix>-<portal id>`; default from the host and path prefix. */
  idPrefix?: string;
  /** Portal name (category, 主题 or 目录 name; exact, else contained) → 信息类别 key. */
  categoryMap: Record<string, string>;
  /** Portal 体裁 / type name → 文种 (docType). */
  docTypeMap: Record<string, string>;
  /** Fields set on every mirrored item unless the portal gives them (e.g. privacy, display). */
  defaults: Record<string, unknown>;
  /** Per-item corrections by item id, merged last (an admin's review decisions). */
  items: Record<string, Record<string, unknown>>;
}

/**
 * Built-in mapping of common gkmlpt 目录 / 主题 names to the 信息类别. Matched
 * by substring, in this order, after the admin's own table.
 */
export const DEFAULT_CATEGORY_MAP: readonly (readonly [string, InfoCategory])[] = [
  ['年度报告', 'annual-report'],
  ['公开指南', 'guide'],
  ['规范性文件', 'regulations'],
  ['政策法规', 'regulations'],
  ['政策文件', 'regulations'],
  ['法规', 'regulations'],
  ['规章', 'regulations'],
  ['机构', 'organization'],
  ['领导', 'organization'],
  ['职能', 'organization'],
  ['规划', 'plans'],
  ['计划', 'plans'],
  ['统计', 'statistics'],
  ['许可', 'licensing'],
  ['审批', 'licensing'],
  ['处罚', 'penalties'],
  ['强制', 'penalties'],
  ['预算', 'budget'],
  ['决算', 'budget'],
  ['财政', 'budget'],
  ['收费', 'fees'],
  ['采购', 'procurement'],
  ['招标', 'procurement'],
  ['重大项目', 'major-projects'],
  ['重大建设', 'major-projects'],
  ['扶贫', 'livelihood'],
  ['教育', 'livelihood'],
  ['医疗', 'livelihood'],
  ['社会保障', 'livelihood'],
  ['就业', 'livelihood'],
  ['应急', 'emergency'],
  ['突发', 'emergency'],
  ['环境', 'inspections'],
  ['安全生产', 'inspections'],
  ['食品', 'inspections'],
  ['监督检查', 'inspections'],
  ['公务员', 'civil-service-recruitment'],
  ['人事', 'civil-service-recruitment'],
  ['招考', 'civil-service-recruitment'],
  ['征收', 'land-expropriation'],
  ['救助', 'social-assistance'],
  ['市政', 'municipal-construction'],
  ['公益', 'public-welfare'],
];

/** Built-in 体裁 → 文种 names (the portal's genre is usually already a 文种). */
export const DEFAULT_DOCTYPE_MAP: Readonly<Record<string, string>> = {
  政策解读: '解读',
  解读: '解读',
  通知公告: '公告',
  公示公告: '公示',
  其他: '公开目录条目',
};

/** The defaults of a run without a config file: the gentle ones of the brief. */
export function defaultConfig(): MirrorConfig {
  return {
    delayMs: 500,
    concurrency: 1,
    timeoutMs: 30_000,
    maxAttachmentBytes: 20 * 1024 * 1024,
    minListedShare: 0.5,
    maxFailedShare: 0.05,
    categoryMap: {},
    docTypeMap: {},
    defaults: {},
    items: {},
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads `<dir>/_mirror/config.json` over the defaults; a bad field names file and field. */
export async function loadConfig(dir: string): Promise<MirrorConfig> {
  const cfg = defaultConfig();
  const file = join(dir, '_mirror', 'config.json');
  if (!(await exists(file))) return cfg;
  const raw = await readJsonFile(file);
  const bad = (field: string, why: string): never => {
    throw new InvalidError(`${file} (field ${field}): ${why}`);
  };
  if (!isRecord(raw)) bad('(root)', 'must be a JSON object');
  const r = raw as Record<string, unknown>;
  for (const k of [
    'delayMs',
    'concurrency',
    'timeoutMs',
    'maxAttachmentBytes',
    'minListedShare',
    'maxFailedShare',
  ] as const) {
    if (r[k] === undefined) continue;
    const v = r[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) bad(k, 'must be a number ≥ 0');
    cfg[k] = v as number;
  }
  if (cfg.concurrency < 1) bad('concurrency', 'must be at least 1');
  for (const k of ['minListedShare', 'maxFailedShare'] as const)
    if (cfg[k] > 1) bad(k, 'is a share between 0 and 1');
  for (const k of ['contact', 'idPrefix'] as const) {
    if (r[k] === undefined) continue;
    if (typeof r[k] !== 'string') bad(k, 'must be a string');
    cfg[k] = r[k] as string;
  }
  if (cfg.idPrefix !== undefined && !/^[A-Za-z0-9._-]+$/.test(cfg.idPrefix))
    bad('idPrefix', 'only letters, digits, ".", "_" and "-"');
  for (const k of ['categoryMap', 'docTypeMap'] as const) {
    if (r[k] === undefined) continue;
    if (!isRecord(r[k])) bad(k, 'must be an object of name → value');
    for (const [name, v] of Object.entries(r[k] as Record<string, unknown>)) {
      if (typeof v !== 'string') bad(`${k}.${name}`, 'must be a string');
      if (k === 'categoryMap' && !((v as string) in INFO_CATEGORIES))
        bad(`${k}.${name}`, `"${String(v)}" is not a 信息类别 key (see docs/content.md)`);
      cfg[k][name] = v as string;
    }
  }
  if (r.defaults !== undefined) {
    if (!isRecord(r.defaults)) bad('defaults', 'must be an object of item fields');
    cfg.defaults = r.defaults as Record<string, unknown>;
  }
  if (r.items !== undefined) {
    if (!isRecord(r.items)) bad('items', 'must be an object: item id → fields');
    for (const [id, patch] of Object.entries(r.items as Record<string, unknown>)) {
      if (!isRecord(patch)) bad(`items.${id}`, 'must be an object of item fields');
      cfg.items[id] = patch as Record<string, unknown>;
    }
  }
  return cfg;
}

/** The 信息类别 of the first name the admin's table, then the built-in one, maps. */
export function mapCategory(
  names: readonly (string | undefined)[],
  cfg: MirrorConfig,
): { key: InfoCategory; by: string } | null {
  const given = names.filter((n): n is string => typeof n === 'string' && n.trim() !== '');
  for (const n of given) {
    const exact = cfg.categoryMap[n];
    if (exact) return { key: exact as InfoCategory, by: `"${n}" (config categoryMap)` };
  }
  for (const n of given) {
    for (const [k, v] of Object.entries(cfg.categoryMap)) {
      if (n.includes(k)) return { key: v as InfoCategory, by: `"${n}" (config categoryMap)` };
    }
  }
  for (const n of given) {
    for (const [k, v] of DEFAULT_CATEGORY_MAP)
      if (n.includes(k)) return { key: v, by: `"${n}" (built-in table)` };
  }
  return null;
}

/** The 文种 for a portal 体裁 name, via the admin's table then the built-in one. */
export function mapDocType(name: string | undefined, cfg: MirrorConfig): string | null {
  if (!name?.trim()) return null;
  return cfg.docTypeMap[name] ?? DEFAULT_DOCTYPE_MAP[name] ?? null;
}
