/**
 * Runs the `gongkai` CLI in this process (no Node start-up per call): the
 * fuzz test makes hundreds of calls. Output written through console or
 * process.stdout/stderr is captured; the exit code is main()'s return value.
 */
import { vi } from 'vitest';
import { main } from '../../src/cli/main.ts';

export interface Run {
  code: number;
  out: string;
  err: string;
  /** main() itself threw (it never should). */
  threw: unknown;
}

/** One CLI call with captured output. */
export async function runCli(argv: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const text = (args: unknown[]): string => `${args.map(String).join(' ')}\n`;
  const spies = [
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (out += text(a))),
    vi.spyOn(console, 'info').mockImplementation((...a: unknown[]) => void (out += text(a))),
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void (err += text(a))),
    vi.spyOn(console, 'warn').mockImplementation((...a: unknown[]) => void (err += text(a))),
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    }),
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      err += String(chunk);
      return true;
    }),
  ];
  let code = -1;
  let threw: unknown = null;
  try {
    code = await main(argv);
  } catch (e) {
    threw = e;
  } finally {
    for (const s of spies) s.mockRestore();
  }
  return { code, out, err, threw };
}

/** A stack trace line (`    at fn (file:1:2)`) anywhere in the text. */
export const STACK_LINE = /^\s+at .*(:\d+:\d+\)?|<anonymous>|node:internal)/m;
