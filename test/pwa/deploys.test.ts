import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findManifest, makeDeploy } from './deploys.ts';

// A miniature dist/ shaped like the real build's output.
const manifest = [
  { integrity: 'sha384-aaa', revision: 'r1', url: 'index.html' },
  { integrity: 'sha384-bbb', revision: null, url: 'assets/index-x.js' },
];
const sw = `(()=>{var e=${JSON.stringify(manifest)};new X().addToCacheList(e.map(a=>"[{\\"url\\":"+a))})();`;

describe('test deploys (copies of dist/ with a rewritten precache manifest)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gk-deploys-'));
    mkdirSync(join(dir, 'dist/assets'), { recursive: true });
    writeFileSync(join(dir, 'dist/index.html'), '<head>\n    <meta charset="utf-8" />\n</head>');
    writeFileSync(join(dir, 'dist/assets/index-x.js'), 'x');
    writeFileSync(join(dir, 'dist/sw.js'), sw);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the injected manifest even when code around it has brackets and strings', () => {
    const found = findManifest(sw);
    expect(found.entries).toEqual(manifest);
    expect(sw.slice(found.end)).toMatch(/^;new X/);
  });

  it('marks index.html and lists its new revision and integrity', () => {
    const out = makeDeploy(join(dir, 'dist'), join(dir, 'v2'), 'v2');
    const html = readFileSync(join(out, 'index.html'));
    expect(html.toString()).toContain('<meta name="gongkai-deploy" content="v2" />');
    const entries = findManifest(readFileSync(join(out, 'sw.js'), 'utf8')).entries;
    const index = entries.find((e) => e.url === 'index.html');
    expect(index?.integrity).toBe(`sha384-${createHash('sha384').update(html).digest('base64')}`);
    expect(index?.revision).not.toBe('r1');
    expect(entries[1]).toEqual(manifest[1]);
  });

  it('breaks a deploy on purpose: a listed file missing, or bytes that do not match', () => {
    const missing = makeDeploy(join(dir, 'dist'), join(dir, 'v3'), 'v3', 'missing-file');
    const listed = findManifest(readFileSync(join(missing, 'sw.js'), 'utf8')).entries;
    expect(listed.map((e) => e.url)).toContain('assets/lost-v3.js');
    const wrong = makeDeploy(join(dir, 'dist'), join(dir, 'v4'), 'v4', 'wrong-content');
    const html = readFileSync(join(wrong, 'index.html'));
    const index = findManifest(readFileSync(join(wrong, 'sw.js'), 'utf8')).entries[0];
    expect(index.integrity).not.toBe(
      `sha384-${createHash('sha384').update(html).digest('base64')}`,
    );
  });
});
