// `gongkai mirror gkmlpt` against the loopback fixture portal: discovery,
// both paging modes, the field mapping, incremental re-runs (new, changed,
// withdrawn), the review gate (held items) and the configuration.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LEAVES, PDF_BYTES, startPortal, type Portal } from './fixture-portal.ts';
import { contentDir, mirror, readItem } from './helpers.ts';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

describe('mirror gkmlpt: a paged portal under a department prefix', () => {
  let portal: Portal;
  let dir: string;
  let first: Awaited<ReturnType<typeof mirror>>;
  beforeAll(async () => {
    portal = await startPortal({
      items: 200,
      paging: 'paged',
      pageSize: 20,
      prefix: '/yjzjj',
      flawed: true,
    });
    dir = contentDir({ idPrefix: 't' });
    first = await mirror('gkmlpt', portal.siteUrl, '--out', dir);
  });
  afterAll(() => portal.close());

  it('lists every category (the jump_url node skipped) and writes one file per valid item', () => {
    const r = first.report!;
    expect(r.ok).toBe(true);
    expect(r.listed).toBe(202);
    expect(r.new).toHaveLength(200);
    expect(readdirSync(join(dir, 'gkmlpt')).filter((f) => f.endsWith('.json'))).toHaveLength(200);
    expect(
      Object.keys(
        JSON.parse(readFileSync(join(dir, '_mirror/state.json'), 'utf8')).categories,
      ).sort(),
    ).toEqual(LEAVES.map((l) => l.id));
  });

  it('holds items failing the content check for review, with the reason, and exits 3', () => {
    expect(first.code).toBe(3);
    const held = first.report!.held;
    expect(held.map((h) => h.id).sort()).toEqual(['t-1200', 't-1201']);
    expect(held.every((h) => h.problems.some((p) => p.startsWith('issuer')))).toBe(true);
    expect(held.find((h) => h.id === 't-1201')!.problems.join(' ')).toMatch(
      /mobile number 138\*\*\*\*5678/,
    );
    expect(existsSync(join(dir, 'gkmlpt', 't-1200.json'))).toBe(false);
    expect(existsSync(join(dir, '_mirror', 'held', 't-1200.json'))).toBe(true);
  });

  it('maps the documented fields: 索引号, 文号, dates (Unix seconds or strings), issuer, category, validity, source URL', () => {
    const a = readItem(dir, 't-1000');
    expect(a.indexNo).toBe('11440000MB2C00000X/2026-00000');
    expect(a.docNo).toBe('测府办〔2026〕0号');
    expect(a.writtenDate).toBe('2026-03-01'); // from Unix seconds, in Asia/Shanghai
    expect(a.publishDate).toBe('2026-03-01'); // from created_at
    expect(a.issuer).toEqual(['测试市人民政府办公室']);
    expect(a.infoCategory).toBe('budget'); // 财政预决算 via the built-in table
    expect(a.topic).toEqual({ l1: '城乡建设' });
    expect(a.docType).toBe('通知');
    expect(a.validity).toEqual({ status: '有效' }); // EXT_sx
    expect((a.source as { url: string }).url).toBe(
      `${portal.siteUrl}gkmlpt/content/6/1000/post_1000.html`,
    );
    const b = readItem(dir, 't-1001');
    expect(b.writtenDate).toBe('2026-03-02'); // a date string
    expect(b.publishDate).toBe('2026-03-02'); // display_publish_time, Unix seconds
    expect(readItem(dir, 't-1003').source).toMatchObject({
      url: `${portal.siteUrl}gkmlpt/content/2/1003/post_1003.html`,
    }); // relative post_url
    expect(readItem(dir, 't-1005').validity).toMatchObject({
      status: '失效',
      validUntil: '2026-04-05',
    });
    expect(readItem(dir, 't-1007').validity).toEqual({ status: '废止' });
  });

  it('sanitises the escaped DETAIL content and keeps PDF attachments by hash', () => {
    const a = readItem(dir, 't-1011');
    expect(a.body).toContain('<p>第11项工作的正文。</p>');
    expect(String(a.body)).not.toMatch(/script|onclick|style=/);
    expect(first.report!.notes.find((n) => n.id === 't-1011')!.notes.join(' ')).toMatch(
      /<script> removed/,
    );
    const att = readItem(dir, 't-1010').attachments as {
      sha256: string;
      mime: string;
      name: string;
    }[];
    expect(att).toHaveLength(1);
    expect(att[0]).toMatchObject({ name: '附件10.pdf', mime: 'application/pdf' });
    expect(readFileSync(join(dir, 'attachments', `${att[0].sha256}.pdf`))).toEqual(
      Buffer.from(PDF_BYTES),
    );
  });

  it('names itself in the User-Agent', () => {
    expect([...portal.userAgents]).toEqual([
      expect.stringMatching(/^gongkai-mirror\/\d+\.\d+\.\d+ \(\+https?:\/\/\S+\)$/),
    ]);
  });

  it('re-runs incrementally: only new and changed details are fetched, withdrawn items are removed', async () => {
    const before = { ...portal.stats };
    const again = await mirror('gkmlpt', portal.siteUrl, '--out', dir);
    // Unchanged items (the view counter changed on every request) cost no detail request;
    // only the two held items are fetched again.
    expect(again.report!.unchanged).toBe(200);
    expect(portal.stats.detail - before.detail).toBe(2);

    portal.edit(1020);
    portal.edit(1021);
    portal.withdraw(1030);
    const added = portal.add();
    const mid = { ...portal.stats };
    const third = await mirror('gkmlpt', portal.siteUrl, '--out', dir);
    const r = third.report!;
    expect(r.changed.map((x) => x.id).sort()).toEqual(['t-1020', 't-1021']);
    expect(r.new.map((x) => x.id)).toEqual([`t-${added}`]);
    expect(r.removed.map((x) => x.id)).toEqual(['t-1030']);
    expect(existsSync(join(dir, 'gkmlpt', 't-1030.json'))).toBe(false);
    expect(readItem(dir, 't-1020').title).toEqual({
      'zh-Hans': '测试市关于第20项工作的通知（第1次修订）',
    });
    expect(portal.stats.detail - mid.detail).toBe(5); // 2 changed + 1 new + 2 held
    expect(third.err).toMatch(/removed t-1030/);
  });

  it('a withdrawn item takes its attachment with it', async () => {
    const sha = (readItem(dir, 't-1040').attachments as { sha256: string }[])[0].sha256;
    portal.withdraw(1040);
    const r = (await mirror('gkmlpt', portal.siteUrl, '--out', dir)).report!;
    expect(r.removed.map((x) => x.id)).toEqual(['t-1040']);
    // Every fixture PDF has the same bytes: the shared file stays while others use it.
    expect(existsSync(join(dir, 'attachments', `${sha}.pdf`))).toBe(true);
  });

  it('releases a held item once the admin corrects it in the config items table', async () => {
    const cfgFile = join(dir, '_mirror', 'config.json');
    const cfg = JSON.parse(readFileSync(cfgFile, 'utf8')) as Record<string, unknown>;
    cfg.items = { 't-1200': { issuer: ['测试市人民政府办公室'] } };
    cfg.categoryMap = { 通知公告: 'other' };
    writeFileSync(cfgFile, JSON.stringify(cfg));
    portal.edit(1002); // category 701 规划计划 (id % 3 = 0)
    portal.edit(1001); // category 703 通知公告, mapped by the admin's table
    const r = (await mirror('gkmlpt', portal.siteUrl, '--out', dir)).report!;
    expect(r.new.map((x) => x.id)).toEqual(['t-1200']);
    expect(r.held.map((x) => x.id)).toEqual(['t-1201']);
    expect(readItem(dir, 't-1200').issuer).toEqual(['测试市人民政府办公室']);
    expect(readItem(dir, 't-1001').infoCategory).toBe('other'); // the admin's table wins
    expect(readItem(dir, 't-1002').infoCategory).toBe('plans');
  });

  it('--review prints what an admin reads before signing', async () => {
    portal.edit(1050);
    const r = await mirror('gkmlpt', portal.siteUrl, '--out', dir, '--review');
    expect(r.out).toMatch(/# Mirror review/);
    expect(r.out).toMatch(/## Held for review[^\n]*\(1\)\n- t-1201 .*\n\s+issuer: is required/);
    expect(r.out).toMatch(/## Changed \(1\)\n- t-1050 /);
  });
});

describe('mirror gkmlpt: a portal returning everything on one page', () => {
  it('reads page 1, stops at the repeat or the 404 of page 2, and honours --categories and --since', async () => {
    const portal = await startPortal({ items: 60, paging: 'single' });
    try {
      const dir = contentDir({ idPrefix: 's' });
      const r = await mirror('gkmlpt', portal.siteUrl, '--out', dir);
      expect(r.code).toBe(0);
      expect(r.report!.new).toHaveLength(60);
      expect(portal.stats.list).toBe(3); // the count is reached on page 1
      const sub = contentDir({ idPrefix: 's' });
      const some = await mirror(
        'gkmlpt',
        portal.siteUrl,
        '--out',
        sub,
        '--categories',
        `规划计划,${LEAVES[1].id}`,
        '--since',
        '2026-03-31',
      );
      const ids = some.report!.new.map((x) => Number(x.id.slice(2)));
      expect(ids.length).toBeGreaterThan(0);
      expect(ids.every((id) => id % 3 !== 2 && id - 1000 >= 30)).toBe(true);
      const none = await mirror('gkmlpt', portal.siteUrl, '--out', sub, '--categories', '不存在');
      expect(none.code).toBe(1);
      expect(none.report!.error).toMatch(/no category "不存在"/);
    } finally {
      await portal.close();
    }
  });
});
