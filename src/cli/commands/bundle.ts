/**
 * `gongkai bundle build|verify|diff|pack|unpack`: the signed bundle a kiosk
 * syncs (format in src/content/bundle.ts, docs/content.md).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  BundleError,
  parseManifest,
  type FileRef,
  type JwkP256,
  type Manifest,
} from '../../content/bundle.ts';
import { buildBundle, calendarFile, taxonomyFile, type ExtraFile } from '../../content/build.ts';
import { PACK_FILE, packBundle, unpackBundle } from '../../content/pack.ts';
import { parseAlertsFile } from '../../content/alerts.ts';
import type { Item } from '../../content/types.ts';
import { listBundleFiles, verifyBundle } from '../../content/verify.ts';
import { buildCharPinyinTable, deriveSearchData } from '../../search/derive.ts';
import { listFiles, loadCalendar } from '../content-dir.ts';
import {
  demoKeys,
  keysFromConfig,
  KIOSK_CONFIG_DIR,
  loadPublicKey,
  loadSigningKey,
  signBytes,
} from '../keys.ts';
import { openBundle, readManifest } from '../source.ts';
import {
  EXIT,
  exists,
  intOption,
  InvalidError,
  isDirectory,
  mapLimit,
  parse,
  progress,
  required,
  todayOption,
  UsageError,
} from '../util.ts';
import { checkContentDir, problemLine } from './content.ts';
import { verifySignature } from '../../content/bundle.ts';

/** User plus system CPU time, in ms. */
const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Writes a file atomically (temp file, then rename), creating folders. */
async function writeAtomic(
  path: string,
  bytes: Uint8Array | string,
  makeFolder = true,
): Promise<void> {
  if (makeFolder) await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, bytes);
  await rename(tmp, path);
}

const EXT_BY_MIME: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/svg+xml': 'svg',
};

/** Trusted keys for reading an older bundle: the signer and every kiosk-config key. */
async function localTrust(
  extra: { id: string; jwk: JwkP256 }[],
): Promise<{ id: string; jwk: JwkP256 }[]> {
  const keys = [...extra];
  for (const f of await listFiles(KIOSK_CONFIG_DIR)) {
    if (!f.endsWith('.json') || f === 'schema.json') continue;
    try {
      keys.push(...(await keysFromConfig(join(KIOSK_CONFIG_DIR, f))));
    } catch {
      // Not a kiosk configuration: nothing to trust from it.
    }
  }
  return keys;
}

