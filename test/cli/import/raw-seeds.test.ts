/**
 * The five seed documents exactly as they came (raw `.txt` scrapes, copied
 * untouched from /work/shared/seeds into test/cli/fixtures/seeds/) import
 * without hand editing: the site chrome is set aside, the title is the
 * article's, and what the chrome said (portal date, column) is kept.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile, type ImportResult, type RawItem } from '../../../src/cli/import/index.ts';
import { runCli } from '../in-process.ts';

const SEEDS = join(import.meta.dirname, '../fixtures/seeds');

async function seed(name: string): Promise<{ r: ImportResult; item: RawItem; body: string }> {
  const r = await importFile(name, new Uint8Array(readFileSync(join(SEEDS, name))));
  expect(r.items).toHaveLength(1);
  expect(r.problems.filter((p) => p.level === 'error')).toEqual([]);
  const item = r.items[0];
  return { r, item, body: String(item.body) };
}

const CHROME = /头部|>ico<|【字体|当前位置|文档之家|导语|不代表本站观点|浏览次数|门户网站\s+\d{4}/;

describe('raw seed scrapes import untouched', () => {
  it('000 (Dongguan portal): title joined, portal date line read, chrome gone', async () => {
    const { item, body, r } = await seed('000_fd63d16f74b4b8d7.txt');
    expect(item.title).toEqual({ 'zh-Hans': '关于印发2007年全市政务公开工作计划的通知' });
    expect(item.publishDate).toBe('2007-06-15');
    expect(item.writtenDate).toBe('2007-04-19');
    expect(item.issuer).toEqual(['东莞市人民政府办公室']);
    expect(item.docNoAsInSource).toBe('东府办函〔2007198');
    expect(body).not.toMatch(CHROME);
    expect(body.startsWith('<p>东府办函〔2007198</p>')).toBe(true);
    expect(r.problems).toContainEqual(
      expect.objectContaining({ level: 'warning', reason: expect.stringContaining('site chrome') }),
    );
  });

  it('001 (content farm): upload time and disclaimer dropped, tasks read', async () => {
    const { item, body } = await seed('001_6d8830ffd188a570.txt');
    expect(item.title).toEqual({ 'zh-Hans': '政务公开和政府信息公开工作方案' });
    // The farm's upload time is not the document's publication date.
    expect(item.publishDate).toBeUndefined();
    expect(body).not.toMatch(CHROME);
    expect(body.startsWith('<p>一、指导思想</p>')).toBe(true);
    expect(Array.isArray(item.tasks) && item.tasks.length).toBe(5);
  });

  it('002 (document site): breadcrumb and repeated title dropped', async () => {
    const { item, body } = await seed('002_a09e707be4ed25da.txt');
    expect(item.title).toEqual({ 'zh-Hans': '2017年全政务信息公开工作重点分工方案' });
    expect(body).not.toMatch(CHROME);
    // The scrape begins mid-table (the page's layout was lost): the body starts where it does.
    expect(body.startsWith('<p>12月底</p>')).toBe(true);
  });

  it('003 (annual report): the repeated title is not the first paragraph', async () => {
    const { item, body } = await seed('003_a18ed58293d95d60.txt');
    expect(item.title).toEqual({ 'zh-Hans': '湛江市经协办政务公开工作总结' });
    expect(body.startsWith('<p>湛江市政务公开工作领导小组办公室:</p>')).toBe(true);
  });

  it('004 (Traditional, pinyin-damaged): column from the breadcrumb, title after the column heading', async () => {
    const { item, body } = await seed('004_591fbf4d57f9a561.txt');
    expect(item.title).toEqual({
      'zh-Hans': '汕头市建设局进一步推进政务公开工作方案',
      'zh-Hant-HK': '汕頭市建設局進一步推進政務公開工作方案',
    });
    expect(item.source).toMatchObject({ column: '信息传达 > 文件通知' });
    expect(item.issuer).toEqual(['汕头市建设局']);
    expect(body).not.toMatch(CHROME);
    expect(body.startsWith('<p>我局作为全市政务公开试点单位')).toBe(true);
  });
});

describe('the raw seeds in a content folder with a _defaults file', () => {
  it('leave only what the sources never state (issuer, date of 001–003) for the admin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gongkai-seeds-'));
    try {
      cpSync(SEEDS, dir, { recursive: true });
      writeFileSync(
        join(dir, '_defaults.yaml'),
        'infoCategory: plans\ndisclosure:\n  mode: 主动公开\nprivacy:\n  containsPersonalInfo: false\n',
      );
      const r = await runCli(['content', 'check', dir, '--today', '2026-11-24', '--json']);
      const report = JSON.parse(r.out) as {
        items: { id: string; inferred?: string[]; infoCategory?: string }[];
        errors: { itemId: string; field: string }[];
      };
      expect(report.items).toHaveLength(5);
      expect(report.items.every((i) => i.infoCategory === 'plans')).toBe(true);
      expect(report.items[0].inferred).toContainEqual(expect.stringContaining('_defaults'));
      const bad = report.errors.map((e) => `${e.itemId.slice(0, 3)} ${e.field}`).sort();
      expect(bad).toEqual([
        '001 issuer',
        '001 publishDate',
        '002 issuer',
        '002 publishDate',
        '003 issuer',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
