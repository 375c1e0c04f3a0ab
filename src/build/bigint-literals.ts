import type { Plugin } from 'vite';

/**
 * Rewrites BigInt literals (`10n`) in named dependencies as `BigInt(10)` calls.
 *
 * Why: Chromium 66 (the Android 9 signage boards of the display tier) has no
 * BigInt, and a literal is a *syntax* error there that blanks the whole entry
 * chunk, while a `BigInt(...)` call fails only if it runs. The one dependency
 * that needs this, @cfworker/json-schema (the kiosk-config validator), uses
 * BigInt only for `multipleOf`, which no kiosk-config schema uses; so on 66
 * the call never runs. The build's syntax check (test/build/) fails on any
 * literal left in a chunk the display tier loads.
 */
export function bigintLiterals(packages: readonly string[]): Plugin {
  const inPackage = (id: string) =>
    packages.some((p) => id.includes(`/node_modules/${p}/`) && /\.[cm]?js$/.test(id));
  return {
    name: 'gongkai-bigint-literals',
    enforce: 'pre',
    transform(code, id) {
      if (!inPackage(id)) return null;
      // A BigInt literal: digits then `n`, not part of an identifier (`0n`, `10n`).
      const out = code.replace(/(?<![\w$.])(\d+)n\b/g, 'BigInt($1)');
      return out === code ? null : { code: out, map: null };
    },
  };
}
