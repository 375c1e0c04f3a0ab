import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/gk-candidate-bar.ts';
import type {
  CandidateSelectEvent,
  GkCandidateBar,
} from '../../src/components/gk-candidate-bar.ts';
import { themedHost } from './gk-kiosk.fixtures.ts';

describe('gk-candidate-bar', () => {
  for (const elder of [false, true]) {
    it(`shows the pinyin and its candidates, and passes axe (elder ${elder})`, async () => {
      const el = await fixture<GkCandidateBar>(
        html`<gk-candidate-bar
          pinyin="zhengwu"
          .candidates=${['政务', '正午']}
        ></gk-candidate-bar>`,
        { parentNode: themedHost(elder) },
      );
      const words = [...el.shadowRoot!.querySelectorAll('button')].map((b) => b.dataset.word);
      expect(words).to.deep.equal(['政务', '正午']);
      expect(el.shadowRoot!.textContent).to.contain('zhengwu');
      await expect(el).to.be.accessible();
    });
  }

  it('fires gk-candidate-select with the word and the pinyin it replaces', async () => {
    const el = await fixture<GkCandidateBar>(
      html`<gk-candidate-bar pinyin="zw" .candidates=${['政务', '正午']}></gk-candidate-bar>`,
    );
    let got: CandidateSelectEvent | undefined;
    el.addEventListener('gk-candidate-select', (e) => (got = e));
    el.shadowRoot!.querySelectorAll('button')[1].click();
    expect(got?.word).to.equal('正午');
    expect(got?.pinyin).to.equal('zw');
  });

  it('says there are no candidates, and renders nothing without pinyin', async () => {
    const el = await fixture<GkCandidateBar>(
      html`<gk-candidate-bar pinyin="xq" .candidates=${[]}></gk-candidate-bar>`,
    );
    expect(el.shadowRoot!.textContent).to.contain('没有候选词');
    await expect(el).to.be.accessible();
    el.pinyin = '';
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('ul')).to.equal(null);
  });
});
