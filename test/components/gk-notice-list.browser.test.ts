import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/components/gk-notice-list.ts';
import type { GkNoticeList } from '../../src/components/gk-notice-list.ts';
import type { Guide, Notice } from '../../src/content/types.ts';

const notice: Notice = {
  kind: 'notice',
  id: 'n1',
  docType: '通知',
  title: { 'zh-Hans': '关于印发2007年全市政务公开工作计划的通知' },
  issuer: ['东莞市人民政府办公室'],
  docNo: '东府办函〔2007〕198号',
  infoCategory: 'plans',
  publishDate: '2007-06-15',
  disclosure: { mode: '主动公开' },
};
const guide: Guide = {
  kind: 'guide',
  id: 'g1',
  itemName: { 'zh-Hans': '政府信息依申请公开' },
  implementingBody: { name: '湛江市经济技术协作办公室' },
};

describe('gk-notice-list', () => {
  it('renders a card per item with title, issuer and 文号, and passes axe', async () => {
    const el = await fixture<GkNoticeList>(
      html`<gk-notice-list .items=${[notice, guide]}></gk-notice-list>`,
    );
    const cards = el.shadowRoot!.querySelectorAll('button');
    expect(cards.length).to.equal(2);
    expect(cards[0].textContent).to.contain('关于印发2007年全市政务公开工作计划的通知');
    expect(cards[0].textContent).to.contain('东府办函〔2007〕198号');
    expect(cards[1].textContent).to.contain('办事指南');
    await expect(el).to.be.accessible();
  });

  it('fires gk-item-select with the id of the chosen card', async () => {
    const el = await fixture<GkNoticeList>(
      html`<gk-notice-list .items=${[notice, guide]}></gk-notice-list>`,
    );
    const button = el.shadowRoot!.querySelectorAll('button')[1];
    setTimeout(() => button.click());
    const ev = (await oneEvent(el, 'gk-item-select')) as unknown as { itemId: string };
    expect(ev.itemId).to.equal('g1');
  });

  it('says so when there is nothing to show, and passes axe', async () => {
    const el = await fixture<GkNoticeList>(html`<gk-notice-list .items=${[]}></gk-notice-list>`);
    expect(el.shadowRoot!.textContent).to.contain('暂无可显示的信息');
    await expect(el).to.be.accessible();
  });
});
