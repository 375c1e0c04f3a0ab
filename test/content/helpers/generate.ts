/**
 * Deterministic generator of valid notices for bundle-size tests and manual
 * timing runs. Each item's JSON is about 2 KB (Chinese text is 3 bytes per
 * character in UTF-8).
 */
import type { Notice } from '../../../src/content/types.ts';

const PHRASES = [
  '进一步深化政务公开工作',
  '推进政府信息公开标准化规范化建设',
  '各镇街、各部门要高度重视',
  '按照有关规定做好信息发布工作',
  '加强政策解读和回应社会关切',
  '严格落实公开属性源头认定',
  '做好依申请公开答复工作',
  '完善政府信息管理动态调整机制',
  '扎实推进基层政务公开标准目录编制',
  '强化政府网站信息内容建设',
];

/** A small seeded PRNG (mulberry32), so runs are repeatable. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Notice number `i`; `revision` > 0 gives a changed version of the same item. */
export function generatedNotice(i: number, revision = 0): Notice {
  const r = rng(i * 7919 + revision * 104729 + 1);
  const pick = () => PHRASES[Math.floor(r() * PHRASES.length)];
  let body = '';
  while (body.length < 480) body += `<p>${pick()}，${pick()}。${pick()}。</p>`;
  const month = String(1 + (i % 12)).padStart(2, '0');
  const day = String(1 + (i % 28)).padStart(2, '0');
  return {
    kind: 'notice',
    id: `gen-${String(i).padStart(6, '0')}`,
    docType: '通知',
    title: { 'zh-Hans': `关于${pick()}的通知（第${i}号${revision ? `，修订${revision}` : ''}）` },
    issuer: ['某市人民政府办公室'],
    docNo: `某府办〔2026〕${i}号`,
    infoCategory: 'other',
    writtenDate: `2026-${month}-${day}`,
    publishDate: `2026-${month}-${day}`,
    disclosure: { mode: '主动公开', audience: '全社会', term: null, channels: ['政府门户网站'] },
    summary: { 'zh-Hans': `${pick()}，${pick()}。` },
    body,
    privacy: { containsPersonalInfo: false, redactions: [] },
    display: { rotate: true, priority: 0 },
    validity: { status: '有效' },
  };
}

/** `count` generated notices; the ids in `changed` come as revision 1. */
export function generatedNotices(
  count: number,
  changed: ReadonlySet<number> = new Set(),
): Notice[] {
  return Array.from({ length: count }, (_, i) => generatedNotice(i, changed.has(i) ? 1 : 0));
}
