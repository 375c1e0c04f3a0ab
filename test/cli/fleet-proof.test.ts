import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProofArchive, startFleetServer } from '../../src/cli/commands/fleet.ts';

const entry = (shownAt: number, id: string, screenId = 'main') => ({
  shownAt,
  kind: 'item',
  id,
  title: `标题 ${id}`,
  page: 1,
  pages: 1,
  dwellMs: 10_000,
  screenId,
});

const kept = (dir: string, kiosk: string) =>
  readFileSync(join(dir, `${kiosk}.proof.jsonl`), 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { shownAt: number; id: string }).id);

describe('fleet serve keeps each kiosk proof-of-display history', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gk-proof-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('appends only entries not kept yet when reports overlap, in time order', () => {
    const archive = new ProofArchive(dir);
    expect(archive.add('hall-1', [entry(2, 'b'), entry(1, 'a')])).toBe(2);
    // The next report repeats the newest entries and adds two, one at the same instant on another screen.
    expect(
      archive.add('hall-1', [entry(1, 'a'), entry(2, 'b'), entry(2, 'c', 'side'), entry(3, 'd')]),
    ).toBe(2);
    expect(archive.add('hall-1', [entry(3, 'd')])).toBe(0);
    expect(kept(dir, 'hall-1')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('picks up where it left off after a restart, past a line cut by a crash', () => {
    new ProofArchive(dir).add('hall-1', [entry(1, 'a'), entry(2, 'b')]);
    writeFileSync(
      join(dir, 'hall-1.proof.jsonl'),
      readFileSync(join(dir, 'hall-1.proof.jsonl'), 'utf8') + '{"shownAt":',
    );
    const again = new ProofArchive(dir);
    expect(again.add('hall-1', [entry(2, 'b'), entry(4, 'e')])).toBe(1);
    expect(readFileSync(join(dir, 'hall-1.proof.jsonl'), 'utf8')).toContain('"id":"e"');
  });

  it('ignores a report without a proof array or with malformed entries', () => {
    const archive = new ProofArchive(dir);
    expect(archive.add('hall-1', undefined)).toBe(0);
    expect(archive.add('hall-1', [{ shownAt: 'yesterday' }, null, 7])).toBe(0);
    expect(archive.add('hall-1', [entry(5, 'f')])).toBe(1);
  });

  it('is fed by the receiver, one file per kiosk', async () => {
    const { server, url } = await startFleetServer(dir, 0);
    try {
      const post = (body: unknown) =>
        fetch(url, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.status);
      expect(await post({ kioskId: 'hall-1', proof: [entry(1, 'a')] })).toBe(204);
      expect(await post({ kioskId: 'hall-1', proof: [entry(1, 'a'), entry(2, 'b')] })).toBe(204);
      expect(await post({ kioskId: 'hall-2', proof: [entry(1, 'x')] })).toBe(204);
      expect(kept(dir, 'hall-1')).toEqual(['a', 'b']);
      expect(kept(dir, 'hall-2')).toEqual(['x']);
      // As src/sync/fleet.ts sends it: the proof log inside `extras`.
      expect(
        await post({ kioskId: 'hall-3', extras: { proof: [entry(1, 'p')], proofTotal: 1 } }),
      ).toBe(204);
      expect(kept(dir, 'hall-3')).toEqual(['p']);
      // The state file, rewritten on every report, does not carry the log again.
      const state = JSON.parse(readFileSync(join(dir, 'hall-3.json'), 'utf8')) as {
        extras: object;
      };
      expect(state.extras).toEqual({ proofTotal: 1 });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