async function build(argv: string[]): Promise<number> {
  const { values, positionals } = parse('bundle build', argv, {
    key: { type: 'string' },
    out: { type: 'string' },
    demo: { type: 'boolean' },
    version: { type: 'string' },
    'bundle-id': { type: 'string' },
    'key-id': { type: 'string' },
    'expires-days': { type: 'string' },
    from: { type: 'string' },
    'next-key': { type: 'string', multiple: true },
    today: { type: 'string' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean' },
  });
  const keyPath = required('bundle build', values.key, 'key');
  const out = required('bundle build', values.out, 'out');
  if (values.from ? positionals.length !== 0 : positionals.length !== 1) {
    throw new UsageError(
      'gongkai bundle build: give one content directory, or --from <older bundle> and none',
    );
  }
  const signer = await loadSigningKey(keyPath, values['key-id']);
  if (signer.demo && !values.demo) {
    throw new UsageError(
      `gongkai bundle build: ${keyPath} is the public demo key; pass --demo to build a demo bundle (kiosks show 演示 on it)`,
    );
  }
  const expiresDays = intOption('bundle build', values['expires-days'], 'expires-days') ?? 30;
  const log = (s: string): void => {
    if (!values.json && !values.quiet) console.error(s);
  };

  let items: Item[];
  let extra: ExtraFile[] = [];
  let fromVersion = 0;
  let fromBundleId: string | undefined;
  const started = performance.now();
  if (values.from) {
    const src = await openBundle(values.from);
    const trust = await localTrust([{ id: signer.id, jwk: signer.jwk }]);
    const v = await verifyBundle(src.read, trust);
    fromVersion = v.manifest.version;
    fromBundleId = v.manifest.bundleId;
    items = [];
    for (const it of v.items) {
      const bytes = (await src.read(it.ref.path)) as Uint8Array;
      items.push((JSON.parse(new TextDecoder().decode(bytes)) as { item: Item }).item);
    }
    for (const f of v.manifest.files) {
      const ext = f.path.slice(f.path.lastIndexOf('.') + 1);
      extra.push({
        role: f.role,
        ...(f.name ? { name: f.name } : {}),
        ext,
        bytes: (await src.read(f.path)) as Uint8Array,
      });
    }
    log(`republishing ${items.length} items of ${values.from} (version ${fromVersion})`);
  } else {
    const dir = positionals[0];
    const report = await checkContentDir(
      dir,
      todayOption('bundle build', values.today),
      values.quiet || values.json,
    );
    if (report.errors.length > 0) {
      if (values.json)
        console.log(
          JSON.stringify({ ok: false, errors: report.errors, warnings: report.warnings }, null, 2),
        );
      else for (const p of report.errors) console.error(problemLine(p));
      console.error(
        `gongkai bundle build: refused, ${report.errors.length} errors in ${dir} (see "gongkai content check")`,
      );
      return EXIT.invalid;
    }
    for (const p of report.warnings) log(problemLine(p));
    items = report.items.map((n) => n.item);
    extra = [calendarFile(loadCalendar()), taxonomyFile()];
    // The kiosk matches homophone typos with this table, so it never loads pinyin-pro.
    extra.push({
      role: 'search',
      name: 'char-pinyin',
      ext: 'json',
      bytes: new TextEncoder().encode(JSON.stringify(buildCharPinyinTable(items))),
    });
    // Attachments live in <content-dir>/attachments/ and are matched by sha256.
    const attDir = join(dir, 'attachments');
    const byHash = new Map<string, Uint8Array>();
    if (await isDirectory(attDir)) {
      for (const f of await listFiles(attDir)) {
        const b = new Uint8Array(await readFile(join(attDir, f)));
        byHash.set(sha256(b), b);
      }
    }
    const missing: string[] = [];
    for (const it of items) {
      for (const [i, a] of (it.kind === 'notice' ? (it.attachments ?? []) : []).entries()) {
        const b = byHash.get(a.sha256);
        if (!b)
          missing.push(
            `error ${dir} (item ${it.id}, field attachments[${i}].sha256): no file with this sha256 in attachments/`,
          );
        else
          extra.push({
            role: 'attachment',
            name: a.name,
            ext: EXT_BY_MIME[a.mime] ?? 'bin',
            bytes: b,
          });
      }
    }
    if (missing.length > 0) {
      for (const m of missing) console.error(m);
      return EXIT.invalid;
    }
    if (await exists(join(dir, 'synonyms.json'))) {
      // synonyms.json is read by the loader as content only if it is an item; it is a singleton here.
      extra.push({
        role: 'synonyms',
        name: 'synonyms',
        ext: 'json',
        bytes: new Uint8Array(await readFile(join(dir, 'synonyms.json'))),
      });
    }
  }

  // Version: explicit, or one more than what --out (and --from) already hold.
  let previous: Manifest | null = null;
  if (await exists(join(out, 'manifest.json'))) {
    try {
      previous = parseManifest(new Uint8Array(await readFile(join(out, 'manifest.json'))));
    } catch (e) {
      throw new InvalidError(
        `${join(out, 'manifest.json')}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }
  const floor = Math.max(previous?.version ?? 0, fromVersion);
  const version = intOption('bundle build', values.version, 'version') ?? floor + 1;
  if (previous && version <= previous.version) {
    throw new UsageError(
      `gongkai bundle build: --version ${version} is not greater than ${previous.version} already in ${out}; kiosks refuse lower versions`,
    );
  }
  const bundleId =
    values['bundle-id'] ??
    previous?.bundleId ??
    fromBundleId ??
    (values.demo ? 'gongkai-demo' : undefined);
  if (!bundleId)
    throw new UsageError('gongkai bundle build: --bundle-id is required (e.g. the office name)');

  const nextKeys = [];
  for (const p of values['next-key'] ?? []) nextKeys.push(await loadPublicKey(p));

  const bar = progress('building', values.quiet || values.json);
  const now = new Date();
  const built = await buildBundle({
    bundleId,
    version,
    generatedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + expiresDays * 86_400_000).toISOString(),
    keyId: signer.id,
    nextKeys,
    items,
    derive: (item) => deriveSearchData(item),
    files: extra,
    hash: sha256,
    onProgress: (d, t) => bar.tick(d, t),
  });
  bar.end();
  const builtMs = performance.now() - started;
  let written = 0;
  // Content-addressed: a file already in --out (an older version) is the same bytes.
  const made = new Map<string, Promise<unknown>>();
  await mapLimit([...built.files], 32, async ([p, bytes]) => {
    const path = join(out, p);
    if (await exists(path)) return;
    const folder = dirname(path);
    let ready = made.get(folder);
    if (!ready) made.set(folder, (ready = mkdir(folder, { recursive: true })));
    await ready;
    await writeAtomic(path, bytes, false);
    written += bytes.length;
  });
  const sig = signBytes(signer.key, built.manifestBytes);
  // The packed copy beside the manifest: a kiosk syncing most of the bundle fetches
  // it in one request (src/sync/ingest.ts), and it is the file to sideload.
  const packFiles = new Map(built.files);
  packFiles.set('manifest.json', built.manifestBytes);
  packFiles.set('manifest.sig', new TextEncoder().encode(`${sig}\n`));
  await writeAtomic(join(out, PACK_FILE), packBundle(packFiles));
  await writeAtomic(join(out, 'manifest.sig'), `${sig}\n`);
  await writeAtomic(join(out, 'manifest.json'), built.manifestBytes);
  const totalMs = performance.now() - started;
  const summary = {
    ok: true,
    out,
    bundleId,
    version,
    items: items.length,
    files: built.files.size,
    totalBytes: built.manifest.totalBytes,
    manifestBytes: built.manifestBytes.length,
    newBytesWritten: written,
    keyId: signer.id,
    demo: signer.demo,
    expiresAt: built.manifest.expiresAt,
    buildMs: Math.round(builtMs),
    totalMs: Math.round(totalMs),
    // CPU time of the whole process (start-up included): on a busy machine it
    // says more about the build than wall time does.
    cpuMs: Math.round(cpuMs(process.cpuUsage())),
  };
  if (values.json) console.log(JSON.stringify(summary, null, 2));
  else {
    console.log(
      `built ${out}: ${bundleId} version ${version}, ${items.length} items, ${built.files.size} files, ${built.manifest.totalBytes} bytes, signed by ${signer.id}${signer.demo ? ' (DEMO key)' : ''}, expires ${built.manifest.expiresAt}`,
    );
    console.log(
      `time: ${Math.round(builtMs)} ms to read, validate, build and hash, ${Math.round(totalMs)} ms in all (${summary.cpuMs} ms of CPU)`,
    );
  }
  return EXIT.ok;
}

async function trustedKeys(command: string, pub: string | undefined, config: string | undefined) {
  if (!pub && !config)
    throw new UsageError(
      `gongkai ${command}: give --pub <public key file> or --config <kiosk-config.json>`,
    );
  const keys: { id: string; jwk: JwkP256 }[] = [];
  if (pub) keys.push(await loadPublicKey(pub));
  if (config) keys.push(...(await keysFromConfig(config)));
  return keys;
}

async function verify(argv: string[]): Promise<number> {
  const { values, positionals } = parse('bundle verify', argv, {
    pub: { type: 'string' },
    config: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 1)
    throw new UsageError('gongkai bundle verify: give one bundle directory or .gkb file');
  const keys = await trustedKeys('bundle verify', values.pub, values.config);
  const b = await openBundle(positionals[0]);
  const v = await verifyBundle(b.read, keys);
  // alerts.json beside the bundle is signed separately; check it when present.
  let alerts: { sequence: number; count: number } | null = null;
  const alertBytes = await b.read('alerts.json');
  if (alertBytes) {
    const sig = await b.read('alerts.sig');
    if (!sig) throw new BundleError('alerts.sig', 'missing beside alerts.json');
    const ok = await verifySignature(alertBytes, new TextDecoder().decode(sig).trim(), keys);
    if (!ok)
      throw new BundleError(
        'alerts.sig',
        'signature does not verify alerts.json with any trusted key',
      );
    const file = parseAlertsFile(alertBytes);
    alerts = { sequence: file.sequence, count: file.alerts.length };
  }
  const demo = (await demoKeys()).some((k) => k.id === v.keyId);
  const bytes = v.files.reduce((s, f) => s + f.size, 0);
  if (values.json) {
    console.log(
      JSON.stringify(
        {
          ok: true,
          bundleId: v.manifest.bundleId,
          version: v.manifest.version,
          items: v.items.length,
          files: v.files.length,
          bytes,
          keyId: v.keyId,
          demo,
          alerts,
        },
        null,
        2,
      ),
    );
  } else {
    console.log(
      `ok ${b.label}: ${v.manifest.bundleId} version ${v.manifest.version}, signature by ${v.keyId}${demo ? ' (DEMO key)' : ''}, ${v.items.length} items, ${v.files.length} files (${bytes} bytes) checked`,
    );
    if (alerts) console.log(`ok alerts.json: sequence ${alerts.sequence}, ${alerts.count} alerts`);
  }
  return EXIT.ok;
}

async function diff(argv: string[]): Promise<number> {
  const { values, positionals } = parse('bundle diff', argv, { json: { type: 'boolean' } });
  if (positionals.length !== 2)
    throw new UsageError('gongkai bundle diff: give <old bundle> <new bundle>');
  const [oldB, newB] = await Promise.all(positionals.map(openBundle));
  const [o, n] = await Promise.all([readManifest(oldB), readManifest(newB)]);
  const [of, nf] = await Promise.all([
    listBundleFiles(o.manifest, oldB.read),
    listBundleFiles(n.manifest, newB.read),
  ]);
  const oldItems = new Map(of.items.map((i) => [i.id, i.ref.sha256]));
  const newItems = new Map(nf.items.map((i) => [i.id, i.ref.sha256]));
  const added = [...newItems.keys()].filter((id) => !oldItems.has(id)).sort();
  const removed = [...oldItems.keys()].filter((id) => !newItems.has(id)).sort();
  const changed = [...newItems.keys()]
    .filter((id) => oldItems.has(id) && oldItems.get(id) !== newItems.get(id))
    .sort();
  const have = new Set(of.files.map((f) => f.sha256));
  const sigBytes = (await newB.read('manifest.sig'))?.length ?? 0;
  const fetch: FileRef[] = nf.files.filter(
    (f, i, all) => !have.has(f.sha256) && all.findIndex((g) => g.sha256 === f.sha256) === i,
  );
  const download = n.bytes.length + sigBytes + fetch.reduce((s, f) => s + f.size, 0);
  const full = n.bytes.length + sigBytes + n.manifest.totalBytes;
  const result = {
    from: { version: o.manifest.version, items: oldItems.size },
    to: { version: n.manifest.version, items: newItems.size },
    added,
    changed,
    removed,
    downloadFiles: fetch.length,
    downloadBytes: download,
    fullBytes: full,
    downloadShare: full > 0 ? download / full : 0,
  };
  if (values.json) console.log(JSON.stringify(result, null, 2));
  else {
    console.log(`version ${o.manifest.version} → ${n.manifest.version}`);
    for (const id of added) console.log(`+ ${id}`);
    for (const id of changed) console.log(`~ ${id}`);
    for (const id of removed) console.log(`- ${id}`);
    console.log(`${added.length} added, ${changed.length} changed, ${removed.length} removed`);
    console.log(
      `a kiosk holding the old version downloads ${download} bytes in ${fetch.length + 2} files (${(result.downloadShare * 100).toFixed(2)}% of ${full})`,
    );
  }
  return EXIT.ok;
}

async function pack(argv: string[]): Promise<number> {
  const { values, positionals } = parse('bundle pack', argv, { json: { type: 'boolean' } });
  if (positionals.length !== 2)
    throw new UsageError('gongkai bundle pack: give <bundle dir> <file.gkb>');
  const [dir, file] = positionals;
  if (!(await isDirectory(dir)))
    throw new UsageError(`gongkai bundle pack: ${dir} is not a bundle directory`);
  const b = await openBundle(dir);
  const m = await readManifest(b);
  const files = new Map<string, Uint8Array>([['manifest.json', m.bytes]]);
  for (const p of ['manifest.sig', 'alerts.json', 'alerts.sig']) {
    const bytes = await b.read(p);
    if (bytes) files.set(p, bytes);
  }
  if (!files.has('manifest.sig')) throw new BundleError('manifest.sig', 'missing');
  // Only the files this manifest reaches: older versions' objects stay behind.
  const { files: refs } = await listBundleFiles(m.manifest, b.read);
  for (const r of refs) files.set(r.path, (await b.read(r.path)) as Uint8Array);
  const packed = packBundle(files);
  await writeAtomic(file, packed);
  if (values.json)
    console.log(JSON.stringify({ ok: true, file, files: files.size, bytes: packed.length }));
  else
    console.log(
      `packed ${dir} (version ${m.manifest.version}, ${files.size} files) into ${file}, ${packed.length} bytes`,
    );
  return EXIT.ok;
}

async function unpack(argv: string[]): Promise<number> {
  const { positionals } = parse('bundle unpack', argv, {});
  if (positionals.length !== 2)
    throw new UsageError('gongkai bundle unpack: give <file.gkb> <dir>');
  const [file, dir] = positionals;
  const files = unpackBundle(new Uint8Array(await readFile(file)), file);
  for (const [p, bytes] of files) await writeAtomic(join(dir, p), bytes);
  console.log(`unpacked ${files.size} files into ${dir}`);
  return EXIT.ok;
}

export async function bundleCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'build':
      return build(rest);
    case 'verify':
      return verify(rest);
    case 'diff':
      return diff(rest);
    case 'pack':
      return pack(rest);
    case 'unpack':
      return unpack(rest);
    default:
      throw new UsageError(
        `gongkai bundle: unknown subcommand ${sub ?? '(none)'}; one of build, verify, diff, pack, unpack`,
      );
  }
}
