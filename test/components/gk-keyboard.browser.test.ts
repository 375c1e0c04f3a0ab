import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/components/gk-keyboard.ts';
import type { GkKeyboard, KeyPressEvent } from '../../src/components/gk-keyboard.ts';
import { smallTargets, themedHost } from './gk-kiosk.fixtures.ts';

describe('gk-keyboard', () => {
  for (const elder of [false, true]) {
    it(`has letters, digits, 文号 symbols, backspace and clear, big targets, and passes axe (elder ${elder})`, async () => {
      const el = await fixture<GkKeyboard>(html`<gk-keyboard></gk-keyboard>`, {
        parentNode: themedHost(elder),
      });
      const keys = [...el.shadowRoot!.querySelectorAll('button')].map((b) => b.dataset.key);
      for (const k of ['a', 'z', '0', '9', '〔', '〕', '[', ']', '(', ')', '号', '-', '/'])
        expect(keys).to.include(k);
      expect(keys).to.include('Backspace');
      expect(keys).to.include('Clear');
      expect(smallTargets(el.shadowRoot!, elder ? 72 : 60)).to.deep.equal([]);
      await expect(el).to.be.accessible();
    });
  }

  it('fires gk-key for a click and for Enter on a focused key', async () => {
    const el = await fixture<GkKeyboard>(html`<gk-keyboard></gk-keyboard>`);
    const got: string[] = [];
    el.addEventListener('gk-key', (e: KeyPressEvent) => got.push(e.key));
    el.shadowRoot!.querySelector<HTMLButtonElement>('[data-key="q"]')!.click();
    el.shadowRoot!.querySelector<HTMLButtonElement>('[data-key="〔"]')!.click();
    el.shadowRoot!.querySelector<HTMLButtonElement>('[data-key="Backspace"]')!.focus();
    await sendKeys({ press: 'Enter' });
    el.shadowRoot!.querySelector<HTMLButtonElement>('[data-key="7"]')!.focus();
    await sendKeys({ press: 'Space' });
    expect(got).to.deep.equal(['q', '〔', 'Backspace', '7']);
  });
});
