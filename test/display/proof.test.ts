import { describe, expect, it } from 'vitest';
import { ProofLog, proofToCsv, type ProofEntry } from '../../src/display/proof.ts';

const entry = (i: number, over: Partial<ProofEntry> = {}): ProofEntry => ({
  shownAt: Date.UTC(2025, 9, 1, 1, 0, i),
  kind: 'item',
  id: `n${i}`,
  title: `通知${i}`,
  page: 1,
  pages: 1,
  dwellMs: 20_000,
  screenId: 'rr-1',
  ...over,
});

describe('ProofLog', () => {
  it('keeps the newest `capacity` entries, oldest first', () => {
    const log = new ProofLog(3);
    for (let i = 0; i < 7; i++) log.record(entry(i));
    expect(log.size).toBe(3);
    expect(log.entries().map((e) => e.id)).toEqual(['n4', 'n5', 'n6']);
    log.clear();
    expect(log.entries()).toEqual([]);
  });
  it('rejects a nonsense capacity', () => {
    expect(() => new ProofLog(0)).toThrow(/capacity/);
  });
});

describe('proofToCsv', () => {
  it('writes UTC and local times, quotes commas and quotes, defuses formulas', () => {
    const csv = proofToCsv([
      entry(0, { title: '关于"试行"办法的通知,附件' }),
      entry(1, { title: '=HYPERLINK("x")', kind: 'alert', dwellMs: 12_000 }),
    ]);
    expect(
      csv.startsWith(
        '\uFEFFshown_at_utc,shown_at_local,screen,kind,id,title,page,pages,dwell_s\r\n',
      ),
    ).toBe(true);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines[1]).toBe(
      '2025-10-01T01:00:00.000Z,2025-10-01 09:00:00,rr-1,item,n0,"关于""试行""办法的通知,附件",1,1,20',
    );
    expect(lines[2]).toContain(`"'=HYPERLINK(""x"")"`);
    expect(lines[2]).toContain(',alert,');
  });
});
