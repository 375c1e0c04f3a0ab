/** `gongkai keygen --out <prefix> [--id <key id>]`. */
import { generateKeyPairSync } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { keyThumbprint } from '../keys.ts';
import { guardWrites, writeAtomic } from '../output.ts';
import { EXIT, exists, parse, required, UsageError } from '../util.ts';
import type { JwkP256 } from '../../content/bundle.ts';

export async function keygenCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse('keygen', argv, {
    out: { type: 'string' },
    id: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length > 0) throw new UsageError(`gongkai keygen: unexpected ${positionals[0]}`);
  const prefix = required('keygen', values.out, 'out');
  const privPath = `${prefix}.private.pem`;
  const pubPath = `${prefix}.public.pem`;
  for (const p of [privPath, pubPath]) {
    if (await exists(p))
      throw new UsageError(`gongkai keygen: ${p} exists; refusing to overwrite a key`);
  }
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const j = publicKey.export({ format: 'jwk' });
  const jwk: JwkP256 = { kty: 'EC', crv: 'P-256', x: String(j.x), y: String(j.y) };
  const id = values.id ?? keyThumbprint(jwk);
  if (/[/\\]$/.test(prefix) || prefix === '')
    throw new UsageError(
      `gongkai keygen: --out is a file name prefix such as keys/office-2026, got ${prefix}`,
    );
  // The README's first command names keys/… before that folder exists: make it (owner only).
  await mkdir(dirname(privPath), { recursive: true, mode: 0o700 });
  guardWrites();
  await writeAtomic(privPath, privateKey.export({ type: 'pkcs8', format: 'pem' }), {
    mode: 0o600,
    makeFolder: false,
  });
  await writeAtomic(pubPath, publicKey.export({ type: 'spki', format: 'pem' }), {
    makeFolder: false,
  });
  const entry = { id, label: `key ${id}`, jwk };
  if (values.json) {
    console.log(JSON.stringify({ privateKey: privPath, publicKey: pubPath, trustedKey: entry }));
  } else {
    console.log(`wrote ${privPath} (keep it secret) and ${pubPath}`);
    console.log('add this to "trustedKeys" in your kiosk-config file:');
    console.log(JSON.stringify(entry, null, 2));
  }
  return EXIT.ok;
}
