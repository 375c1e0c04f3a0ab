import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/gk-notice-view.ts';
import { sanitiseBody, type GkNoticeView } from '../../src/components/gk-notice-view.ts';
import { notice, themedHost } from './gk-kiosk.fixtures.ts';

describe('gk-notice-view', () => {
  for (const elder of [false, true]) {
    it(`shows the metadata block, body, task table, attachments, 以原文为准 and a QR code, and passes axe (elder ${elder})`, async () => {
      const el = await fixture<GkNoticeView>(
        html`<gk-notice-view .item=${notice}></gk-notice-view>`,
        {
          parentNode: themedHost(elder),
        },
      );
      const root = el.shadowRoot!;
      const dl = root.querySelector('dl')!.textContent!;
      for (const s of [
        '索引号',
        '007329345/2007-00123',
        '发布机构',
        '东莞市人民政府办公室',
        '文号',
        '东府办函〔2007〕198号',
        '成文日期',
        '2007-06-12',
        '发布日期',
        '2007-06-15',
        '有效性',
        '有效',
      ])
        expect(dl).to.contain(s);
      expect(root.querySelector('.body')!.textContent).to.contain('各镇人民政府');
      expect(root.querySelector('table')!.textContent).to.contain('完善政务公开目录');
      expect(root.textContent).to.contain('工作计划.pdf');
      expect(root.textContent).to.contain('以原文为准');
      const qrs = [...root.querySelectorAll('gk-qr')].map((q) => q.value);
      expect(qrs).to.deep.equal([
        'https://www.dg.gov.cn/zwgk/plan.html',
        'https://www.dg.gov.cn/plan.html',
      ]);
      await expect(el).to.be.accessible();
    });
  }

  it('strips scripts and handlers, and turns links into QR codes instead of anchors that navigate', async () => {
    const el = await fixture<GkNoticeView>(html`<gk-notice-view .item=${notice}></gk-notice-view>`);
    const body = el.shadowRoot!.querySelector('.body')!;
    expect(body.querySelector('script')).to.equal(null);
    expect(body.querySelector('[onerror]')).to.equal(null);
    const a = body.querySelector('a')!;
    expect(a.hasAttribute('href')).to.equal(false);
    expect(sanitiseBody('<a href="javascript:alert(1)">x</a>').links).to.deep.equal([]);
    expect(sanitiseBody('<a href="http://a.example/">官网</a>').links).to.deep.equal([
      { text: '官网', href: 'http://a.example/' },
    ]);
  });

  it('shows converted content labelled as machine-converted', async () => {
    const el = await fixture<GkNoticeView>(
      html`<gk-notice-view
        .item=${notice}
        .convert=${(s: string) => s.replace(/关于/g, '關於')}
      ></gk-notice-view>`,
    );
    expect(el.shadowRoot!.querySelector('h1')!.textContent).to.contain('關於印发');
    expect(el.shadowRoot!.textContent).to.contain('繁體為機器轉換，以簡體原文為準');
    await expect(el).to.be.accessible();
  });
});
