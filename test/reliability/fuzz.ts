// The fuzz driver of the reliability suite (issue #11, case `fuzz`): feeds
// fast-check values to a target and counts, instead of stopping at the first
// one, every crash (an exception other than the documented error type), hang
// (a case over its time limit) and invalid input accepted. The first failure
// is shrunk by fast-check for a readable counterexample.
//
// Recorded as one trial per target with data {cases, crashes, hangs, accepted}.
import fc from 'fast-check';
import {
  recordTrial,
  RELIABILITY_FULL,
  trials,
  type ReliabilityCase,
} from '../helpers/reliability.ts';

/** The `fuzz` case of docs/reliability.md. */
export const FUZZ_CASE: ReliabilityCase = {
  id: 'fuzz',
  title: 'Fuzzed manifests, items, packed bundles and kiosk-config',
  failures: 'targets with a crash, hang or invalid input accepted',
  how: 'fast-check generates hostile and mutated inputs (≥ 1,000 per target in the full run) for the manifest parser, signed-bundle verification, item validation, the HTML sanitiser, the .gkb unpacker and the kiosk-config validator. One trial per target; a failure is an exception other than the documented error type, a case over its time limit, or invalid input accepted.',
};

/** What one case did. */
export type Verdict = { ok: true } | { ok: false; kind: 'crash' | 'accepted'; detail: string };

export interface FuzzTarget<T> {
  /** Short name, the trial name in the report. */
  name: string;
  arb: fc.Arbitrary<T>;
  /** Checks one value; throws only when the target crashed (the caller decides what a crash is). */
  check: (value: T) => Verdict | Promise<Verdict>;
  /** Cases in `npm test` and in the full run. */
  cases?: { short: number; full: number };
  /** A case taking longer than this is a hang. */
  timeLimitMs?: number;
  seed?: number;
}

export interface FuzzResult {
  cases: number;
  crashes: number;
  hangs: number;
  accepted: number;
  /** The first failure, shrunk where fast-check could. */
  first: string | null;
  ms: number;
}

const HANG = Symbol('hang');

async function withLimit<T>(p: Promise<T>, ms: number): Promise<T | typeof HANG> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<typeof HANG>((resolve) => {
    timer = setTimeout(() => resolve(HANG), ms);
  });
  try {
    return await Promise.race([p, limit]);
  } finally {
    clearTimeout(timer);
  }
}

function show(v: unknown): string {
  try {
    const s = fc.stringify(v);
    return s.length > 300 ? `${s.slice(0, 300)}…` : s;
  } catch {
    return String(v);
  }
}

/**
 * Runs one target: every generated case is checked, failures are counted, and
 * the trial is recorded. Returns the counts for the test's own assertion.
 */
