import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/gk-home.ts';
import { presentCategories, type BrowseEvent, type GkHome } from '../../src/components/gk-home.ts';
import type { Notice } from '../../src/content/types.ts';
import { items, smallTargets, themedHost } from './gk-kiosk.fixtures.ts';

const inWindow = (n: Notice) => n.id === 'n-board';

describe('gk-home', () => {
  it('lists only the categories present, in Art. 20 order, with counts', () => {
    expect(presentCategories(items)).to.deep.equal([
      { category: 'plans', count: 1 },
      { category: 'civil-service-recruitment', count: 1 },
    ]);
  });

  for (const elder of [false, true]) {
    it(`shows category tiles, guides by department, 公示 in their window and the latest items, and passes axe (elder ${elder})`, async () => {
      const el = await fixture<GkHome>(
        html`<gk-home .items=${items} .isNoticeActive=${inWindow}></gk-home>`,
        { parentNode: themedHost(elder) },
      );
      const root = el.shadowRoot!;
      const cats = [...root.querySelectorAll('[data-category]')].map((b) =>
        b.getAttribute('data-category'),
      );
      expect(cats).to.deep.equal(['plans', 'civil-service-recruitment']);
      const guides = root.querySelector('[aria-labelledby="guides"]')!.textContent!;
      expect(guides).to.contain('办公室');
      expect(guides).to.contain('政府信息依申请公开');
      const notices = root.querySelector('[aria-labelledby="notices"]')!.textContent!;
      expect(notices).to.contain('拟录用公务员名单公示');
      const latest = [...root.querySelectorAll('[aria-labelledby="latest"] button')].map((b) =>
        b.getAttribute('data-id'),
      );
      expect(latest).to.deep.equal(['n-board', 'n-plan']);
      expect(smallTargets(root, elder ? 72 : 60)).to.deep.equal([]);
      await expect(el).to.be.accessible();
    });
  }

  it('says when no 公示 is in its window, and fires browse and select events', async () => {
    const el = await fixture<GkHome>(html`<gk-home .items=${items}></gk-home>`);
    expect(el.shadowRoot!.querySelector('[aria-labelledby="notices"]')!.textContent).to.contain(
      '目前没有公示期内的公示公告',
    );
    const got: string[] = [];
    el.addEventListener('gk-browse', (e: BrowseEvent) =>
      got.push(`browse:${e.filter.category ?? ''}`),
    );
    el.addEventListener('gk-item-select', (e) => got.push(`item:${e.itemId}`));
    el.shadowRoot!.querySelector<HTMLButtonElement>('[data-category="plans"]')!.click();
    el.shadowRoot!.querySelector<HTMLButtonElement>('.search')!.click();
    el.shadowRoot!.querySelector<HTMLButtonElement>('[data-id="g-ysq"]')!.click();
    expect(got).to.deep.equal(['browse:plans', 'browse:', 'item:g-ysq']);
  });
});
