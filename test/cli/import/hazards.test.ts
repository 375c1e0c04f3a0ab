/**
 * Each importer's hazards: a failing fixture gives a clear error naming the
 * file and the row, line or element; a passing one imports with warnings.
 */
import { describe, expect, it } from 'vitest';
import { importFile, SUPPORTED_EXTENSIONS } from '../../../src/cli/import/index.ts';
import type { TaskRow } from '../../../src/content/types.ts';
import { errors, importFixture, only } from './helpers.ts';

describe('CSV task tables', () => {
  it('keeps formula cells as text and reports each by row and cell', async () => {
    const r = await importFixture('formulas.csv');
    expect(errors(r)).toEqual([]);
    const item = only(r);
    expect(item.title).toEqual({ 'zh-Hans': '演示：含公式单元格的任务表' });
    expect(item.docNo).toBe('演府办函〔2024〕5号');
    expect(item.writtenDate).toBe('2024-03-01');
    const tasks = item.tasks as TaskRow[];
    // 责任单位 without a 牵头 column is the lead unit.
    expect(tasks[0]).toEqual({
      seq: 1,
      task: '公开年度报告',
      requirement: '=HYPERLINK("http://evil.example","点击查看")',
      lead: '办公室',
      deadline: '1月31日前',
    });
    expect(tasks[1]).toMatchObject({
      task: '+更新目录',
      requirement: '@SUM(A1:A9)',
      lead: '-',
      deadline: '=TODAY()',
    });
    const cells = r.problems
      .filter((p) => p.reason.includes('not evaluated'))
      .map((p) => p.element);
    expect(cells).toEqual(['C5', 'B6', 'C6', 'E6']);
    expect(r.problems[0]).toMatchObject({
      file: 'formulas.csv',
      row: 5,
      field: 'tasks.requirement',
      level: 'warning',
    });
  });

  it('joins blank continuation rows, inherits merged seq/task cells and skips a repeated header', async () => {
    const csv = [
      '演示任务表',
      '序号,工作任务,具体要求,牵头单位,完成时限',
      '1,推进决策公开,1.实行重大行政决策预公开，,办公室,全年',
      ',,建立公众列席会议制度。,,',
      ',,2.公开征求意见情况。,司法局,6月底',
      '',
      '序号,工作任务,具体要求,牵头单位,完成时限',
      '二,推进执行公开,公开落实情况。,督查室,12月底',
    ].join('\r\n');
    const r = await importFile('continuation.csv', new TextEncoder().encode(csv));
    expect(r.problems).toEqual([]);
    expect(only(r).tasks).toEqual([
      {
        seq: 1,
        task: '推进决策公开',
        requirement: '1.实行重大行政决策预公开，建立公众列席会议制度。',
        lead: '办公室',
        deadline: '全年',
      },
      {
        seq: 1,
        task: '推进决策公开',
        requirement: '2.公开征求意见情况。',
        lead: '司法局',
        deadline: '6月底',
      },
      {
        seq: 2,
        task: '推进执行公开',
        requirement: '公开落实情况。',
        lead: '督查室',
        deadline: '12月底',
      },
    ]);
  });

  it('fails a row with no task and nothing above to continue, naming the row', async () => {
    const r = await importFixture('orphan-row.csv');
    expect(errors(r)).toEqual([
      expect.objectContaining({
        file: 'orphan-row.csv',
        row: 3,
        reason: expect.stringContaining('row 3'),
      }),
      expect.objectContaining({
        file: 'orphan-row.csv',
        row: 5,
        reason: 'row 5: 工作任务 is empty',
      }),
    ]);
    expect((only(r).tasks as TaskRow[]).map((t) => t.task)).toEqual(['推进决策公开']);
  });

  it('fails a table without a recognised header', async () => {
    const r = await importFixture('no-header.csv');
    expect(errors(r).map((p) => p.reason)).toEqual([
      expect.stringContaining('no task table header found'),
      expect.stringContaining('no title'),
    ]);
  });

  it('fails an unterminated quote, naming the row', async () => {
    const r = await importFixture('unclosed-quote.csv');
    expect(errors(r)).toEqual([
      expect.objectContaining({
        file: 'unclosed-quote.csv',
        row: 3,
        reason: expect.stringContaining('MissingQuotes'),
      }),
    ]);
  });
});

