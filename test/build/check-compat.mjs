// `npm test` step `compat`: fails when the built JS (dist/) holds syntax or a
// built-in API that an engine tier lacks (README "Which browsers"):
// - display tier, Chromium 66: every chunk the page loads at start (the static
//   closure of the entry and of the chunks src/main.ts imports before the app);
// - supported tier, Chromium 83: every other chunk (loaded on demand: PDF,
//   Traditional conversion, search worker, pure-JS crypto) and the workers.
// An API counts as present when the page polyfills it (src/compat/missing.ts
// names what src/compat/polyfills.ts provides) or when the code guards it
// (GUARDED below, each with its reason). Exit 0 clean, 1 violations, 2 usage.
import { parse } from 'acorn';
import { ancestor, simple } from 'acorn-walk';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { API, GUARDED, OWN_POLYFILLS, SYNTAX, polyfilledNames } from './compat-rules.mjs';

const dist = process.argv[2] ?? 'dist';
const TIER = { display: 66, supported: 83 };
const polyfilled = polyfilledNames(readFileSync('src/compat/missing.ts', 'utf8'));

/** Relative imports of a chunk: static (`import … from "./x.js"`) and dynamic. */
function imports(ast) {
  const stat = [];
  const dyn = [];
  for (const n of ast.body) {
    if (
      (n.type === 'ImportDeclaration' ||
        n.type === 'ExportNamedDeclaration' ||
        n.type === 'ExportAllDeclaration') &&
      n.source
    )
      stat.push(n.source.value);
  }
  simple(ast, {
    ImportExpression: (n) => {
      if (n.source.type === 'Literal') dyn.push(n.source.value);
      // Rolldown writes chunk names as template literals without expressions.
      if (n.source.type === 'TemplateLiteral' && n.source.expressions.length === 0)
        dyn.push(n.source.quasis[0].value.cooked);
    },
  });
  return { stat, dyn };
}

/** Scans one chunk: syntax features and API uses, each with the Chromium version it needs. */
export function scan(src, sourceType = 'module') {
  const ast = parse(src, { ecmaVersion: 'latest', sourceType, allowHashBang: true });
  const found = [];
  const typeofNames = new Set();
  const own = (table, key) => (Object.hasOwn(table, key) ? table[key] : undefined);
  const declared = new Set();
  // A use the code feature-checks is not a requirement: `typeof X`, `X || fallback`,
  // `X ?? fallback`, `if (X)`, `X ? … : …`, and every use of a global the file typeof-checks.
  const guarded = (anc) => {
    const node = anc[anc.length - 1];
    const parent = anc[anc.length - 2];
    if (!parent) return false;
    if (parent.type === 'UnaryExpression' && parent.operator === 'typeof') return true;
    if (parent.type === 'LogicalExpression' && parent.left === node && parent.operator !== '&&')
      return true;
    if (
      (parent.type === 'IfStatement' || parent.type === 'ConditionalExpression') &&
      parent.test === node
    )
      return true;
    if (parent.type === 'BinaryExpression' && parent.right === node && parent.operator === 'in')
      return true;
    return false;
  };
  let current = [];
  const add = (name, min, global = false) => {
    if (!guarded(current)) found.push({ name, min, global });
  };
  const visitors = {
    VariablePattern: (n) => declared.add(n.name),
    Identifier: (n) => {
      const api = own(API.globals, n.name);
      if (api) add(n.name, api, true);
    },
    UnaryExpression: (n) => {
      if (n.operator !== 'typeof') return;
      const a = n.argument;
      if (a.type === 'Identifier') typeofNames.add(a.name);
      if (a.type === 'MemberExpression' && !a.computed && a.property.type === 'Identifier') {
        typeofNames.add(a.property.name);
        if (a.object.type === 'Identifier') typeofNames.add(`${a.object.name}.${a.property.name}`);
      }
    },
    MemberExpression: (n) => {
      if (n.computed || n.property.type !== 'Identifier') return;
      const prop = n.property.name;
      const obj = n.object.type === 'Identifier' ? n.object.name : null;
      if (obj && ['globalThis', 'self', 'window'].includes(obj) && own(API.globals, prop))
        add(prop, own(API.globals, prop));
      const owned = obj ? own(API.statics, `${obj}.${prop}`) : undefined;
      if (owned) add(`${obj}.${prop}`, owned);
      const member = own(API.members, prop);
      if (member) add(prop, member);
    },
    CallExpression: (n) => {
      const c = n.callee;
      if (c.type === 'MemberExpression' && !c.computed && c.property.type === 'Identifier') {
        const m = own(API.calls, c.property.name);
        // clients.matchAll() is the service worker's Clients API (Chromium 40), not String's.
        const onClients =
          (c.object.type === 'Identifier' && c.object.name === 'clients') ||
          (c.object.type === 'MemberExpression' &&
            !c.object.computed &&
            c.object.property.name === 'clients');
        if (m && !onClients) add(`.${c.property.name}()`, m);
      }
    },
  };
  const syntax = [];
  for (const [type, rule] of Object.entries(SYNTAX)) {
    const prev = visitors[type];
    visitors[type] = (n, st) => {
      prev?.(n, st);
      const hit = rule(n);
      if (hit) syntax.push({ name: hit.name, min: hit.min });
    };
  }
  const tracked = {};
  for (const [type, fn] of Object.entries(visitors)) {
    tracked[type] = (n, st, anc) => {
      current = anc;
      fn(n, st);
    };
  }
  ancestor(ast, tracked);
  found.push(...syntax);
  // Top-level await: forbidden everywhere (it stalls the whole module graph, and
  // Chromium < 89 cannot parse it).
  const topLevel = (n, _st, anc) => {
    if (!anc.some((a) => /Function/.test(a.type))) add('top-level await', 999);
  };
  ancestor(ast, {
    AwaitExpression: topLevel,
    ForOfStatement: (n, st, anc) => n.await && topLevel(n, st, anc),
  });
  // Identifiers the chunk declares itself are not the global of that name.
  return {
    ast,
    uses: found.filter((u) => !typeofNames.has(u.name) && !(u.global && declared.has(u.name))),
  };
}

