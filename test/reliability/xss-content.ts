// Source files carrying XSS vectors, one set per vector and import format
// (JSON notice, JSON guide, Markdown, CSV, XLSX, saved portal page, plain
// text), with the vector in every field the kiosk renders: title, summary,
// body, task table cells, guide steps and materials, attachment names,
// issuer, 文号, keywords, URLs. `gongkai content check` and `bundle build`
// (the real CLI) then turn them into a signed bundle.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import type { XssVector } from './xss-vectors.ts';

/** Every title carries this word, so one search query finds every item with highlights. */
export const XSS_MARKER = '公开';

/** The import formats, as file suffixes. */
export const XSS_FORMATS = [
  'notice.json',
  'guide.json',
  'md',
  'csv',
  'xlsx',
  'html',
  'txt',
] as const;
export type XssFormat = (typeof XSS_FORMATS)[number];

/** Item id of a vector's item from one format. */
export function xssItemId(v: XssVector, format: XssFormat): string {
  return `xss-${v.id}-${format.replace('.', '-')}`;
}

/** The one attachment every notice points at (the vector is in its name). */
const ATTACHMENT = new TextEncoder().encode('%PDF-1.1\n% gongkai xss test attachment\n%%EOF\n');
const ATTACHMENT_SHA = createHash('sha256').update(ATTACHMENT).digest('hex');

const attr = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function notice(v: XssVector): Record<string, unknown> {
  const x = v.html;
  return {
    kind: 'notice',
    id: xssItemId(v, 'notice.json'),
    docType: '通知',
    title: { 'zh-Hans': `${XSS_MARKER}通知 ${x}` },
    summary: { 'zh-Hans': `摘要 ${x}` },
    issuer: [`发布机构 ${x}`],
    docNo: `东府办函〔2026〕1号 ${x}`,
    indexNo: `007329345/2026-00001 ${x}`,
    infoCategory: 'plans',
    writtenDate: '2026-11-01',
    publishDate: '2026-11-02',
    validity: { status: '有效' },
    disclosure: { mode: '主动公开' },
    keywords: [`关键词 ${x}`],
    body: `<p>正文</p>${x}<p>结束</p>`,
    tasks: [
      {
        seq: 1,
        task: `任务 ${x}`,
        requirement: `要求 ${x}`,
        lead: `牵头 ${x}`,
        deadline: `时限 ${x}`,
      },
    ],
    attachments: [
      { name: `附件 ${x}.pdf`, mime: 'application/pdf', sha256: ATTACHMENT_SHA, pages: 1 },
    ],
    privacy: { containsPersonalInfo: false },
    source: { url: `https://gongkai.example/${encodeURIComponent(v.id)}.html` },
    display: { rotate: true },
  };
}

function guide(v: XssVector): Record<string, unknown> {
  const x = v.html;
  return {
    kind: 'guide',
    id: xssItemId(v, 'guide.json'),
    itemName: { 'zh-Hans': `${XSS_MARKER}办事指南 ${x}` },
    implementingBody: { name: `实施主体 ${x}`, address: `地址 ${x}` },
    department: `部门 ${x}`,
    topic: `主题 ${x}`,
    legalBasis: [`依据 ${x}`],
    conditions: [`条件 ${x}`],
    materials: [{ name: `材料 ${x}`, form: `原件 ${x}`, copies: 1, required: true }],
    procedure: [
      { step: `申请 ${x}`, desc: `说明 ${x}`, timeLimit: `当场 ${x}` },
      { step: `受理 ${x}` },
    ],
    timeLimit: { statutory: `20个工作日 ${x}`, promised: `15个工作日 ${x}` },
    fees: { charged: false, standard: `不收费 ${x}` },
    location: `地点 ${x}`,
    hours: `周一至周五 ${x}`,
    consultationPhone: `咨询 ${x}`,
    complaintPhone: `投诉 ${x}`,
    onlineUrl: `https://gongkai.example/${encodeURIComponent(v.id)}`,
    faq: [{ q: `问 ${x}`, a: `答 ${x}` }],
    flowchart: { altText: `流程图 ${x}`, image: null },
    validity: { status: '有效' },
    privacy: { containsPersonalInfo: false },
    display: { rotate: true },
  };
}

function markdown(v: XssVector): string {
  const x = v.html;
  const cell = x.replace(/\|/g, '｜').replace(/\n/g, ' ');
  return [
    '---',
    `id: ${xssItemId(v, 'md')}`,
    `title: ${JSON.stringify(`${XSS_MARKER}方案 ${x}`)}`,
    `发布机构: ${JSON.stringify(`发布机构 ${x}`)}`,
    `发文字号: ${JSON.stringify(`东府办〔2026〕2号 ${x}`)}`,
    'publishDate: 2026-11-02',
    'infoCategory: plans',
    'docType: 方案',
    'disclosure:',
    '  mode: 主动公开',
    'privacy:',
    '  containsPersonalInfo: false',
    '---',
    '',
    `正文段落 ${x}`,
    '',
    `## 小标题 ${x}`,
    '',
    `- 列表 ${x}`,
    '',
    '| 序号 | 工作任务 | 具体要求 | 牵头单位 | 完成时限 |',
    '| --- | --- | --- | --- | --- |',
    `| 1 | 任务 ${cell} | 要求 ${cell} | 牵头 ${cell} | 时限 ${cell} |`,
    '',
  ].join('\n');
}