describe('XLSX task tables', () => {
  it('reads formulas as formula text (not the cached result), merged cells from their master, one sheet', async () => {
    const r = await importFixture('hazards.xlsx');
    expect(errors(r)).toEqual([]);
    const item = only(r);
    expect(item.writtenDate).toBe('2024-03-01');
    expect(item.docNo).toBe('演示办〔2024〕3号');
    const tasks = item.tasks as TaskRow[];
    expect(tasks[1]).toEqual({
      seq: 1,
      task: '更新公开指南',
      requirement: '2.同步更新公开栏。',
      lead: '办公室',
      deadline: '4月底',
    });
    expect(tasks[2].deadline).toBe('=TEXT(DATE(2024,6,30),"m月底")');
    expect(tasks[2].deadline).not.toBe('6月底');
    expect(tasks[3].task).toBe('=HYPERLINK("http://evil.example","点击")');
    expect(r.problems).toContainEqual(
      expect.objectContaining({
        element: '任务表!E7',
        row: 7,
        field: 'tasks.deadline',
        level: 'warning',
      }),
    );
    expect(r.problems).toContainEqual(
      expect.objectContaining({ element: '任务表!B8', level: 'warning' }),
    );
    expect(r.problems).toContainEqual(
      expect.objectContaining({
        element: '附表',
        reason: expect.stringContaining('only "任务表" is read'),
      }),
    );
    expect(tasks.map((t) => t.task)).not.toContain('不应读取');
  });

  it('fails a workbook without a task header', async () => {
    const r = await importFixture('no-header.xlsx');
    expect(errors(r)[0]).toMatchObject({
      file: 'no-header.xlsx',
      reason: expect.stringContaining('no task table header'),
    });
  });

  it('fails bytes that are not a workbook, naming the file', async () => {
    const r = await importFile('broken.xlsx', new TextEncoder().encode('序号,工作任务\n1,x'));
    expect(r.items).toEqual([]);
    expect(errors(r)).toEqual([
      expect.objectContaining({
        file: 'broken.xlsx',
        reason: expect.stringContaining('not a readable XLSX workbook'),
      }),
    ]);
  });
});

describe('saved portal pages', () => {
  it('reads gov.cn layout: spaced labels in the metadata table, #UCAP-CONTENT, injected markup reported', async () => {
    const r = await importFixture('gov-cn-ucap.html');
    expect(errors(r)).toEqual([]);
    const item = only(r);
    expect(item).toMatchObject({
      title: { 'zh-Hans': '国务院办公厅关于印发政府网站发展指引的通知' },
      indexNo: '000014349/2017-00110',
      topic: { l1: '综合政务', l2: '政务公开' },
      issuer: ['国务院办公厅'],
      docNo: '国办发〔2017〕47号',
      writtenDate: '2017-05-15',
      publishDate: '2017-06-08',
      keywords: ['政府网站', '发展指引'],
      recipients: ['各省、自治区、直辖市人民政府', '国务院各部委、各直属机构'],
      source: {
        site: '中国政府网',
        siteIdCode: 'bm01000001',
        column: '国务院文件',
        url: 'http://www.gov.cn/zhengce/content/2017-06/08/content_5200760.htm',
      },
    });
    const body = item.body as string;
    for (const bad of [
      '<script',
      'casino',
      'spam.example',
      '代开发票',
      '<iframe',
      'onclick',
      '分享到',
      '纠错',
    ]) {
      expect(body).not.toContain(bad);
    }
    expect(body).toContain('政府网站是各级政府及其部门在互联网上发布政务信息');
    const removed = r.problems.map((p) => [p.element, p.reason]);
    expect(removed).toEqual([
      ['html > body > div#UCAP-CONTENT > script', '<script> removed from the article body'],
      [
        'html > body > div#UCAP-CONTENT > div',
        'hidden element removed (possible injected markup) from the article body',
      ],
      ['html > body > div#UCAP-CONTENT > iframe', '<iframe> removed from the article body'],
      [
        'html > body > div#UCAP-CONTENT > p:nth-of-type(4)',
        'attribute onclick removed from the article body',
      ],
    ]);
  });

  it('reads a list layout with full-width spaced labels, [] brackets and a Chinese-numeral date', async () => {
    const r = await importFixture('portal-list-layout.html');
    expect(r.problems).toEqual([]);
    const item = only(r);
    expect(item).toMatchObject({
      title: { 'zh-Hans': '演示市人民政府办公室关于做好2024年政务公开工作的通知' },
      indexNo: '123456789/2024-00012',
      issuer: ['演示市人民政府办公室'],
      writtenDate: '2024-03-01',
      publishDate: '2024-03-05',
      docNo: '演府办函〔2024〕12号',
      docNoAsInSource: '演府办函[2024]12号',
      validity: { status: '有效' },
      keywords: ['政务公开', '年度要点'],
      source: { siteIdCode: '1234000001', column: '通知公告' },
    });
    expect(item.tasks).toEqual([
      { seq: 1, task: '加强政策解读', lead: '市政府办公室', partners: '各部门', deadline: null },
      {
        seq: 2,
        task: '规范公开目录',
        lead: '市政务服务数据管理局',
        partners: '各区政府',
        deadline: null,
      },
    ]);
    const body = item.body as string;
    expect(body).not.toContain('机构职能');
    expect(body).not.toContain('打印本页');
  });

  it('fails a page with no article, naming the element searched', async () => {
    const r = await importFixture('no-article.html');
    expect(errors(r)).toEqual([
      expect.objectContaining({
        file: 'no-article.html',
        element: 'body',
        field: 'body',
        reason: expect.stringContaining('no article body found: none of #UCAP-CONTENT'),
      }),
    ]);
  });
});

