// End to end with the real CLI: mirror the fixture portal → `content check`
// → `bundle build` signed with a test key → `bundle verify` passes, and the
// bundle's items carry the portal's URL (the kiosk's QR code) and attachments.
// Then a refused crawl leaves the folder buildable into the same items.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startPortal, type Portal } from './fixture-portal.ts';
import { contentDir, gk, ROOT, sh, snapshot, TODAY } from './helpers.ts';

vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

describe('mirror → content check → bundle build → bundle verify', () => {
  let portal: Portal;
  let dir: string;
  const tmp = mkdtempSync(join(tmpdir(), 'gongkai-mirror-e2e-'));
  const key = join(tmp, 'office');
  beforeAll(async () => {
    portal = await startPortal({ items: 120, paging: 'single', prefix: '/yjzjj', flawed: true });
    dir = contentDir({ idPrefix: 'yj' });
    expect((await gk('keygen', '--out', key)).code).toBe(0);
  });
  afterAll(() => portal.close());

  it('builds a signed bundle that verifies, from the mirrored folder', async () => {
    const m = await gk(
      'mirror',
      'gkmlpt',
      `${portal.siteUrl}gkmlpt/index#701`,
      '--out',
      dir,
      '--delay',
      '0',
      '--today',
      TODAY,
      '--json',
    );
    expect(m.code, m.err).toBe(3); // two fixture items are held for review
    const report = JSON.parse(m.out) as { new: unknown[]; held: { id: string }[] };
    expect(report.new).toHaveLength(120);
    expect(report.held.map((h) => h.id).sort()).toEqual(['yj-1120', 'yj-1121']);
    expect(m.err).toMatch(/held yj-1120/);

    const check = await gk('content', 'check', dir, '--today', TODAY);
    expect(check.code, check.out + check.err).toBe(0);
    expect(check.out).toMatch(/120 items, 0 alerts: 0 errors/);

    const out = join(tmp, 'bundle');
    const build = await gk(
      'bundle',
      'build',
      dir,
      '--key',
      `${key}.private.pem`,
      '--out',
      out,
      '--bundle-id',
      'mirror-e2e',
      '--today',
      TODAY,
      '--json',
    );
    expect(build.code, build.err).toBe(0);
    const verify = await gk('bundle', 'verify', out, '--pub', `${key}.public.pem`, '--json');
    expect(verify.code, verify.err).toBe(0);

    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as {
      itemCount: number;
      files: { role: string; name?: string }[];
    };
    expect(manifest.itemCount).toBe(120);
    expect(manifest.files.filter((f) => f.role === 'attachment').map((f) => f.name)).toContain(
      '附件10.pdf',
    );
    // Every item object in the bundle names its portal page.
    const objects = readdirSync(join(out, 'objects'), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.json'));
    const items = objects
      .map(
        (f) =>
          JSON.parse(readFileSync(join(out, 'objects', f), 'utf8')) as {
            item?: { id: string; source?: { url?: string } };
          },
      )
      .filter((o) => o.item);
    expect(items).toHaveLength(120);
    expect(items.find((o) => o.item!.id === 'yj-1010')!.item!.source!.url).toBe(
      `${portal.siteUrl}gkmlpt/content/2/1010/post_1010.html`,
    );
  });

  it('a refused crawl exits 1 and leaves the folder as it was', async () => {
    const before = snapshot(dir);
    portal.faults.listErrorPage = new Set(['702']);
    const m = await gk(
      'mirror',
      'gkmlpt',
      portal.siteUrl,
      '--out',
      dir,
      '--delay',
      '0',
      '--today',
      TODAY,
    );
    expect(m.code).toBe(1);
    expect(m.err).toMatch(/REFUSED .*an HTML page where JSON was expected/);
    expect(snapshot(dir)).toEqual(before);
    const review = await gk('mirror', 'review', dir);
    expect(review.code).toBe(1);
    expect(review.out).toMatch(/The crawl was REFUSED/);
  });

  it('docs/mirror/gongkai-mirror.sh publishes, and keeps the published bundle when the crawl is bad', async () => {
    portal.faults.listErrorPage = undefined;
    const content = contentDir({ idPrefix: 'sh' });
    const out = join(tmp, 'published');
    const env = {
      ...process.env,
      GONGKAI_BIN: join(ROOT, 'src/cli/bin.js'),
      GONGKAI_SITE: portal.siteUrl,
      GONGKAI_CONTENT: content,
      GONGKAI_KEY: `${key}.private.pem`,
      GONGKAI_PUB: `${key}.public.pem`,
      GONGKAI_OUT: out,
      GONGKAI_MIRROR_OPTS: '--delay 0 --quiet',
    };
    const script = join(ROOT, 'docs/mirror/gongkai-mirror.sh');
    const first = await sh(script, env);
    expect(first.code, first.err).toBe(3); // published; two items wait for review
    expect(first.err).toMatch(/held for review/);
    expect(first.out).toMatch(/published/);
    expect((await gk('bundle', 'verify', out, '--pub', `${key}.public.pem`)).code).toBe(0);
    const published = snapshot(out);
    portal.faults.listTruncated = new Set(['701']);
    portal.edit(1003);
    const bad = await sh(script, env);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/refused the crawl \(exit 1\); the published bundle stays/);
    expect(snapshot(out)).toEqual(published);
  });
});
