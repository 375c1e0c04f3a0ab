// The shipped Prometheus files (docs/fleet/) checked by promtool: the alert
// rules against their unit tests, the scrape example, and the rule file's
// syntax. A rule edit that breaks an expected alert fails here.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { requireBinary } from '../helpers/prometheus.ts';

const promtool = requireBinary('promtool', 'fleet-promtool.test.ts');

function run(...args: string[]): { status: number | null; out: string } {
  const r = spawnSync(promtool!, args, { cwd: 'docs/fleet', encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe.skipIf(!promtool)('docs/fleet Prometheus files', () => {
  it('alert rules pass their unit tests (promtool test rules)', () => {
    const r = run('test', 'rules', 'gongkai-rules.test.yml');
    expect(r.out).toContain('SUCCESS');
    expect(r.status, r.out).toBe(0);
  });

  it('every alert rule has a unit test', () => {
    const rules = [
      ...readFileSync('docs/fleet/gongkai-rules.yml', 'utf8').matchAll(/- alert: (\w+)/g),
    ];
    const tests = readFileSync('docs/fleet/gongkai-rules.test.yml', 'utf8');
    expect(rules.length).toBeGreaterThanOrEqual(6);
    for (const [, name] of rules) expect(tests, name).toContain(`alertname: ${name}`);
  });

  it('the scrape example and the rules are valid (promtool check config / rules)', () => {
    const config = run('check', 'config', 'prometheus.yml');
    expect(config.status, config.out).toBe(0);
    const rules = run('check', 'rules', 'gongkai-rules.yml');
    expect(rules.status, rules.out).toBe(0);
  });
});
