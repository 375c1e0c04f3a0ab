#!/usr/bin/env node
// Installs an OLD headless Chromium build from the npm registry, for the
// old-engine tests (test/e2e/old-engines.e2e.ts) and the low-end bench rows.
//
//   node test/old-chromium/install.mjs 66 83 109      # installs (cached), prints one line each
//   node test/old-chromium/install.mjs --json 83      # the same, as JSON on stdout
//
// The binaries ship *inside* npm packages (chrome-aws-lambda for 64–88,
// @sparticuz/chromium for 92 and 103+), brotli-compressed, so `npm install
// --ignore-scripts` fetches nothing but the package; node's zlib inflates them.
// Nothing but npm and Debian's libnss3/libnspr4/libexpat1 is needed, so this
// works in CI on a fresh machine.
//
// Cache: $GONGKAI_OLD_CHROMIUM_DIR/<major> (default ~/.cache/gongkai/old-chromium/<major>).
// Idempotent: an unpacked binary that answers /json/version is reused.
//
// Exit codes:
//   0  every requested engine is installed and answered /json/version
//   2  usage: no or unknown major
//   3  npm install failed (registry unreachable?)
//   4  the package has no bin/ folder with .br files
//   5  the binary misses shared libraries (apt-get install -y libnss3 libnspr4 libexpat1)
//   6  the binary did not answer /json/version
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
  mkdtempSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { brotliDecompressSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

/**
 * Chromium major → npm package. Started here (binary ran, /json/version read):
 * 66, 67, 83, 88, 92, 103, 109. The chrome-aws-lambda ones come from its README.
 */
export const PACKAGES = {
  64: 'chrome-aws-lambda@64.0.3264',
  65: 'chrome-aws-lambda@65.0.3312',
  66: 'chrome-aws-lambda@66.0.3347',
  67: 'chrome-aws-lambda@67.0.3372',
  68: 'chrome-aws-lambda@1.4.0',
  69: 'chrome-aws-lambda@1.6.3',
  70: 'chrome-aws-lambda@1.7.0',
  71: 'chrome-aws-lambda@1.9.1',
  72: 'chrome-aws-lambda@1.11.2',
  73: 'chrome-aws-lambda@1.12.2',
  74: 'chrome-aws-lambda@1.13.0',
  75: 'chrome-aws-lambda@1.15.1',
  76: 'chrome-aws-lambda@1.17.1',
  77: 'chrome-aws-lambda@1.19.0',
  78: 'chrome-aws-lambda@1.20.4',
  79: 'chrome-aws-lambda@2.0.2',
  80: 'chrome-aws-lambda@2.1.1',
  81: 'chrome-aws-lambda@3.0.4',
  83: 'chrome-aws-lambda@5.0.0',
  84: 'chrome-aws-lambda@5.1.0',
  85: 'chrome-aws-lambda@5.2.1',
  86: 'chrome-aws-lambda@5.3.1',
  87: 'chrome-aws-lambda@5.4.0',
  88: 'chrome-aws-lambda@5.5.0',
  92: '@sparticuz/chromium@92.0.0',
  103: '@sparticuz/chromium@103.0.0',
  109: '@sparticuz/chromium@109.0.6',
};

/** Flags these lambda headless-shell builds need here (multi-process: service workers run). */
export const OLD_CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--hide-scrollbars',
  '--mute-audio',
];

/** Exit codes (see the header). */
export const EXIT = { ok: 0, usage: 2, npm: 3, noBin: 4, libs: 5, smoke: 6 };

class InstallError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

const log = (msg) => process.stderr.write(`[old-chromium] ${msg}\n`);

/** The cache root (one folder per major). */
export function cacheRoot() {
  return (
    process.env.GONGKAI_OLD_CHROMIUM_DIR ||
    join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'gongkai', 'old-chromium')
  );
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function readVersion(port) {
  return new Promise((resolve) => {
    const req = get(`http://127.0.0.1:${port}/json/version`, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => {
        try {
          resolve(JSON.parse(body).Browser ?? null);
        } catch {
          resolve(null);
        }
      });
    });
    req.on('error', () => resolve(null));
    req.setTimeout(2000, () => req.destroy());
  });
}

/** Missing shared libraries of `bin` with `env` (ldd), as "libX.so => not found" lines. */
function missingLibs(bin, env) {
  const r = spawnSync('ldd', [bin], { encoding: 'utf8', env: { ...process.env, ...env } });
  return (r.stdout ?? '').split('\n').filter((l) => l.includes('not found'));
}

