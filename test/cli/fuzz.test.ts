/**
 * CLI fuzz test: every command with missing, malformed and hostile arguments
 * and files. Fails on any stack trace in the output, on main() throwing, and
 * on an exit code docs/cli.md does not document (70, the internal-error
 * code, included). The table below is the one in docs/cli.md ("Bad input").
 *
 * The CLI runs in this process (test/cli/in-process.ts): hundreds of calls in
 * a few seconds instead of a Node start-up each.
 */
import { generateKeyPairSync } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DOCUMENTED_EXIT_CODES, EXIT } from '../../src/cli/util.ts';
import { runCli, STACK_LINE, type Run } from './in-process.ts';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const ROOT = join(import.meta.dirname, '../..');
const FIX = join(import.meta.dirname, 'fixtures');
const tmp = mkdtempSync(join(tmpdir(), 'gongkai-fuzz-'));
const at = (...p: string[]): string => join(tmp, ...p);
const cwd = process.cwd();

/** Exit codes a user may see: everything documented except the internal-error code. */
const ALLOWED = DOCUMENTED_EXIT_CODES.filter((c) => c !== EXIT.internal);

function assertClean(argv: string[], r: Run): void {
  const label = `gongkai ${argv.join(' ')}\n--- stdout\n${r.out}\n--- stderr\n${r.err}`;
  expect(r.threw, label).toBeNull();
  expect(r.err, label).not.toMatch(STACK_LINE);
  expect(r.out, label).not.toMatch(STACK_LINE);
  expect(ALLOWED, label).toContain(r.code);
}

async function gk(...argv: string[]): Promise<Run> {
  const r = await runCli(argv);
  assertClean(argv, r);
  return r;
}

/** Writes a file, creating its folder. */
function put(path: string, data: string | Uint8Array): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, data);
  return path;
}

const notice = (extra: Record<string, unknown>): string =>
  JSON.stringify({
    kind: 'notice',
    id: 'fuzz-notice',
    docType: '通知',
    title: { 'zh-Hans': '关于开展政务公开日活动的通知' },
    issuer: ['某市人民政府办公室'],
    infoCategory: 'other',
    publishDate: '2026-11-10',
    disclosure: { mode: '主动公开' },
    privacy: { containsPersonalInfo: false },
    ...extra,
  });

