/**
 * Reads `window._CONFIG` (site discovery) and `window._CONFIG.DETAIL` (an
 * item's detail page) out of a gkmlpt page's inline scripts. The scripts are
 * parsed with acorn, never searched with regexes: the assignment is found in
 * the syntax tree and its value read from there. DETAIL is parsed as JSON (it
 * is JSON, with `<` escaped as `\u003C`); the discovery object is a JavaScript
 * literal (`SID: '123'`), read by a literal-only evaluator that refuses code.
 */
import { parse, type Node } from 'acorn';

/** The text of every inline `<script>` of an HTML page, in order. */
export function inlineScripts(html: string): string[] {
  // Script data ends at the first `</script` (HTML tokeniser rule), which is
  // why the platform escapes `<` inside DETAIL: a plain scan is exact here.
  const out: string[] = [];
  const lower = html.toLowerCase();
  let at = 0;
  for (;;) {
    const open = lower.indexOf('<script', at);
    if (open < 0) break;
    const tagEnd = lower.indexOf('>', open);
    if (tagEnd < 0) break;
    const close = lower.indexOf('</script', tagEnd);
    const end = close < 0 ? html.length : close;
    out.push(html.slice(tagEnd + 1, end));
    at = end + 1;
  }
  return out;
}

/** Why a literal could not be read. */
class NotLiteral extends Error {}

type AnyNode = Node & Record<string, unknown>;

/** Evaluates a literal expression (objects, arrays, strings, numbers, booleans, null). */
function literal(node: AnyNode): unknown {
  switch (node.type) {
    case 'Literal':
      return node.value;
    case 'TemplateLiteral': {
      const quasis = node.quasis as { value: { cooked: string } }[];
      if ((node.expressions as unknown[]).length > 0) throw new NotLiteral('template with ${}');
      return quasis.map((q) => q.value.cooked).join('');
    }
    case 'ArrayExpression':
      return (node.elements as (AnyNode | null)[]).map((e) => (e ? literal(e) : null));
    case 'ObjectExpression': {
      const out: Record<string, unknown> = {};
      for (const p of node.properties as AnyNode[]) {
        if (p.type !== 'Property' || p.computed) throw new NotLiteral('computed property');
        const k = p.key as AnyNode;
        const key = k.type === 'Identifier' ? (k.name as string) : String(k.value);
        out[key] = literal(p.value as AnyNode);
      }
      return out;
    }
    case 'UnaryExpression': {
      const arg = literal(node.argument as AnyNode);
      // Minifiers write true/false as !0/!1.
      if (node.operator === '-' && typeof arg === 'number') return -arg;
      if (node.operator === '!' && typeof arg === 'number') return !arg;
      throw new NotLiteral(`operator ${String(node.operator)}`);
    }
    default:
      throw new NotLiteral(node.type);
  }
}

/** `window._CONFIG` or `window._CONFIG.DETAIL` as a dotted name, else null. */
function memberName(node: AnyNode): string | null {
  if (node.type === 'Identifier') return node.name as string;
  if (node.type !== 'MemberExpression') return null;
  const obj = memberName(node.object as AnyNode);
  const prop = node.property as AnyNode;
  const key = node.computed
    ? prop.type === 'Literal'
      ? String(prop.value)
      : null
    : (prop.name as string);
  return obj && key ? `${obj}.${key}` : null;
}

interface Assignment {
  name: string;
  value: AnyNode;
  source: string;
}

/** Every `a.b.c = <expr>` in a script, depth-first (assignments inside statements too). */
function assignments(script: string): Assignment[] {
  const tree = parse(script, {
    ecmaVersion: 'latest',
    sourceType: 'script',
    allowReturnOutsideFunction: true,
  }) as unknown as AnyNode;
  const out: Assignment[] = [];
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) {
      for (const c of n) visit(c);
      return;
    }
    if (!n || typeof n !== 'object' || typeof (n as AnyNode).type !== 'string') return;
    const node = n as AnyNode;
    if (node.type === 'AssignmentExpression' && node.operator === '=') {
      const name = memberName(node.left as AnyNode);
      const value = node.right as AnyNode;
      if (name) out.push({ name, value, source: script.slice(value.start, value.end) });
    }
    if (node.type === 'VariableDeclarator' && (node.id as AnyNode).type === 'Identifier') {
      const value = node.init as AnyNode | null;
      if (value)
        out.push({
          name: (node.id as AnyNode).name as string,
          value,
          source: script.slice(value.start, value.end),
        });
    }
    for (const [k, v] of Object.entries(node)) {
      if (k !== 'type' && k !== 'start' && k !== 'end') visit(v);
    }
  };
  visit(tree);
  return out;
}

const CONFIG_NAMES = new Set(['window._CONFIG', '_CONFIG']);

/**
 * The page's `window._CONFIG` object with every literal property it sets
 * (later assignments such as `window._CONFIG.SID = '1'` merged in), or null
 * when no script sets it. Throws when a script that should hold it does not parse.
 */
export function readPageConfig(html: string): Record<string, unknown> | null {
  let config: Record<string, unknown> | null = null;
  for (const script of inlineScripts(html)) {
    if (!script.includes('_CONFIG')) continue;
    for (const a of assignments(script)) {
      if (CONFIG_NAMES.has(a.name)) {
        if (a.value.type !== 'ObjectExpression') continue;
        config = { ...(config ?? {}) };
        for (const p of a.value.properties as AnyNode[]) {
          if (p.type !== 'Property' || p.computed) continue;
          const k = p.key as AnyNode;
          const key = k.type === 'Identifier' ? (k.name as string) : String(k.value);
          try {
            config[key] = literal(p.value as AnyNode);
          } catch {
            // A property holding code (a function, a variable) is not data: skipped.
          }
        }
      } else {
        const m = /^(?:window\.)?_CONFIG\.(\w+)$/.exec(a.name);
        if (!m) continue;
        config ??= {};
        try {
          config[m[1]] = m[1] === 'DETAIL' ? JSON.parse(a.source) : literal(a.value);
        } catch {
          if (m[1] === 'DETAIL') throw new Error('window._CONFIG.DETAIL is not valid JSON');
        }
      }
    }
  }
  return config;
}
