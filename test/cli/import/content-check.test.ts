/**
 * `gongkai content check --json` on a folder mixing every import format with
 * a JSON item prints the normalised items (the loader in src/cli/content-dir.ts
 * calls importFile for the non-JSON files).
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gongkai-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface CheckOutput {
  items: { id: string; title: { 'zh-Hans': string }; tasks?: unknown[]; docNo?: string | null }[];
  errors: { file: string }[];
  warnings: { file: string; reason: string }[];
}

describe('gongkai content check on a mixed folder', () => {
  it('normalises the items of every format', async () => {
    const demo = join(root, 'src/content/demo/import');
    for (const f of readdirSync(demo)) copyFileSync(join(demo, f), join(dir, f));
    copyFileSync(join(root, 'test/cli/import/fixtures/formulas.csv'), join(dir, 'formulas.csv'));
    const json = {
      kind: 'notice',
      id: 'json-item',
      docType: '通知',
      title: { 'zh-Hans': '演示：JSON 条目' },
      issuer: ['演示市人民政府办公室'],
      infoCategory: 'other',
      publishDate: '2024-03-01',
      disclosure: { mode: '主动公开' },
      privacy: { containsPersonalInfo: false },
    };
    writeFileSync(join(dir, 'json-item.json'), JSON.stringify(json));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(root, 'src/cli/bin.js'), 'content', 'check', dir, '--json', '--today', '2024-07-01'],
      { cwd: root },
    ).catch((e: { stdout: string }) => ({ stdout: e.stdout }));
    const out = JSON.parse(stdout) as CheckOutput;
    const ids = out.items.map((i) => i.id).sort();
    expect(ids).toEqual([
      'demo-import-markdown',
      'demo-import-portal-page',
      'demo-import-task-table',
      'demo-import-task-table-csv',
      'demo-import-traditional',
      'formulas',
      'json-item',
    ]);
    // The demo files are valid; the formulas fixture lacks the fields nobody can infer.
    expect(out.errors.filter((e) => !e.file.endsWith('formulas.csv'))).toEqual([]);
    expect(out.errors.length).toBeGreaterThan(0);
    expect(out.warnings).toContainEqual(
      expect.objectContaining({ reason: expect.stringContaining('not evaluated') }),
    );
    const table = out.items.find((i) => i.id === 'demo-import-task-table');
    expect(table?.docNo).toBe('演府办〔2024〕9号');
    expect(table?.tasks).toHaveLength(4);
  }, 60_000);
});
