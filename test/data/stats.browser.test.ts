import { expect } from '@open-wc/testing';
import { openStore } from '../../src/data/db.ts';
import {
  MAX_QUERY_CHARS,
  MAX_ZERO_QUERIES_PER_DAY,
  OTHER_QUERY,
  StatsStore,
  dayMinus,
  normaliseQuery,
  statsToCsv,
  summarise,
} from '../../src/data/stats.ts';

let n = 0;
const freshName = () => `gongkai-stats-test-${Date.now()}-${n++}`;

/** Opens the kiosk database (schema v3) and a stats connection on it. */
async function open() {
  const name = freshName();
  const store = await openStore({}, name);
  return { store, stats: new StatsStore(name) };
}

describe('StatsStore (real IndexedDB in Chromium)', () => {
  it('counts views, searches and normalised zero-result queries per day', async () => {
    const { store, stats } = await open();
    await stats.add('2026-11-24', [
      { kind: 'view', key: 'n-1' },
      { kind: 'view', key: 'n-1' },
      { kind: 'search', key: '' },
      { kind: 'zero', key: '  ＡＢＣ   Def ' },
    ]);
    await stats.add('2026-11-24', [
      { kind: 'search', key: '' },
      { kind: 'zero', key: 'abc def' },
    ]);
    await stats.add('2026-11-25', [{ kind: 'view', key: 'n-2' }]);
    const all = await stats.read('2026-11-24', '2026-11-25');
    const byId = Object.fromEntries(all.map((r) => [r.id, r.count]));
    expect(byId).to.deep.equal({
      '2026-11-24|view|n-1': 2,
      '2026-11-24|search|': 2,
      '2026-11-24|zero|abc def': 2,
      '2026-11-25|view|n-2': 1,
    });
    // A record carries the day and nothing finer: no time, no session.
    expect(Object.keys(all[0]).sort()).to.deep.equal(['count', 'day', 'id', 'key', 'kind']);
    const s = summarise(all, '2026-11-24', '2026-11-25');
    expect(s.totals).to.deep.equal({ views: 3, searches: 2, zeroResults: 2 });
    expect(s.views[0]).to.deep.equal({ id: 'n-1', count: 2 });
    expect(s.zeroQueries).to.deep.equal([{ query: 'abc def', count: 2 }]);
    expect(s.days.map((d) => d.day)).to.deep.equal(['2026-11-24', '2026-11-25']);
    expect(await stats.read('2026-11-25', '2026-11-25')).to.have.length(1);
    stats.close();
    store.close();
  });

  it('caps distinct zero-result queries per day and prunes old days', async () => {
    const { store, stats } = await open();
    const many = Array.from({ length: MAX_ZERO_QUERIES_PER_DAY + 5 }, (_, i) => ({
      kind: 'zero' as const,
      key: `q${i}`,
    }));
    await stats.add('2026-01-01', many);
    await stats.add('2026-06-01', [{ kind: 'search', key: '' }]);
    const jan = await stats.read('2026-01-01', '2026-01-01');
    expect(jan).to.have.length(MAX_ZERO_QUERIES_PER_DAY + 1);
    expect(jan.find((r) => r.key === OTHER_QUERY)?.count).to.equal(5);
    expect(await stats.prune('2026-06-01')).to.equal(MAX_ZERO_QUERIES_PER_DAY + 1);
    expect(await stats.read('2000-01-01', '2099-12-31')).to.have.length(1);
    stats.close();
    store.close();
  });

  it('steps aside for a deletion and does not recreate a deleted database', async () => {
    const { store, stats } = await open();
    await stats.add('2026-11-24', [{ kind: 'search', key: '' }]);
    store.close();
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.deleteDatabase(stats.name);
      req.onsuccess = () => resolve();
      req.onerror = () => reject(req.error);
      // A connection that ignored versionchange would leave the delete blocked.
      req.onblocked = () => reject(new Error('delete blocked by the stats connection'));
    });
    // Best effort: nothing written, nothing thrown, and no empty database created.
    await stats.add('2026-11-24', [{ kind: 'search', key: '' }]);
    expect(await stats.read('2026-11-24', '2026-11-24')).to.deep.equal([]);
    const names = (await indexedDB.databases()).map((d) => d.name);
    expect(names).not.to.include(stats.name);
  });
});

