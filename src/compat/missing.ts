/**
 * Which built-ins this engine lacks among those the kiosk's code (and its
 * dependencies) use. Modern engines find none and never download the
 * polyfills chunk (src/compat/polyfills.ts); the list is kept in step with
 * that chunk by test/build/check-compat.mjs, which fails the build check when
 * the built JS uses an API a tier lacks and neither polyfills nor guards it.
 */
const checks: ReadonlyArray<readonly [name: string, present: () => boolean]> = [
  ['globalThis', () => typeof globalThis === 'object'],
  ['queueMicrotask', () => typeof queueMicrotask === 'function'],
  ['structuredClone', () => typeof structuredClone === 'function'],
  ['Array.prototype.flat', () => typeof Array.prototype.flat === 'function'],
  ['Array.prototype.at', () => typeof Array.prototype.at === 'function'],
  ['Array.prototype.findLast', () => typeof Array.prototype.findLast === 'function'],
  ['Object.fromEntries', () => typeof Object.fromEntries === 'function'],
  ['Object.hasOwn', () => typeof Object.hasOwn === 'function'],
  ['String.prototype.matchAll', () => typeof String.prototype.matchAll === 'function'],
  ['String.prototype.replaceAll', () => typeof String.prototype.replaceAll === 'function'],
  ['String.prototype.at', () => typeof String.prototype.at === 'function'],
  ['Promise.allSettled', () => typeof Promise.allSettled === 'function'],
  ['Promise.any', () => typeof Promise.any === 'function'],
  ['Promise.withResolvers', () => 'withResolvers' in Promise],
  // pdf.js (touch tier) on Chromium 83: see src/compat/weak-refs.ts.
  ['WeakRef', () => typeof WeakRef === 'function'],
  ['FinalizationRegistry', () => typeof FinalizationRegistry === 'function'],
  [
    'ReadableStream.prototype[Symbol.asyncIterator]',
    () => typeof ReadableStream !== 'function' || Symbol.asyncIterator in ReadableStream.prototype,
  ],
  ['Element.prototype.toggleAttribute', () => 'toggleAttribute' in Element.prototype],
  ['Element.prototype.replaceChildren', () => 'replaceChildren' in Element.prototype],
  // Constructable style sheets (Chromium 73): without them Lit would put styles in <style>
  // elements, which the CSP blocks; src/compat/lit-styles.ts inserts the rules through CSSOM.
  ['Document.prototype.adoptedStyleSheets', () => 'adoptedStyleSheets' in Document.prototype],
];

/** Names of the built-ins this engine lacks (empty on current engines). */
export function missingBuiltins(): string[] {
  return checks.filter(([, present]) => !present()).map(([name]) => name);
}