beforeAll(async () => {
  // Relative paths a fuzzed argv may name land in the temporary folder, never in the repository.
  process.chdir(tmp);
  expect((await gk('keygen', '--out', at('keys', 'k'))).code).toBe(0);
  expect((await gk('keygen', '--out', at('keys', 'other'))).code).toBe(0);
  const entry = (
    JSON.parse((await gk('keygen', '--out', at('keys', 'j'), '--json')).out) as {
      trustedKey: unknown;
    }
  ).trustedKey;
  const k = JSON.parse((await gk('keygen', '--out', at('keys', 'k2'), '--json')).out) as {
    trustedKey: { id: string };
  };
  // A kiosk configuration trusting k2 only.
  const cfg = JSON.parse(readFileSync(join(ROOT, 'kiosk-config/service-hall.json'), 'utf8')) as {
    trustedKeys: unknown[];
    sync: Record<string, unknown>;
  };
  cfg.trustedKeys = [k.trustedKey];
  cfg.sync.bundleId = 'fuzz';
  put(at('kiosk.json'), JSON.stringify(cfg));
  put(at('j.jwk.json'), JSON.stringify(entry));
  cpSync(join(FIX, 'content-valid'), at('content'), { recursive: true });
  const b = await gk(
    'bundle',
    'build',
    at('content'),
    '--key',
    at('keys', 'k2.private.pem'),
    '--out',
    at('bundle'),
    '--bundle-id',
    'fuzz',
    '--config',
    at('kiosk.json'),
    '--today',
    '2026-11-24',
    '--quiet',
  );
  expect(b.code, b.err).toBe(0);
  expect((await gk('bundle', 'pack', at('bundle'), at('bundle.gkb'))).code).toBe(0);
  const gkb = readFileSync(at('bundle.gkb'));
  put(at('truncated.gkb'), gkb.subarray(0, gkb.length >> 1));
  const flipped = Buffer.from(gkb);
  flipped[flipped.length >> 1] ^= 1;
  cpSync(at('bundle'), at('flipped-pack'), { recursive: true });
  writeFileSync(at('flipped-pack', 'bundle.gkb'), flipped);

  // Hostile files.
  put(at('empty'), '');
  put(
    at('garbage.bin'),
    Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) & 0xff),
  );
  put(at('notjson.json'), '{ "trustedKeys": ');
  put(at('nokeys.json'), '{}');
  put(at('badkeys.json'), '{"trustedKeys":[{"id":1}]}');
  put(at('null.json'), 'null');
  put(
    at('rsa.pem'),
    generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }),
  );
  put(
    at('p384.pem'),
    generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }),
  );
  put(at('afile'), 'just a file');
  mkdirSync(at('emptydir'));
  put(at('notitle', 'a.json'), notice({ title: undefined }));
  put(
    at('backwards', 'a.json'),
    notice({ validity: { status: '有效', validFrom: '2026-05-01', validUntil: '2026-01-01' } }),
  );
  put(
    at('binary-md', 'a.md'),
    Uint8Array.from({ length: 2048 }, (_, i) => (i * 31) & 0xff),
  );
  put(at('huge-md', 'a.md'), Buffer.alloc(21_000_000, 0x61));
  put(at('huge-json', 'a.json'), notice({ id: 'huge', body: `<p>${'a'.repeat(21_000_000)}</p>` }));
  put(at('odd', 'list.json'), '[1, null, "x", {"kind": "notice"}, []]');
  put(at('odd', 'broken.yaml'), 'a: [1, 2\n  b: *nope');
  put(at('odd', 'deep.json'), `${'['.repeat(5000)}${']'.repeat(5000)}`);
  put(at('odd', 'bom.json'), `\uFEFF${notice({ id: 'bom' })}`);
  put(at('odd', 'x.csv'), '"unclosed,\n');
  put(at('odd', 'x.html'), '<html><body><script>alert(1)</script></body>');
  put(at('odd', 'x.txt'), '\u0000\u0001');
  put(at('odd', 'y.xlsx'), 'not a zip');
});

afterAll(() => {
  process.chdir(cwd);
  rmSync(tmp, { recursive: true, force: true });
});

