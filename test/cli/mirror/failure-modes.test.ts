// Every way a crawl goes bad (gkmlpt.md "What a mirror must respect"): each
// test first mirrors a good portal, then edits items (so a bad run would have
// something to publish), injects one failure and asserts that the run is
// refused with exit code 1 and that the content folder is byte-for-byte what
// the last good run left. A mirror that published from the bad crawl fails here.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startPortal, type Portal } from './fixture-portal.ts';
import { contentDir, mirror, readItem, ROOT, snapshot } from './helpers.ts';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

let portal: Portal;
let dir: string;
let good: Record<string, string>;
const state = (): string => readFileSync(join(dir, '_mirror', 'state.json'), 'utf8');

beforeEach(async () => {
  portal = await startPortal({ items: 90, paging: 'paged', pageSize: 25, prefix: '/yjzjj' });
  dir = contentDir({ idPrefix: 't' });
  const first = await mirror('gkmlpt', portal.siteUrl, '--out', dir);
  expect(first.code).toBe(0);
  good = snapshot(dir);
  for (let id = 1000; id < 1020; id++) portal.edit(id);
});
afterEach(() => portal.close());

/** Runs the mirror and asserts it refused and changed nothing; returns the report. */
async function refused(pattern: RegExp, ...extra: string[]) {
  const before = state();
  const r = await mirror('gkmlpt', portal.siteUrl, '--out', dir, ...extra);
  expect(r.code).toBe(1);
  expect(r.report?.ok).toBe(false);
  expect(r.report?.error).toMatch(pattern);
  expect(r.err).toMatch(/REFUSED/);
  expect(snapshot(dir)).toEqual(good);
  expect(state()).toBe(before);
  return r.report!;
}

