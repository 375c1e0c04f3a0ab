/**
 * The `gongkai` admin CLI: dispatches to the commands and maps failures to
 * the documented exit codes (docs/cli.md: 0 ok, 1 invalid content or failed
 * verification, 2 usage, 3 cannot read or write a path, 130 interrupted).
 */
import { reportFailure } from './failure.ts';
import { helpFor, version } from './help.ts';
import { EXIT, UsageError } from './util.ts';

export const HELP = `gongkai — admin tool for Gongkai (公开) kiosks

Usage:
  gongkai keygen --out <prefix> [--id <key id>]
  gongkai content check <content-dir> [--json] [--today YYYY-MM-DD]
  gongkai bundle build <content-dir> --key <private.pem> --out <dir>
        [--version N] [--bundle-id ID] [--expires-days 30] [--next-key <pub>]... [--demo] [--json]
  gongkai bundle build --from <older bundle> --key <private.pem> --out <dir>   (republish = undo)
  gongkai bundle verify <dir|file.gkb> (--pub <public.pem|jwk.json> | --config <kiosk-config.json>) [--json]
  gongkai bundle diff <old dir|gkb> <new dir|gkb> [--json]
  gongkai bundle pack <dir> <file.gkb>
  gongkai bundle unpack <file.gkb> <dir>
  gongkai alert publish --key <pem> --out <bundle-dir> --severity red|orange|yellow|blue
        --headline <text> --text <text> --area <text> --expires <ISO time> [--effective <ISO time>] [--id ID]
  gongkai alert cancel <alert-id> --key <pem> --out <bundle-dir>
  gongkai alert clear --key <pem> --out <bundle-dir>
  gongkai search <bundle> "<query>" [--json] [--limit N]
  gongkai fleet serve --dir <status-dir> [--port 8787] [--host 127.0.0.1]
  gongkai fleet report <status-dir> [--silent-minutes 120]
  gongkai watchdog [options]            (see docs/deploy.md: restarts Chromium when the page stops sending heartbeats)

  gongkai --version · gongkai <command> --help

Exit codes: 0 ok · 1 invalid content or verification failed · 2 usage error · 3 cannot read or write a path · 130 interrupted
Progress goes to stderr (a bar on a terminal, plain lines otherwise); --json prints one JSON document on stdout.
The demo key (src/content/demo/DEMO-KEY-NOT-SECRET.pem) is refused unless --demo is given.
See docs/cli.md.`;

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === '--version' || cmd === '-V') {
    console.log(`gongkai ${version()}`);
    return EXIT.ok;
  }
  const help = helpFor(argv);
  if (help) {
    console.log(help);
    return EXIT.ok;
  }
  try {
    switch (cmd) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        console.log(HELP);
        return cmd === undefined ? EXIT.usage : EXIT.ok;
      // Commands load lazily so a quick `verify` does not pay for jsdom or pinyin.
      case 'keygen':
        return await (await import('./commands/keygen.ts')).keygenCommand(rest);
      case 'content':
        return await (await import('./commands/content.ts')).contentCommand(rest);
      case 'bundle':
        return await (await import('./commands/bundle.ts')).bundleCommand(rest);
      case 'alert':
        return await (await import('./commands/alert.ts')).alertCommand(rest);
      case 'search':
        return await (await import('./commands/search.ts')).searchCommand(rest);
      case 'fleet':
        return await (await import('./commands/fleet.ts')).fleetCommand(rest);
      case 'mirror':
        return await (await import('./commands/mirror.ts')).mirrorCommand(rest);
      case 'watchdog':
        return await (await import('./commands/watchdog.ts')).watchdogCommand(rest);
      default:
        throw new UsageError(`gongkai: unknown command ${cmd}`);
    }
  } catch (e) {
    return reportFailure(cmd, e, argv.includes('--json'));
  }
}