export async function fuzz<T>(target: FuzzTarget<T>): Promise<FuzzResult> {
  const n = trials(target.cases?.short ?? 150, target.cases?.full ?? 1500);
  const limit = target.timeLimitMs ?? 2000;
  // A fixed seed in npm test keeps it reproducible; the full run explores new cases each time.
  const seed = target.seed ?? (RELIABILITY_FULL ? Date.now() : 20261124);
  const values = fc.sample(target.arb, { numRuns: n, seed });
  const t0 = performance.now();
  const r: FuzzResult = { cases: 0, crashes: 0, hangs: 0, accepted: 0, first: null, ms: 0 };
  let firstValue: { value: T } | null = null;
  let firstKind = '';
  for (const value of values) {
    r.cases++;
    const c0 = performance.now();
    let verdict: Verdict | typeof HANG;
    try {
      verdict = await withLimit(Promise.resolve(target.check(value)), limit);
    } catch (e) {
      verdict = {
        ok: false,
        kind: 'crash',
        detail: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
      };
    }
    // Synchronous targets cannot be interrupted; a slow return is a hang all the same.
    if (verdict !== HANG && performance.now() - c0 > limit) verdict = HANG;
    if (verdict === HANG) {
      r.hangs++;
      if (!r.first) {
        firstKind = `hang over ${limit} ms`;
        r.first = `${firstKind} on ${show(value)}`;
        firstValue = { value };
      }
    } else if (!verdict.ok) {
      if (verdict.kind === 'crash') r.crashes++;
      else r.accepted++;
      if (!r.first) {
        firstKind = `${verdict.kind}: ${verdict.detail}`;
        r.first = `${firstKind} on ${show(value)}`;
        firstValue = { value };
      }
    }
  }
  r.ms = Math.round(performance.now() - t0);
  if (firstValue) {
    // Shrink for the report; the counts above stay those of the sampled run.
    const details = await fc.check(
      fc.asyncProperty(target.arb, async (v) => {
        const out = await withLimit(
          Promise.resolve().then(() => target.check(v)),
          limit,
        ).catch(() => ({ ok: false }) as const);
        return out !== HANG && out.ok;
      }),
      { seed, numRuns: n, endOnFailure: false },
    );
    if (details.failed && details.counterexample)
      r.first = `${firstKind}; smallest failing case found by shrinking: ${show(details.counterexample[0])}`;
  }
  const bad = r.crashes + r.hangs + r.accepted;
  recordTrial(FUZZ_CASE, {
    trial: target.name,
    ok: bad === 0,
    detail: bad === 0 ? `${r.cases} cases in ${r.ms} ms` : (r.first ?? ''),
    data: {
      cases: r.cases,
      crashes: r.crashes,
      hangs: r.hangs,
      accepted: r.accepted,
      ms: r.ms,
      seed,
    },
  });
  return r;
}

/** Values a hostile or careless source puts where a field should be. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null, undefined, '', ' ', 0, -1, 1.5, 2 ** 53, -(2 ** 53), Number.MAX_VALUE, true, [], {},
    '../../etc/passwd', '/abs/path', 'a\\b', 'C:\\x', '%2e%2e/x', 'objects//x', '__proto__',
    'constructor', '<script>alert(1)</script>', 'javascript:alert(1)', '\u0000', '\ud800',
    '9999-99-99', '2026-02-30', '0000-00-00', 'NaN', 'Infinity', '1e309', 'x'.repeat(5000),
    { __proto__: { polluted: true } }, [[[[[]]]]], { toString: 'x', valueOf: 1 },
  ),
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.integer(),
  fc.double(),
); // prettier-ignore

type Json = unknown;
type Path = (string | number)[];

function pathsOf(v: Json, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => pathsOf(x, [...at, i], out));
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) pathsOf(x, [...at, k], out);
  return out;
}

function setAt(root: Json, path: Path, op: 'set' | 'delete' | 'add', value: unknown): Json {
  if (path.length === 0) return op === 'set' ? value : root;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (op === 'delete') {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else Reflect.deleteProperty(node, last);
  } else if (op === 'add') {
    if (Array.isArray(node)) node.push(value);
    else node[`x${String(last)}`] = value;
  } else node[last] = value;
  return copy;
}

/**
 * Variants of a valid JSON document: 1–4 edits, each replacing a field with a
 * hostile value, deleting it, or adding a sibling. Most cases stay close to
 * valid, which is where a validator's mistakes hide.
 */
export function mutated(base: Json): fc.Arbitrary<Json> {
  const paths = pathsOf(base);
  const edit = fc.record({
    at: fc.nat({ max: paths.length - 1 }),
    op: fc.constantFrom('set', 'set', 'delete', 'add') as fc.Arbitrary<'set' | 'delete' | 'add'>,
    value: hostileValue,
  });
  return fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => {
    let doc = base;
    for (const e of edits) {
      const all = pathsOf(doc);
      const p = all[e.at % all.length];
      try {
        doc = setAt(doc, p, e.op, e.value);
      } catch {
        // structuredClone refuses some generated values (functions are not generated; symbols may be).
      }
    }
    return doc;
  });
}
