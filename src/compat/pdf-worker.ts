/**
 * The pdf.js worker, with what Chromium 83–118 lack. Runs in the PDF module
 * worker (not the page, whose polyfills it does not share): pdf.js's legacy
 * build still calls `.at()` (92), `Object.hasOwn` (93), `replaceAll` (85),
 * `Promise.withResolvers` (119) and FinalizationRegistry (84) there. core-js
 * entries patch only what is missing, so current engines run pdf.js as shipped.
 * Imports evaluate in order: the polyfills before pdf.js.
 */
import 'core-js/actual/array/at';
import 'core-js/actual/typed-array/at';
import 'core-js/actual/string/at';
import 'core-js/actual/object/has-own';
import 'core-js/actual/string/replace-all';
import 'core-js/actual/promise';
import './weak-refs.ts';
import './streams.ts';
import 'pdfjs-dist/legacy/build/pdf.worker.mjs';
