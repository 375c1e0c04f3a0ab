/**
 * HTML body sanitising to the allow-list kiosks render. DOMPurify needs a DOM
 * window; this module takes the purifier as a parameter so `src/content`
 * stays free of DOM globals: the CLI passes one built on jsdom's window, a
 * browser caller the page's own.
 */
import type { DOMPurify, RemovedAttribute, RemovedElement } from 'dompurify';

/** Elements a body may keep: text structure, lists, tables, links and inline images. */
export const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'div', 'span', 'strong', 'b', 'em', 'i', 'u', 's', 'sub', 'sup', 'small',
  'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'blockquote', 'pre', 'code',
  'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'a', 'img', 'figure', 'figcaption',
] as const; // prettier-ignore

/** Attributes a body may keep; event handlers and styles are never among them. */
export const ALLOWED_ATTR = ['href', 'src', 'alt', 'title', 'colspan', 'rowspan', 'lang'] as const;

/** The sanitised HTML and a readable line per thing removed. */
export interface SanitizeResult {
  html: string;
  removed: string[];
}

export type HtmlSanitizer = (html: string) => SanitizeResult;

/**
 * URLs a body may point at. Links may leave the bundle (they are shown as QR
 * codes, never loaded); images may not, since a remote image is a request the
 * kiosk would make on a visitor's behalf.
 */
const LINK_OK = /^(https?:|mailto:|tel:|#|objects\/)/i;
const IMG_OK =
  /^(objects\/[0-9a-f]{2}\/[0-9a-f]{64}\.[a-z0-9]+$|data:image\/(png|jpeg|gif|webp);)/i;

function describe(entry: RemovedElement | RemovedAttribute): string {
  if ('attribute' in entry) {
    const name = entry.attribute?.name ?? '?';
    const from = entry.from?.nodeName.toLowerCase() ?? '?';
    return `attribute ${name} on <${from}>`;
  }
  const node = entry.element;
  return node.nodeType === 1 ? `element <${node.nodeName.toLowerCase()}>` : `node ${node.nodeName}`;
}

/** Builds a sanitiser from a DOMPurify instance (e.g. `createDOMPurify(jsdomWindow)`). */
export function createSanitizer(purify: DOMPurify): HtmlSanitizer {
  return (html) => {
    const extra: string[] = [];
    const hook = (
      node: Element,
      data: { attrName: string; attrValue: string; keepAttr: boolean },
    ): void => {
      const v = data.attrValue.trim();
      const tag = node.nodeName.toLowerCase();
      const bad =
        (data.attrName === 'src' && !IMG_OK.test(v)) ||
        (data.attrName === 'href' && (tag !== 'a' || !LINK_OK.test(v)));
      if (bad && data.keepAttr) {
        data.keepAttr = false;
        extra.push(`attribute ${data.attrName}=${JSON.stringify(v.slice(0, 60))} on <${tag}>`);
      }
    };
    purify.addHook('uponSanitizeAttribute', hook);
    try {
      const out = purify.sanitize(html, {
        ALLOWED_TAGS: [...ALLOWED_TAGS],
        ALLOWED_ATTR: [...ALLOWED_ATTR],
        ALLOW_DATA_ATTR: false,
        ALLOW_ARIA_ATTR: false,
        RETURN_TRUSTED_TYPE: false,
      });
      // The parser's own wrappers are not content anyone wrote.
      const removed = [
        ...purify.removed
          .filter((r) => !('element' in r) || !/^(BODY|HTML|HEAD)$/.test(r.element.nodeName))
          .map(describe),
        ...extra,
      ];
      return { html: String(out), removed };
    } finally {
      purify.removeHook('uponSanitizeAttribute', hook);
    }
  };
}
