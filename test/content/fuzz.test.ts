// Fuzzing of the content code a kiosk runs on bytes it did not write
// (issue #11, case `fuzz`): manifest parsing, signed-bundle verification,
// item validation, the HTML sanitiser and the .gkb unpacker. `npm test` runs
// 150 cases per target with a fixed seed; `npm run test:reliability` 1,500
// with a new seed each run. See test/reliability/fuzz.ts for what counts as a
// failure.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { JSDOM } from 'jsdom';
import createDOMPurify from 'dompurify';
import {
  BundleError,
  base64UrlDecode,
  base64UrlEncode,
  isSafePath,
  parseManifest,
  type Manifest,
} from '../../src/content/bundle.ts';
import { verifyBundle } from '../../src/content/verify.ts';
import { packBundle, unpackBundle } from '../../src/content/pack.ts';
import { normalizeItem, validateContent } from '../../src/content/validate.ts';
import {
  ALLOWED_ATTR,
  ALLOWED_TAGS,
  createSanitizer,
  type HtmlSanitizer,
} from '../../src/content/sanitize.ts';
import { demoItems, demoKey, makeBundle, newKey, signBytes } from '../helpers/make-bundle.ts';
import { fuzz, mutated, type Verdict } from '../reliability/fuzz.ts';

const OK: Verdict = { ok: true };
const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const accepted = (detail: string): Verdict => ({ ok: false, kind: 'accepted', detail });
/** The documented error type is BundleError; anything else thrown is a crash. */
function rejectedProperly(e: unknown): Verdict {
  if (e instanceof BundleError) return OK;
  throw e;
}

const LIMITS = { maxFileBytes: 1_000_000, maxBundleBytes: 10_000_000 };
const KEY = demoKey();
const TRUSTED = [{ id: KEY.id, jwk: KEY.jwk }];
const ITEMS = demoItems().slice(0, 5);
const BASE = makeBundle({ items: ITEMS, version: 7 });

/** Invariants of a manifest that parseManifest accepted. Returns what is wrong, or null. */
function manifestProblem(m: Manifest): string | null {
  const refs = [...m.indexes, ...(m.indexLists ?? []), ...m.files];
  if (!Number.isSafeInteger(m.version) || m.version < 1) return `version ${m.version}`;
  if (!Number.isSafeInteger(m.itemCount) || m.itemCount < 0) return `itemCount ${m.itemCount}`;
  if (
    !Number.isSafeInteger(m.totalBytes) ||
    m.totalBytes < 0 ||
    m.totalBytes > LIMITS.maxBundleBytes
  )
    return `totalBytes ${m.totalBytes}`;
  for (const k of ['generatedAt', 'expiresAt'] as const)
    if (Number.isNaN(Date.parse(m[k]))) return `${k} ${m[k]}`;
  for (const r of refs) {
    if (!isSafePath(r.path)) return `unsafe path ${r.path}`;
    if (!/^[0-9a-f]{64}$/.test(r.sha256)) return `sha256 ${r.sha256}`;
    if (!Number.isSafeInteger(r.size) || r.size < 0 || r.size > LIMITS.maxFileBytes)
      return `size ${r.size}`;
  }
  return null;
}

function reader(files: ReadonlyMap<string, Uint8Array>) {
  return async (path: string) => files.get(path) ?? null;
}

// The full run's 1,000–1,500 cases per target take up to ~30 s on a loaded 2-core machine.
const FULL_TIMEOUT = { timeout: 180_000 };