function main() {
  if (!existsSync(join(dist, 'index.html'))) {
    console.error(`check-compat: ${dist}/index.html not found: run npm run build first`);
    process.exit(2);
  }
  const assets = join(dist, 'assets');
  const files = readdirSync(assets).filter((f) => f.endsWith('.js'));
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const entry = /<script type="module"[^>]*src="\.\/assets\/([^"]+)"/.exec(html)?.[1];
  if (!entry) throw new Error('no module entry in dist/index.html');
  const scanned = new Map(files.map((f) => [f, scan(readFileSync(join(assets, f), 'utf8'))]));
  const graph = new Map([...scanned].map(([f, s]) => [f, imports(s.ast)]));
  const base = (p) => p.replace(/^\.\//, '').replace(/^assets\//, '');
  // At start the page loads the entry's static closure, then (src/main.ts) the polyfills,
  // lit-styles and start chunks with their static closures.
  const startChunks = [entry, ...graph.get(entry).dyn.map(base)];
  const atStart = new Set();
  const visit = (f) => {
    if (atStart.has(f) || !graph.has(f)) return;
    atStart.add(f);
    for (const d of graph.get(f).stat) visit(base(d));
  };
  startChunks.forEach(visit);
  const problems = [];
  const report = [];
  for (const [f, { uses }] of scanned) {
    const worker = /worker/i.test(f);
    const tier = atStart.has(f) && !worker ? TIER.display : TIER.supported;
    const seen = new Map();
    for (const u of uses) {
      if (u.min <= tier) continue;
      if (!worker && polyfilled.has(u.name)) continue;
      if (OWN_POLYFILLS.some((p) => p.file.test(f) && p.names.includes(u.name))) continue;
      const guard = GUARDED.find((g) => g.name === u.name && g.file.test(f));
      if (guard) continue;
      seen.set(u.name, u.min);
    }
    report.push(
      `${f.padEnd(34)} ${tier === TIER.display ? 'Chromium 66 (at start)' : 'Chromium 83 (on demand)'}${seen.size ? '  ✗ ' + [...seen].map(([n, m]) => `${n} (${m})`).join(', ') : '  ok'}`,
    );
    for (const [n, m] of seen)
      problems.push(
        `${f}: ${n} needs Chromium ${m === 999 ? '(never allowed)' : m}, the chunk must run on ${tier}`,
      );
  }
  // The service worker runs on every engine of both tiers (secure origins only).
  const sw = scan(readFileSync(join(dist, 'sw.js'), 'utf8'), 'script');
  const swOwn = OWN_POLYFILLS.find((p) => p.file.test('sw.js'))?.names ?? [];
  const swBad = [
    ...new Set(
      sw.uses
        .filter((u) => u.min > TIER.display && !swOwn.includes(u.name))
        .filter((u) => !GUARDED.some((g) => g.name === u.name && g.file.test('sw.js')))
        .map((u) => `${u.name} (${u.min})`),
    ),
  ];
  report.push(
    `${'sw.js'.padEnd(34)} Chromium 66 (service worker)${swBad.length ? '  ✗ ' + swBad.join(', ') : '  ok'}`,
  );
  for (const b of swBad) problems.push(`sw.js: ${b}`);
  console.log(report.join('\n'));
  if (problems.length) {
    console.error(`\ncheck-compat: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`\ncheck-compat: ${scanned.size + 1} files ok for their tiers`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