const M = 'missing';
/** [what, argv, exit code, message the output must contain]. Mirrors docs/cli.md's table. */
const CASES: [string, () => string[], number, RegExp?][] = [
  ['no command', () => [], 2],
  ['unknown command', () => ['frobnicate'], 2, /unknown command frobnicate/],
  ['--version', () => ['--version'], 0, /^gongkai \d+\.\d+\.\d+/],
  ['keygen into a folder that does not exist', () => ['keygen', '--out', at('new', 'sub', 'k')], 0],
  [
    'keygen over an existing key',
    () => ['keygen', '--out', at('keys', 'k')],
    2,
    /refusing to overwrite/,
  ],
  ['keygen without --out', () => ['keygen'], 2, /--out is required/],
  ['keygen --out ending in /', () => ['keygen', '--out', at('keys') + '/'], 2, /prefix/],
  [
    'content check of a missing folder',
    () => ['content', 'check', at(M)],
    3,
    /no such content folder/,
  ],
  ['content check of a file', () => ['content', 'check', at('afile')], 2, /not a folder/],
  [
    'content check --today 2026-13-45',
    () => ['content', 'check', at('content'), '--today', '2026-13-45'],
    2,
    /real date/,
  ],
  [
    'an item without a title (text mode)',
    () => ['content', 'check', at('notitle')],
    1,
    /INVALID fuzz-notice \(no title\)/,
  ],
  [
    'validity that ends before it starts',
    () => ['content', 'check', at('backwards')],
    1,
    /ends before it starts/,
  ],
  ['a binary file named .md', () => ['content', 'check', at('binary-md')], 1, /not a text file/],
  [
    "a Markdown file over the kiosks' per-file limit",
    () => ['content', 'check', at('huge-md')],
    1,
    /over the kiosks' limit/,
  ],
  [
    'a JSON item over the per-file limit',
    () => ['content', 'check', at('huge-json')],
    1,
    /item huge\): the item is 21\.0 MB, over the kiosks' limit/,
  ],
  ['malformed JSON, YAML, CSV, XLSX, HTML, text', () => ['content', 'check', at('odd')], 1],
  [
    'content check --json on failure',
    () => ['content', 'check', at('notitle'), '--json'],
    1,
    /"errors"/,
  ],
  ['content check with a path holding a NUL byte', () => ['content', 'check', 'a\u0000b'], 3],
  [
    'bundle build without --key',
    () => ['bundle', 'build', at('content'), '--out', at('o1')],
    2,
    /--key is required/,
  ],
  [
    'bundle build with a missing key file',
    () => ['bundle', 'build', at('content'), '--key', at(M), '--out', at('o1')],
    3,
    /cannot read the private key/,
  ],
  [
    'bundle build with a key that is not PEM',
    () => ['bundle', 'build', at('content'), '--key', at('garbage.bin'), '--out', at('o1')],
    1,
    /not a PEM private key/,
  ],
  [
    'bundle build with an RSA key',
    () => ['bundle', 'build', at('content'), '--key', at('rsa.pem'), '--out', at('o1')],
    1,
    /not an ECDSA P-256 key/,
  ],
  [
    'bundle build with a P-384 key',
    () => ['bundle', 'build', at('content'), '--key', at('p384.pem'), '--out', at('o1')],
    1,
    /not an ECDSA P-256 key/,
  ],
  [
    'bundle build with a key the kiosks do not trust',
    () => [
      'bundle',
      'build',
      at('content'),
      '--key',
      at('keys', 'k.private.pem'),
      '--out',
      at('o1'),
      '--config',
      at('kiosk.json'),
    ],
    2,
    /do not trust/,
  ],
  [
    "bundle build with another key than the folder's",
    () => [
      'bundle',
      'build',
      at('content'),
      '--key',
      at('keys', 'k.private.pem'),
      '--out',
      at('bundle'),
    ],
    2,
    /--rotate/,
  ],
  [
    'bundle build --config that is not JSON',
    () => [
      'bundle',
      'build',
      at('content'),
      '--key',
      at('keys', 'k.private.pem'),
      '--out',
      at('o1'),
      '--config',
      at('notjson.json'),
    ],
    1,
    /not valid JSON/,
  ],
  [
    'bundle build --config without trustedKeys',
    () => [
      'bundle',
      'build',
      at('content'),
      '--key',
      at('keys', 'k.private.pem'),
      '--out',
      at('o1'),
      '--config',
      at('nokeys.json'),
    ],
    1,
    /no trustedKeys/,
  ],
  [
    'bundle build --version abc',
    () => [
      'bundle',
      'build',
      at('content'),
      '--key',
      at('keys', 'k2.private.pem'),
      '--out',
      at('bundle'),
      '--version',
      'abc',
    ],
    2,
    /positive integer/,
  ],
  [
    "bundle build --version not above the folder's",
    () => [
      'bundle',
      'build',
      at('content'),
      '--key',
      at('keys', 'k2.private.pem'),
      '--out',
      at('bundle'),
      '--version',
      '1',
      '--today',
      '2026-11-24',
    ],
    2,
    /not greater/,
  ],
  [
    'bundle build --out naming a file',
    () => [
      'bundle',
      'build',
      at('content'),
      '--key',
      at('keys', 'k.private.pem'),
      '--out',
      at('afile'),
    ],
    2,
    /is a file/,
  ],
  [
    'bundle build of a missing folder',
    () => [
      'bundle',
      'build',
      at(M),
      '--key',
      at('keys', 'k.private.pem'),
      '--out',
      at('o1'),
      '--bundle-id',
      'x',
    ],
    3,
  ],
  [
    'bundle build of a huge Markdown file',
    () => [
      'bundle',
      'build',
      at('huge-md'),
      '--key',
      at('keys', 'k.private.pem'),
      '--out',
      at('o2'),
      '--bundle-id',
      'x',
    ],
    1,
    /over the kiosks' limit/,
  ],
  ['bundle verify without a key', () => ['bundle', 'verify', at('bundle')], 2, /--pub/],
  [
    'bundle verify of a missing bundle',
    () => ['bundle', 'verify', at(M), '--config', at('kiosk.json')],
    3,
    /no such bundle/,
  ],
  [
    'bundle verify --json on failure',
    () => ['bundle', 'verify', at(M), '--config', at('kiosk.json'), '--json'],
    3,
    /"ok":false/,
  ],
  [
    'bundle verify with the wrong key',
    () => ['bundle', 'verify', at('bundle'), '--pub', at('j.jwk.json')],
    1,
    /FAILED manifest.sig/,
  ],
  [
    'bundle verify with a public key file that is garbage',
    () => ['bundle', 'verify', at('bundle'), '--pub', at('garbage.bin')],
    1,
    /not a P-256 public key/,
  ],
  [
    'one flipped byte in bundle.gkb beside the files',
    () => ['bundle', 'verify', at('flipped-pack'), '--config', at('kiosk.json')],
    1,
    /FAILED bundle\.gkb/,
  ],
  [
    'an expired bundle',
    () => [
      'bundle',
      'verify',
      at('bundle'),
      '--config',
      at('kiosk.json'),
      '--at',
      '2099-01-01T00:00:00Z',
    ],
    1,
    /expired at/,
  ],
  [
    'verify --at that is not a time',
    () => ['bundle', 'verify', at('bundle'), '--config', at('kiosk.json'), '--at', 'soon'],
    2,
    /ISO time/,
  ],
  [
    'a truncated .gkb',
    () => ['bundle', 'verify', at('truncated.gkb'), '--config', at('kiosk.json')],
    1,
    /FAILED/,
  ],
  [
    'a .gkb that is garbage',
    () => ['bundle', 'verify', at('garbage.bin'), '--config', at('kiosk.json')],
    1,
    /FAILED/,
  ],
  ['bundle diff with one bundle', () => ['bundle', 'diff', at('bundle')], 2],
  ['bundle diff with a missing bundle', () => ['bundle', 'diff', at('bundle'), at(M)], 3],
  ['bundle pack of a missing folder', () => ['bundle', 'pack', at(M), at('x.gkb')], 3],
  ['bundle pack onto a folder', () => ['bundle', 'pack', at('bundle'), at('emptydir')], 2],
  [
    'bundle unpack of a missing file',
    () => ['bundle', 'unpack', at(M), at('u1')],
    3,
    /no such \.gkb file/,
  ],
  ['bundle unpack of garbage', () => ['bundle', 'unpack', at('garbage.bin'), at('u2')], 1],
  [
    'bundle unpack into a folder that is not empty',
    () => ['bundle', 'unpack', at('bundle.gkb'), at('content')],
    2,
    /not an empty folder/,
  ],
  ['bundle with no subcommand', () => ['bundle'], 2],
  [
    'alert publish without fields',
    () => ['alert', 'publish', '--key', at('keys', 'k2.private.pem'), '--out', at('bundle')],
    2,
    /is required/,
  ],
  [
    'alert publish with a key the kiosks do not trust',
    () => [
      'alert',
      'publish',
      '--key',
      at('keys', 'k.private.pem'),
      '--out',
      at('o3'),
      '--bundle-id',
      'x',
      '--config',
      at('kiosk.json'),
      '--severity',
      'red',
      '--headline',
      'h',
      '--text',
      't',
      '--area',
      'a',
      '--expires',
      '2099-01-01T00:00:00Z',
    ],
    2,
    /do not trust/,
  ],
  [
    'alert publish --expires that is not a time',
    () => [
      'alert',
      'publish',
      '--key',
      at('keys', 'k2.private.pem'),
      '--out',
      at('bundle'),
      '--severity',
      'red',
      '--headline',
      'h',
      '--text',
      't',
      '--area',
      'a',
      '--expires',
      'tomorrow',
    ],
    2,
    /ISO time/,
  ],
  [
    'alert publish --severity purple',
    () => [
      'alert',
      'publish',
      '--key',
      at('keys', 'k2.private.pem'),
      '--out',
      at('bundle'),
      '--severity',
      'purple',
      '--headline',
      'h',
      '--text',
      't',
      '--area',
      'a',
      '--expires',
      '2099-01-01T00:00:00Z',
    ],
    2,
    /--severity/,
  ],
  [
    'alert cancel of an unknown alert',
    () => [
      'alert',
      'cancel',
      'nope',
      '--key',
      at('keys', 'k2.private.pem'),
      '--out',
      at('bundle'),
      '--config',
      at('kiosk.json'),
    ],
    1,
    /no alert nope/,
  ],
  ['search of a missing bundle', () => ['search', at(M), '通知'], 3],
  ['search without a query', () => ['search', at('bundle')], 2],
  ['watchdog without --url', () => ['watchdog'], 2],
  ['watchdog --port abc', () => ['watchdog', '--url', 'http://127.0.0.1:9/', '--port', 'abc'], 2],
  ['fleet without a subcommand', () => ['fleet'], 2],
  ['fleet serve without --dir', () => ['fleet', 'serve'], 2],
];

