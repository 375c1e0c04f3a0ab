// The build's engine check (test/build/check-compat.mjs) must catch what blanks an old
// kiosk, and must not flag what the code feature-checks.
import { describe, expect, it } from 'vitest';
// @ts-expect-error — a plain .mjs script without types
import { scan } from './check-compat.mjs';

interface Use {
  name: string;
  min: number;
}
const uses = (src: string): Use[] =>
  (scan(src) as { uses: Use[] }).uses.map(({ name, min }) => ({ name, min }));
const names = (src: string) => uses(src).map((u) => u.name);

describe('check-compat scan', () => {
  it('finds syntax Chromium 66 and 83 cannot parse', () => {
    expect(names('let a; a ??= 1;')).toContain('logical assignment ??=');
    expect(names('const b = a?.c;')).toContain('optional chaining ?.');
    expect(names('class A { static { } }')).toContain('class static block');
    expect(names('class A { x = 1 }')).toContain('class field');
    expect(names('const n = 10n;')).toContain('BigInt literal');
    expect(names('const n = 1_000;')).toContain('numeric separator');
    expect(names('await import("./x.js");')).toContain('top-level await');
    expect(names('async function f() { await 1; }')).not.toContain('top-level await');
  });

  it('finds built-ins with the Chromium major that has them', () => {
    const found = uses(
      'el.replaceChildren(); const c = structuredClone(x); [1].at(-1); Promise.withResolvers();',
    );
    expect(found).toEqual(
      expect.arrayContaining([
        { name: 'replaceChildren', min: 86 },
        { name: 'structuredClone', min: 98 },
        { name: '.at()', min: 92 },
        { name: 'Promise.withResolvers', min: 119 },
      ]),
    );
  });

  it('does not count feature-checked or locally declared uses', () => {
    expect(names('if (typeof structuredClone === "function") structuredClone(x);')).toEqual([]);
    expect(names('const h = Object.hasOwn || ((o, k) => k in o);')).toEqual([]);
    expect(names('if (typeof crypto.randomUUID === "function") crypto.randomUUID();')).toEqual([]);
    expect(names('function f(structuredClone) { return structuredClone(1); }')).toEqual([]);
    expect(names('self.clients.matchAll();')).toEqual([]);
    expect(names('s.matchAll(/a/g);')).toEqual(['.matchAll()']);
  });
});
