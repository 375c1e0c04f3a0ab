// The sanitiser's fast path (src/cli/canonical-html.ts) must only accept
// markup that DOMPurify returns unchanged: checked against DOMPurify on jsdom
// with generated trees of every kind of element, including the ones whose
// parse is not their token sequence (auto-closed paragraphs, list items,
// tables, void elements written as self-closing, character references).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { JSDOM } from 'jsdom';
import createDOMPurify from 'dompurify';
import { isCanonicalSafeHtml } from '../../src/cli/canonical-html.ts';
import { nodeSanitizer } from '../../src/cli/content-dir.ts';
import { createSanitizer } from '../../src/content/sanitize.ts';
import { generateCorpus } from '../helpers/corpus.ts';

const purify = createSanitizer(
  createDOMPurify(new JSDOM('').window as unknown as Parameters<typeof createDOMPurify>[0]),
);

const TAGS = [
  'p', 'div', 'span', 'b', 'strong', 'em', 'i', 'u', 's', 'sub', 'sup', 'small', 'code',
  'h2', 'h3', 'h6', 'ul', 'ol', 'li', 'blockquote', 'pre', 'table', 'tr', 'td', 'a', 'dl',
  'dt', 'dd', 'figure', 'script', 'P', 'textarea', 'section',
] as const; // prettier-ignore
const VOID = ['br', 'hr', 'img', 'br/', 'hr/', 'input'] as const;
const TEXTS = [
  '公告', '申请材料', 'a', ' ', '\n', '\t', '\r\n', '\f', '&amp;', '&', '>', '<', '\u00a0',
  '“通知”', '𠮷', '\ud800', '\u0000', '" \'', '=',
] as const; // prettier-ignore

type Tree = { text: string } | { tag: string; children: Tree[] } | { void: string };

const tree = fc.letrec<{ node: Tree; nodes: Tree[] }>((t) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...TEXTS).map((text) => ({ text })),
    fc.constantFrom(...VOID).map((v) => ({ void: v })),
    fc.record({ tag: fc.constantFrom(...TAGS), children: t('nodes') }),
  ),
  nodes: fc.array(t('node'), { maxLength: 4 }),
})).nodes;

/** Serialises a generated tree; every element is closed, so most trees are "well formed". */
function html(nodes: Tree[]): string {
  return nodes
    .map((n) =>
      'text' in n
        ? n.text
        : 'void' in n
          ? `<${n.void}>`
          : `<${n.tag}>${html(n.children)}</${n.tag}>`,
    )
    .join('');
}

/** Trees biased towards what the fast path accepts (no text it rejects, fewer odd tags). */
const plainTree = fc.letrec<{ node: Tree; nodes: Tree[] }>((t) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('公告', ' ', '\n', '材料').map((text) => ({ text })),
    fc.constantFrom('br', 'hr').map((v) => ({ void: v })),
    fc.record({
      tag: fc.constantFrom('p', 'div', 'span', 'b', 'em', 'h2', 'ul', 'ol', 'li', 'blockquote'),
      children: t('nodes'),
    }),
  ),
  nodes: fc.array(t('node'), { maxLength: 4 }),
})).nodes;

describe('isCanonicalSafeHtml', () => {
  it('accepts only markup that DOMPurify returns unchanged, with nothing removed', () => {
    let accepted = 0;
    for (const gen of [tree, plainTree]) {
      fc.assert(
        fc.property(gen, (nodes) => {
          const input = html(nodes);
          if (!isCanonicalSafeHtml(input)) return;
          accepted++;
          expect(purify(input)).toEqual({ html: input, removed: [] });
        }),
        { numRuns: 400, seed: 20261124 },
      );
    }
    // The property says nothing if the fast path never fires.
    expect(accepted).toBeGreaterThan(100);
  });

  it('sends markup the parser rewrites to DOMPurify', () => {
    for (const input of [
      '<p><div>x</div></p>', // a block closes the paragraph
      '<ul><li>a<div><li>b</li></div></li></ul>', // an <li> closes the open one through a div
      '<li>x</li>', // a list item outside a list
      '<table><tr><td>x</td></tr></table>', // an implied tbody
      '<p>a<br/>b</p>', // serialised as <br>
      '<p>A &amp; B</p>', // character reference
      '<p>a > b</p>', // serialised as &gt;
      '<p>a\r\nb</p>', // CR normalised
      '<p>x',
      '<P>x</P>',
      '<p class="x">x</p>',
      '<b><b>x</b></b>',
      '<pre>\nx</pre>',
    ]) {
      expect(isCanonicalSafeHtml(input), input).toBe(false);
    }
  });

  it('accepts the generated corpus bodies, and the CLI sanitiser agrees with DOMPurify on them', async () => {
    const fast = await nodeSanitizer();
    const bodies = generateCorpus({ count: 60, seed: 7 })
      .map((item) => (item.kind === 'notice' ? item.body : undefined))
      .filter((b): b is string => typeof b === 'string');
    expect(bodies.length).toBeGreaterThan(40);
    for (const body of bodies) {
      expect(isCanonicalSafeHtml(body)).toBe(true);
      expect(fast(body)).toEqual(purify(body));
    }
    // And on bodies that need the slow path.
    for (const body of ['<p onclick="x()">a</p><script>1</script>', '<p>a<div>b</div>', 'a & b']) {
      expect(fast(body)).toEqual(purify(body));
    }
  });
});
