/**
 * `gongkai alert publish|cancel|clear`: the small signed alerts file
 * (alerts.json + alerts.sig) beside a bundle, so an emergency does not wait
 * for a content rebuild.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BUNDLE_FORMAT, parseManifest, type AlertsFile } from '../../content/bundle.ts';
import { alertsFileBytes, parseAlertsFile } from '../../content/alerts.ts';
import type { Alert } from '../../content/types.ts';
import { normalizeAlert } from '../../content/validate.ts';
import { loadSigningKey, signBytes } from '../keys.ts';
import { cleanStaleTemps, guardWrites, writeAtomic } from '../output.ts';
import { checkKeyChange, checkKioskTrust } from '../trust.ts';
import {
  EXIT,
  exists,
  InvalidError,
  isDirectory,
  parse,
  required,
  timeOption,
  UsageError,
} from '../util.ts';
import { problemLine } from './content.ts';

const common = {
  key: { type: 'string' },
  out: { type: 'string' },
  demo: { type: 'boolean' },
  'bundle-id': { type: 'string' },
  'key-id': { type: 'string' },
  config: { type: 'string', multiple: true },
  rotate: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

async function previous(out: string): Promise<AlertsFile<Alert> | null> {
  const p = join(out, 'alerts.json');
  if (!(await exists(p))) return null;
  return parseAlertsFile(new Uint8Array(await readFile(p)), p);
}

async function bundleIdOf(
  out: string,
  given: string | undefined,
  prev: AlertsFile<Alert> | null,
): Promise<string> {
  if (given) return given;
  if (prev) return prev.bundleId;
  const m = join(out, 'manifest.json');
  if (await exists(m)) return parseManifest(new Uint8Array(await readFile(m))).bundleId;
  throw new UsageError('gongkai alert: --bundle-id is required when --out holds no bundle yet');
}

/** Signs and writes the next alerts file; the sequence only ever grows. */
async function write(
  command: string,
  values: {
    key?: string;
    out?: string;
    demo?: boolean;
    'bundle-id'?: string;
    'key-id'?: string;
    config?: string[];
    rotate?: boolean;
    json?: boolean;
  },
  update: (alerts: Alert[], now: Date) => Alert[],
): Promise<number> {
  const keyPath = required(command, values.key, 'key');
  const out = required(command, values.out, 'out');
  const signer = await loadSigningKey(keyPath, values['key-id']);
  if (signer.demo && !values.demo) {
    throw new UsageError(
      `gongkai ${command}: ${keyPath} is the public demo key; pass --demo to use it`,
    );
  }
  if ((await exists(out)) && !(await isDirectory(out)))
    throw new UsageError(`gongkai ${command}: --out ${out} is a file, not a bundle folder`);
  // An emergency alert signed with a key the kiosks do not trust would silently never appear.
  await checkKioskTrust(command, signer, keyPath, values.config ?? [], out, (w) =>
    console.error(w),
  );
  await checkKeyChange(command, signer, out, 'alerts.json', values.rotate === true, (w) =>
    console.error(w),
  );
  await cleanStaleTemps(out, 0);
  const prev = await previous(out);
  const now = new Date();
  // Drop alerts that expired: kiosks ignore them and the file stays small.
  const kept = (prev?.alerts ?? []).filter((a) => Date.parse(a.expires) > now.getTime());
  const alerts = update(kept, now);
  // Seconds since the epoch, so a lost alerts.json cannot restart the sequence below one kiosks saw.
  const sequence = Math.max((prev?.sequence ?? 0) + 1, Math.floor(now.getTime() / 1000));
  const file: AlertsFile<Alert> = {
    format: BUNDLE_FORMAT,
    bundleId: await bundleIdOf(out, values['bundle-id'], prev),
    sequence,
    issuedAt: now.toISOString(),
    keyId: signer.id,
    alerts,
  };
  const bytes = alertsFileBytes(file);
  await mkdir(out, { recursive: true });
  guardWrites();
  for (const [name, data] of [
    ['alerts.sig', `${signBytes(signer.key, bytes)}\n`],
    ['alerts.json', bytes],
  ] as const) {
    await writeAtomic(join(out, name), data, { makeFolder: false });
  }
  const live = alerts.filter((a) => !a.cancelled && Date.parse(a.effective) <= now.getTime());
  if (values.json)
    console.log(JSON.stringify({ ok: true, sequence, alerts, live: live.length }, null, 2));
  else
    console.log(
      `wrote ${join(out, 'alerts.json')}: sequence ${sequence}, ${alerts.length} alerts, ${live.length} in force now`,
    );
  return EXIT.ok;
}

