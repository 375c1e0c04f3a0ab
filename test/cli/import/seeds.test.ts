/**
 * The five seed documents, each in the form it comes in, import to the values
 * of /work/shared/reference/sample-content.json (copied here). Where this
 * importer deliberately differs from the hand-made sample, the test says so.
 */
import { describe, expect, it } from 'vitest';
import type { TaskRow } from '../../../src/content/types.ts';
import { errors, importFixture, only } from './helpers.ts';

describe('seed 000: saved Dongguan portal page (.html)', () => {
  it('reads title, issuer, dates, the damaged 文号 and the 8 task rows', async () => {
    const r = await importFixture('dg-2007-zwgk-plan-notice.html');
    expect(errors(r)).toEqual([]);
    const item = only(r);
    expect(item.id).toBe('dg-2007-zwgk-plan-notice');
    expect(item.kind).toBe('notice');
    expect(item.docType).toBe('通知');
    // The page splits the title with a space; the sample has it joined.
    expect(item.title).toEqual({ 'zh-Hans': '关于印发2007年全市政务公开工作计划的通知' });
    expect(item.issuer).toEqual(['东莞市人民政府办公室']);
    expect(item.recipients).toEqual(['各镇人民政府(街道办事处)', '市府直属各单位']);
    expect(item.writtenDate).toBe('2007-04-19');
    expect(item.publishDate).toBe('2007-06-15');
    // Sample: docNo "东府办函〔2007〕198号" was a human reading; the importer never guesses.
    expect(item.docNoAsInSource).toBe('东府办函〔2007198');
    expect(item.docNo).toBeNull();
    expect(item.qualityFlags).toEqual(
      expect.arrayContaining([
        expect.stringContaining('东府办函〔2007198'),
        expect.stringContaining('中办发〔200512号'),
      ]),
    );
    expect(r.problems).toContainEqual(
      expect.objectContaining({
        field: 'docNo',
        level: 'warning',
        file: 'dg-2007-zwgk-plan-notice.html',
      }),
    );
    expect(item.source).toMatchObject({
      site: '中国东莞政府门户网站',
      siteIdCode: '4419000098',
      column: '其他文件',
    });
    const tasks = item.tasks as TaskRow[];
    expect(tasks.map((t) => t.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(tasks[0]).toMatchObject({
      task: '进一步深化公开内容,创新公开形式',
      lead: '市府办、市行政服务办、市信息办、市档案局',
      partners: '有关单位',
    });
    expect(tasks[2]).toMatchObject({
      task: '进一步推行公用事业单位办事公开制度',
      lead: '市府办、市行政服务办',
      partners: '市监察局(配合);市卫生局、市城市管理局等(具体落实)',
    });
    expect(tasks[3]).toMatchObject({
      lead: '市府办、市行政服务办',
      partners: '市信息办、东莞日报社、东莞广播电视台等',
    });
    expect(tasks[5]).toMatchObject({ task: '开展调查研究,总结推广先进经验', lead: '市行政服务办' });
    expect(tasks[6]).toMatchObject({ lead: '市府办、市监察局、市行政服务办', partners: '各单位' });
    // Sample row 8 deadline "争取在2007年内完成初稿" is a reading of prose; left empty here.
    expect(tasks[7]).toMatchObject({
      task: '编印出版《东莞办公办事大全》',
      lead: '市府办、市行政服务办',
      deadline: null,
    });
  });

  it('keeps the article and drops the page furniture', async () => {
    const body = only(await importFixture('dg-2007-zwgk-plan-notice.html')).body as string;
    expect(body).toContain('《2007年全市政务公开工作计划》业经市政府同意');
    expect(body).toContain('4月下旬召开全市动员大会');
    for (const noise of [
      '扫一扫',
      '分享到',
      '网站标识码',
      '字体',
      '相关新闻',
      '主办单位',
      '<script',
      'style=',
    ]) {
      expect(body).not.toContain(noise);
    }
  });
});

describe('seed 001: work plan pasted into Markdown (.md)', () => {
  it('reads the title and the 牵头/责任/完成时限 task rows; issuer stays empty (city masked)', async () => {
    const r = await importFixture('xx-2009-zwgk-work-plan.md');
    expect(errors(r)).toEqual([]);
    const item = only(r);
    expect(item.id).toBe('xx-2009-zwgk-work-plan');
    expect(item.docType).toBe('方案');
    expect(item.title).toEqual({ 'zh-Hans': '政务公开和政府信息公开工作方案' });
    expect(item.issuer).toBeUndefined();
    expect(item.writtenDate).toBeUndefined();
    expect(item.topic).toEqual({ l1: '综合政务', l2: '政务公开' });
    expect(item.tasks).toEqual([
      {
        seq: 1,
        task: '深入贯彻执行《中华人民共和国政府信息公开条例》',
        lead: '市政府办公厅、市监察局、市法制办、市信息办、市经济信息中心',
        responsible: '各县区政府、开发区管委会,市政府各部门,各有关单位',
        deadline: '2009年12月底',
      },
      {
        seq: 2,
        task: '完善政务公开和政府信息公开载体',
        lead: '市政府办公厅、市监察局、市法制办、市信息办、市经济信息中心',
        responsible: '各县区政府、开发区管委会,市直各部门',
        deadline: '2009年12月底',
      },
      {
        seq: 3,
        task: '扎实推进乡(镇)政务公开和有关企事业单位的办事信息公开工作',
        lead: '市政府办公厅、市监察局',
        responsible: '各县区政府、开发区管委会,市直有关部门及企事业单位',
        deadline: '2009年10月底',
      },
      {
        seq: 4,
        task: '认真编制行政职权目录和绘制运行流程图',
        lead: '市法制办',
        responsible: '市直各部门',
        deadline: '2009年8月底',
      },
      {
        seq: 5,
        task: '加强政务公开和政府信息公开的推进、指导、监督工作',
        lead: '市政府办公厅、市监察局、市法制办、市信息办、市经济信息中心',
        responsible: '各县区政府、开发区管委会,市直各部门',
        deadline: '2009年12月底',
      },
    ]);
    // "构建和谐*" is masked in the source: flagged, not filled in.
    expect(item.qualityFlags).toEqual([expect.stringContaining('masked')]);
    expect(item.body).toContain('<p>一、指导思想</p>');
  });
});

const SEED_002_TASKS: TaskRow[] = [
  {
    seq: 1,
    task: '推进决策公开',
    requirement:
      '1.实行重大行政决策预公开,建立利益相关方、公众、专家、媒体等列席政府有关会议制度。',
    lead: '市政务服务办、市各有关单位,各镇(街、园区)',
    deadline: '全年',
  },
  {
    seq: 1,
    task: '推进决策公开',
    requirement:
      '2.加快推行文化教育、医疗卫生、资源开发、环境保护、公用事业等重大民生决策事项民意调查制度。',
    lead: '市政务服务办、市各有关单位,各镇(街、园区)',
    deadline: '全年',
  },
  {
    seq: 4,
    task: '推进服务公开',
    requirement: '1.筹备建设以面向法人为主、集中企业设立和项目投资事项的专业型市级实体办事大厅。',
    lead: '市政务服务办',
    deadline: '全年',
  },
  {
    seq: 4,
    task: '推进服务公开',
    requirement:
      '3.加快推进行政许可和公共服务标准化,全面梳理和公开公共服务事项目录,规范事项名称、实施依据、服务对象、服务类别等基本要素',
    lead: '市编办、市政务服务办、市各有关单位,各镇(街、园区)',
    deadline: '12月',
  },
  {
    seq: 7,
    task: '做好“信用广东”网站的连接工作',
    requirement: '1.完善“信用东莞”网站“双公示”栏目。',
    lead: '市发改局',
    deadline: '全年',
  },
  {
    seq: 10,
    task: '推进公共资源配置领域信息公开',
    requirement:
      '1.推动市公共资源交易中心建立全市统一的公共资源交易电子公共服务系统,并与国家、省公共资源交易服务平台互联互通。',
    lead: '市公共资源交易中心',
    deadline: '全年',
  },
  {
    seq: 13,
    task: '推进扶贫工作信息公开',
    requirement: '2.做好相对贫困村、相对贫困户认定的标准及申报程序公示工作。',
    lead: '市农业局、市经协办',
    deadline: '全年',
  },
  {
    seq: 15,
    task: '推进就业创业信息公开',
    requirement: '1.推进公共就业服务机构信息联网,就地就近为用工企业和劳动者提供就业创业信息。',
    lead: '市人力资源局',
    deadline: '全年',
  },
  {
    seq: 17,
    task: '推进环境保护信息公开',
    requirement: '1.加强空气质量预警预报信息公开,在市属媒体发布全市AQI等级范围及首要污染物预报。',
    lead: '市环保局',
    deadline: '全年',
  },
  {
    seq: 19,
    task: '推进卫生和食品药品安全信息公开',
    requirement: '1.创新医疗机构院务公开形式,培育全市医疗机构微信公众号超过20个。',
    lead: '市卫生计生局',
    deadline: '全年',
  },
  {
    seq: 22,
    task: '提升政策解读水平',
    requirement:
      '1.按照“谁起草、谁解读、谁负责”原则,对涉及群众切身利益、社会关注度高的重要政策文件,牵头起草部门应将政策文件和政策解读材料一并报批,政策解读材料原则上与政策文件同步在政府网站发布,最迟不超过3个工作日。',
    lead: null,
    deadline: null,
  },
];

describe('seed 002: task table (.csv and .xlsx)', () => {
  for (const file of ['dg-2017-zwgk-task-table.csv', 'dg-2017-zwgk-task-table.xlsx']) {
    it(`${file}: title from the title row, 11 rows with merged seq/task cells filled`, async () => {
      const r = await importFixture(file);
      expect(r.problems).toEqual([]);
      const item = only(r);
      expect(item.id).toBe('dg-2017-zwgk-task-table');
      expect(item.title).toEqual({ 'zh-Hans': '2017年全市政务信息公开工作重点分工方案' });
      expect(item.docType).toBe('方案');
      expect(item.issuer).toBeUndefined();
      expect(item.tasks).toEqual(SEED_002_TASKS);
    });
  }
});

describe('seed 003: annual report pasted into Markdown (.md)', () => {
  it('reads the closing Chinese-numeral date, keeps 201* masked and flags it', async () => {
    const r = await importFixture('zj-jxb-xxgk-annual-report.md');
    expect(errors(r)).toEqual([]);
    const item = only(r);
    expect(item.title).toEqual({ 'zh-Hans': '湛江市经协办政务公开工作总结' });
    expect(item.issuer).toEqual(['湛江市经济技术协作办公室']);
    expect(item.recipients).toEqual(['湛江市政务公开工作领导小组办公室']);
    expect(item.docType).toBe('报告');
    expect(item.infoCategory).toBe('annual-report');
    expect(item.writtenDate).toBe('2009-08-13');
    expect(item.publishDate).toBeUndefined();
    expect(item.docNo).toBeUndefined();
    expect(item.tasks).toBeUndefined();
    expect(item.qualityFlags).toEqual([expect.stringContaining('masked digits')]);
    const masked = r.problems.find((p) => p.reason.includes('masked'));
    expect(masked).toMatchObject({
      level: 'warning',
      file: 'zj-jxb-xxgk-annual-report.md',
      row: 14,
    });
    expect(item.body).toContain('201*年');
  });
});

describe('seed 004: damaged Traditional text (.txt)', () => {
  it('strips pinyin, repairs （一）, stores Simplified and keeps the Traditional original', async () => {
    const r = await importFixture('st-jsj-2003-zwgk-plan.txt');
    expect(errors(r)).toEqual([]);
    const item = only(r);
    expect(item.id).toBe('st-jsj-2003-zwgk-plan');
    expect(item.title).toEqual({
      'zh-Hans': '汕头市建设局进一步推进政务公开工作方案',
      'zh-Hant-HK': '汕頭市建設局進一步推進政務公開工作方案',
    });
    expect(item.issuer).toEqual(['汕头市建设局']);
    expect(item.writtenDate).toBe('2003-06-16');
    expect(item.docType).toBe('方案');
    expect(item.source).toEqual({ column: '信息传达 > 文件通知' });
    expect(item.tasks).toEqual([
      { seq: 1, task: '再动员再学习', deadline: '6月20日前' },
      { seq: 2, task: '公众网完善开通', deadline: '6月30日前' },
      { seq: 3, task: '内部联网与健全制度', deadline: '9月30日前' },
      { seq: 4, task: '检查总结', deadline: '12月底前' },
    ]);
    const body = item.body as string;
    expect(body).not.toMatch(/\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]+\)/);
    expect(body).not.toContain('?。');
    expect(body).toContain('（一）抓好学习,统一认识');
    expect(body).toContain('建设企业信息管理系统');
    expect(body).not.toContain('浏览次数');
    const original = item.sourceText as string;
    expect(original).toContain('汕頭市建設局進一步推進政務公開工作方案');
    expect(original).not.toContain('(dāng)');
    expect(item.qualityFlags).toEqual([
      expect.stringContaining('pinyin annotations stripped'),
      expect.stringContaining('GBK one-byte-offset numbering repaired (6)'),
      expect.stringContaining('converted from Traditional to Simplified'),
    ]);
  });
});
