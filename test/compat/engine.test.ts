import { describe, expect, it } from 'vitest';
import { engineLabel, parseEngine, Tier, tierOf } from '../../src/compat/engine.ts';

const UA = {
  webview66:
    'Mozilla/5.0 (Linux; Android 9; rk3399 Build/PQ2A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/66.0.3359.158 Safari/537.36',
  headless83:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/83.0.4103.0 Safari/537.36',
  win7: 'Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36',
  uos: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/86.0.4240.198 Safari/537.36 UOS',
  old: 'Mozilla/5.0 (Linux; Android 7.1.2) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/55.0.2883.91 Safari/537.36',
  firefox: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
};

describe('engine tiers', () => {
  it('reads Chromium majors from WebView, headless, desktop and 国产 user agents', () => {
    expect(parseEngine(UA.webview66)).toEqual({ name: 'Chromium', major: 66 });
    expect(parseEngine(UA.headless83)).toEqual({ name: 'Chromium', major: 83 });
    expect(parseEngine(UA.win7)).toEqual({ name: 'Chromium', major: 109 });
    expect(parseEngine(UA.uos)).toEqual({ name: 'Chromium', major: 86 });
    expect(engineLabel(parseEngine(UA.webview66))).toBe('Chromium 66');
  });

  it('puts 66–82 in the display tier, 83 and later in the supported one, older below', () => {
    expect(tierOf(parseEngine(UA.webview66))).toBe(Tier.display);
    expect(tierOf({ name: 'Chromium', major: 82 })).toBe(Tier.display);
    expect(tierOf(parseEngine(UA.headless83))).toBe(Tier.supported);
    expect(tierOf(parseEngine(UA.win7))).toBe(Tier.supported);
    expect(tierOf(parseEngine(UA.old))).toBe(Tier.unsupported);
  });

  it('leaves other engines to feature detection', () => {
    expect(tierOf(parseEngine(UA.firefox))).toBe(Tier.supported);
    expect(tierOf(parseEngine('curl/8'))).toBe(Tier.supported);
  });
});