describe('a bad crawl is refused and the last good content stays', () => {
  it('the index page is an HTML error page with status 200', async () => {
    portal.faults.indexError = true;
    await refused(/no window\._CONFIG with a SID/);
  });

  it('a list page is an HTML error page with status 200', async () => {
    portal.faults.listErrorPage = new Set(['702']);
    await refused(/an HTML page where JSON was expected/);
  });

  it('a list page is truncated JSON', async () => {
    portal.faults.listTruncated = new Set(['703']);
    await refused(/truncated or invalid JSON/);
  });

  it('a category suddenly lists far fewer items than last time (threshold configurable)', async () => {
    portal.faults.listOnly = new Map([['701', 10]]);
    await refused(/category 701 规划计划: lists 10 items, last run 30/);
    // A lower threshold accepts it as real withdrawals.
    const r = await mirror('gkmlpt', portal.siteUrl, '--out', dir, '--min-listed-share', '0.2');
    expect(r.code).toBe(0);
    expect(r.report!.removed).toHaveLength(20);
  });

  it('a category disappears from the catalogue tree', async () => {
    portal.faults.treeWithout = new Set(['702']);
    await refused(/category 702 财政预决算 \(30 items last run\) is gone from the catalogue/);
    // An admin who knows the portal dropped it says so once.
    const r = await mirror('gkmlpt', portal.siteUrl, '--out', dir, '--min-listed-share', '0');
    expect(r.code).toBe(0);
    expect(r.report!.removed).toHaveLength(30);
    expect((await mirror('gkmlpt', portal.siteUrl, '--out', dir)).code).toBe(0);
  });

  it('most of the site is withdrawn at once', async () => {
    for (let id = 1020; id < 1080; id++) portal.withdraw(id);
    await refused(/lists \d+ items, last run \d+ \(below 50 %/);
  });

  it('too many details fail; the next run resumes from what was fetched', async () => {
    portal.faults.detailErrorPage = new Set([1000, 1001, 1002, 1003, 1004]);
    const r = await refused(/5 of 20 details failed \(limit 3\)/);
    expect(r.failed[0].reason).toMatch(/no window\._CONFIG\.DETAIL .*error page/);
    portal.faults.detailErrorPage = undefined;
    const before = portal.stats.detail;
    const again = await mirror('gkmlpt', portal.siteUrl, '--out', dir);
    expect(again.code).toBe(0);
    expect(again.report!.changed).toHaveLength(20);
    expect(again.report!.resumed).toBe(15);
    expect(portal.stats.detail - before).toBe(5);
  });

  it('responses are too slow (timeout)', async () => {
    portal.faults.slowMs = 300;
    await refused(/no response within 100 ms/, '--timeout', '100');
  });
});

describe('a few failed items do not stop the run, and keep their last good version', () => {
  it('a truncated detail page and an attachment served as an error page', async () => {
    portal.faults.detailTruncated = new Set([1001]);
    portal.faults.attachmentErrorPage = new Set([1010]);
    const r = await mirror('gkmlpt', portal.siteUrl, '--out', dir);
    expect(r.code).toBe(3);
    const failed = Object.fromEntries(r.report!.failed.map((f) => [f.id, f.reason]));
    expect(failed['t-1001']).toMatch(/DETAIL unreadable/);
    expect(failed['t-1010']).toMatch(/not a \.pdf file \(an HTML page/);
    expect(r.report!.changed).toHaveLength(18);
    expect(readItem(dir, 't-1001').title).toEqual({ 'zh-Hans': '测试市关于第1项工作的公告' });
    expect(readItem(dir, 't-1002').title).toEqual({
      'zh-Hans': '测试市关于第2项工作的方案（第1次修订）',
    });
    expect(snapshot(dir)['gkmlpt/t-1010.json']).toBe(good['gkmlpt/t-1010.json']);
    // Retried on the next run.
    portal.faults.detailTruncated = undefined;
    portal.faults.attachmentErrorPage = undefined;
    const again = await mirror('gkmlpt', portal.siteUrl, '--out', dir);
    expect(again.code).toBe(0);
    expect(again.report!.changed.map((x) => x.id).sort()).toEqual(['t-1001', 't-1010']);
  });
});

describe('a crash mid-run', () => {
  it('leaves only complete files, and the next run resumes without fetching again', async () => {
    const fresh = contentDir({ idPrefix: 't' });
    portal.faults.slowMs = 10;
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'src/cli/bin.js'),
        'mirror',
        'gkmlpt',
        portal.siteUrl,
        '--out',
        fresh,
        '--delay',
        '0',
        '--today',
        '2026-10-01',
      ],
      { cwd: ROOT, stdio: 'ignore' },
    );
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // Killed hard (as a power cut would) once some details are fetched.
    await vi.waitFor(
      () => {
        if (portal.stats.detail - 90 < 30) throw new Error('not yet');
      },
      { timeout: 60_000, interval: 5 },
    );
    child.kill('SIGKILL');
    await exited;
    // Nothing was published by the interrupted run: the content folder is still empty.
    expect(snapshot(fresh)).toEqual({});
    portal.faults.slowMs = 0;
    // A temp file as a kill during the commit would leave it (dot-named: never read as content).
    mkdirSync(join(fresh, 'gkmlpt'));
    writeFileSync(join(fresh, 'gkmlpt', '.t-1000.json.tmp-999-0'), '{"kind": "no');
    const before = portal.stats.detail;
    const r = await mirror('gkmlpt', portal.siteUrl, '--out', fresh);
    expect(r.code).toBe(0);
    expect(r.report!.new).toHaveLength(90);
    expect(r.report!.resumed).toBeGreaterThanOrEqual(25);
    expect(portal.stats.detail - before).toBe(90 - r.report!.resumed);
    expect(existsSync(join(fresh, 'gkmlpt', '.t-1000.json.tmp-999-0'))).toBe(false);
    for (const [file] of Object.entries(snapshot(fresh)))
      if (file.endsWith('.json'))
        expect(() => JSON.parse(readFileSync(join(fresh, file), 'utf8'))).not.toThrow();
  });
});