describe('fuzz: content code on hostile bytes', FULL_TIMEOUT, () => {
  let sanitize: HtmlSanitizer;
  let parseHtml: (html: string) => DocumentFragment;
  beforeAll(() => {
    const { window } = new JSDOM('');
    sanitize = createSanitizer(
      createDOMPurify(window as unknown as Parameters<typeof createDOMPurify>[0]),
    );
    parseHtml = (html) => {
      const t = window.document.createElement('template');
      t.innerHTML = html;
      return t.content;
    };
  });

  it('manifest parsing: mutated manifests are rejected with BundleError or accepted only when valid', async () => {
    const raw = fc.oneof(
      { weight: 4, arbitrary: mutated(BASE.manifest).map((m) => enc(m)) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 }))
          .map(([at, bytes]) => {
            const b = new Uint8Array(BASE.files.get('manifest.json') as Uint8Array);
            b.set(bytes.subarray(0, Math.max(0, b.length - (at % b.length))), at % b.length);
            return b;
          }),
      },
    );
    const r = await fuzz({
      name: 'manifest-parse',
      arb: raw,
      check: (bytes) => {
        let m: Manifest;
        try {
          m = parseManifest(bytes, LIMITS);
        } catch (e) {
          return rejectedProperly(e);
        }
        const p = manifestProblem(m);
        return p ? accepted(p) : OK;
      },
    });
    expect(r, r.first ?? '').toMatchObject({ crashes: 0, hangs: 0, accepted: 0 });
  });

  it('bundle verification: any change to a signed bundle is rejected with BundleError', async () => {
    const listed = [...BASE.files.keys()];
    const change = fc.oneof(
      // Flip bits of one byte of any file (manifest and signature included).
      fc
        .record({
          file: fc.constantFrom(...listed),
          at: fc.nat(),
          bit: fc.integer({ min: 0, max: 7 }),
        })
        .map(({ file, at, bit }) => (files: Map<string, Uint8Array>) => {
          const had = files.get(file);
          if (!had || had.length === 0) return `${file} already gone`;
          const b = new Uint8Array(had);
          if (file === 'manifest.sig') {
            let sig: Uint8Array;
            try {
              sig = base64UrlDecode(new TextDecoder().decode(b));
            } catch {
              return 'signature already damaged';
            }
            sig[at % sig.length] ^= 1 << bit;
            files.set(file, new TextEncoder().encode(base64UrlEncode(sig)));
          } else {
            b[at % b.length] ^= 1 << bit;
            files.set(file, b);
          }
          return `bit ${bit} of byte ${at % b.length} of ${file}`;
        }),
      // Truncate or extend one file.
      fc
        .record({
          file: fc.constantFrom(...listed),
          cut: fc.nat(),
          extra: fc.uint8Array({ minLength: 1, maxLength: 16 }),
        })
        .map(({ file, cut, extra }) => (files: Map<string, Uint8Array>) => {
          const b = files.get(file);
          if (!b) return `${file} already deleted`;
          if (cut % 2 === 0 && b.length > 0) {
            files.set(file, b.subarray(0, cut % b.length));
            return `${file} truncated to ${cut % b.length}`;
          }
          const out = new Uint8Array(b.length + extra.length);
          out.set(b);
          out.set(extra, b.length);
          files.set(file, out);
          return `${file} extended by ${extra.length}`;
        }),
      // Delete one file.
      fc.constantFrom(...listed).map((file) => (files: Map<string, Uint8Array>) => {
        files.delete(file);
        return `${file} deleted`;
      }),
      // A hostile manifest signed with a key the kiosk does not trust.
      mutated(BASE.manifest).map((m) => (files: Map<string, Uint8Array>) => {
        const bytes = enc(m);
        files.set('manifest.json', bytes);
        files.set('manifest.sig', new TextEncoder().encode(signBytes(bytes, newKey('attacker'))));
        return 'manifest re-signed with an untrusted key';
      }),
    );
    const r = await fuzz({
      name: 'bundle-verify',
      arb: fc.array(change, { minLength: 1, maxLength: 3 }),
      cases: { short: 100, full: 1000 },
      check: async (changes) => {
        const files = new Map(BASE.files);
        const what = changes.map((c) => c(files)).join('; ');
        try {
          await verifyBundle(reader(files), TRUSTED, LIMITS);
        } catch (e) {
          return rejectedProperly(e);
        }
        return accepted(what);
      },
    });
    expect(r, r.first ?? '').toMatchObject({ crashes: 0, hangs: 0, accepted: 0 });
  });

  it('bundle verification: hostile manifests signed by a trusted key throw only BundleError', async () => {
    // What a stolen or careless signing key could produce: structure, not signature, is the attack.
    const r = await fuzz({
      name: 'bundle-verify-signed-hostile',
      arb: mutated(BASE.manifest),
      cases: { short: 100, full: 1000 },
      check: async (m) => {
        const files = new Map(BASE.files);
        const bytes = enc(m);
        files.set('manifest.json', bytes);
        files.set('manifest.sig', new TextEncoder().encode(signBytes(bytes, KEY)));
        let out;
        try {
          out = await verifyBundle(reader(files), TRUSTED, LIMITS);
        } catch (e) {
          return rejectedProperly(e);
        }
        const p = manifestProblem(out.manifest);
        if (p) return accepted(p);
        if (out.items.length !== out.manifest.itemCount) return accepted('item count mismatch');
        return OK;
      },
    });
    expect(r, r.first ?? '').toMatchObject({ crashes: 0, hangs: 0, accepted: 0 });
  });

  it('.gkb unpacking: round-trips packed files and rejects damaged packs with BundleError', async () => {
    const packed = packBundle(BASE.files);
    const damaged = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc.tuple(fc.nat(), fc.nat({ max: 255 })).map(([at, v]) => {
        const b = new Uint8Array(packed);
        b[at % b.length] = v;
        return b;
      }),
      fc.nat().map((n) => packed.subarray(0, n % packed.length)),
      // A header that is valid JSON of the wrong shape, with a correct length.
      fc.jsonValue({ maxDepth: 3 }).map((h) => {
        const header = enc(h);
        const b = new Uint8Array(12 + header.length + 4);
        b.set(new TextEncoder().encode('GKBPACK1'));
        new DataView(b.buffer).setUint32(8, header.length);
        b.set(header, 12);
        return b;
      }),
      mutated({ files: [...BASE.files].map(([path, b]) => ({ path, size: b.length })) }).map(
        (h) => {
          const header = enc(h);
          const b = new Uint8Array(12 + header.length + (packed.length - 12));
          b.set(new TextEncoder().encode('GKBPACK1'));
          new DataView(b.buffer).setUint32(8, header.length);
          b.set(header, 12);
          return b;
        },
      ),
    );
    const r = await fuzz({
      name: 'gkb-unpack',
      arb: damaged,
      check: (bytes) => {
        let files: Map<string, Uint8Array>;
        try {
          files = unpackBundle(bytes);
        } catch (e) {
          return rejectedProperly(e);
        }
        let total = 0;
        for (const [path, b] of files) {
          if (!isSafePath(path)) return accepted(`unsafe path ${path}`);
          total += b.length;
        }
        const headerLen = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8);
        if (12 + headerLen + total !== bytes.length) return accepted('sizes do not add up');
        return OK;
      },
    });
    expect(r, r.first ?? '').toMatchObject({ crashes: 0, hangs: 0, accepted: 0 });

    const safePath = fc
      .array(fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,11}$/), { minLength: 1, maxLength: 3 })
      .map((segs) => segs.join('/'))
      .filter((p) => isSafePath(p) && !p.split('/').some((s) => s === '.' || s === '..'));
    const rt = await fuzz({
      name: 'gkb-roundtrip',
      arb: fc.uniqueArray(fc.tuple(safePath, fc.uint8Array({ maxLength: 64 })), {
        selector: ([p]) => p,
        maxLength: 8,
      }),
      check: (entries) => {
        const files = new Map(entries);
        // A path that is both a file and a directory prefix is still a valid pack entry.
        const back = unpackBundle(packBundle(files));
        if (back.size !== files.size) return accepted(`round trip lost files`);
        for (const [p, b] of files) {
          const c = back.get(p);
          if (!c || c.length !== b.length || c.some((x, i) => x !== b[i]))
            return accepted(`round trip changed ${p}`);
        }
        return OK;
      },
    });
    expect(rt, rt.first ?? '').toMatchObject({ crashes: 0, hangs: 0, accepted: 0 });
  });

  it('item validation: never throws, and an item without errors is well-formed and sanitised', async () => {
    const bases = demoItems() as unknown[];
    const opts = () => ({ today: '2026-11-24', sanitize });
    const r = await fuzz({
      name: 'item-validate',
      arb: fc.oneof(
        { weight: 5, arbitrary: fc.constantFrom(...bases).chain((b) => mutated(b)) },
        { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
      ),
      check: (raw) => {
        const { item, errors } = normalizeItem('fuzz.json', raw, opts());
        if (!item || errors.length > 0) return OK;
        const it = item as unknown as Record<string, unknown>;
        if (typeof it.id !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(it.id))
          return accepted(`id ${String(it.id)}`);
        const titleKey = it.kind === 'notice' ? 'title' : 'itemName';
        const title = (it[titleKey] as Record<string, unknown> | undefined)?.['zh-Hans'];
        if (typeof title !== 'string' || title.trim() === '')
          return accepted(`${titleKey} missing`);
        if (it.kind === 'notice') {
          if (typeof it.publishDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(it.publishDate))
            return accepted(`publishDate ${String(it.publishDate)}`);
          if (it.body !== undefined && it.body !== null) {
            if (typeof it.body !== 'string') return accepted('body not text');
            if (/<script|\son\w+\s*=|javascript:/i.test(it.body))
              return accepted(`unsanitised body ${it.body.slice(0, 80)}`);
          }
        }
        return OK;
      },
    });
    expect(r, r.first ?? '').toMatchObject({ crashes: 0, hangs: 0, accepted: 0 });
    // And the cross-item rules on a mixed list.
    const set = await fuzz({
      name: 'content-set-validate',
      arb: fc.array(
        fc.constantFrom(...bases).chain((b) => mutated(b)),
        { maxLength: 6 },
      ),
      cases: { short: 50, full: 1000 },
      check: (list) => {
        validateContent(
          list.map((data, i) => ({ file: `f${i}.json`, data })),
          opts(),
        );
        return OK;
      },
    });
    expect(set, set.first ?? '').toMatchObject({ crashes: 0, hangs: 0, accepted: 0 });
  });

  it('HTML sanitiser: output keeps only the allow-list and is stable when sanitised again', async () => {
    const tags = [
      'script',
      'img',
      'a',
      'svg',
      'math',
      'style',
      'iframe',
      'p',
      'table',
      'td',
      'form',
      'template',
      'noscript',
      'xmp',
      'textarea',
      'title',
      'object',
      'embed',
      'select',
      'option',
      'div',
      'mglyph',
      'mtext',
      'foreignObject',
      'desc',
    ];
    const attrs = [
      'onerror',
      'onload',
      'href',
      'src',
      'style',
      'srcdoc',
      'xlink:href',
      'formaction',
      'title',
      'alt',
      'is',
      'id',
      'name',
      'data-x',
    ];
    const values = [
      'javascript:alert(1)',
      'jav&#x09;ascript:alert(1)',
      'data:text/html,<script>1</script>',
      'data:image/png;base64,AA',
      'https://example.gov.cn/',
      'objects/ab/x.png',
      'x" onerror="alert(1)',
      '</p><script>1</script>',
      '&lt;img src=x onerror=1&gt;',
      '--><img src=x onerror=1>',
    ];
    const token = fc.oneof(
      fc.tuple(fc.constantFrom(...tags), fc.array(fc.tuple(fc.constantFrom(...attrs), fc.constantFrom(...values)), { maxLength: 3 }))
        .map(([t, as]) => `<${t}${as.map(([a, v]) => ` ${a}="${v}"`).join('')}>`),
      fc.constantFrom(...tags).map((t) => `</${t}>`),
      fc.constantFrom('<!--', '-->', '<![CDATA[', ']]>', '"', "'", '<', '>', '&', '\u0000', '</', '<!', '<?'),
      fc.string({ maxLength: 8 }),
    ); // prettier-ignore
    const allowedTags = new Set<string>(ALLOWED_TAGS);
    const allowedAttrs = new Set<string>(ALLOWED_ATTR);
    const r = await fuzz({
      name: 'html-sanitize',
      arb: fc.array(token, { maxLength: 24 }).map((ts) => ts.join('')),
      check: (html) => {
        const once = sanitize(html).html;
        const walker = parseHtml(once).querySelectorAll('*');
        for (const el of walker) {
          const tag = el.localName;
          if (!allowedTags.has(tag)) return accepted(`<${tag}> kept in ${once.slice(0, 120)}`);
          for (const a of el.attributes) {
            // DOMPurify cannot remove `is` once parsed (customised built-ins): it empties it instead.
            if (a.name === 'is' && a.value === '') continue;
            if (!allowedAttrs.has(a.name)) return accepted(`${a.name} kept on <${tag}>`);
            if (
              (a.name === 'href' || a.name === 'src') &&
              /^\s*(javascript|vbscript|data:text)/i.test(a.value)
            )
              return accepted(`${a.name}=${a.value} kept`);
          }
        }
        const twice = sanitize(once).html;
        if (twice !== once)
          return accepted(`not idempotent: ${once.slice(0, 80)} → ${twice.slice(0, 80)}`);
        return OK;
      },
    });
    expect(r, r.first ?? '').toMatchObject({ crashes: 0, hangs: 0, accepted: 0 });
  });
});
