import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { validateConfig } from '../../src/config/validate.ts';

const read = (f: string) =>
  JSON.parse(readFileSync(`kiosk-config/${f}`, 'utf8')) as Record<string, unknown>;

describe('kiosk configuration validation', () => {
  it('accepts every configuration shipped in kiosk-config/', () => {
    const files = readdirSync('kiosk-config').filter(
      (f) => f.endsWith('.json') && f !== 'schema.json',
    );
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const f of files) {
      const r = validateConfig(`kiosk-config/${f}`, read(f));
      expect(r.problems, f).toEqual([]);
      expect(r.config?.id).toBe(f.replace(/\.json$/, ''));
    }
  });

  it('applies defaults for optional sections', () => {
    const raw = read('default.json');
    delete raw.timeZone;
    delete raw.idle;
    const r = validateConfig('x.json', raw);
    expect(r.config?.timeZone).toBe('Asia/Shanghai');
    expect(r.config?.idle.timeoutSeconds).toBe(90);
  });

  it('names the file and field of an unknown key', () => {
    const raw = { ...read('default.json'), colour: 'red' };
    const r = validateConfig('kiosk-config/hall.json', raw);
    expect(r.config).toBeNull();
    expect(r.problems).toContainEqual(
      expect.objectContaining({
        file: 'kiosk-config/hall.json',
        field: '/colour',
        problem: expect.stringMatching(/unknown key/),
      }),
    );
  });

  it('names a wrong type deep in the file', () => {
    const raw = read('default.json');
    raw.display = { dwellSeconds: 'twelve' };
    const r = validateConfig('kiosk-config/hall.json', raw);
    expect(r.problems.map((p) => p.field)).toContain('/display/dwellSeconds');
  });

  it('names a missing required field', () => {
    const raw = read('default.json');
    delete raw.name;
    const r = validateConfig('kiosk-config/hall.json', raw);
    expect(r.problems).toContainEqual(
      expect.objectContaining({
        field: '/name',
        problem: expect.stringMatching(/missing required field/),
      }),
    );
  });

  it('refuses something that is not an object', () => {
    expect(validateConfig('a.json', [1, 2]).problems[0].problem).toMatch(/not a JSON object/);
  });
});
