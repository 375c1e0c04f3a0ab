import { beforeAll, describe, expect, it, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Each test spawns the real CLI (a Node start-up plus tsx) several times; on a loaded
// 2-core machine that takes far longer than the default 20 s.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

const ROOT = join(import.meta.dirname, '../..');
const FIX = join(import.meta.dirname, 'fixtures');
const DEMO_KEY = join(ROOT, 'src/content/demo/DEMO-KEY-NOT-SECRET.pem');

/** Runs the real CLI as a child process. */
function gk(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'src/cli/bin.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const tmp = mkdtempSync(join(tmpdir(), 'gongkai-cli-'));
const key = join(tmp, 'office');
// An unparsable file is made here: a broken .json in the repository would trip the format check.
const invalid = join(tmp, 'content-invalid');
cpSync(join(FIX, 'content-invalid'), invalid, { recursive: true });
writeFileSync(join(invalid, 'broken.json'), '{ "kind": "notice", "id": ');
const bundle = join(tmp, 'bundle');

/** Every file of a directory, relative. */
function walk(dir: string, base = ''): string[] {
  return readdirSync(join(dir, base), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(dir, join(base, e.name)) : [join(base, e.name)],
  );
}

function flipCopy(src: string, rel: string): string {
  const dst = mkdtempSync(join(tmp, 'flip-'));
  cpSync(src, dst, { recursive: true });
  const p = join(dst, rel);
  const bytes = readFileSync(p);
  const at = Math.floor(bytes.length / 2);
  bytes[at] = bytes[at] ^ 0x01;
  writeFileSync(p, bytes);
  return dst;
}

beforeAll(() => {
  const k = gk('keygen', '--out', key);
  expect(k.code, k.err).toBe(0);
  const b = gk(
    'bundle',
    'build',
    join(FIX, 'content-valid'),
    '--key',
    `${key}.private.pem`,
    '--out',
    bundle,
    '--bundle-id',
    'cli-test',
    '--today',
    '2026-11-24',
  );
  expect(b.code, b.err).toBe(0);
  const a = gk(
    'alert',
    'publish',
    '--key',
    `${key}.private.pem`,
    '--out',
    bundle,
    '--severity',
    'red',
    '--headline',
    '暴雨红色预警',
    '--text',
    '请减少外出',
    '--area',
    '全市',
    '--expires',
    '2099-01-01T00:00:00+08:00',
    '--id',
    'storm-1',
  );
  expect(a.code, a.err).toBe(0);
}, 120_000);

describe('usage and help', () => {
  it('documents exit codes in --help and exits 2 on usage errors', () => {
    const h = gk('--help');
    expect(h.code).toBe(0);
    expect(h.out).toMatch(
      /Exit codes: 0 ok · 1 invalid content or verification failed · 2 usage error/,
    );
    expect(gk().code).toBe(2);
    const u = gk('frobnicate');
    expect(u.code).toBe(2);
    expect(u.err).toContain('unknown command frobnicate');
    const m = gk('bundle', 'build', join(FIX, 'content-valid'), '--out', join(tmp, 'x'));
    expect(m.code).toBe(2);
    expect(m.err).toContain('--key is required');
  });
});

describe('keygen', () => {
  it('writes a key pair, prints the JWK for trustedKeys and never overwrites', () => {
    expect(readFileSync(`${key}.private.pem`, 'utf8')).toContain('BEGIN PRIVATE KEY');
    expect(readFileSync(`${key}.public.pem`, 'utf8')).toContain('BEGIN PUBLIC KEY');
    const again = gk('keygen', '--out', key);
    expect(again.code).toBe(2);
    expect(again.err).toContain('refusing to overwrite');
    const j = gk('keygen', '--out', join(tmp, 'second'), '--json');
    const parsed = JSON.parse(j.out) as { trustedKey: { jwk: { kty: string; crv: string } } };
    expect(parsed.trustedKey.jwk).toMatchObject({ kty: 'EC', crv: 'P-256' });
  });
});

describe('content check', () => {
  it('reports invalid items with file, item and field, keeps going, exits 1', () => {
    const r = gk('content', 'check', invalid, '--today', '2026-11-24');
    expect(r.code).toBe(1);
    expect(r.out).toContain('broken.json');
    expect(r.out).toMatch(
      /INVALID cli-gongshi-no-period .*\n {2}error .*gongshi\.json \(item cli-gongshi-no-period, field noticePeriod\): a 公示 item needs noticePeriod/,
    );
    expect(r.out).toMatch(/^ok cli-notice-1 /m);
  });
  it('--json prints {items, errors, warnings} with normalised items', () => {
    const r = gk('content', 'check', join(FIX, 'content-valid'), '--json', '--today', '2026-11-24');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as {
      items: Record<string, unknown>[];
      errors: unknown[];
      warnings: unknown[];
    };
    expect(j.errors).toEqual([]);
    const notice = j.items.find((i) => i.id === 'cli-notice-1');
    expect(notice).toMatchObject({
      docNo: '某府办〔2026〕12号',
      docNoAsInSource: '某府办[2026]12号',
      writtenDate: '2026-11-02',
    });
    expect(j.items.find((i) => i.id === 'cli-guide-1')).toMatchObject({
      itemName: { 'zh-Hans': '政府信息公开申请' },
    });
    const bad = JSON.parse(gk('content', 'check', invalid, '--json').out) as {
      errors: {
        file: string;
        itemId: string | null;
        field: string;
        reason: string;
        level: string;
      }[];
    };
    expect(bad.errors).toContainEqual(
      expect.objectContaining({
        itemId: 'cli-gongshi-no-period',
        field: 'noticePeriod',
        level: 'error',
      }),
    );
  });
});

describe('progress', () => {
  it('prints plain progress lines (no bar) when stderr is not a terminal', () => {
    const dir = mkdtempSync(join(tmp, 'many-'));
    const base = JSON.parse(readFileSync(join(FIX, 'content-valid/notice.json'), 'utf8')) as object;
    const items = Array.from({ length: 240 }, (_, i) => ({ ...base, id: `many-${i}` }));
    writeFileSync(join(dir, 'many.json'), JSON.stringify(items));
    const r = gk('content', 'check', dir, '--today', '2026-11-24');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('checking: 60/240 (25%)\nchecking: 120/240 (50%)');
    expect(r.err).toContain('checking: 240/240 (100%)');
    expect(r.err).not.toContain('\r');
    expect(r.out).toContain('240 items, 0 alerts: 0 errors');
    const q = gk('content', 'check', dir, '--today', '2026-11-24', '--quiet');
    expect(q.err).not.toContain('checking:');
  }, 60_000);
});

describe('bundle build', () => {
  it('refuses invalid content (exit 1) and the demo key without --demo (exit 2)', () => {
    const r = gk(
      'bundle',
      'build',
      invalid,
      '--key',
      `${key}.private.pem`,
      '--out',
      join(tmp, 'never'),
      '--bundle-id',
      'x',
    );
    expect(r.code).toBe(1);
    expect(r.err).toContain('refused');
    expect(existsSync(join(tmp, 'never', 'manifest.json'))).toBe(false);
    const d = gk(
      'bundle',
      'build',
      join(FIX, 'content-valid'),
      '--key',
      DEMO_KEY,
      '--out',
      join(tmp, 'never'),
    );
    expect(d.code).toBe(2);
    expect(d.err).toContain('demo key');
    const ok = gk(
      'bundle',
      'build',
      join(FIX, 'content-valid'),
      '--key',
      DEMO_KEY,
      '--demo',
      '--out',
      join(tmp, 'demo'),
      '--json',
      '--expires-days',
      '7',
    );
    expect(ok.code, ok.err).toBe(0);
    const s = JSON.parse(ok.out) as {
      bundleId: string;
      version: number;
      keyId: string;
      demo: boolean;
      expiresAt: string;
    };
    expect(s).toMatchObject({
      bundleId: 'gongkai-demo',
      version: 1,
      keyId: 'demo-2026',
      demo: true,
    });
    expect(Date.parse(s.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    expect(Date.parse(s.expiresAt) - Date.now()).toBeLessThan(7.1 * 86_400_000);
  });

  it('writes manifest, signature, objects, calendar and taxonomy', () => {
    const m = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8')) as {
      version: number;
      itemCount: number;
      files: { role: string }[];
    };
    expect(m.version).toBe(1);
    expect(m.itemCount).toBe(2);
    expect(m.files.map((f) => f.role).sort()).toEqual(['calendar', 'search', 'taxonomy']);
    expect(readFileSync(join(bundle, 'manifest.sig'), 'utf8').trim()).toMatch(
      /^[A-Za-z0-9_-]{86}$/,
    );
  });
});

describe('bundle verify', () => {
  it('passes with the public key as PEM, as JWK, and from a kiosk config', () => {
    const pem = gk('bundle', 'verify', bundle, '--pub', `${key}.public.pem`);
    expect(pem.code, pem.err).toBe(0);
    expect(pem.out).toMatch(/^ok .*cli-test version 1, .*2 items/);
    expect(pem.out).toContain('ok alerts.json');
    const jwk = JSON.parse(gk('keygen', '--out', join(tmp, 'unused'), '--json').out) as {
      trustedKey: unknown;
    };
    writeFileSync(join(tmp, 'unused.jwk.json'), JSON.stringify(jwk.trustedKey));
    const wrong = gk('bundle', 'verify', bundle, '--pub', join(tmp, 'unused.jwk.json'));
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('FAILED manifest.sig');
    const demo = gk(
      'bundle',
      'verify',
      join(tmp, 'demo'),
      '--config',
      'kiosk-config/default.json',
      '--json',
    );
    expect(demo.code, demo.err).toBe(0);
    expect(JSON.parse(demo.out)).toMatchObject({ ok: true, demo: true, keyId: 'demo-2026' });
  });

  it('fails naming the file when one byte of any kind of file is flipped', () => {
    const files = walk(bundle);
    const m = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8')) as {
      indexes: { path: string }[];
      files: { path: string; role: string }[];
    };
    const items = files.filter(
      (f) =>
        f.startsWith('objects/') && readFileSync(join(bundle, f), 'utf8').startsWith('{"item"'),
    );
    const targets = [
      'manifest.json',
      'manifest.sig',
      'alerts.json',
      'alerts.sig',
      m.indexes[0].path,
      items[0],
      (m.files.find((f) => f.role === 'calendar') as { path: string }).path,
      (m.files.find((f) => f.role === 'taxonomy') as { path: string }).path,
    ];
    for (const rel of targets) {
      const r = gk('bundle', 'verify', flipCopy(bundle, rel), '--pub', `${key}.public.pem`);
      expect(r.code, rel).toBe(1);
      const named = rel === 'manifest.json' ? 'manifest.json' : rel;
      expect(r.err, rel).toContain(named);
      expect(r.err).toMatch(/^FAILED /);
    }
  }, 120_000);
});

describe('pack, diff, republish, alerts', () => {
  it('packs one .gkb that verifies the same way, and fails on a flipped byte', () => {
    const gkb = join(tmp, 'b.gkb');
    expect(gk('bundle', 'pack', bundle, gkb).code).toBe(0);
    const ok = gk('bundle', 'verify', gkb, '--pub', `${key}.public.pem`);
    expect(ok.code, ok.err).toBe(0);
    const bytes = readFileSync(gkb);
    bytes[bytes.length - 10] ^= 0x01; // inside the last packed file
    writeFileSync(join(tmp, 'bad.gkb'), bytes);
    const bad = gk('bundle', 'verify', join(tmp, 'bad.gkb'), '--pub', `${key}.public.pem`);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/FAILED (objects\/|alerts|manifest)/);
  });

  it('builds a higher version by default, diffs it, and republishes an older bundle as newer', () => {
    const v1 = join(tmp, 'v1');
    cpSync(bundle, v1, { recursive: true });
    const content = join(tmp, 'content');
    cpSync(join(FIX, 'content-valid'), content, { recursive: true });
    const n = JSON.parse(readFileSync(join(content, 'notice.json'), 'utf8')) as {
      title: { 'zh-Hans': string };
    };
    n.title['zh-Hans'] += '（修订）';
    writeFileSync(join(content, 'notice.json'), JSON.stringify(n));
    writeFileSync(join(content, 'extra.json'), JSON.stringify({ ...n, id: 'cli-notice-2' }));
    const b2 = gk(
      'bundle',
      'build',
      content,
      '--key',
      `${key}.private.pem`,
      '--out',
      bundle,
      '--json',
      '--today',
      '2026-11-24',
    );
    expect(b2.code, b2.err).toBe(0);
    expect((JSON.parse(b2.out) as { version: number }).version).toBe(2);
    const low = gk(
      'bundle',
      'build',
      content,
      '--key',
      `${key}.private.pem`,
      '--out',
      bundle,
      '--version',
      '2',
    );
    expect(low.code).toBe(2);
    expect(low.err).toContain('not greater than 2');

    const d = gk('bundle', 'diff', v1, bundle);
    expect(d.code, d.err).toBe(0);
    expect(d.out).toContain('+ cli-notice-2');
    expect(d.out).toContain('~ cli-notice-1');
    expect(d.out).toContain('1 added, 1 changed, 0 removed');
    const dj = JSON.parse(gk('bundle', 'diff', v1, bundle, '--json').out) as {
      downloadBytes: number;
      fullBytes: number;
      changed: string[];
    };
    expect(dj.changed).toEqual(['cli-notice-1']);
    expect(dj.downloadBytes).toBeGreaterThan(0);
    expect(dj.downloadBytes).toBeLessThan(dj.fullBytes);

    // Undo: republish version 1's content as version 3.
    const r = gk(
      'bundle',
      'build',
      '--from',
      v1,
      '--key',
      `${key}.private.pem`,
      '--out',
      bundle,
      '--json',
    );
    expect(r.code, r.err).toBe(0);
    expect((JSON.parse(r.out) as { version: number }).version).toBe(3);
    const back = JSON.parse(gk('bundle', 'diff', v1, bundle, '--json').out) as {
      added: string[];
      changed: string[];
      removed: string[];
    };
    expect(back).toMatchObject({ added: [], changed: [], removed: [] });
    expect(gk('bundle', 'verify', bundle, '--pub', `${key}.public.pem`).code).toBe(0);
  }, 120_000);

  it('alerts: publish then cancel with a strictly increasing sequence; next keys in the manifest', () => {
    const before = JSON.parse(readFileSync(join(bundle, 'alerts.json'), 'utf8')) as {
      sequence: number;
      alerts: { id: string }[];
    };
    expect(before.alerts.map((a) => a.id)).toContain('storm-1');
    const c = gk('alert', 'cancel', 'storm-1', '--key', `${key}.private.pem`, '--out', bundle);
    expect(c.code, c.err).toBe(0);
    const after = JSON.parse(readFileSync(join(bundle, 'alerts.json'), 'utf8')) as {
      sequence: number;
      alerts: { id: string; cancelled?: boolean }[];
    };
    expect(after.sequence).toBeGreaterThan(before.sequence);
    expect(after.alerts.find((a) => a.id === 'storm-1')?.cancelled).toBe(true);
    const bad = gk(
      'alert',
      'publish',
      '--key',
      `${key}.private.pem`,
      '--out',
      bundle,
      '--severity',
      'purple',
      '--headline',
      'x',
      '--text',
      'y',
      '--area',
      'z',
      '--expires',
      '2099-01-01T00:00:00Z',
    );
    // A refused option value is a usage error (docs/cli.md).
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--severity must be one of red, orange, yellow, blue');
    const nk = gk(
      'bundle',
      'build',
      join(FIX, 'content-valid'),
      '--key',
      `${key}.private.pem`,
      '--out',
      join(tmp, 'rot'),
      '--bundle-id',
      'r',
      '--next-key',
      join(tmp, 'second.public.pem'),
    );
    expect(nk.code, nk.err).toBe(0);
    const m = JSON.parse(readFileSync(join(tmp, 'rot', 'manifest.json'), 'utf8')) as {
      nextKeys: { id: string; jwk: { crv: string } }[];
    };
    expect(m.nextKeys).toHaveLength(1);
    expect(m.nextKeys[0].jwk.crv).toBe('P-256');
  }, 60_000);
});
