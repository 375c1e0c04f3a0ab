import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { searchCommand } from '../../src/cli/commands/search.ts';
import { objectPath, sha256Hex, type FileRef, type Manifest } from '../../src/content/bundle.ts';
import type { Notice } from '../../src/content/types.ts';
import { deriveSearchData } from '../../src/search/derive.ts';

const demoDir = fileURLToPath(new URL('../../src/content/demo/', import.meta.url));

function capture(): { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  return { out, err };
}
afterEach(() => vi.restoreAllMocks());

function notice(id: string, title: string, status: '有效' | '失效' = '有效'): Notice {
  return {
    kind: 'notice',
    id,
    docType: '通知',
    title: { 'zh-Hans': title },
    issuer: ['某市民政局'],
    infoCategory: 'public-services',
    publishDate: '2024-05-01',
    disclosure: { mode: '主动公开' },
    validity: { status },
  };
}

/** Writes a small bundle in the format of src/content/bundle.ts (unsigned: search does not verify). */
async function writeBundle(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'gk-search-'));
  const put = async (value: unknown): Promise<FileRef> => {
    const bytes = new TextEncoder().encode(JSON.stringify(value));
    const sha256 = await sha256Hex(bytes);
    const path = objectPath(sha256);
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), bytes);
    return { path, sha256, size: bytes.length };
  };
  const items = [
    notice('a', '婚姻登记办事指南'),
    notice('b', '婚姻登记收费标准(旧)', '失效'),
    notice('c', '不动产登记须知'),
  ];
  const refs = [];
  for (const item of items)
    refs.push({ ...(await put({ item, derived: deriveSearchData(item) })), id: item.id });
  const shard = await put({ bucket: 0, items: refs });
  const synonyms = await put({ 结婚: ['婚姻登记'] });
  const manifest: Manifest = {
    format: 1,
    bundleId: 'test',
    version: 1,
    generatedAt: '2026-11-01T00:00:00Z',
    expiresAt: '2027-11-01T00:00:00Z',
    keyId: 'k',
    itemCount: items.length,
    totalBytes: 0,
    indexes: [shard],
    files: [{ ...synonyms, role: 'synonyms' }],
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

describe('gongkai search', () => {
  it('searches a bundle directory, with its synonyms file, and prints JSON', async () => {
    const dir = await writeBundle();
    const io = capture();
    expect(await searchCommand([dir, '结婚', '--json'])).toBe(0);
    const rows = JSON.parse(io.out.join('\n')) as {
      id: string;
      title: string;
      score: number;
      valid: boolean;
    }[];
    // The full phrase (through the synonym) first, valid before expired; the partial match (登记 only) last.
    expect(rows.map((r) => [r.id, r.valid])).toEqual([
      ['a', true],
      ['b', false],
      ['c', true],
    ]);
    expect(rows[0].title).toBe('婚姻登记办事指南');
    expect(rows[0].score).toBeGreaterThan(rows[1].score);
  });

  it('searches a directory of item files and prints a ranked table', async () => {
    const io = capture();
    expect(await searchCommand([demoDir, 'zwgk', '--limit', '3'])).toBe(0);
    expect(io.out).toHaveLength(3);
    expect(io.out[0]).toMatch(/^ {2}1 .* 有效 .*政务公开/);
  });

  it('reads a single JSON file with a list of items', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gk-search-'));
    const file = join(dir, 'items.json');
    writeFileSync(file, JSON.stringify([notice('x', '關於社會保障卡申領的通知')]));
    const io = capture();
    expect(await searchCommand([file, '社保卡', '--json'])).toBe(0);
    expect(JSON.parse(io.out.join('\n'))).toMatchObject([{ id: 'x', valid: true }]);
  });

  it('exits 2 on usage errors, 3 on a missing path and 1 on bad input naming the file and field', async () => {
    const io = capture();
    expect(await searchCommand([demoDir])).toBe(2);
    expect(await searchCommand([demoDir, 'x', '--limit', 'many'])).toBe(2);
    expect(await searchCommand([demoDir, 'x', '--fast'])).toBe(2);
    // docs/cli.md: a path that cannot be read is exit 3.
    expect(await searchCommand(['/nonexistent/bundle', 'x'])).toBe(3);
    const dir = mkdtempSync(join(tmpdir(), 'gk-search-'));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ kind: 'notice', id: 'bad', title: {} }));
    expect(await searchCommand([dir, 'x'])).toBe(1);
    expect(io.err.join('\n')).toMatch(/bad\.json: item bad: title\.zh-Hans is missing/);
    expect(io.err.join('\n')).toMatch(/usage: gongkai search/);
  });
});
