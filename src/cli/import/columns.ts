/**
 * Task-table column names as admins write them (seed 001, 002 and common
 * variants), mapped to the TaskRow fields of the content model.
 */
import { normalizeLabel } from './repair.ts';

/** TaskRow fields an importer fills. */
export type TaskField =
  'seq' | 'task' | 'requirement' | 'lead' | 'responsible' | 'partners' | 'deadline';

/** Recognised header names per field, compared after {@link normalizeLabel}. */
export const TASK_COLUMN_ALIASES: Readonly<Record<TaskField, readonly string[]>> = {
  seq: ['序号', '编号', '序', 'seq', 'no', 'no.'],
  task: [
    '工作任务',
    '任务',
    '工作内容',
    '重点任务',
    '主要任务',
    '任务名称',
    '工作事项',
    '事项',
    'task',
  ],
  requirement: [
    '具体要求',
    '工作要求',
    '具体内容',
    '主要内容',
    '具体措施',
    '工作措施',
    '任务要求',
    '要求',
    'requirement',
  ],
  lead: ['牵头单位', '牵头部门', '牵头', '主责单位', '牵头责任单位', 'lead'],
  responsible: ['责任单位', '责任部门', '负责单位', '承办单位', 'responsible'],
  partners: ['配合单位', '配合部门', '协办单位', '参与单位', '协助单位', 'partners'],
  deadline: [
    '完成时限',
    '完成时间',
    '时限',
    '完成期限',
    '时间要求',
    '时间节点',
    '进度安排',
    'deadline',
  ],
};

/** The field a header cell names, or null. */
export function matchTaskColumn(label: string): TaskField | null {
  const l = normalizeLabel(label).toLowerCase();
  if (!l) return null;
  for (const [field, aliases] of Object.entries(TASK_COLUMN_ALIASES) as [
    TaskField,
    readonly string[],
  ][]) {
    if (aliases.includes(l)) return field;
  }
  return null;
}

/**
 * Maps header cells to fields. 责任单位 means the lead unit when the table has
 * no 牵头 column (seed 002 style) and the responsible unit beside one (seed 001).
 */
export function mapHeader(cells: string[]): Map<number, TaskField> {
  const map = new Map<number, TaskField>();
  cells.forEach((c, i) => {
    const f = matchTaskColumn(c);
    if (f && ![...map.values()].includes(f)) map.set(i, f);
  });
  const fields = [...map.values()];
  if (!fields.includes('lead') && fields.includes('responsible')) {
    for (const [i, f] of map) if (f === 'responsible') map.set(i, 'lead');
  }
  return map;
}

/** True when a header row is a task table: a task column and one more known column. */
export function isTaskHeader(map: Map<number, TaskField>): boolean {
  const fields = [...map.values()];
  return fields.includes('task') && fields.length >= 2;
}

/** Labels of notice metadata written as `label | value` rows or `label：value` lines. */
export const META_LABELS: Readonly<Record<string, string>> = {
  id: 'id',
  标题: 'title',
  名称: 'title',
  信息名称: 'title',
  title: 'title',
  发布机构: 'issuer',
  发文机关: 'issuer',
  发文单位: 'issuer',
  issuer: 'issuer',
  发文字号: 'docNo',
  文号: 'docNo',
  docno: 'docNo',
  索引号: 'indexNo',
  indexno: 'indexNo',
  主题分类: 'topic',
  分类: 'topic',
  topic: 'topic',
  成文日期: 'writtenDate',
  生成日期: 'writtenDate',
  产生日期: 'writtenDate',
  writtendate: 'writtenDate',
  发布日期: 'publishDate',
  publishdate: 'publishDate',
  有效性: 'validity',
  时效性: 'validity',
  时效: 'validity',
  主题词: 'keywords',
  关键词: 'keywords',
  keywords: 'keywords',
  文种: 'docType',
  doctype: 'docType',
  信息类别: 'infoCategory',
  infocategory: 'infoCategory',
  公开方式: 'disclosure',
  公开形式: 'disclosure',
  内容概述: 'summary',
  summary: 'summary',
  个人信息: 'privacy',
  含个人信息: 'privacy',
  containspersonalinfo: 'privacy',
  demo: 'demo',
  演示: 'demo',
  inferred: 'inferred',
  说明: 'inferred',
};

/** The content-model field a metadata label names, or null. */
export function matchMetaLabel(label: string): string | null {
  return META_LABELS[normalizeLabel(label).toLowerCase()] ?? null;
}
