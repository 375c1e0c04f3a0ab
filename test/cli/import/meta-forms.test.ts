/**
 * 文号 and 索引号 in the forms the issue found missed: a Traditional 文号
 * and a 索引号 built on the 18-character unified social credit code.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../in-process.ts';
import { importFile } from '../../../src/cli/import/index.ts';
import { readDocNo } from '../../../src/cli/import/repair.ts';
import { INDEX_NO } from '../../../src/cli/import/text.ts';
import { ProblemLog } from '../../../src/cli/import/types.ts';

describe('文号 and 索引号 forms', () => {
  it('reads a Traditional 文号, keeping the original as in source', () => {
    const log = new ProblemLog('x.html');
    expect(readDocNo('東府辦函〔2007〕198號', log)).toEqual({
      docNo: '东府办函〔2007〕198号',
      docNoAsInSource: '東府辦函〔2007〕198號',
    });
    expect(log.problems).toEqual([]);
  });

  it('knows the organisation-code and credit-code forms of 索引号', () => {
    for (const ok of [
      '11990100MB0D56786X/2024-00413',
      '00319234-2/2024-00413',
      '006939748/2024-00413',
    ])
      expect(INDEX_NO.test(ok), ok).toBe(true);
    for (const bad of ['2024-00413', '11990100MB0D56786X', 'abc/def'])
      expect(INDEX_NO.test(bad), bad).toBe(false);
  });

  it('a saved text with 索引号 and 發文字號 lines before the title', async () => {
    const text = [
      '索引号：11990100MB0D56786X/2024-00413',
      '發文字號：東府辦函〔2024〕12號',
      '关于做好2024年政务公开工作的通知',
      '各镇街：',
      '现将有关事项通知如下。',
      '某市人民政府办公室',
      '2024年3月1日',
    ].join('\n');
    const r = await importFile('idx.txt', new TextEncoder().encode(text));
    expect(r.problems.filter((p) => p.level === 'error')).toEqual([]);
    expect(r.items[0]).toMatchObject({
      indexNo: '11990100MB0D56786X/2024-00413',
      docNo: '东府办函〔2024〕12号',
      title: { 'zh-Hans': '关于做好2024年政务公开工作的通知' },
    });
    expect(String(r.items[0].body)).not.toContain('索引号');
  });
});

describe('cells written on two lines', () => {
  it('keep the separator between two bodies, and join a wrapped task', async () => {
    const csv =
      '序号,工作任务,牵头单位,完成时限\n1,"加强政务公开\n平台建设","市住建局\n市发改局",12月底\n';
    const r = await importFile('two-lines.csv', new TextEncoder().encode(csv));
    const item = r.items[0] as { tasks: { task: string; lead: string }[] };
    expect(item.tasks[0]).toMatchObject({
      task: '加强政务公开平台建设',
      lead: '市住建局、市发改局',
    });
  });
});

describe('the same table as CSV and XLSX', () => {
  it('is warned about on the second file, naming the first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gongkai-dup-'));
    try {
      for (const f of ['dg-2017-zwgk-task-table.csv', 'dg-2017-zwgk-task-table.xlsx'])
        copyFileSync(join(import.meta.dirname, 'fixtures', f), join(dir, f));
      const r = await runCli(['content', 'check', dir, '--today', '2026-11-24', '--json']);
      const report = JSON.parse(r.out) as { warnings: { file: string; reason: string }[] };
      expect(report.warnings).toContainEqual(
        expect.objectContaining({
          file: join(dir, 'dg-2017-zwgk-task-table.xlsx'),
          reason: expect.stringContaining(
            `the same document as in ${join(dir, 'dg-2017-zwgk-task-table.csv')}`,
          ),
        }),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('CSV rows after a cell with line breaks', () => {
  it('name the record (as a spreadsheet shows it) and the line of the file', async () => {
    const csv = '序号,工作任务,牵头单位\n1,"多行\n任务\n名称",办公室\n2,,财务科\n';
    const r = await importFile('lines.csv', new TextEncoder().encode(csv));
    expect(r.problems).toContainEqual(
      expect.objectContaining({
        row: 3,
        reason: expect.stringMatching(/^row 3 \(line 5 of the file\): 工作任务 is empty/),
      }),
    );
  });
});
