/**
 * HTML sanitising for imported bodies: DOMPurify on a jsdom window, with a
 * small allow-list of structural tags (the kiosk shows text, tables and lists,
 * never scripts or remote assets). Dangerous or injected markup is reported by
 * element so an admin can see what the source page carried.
 */
import createDOMPurify from 'dompurify';
import { JSDOM } from 'jsdom';
import { createSanitizer, type HtmlSanitizer } from '../../content/sanitize.ts';

/** Elements dropped with their content and reported: active or remote content. */
const DANGEROUS = new Set([
  'script',
  'noscript',
  'style',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'form',
  'input',
  'button',
  'textarea',
  'select',
  'link',
  'meta',
  'base',
  'svg',
  'math',
  'img',
  'video',
  'audio',
  'source',
  'template',
]);

/** Something the sanitiser removed, named by element path. */
export interface Removal {
  element: string;
  reason: string;
}

let window: JSDOM['window'] | undefined;
let sanitizer: HtmlSanitizer | undefined;

/** The shared jsdom window (created once: jsdom start-up is the slow part). */
export function domWindow(): JSDOM['window'] {
  window ??= new JSDOM('<!doctype html><html><body></body></html>').window;
  return window;
}

/** `div#UCAP-CONTENT > p:nth-of-type(3) > script` style name of an element. */
export function describeElement(el: Element, root?: Element | null): string {
  const parts: string[] = [];
  let cur: Element | null = el;
  while (cur && cur !== root && parts.length < 4) {
    let part = cur.tagName.toLowerCase();
    if (cur.id) part += `#${cur.id}`;
    else {
      const cls = (cur.getAttribute('class') ?? '').trim().split(/\s+/)[0];
      if (cls) part += `.${cls}`;
      const parent: Element | null = cur.parentElement;
      if (parent) {
        const same = [...parent.children].filter((c) => c.tagName === cur?.tagName);
        if (same.length > 1) part += `:nth-of-type(${same.indexOf(cur) + 1})`;
      }
    }
    parts.unshift(part);
    cur = cur.parentElement;
  }
  return parts.join(' > ');
}

function isHidden(el: Element): boolean {
  const style = (el.getAttribute('style') ?? '').replace(/\s+/g, '').toLowerCase();
  return (
    el.hasAttribute('hidden') ||
    /display:none|visibility:hidden|font-size:0(?:px)?(?:;|$)|(?:left|top):-\d{3,}px/.test(style)
  );
}

/**
 * Removes active, remote and hidden markup from `root` in place and returns
 * what was removed. Hidden elements (display:none, off-screen) are a common
 * form of injected link spam on compromised portals.
 */
export function stripDangerous(root: Element): Removal[] {
  const removals: Removal[] = [];
  const walk = (el: Element): void => {
    for (const child of [...el.children]) {
      const tag = child.tagName.toLowerCase();
      if (DANGEROUS.has(tag)) {
        removals.push({ element: describeElement(child, root), reason: `<${tag}> removed` });
        child.remove();
        continue;
      }
      if (isHidden(child) && (child.textContent ?? '').trim()) {
        removals.push({
          element: describeElement(child, root),
          reason: 'hidden element removed (possible injected markup)',
        });
        child.remove();
        continue;
      }
      for (const attr of [...child.attributes]) {
        const name = attr.name.toLowerCase();
        if (name.startsWith('on') || /^\s*(?:javascript|vbscript|data):/i.test(attr.value)) {
          removals.push({
            element: describeElement(child, root),
            reason: `attribute ${name} removed`,
          });
          child.removeAttribute(attr.name);
        }
      }
      walk(child);
    }
  };
  walk(root);
  return removals;
}

/**
 * Sanitises an HTML fragment: first {@link stripDangerous} (which names each
 * removed element), then the content model's DOMPurify allow-list
 * (src/content/sanitize.ts), so imported and hand-written bodies obey the
 * same rules. Returns the clean HTML and what was removed.
 */
export function sanitizeHtml(html: string): { html: string; removed: Removal[] } {
  const win = domWindow();
  // DOMParser, not `div.innerHTML = html`: jsdom's fragment parsing moves every
  // node out of a temporary fragment, and each move recomputes a sibling index,
  // so a body of n paragraphs took O(n²) (a 4 MB Markdown file: 54 s; 4,000
  // paragraphs: 50 s here, 1 s with DOMParser).
  const container = new win.DOMParser().parseFromString(
    `<!doctype html><html><body>${html}`,
    'text/html',
  ).body;
  const removed = stripDangerous(container);
  // Layout attributes are not content; dropping them first keeps the
  // allow-list's own report down to things worth an admin's attention.
  for (const el of container.querySelectorAll('[style], [class], [id], [align], [width]')) {
    for (const a of ['style', 'class', 'id', 'align', 'width']) el.removeAttribute(a);
  }
  sanitizer ??= createSanitizer(
    createDOMPurify(win as unknown as Parameters<typeof createDOMPurify>[0]),
  );
  const clean = sanitizer(container.innerHTML);
  for (const r of clean.removed) {
    if (/^attribute (href|src)=/.test(r)) removed.push({ element: 'body', reason: `${r} removed` });
  }
  return { html: tidyHtml(clean.html), removed };
}

/** Drops empty paragraphs and collapses whitespace left by unwrapped layout tags. */
export function tidyHtml(html: string): string {
  return html
    .replace(/<p>(?:\s|&nbsp;|\u00A0|\u3000|<br>)*<\/p>/g, '')
    .replace(/\n\s*\n+/g, '\n')
    .trim();
}
