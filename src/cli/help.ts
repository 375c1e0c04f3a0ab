/**
 * `gongkai <command> --help`: the usage of one command or subcommand, and
 * `gongkai --version`. The texts follow docs/cli.md.
 */
import { createRequire } from 'node:module';

const EXITS = `Exit codes: 0 ok · 1 invalid content or verification failed · 2 usage error · 3 cannot read or write a path · 130 interrupted (see docs/cli.md)`;

/** Usage of each command and subcommand, keyed `command` or `command sub`. */
export const COMMAND_HELP: Record<string, string> = {
  keygen: `gongkai keygen --out <prefix> [--id <key id>] [--json]
  Writes <prefix>.private.pem (mode 0600, never overwritten) and <prefix>.public.pem,
  creating the folder, and prints the trustedKeys entry for your kiosk-config file.`,
  'content check': `gongkai content check <content-dir> [--json] [--today YYYY-MM-DD] [--quiet]
  Reads, imports and validates every item; prints each item with every importer and
  validator message. Exit 1 when any item has an error.`,
  'bundle build': `gongkai bundle build <content-dir> --key <private.pem> --out <dir> [--config <kiosk-config.json>]...
        [--version N] [--bundle-id ID] [--expires-days 30] [--next-key <pub>]... [--rotate] [--demo] [--json] [--quiet]
  gongkai bundle build --from <older bundle> --key <private.pem> --out <dir>   (republish = undo)
  --config: refuse to sign unless these kiosks trust the key (without it: a loud warning).
  --rotate: allow signing with another key than the bundle in --out was signed with.`,
  'bundle verify': `gongkai bundle verify <dir|file.gkb> (--pub <public.pem|jwk.json> | --config <kiosk-config.json>)
        [--previous <older manifest.json|bundle>] [--at <ISO time>] [--json]
  Checks the signature, every file, expiry (at --at, default now), rollback against --previous,
  the kiosk's bundle id and size limits with --config, alerts.json, and bundle.gkb beside the files.`,
  'bundle diff': `gongkai bundle diff <old dir|gkb> <new dir|gkb> [--json]`,
  'bundle pack': `gongkai bundle pack <dir> <file.gkb> [--json]`,
  'bundle unpack': `gongkai bundle unpack <file.gkb> <new dir> [--json]
  The folder must not exist yet (or be empty); it appears complete or not at all.`,
  'alert publish': `gongkai alert publish --key <pem> --out <bundle-dir> [--config <kiosk-config.json>]...
        --severity red|orange|yellow|blue --headline <text> --text <text> --area <text>
        --expires <ISO time> [--effective <ISO time>] [--id ID] [--rotate] [--demo] [--json]`,
  'alert cancel': `gongkai alert cancel <alert-id> --key <pem> --out <bundle-dir> [--config <kiosk-config.json>]... [--json]`,
  'alert clear': `gongkai alert clear --key <pem> --out <bundle-dir> [--config <kiosk-config.json>]... [--json]`,
  search: `gongkai search <bundle> "<query>" [--json] [--limit N]`,
  'fleet serve': `gongkai fleet serve --dir <status-dir> [--port 8787] [--host 127.0.0.1]`,
  'fleet report': `gongkai fleet report <status-dir> [--silent-minutes 120]`,
  watchdog: `gongkai watchdog --url <kiosk URL> [--chromium <path>] [--port 9222]
       [--profile <dir>] [--stale-seconds 30] [--startup-seconds 120] [--poll-seconds 5]
       [--store-failures 3] [--min-free-mb 64] [-- <extra Chromium flags>]
  Restarts Chromium when the page stops sending heartbeats (docs/deploy.md).`,
};

const GROUPS = ['content', 'bundle', 'alert', 'fleet'];

/**
 * The help text for an argv holding `--help` or `-h` (before any `--`), or
 * null when there is none or the command is not one of these (a command
 * registered elsewhere answers its own --help).
 */
export function helpFor(argv: readonly string[]): string | null {
  const sep = argv.indexOf('--');
  const own = sep >= 0 ? argv.slice(0, sep) : argv;
  if (!own.includes('--help') && !own.includes('-h')) return null;
  const [cmd, sub] = own.filter((a) => !a.startsWith('-'));
  if (cmd === undefined) return null;
  if (GROUPS.includes(cmd)) {
    const key = `${cmd} ${sub ?? ''}`;
    const text =
      COMMAND_HELP[key] ??
      Object.entries(COMMAND_HELP)
        .filter(([k]) => k.startsWith(`${cmd} `))
        .map(([, v]) => v)
        .join('\n\n');
    return `${text}\n\n${EXITS}`;
  }
  const text = COMMAND_HELP[cmd];
  return text ? `${text}\n\n${EXITS}` : null;
}

/** The version in package.json. */
export function version(): string {
  const require = createRequire(import.meta.url);
  return (require('../../package.json') as { version: string }).version;
}
