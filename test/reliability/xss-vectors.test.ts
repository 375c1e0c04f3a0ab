import { describe, expect, it } from 'vitest';
import { xssVectors } from './xss-vectors.ts';

// The vector list feeds the xss and xss-control cases (test/e2e/xss.e2e.ts),
// which only run in Chromium; these checks keep an edit of the list honest
// inside the quick unit run.
describe('XSS vectors', () => {
  const all = xssVectors();

  it('has at least 100 vectors with distinct ids (issue #11)', () => {
    expect(all.length).toBeGreaterThanOrEqual(100);
    expect(new Set(all.map((v) => v.id)).size).toBe(all.length);
  });

  it('fills every beacon placeholder, and every vector carries its own beacon', () => {
    for (const v of all) {
      expect(v.html, v.id).not.toMatch(/\{(JS|JSQ|JSE|JSB64|ID|URL|B64SVG|B64)\}/);
      // The id in clear, or inside a base64 payload (a data: URL or atob).
      const decoded = [...v.html.matchAll(/(?:base64,|atob\(')([A-Za-z0-9+/=]+)/g)]
        .map((m) => Buffer.from(m[1], 'base64').toString('utf8'))
        .join(' ');
      expect(`${v.html} ${decoded}`, v.id).toContain(v.id);
    }
  });

  it('gives every inert vector a reason, and keeps most vectors live', () => {
    const inert = all.filter((v) => v.inert !== '');
    for (const v of inert) expect(v.inert.trim().length, v.id).toBeGreaterThan(10);
    // An inert vector proves nothing about the sanitiser: they must stay the exception.
    expect(inert.length).toBeLessThan(all.length / 4);
  });
});
