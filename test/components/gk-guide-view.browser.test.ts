import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/gk-guide-view.ts';
import type { GkGuideView } from '../../src/components/gk-guide-view.ts';
import { guide, smallTargets, themedHost } from './gk-kiosk.fixtures.ts';

describe('gk-guide-view', () => {
  for (const elder of [false, true]) {
    it(`shows materials as a checklist, the flowchart, limits, fees, hours, phones and a QR to the online service, and passes axe (elder ${elder})`, async () => {
      const el = await fixture<GkGuideView>(html`<gk-guide-view .item=${guide}></gk-guide-view>`, {
        parentNode: themedHost(elder),
      });
      const root = el.shadowRoot!;
      const boxes = root.querySelectorAll<HTMLInputElement>('input[type="checkbox"]');
      expect(boxes.length).to.equal(2);
      boxes[0].click();
      expect(boxes[0].checked).to.equal(true);
      const text = root.textContent!;
      for (const s of [
        '20个工作日',
        '15个工作日',
        '不收费',
        '周一至周五',
        '0759-1234567',
        '12345',
        '湛江市赤坎区',
      ])
        expect(text).to.contain(s);
      expect(root.querySelector('gk-flowchart')!.steps).to.have.length(3);
      expect(root.querySelector('gk-qr')!.value).to.equal('https://www.gdzwfw.gov.cn/ysq');
      expect(smallTargets(root, elder ? 72 : 60)).to.deep.equal([]);
      await expect(el).to.be.accessible();
    });
  }
});
