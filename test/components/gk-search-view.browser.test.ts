import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/gk-search-view.ts';
import {
  highlightParts,
  trailingPinyin,
  type GkSearchView,
  type SearchFilterValues,
} from '../../src/components/gk-search-view.ts';
import {
  fakeCandidates,
  fakeSearch,
  items,
  smallTargets,
  themedHost,
} from './gk-kiosk.fixtures.ts';

/** A search view whose query state is held by the test, like gk-kiosk does. */
async function mount(calls: string[] = [], elder = false) {
  const el = await fixture<GkSearchView>(
    html`<gk-search-view
      .items=${items}
      .search=${fakeSearch(calls)}
      .candidates=${fakeCandidates}
      .suggestions=${['政务公开']}
    ></gk-search-view>`,
    { parentNode: themedHost(elder) },
  );
  el.addEventListener('gk-query-change', (e) => (el.query = e.query));
  el.addEventListener('gk-filters-change', (e) => (el.filters = e.filters));
  return el;
}
const press = async (el: GkSearchView, ...keys: string[]) => {
  const kb = el.shadowRoot!.querySelector('gk-keyboard')!;
  for (const k of keys) {
    kb.shadowRoot!.querySelector<HTMLButtonElement>(`[data-key="${k}"]`)!.click();
    await el.updateComplete;
  }
};
const resultTitles = (el: GkSearchView) =>
  [...el.shadowRoot!.querySelectorAll('[part="result"] .title')].map((t) => t.textContent);

describe('gk-search-view', () => {
  it('splits highlight ranges and finds the pinyin being typed', () => {
    expect(highlightParts('政务公开工作', [{ start: 2, end: 4 }])).to.deep.equal([
      { text: '政务', mark: false },
      { text: '公开', mark: true },
      { text: '工作', mark: false },
    ]);
    expect(
      highlightParts('abc', [
        { start: 1, end: 9 },
        { start: 0, end: 2 },
      ]),
    ).to.deep.equal([
      { text: 'ab', mark: true },
      { text: 'c', mark: true },
    ]);
    expect(trailingPinyin('2007年zhengwu')).to.equal('zhengwu');
    expect(trailingPinyin('政务')).to.equal('');
  });

  for (const elder of [false, true]) {
    it(`types on the on-screen keyboard, searches with the accumulated query on every key, and highlights (elder ${elder})`, async () => {
      const calls: string[] = [];
      const el = await mount(calls, elder);
      await press(el, 'z', 'w');
      expect(calls).to.deep.equal(['z', 'zw']);
      expect(el.shadowRoot!.querySelector('input')!.value).to.equal('zw');
      expect(resultTitles(el)).to.deep.equal(['关于印发2007年全市政务公开工作计划的通知']);
      const marks = [...el.shadowRoot!.querySelectorAll('mark')].map((m) => m.textContent);
      expect(marks).to.deep.equal(['政务']);
      expect(smallTargets(el.shadowRoot!, elder ? 72 : 60)).to.deep.equal([]);
      await expect(el).to.be.accessible();
    });
  }

  it('turns typed pinyin into a chosen word, including a same-sounding wrong one', async () => {
    const calls: string[] = [];
    const el = await mount(calls);
    await press(el, 'z', 'h', 'e', 'n', 'g', 'w', 'u');
    const bar = el.shadowRoot!.querySelector('gk-candidate-bar')!;
    await bar.updateComplete;
    const buttons = [...bar.shadowRoot!.querySelectorAll('button')];
    expect(buttons.map((b) => b.dataset.word)).to.deep.equal(['政务', '正午']);
    buttons[1].click();
    await el.updateComplete;
    expect(el.query).to.equal('正午');
    expect(calls.at(-1)).to.equal('正午');
    // The fake search forgives the homophone, as the real one must.
    expect(resultTitles(el)).to.have.length(1);
    await press(el, 'Backspace');
    expect(el.query).to.equal('正');
    await press(el, 'Clear');
    expect(el.query).to.equal('');
  });

  it('accepts a physical keyboard and waits for the OS IME to finish composing', async () => {
    const calls: string[] = [];
    const el = await mount(calls);
    const input = el.shadowRoot!.querySelector('input')!;
    input.focus();
    input.dispatchEvent(new CompositionEvent('compositionstart', { bubbles: true }));
    input.value = 'zheng';
    input.dispatchEvent(new InputEvent('input', { bubbles: true, isComposing: true }));
    await el.updateComplete;
    expect(calls).to.deep.equal([]);
    input.value = '政务';
    input.dispatchEvent(new CompositionEvent('compositionend', { bubbles: true, data: '政务' }));
    await el.updateComplete;
    expect(calls).to.deep.equal(['政务']);
    input.value = '政务公开';
    input.dispatchEvent(new InputEvent('input', { bubbles: true }));
    await el.updateComplete;
    expect(calls.at(-1)).to.equal('政务公开');
    expect(resultTitles(el)).to.deep.equal(['关于印发2007年全市政务公开工作计划的通知']);
  });

  it('filters by category, issuer, year and validity', async () => {
    const el = await mount();
    await press(el, 'g', 'k');
    expect(resultTitles(el)).to.have.length(2);
    const setFilter = async (key: keyof SearchFilterValues, value: string) => {
      const sel = el.shadowRoot!.querySelector<HTMLSelectElement>(`[data-filter="${key}"]`)!;
      sel.value = value;
      sel.dispatchEvent(new Event('change'));
      await el.updateComplete;
    };
    await setFilter('validity', '有效');
    expect(resultTitles(el)).to.deep.equal(['关于印发2007年全市政务公开工作计划的通知']);
    await setFilter('validity', '');
    await setFilter('year', '2020');
    expect(resultTitles(el)).to.deep.equal(['政府信息依申请公开']);
    await setFilter('year', '');
    await setFilter('issuer', '东莞市人民政府办公室');
    expect(resultTitles(el)).to.have.length(1);
    await setFilter('issuer', '');
    await setFilter('category', 'guide-items');
    expect(resultTitles(el)).to.deep.equal(['政府信息依申请公开']);
    await expect(el).to.be.accessible();
  });

  it('shows a helpful empty state with suggestions that search', async () => {
    const el = await mount();
    await press(el, 'x', 'y', 'z');
    const text = el.shadowRoot!.textContent!;
    expect(text).to.contain('没有找到相关信息');
    expect(text).to.contain('首字母');
    expect(text).to.contain('文号');
    await expect(el).to.be.accessible();
    el.shadowRoot!.querySelector<HTMLButtonElement>('[data-query="政务公开"]')!.click();
    await el.updateComplete;
    expect(el.query).to.equal('政务公开');
    expect(resultTitles(el)).to.have.length(1);
  });

  it('fires gk-item-select for a result', async () => {
    const el = await mount();
    await press(el, 'g', 'k');
    let id = '';
    el.addEventListener('gk-item-select', (e) => (id = e.itemId));
    el.shadowRoot!.querySelector<HTMLButtonElement>('[data-id="g-ysq"]')!.click();
    expect(id).to.equal('g-ysq');
  });
});