function tableRows(v: XssVector, format: XssFormat): string[][] {
  const x = v.html;
  return [
    ['标题', `${XSS_MARKER}任务分工表 ${x}`],
    ['id', xssItemId(v, format)],
    ['发布机构', `发布机构 ${x}`],
    ['发文字号', `东府办〔2026〕3号 ${x}`],
    ['发布日期', '2026-11-02'],
    ['信息类别', 'plans'],
    ['文种', '方案'],
    ['公开方式', '主动公开'],
    ['个人信息', '无'],
    ['序号', '工作任务', '具体要求', '牵头单位', '完成时限'],
    ['1', `任务 ${x}`, `要求 ${x}`, `牵头 ${x}`, `时限 ${x}`],
  ];
}

function portalPage(v: XssVector): string {
  const x = v.html;
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>${attr(`${XSS_MARKER}通知 ${x}`)}</title>
<meta name="ArticleTitle" content="${attr(`${XSS_MARKER}通知 ${x}`)}">
<meta name="PubDate" content="2026-11-02 10:00">
<meta name="ContentSource" content="${attr(`来源 ${x}`)}">
<meta name="Keywords" content="${attr(`关键词 ${x}`)}">
<meta name="Description" content="${attr(`摘要 ${x}`)}">
<meta name="Url" content="https://gongkai.example/${encodeURIComponent(v.id)}.html">
<meta name="gongkai:id" content="${xssItemId(v, 'html')}">
<meta name="gongkai:infoCategory" content="plans">
<meta name="gongkai:docType" content="通知">
<meta name="gongkai:privacy" content="无">
</head>
<body>
<table class="xxgk-table">
<tr><td>发布机构：</td><td>发布机构 ${x}</td><td>发文字号：</td><td>东府办〔2026〕4号 ${x}</td></tr>
<tr><td>成文日期：</td><td>2026年11月1日</td><td>发布日期：</td><td>2026年11月02日</td></tr>
</table>
<div id="UCAP-CONTENT">
<p>各镇人民政府，市府直属各单位：</p>
<p>正文 ${x}</p>
${x}
<table><tr><th>序号</th><th>工作任务</th><th>牵头单位</th><th>完成时限</th></tr>
<tr><td>1</td><td>任务 ${x}</td><td>牵头 ${x}</td><td>时限 ${x}</td></tr></table>
</div>
</body>
</html>
`;
}

function plainText(v: XssVector): string {
  const x = v.html;
  return [
    '---',
    `id: ${xssItemId(v, 'txt')}`,
    'docType: 通知',
    `issuer: [${JSON.stringify(`发布机构 ${x.replace(/\n/g, ' ')}`)}]`,
    'publishDate: 2026-11-02',
    'infoCategory: plans',
    'disclosure:',
    '  mode: 主动公开',
    'privacy:',
    '  containsPersonalInfo: false',
    '---',
    '当前位置：首页 > 信息公开 > 通知',
    `${XSS_MARKER}通知 ${x.replace(/\n/g, ' ')}`,
    `正文 ${x.replace(/\n/g, ' ')}`,
    '',
  ].join('\n');
}

/** Writes every format's file for each vector into `dir`. */
export async function writeXssSources(dir: string, vectors: readonly XssVector[]): Promise<void> {
  mkdirSync(join(dir, 'attachments'), { recursive: true });
  writeFileSync(join(dir, 'attachments', 'xss.pdf'), ATTACHMENT);
  for (const v of vectors) {
    writeFileSync(join(dir, `${v.id}.notice.json`), JSON.stringify(notice(v), null, 2));
    writeFileSync(join(dir, `${v.id}.guide.json`), JSON.stringify(guide(v), null, 2));
    writeFileSync(join(dir, `${v.id}.md`), markdown(v));
    writeFileSync(join(dir, `${v.id}.csv`), `\ufeff${Papa.unparse(tableRows(v, 'csv'))}\r\n`);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('任务表');
    for (const row of tableRows(v, 'xlsx')) ws.addRow(row);
    await wb.xlsx.writeFile(join(dir, `${v.id}.xlsx`));
    writeFileSync(join(dir, `${v.id}.html`), portalPage(v));
    writeFileSync(join(dir, `${v.id}.txt`), plainText(v));
  }
}
