// Fuzzing of the kiosk-config validator (issue #11, case `fuzz`): a kiosk
// reads its configuration from a file an installer edited by hand, so a
// mutated or odd file must come back as problems, never as an exception, and
// a file it accepts must have every field the kiosk relies on.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { validateConfig } from '../../src/config/validate.ts';
import { fuzz, mutated, type Verdict } from './fuzz.ts';

const BASES = ['default', 'library-reading-room', 'notice-board', 'service-hall'].map(
  (f) => JSON.parse(readFileSync(`kiosk-config/${f}.json`, 'utf8')) as unknown,
);

const positive = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;

describe('fuzz: kiosk-config validation', { timeout: 120_000 }, () => {
  it('never throws, and a configuration it accepts has every field the kiosk uses', async () => {
    const r = await fuzz({
      name: 'kiosk-config',
      arb: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...BASES).chain((b) => mutated(b)) },
        { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
      ),
      check: (raw): Verdict => {
        const { config, problems } = validateConfig('fuzz.json', raw);
        if (!config) {
          if (problems.length === 0)
            return { ok: false, kind: 'accepted', detail: 'rejected with no problem named' };
          return { ok: true };
        }
        const bad = (detail: string): Verdict => ({ ok: false, kind: 'accepted', detail });
        if (typeof config.id !== 'string' || config.id === '') return bad('id');
        if (!['touch', 'reading-room', 'notice-board'].includes(config.role))
          return bad(`role ${String(config.role)}`);
        if (!['landscape', 'portrait'].includes(config.orientation)) return bad('orientation');
        if (typeof config.sync.manifestUrl !== 'string') return bad('sync.manifestUrl');
        for (const k of [
          'pollSeconds',
          'alertPollSeconds',
          'maxBundleBytes',
          'maxFileBytes',
        ] as const)
          if (!positive(config.sync[k])) return bad(`sync.${k} ${String(config.sync[k])}`);
        if (!(typeof config.sync.jitterSeconds === 'number' && config.sync.jitterSeconds >= 0))
          return bad('sync.jitterSeconds');
        if (!Array.isArray(config.trustedKeys)) return bad('trustedKeys');
        for (const k of config.trustedKeys) {
          const j = k?.jwk;
          if (
            typeof k?.id !== 'string' ||
            j?.kty !== 'EC' ||
            j.crv !== 'P-256' ||
            typeof j.x !== 'string' ||
            typeof j.y !== 'string'
          )
            return bad(`trusted key ${JSON.stringify(k).slice(0, 80)}`);
        }
        if (!positive(config.display.dwellSeconds)) return bad('display.dwellSeconds');
        if (!positive(config.idle.timeoutSeconds)) return bad('idle.timeoutSeconds');
        if (!positive(config.pwa.updateCheckMinutes)) return bad('pwa.updateCheckMinutes');
        try {
          new Intl.DateTimeFormat('en', { timeZone: config.timeZone });
        } catch {
          return bad(`timeZone ${config.timeZone}`);
        }
        return { ok: true };
      },
    });
    expect(r, r.first ?? '').toMatchObject({ crashes: 0, hangs: 0, accepted: 0 });
  });
});
