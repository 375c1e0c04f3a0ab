// `gongkai mirror site`: a CMS column's list pages to its articles, each
// through the saved-page importer; incremental, and refused on an error page.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { articleLinks, listPageUrl } from '../../../src/cli/mirror/site.ts';
import { startColumn, type Column } from './fixture-column.ts';
import { contentDir, mirror, snapshot } from './helpers.ts';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

describe('list pages', () => {
  it('index.html, index_1.html … in the column folder', () => {
    expect(listPageUrl('https://x.gov.cn/zwgk/tzgg/', 0)).toBe(
      'https://x.gov.cn/zwgk/tzgg/index.html',
    );
    expect(listPageUrl('https://x.gov.cn/zwgk/tzgg/index.shtml', 2)).toBe(
      'https://x.gov.cn/zwgk/tzgg/index_2.shtml',
    );
  });

  it('article links are same-site, under the column, not list pages or navigation', () => {
    const html = `<a href="./202605/t20260501_1.html">一</a><a href="index_1.html">下一页</a>
      <a href="/">首页</a><a href="../index.html">上级</a><a href="https://other.example/zwgk/tzgg/x.html">外站</a>
      <a href="./202605/t20260501_1.html#top">重复</a>`;
    expect(articleLinks(html, 'https://x.gov.cn/zwgk/tzgg/index.html').map((l) => l.url)).toEqual([
      'https://x.gov.cn/zwgk/tzgg/202605/t20260501_1.html',
    ]);
  });
});

describe('mirror site against a loopback column', () => {
  let column: Column;
  let dir: string;
  beforeAll(async () => {
    column = await startColumn(25);
    dir = contentDir({ idPrefix: 'c', categoryMap: { 通知公告: 'other' } });
  });
  afterAll(() => column.close());

  it('follows the list pages to every article and imports each like a saved page', async () => {
    const r = await mirror('site', column.url, '--out', dir);
    expect(r.code, r.err).toBe(0);
    expect(r.report!.new).toHaveLength(25);
    expect(column.stats.list).toBe(4); // index, index_1, index_2, then a 404
    const item = JSON.parse(
      readFileSync(join(dir, 'site', 'c-t20260506_5.json'), 'utf8'),
    ) as Record<string, unknown>;
    expect(item.title).toEqual({ 'zh-Hans': '关于第5批事项的通知' });
    expect(item.publishDate).toBe('2026-05-06');
    expect(item.issuer).toEqual(['测试县人民政府办公室']);
    expect(item.docNo).toBe('测府〔2026〕5号');
    expect(item.source).toMatchObject({
      url: column.url.replace('index.html', '202605/t20260506_5.html'),
      siteIdCode: '4400000001',
    });
    expect(item.infoCategory).toBe('other'); // ColumnName 通知公告 via the config's categoryMap
    expect(String(item.body)).not.toMatch(/script|track/);
  });

  it('re-runs without fetching unchanged articles, and removes withdrawn ones', async () => {
    const before = column.stats.article;
    column.withdraw(7);
    const r = await mirror('site', column.url, '--out', dir);
    expect(r.code).toBe(0);
    expect(column.stats.article - before).toBe(0);
    expect(r.report!.removed.map((x) => x.id)).toEqual(['c-t20260508_7']);
    expect(existsSync(join(dir, 'site', 'c-t20260508_7.json'))).toBe(false);
  });

  it('refuses a column whose list page is an error page with status 200', async () => {
    const good = snapshot(dir);
    column.faults.listErrorPage = true;
    const r = await mirror('site', column.url, '--out', dir);
    expect(r.code).toBe(1);
    expect(r.report!.error).toMatch(/no article links/);
    expect(snapshot(dir)).toEqual(good);
  });
});
