/**
 * `gongkai bundle build|verify|diff|pack|unpack`: the signed bundle a kiosk
 * syncs (format in src/content/bundle.ts, docs/content.md). Build and verify
 * live in bundle-build.ts and bundle-verify.ts.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BundleError, type FileRef } from '../../content/bundle.ts';
import { packBundle, unpackBundle } from '../../content/pack.ts';
import { listBundleFiles } from '../../content/verify.ts';
import { guardWrites, writeAtomic, writeFolderAtomic } from '../output.ts';
import { openBundle, readManifest } from '../source.ts';
import { EXIT, exists, IoError, isDirectory, parse, UsageError } from '../util.ts';
import { buildCommand } from './bundle-build.ts';
import { verifyCommand } from './bundle-verify.ts';

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
  // The manifest and its signature are always fetched: counted in text and JSON alike.
  const downloadFiles = fetch.length + 2;
  const result = {
    from: { version: o.manifest.version, items: oldItems.size },
    to: { version: n.manifest.version, items: newItems.size },
    added,
    changed,
    removed,
    downloadFiles,
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
      `a kiosk holding the old version downloads ${download} bytes in ${downloadFiles} files (${(result.downloadShare * 100).toFixed(2)}% of ${full})`,
    );
  }
  return EXIT.ok;
}

async function pack(argv: string[]): Promise<number> {
  const { values, positionals } = parse('bundle pack', argv, { json: { type: 'boolean' } });
  if (positionals.length !== 2)
    throw new UsageError('gongkai bundle pack: give <bundle dir> <file.gkb>');
  const [dir, file] = positionals;
  if (!(await exists(dir))) throw new IoError(`${dir}: no such bundle folder`);
  if (!(await isDirectory(dir)))
    throw new UsageError(`gongkai bundle pack: ${dir} is not a bundle directory`);
  if (await isDirectory(file))
    throw new UsageError(`gongkai bundle pack: ${file} is a folder; give the .gkb file to write`);
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
  guardWrites();
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
  const { values, positionals } = parse('bundle unpack', argv, { json: { type: 'boolean' } });
  if (positionals.length !== 2)
    throw new UsageError('gongkai bundle unpack: give <file.gkb> <dir>');
  const [file, dir] = positionals;
  if (!(await exists(file))) throw new IoError(`${file}: no such .gkb file`);
  if (await isDirectory(file))
    throw new UsageError(`gongkai bundle unpack: ${file} is a folder; give a .gkb file`);
  if (await exists(dir)) {
    if (!(await isDirectory(dir)) || (await readdir(dir)).length > 0)
      throw new UsageError(
        `gongkai bundle unpack: ${dir} exists and is not an empty folder; give a new folder`,
      );
  }
  const files = unpackBundle(new Uint8Array(await readFile(file)), file);
  guardWrites();
  // The folder appears complete or not at all.
  await writeFolderAtomic(dir, async (tmp) => {
    for (const [p, bytes] of files) await writeAtomic(join(tmp, p), bytes);
  });
  if (values.json) console.log(JSON.stringify({ ok: true, dir, files: files.size }));
  else console.log(`unpacked ${files.size} files into ${dir}`);
  return EXIT.ok;
}

export async function bundleCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'build':
      return buildCommand(rest);
    case 'verify':
      return verifyCommand(rest);
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
