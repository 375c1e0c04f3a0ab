/**
 * A fast path for the body sanitiser: recognises HTML that DOMPurify (with the
 * allow-list of `src/content/sanitize.ts`) would return unchanged, so the CLI
 * can skip jsdom for it. Parsing and sanitising one body on jsdom takes about
 * a millisecond and most of a large build's time; almost every body written
 * by an office, or produced by the importers, is plain paragraphs.
 *
 * The check is deliberately narrow: it accepts only markup whose HTML parse
 * tree is exactly its token sequence (no implied or auto-closed elements, no
 * foster parenting, no reconstructed formatting elements) and whose
 * serialisation is byte-identical to the input (lower-case tags without
 * attributes, no character references, no characters the serialiser escapes,
 * no characters the parser rewrites). Everything else goes to DOMPurify.
 * test/cli/canonical-html.test.ts checks the equivalence against DOMPurify on
 * generated markup.
 */
import { ALLOWED_TAGS } from '../content/sanitize.ts';

const allowed = new Set<string>(ALLOWED_TAGS);
const only = (tags: readonly string[]): Set<string> => new Set(tags.filter((t) => allowed.has(t)));

/**
 * Phrasing elements: they may hold text, `<br>` and other phrasing elements
 * (never their own tag, so the parser's "Noah's Ark" limit on identical
 * formatting elements cannot apply), and no blocks (a block start tag inside a
 * `<p>` would close it).
 */
const INLINE = only(['span', 'strong', 'b', 'em', 'i', 'u', 's', 'sub', 'sup', 'small', 'code']);
/** Blocks that hold phrasing content only (a block inside them would close them). */
const TEXT_BLOCK = only(['p', 'h2', 'h3', 'h4', 'h5', 'h6']);
/** Blocks that hold blocks or phrasing content. */
const FLOW_BLOCK = only(['div', 'blockquote', 'li']);
/** Lists: `<li>` children only (a `<li>` anywhere else could close an open one). */
const LIST = only(['ul', 'ol']);

/** What the element on top of the stack may contain. */
type Context = 'flow' | 'phrasing' | 'list';

function contextOf(tag: string): Context {
  if (LIST.has(tag)) return 'list';
  if (FLOW_BLOCK.has(tag)) return 'flow';
  return 'phrasing';
}

/** Deeper nesting is not what offices write; leave it to DOMPurify. */
const MAX_DEPTH = 32;

/**
 * Text the serialiser writes back unchanged and the parser does not rewrite:
 * no `&` (character references), `<` or `>`, no-break space (escaped as
 * `&nbsp;`), control characters (CR and form feed are normalised or dropped),
 * and no unpaired surrogates (in a `u` regex a surrogate range matches only
 * unpaired ones).
 */
function plainText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 ? c !== 0x0a && c !== 0x09 : c >= 0x7f && c <= 0xa0) return false;
    if (c === 0x26 || c === 0x3c || c === 0x3e) return false;
  }
  return !LONE_SURROGATE.test(text);
}
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const WHITESPACE = /^[\n\t ]*$/;
const TAG = /<(\/?)([a-z][a-z0-9]*)>/g;

/**
 * True when `html` is already in the form DOMPurify returns for it with the
 * body allow-list and nothing would be removed, so the sanitised body is
 * `html` itself.
 */
export function isCanonicalSafeHtml(html: string): boolean {
  if (!plainText(html.replace(TAG, ''))) return false;
  const stack: string[] = [];
  let context: Context = 'flow';
  let last = 0;
  TAG.lastIndex = 0;
  for (let m = TAG.exec(html); m; m = TAG.exec(html)) {
    const text = html.slice(last, m.index);
    // A '<' that does not start a tag we recognise.
    if (text.includes('<')) return false;
    if (context === 'list' && !WHITESPACE.test(text)) return false;
    last = TAG.lastIndex;
    const [, close, tag] = m;
    if (close) {
      if (stack.length === 0 || stack[stack.length - 1] !== tag) return false;
      stack.pop();
      context = stack.length === 0 ? 'flow' : contextOf(stack[stack.length - 1]);
      continue;
    }
    if (tag === 'br') {
      if (context === 'list' || !allowed.has(tag)) return false;
      continue;
    }
    if (tag === 'hr') {
      if (context !== 'flow' || !allowed.has(tag)) return false;
      continue;
    }
    if (tag === 'li') {
      if (context !== 'list' || !allowed.has(tag)) return false;
    } else if (INLINE.has(tag)) {
      if (context === 'list' || stack.includes(tag)) return false;
    } else if (TEXT_BLOCK.has(tag) || FLOW_BLOCK.has(tag) || LIST.has(tag)) {
      if (context !== 'flow') return false;
    } else {
      return false;
    }
    if (stack.length >= MAX_DEPTH) return false;
    stack.push(tag);
    context = contextOf(tag);
  }
  const rest = html.slice(last);
  if (rest.includes('<')) return false;
  return stack.length === 0;
}
