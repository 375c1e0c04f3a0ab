// The old-engine matrix as a table: one line per engine × origin, one column
// per check (works / FAIL / – for not applicable), then every FAIL's reason.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Row } from './cells.ts';

/** Short column names for the checks, in display order. */
const COLUMNS: [string, string][] = [
  ['library-reading-room: content', 'reading content'],
  ['library-reading-room: rotation', 'reading rotation'],
  ['notice-board: content', 'board content'],
  ['notice-board: rotation', 'board rotation'],
  ['touch: needs-83 message', 'touch ≥83 msg'],
  ['touch: content', 'touch content'],
  ['touch: search + open', 'touch search'],
  ['touch: idle reset', 'touch idle'],
  ['tampered bundle refused', 'tamper refused'],
  ['offline restart', 'offline restart'],
];

/** The matrix as Markdown: the grid, then the reasons of the failures. */
export function formatMatrix(rows: Row[], notes: string[] = []): string {
  const cells = new Map<string, Row[]>();
  for (const r of rows) {
    const key = `${r.engine}\t${r.version}\t${r.origin}`;
    cells.set(key, [...(cells.get(key) ?? []), r]);
  }
  const cols = COLUMNS.filter(([c]) => rows.some((r) => r.check === c));
  const head = ['engine', 'version', 'origin', ...cols.map(([, short]) => short)];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`];
  for (const [key, rs] of cells) {
    const [engine, version, origin] = key.split('\t');
    const marks = cols.map(([c]) => {
      const r = rs.find((x) => x.check === c);
      return r ? (r.ok ? 'works' : 'FAIL') : '–';
    });
    lines.push(`| ${[engine, version, origin, ...marks].join(' | ')} |`);
  }
  const fails = rows.filter((r) => !r.ok);
  const out = ['# Old-engine matrix', '', ...lines, ''];
  if (fails.length) {
    out.push('## Failures', '');
    for (const f of fails) out.push(`- ${f.engine} ${f.origin} · ${f.check}: ${f.detail}`);
    out.push('');
  }
  if (notes.length) out.push('## Notes', '', ...notes.map((n) => `- ${n}`), '');
  out.push('## Every check', '');
  for (const r of rows)
    out.push(`- ${r.engine} ${r.origin} · ${r.check}: ${r.ok ? 'works' : 'FAIL'} (${r.detail})`);
  return out.join('\n') + '\n';
}

/** Prints the matrix and writes it to test-output/old-engines.{md,json}. */
export function writeMatrix(rows: Row[], notes: string[]): string {
  const text = formatMatrix(rows, notes);
  mkdirSync('test-output', { recursive: true });
  writeFileSync('test-output/old-engines.md', text);
  writeFileSync('test-output/old-engines.json', JSON.stringify({ rows, notes }, null, 2) + '\n');
  return text;
}
