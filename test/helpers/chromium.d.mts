/** Flags for headless Chromium on a machine with no outside network. */
export declare const CHROMIUM_ARGS: string[];
/** The first of CHROME_PATH, /usr/bin/chromium, chromium-browser, google-chrome found; else null. */
export declare function findChromium(): string | null;
