/**
 * The run report as text: a short summary line set after every run, and the
 * `--review` summary an admin reads before signing (what is new, changed and
 * withdrawn with the portal links, what is held back and why, what the
 * sanitiser removed).
 */
import type { RunReport } from './run.ts';

/** Exit codes of `gongkai mirror` (docs/import.md, docs/mirror/README.md). */
export const MIRROR_EXIT = {
  ok: 0,
  /** The crawl was refused: nothing in the content folder changed. */
  refused: 1,
  usage: 2,
  /** Mirrored, but some items are held for review or failed (kept at their last good version). */
  attention: 3,
} as const;

/** The exit code a report stands for. */
export function exitCodeOf(r: RunReport): number {
  if (!r.ok) return MIRROR_EXIT.refused;
  return r.held.length > 0 || r.failed.length > 0 ? MIRROR_EXIT.attention : MIRROR_EXIT.ok;
}

const kb = (n: number): string =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${(n / 1024).toFixed(1)} KB`;

/** The few lines printed after every run. */
export function summaryLines(r: RunReport): string[] {
  const lines: string[] = [];
  if (!r.ok) {
    lines.push(`REFUSED ${r.kind} ${r.site}: ${r.error ?? 'unknown error'}`);
    lines.push('nothing in the content folder was changed; the last good content stays');
  }
  lines.push(
    `${r.ok ? 'ok' : 'refused'} ${r.kind} ${r.site}: ${r.listed} listed, ${r.new.length} new, ${r.changed.length} changed, ${r.removed.length} removed, ${r.unchanged} unchanged, ${r.failed.length} failed, ${r.held.length} held for review (${r.requests} requests, ${kb(r.bytes)}, ${r.seconds} s${r.resumed ? `, ${r.resumed} resumed from the last run` : ''})`,
  );
  for (const w of r.warnings) lines.push(`warning ${w}`);
  for (const f of r.failed) lines.push(`failed ${f.id} ${f.url}: ${f.reason}`);
  for (const h of r.held) lines.push(`held ${h.id} ${h.title}: ${h.problems[0] ?? ''}`);
  for (const x of r.removed) lines.push(`removed ${x.id} ${x.title} (withdrawn from the portal)`);
  return lines;
}

/** The review summary: everything an admin should read before `bundle build` signs. */
export function reviewLines(r: RunReport): string[] {
  const out: string[] = [];
  out.push(`# Mirror review: ${r.kind} ${r.site}`);
  out.push(r.ok ? 'The crawl was good.' : `The crawl was REFUSED: ${r.error ?? ''}`);
  out.push('');
  const section = (title: string, rows: string[]): void => {
    out.push(`## ${title} (${rows.length})`);
    out.push(...(rows.length ? rows.map((x) => `- ${x}`) : ['- none']));
    out.push('');
  };
  section(
    'Held for review: not published until fixed (see _mirror/held/ and the items table of _mirror/config.json)',
    r.held.map((h) => `${h.id} ${h.title} <${h.url}>\n    ${h.problems.join('\n    ')}`),
  );
  section(
    'Failed to fetch: the last good version stays, retried next run',
    r.failed.map((f) => `${f.id} <${f.url}>: ${f.reason}`),
  );
  section(
    'Withdrawn from the portal: removed from the next bundle',
    r.removed.map((x) => `${x.id} ${x.title} <${x.url}>`),
  );
  section(
    'New',
    r.new.map((x) => `${x.id} ${x.title} <${x.url}>`),
  );
  section(
    'Changed',
    r.changed.map((x) => `${x.id} ${x.title} <${x.url}>`),
  );
  section(
    'Notes on published items (sanitiser removals, skipped attachments)',
    r.notes.map((n) => `${n.id}\n    ${n.notes.join('\n    ')}`),
  );
  if (r.warnings.length) section('Warnings', r.warnings);
  out.push(
    `${r.unchanged} items unchanged. ${r.requests} requests, ${kb(r.bytes)}, ${r.seconds} s.`,
  );
  return out;
}
