/**
 * `gongkai bundle build`: validates a content folder (or an older bundle, for
 * republishing), refuses what kiosks would refuse (an untrusted key, a key
 * change without --rotate, files over the kiosks' size limits), then writes
 * the new objects, the packed copy, the signature and the manifest last, each
 * through a temporary sibling; Ctrl-C removes what the run had written.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseManifest, type JwkP256, type Manifest } from '../../content/bundle.ts';
import { buildBundle, calendarFile, taxonomyFile, type ExtraFile } from '../../content/build.ts';
import { PACK_FILE, packBundle } from '../../content/pack.ts';
import type { Item } from '../../content/types.ts';
import { verifyBundle } from '../../content/verify.ts';
import { buildCharPinyinTable, deriveSearchData } from '../../search/derive.ts';
import { listFiles, loadCalendar } from '../content-dir.ts';
import {
  keysFromConfig,
  KIOSK_CONFIG_DIR,
  loadPublicKey,
  loadSigningKey,
  signBytes,
} from '../keys.ts';
import { cleanStaleTemps, commitRun, guardWrites, writeAtomic } from '../output.ts';
import { openBundle } from '../source.ts';
import { checkKeyChange, checkKioskTrust, kioskLimits, megabytes } from '../trust.ts';
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

const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

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

/** `gongkai bundle build …`; returns the exit code. */
export async function buildCommand(argv: string[]): Promise<number> {
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
    config: { type: 'string', multiple: true },
    rotate: { type: 'boolean' },
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
  const configs = values.config ?? [];
  // From here on Ctrl-C exits 130 and removes whatever this run wrote.
  guardWrites();
  if (await exists(out)) {
    if (!(await isDirectory(out)))
      throw new UsageError(`gongkai bundle build: --out ${out} is a file, not a bundle folder`);
    // A run killed before it finished (SIGKILL, power loss) left temporaries: remove them.
    const stale = await cleanStaleTemps(out);
    if (stale > 0) log(`removed ${stale} temporary files an interrupted build left in ${out}`);
  }
  // Refuse before any work what kiosks would refuse: an untrusted key, a silent key change.
  await checkKioskTrust('bundle build', signer, keyPath, configs, out, (w) => console.error(w));
  await checkKeyChange('bundle build', signer, out, 'manifest.json', values.rotate === true, (w) =>
    console.error(w),
  );
  const limits = await kioskLimits(configs);

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
      limits,
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
  }).catch((e: unknown) => {
    // buildBundle's own checks (duplicate ids) are content errors, not bugs.
    throw new InvalidError(`gongkai bundle build: ${e instanceof Error ? e.message : String(e)}`);
  });
  bar.end();
  // The kiosks' limits, checked before anything is written: a bundle they refuse is never published.
  for (const [p, bytes] of built.files) {
    if (bytes.length > limits.maxFileBytes)
      throw new InvalidError(
        `gongkai bundle build: refused: ${p} would be ${megabytes(bytes.length)}, over the kiosks' limit of ${megabytes(limits.maxFileBytes)} per file (sync.maxFileBytes); split the item or shrink its body`,
      );
  }
  if (built.manifest.totalBytes > limits.maxBundleBytes)
    throw new InvalidError(
      `gongkai bundle build: refused: the bundle would be ${megabytes(built.manifest.totalBytes)}, over the kiosks' limit of ${megabytes(limits.maxBundleBytes)} (sync.maxBundleBytes)`,
    );
  const builtMs = performance.now() - started;
  let written = 0;
  // Content-addressed: a file already in --out (an older version) is the same bytes.
  const made = new Map<string, Promise<unknown>>();
  const wbar = progress('writing', values.quiet || values.json);
  let settled = 0;
  await mapLimit([...built.files], 32, async ([p, bytes]) => {
    wbar.tick(++settled, built.files.size);
    const path = join(out, p);
    if (await exists(path)) return;
    const folder = dirname(path);
    let ready = made.get(folder);
    if (!ready) made.set(folder, (ready = mkdir(folder, { recursive: true })));
    await ready;
    await writeAtomic(path, bytes, { makeFolder: false, newFile: true });
    written += bytes.length;
  });
  wbar.end();
  const sig = signBytes(signer.key, built.manifestBytes);
  // The packed copy beside the manifest: a kiosk syncing most of the bundle fetches
  // it in one request (src/sync/ingest.ts), and it is the file to sideload.
  log(`packing ${built.files.size + 2} files into ${join(out, PACK_FILE)}`);
  const packFiles = new Map(built.files);
  packFiles.set('manifest.json', built.manifestBytes);
  packFiles.set('manifest.sig', new TextEncoder().encode(`${sig}\n`));
  await writeAtomic(join(out, PACK_FILE), packBundle(packFiles));
  await writeAtomic(join(out, 'manifest.sig'), `${sig}\n`);
  await writeAtomic(join(out, 'manifest.json'), built.manifestBytes);
  // Published: the new objects belong to the manifest now, an interrupt no longer removes them.
  commitRun();
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
