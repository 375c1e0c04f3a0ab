import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/gk-slide.ts';
import '../../src/components/gk-qr.ts';
import '../../src/components/gk-alert-takeover.ts';
import type { GkSlide } from '../../src/components/gk-slide.ts';
import type { GkAlertTakeover } from '../../src/components/gk-alert-takeover.ts';
import { paginate } from '../../src/display/playlist.ts';
import { alert, guide, notice } from '../display/fixtures.ts';

describe('gk-slide', () => {
  it('shows title, issuer, 文号, dates, summary and a QR code to source.url', async () => {
    const item = notice({ writtenDate: '2025-09-18' });
    const el = await fixture<GkSlide>(
      html`<gk-slide .item=${item} .page=${paginate(item, 'landscape')[0]}></gk-slide>`,
    );
    const text = el.shadowRoot!.textContent!;
    for (const s of [
      '关于开展政务公开工作的通知',
      '某市人民政府办公室',
      '某府办〔2025〕12号',
      '2025-09-20',
      '2025-09-18',
      '现将有关事项通知如下',
    ])
      expect(text).to.contain(s);
    expect(el.shadowRoot!.querySelector('gk-qr')!.value).to.equal(
      'https://gongkai.example/n1.html',
    );
    expect(text).not.to.contain('原文网址暂缺');
    await expect(el).to.be.accessible();
  });

  it('says 原文网址暂缺 and draws no QR without a URL; shows a task table page', async () => {
    const item = notice({
      source: {},
      summary: null,
      tasks: [
        {
          seq: 1,
          task: '推进决策公开',
          requirement: '按规定公开',
          lead: '市政府办公室',
          deadline: '持续推进',
        },
      ],
    });
    const el = await fixture<GkSlide>(
      html`<gk-slide
        orientation="portrait"
        .item=${item}
        .page=${paginate(item, 'portrait')[0]}
      ></gk-slide>`,
    );
    expect(el.shadowRoot!.querySelector('gk-qr')).to.equal(null);
    expect(el.shadowRoot!.textContent).to.contain('原文网址暂缺');
    const cells = [...el.shadowRoot!.querySelectorAll('td')].map((td) => td.textContent);
    expect(cells).to.deep.equal(['1', '推进决策公开', '按规定公开', '市政府办公室', '持续推进']);
    await expect(el).to.be.accessible();
  });

  it('shows a guide’s steps, its onlineUrl QR and the page number', async () => {
    const item = guide({
      procedure: Array.from({ length: 6 }, (_, i) => ({ step: `第${i + 1}步` })),
    });
    const pages = paginate(item, 'landscape');
    const el = await fixture<GkSlide>(html`<gk-slide .item=${item} .page=${pages[1]}></gk-slide>`);
    expect(el.shadowRoot!.querySelector('ol')!.getAttribute('start')).to.equal('4');
    expect(el.shadowRoot!.textContent).to.contain('第 2/2 页');
    expect(el.shadowRoot!.querySelector('gk-qr')!.value).to.equal(
      'https://gongkai.example/g1.html',
    );
    await expect(el).to.be.accessible();
  });

  it('prints the 公示期 and says when the calendar cannot give its end', async () => {
    const item = notice({ noticePeriod: { start: '2027-01-04', days: 5, unit: '工作日' } });
    const el = await fixture<GkSlide>(
      html`<gk-slide
        .item=${item}
        .page=${paginate(item, 'landscape')[0]}
        .noticeWindow=${{ start: '2027-01-04', end: null }}
      ></gk-slide>`,
    );
    expect(el.shadowRoot!.textContent).to.contain('2027-01-04 至 （节假日日历缺失');
    await expect(el).to.be.accessible();
  });
});

describe('gk-alert-takeover', () => {
  for (const severity of ['red', 'orange', 'yellow', 'blue'] as const) {
    it(`shows a ${severity} alert in its colour, announced, and passes axe (contrast included)`, async () => {
      const el = await fixture<GkAlertTakeover>(
        html`<gk-alert-takeover
          .alert=${alert({ severity })}
          .index=${1}
          .count=${2}
        ></gk-alert-takeover>`,
      );
      expect(el.getAttribute('severity')).to.equal(severity);
      expect(el.shadowRoot!.querySelector('[role=alert]')!.textContent).to.contain(
        '暴雨橙色预警信号',
      );
      expect(el.shadowRoot!.textContent).to.contain('预警 2/2');
      expect(el.shadowRoot!.textContent).to.contain('10月10日 20:00');
      await expect(el).to.be.accessible();
    });
  }
});
