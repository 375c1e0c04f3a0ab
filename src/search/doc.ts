/**
 * Flattens a content item into a {@link SearchDoc}: the fields visitors search,
 * in Simplified where the bundle has it, with the derived title pinyin.
 */
import type { Item } from '../content/types.ts';
import type { DerivedSearchData, DocStatus, SearchDoc } from './types.ts';

const TAG = /<[^>]*>/g;
const ENTITY = /&(amp|lt|gt|quot|#39|nbsp);/g;
const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  '#39': "'",
  nbsp: ' ',
};

/** Text of a sanitised HTML fragment (no DOM: tags dropped, common entities decoded). */
export function htmlToText(html: string): string {
  return html.replace(TAG, ' ').replace(ENTITY, (_m, e: string) => ENTITIES[e] ?? ' ');
}

function statusOf(item: Item): DocStatus {
  const s = item.validity?.status;
  return s === '失效' ? 'expired' : s === '废止' ? 'repealed' : 'valid';
}

/** Builds the search document of an item; `derived` is the item file's derived data, if any. */
export function toSearchDoc(item: Item, derived?: Partial<DerivedSearchData> | null): SearchDoc {
  const parts: string[] = [];
  let title: string;
  let summary: string | undefined;
  let date: string | null | undefined;
  const otherIds: string[] = [];
  if (item.kind === 'notice') {
    title = item.title['zh-Hans'];
    summary = item.summary?.['zh-Hans'] ?? undefined;
    date = item.publishDate ?? item.writtenDate;
    parts.push(item.docType, ...item.issuer, ...(item.keywords ?? []));
    if (item.docNo) parts.push(item.docNo);
    if (item.docNoAsInSource) otherIds.push(item.docNoAsInSource);
    if (item.topic) parts.push(item.topic.l1, item.topic.l2 ?? '');
    // A signed bundle is trusted to be valid, but a malformed body must not take search down.
    if (typeof item.body === 'string') parts.push(htmlToText(item.body));
    for (const t of item.tasks ?? []) parts.push(t.task, t.requirement ?? '', t.lead ?? '');
    for (const a of item.attachments ?? []) parts.push(a.name);
  } else {
    title = item.itemName['zh-Hans'];
    date = item.updatedAt;
    parts.push('办事指南', item.implementingBody.name, item.department ?? '', item.topic ?? '');
    parts.push(item.itemType ?? '', item.applicants ?? '', item.location ?? '', item.hours ?? '');
    if (item.itemCode) otherIds.push(item.itemCode);
    for (const l of item.legalBasis ?? []) parts.push(l.name);
    parts.push(...(item.conditions ?? []));
    for (const m of item.materials ?? []) parts.push(m.name);
    for (const p of item.procedure ?? []) parts.push(p.step, p.desc ?? '');
    for (const f of item.faq ?? []) parts.push(f.q, f.a);
    if (item.flowchart?.altText) parts.push(item.flowchart.altText);
  }
  const titlePinyin = derived?.titlePinyin;
  return {
    id: item.id,
    title,
    ...(summary ? { summary } : {}),
    text: parts.filter((p) => p !== '').join('\n'),
    docNo: item.kind === 'notice' ? (item.docNo ?? null) : null,
    indexNo: item.kind === 'notice' ? (item.indexNo ?? null) : null,
    otherIds,
    date: date ?? null,
    status: statusOf(item),
    validUntil: item.validity?.validUntil ?? null,
    ...(Array.isArray(titlePinyin) ? { titlePinyin } : {}),
  };
}
