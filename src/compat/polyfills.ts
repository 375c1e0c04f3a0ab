/**
 * Polyfills for the engines of the display tier (Chromium 66–82) and for the
 * few newer built-ins older supported engines lack (e.g. Promise.withResolvers
 * for pdf.js on Chromium 109). Loaded only when src/compat/missing.ts finds a
 * gap, before any app module runs; core-js entries patch only what is absent.
 *
 * Lit itself must not load before these (it reads `globalThis` as it
 * evaluates), so src/compat/lit-styles.ts is a separate step in src/main.ts.
 *
 * Keep in step with missing.ts: test/build/check-compat.mjs lists which APIs
 * count as polyfilled from the names in that file.
 */
import 'core-js/actual/global-this';
import 'core-js/actual/queue-microtask';
import 'core-js/actual/structured-clone';
import 'core-js/actual/array/flat';
import 'core-js/actual/array/flat-map';
import 'core-js/actual/array/at';
import 'core-js/actual/typed-array/at';
import 'core-js/actual/array/find-last';
import 'core-js/actual/array/find-last-index';
import 'core-js/actual/object/from-entries';
import 'core-js/actual/object/has-own';
import 'core-js/actual/string/match-all';
import 'core-js/actual/string/replace-all';
import 'core-js/actual/string/at';
// The whole Promise namespace, not single methods: core-js replaces the constructor
// on V8 6.6 (Chromium 66, a thenable-resolution bug), and its replacement needs
// `finally` and the rest from here.
import 'core-js/actual/promise';
import './weak-refs.ts';
import './streams.ts';

// Two DOM methods core-js does not cover, as the DOM standard defines them.
if (!('toggleAttribute' in Element.prototype)) {
  Object.defineProperty(Element.prototype, 'toggleAttribute', {
    configurable: true,
    writable: true,
    value(this: Element, name: string, force?: boolean): boolean {
      const on = force ?? !this.hasAttribute(name);
      if (on) this.setAttribute(name, '');
      else this.removeAttribute(name);
      return on;
    },
  });
}
if (!('replaceChildren' in Element.prototype)) {
  Object.defineProperty(Element.prototype, 'replaceChildren', {
    configurable: true,
    writable: true,
    value(this: Element, ...nodes: (Node | string)[]): void {
      while (this.lastChild) this.removeChild(this.lastChild);
      this.append(...nodes);
    },
  });
}
