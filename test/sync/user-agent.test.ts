// The user-agent parser behind the `engine` field of fleet reports
// (src/sync/user-agent.ts) and the fields a kiosk POSTs (src/sync/fleet.ts).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { describeEngine, parseUserAgent } from '../../src/sync/user-agent.ts';
import { postFleetReport, type FleetReport } from '../../src/sync/fleet.ts';
import { initialStatus } from '../../src/sync/status.ts';
import { validateConfig } from '../../src/config/validate.ts';

const UAS: [string, string, ReturnType<typeof parseUserAgent>][] = [
  [
    'system Chromium, headless',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36',
    { name: 'Chromium', major: 156, shell: 'Headless' },
  ],
  [
    'Chrome 83 on Windows 7',
    'Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/83.0.4103.116 Safari/537.36',
    { name: 'Chromium', major: 83 },
  ],
  [
    'Android WebView kiosk shell',
    'Mozilla/5.0 (Linux; Android 7.1.2; rk3288 Build/NHG47K; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/66.0.3359.158 Safari/537.36',
    { name: 'Chromium', major: 66, shell: 'Android WebView' },
  ],
  [
    'UOS browser',
    'Mozilla/5.0 (X11; Linux aarch64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/86.0.4240.198 Safari/537.36 UOSBrowser/6.0.0.1',
    { name: 'Chromium', major: 86, shell: 'UOS' },
  ],
  [
    '360 secure browser',
    'Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/78.0.3904.108 Safari/537.36 QIHU 360SE',
    { name: 'Chromium', major: 78, shell: '360' },
  ],
  [
    'Edge',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91',
    { name: 'Chromium', major: 120, shell: 'Edge' },
  ],
  [
    'Firefox ESR',
    'Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0',
    { name: 'Firefox', major: 115 },
  ],
  [
    'Safari',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
    { name: 'Safari', major: 17 },
  ],
  ['empty', '', { name: 'unknown', major: null }],
  ['garbage', 'curl/8.5.0', { name: 'unknown', major: null }],
];

describe('parseUserAgent', () => {
  it.each(UAS)('%s', (_name, ua, expected) => {
    expect(parseUserAgent(ua)).toEqual(expected);
  });

  it('names the engine for messages on screen', () => {
    expect(describeEngine(UAS[1][2])).toBe('Chromium 83');
    expect(describeEngine(UAS[2][2])).toBe('Chromium 66（Android WebView）');
    expect(describeEngine({ name: 'unknown', major: null })).toBe('未知浏览器');
  });
});

describe('fleet report', () => {
  const config = validateConfig(
    'kiosk-config/default.json',
    JSON.parse(readFileSync('kiosk-config/default.json', 'utf8')),
  ).config!;

  it('carries the full user agent and the parsed engine', async () => {
    const bodies: FleetReport[] = [];
    const fetchImpl = (async (_url: string | URL | Request, init?: RequestInit) => {
      bodies.push(JSON.parse(String(init?.body)) as FleetReport);
      return new Response(null, { status: 204 });
    }) as typeof fetch;
    const ua = UAS[2][1];
    const result = await postFleetReport(
      'http://fleet.test/fleet',
      config,
      initialStatus(0),
      {},
      {
        now: 0,
        timeoutMs: 1000,
        fetchImpl,
        userAgent: ua,
        uptimeMs: 93_600_400,
      },
    );
    expect(result).toEqual({ ok: true });
    expect(bodies).toHaveLength(1);
    expect(bodies[0].userAgent).toBe(ua);
    expect(bodies[0].engine).toEqual({ name: 'Chromium', major: 66, shell: 'Android WebView' });
    expect(bodies[0].kioskId).toBe('default');
    // Uptime in whole seconds, for the receiver's gongkai_kiosk_uptime_seconds.
    expect(bodies[0].uptimeSeconds).toBe(93_600);
    expect(bodies[0].secureContext).toBe(true);
  });
});
