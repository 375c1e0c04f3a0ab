/**
 * Turns any failure of a command into a message and a documented exit code.
 * No stack trace reaches a user: an exception no command expected is reported
 * as an internal error (exit 70) in one line; GONGKAI_DEBUG=1 adds the stack.
 */
import { BundleError } from '../content/bundle.ts';
import {
  describeSystemError,
  EXIT,
  InvalidError,
  IoError,
  isSystemError,
  UsageError,
} from './util.ts';

/** Prints the failure (stderr; also one JSON document on stdout with `json`) and returns the exit code. */
export function reportFailure(command: string | undefined, e: unknown, json: boolean): number {
  let code: number;
  let message: string;
  const extra: Record<string, string> = {};
  if (e instanceof UsageError) {
    code = EXIT.usage;
    message = `${e.message}\nrun "gongkai ${command && !command.startsWith('-') ? `${command} ` : ''}--help" for usage`;
  } else if (e instanceof BundleError) {
    code = EXIT.invalid;
    message = `FAILED ${e.file}: ${e.reason}`;
    extra.file = e.file;
    extra.reason = e.reason;
  } else if (e instanceof InvalidError) {
    code = EXIT.invalid;
    message = e.message;
  } else if (e instanceof IoError) {
    code = EXIT.io;
    message = e.message;
  } else if (
    e instanceof Error &&
    /^ERR_INVALID_ARG/.test(String((e as { code?: unknown }).code))
  ) {
    // Node refuses a path argument outright (a NUL byte in it): a usage mistake.
    code = EXIT.usage;
    message = `gongkai ${command ?? ''}: ${e.message}`;
  } else if (isSystemError(e)) {
    code = EXIT.io;
    message = `gongkai ${command ?? ''}: ${describeSystemError(e)}`;
  } else {
    code = EXIT.internal;
    const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    message = `gongkai ${command ?? ''}: internal error (a bug, please report it): ${text}`;
    if (process.env.GONGKAI_DEBUG && e instanceof Error && e.stack) message += `\n${e.stack}`;
  }
  console.error(message);
  if (json)
    console.log(
      JSON.stringify({ ok: false, exitCode: code, error: message.split('\n')[0], ...extra }),
    );
  return code;
}
