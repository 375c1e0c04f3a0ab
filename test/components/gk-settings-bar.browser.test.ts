import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/gk-settings-bar.ts';
import type { GkSettingsBar, SettingsChangeEvent } from '../../src/components/gk-settings-bar.ts';
import { KIOSK_DEFAULT_SETTINGS, type VisitorSettings } from '../../src/display/session.ts';
import { smallTargets, themedHost } from './gk-kiosk.fixtures.ts';

describe('gk-settings-bar', () => {
  for (const elder of [false, true]) {
    it(`offers 大/中/小, elder mode, high contrast, languages, Traditional content and read-aloud, and passes axe (elder ${elder})`, async () => {
      const el = await fixture<GkSettingsBar>(
        html`<gk-settings-bar .settings=${{ ...KIOSK_DEFAULT_SETTINGS, elder }}></gk-settings-bar>`,
        { parentNode: themedHost(elder) },
      );
      const labels = [...el.shadowRoot!.querySelectorAll('button')].map((b) =>
        b.textContent!.trim(),
      );
      for (const l of [
        '大',
        '中',
        '小',
        '长辈模式',
        '高对比',
        '简体',
        '繁體',
        'English',
        '繁体内容',
      ])
        expect(labels).to.include(l);
      expect(labels.some((l) => l.includes('朗读'))).to.equal(true);
      const pressed = [...el.shadowRoot!.querySelectorAll('[aria-pressed="true"]')].map((b) =>
        b.textContent!.trim(),
      );
      expect(pressed).to.deep.equal(elder ? ['中', '长辈模式', '简体'] : ['中', '简体']);
      expect(smallTargets(el.shadowRoot!, elder ? 72 : 60)).to.deep.equal([]);
      await expect(el).to.be.accessible();
    });
  }

  it('fires the whole new settings on each change, and shows a message', async () => {
    const el = await fixture<GkSettingsBar>(
      html`<gk-settings-bar
        .settings=${KIOSK_DEFAULT_SETTINGS}
        message="本机没有中文语音，无法朗读"
      ></gk-settings-bar>`,
    );
    const got: VisitorSettings[] = [];
    el.addEventListener('gk-settings-change', (e: SettingsChangeEvent) => got.push(e.settings));
    const click = (text: string) =>
      [...el.shadowRoot!.querySelectorAll('button')]
        .find((b) => b.textContent!.trim() === text)!
        .click();
    click('大');
    click('长辈模式');
    click('English');
    expect(got.map((s) => [s.fontSize, s.elder, s.uiLang])).to.deep.equal([
      ['large', false, 'zh-Hans'],
      ['medium', true, 'zh-Hans'],
      ['medium', false, 'en'],
    ]);
    expect(el.shadowRoot!.querySelector('[role="status"]')!.textContent).to.contain('没有中文语音');
    await expect(el).to.be.accessible();
  });
});
