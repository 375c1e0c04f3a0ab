import { Validator, type Schema } from '@cfworker/json-schema';
import schema from '../../kiosk-config/schema.json';
import { SYNC_LIMIT_DEFAULTS } from './limits.ts';
import type { ConfigProblem, KioskConfig } from './types.ts';

// @cfworker/json-schema interprets the schema without code generation, so it
// runs under the app's strict CSP (no eval), unlike Ajv's compiled validators.
const validator = new Validator(schema as unknown as Schema, '2020-12', false);

/** Defaults applied to optional sections, mirroring the schema's `default`s. */
function withDefaults(raw: Record<string, unknown>): KioskConfig {
  const r = raw as unknown as Partial<KioskConfig>;
  return {
    ...(r as KioskConfig),
    orientation: r.orientation ?? 'landscape',
    timeZone: r.timeZone ?? 'Asia/Shanghai',
    locale: r.locale ?? 'zh-Hans',
    sync: {
      pollSeconds: 900,
      alertPollSeconds: 60,
      jitterSeconds: 60,
      ...SYNC_LIMIT_DEFAULTS,
      ...(r.sync as Partial<KioskConfig['sync']>),
      manifestUrl: r.sync?.manifestUrl ?? '',
    },
    display: { dwellSeconds: 12, staleAfterDays: 30, rotateByDefault: true, ...r.display },
    idle: { timeoutSeconds: 90, ...r.idle },
    admin: { ...r.admin },
    pwa: { updateCheckMinutes: 30, ...r.pwa },
  };
}

/** Plain-words message for one schema error. */
function describe(keyword: string, error: string): string {
  if (keyword === 'additionalProperties') return error.replace(/^Property/, 'unknown key');
  if (keyword === 'required')
    return error.replace(/^Instance does not have required property/, 'missing required field');
  return error.replace(/^Instance/, 'value');
}

/**
 * Validates one configuration file's parsed JSON. Each problem names the file,
 * the field (a JSON pointer such as `/display/dwellSeconds`) and the problem.
 */
export function validateConfig(
  file: string,
  raw: unknown,
): { config: KioskConfig; problems: [] } | { config: null; problems: ConfigProblem[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return {
      config: null,
      problems: [{ file, field: '/', problem: 'the file is not a JSON object' }],
    };
  }
  // The validator throws on values JSON cannot hold (undefined, functions): check what
  // the file would contain, as the fuzz test of the reliability suite found.
  const json = JSON.parse(JSON.stringify(raw)) as Record<string, unknown>;
  const result = validator.validate(json);
  const problems: ConfigProblem[] = [];
  if (result.valid) {
    const config = withDefaults(json);
    // The schema cannot say "an IANA time zone"; an unknown one would throw in every clock.
    try {
      new Intl.DateTimeFormat('en', { timeZone: config.timeZone });
      return { config, problems: [] };
    } catch {
      problems.push({
        file,
        field: '/timeZone',
        problem: `unknown time zone ${JSON.stringify(config.timeZone)}`,
      });
      return { config: null, problems };
    }
  }
  const seen = new Set<string>();
  for (const e of result.errors) {
    // The validator reports the chain of enclosing schema failures too; keep the leaves.
    if (e.keyword === 'properties' || e.keyword === 'items' || e.keyword === '$ref') continue;
    let field = e.instanceLocation.replace(/^#/, '') || '/';
    const m = /required property "([^"]+)"|Property "([^"]+)"/.exec(e.error);
    if (m && (e.keyword === 'required' || e.keyword === 'additionalProperties')) {
      field = `${field === '/' ? '' : field}/${m[1] ?? m[2]}`;
    }
    const problem = describe(e.keyword, e.error);
    const key = `${field}|${problem}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ file, field, problem });
  }
  return { config: null, problems };
}
