// `pretest`: make sure a Chromium is available. If none is found and apt-get is
// usable as root, install Debian's chromium; otherwise say what to install.
import { execFileSync } from 'node:child_process';
import { findChromium } from './helpers/chromium.mjs';

let path = findChromium();
if (!path) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  let hasApt;
  try {
    execFileSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' });
    hasApt = true;
  } catch {
    hasApt = false;
  }
  if (root && hasApt) {
    console.log('gongkai: no Chromium found; installing Debian package "chromium" with apt-get …');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium', 'fonts-noto-cjk'], {
      stdio: 'inherit',
      env,
    });
    path = findChromium();
  }
  if (!path) {
    console.error(
      'gongkai: no Chromium found. Install one (Debian: `apt-get install chromium`) or set CHROME_PATH.',
    );
    process.exit(1);
  }
}
console.log(`gongkai: using Chromium at ${path}`);