const HELP_COMMANDS = [
  ['keygen'],
  ['content'],
  ['content', 'check'],
  ['bundle'],
  ['bundle', 'build'],
  ['bundle', 'verify'],
  ['bundle', 'diff'],
  ['bundle', 'pack'],
  ['bundle', 'unpack'],
  ['alert'],
  ['alert', 'publish'],
  ['alert', 'cancel'],
  ['alert', 'clear'],
  ['search'],
  ['fleet'],
  ['fleet', 'serve'],
  ['fleet', 'report'],
  ['watchdog'],
];

describe('gongkai on bad input', () => {
  it('--help and -h on every command print its usage and exit 0', async () => {
    for (const cmd of HELP_COMMANDS) {
      for (const flag of ['--help', '-h']) {
        const r = await gk(...cmd, flag);
        expect(r.code, cmd.join(' ')).toBe(0);
        expect(r.out, cmd.join(' ')).toMatch(new RegExp(`gongkai ${cmd[0]}`));
        expect(r.out).toMatch(/Exit codes:/);
      }
    }
  });

  it.each(CASES)('%s', async (_what, argv, code, message) => {
    const r = await gk(...argv());
    expect(r.code, `${r.out}\n${r.err}`).toBe(code);
    if (message) expect(`${r.out}\n${r.err}`).toMatch(message);
  });

  it('--json prints one JSON document on stdout, on failure as on success', async () => {
    for (const argv of [
      ['bundle', 'verify', at('bundle'), '--config', at('kiosk.json'), '--json'],
      ['bundle', 'verify', at('flipped-pack'), '--config', at('kiosk.json'), '--json'],
      ['bundle', 'diff', at('bundle'), at(M), '--json'],
      ['keygen', '--json'],
      [
        'bundle',
        'build',
        at('content'),
        '--key',
        at('keys', 'k.private.pem'),
        '--out',
        at('o1'),
        '--config',
        at('kiosk.json'),
        '--json',
      ],
    ]) {
      const r = await gk(...argv);
      const doc = JSON.parse(r.out) as { ok: boolean; exitCode?: number };
      expect(doc.ok, argv.join(' ')).toBe(r.code === 0);
      if (r.code !== 0) expect(doc.exitCode).toBe(r.code);
    }
  });

  it('nothing is left behind by refused runs (no temporaries, no half-written folders)', () => {
    const leftovers = (dir: string): string[] =>
      readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.tmp-\d+$/.test(f));
    expect(leftovers(tmp)).toEqual([]);
    for (const d of ['o1', 'o2', 'u1', 'u2']) expect(existsSync(at(d)), d).toBe(false);
  });
});