async function publish(argv: string[]): Promise<number> {
  const { values, positionals } = parse('alert publish', argv, {
    ...common,
    id: { type: 'string' },
    severity: { type: 'string' },
    headline: { type: 'string' },
    text: { type: 'string' },
    area: { type: 'string' },
    effective: { type: 'string' },
    expires: { type: 'string' },
    issuer: { type: 'string' },
  });
  if (positionals.length > 0)
    throw new UsageError(`gongkai alert publish: unexpected ${positionals[0]}`);
  for (const k of ['severity', 'headline', 'text', 'area', 'expires'] as const)
    required('alert publish', values[k], k);
  // Refused option values are usage errors (exit 2), before anything is signed.
  const expires = timeOption('alert publish', values.expires, 'expires');
  const effective = timeOption('alert publish', values.effective, 'effective');
  if (expires && effective && expires <= effective)
    throw new UsageError(
      `gongkai alert publish: --expires ${values.expires} is not after --effective ${values.effective}`,
    );
  const severities = ['red', 'orange', 'yellow', 'blue'];
  if (!severities.includes(values.severity ?? ''))
    throw new UsageError(
      `gongkai alert publish: --severity must be one of ${severities.join(', ')}, got ${values.severity}`,
    );
  const now = new Date();
  const raw = {
    id: values.id ?? `alert-${now.toISOString().replace(/[-:.]/g, '').slice(0, 15)}`,
    kind: 'alert',
    severity: values.severity,
    headline: values.headline,
    text: values.text,
    area: values.area,
    effective: values.effective ?? now.toISOString(),
    expires: values.expires,
    ...(values.issuer ? { issuer: values.issuer } : {}),
  };
  const r = normalizeAlert('(command line)', raw);
  if (!r.alert) {
    for (const p of r.errors) console.error(problemLine(p));
    return EXIT.invalid;
  }
  const alert = r.alert;
  return write('alert publish', values, (alerts) => {
    if (alerts.some((a) => a.id === alert.id))
      throw new InvalidError(`alert ${alert.id} already exists; cancel it or pick another --id`);
    return [...alerts, alert];
  });
}

async function cancel(argv: string[]): Promise<number> {
  const { values, positionals } = parse('alert cancel', argv, common);
  if (positionals.length !== 1) throw new UsageError('gongkai alert cancel: give the alert id');
  const id = positionals[0];
  return write('alert cancel', values, (alerts) => {
    if (!alerts.some((a) => a.id === id))
      throw new InvalidError(`no alert ${id} in force in ${values.out}/alerts.json`);
    // Kept as cancelled (not deleted) so kiosks holding the alert drop it explicitly.
    return alerts.map((a) => (a.id === id ? { ...a, cancelled: true } : a));
  });
}

async function clear(argv: string[]): Promise<number> {
  const { values, positionals } = parse('alert clear', argv, common);
  if (positionals.length > 0)
    throw new UsageError(`gongkai alert clear: unexpected ${positionals[0]}`);
  return write('alert clear', values, (alerts) => alerts.map((a) => ({ ...a, cancelled: true })));
}

export async function alertCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'publish') return publish(rest);
  if (sub === 'cancel') return cancel(rest);
  if (sub === 'clear') return clear(rest);
  throw new UsageError(
    `gongkai alert: unknown subcommand ${sub ?? '(none)'}; one of publish, cancel, clear`,
  );
}
