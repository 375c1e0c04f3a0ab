// The tables behind test/build/check-compat.mjs: which syntax and which
// built-ins need which Chromium major (from MDN's compatibility data), and
// which uses are guarded in code. Only what the kiosk's code and its
// dependencies could plausibly use; a new API needs a row here.

/** Syntax node → the feature and the Chromium major that parses it. */
export const SYNTAX = {
  ChainExpression: () => ({ name: 'optional chaining ?.', min: 80 }),
  LogicalExpression: (n) => (n.operator === '??' ? { name: 'nullish ??', min: 80 } : null),
  AssignmentExpression: (n) =>
    ['??=', '||=', '&&='].includes(n.operator)
      ? { name: `logical assignment ${n.operator}`, min: 85 }
      : null,
  PropertyDefinition: (n) =>
    n.key.type === 'PrivateIdentifier'
      ? { name: 'private class field', min: 74 }
      : { name: n.static ? 'static class field' : 'class field', min: 72 },
  MethodDefinition: (n) =>
    n.key.type === 'PrivateIdentifier' ? { name: 'private method', min: 84 } : null,
  StaticBlock: () => ({ name: 'class static block', min: 94 }),
  Literal: (n) => {
    if (n.bigint !== undefined) return { name: 'BigInt literal', min: 67 };
    if (typeof n.value === 'number' && n.raw.includes('_'))
      return { name: 'numeric separator', min: 75 };
    if (n.regex?.flags.includes('d')) return { name: 'regex flag d', min: 90 };
    if (n.regex?.flags.includes('v')) return { name: 'regex flag v', min: 112 };
    return null;
  },
};

/** Built-ins by how they are reached, with the Chromium major that has them. */
export const API = {
  /** Global names (also as globalThis.X / self.X / window.X). */
  globals: {
    globalThis: 71,
    queueMicrotask: 71,
    structuredClone: 98,
    WeakRef: 84,
    FinalizationRegistry: 84,
    AggregateError: 85,
    BigInt: 67,
    BigInt64Array: 67,
    BigUint64Array: 67,
    TransformStream: 67,
    CompressionStream: 80,
    DecompressionStream: 80,
    scheduler: 94,
    trustedTypes: 83,
  },
  /** `Owner.name` statics. */
  statics: {
    'Object.fromEntries': 73,
    'Object.hasOwn': 93,
    'Object.groupBy': 117,
    'Map.groupBy': 117,
    'Promise.allSettled': 76,
    'Promise.any': 85,
    'Promise.withResolvers': 119,
    'Array.fromAsync': 121,
    'AbortSignal.timeout': 103,
    'AbortSignal.any': 116,
    'Intl.Segmenter': 87,
    'Intl.DisplayNames': 81,
    'Intl.ListFormat': 72,
    'Intl.RelativeTimeFormat': 71,
    'Intl.Locale': 74,
  },
  /** Property names specific enough to mean the API wherever they appear. */
  members: {
    replaceChildren: 86,
    toggleAttribute: 69,
    replaceAll: 85,
    findLast: 97,
    findLastIndex: 97,
    flatMap: 69,
    toSorted: 110,
    toReversed: 110,
    toSpliced: 110,
    isWellFormed: 111,
    toWellFormed: 111,
    adoptedStyleSheets: 73,
    replaceSync: 73,
    randomUUID: 92,
    wakeLock: 84,
    getDirectory: 86,
    userAgentData: 90,
  },
  /** Method names counted only when called (`x.at(-1)`, `a.flat()`). */
  calls: { at: 92, flat: 69, matchAll: 73 },
};

/** Uses that run only behind a feature check (file pattern: where the guard is). */
export const GUARDED = [
  {
    name: 'trustedTypes',
    file: /./,
    why: 'always read as globalThis.trustedTypes?.… (lit, dompurify, src/pwa, src/app/content.ts)',
  },
  {
    name: 'scheduler',
    file: /./,
    why: 'src/display/slices.ts uses scheduler.yield only when present',
  },
  { name: 'wakeLock', file: /./, why: 'src/display/wake-lock.ts checks navigator.wakeLock first' },
  {
    name: 'getDirectory',
    file: /./,
    why: 'src/data/packs.ts falls back to IndexedDB chunks without OPFS',
  },
  {
    name: 'adoptedStyleSheets',
    file: /./,
    why: "Lit checks 'adoptedStyleSheets' in Document.prototype; src/compat/lit-styles.ts below 73",
  },
  {
    name: 'replaceSync',
    file: /./,
    why: 'Lit uses it only with constructable style sheets (same check)',
  },
  {
    name: 'BigInt',
    file: /./,
    why: '@cfworker/json-schema calls BigInt only for multipleOf, which no kiosk-config schema uses (src/build/bigint-literals.ts)',
  },
  {
    name: 'userAgentData',
    file: /./,
    why: 'read with optional chaining, the user agent string is the fallback',
  },
];

/**
 * Contexts with polyfills of their own (the page's src/compat/polyfills.ts does not reach
 * workers): file pattern → the APIs its entry imports first.
 */
export const OWN_POLYFILLS = [
  {
    file: /^pdf-worker/,
    from: 'src/compat/pdf-worker.ts',
    names: [
      '.at()',
      'Object.hasOwn',
      'replaceAll',
      'Promise.withResolvers',
      'Promise.allSettled',
      'Promise.any',
      'WeakRef',
      'FinalizationRegistry',
    ],
  },
  { file: /^sw\.js$/, from: 'src/sw/sw.ts', names: ['Promise.allSettled'] },
];

/** The API names src/compat/missing.ts checks (and so src/compat/polyfills.ts provides). */
export function polyfilledNames(missingTs) {
  const names = new Set();
  for (const m of missingTs.matchAll(/\['([\w.]+)'/g)) {
    const full = m[1];
    names.add(full);
    const short = full.replace(/^(Array|String|Element|Document)\.prototype\./, '');
    names.add(short);
    names.add(`.${short}()`);
  }
  // Methods polyfilled with their siblings in the same core-js entry.
  for (const extra of ['flatMap', 'findLastIndex']) names.add(extra);
  return names;
}
