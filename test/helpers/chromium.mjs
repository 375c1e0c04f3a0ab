// Finds the system Chromium. The project never downloads a browser build.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

/** Flags for headless Chromium on a machine with no outside network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--lang=zh-CN',
];

function which(cmd) {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/** The first of CHROME_PATH, /usr/bin/chromium, chromium-browser, google-chrome found; else null. */
export function findChromium() {
  const env = process.env.CHROME_PATH;
  if (env && existsSync(env)) return env;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  for (const cmd of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
    const found = which(cmd);
    if (found) return found;
  }
  return null;
}