describe('Markdown', () => {
  it('fails broken front matter with the line in the file', async () => {
    const r = await importFixture('bad-front-matter.md');
    expect(r.items).toEqual([]);
    expect(errors(r)).toEqual([
      expect.objectContaining({
        file: 'bad-front-matter.md',
        row: 6,
        reason: expect.stringMatching(/^front matter line 6: /),
      }),
    ]);
  });

  it('reads Chinese front-matter keys, 【】 brackets, a task table, and shows raw HTML as text', async () => {
    const r = await importFixture('markdown-hazards.md');
    expect(errors(r)).toEqual([]);
    const item = only(r);
    expect(item).toMatchObject({
      id: 'demo-markdown-hazards',
      issuer: ['演示市人民政府办公室'],
      docNo: '演府办〔2024〕7号',
      docNoAsInSource: '演府办【2024】7号',
      writtenDate: '2024-02-28',
      publishDate: '2024-03-01',
      infoCategory: 'plans',
      title: { 'zh-Hans': '演示市2024年政务公开工作任务分解方案' },
    });
    expect(item.tasks).toEqual([
      {
        seq: 1,
        task: '推进决策公开',
        requirement: '1.重大决策预公开。',
        lead: '市政府办公室',
        deadline: '全年',
      },
      {
        seq: 1,
        task: '推进决策公开',
        requirement: '2.公开决策草案征求意见情况。',
        lead: '市司法局',
        deadline: '6月底',
      },
      {
        seq: 2,
        task: '推进执行公开',
        requirement: '公开重点工作落实情况。',
        lead: '市督查室',
        deadline: '12月底',
      },
    ]);
    const body = item.body as string;
    expect(body).not.toMatch(/<script|<img|<[^>]*\sonerror=/);
    expect(body).toContain('&lt;script&gt;');
    expect(body).toContain('<strong>说明</strong>');
    expect(body).toContain('（201*年）');
    expect(body).toContain('<ul><li>各单位要明确专人负责；</li><li>每季度报送进展情况。</li></ul>');
    expect(body).toContain('<ol><li>');
    expect(body).toContain('<blockquote>');
    expect(r.problems).toEqual([
      expect.objectContaining({ level: 'warning', row: 15, field: 'body' }),
    ]);
  });
});

describe('plain text', () => {
  it('fails a numbering mojibake whose numeral cannot be identified, naming the line', async () => {
    const r = await importFixture('unrepairable.txt');
    expect(errors(r)).toEqual([
      expect.objectContaining({
        file: 'unrepairable.txt',
        row: 4,
        reason: expect.stringContaining('line 4'),
      }),
    ]);
    const item = only(r);
    expect(item.writtenDate).toBe('2024-06-01');
    expect(item.tasks).toEqual([{ seq: 1, task: '动员学习', deadline: '6月20日前' }]);
  });

  it('decodes GB18030 text and reads 〇 dates', async () => {
    const r = await importFixture('gbk-notice.txt');
    expect(errors(r)).toEqual([]);
    expect(r.problems).toEqual([
      // No publication date in a saved text: the 成文日期 stands in, for the admin to confirm.
      expect.objectContaining({ field: 'publishDate', level: 'warning' }),
      expect.objectContaining({ reason: 'not UTF-8: decoded as GB18030', level: 'warning' }),
    ]);
    const item = only(r);
    expect(item).toMatchObject({
      title: { 'zh-Hans': '演示区政务公开工作安排' },
      issuer: ['演示区人民政府办公室'],
      writtenDate: '2024-02-02',
      publishDate: '2024-02-02',
      recipients: ['各街道办事处'],
    });
    expect(item.sourceText).toBeUndefined();
  });
});

describe('importFile', () => {
  it('refuses an unsupported extension with an error naming the file', async () => {
    const r = await importFile('notice.docx', new Uint8Array([80, 75, 3, 4]));
    expect(r).toEqual({
      items: [],
      problems: [
        {
          file: 'notice.docx',
          level: 'error',
          reason: expect.stringContaining('unsupported file type ".docx"'),
        },
      ],
    });
    expect(SUPPORTED_EXTENSIONS).toEqual(
      expect.arrayContaining(['.md', '.csv', '.xlsx', '.html', '.txt']),
    );
  });
});
