import { expect } from '@open-wc/testing';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { openStore } from '../../src/data/db.ts';
import { StatsStore } from '../../src/data/stats.ts';
import { CountsController } from '../../src/app/counts.ts';
import type { ProofEntry } from '../../src/display/proof.ts';

/** A host that only collects controllers (the shell is a LitElement). */
function host(): ReactiveControllerHost & { controllers: ReactiveController[] } {
  const controllers: ReactiveController[] = [];
  return {
    controllers,
    addController: (c) => controllers.push(c),
    removeController: () => undefined,
    requestUpdate: () => undefined,
    updateComplete: Promise.resolve(true),
  };
}

const waitFor = async (fn: () => Promise<boolean>) => {
  for (let i = 0; i < 100; i++) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition not met');
};

describe('CountsController (the shell’s counts and proof log)', () => {
  it('counts finished searches and views by local day; fleet reports carry completed days only', async () => {
    const name = `gongkai-counts-test-${Date.now()}`;
    const store = await openStore({}, name);
    // Yesterday (Shanghai) already has counts in the store.
    const stats = new StatsStore(name);
    await stats.add('2026-11-23', [
      { kind: 'zero', key: '养老金' },
      { kind: 'search', key: '' },
    ]);
    // 2026-11-24 01:30 in Shanghai is still 2026-11-23 in UTC: the kiosk's zone decides the day.
    const now = Date.parse('2026-11-23T17:30:00Z');
    const h = host();
    const counts = new CountsController(h);
    counts.attach(name, 'Asia/Shanghai', () => now);
    counts.search('婚姻登記', 0);
    counts.search('社保', 3);
    counts.view('n-1');
    counts.onSlideShown(
      new CustomEvent<ProofEntry>('gk-slide-shown', {
        detail: {
          shownAt: now,
          kind: 'item',
          id: 'n-1',
          title: '通知',
          page: 1,
          pages: 1,
          dwellMs: 12_000,
          screenId: 'hall',
        },
      }),
    );
    await waitFor(async () => (await stats.read('2026-11-24', '2026-11-24')).length === 3);
    const today = await stats.read('2026-11-24', '2026-11-24');
    // Traditional input counts under its Simplified form.
    expect(today.map((r) => `${r.kind}|${r.key}|${r.count}`).sort()).to.deep.equal([
      'search||2',
      'view|n-1|1',
      'zero|婚姻登记|1',
    ]);
    await waitFor(async () => counts.fleetExtras().counts !== null);
    const extras = counts.fleetExtras();
    expect(extras.counts!.toDay).to.equal('2026-11-23');
    expect(extras.counts!.zeroQueries).to.deep.equal([{ query: '养老金', count: 1 }]);
    expect(JSON.stringify(extras)).not.to.contain('婚姻');
    expect(extras.proof.map((p) => p.id)).to.deep.equal(['n-1']);
    const admin = await counts.adminCounts((id) => (id === 'n-1' ? '通知标题' : ''));
    expect(admin!.totals).to.deep.equal({ views: 1, searches: 3, zeroResults: 2 });
    expect(admin!.views).to.deep.equal([{ id: 'n-1', title: '通知标题', count: 1 }]);
    expect(counts.proofCsv()).to.contain('n-1,通知,1,1,12');
    expect(await counts.statsCsv(() => '')).to.contain('2026-11-24,zero,婚姻登记,,1');
    // What a visitor types is masked before it is stored: the panel, CSV and fleet see labels.
    counts.search('查询 420111 19930215 1386', 0);
    counts.search('１３９ １２３４ ５６７８', 0);
    await waitFor(async () => (await stats.read('2026-11-24', '2026-11-24')).length === 5);
    const stored = JSON.stringify(await stats.read('2026-11-24', '2026-11-24'));
    expect(stored).to.contain('查询 [身份证号]').and.to.contain('[手机号]');
    expect(stored).not.to.contain('1386').and.not.to.contain('5678');
    const panel = await counts.adminCounts(() => '');
    expect(panel!.zeroQueries.map((q) => q.query)).to.include.members([
      '查询 [身份证号]',
      '[手机号]',
    ]);
    expect(await counts.statsCsv(() => '')).not.to.contain('1386');
    h.controllers.forEach((c) => c.hostDisconnected?.());
    stats.close();
    store.close();
  });
});
