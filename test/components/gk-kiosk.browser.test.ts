import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/gk-kiosk.ts';
import type { GkKiosk, SearchDoneEvent, SessionResetEvent } from '../../src/components/gk-kiosk.ts';
import { SettingsChangeEvent } from '../../src/components/gk-settings-bar.ts';
import { KIOSK_DEFAULT_SETTINGS, type VisitorSettings } from '../../src/display/session.ts';
import type { Notice } from '../../src/content/types.ts';
import {
  fakeCandidates,
  fakeSearch,
  fakeSpeech,
  installFakeClock,
  items,
  smallTargets,
} from './gk-kiosk.fixtures.ts';

const inWindow = (n: Notice) => n.id === 'n-board';
const elderDefaults: VisitorSettings = { ...KIOSK_DEFAULT_SETTINGS, elder: true };

async function mount(
  opts: {
    defaults?: VisitorSettings;
    idleSeconds?: number;
    speech?: ReturnType<typeof fakeSpeech>;
  } = {},
) {
  const calls: string[] = [];
  const speech = opts.speech ?? fakeSpeech([]);
  const el = await fixture<GkKiosk>(
    html`<gk-kiosk
      style="height: 900px"
      .items=${items}
      .search=${fakeSearch(calls)}
      .candidates=${fakeCandidates}
      .isNoticeActive=${inWindow}
      .defaults=${opts.defaults ?? KIOSK_DEFAULT_SETTINGS}
      .idleSeconds=${opts.idleSeconds ?? 60}
      .speechEngine=${speech.engine}
      .makeUtterance=${(text: string) => ({ text }) as SpeechSynthesisUtterance}
      ><p slot="attract">轮播</p></gk-kiosk
    >`,
  );
  return { el, calls, speech };
}

/** Everything a visitor could see of the kiosk: text and input values through shadow roots. */
function allText(root: Element | ShadowRoot): string {
  let out = '';
  for (const n of root.querySelectorAll('*')) {
    if (n instanceof HTMLInputElement) out += ` ${n.value}`;
    if (n.shadowRoot) out += allText(n.shadowRoot);
  }
  return (root.textContent ?? '') + out;
}
const $ = <T extends Element>(el: GkKiosk, sel: string) => el.shadowRoot!.querySelector<T>(sel)!;
const view = <K extends keyof HTMLElementTagNameMap>(el: GkKiosk, tag: K) =>
  el.shadowRoot!.querySelector(tag)!;
async function typeKeys(el: GkKiosk, ...keys: string[]) {
  const sv = view(el, 'gk-search-view');
  const kb = sv.shadowRoot!.querySelector('gk-keyboard')!;
  for (const k of keys) {
    kb.shadowRoot!.querySelector<HTMLButtonElement>(`[data-key="${k}"]`)!.click();
    await el.updateComplete;
    await sv.updateComplete;
  }
}
async function navTo(el: GkKiosk, label: string) {
  [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('nav button')]
    .find((b) => b.textContent!.includes(label))!
    .click();
  await el.updateComplete;
}