/** Unpacks a package's bin/*.br exactly as its own lambdafs does. */
function inflate(srcDir, dir) {
  const files = existsSync(srcDir) ? readdirSync(srcDir).filter((f) => f.endsWith('.br')) : [];
  if (!files.length) throw new InstallError(`no .br files in ${srcDir}`, EXIT.noBin);
  for (const f of files) {
    log(`inflating ${f}`);
    const data = brotliDecompressSync(readFileSync(join(srcDir, f)));
    if (f.endsWith('.tar.br')) {
      // swiftshader/ (looked up beside the binary), aws/ (Amazon Linux libs, used only if needed).
      const out = join(dir, f.replace(/\.tar\.br$/, ''));
      mkdirSync(out, { recursive: true });
      execFileSync('tar', ['-x', '-C', out], { input: data, maxBuffer: 1 << 30 });
    } else {
      const out = join(dir, 'chromium');
      writeFileSync(`${out}.tmp`, data);
      chmodSync(`${out}.tmp`, 0o755);
      renameSync(`${out}.tmp`, out);
    }
  }
}

/**
 * Starts the binary on a free port, reads /json/version and stops it.
 * Returns the version string (e.g. "HeadlessChrome/83.0.4103.0").
 */
export async function smokeTest(bin, env, args) {
  const port = await freePort();
  const profile = mkdtempSync(join(tmpdir(), 'gk-old-chromium-smoke-'));
  const child = spawn(
    bin,
    [...args, `--remote-debugging-port=${port}`, `--user-data-dir=${profile}`, 'about:blank'],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-2000)));
  let version = null;
  try {
    for (let i = 0; i < 60 && !version && child.exitCode === null; i++) {
      await new Promise((r) => setTimeout(r, 250));
      version = await readVersion(port);
    }
  } finally {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    rmSync(profile, { recursive: true, force: true });
  }
  if (!version)
    throw new InstallError(`${bin} did not answer /json/version:\n${stderr}`, EXIT.smoke);
  return version;
}

/**
 * Installs (or finds in the cache) Chromium `major`.
 * @returns {{ major: number, bin: string, version: string, env: Record<string,string>, args: string[] }}
 */
export async function installOldChromium(major) {
  const pkg = PACKAGES[major];
  if (!pkg) throw new InstallError(`no package known for Chromium ${major}`, EXIT.usage);
  const dir = join(cacheRoot(), String(major));
  const bin = join(dir, 'chromium');
  const record = join(dir, 'installed.json');
  if (!existsSync(bin)) {
    const npmDir = join(dir, 'npm');
    mkdirSync(npmDir, { recursive: true });
    if (!existsSync(join(npmDir, 'package.json')))
      writeFileSync(join(npmDir, 'package.json'), '{"private":true}\n');
    log(`Chromium ${major}: npm install ${pkg} into ${npmDir}`);
    const r = spawnSync(
      'npm',
      [
        'install',
        '--no-save',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--no-package-lock',
        '--loglevel=error',
        pkg,
      ],
      { cwd: npmDir, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    if (r.status !== 0)
      throw new InstallError(`npm install ${pkg} failed (exit ${r.status})`, EXIT.npm);
    const name = pkg.slice(0, pkg.lastIndexOf('@'));
    inflate(join(npmDir, 'node_modules', name, 'bin'), dir);
    // The package (tens of MB, compressed) is not needed once unpacked.
    rmSync(npmDir, { recursive: true, force: true });
  }
  // System libraries first; the package's own (aws/lib) only when something is missing.
  let env = {};
  if (missingLibs(bin, env).length) {
    env = { LD_LIBRARY_PATH: join(dir, 'aws', 'lib') };
    const still = missingLibs(bin, env);
    if (still.length)
      throw new InstallError(
        `Chromium ${major} misses libraries: ${still.join(', ')}; try: apt-get install -y libnss3 libnspr4 libexpat1`,
        EXIT.libs,
      );
  }
  const args = [...OLD_CHROMIUM_ARGS];
  if (existsSync(join(dir, 'swiftshader'))) args.push('--use-gl=swiftshader');
  let version = null;
  if (existsSync(record)) {
    const saved = JSON.parse(readFileSync(record, 'utf8'));
    if (saved.bin === bin) version = saved.version;
  }
  if (!version) {
    log(`Chromium ${major}: smoke test (/json/version)`);
    version = await smokeTest(bin, env, args);
    if (!version.includes(`/${major}.`)) log(`WARNING: asked for ${major}, got ${version}`);
    writeFileSync(record, JSON.stringify({ bin, version, pkg }, null, 2) + '\n');
  }
  return { major, bin, version, env, args };
}

async function main(argv) {
  const json = argv.includes('--json');
  const majors = argv.filter((a) => a !== '--json');
  if (!majors.length || majors.some((m) => !PACKAGES[Number(m)])) {
    process.stderr.write(
      `usage: install.mjs [--json] MAJOR...   (known: ${Object.keys(PACKAGES).join(', ')})\n`,
    );
    return EXIT.usage;
  }
  const out = [];
  for (const m of majors) {
    try {
      const r = await installOldChromium(Number(m));
      out.push(r);
      if (!json) console.log(`${r.major}\t${r.version}\t${r.bin}`);
    } catch (err) {
      log(err.message);
      return err.code ?? 1;
    }
  }
  if (json) console.log(JSON.stringify(out, null, 2));
  return EXIT.ok;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main(process.argv.slice(2));
}
