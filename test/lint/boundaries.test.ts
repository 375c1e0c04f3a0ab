import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

// Lints source text as if it lived at a path in src/, with the project's real config.
const eslint = new ESLint({ cwd: process.cwd() });
async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((m) => m.ruleId ?? m.message);
}

describe('folder boundaries are enforced by the lint', () => {
  it('a component importing idb fails', async () => {
    const ids = await ruleIds(
      'src/components/gk-x.ts',
      "import { openDB } from 'idb';\nexport const o = openDB;\n",
    );
    expect(ids).toContain('no-restricted-imports');
  });

  it('a component importing the storage folder fails', async () => {
    const ids = await ruleIds(
      'src/components/gk-x.ts',
      "import { openStore } from '../data/db.ts';\nexport const o = openStore;\n",
    );
    expect(ids).toContain('no-restricted-imports');
  });

  it('anything outside src/data importing idb fails, and src/data may', async () => {
    const code = "import { openDB } from 'idb';\nexport const o = openDB;\n";
    for (const path of [
      'src/app/x.ts',
      'src/sync/x.ts',
      'src/search/x.ts',
      'src/display/x.ts',
      'src/cli/x.ts',
    ]) {
      expect(await ruleIds(path, code), path).toContain('no-restricted-imports');
    }
    expect(await ruleIds('src/data/x.ts', code)).not.toContain('no-restricted-imports');
  });

  it('fetch outside src/sync and src/pwa fails, and inside them passes', async () => {
    const code = "export const get = () => fetch('/x');\n";
    for (const path of [
      'src/app/x.ts',
      'src/components/x.ts',
      'src/data/x.ts',
      'src/search/x.ts',
    ]) {
      expect(await ruleIds(path, code), path).toContain('no-restricted-globals');
    }
    expect(await ruleIds('src/sync/x.ts', code)).not.toContain('no-restricted-globals');
    expect(await ruleIds('src/pwa/x.ts', code)).not.toContain('no-restricted-globals');
  });

  it('search is pure: no DOM globals', async () => {
    const ids = await ruleIds('src/search/x.ts', 'export const t = () => document.title;\n');
    expect(ids).toContain('no-restricted-globals');
  });

  it('enums and any are refused', async () => {
    expect(await ruleIds('src/display/x.ts', 'export enum A { B }\n')).toContain(
      'no-restricted-syntax',
    );
    expect(await ruleIds('src/display/x.ts', 'export const f = (a: any) => a;\n')).toContain(
      '@typescript-eslint/no-explicit-any',
    );
  });
});
