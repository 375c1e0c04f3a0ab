/** Chromium major → npm package holding it. */
export declare const PACKAGES: Record<number, string>;
/** Flags the lambda headless-shell builds need here. */
export declare const OLD_CHROMIUM_ARGS: string[];
/** The installer's exit codes. */
export declare const EXIT: {
  ok: 0;
  usage: 2;
  npm: 3;
  noBin: 4;
  libs: 5;
  smoke: 6;
};
/** The cache root (one folder per major). */
export declare function cacheRoot(): string;
/** Starts the binary, reads /json/version, stops it. */
export declare function smokeTest(
  bin: string,
  env: Record<string, string>,
  args: string[],
): Promise<string>;
/** Installs (or finds in the cache) Chromium `major`; rejects with an Error carrying `code` (EXIT). */
export declare function installOldChromium(major: number): Promise<{
  major: number;
  bin: string;
  version: string;
  env: Record<string, string>;
  args: string[];
}>;