describe('gk-kiosk', () => {
  for (const defaults of [KIOSK_DEFAULT_SETTINGS, elderDefaults]) {
    it(`walks attract → home → search → notice → guide, each screen passing axe (elder ${defaults.elder})`, async () => {
      const { el } = await mount({ defaults });
      expect(el.shadowRoot!.querySelector('slot[name="attract"]')).to.not.equal(null);
      await expect(el).to.be.accessible();
      $<HTMLButtonElement>(el, '.start').click();
      await el.updateComplete;
      expect(el.session.screen).to.equal('home');
      await view(el, 'gk-home').updateComplete;
      expect(smallTargets(el.shadowRoot!, defaults.elder ? 72 : 60)).to.deep.equal([]);
      await expect(el).to.be.accessible();
      await navTo(el, '搜索');
      await typeKeys(el, 'z', 'w');
      await expect(el).to.be.accessible();
      view(el, 'gk-search-view')
        .shadowRoot!.querySelector<HTMLButtonElement>('[data-id="n-plan"]')!
        .click();
      await el.updateComplete;
      expect(el.session.screen).to.equal('notice');
      await view(el, 'gk-notice-view').updateComplete;
      await expect(el).to.be.accessible();
      await navTo(el, '返回');
      expect(el.session.screen).to.equal('search');
      expect(el.session.query).to.equal('zw');
      await navTo(el, '首页');
      view(el, 'gk-home')
        .shadowRoot!.querySelector<HTMLButtonElement>('[data-id="g-ysq"]')!
        .click();
      await el.updateComplete;
      expect(el.session.screen).to.equal('guide');
      await view(el, 'gk-guide-view').updateComplete;
      await expect(el).to.be.accessible();
    });
  }

  it('meets the MIIT type minimums in elder mode at every font step', async () => {
    const { el } = await mount({ defaults: elderDefaults });
    el.startSession();
    await el.updateComplete;
    for (const fontSize of ['small', 'medium', 'large'] as const) {
      el.resetSession();
      el.defaults = { ...elderDefaults, fontSize };
      await el.updateComplete;
      el.startSession();
      await el.updateComplete;
      const home = view(el, 'gk-home');
      await home.updateComplete;
      const body = parseFloat(getComputedStyle(el).fontSize);
      const h2 = parseFloat(getComputedStyle(home.shadowRoot!.querySelector('h2')!).fontSize);
      const tile = getComputedStyle(home.shadowRoot!.querySelector('[part="tile"]')!);
      expect(body, fontSize).to.be.at.least(24);
      expect(h2 * 1.2, fontSize).to.be.at.least(40); // h1 is 1.5em, h2 1.25em of the same root
      expect(parseFloat(tile.lineHeight) / parseFloat(tile.fontSize), fontSize).to.be.at.least(1.3);
    }
  });

  it('resetSession() wipes query, results, opened item, scroll and settings, returns to attract, and fires gk-session-reset', async () => {
    const { el } = await mount();
    const historyLength = history.length;
    el.startSession();
    await el.updateComplete;
    // The visitor changes settings…
    view(el, 'gk-settings-bar').dispatchEvent(
      new SettingsChangeEvent({
        ...KIOSK_DEFAULT_SETTINGS,
        fontSize: 'large',
        highContrast: true,
        uiLang: 'en',
      }),
    );
    await el.updateComplete;
    expect(getComputedStyle(el).fontSize).to.equal('30px');
    await navTo(el, 'Search');
    await typeKeys(el, 'g', 'k');
    view(el, 'gk-search-view')
      .shadowRoot!.querySelector<HTMLButtonElement>('[data-id="n-plan"]')!
      .click();
    await el.updateComplete;
    await view(el, 'gk-notice-view').updateComplete;
    const main = $<HTMLElement>(el, 'main');
    main.scrollTop = 200;
    expect(allText(el.shadowRoot!)).to.contain('关于印发2007年全市政务公开工作计划的通知');

    let reason = '';
    el.addEventListener('gk-session-reset', (e: SessionResetEvent) => (reason = e.reason));
    el.resetSession();
    await el.updateComplete;
    expect(reason).to.equal('manual');
    expect(el.session).to.deep.equal({
      screen: 'attract',
      query: '',
      filters: { category: '', issuer: '', year: '', validity: '' },
      openItemId: null,
      returnTo: 'home',
      settings: KIOSK_DEFAULT_SETTINGS,
    });
    const text = allText(el.shadowRoot!);
    expect(text).to.not.contain('政务公开工作计划');
    expect(text).to.not.contain('gk');
    expect(getComputedStyle(el).fontSize).to.equal('24px');
    expect(history.length).to.equal(historyLength);
    // Coming back starts clean: empty query, no results.
    el.startSession();
    await el.updateComplete;
    await navTo(el, '搜索');
    const sv = view(el, 'gk-search-view');
    await sv.updateComplete;
    expect(sv.shadowRoot!.querySelector('input')!.value).to.equal('');
    expect(sv.shadowRoot!.querySelectorAll('[part="result"]').length).to.equal(0);
    expect($<HTMLElement>(el, 'main').scrollTop).to.equal(0);
  });

  it('fires gk-search-done once per typed query (not per key), with the result count', async () => {
    const { el } = await mount();
    const done: [string, number][] = [];
    el.addEventListener('gk-search-done', (e: SearchDoneEvent) =>
      done.push([e.query, e.resultCount]),
    );
    el.startSession();
    await el.updateComplete;
    await navTo(el, '搜索');
    await typeKeys(el, 'g', 'k');
    expect(done).to.deep.equal([]);
    const gkHits = fakeSearch()('gk').length;
    expect(gkHits).to.be.greaterThan(0);
    // Opening a result finishes the search; going back and opening another does not count again.
    view(el, 'gk-search-view')
      .shadowRoot!.querySelector<HTMLButtonElement>('[data-id="n-plan"]')!
      .click();
    await el.updateComplete;
    expect(done).to.deep.equal([['gk', gkHits]]);
    await navTo(el, '返回');
    await el.updateComplete;
    view(el, 'gk-search-view')
      .shadowRoot!.querySelector<HTMLButtonElement>('[data-id="n-plan"]')!
      .click();
    await el.updateComplete;
    expect(done).to.have.length(1);
    // The query is kept on the search screen; extended until it finds nothing, then abandoned:
    // reported at the reset, with 0.
    await navTo(el, '搜索');
    await typeKeys(el, 'q', 'x', '7');
    el.resetSession('idle');
    expect(done).to.deep.equal([
      ['gk', gkHits],
      ['gkqx7', 0],
    ]);
    // Backspacing does not count each prefix; clearing the field finishes the longest query.
    el.startSession();
    await el.updateComplete;
    await navTo(el, '搜索');
    await typeKeys(el, 'q', 'x', 'z', 'Backspace', 'Backspace');
    expect(done).to.have.length(2);
    await typeKeys(el, 'Clear');
    expect(done[2]).to.deep.equal(['qxz', 0]);
    await typeKeys(el, 'Clear');
    expect(done).to.have.length(3);
  });

  it('resets after the configured idle time without input, and not before', async () => {
    const clock = installFakeClock();
    try {
      const { el } = await mount({ idleSeconds: 90 });
      const resets: string[] = [];
      el.addEventListener('gk-session-reset', (e: SessionResetEvent) => resets.push(e.reason));
      el.startSession();
      await el.updateComplete;
      await navTo(el, '搜索');
      await typeKeys(el, 'z', 'w');
      clock.tick(60_000);
      window.dispatchEvent(new Event('pointerdown'));
      clock.tick(60_000);
      await el.updateComplete;
      expect(el.session.query).to.equal('zw');
      expect(resets).to.deep.equal([]);
      clock.tick(31_000);
      await el.updateComplete;
      expect(resets).to.deep.equal(['idle']);
      expect(el.session.screen).to.equal('attract');
      expect(el.session.query).to.equal('');
      // Idle on the attract loop does not reset again.
      clock.tick(200_000);
      expect(resets).to.deep.equal(['idle']);
    } finally {
      clock.restore();
    }
  });

  it('reads aloud with a Chinese voice, and says so when there is none', async () => {
    const none = await mount({ speech: fakeSpeech([{ lang: 'en-US', localService: true }]) });
    none.el.startSession();
    await none.el.updateComplete;
    const read = async (el: GkKiosk) => {
      const bar = view(el, 'gk-settings-bar');
      [...bar.shadowRoot!.querySelectorAll('button')]
        .find((b) => b.textContent!.includes('朗读'))!
        .click();
      await el.updateComplete;
      await bar.updateComplete;
      return bar;
    };
    const bar = await read(none.el);
    expect(none.speech.spoken).to.deep.equal([]);
    expect(bar.shadowRoot!.querySelector('[role="status"]')!.textContent).to.contain(
      '本机没有中文语音',
    );
    await expect(none.el).to.be.accessible();

    const zh = await mount({ speech: fakeSpeech([{ lang: 'zh-CN', localService: true }]) });
    zh.el.startSession();
    await zh.el.updateComplete;
    await read(zh.el);
    expect(zh.speech.spoken).to.have.length(1);
    expect(zh.speech.spoken[0].lang).to.equal('zh-CN');
    expect(zh.speech.spoken[0].text).to.contain('法定主动公开内容');
  });

  it('passes axe in high contrast with the English UI, and shows Traditional content labelled as machine-converted', async () => {
    const { el } = await mount();
    let loads = 0;
    el.loadConverter = async () => {
      loads++;
      return (s: string) => s.replace(/关于/g, '關於').replace(/发/g, '發');
    };
    el.startSession();
    await el.updateComplete;
    view(el, 'gk-settings-bar').dispatchEvent(
      new SettingsChangeEvent({
        ...KIOSK_DEFAULT_SETTINGS,
        highContrast: true,
        uiLang: 'en',
        traditionalContent: true,
      }),
    );
    await el.updateComplete;
    expect(getComputedStyle(el).backgroundColor).to.equal('rgb(0, 0, 0)');
    expect(el.getAttribute('lang')).to.equal('en');
    expect(view(el, 'gk-home').shadowRoot!.textContent).to.contain('Disclosure categories');
    await expect(el).to.be.accessible();
    el.openItem('n-plan');
    await el.updateComplete;
    await new Promise((r) => setTimeout(r, 0));
    await el.updateComplete;
    const nv = view(el, 'gk-notice-view');
    await nv.updateComplete;
    expect(loads).to.equal(1);
    expect(nv.shadowRoot!.querySelector('h1')!.textContent).to.contain('關於印發');
    expect(nv.shadowRoot!.textContent).to.contain('繁體為機器轉換，以簡體原文為準');
    await expect(el).to.be.accessible();
  });

  it('blocks the context menu, selection drags and link navigation', async () => {
    const { el } = await mount();
    el.startSession();
    await el.updateComplete;
    const menu = new MouseEvent('contextmenu', { bubbles: true, composed: true, cancelable: true });
    view(el, 'gk-home').dispatchEvent(menu);
    expect(menu.defaultPrevented).to.equal(true);
    const drag = new Event('dragstart', { bubbles: true, composed: true, cancelable: true });
    view(el, 'gk-home').dispatchEvent(drag);
    expect(drag.defaultPrevented).to.equal(true);
    const a = document.createElement('a');
    a.href = 'https://example.com/';
    a.textContent = 'x';
    el.append(a);
    const click = new MouseEvent('click', { bubbles: true, composed: true, cancelable: true });
    a.dispatchEvent(click);
    expect(click.defaultPrevented).to.equal(true);
    a.remove();
  });
});