/** Arguments the random runs draw from: paths of every kind and hostile option values. */
const PATHS = () => [
  at(M),
  at('afile'),
  at('emptydir'),
  at('empty'),
  at('garbage.bin'),
  at('notjson.json'),
  at('nokeys.json'),
  at('badkeys.json'),
  at('null.json'),
  at('rsa.pem'),
  at('truncated.gkb'),
  at('bundle.gkb'),
  at('fz-bundle'),
  at('content'),
  at('odd'),
  at('notitle'),
  at('keys', 'k2.private.pem'),
  at('keys', 'k2.public.pem'),
  at('j.jwk.json'),
  at('kiosk.json'),
  at('fz-out'),
  at('fz-out2', 'x'),
];
const VALUES = [
  '',
  '0',
  '-1',
  'abc',
  '1e309',
  '99999999999999999999',
  '2026-13-45',
  '2026-02-30',
  '../../etc/passwd',
  '--json',
  '-',
  '通知',
  '\u202e',
  'x'.repeat(300),
  'red',
  '2099-01-01T00:00:00Z',
];
const OPTIONS = [
  '--key',
  '--out',
  '--pub',
  '--config',
  '--version',
  '--bundle-id',
  '--expires-days',
  '--from',
  '--next-key',
  '--today',
  '--previous',
  '--at',
  '--severity',
  '--headline',
  '--text',
  '--area',
  '--expires',
  '--effective',
  '--id',
  '--limit',
  '--key-id',
];
const FLAGS = ['--json', '--quiet', '--demo', '--rotate', '--bogus'];
const COMMANDS = [
  ['keygen'],
  ['content', 'check'],
  ['bundle', 'build'],
  ['bundle', 'verify'],
  ['bundle', 'diff'],
  ['bundle', 'pack'],
  ['bundle', 'unpack'],
  ['alert', 'publish'],
  ['alert', 'cancel'],
  ['alert', 'clear'],
  ['search'],
  ['content'],
  ['bundle', 'bogus'],
  ['alert'],
];

describe('gongkai on random argument lists', () => {
  it('never shows a stack trace or an undocumented exit code', async () => {
    cpSync(at('bundle'), at('fz-bundle'), { recursive: true });
    const token = (paths: string[]) =>
      fc.oneof(
        fc.constantFrom(...paths),
        fc.constantFrom(...FLAGS),
        fc.tuple(
          fc.constantFrom(...OPTIONS),
          fc.oneof(fc.constantFrom(...VALUES), fc.constantFrom(...paths)),
        ),
      );
    const paths = PATHS();
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...COMMANDS),
        fc.array(token(paths), { maxLength: 6 }),
        async (cmd, tokens) => {
          const argv = [...cmd, ...tokens.flatMap((t) => (Array.isArray(t) ? t : [t]))];
          const r = await runCli(argv);
          assertClean(argv, r);
          seen.add(r.code);
        },
      ),
      { seed: 19, numRuns: 400, endOnFailure: true },
    );
    // The runs reached past argument parsing: usage, invalid input and missing paths all occurred.
    expect([...seen].sort()).toEqual(expect.arrayContaining([1, 2, 3]));
  });
});
