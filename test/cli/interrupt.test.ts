/**
 * Atomic output: Ctrl-C (SIGINT) during `bundle build` exits 130 and leaves
 * neither temporaries nor a manifest; a re-run after a crash removes the
 * temporaries a dead process left. One real process (signals cannot be sent
 * to the test worker itself).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { cleanStaleTemps, commitRun, writeAtomic } from '../../src/cli/output.ts';

vi.setConfig({ testTimeout: 120_000 });

const ROOT = join(import.meta.dirname, '../..');
const tmp = mkdtempSync(join(tmpdir(), 'gongkai-int-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const temps = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.tmp-\d+$/.test(f))
    : [];

/** 600 small notices in one file: enough for plain progress lines. */
function content(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const items = Array.from({ length: 600 }, (_, i) => ({
    kind: 'notice',
    id: `n-${i}`,
    docType: '通知',
    title: { 'zh-Hans': `关于第${i}项工作的通知` },
    issuer: ['某市人民政府办公室'],
    infoCategory: 'other',
    publishDate: '2026-11-10',
    disclosure: { mode: '主动公开' },
    privacy: { containsPersonalInfo: false },
    body: `<p>第${i}项。</p>`,
  }));
  writeFileSync(join(dir, 'items.json'), JSON.stringify(items));
  return dir;
}

describe('interrupted and crashed runs', () => {
  it('SIGINT during bundle build exits 130 and leaves no temporaries and no manifest', async () => {
    const dir = content(join(tmp, 'content'));
    const out = join(tmp, 'out');
    // A temporary of a process that no longer runs (pid far above any live one).
    mkdirSync(join(out, 'objects', 'ab'), { recursive: true });
    writeFileSync(join(out, 'objects', 'ab', 'x.json.tmp-4194000'), 'half');
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'src/cli/bin.js'),
        'bundle',
        'build',
        dir,
        '--key',
        join(ROOT, 'src/content/demo/DEMO-KEY-NOT-SECRET.pem'),
        '--demo',
        '--out',
        out,
        '--today',
        '2026-11-24',
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let err = '';
    let sent = false;
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      // The first progress line: the run has started its long work.
      if (!sent && /(checking|building|reading): \d+\/\d+/.test(err)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(sent, err).toBe(true);
    expect(code, err).toBe(130);
    expect(err).toContain('interrupted');
    expect(temps(out)).toEqual([]);
    expect(existsSync(join(out, 'manifest.json'))).toBe(false);
  });

  it("cleanStaleTemps removes a dead process's temporaries and keeps live ones", async () => {
    const dir = join(tmp, 'stale');
    mkdirSync(join(dir, 'objects', 'cd'), { recursive: true });
    writeFileSync(join(dir, 'objects', 'cd', 'y.json.tmp-4194001'), 'half');
    writeFileSync(join(dir, `alerts.json.tmp-${process.pid}`), 'mine');
    expect(await cleanStaleTemps(dir)).toBe(1);
    expect(temps(dir)).toEqual([`alerts.json.tmp-${process.pid}`]);
  });

  it('writeAtomic leaves only the final file', async () => {
    const p = join(tmp, 'atomic', 'f.txt');
    await writeAtomic(p, 'one', { newFile: true });
    await writeAtomic(p, 'two');
    commitRun();
    expect(readdirSync(join(tmp, 'atomic'))).toEqual(['f.txt']);
  });
});