describe('zero-result queries without personal numbers (src/content/pii.ts)', () => {
  it('masks IDs, mobiles and cards, and drops long digit runs, before anything is stored', async () => {
    const { store, stats } = await open();
    await stats.add('2026-11-24', [
      { kind: 'zero', key: '社保 420111 19930215 1386' },
      { kind: 'zero', key: '社保４２０１１１１９９３０２１５１３８６' },
      { kind: 'zero', key: '＋８６ １３９ １２３４ ５６７８' },
      { kind: 'zero', key: '低保 42011119930215138' },
      { kind: 'zero', key: '东府办〔2007〕198号' },
    ]);
    const rows = await stats.read('2026-11-24', '2026-11-24');
    expect(rows.map((r) => `${r.key}|${r.count}`).sort()).to.deep.equal([
      '+ [手机号]|1',
      '东府办〔2007〕198号|1',
      '低保 [号码]|1',
      '社保 [身份证号]|2',
    ]);
    expect(JSON.stringify(rows)).not.to.match(/\d{5}/);
    stats.close();
    store.close();
  });
  it('masks raw queries stored by older versions when summarising and exporting', () => {
    const legacy = [
      {
        id: '2026-11-24|zero|13912345678',
        day: '2026-11-24',
        kind: 'zero',
        key: '13912345678',
        count: 2,
      },
      {
        id: '2026-11-24|zero|158-1357-2468',
        day: '2026-11-24',
        kind: 'zero',
        key: '158-1357-2468',
        count: 1,
      },
      { id: '2026-11-24|zero|婚姻', day: '2026-11-24', kind: 'zero', key: '婚姻', count: 1 },
    ] as const;
    const s = summarise(legacy, '2026-11-24', '2026-11-24');
    expect(s.zeroQueries).to.deep.equal([
      { query: '[手机号]', count: 3 },
      { query: '婚姻', count: 1 },
    ]);
    const csv = statsToCsv(legacy);
    expect(csv).to.contain('2026-11-24,zero,[手机号],,3\r\n');
    expect(csv).not.to.match(/\d{4}-?\d{4}\b(?!-)/);
  });
  it('keeps labels whole through the search normaliser and the length cut', () => {
    // The search normaliser turns punctuation into spaces: 139/1234/5678 becomes a grouped mobile.
    const spaces = (q: string) => q.replace(/[^\p{L}\p{N}]+/gu, ' ');
    expect(normaliseQuery('139/1234/5678', spaces)).to.equal('[手机号]');
    expect(normaliseQuery('办理 420111 19930215 1386 进度', spaces)).to.equal(
      '办理 [身份证号] 进度',
    );
    const long = normaliseQuery(`${'字'.repeat(MAX_QUERY_CHARS - 3)} 13912345678`);
    expect(long).to.equal('字'.repeat(MAX_QUERY_CHARS - 3));
  });
});

describe('stats helpers', () => {
  it('normalises and cuts queries, exports CSV with formulas defused', () => {
    expect(normaliseQuery('ＡＢ  c')).to.equal('ab c');
    expect([...normaliseQuery('字'.repeat(100))]).to.have.length(MAX_QUERY_CHARS);
    expect(normaliseQuery('x', (q) => q.toUpperCase())).to.equal('X');
    const csv = statsToCsv(
      [
        { id: '2026-11-24|zero|=cmd', day: '2026-11-24', kind: 'zero', key: '=cmd', count: 3 },
        { id: '2026-11-24|view|n-1', day: '2026-11-24', kind: 'view', key: 'n-1', count: 2 },
      ],
      (id) => (id === 'n-1' ? '关于"公开"的通知' : ''),
    );
    expect(csv.startsWith('\uFEFFday,kind,key,title,count\r\n')).to.equal(true);
    expect(csv).to.contain('2026-11-24,view,n-1,"关于""公开""的通知",2\r\n');
    expect(csv).to.contain("2026-11-24,zero,'=cmd,,3\r\n");
    expect(dayMinus('2026-03-01', 1)).to.equal('2026-02-28');
  });
});
