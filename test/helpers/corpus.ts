/**
 * Deterministic generator of realistic open-government content (notices and
 * ~10% office guides) in the content model of `src/content/types.ts`.
 *
 * Used by the search tests and by `npm run bench`: the same `{count, seed}`
 * always gives the same items, byte for byte (a seeded PRNG, no clock, no
 * Math.random). About 20% of the items come from a "Traditional source": their
 * summary and body are converted to Traditional (Hong Kong or Taiwan style) with
 * opencc-js, as a gateway re-publishing a Hong Kong/Taiwan/Macau feed would, and
 * flagged in `qualityFlags`; a quarter of those also carry Traditional text in
 * the zh-Hans title (real mixed data does), flagged `title-traditional`.
 */
import * as OpenCC from 'opencc-js';
import type { Guide, InfoCategory, Item, Notice, ValidityStatus } from '../../src/content/types.ts';

/** Options of {@link generateCorpus}. */
export interface CorpusOptions {
  count: number;
  seed: number;
  /** Share of items from a Traditional source (default 0.2). */
  traditionalShare?: number;
  /** Share of office guides (default 0.1). */
  guideShare?: number;
}

/** A service topic: the term visitors search for, its department and category. */
export interface ServiceTopic {
  term: string;
  dept: string;
  category: InfoCategory;
  law: string;
}

/** Service topics the corpus is built from (real 政务服务 item names). */
export const SERVICES: readonly ServiceTopic[] = [
  {
    term: '住房公积金提取',
    dept: '住房公积金管理中心',
    category: 'livelihood',
    law: '住房公积金管理条例',
  },
  {
    term: '住房公积金贷款',
    dept: '住房公积金管理中心',
    category: 'livelihood',
    law: '住房公积金管理条例',
  },
  { term: '婚姻登记', dept: '民政局', category: 'public-services', law: '婚姻登记条例' },
  { term: '结婚登记', dept: '民政局', category: 'public-services', law: '婚姻登记条例' },
  { term: '不动产登记', dept: '自然资源局', category: 'licensing', law: '不动产登记暂行条例' },
  {
    term: '不动产权证书补发',
    dept: '自然资源局',
    category: 'licensing',
    law: '不动产登记暂行条例',
  },
  {
    term: '社会保障卡申领',
    dept: '人力资源和社会保障局',
    category: 'livelihood',
    law: '中华人民共和国社会保险法',
  },
  {
    term: '社会保障卡挂失补换',
    dept: '人力资源和社会保障局',
    category: 'livelihood',
    law: '中华人民共和国社会保险法',
  },
  {
    term: '城乡居民医疗保险参保登记',
    dept: '医疗保障局',
    category: 'livelihood',
    law: '中华人民共和国社会保险法',
  },
  {
    term: '职工医疗保险',
    dept: '医疗保障局',
    category: 'livelihood',
    law: '中华人民共和国社会保险法',
  },
  {
    term: '异地就医备案',
    dept: '医疗保障局',
    category: 'livelihood',
    law: '医疗保障基金使用监督管理条例',
  },
  {
    term: '居民身份证办理',
    dept: '公安局',
    category: 'public-services',
    law: '中华人民共和国居民身份证法',
  },
  {
    term: '户口迁移',
    dept: '公安局',
    category: 'public-services',
    law: '中华人民共和国户口登记条例',
  },
  {
    term: '出生登记',
    dept: '公安局',
    category: 'public-services',
    law: '中华人民共和国户口登记条例',
  },
  {
    term: '营业执照办理',
    dept: '市场监督管理局',
    category: 'licensing',
    law: '中华人民共和国市场主体登记管理条例',
  },
  {
    term: '企业开办',
    dept: '市场监督管理局',
    category: 'licensing',
    law: '中华人民共和国市场主体登记管理条例',
  },
  { term: '护照申请', dept: '公安局', category: 'public-services', law: '中华人民共和国护照法' },
  {
    term: '机动车驾驶证换领',
    dept: '公安局',
    category: 'public-services',
    law: '中华人民共和国道路交通安全法',
  },
  {
    term: '城乡居民养老保险',
    dept: '人力资源和社会保障局',
    category: 'livelihood',
    law: '中华人民共和国社会保险法',
  },
  {
    term: '失业保险金申领',
    dept: '人力资源和社会保障局',
    category: 'livelihood',
    law: '失业保险条例',
  },
  { term: '工伤认定', dept: '人力资源和社会保障局', category: 'livelihood', law: '工伤保险条例' },
  { term: '最低生活保障', dept: '民政局', category: 'social-assistance', law: '社会救助暂行办法' },
  { term: '临时救助', dept: '民政局', category: 'social-assistance', law: '社会救助暂行办法' },
  {
    term: '残疾人证办理',
    dept: '残疾人联合会',
    category: 'livelihood',
    law: '中华人民共和国残疾人保障法',
  },
  { term: '义务教育入学', dept: '教育局', category: 'livelihood', law: '中华人民共和国义务教育法' },
  {
    term: '建筑工程施工许可',
    dept: '住房和城乡建设局',
    category: 'licensing',
    law: '建筑工程施工许可管理办法',
  },
  { term: '排污许可', dept: '生态环境局', category: 'licensing', law: '排污许可管理条例' },
  {
    term: '食品经营许可',
    dept: '市场监督管理局',
    category: 'licensing',
    law: '中华人民共和国食品安全法',
  },
  {
    term: '公共租赁住房申请',
    dept: '住房和城乡建设局',
    category: 'livelihood',
    law: '公共租赁住房管理办法',
  },
  {
    term: '国有土地上房屋征收补偿',
    dept: '住房和城乡建设局',
    category: 'housing-expropriation',
    law: '国有土地上房屋征收与补偿条例',
  },
  {
    term: '集体土地征收',
    dept: '自然资源局',
    category: 'land-expropriation',
    law: '中华人民共和国土地管理法',
  },
  {
    term: '农村宅基地审批',
    dept: '农业农村局',
    category: 'licensing',
    law: '中华人民共和国土地管理法',
  },
  {
    term: '老年人优待证办理',
    dept: '民政局',
    category: 'public-services',
    law: '中华人民共和国老年人权益保障法',
  },
  {
    term: '高龄津贴发放',
    dept: '民政局',
    category: 'social-assistance',
    law: '中华人民共和国老年人权益保障法',
  },
  {
    term: '就业创业补贴',
    dept: '人力资源和社会保障局',
    category: 'livelihood',
    law: '中华人民共和国就业促进法',
  },
  {
    term: '职业技能培训补贴',
    dept: '人力资源和社会保障局',
    category: 'livelihood',
    law: '中华人民共和国就业促进法',
  },
  { term: '居住证办理', dept: '公安局', category: 'public-services', law: '居住证暂行条例' },
  {
    term: '预防接种',
    dept: '卫生健康局',
    category: 'public-services',
    law: '中华人民共和国疫苗管理法',
  },
  {
    term: '生育保险待遇',
    dept: '医疗保障局',
    category: 'livelihood',
    law: '中华人民共和国社会保险法',
  },
  {
    term: '退役军人优待',
    dept: '退役军人事务局',
    category: 'livelihood',
    law: '中华人民共和国退役军人保障法',
  },
  {
    term: '政务公开',
    dept: '人民政府办公室',
    category: 'other',
    law: '中华人民共和国政府信息公开条例',
  },
  {
    term: '政府信息公开',
    dept: '人民政府办公室',
    category: 'guide',
    law: '中华人民共和国政府信息公开条例',
  },
  {
    term: '依申请公开',
    dept: '人民政府办公室',
    category: 'guide',
    law: '中华人民共和国政府信息公开条例',
  },
  { term: '政府采购', dept: '财政局', category: 'procurement', law: '中华人民共和国政府采购法' },
  { term: '财政预算', dept: '财政局', category: 'budget', law: '中华人民共和国预算法' },
  {
    term: '安全生产检查',
    dept: '应急管理局',
    category: 'inspections',
    law: '中华人民共和国安全生产法',
  },
  { term: '森林防火', dept: '应急管理局', category: 'emergency', law: '森林防火条例' },
  {
    term: '防汛防台风应急预案',
    dept: '应急管理局',
    category: 'emergency',
    law: '中华人民共和国防洪法',
  },
  {
    term: '食品安全抽检',
    dept: '市场监督管理局',
    category: 'inspections',
    law: '中华人民共和国食品安全法',
  },
  {
    term: '公务员招考',
    dept: '人力资源和社会保障局',
    category: 'civil-service-recruitment',
    law: '中华人民共和国公务员法',
  },
];

/** City (full name, 文号 abbreviation, 9-digit organisation code prefix, phone area code). */
const CITIES = [
  ['东莞市', '东', '0069', '0769'],
  ['汕头市', '汕', '0071', '0754'],
  ['湛江市', '湛', '0072', '0759'],
  ['广州市', '穗', '0061', '020'],
  ['深圳市', '深', '0062', '0755'],
  ['佛山市', '佛', '0063', '0757'],
  ['珠海市', '珠', '0064', '0756'],
  ['惠州市', '惠', '0065', '0752'],
  ['江门市', '江', '0066', '0750'],
  ['中山市', '中', '0067', '0760'],
  ['肇庆市', '肇', '0068', '0758'],
  ['长沙市', '长', '0081', '0731'],
  ['重庆市', '渝', '0082', '023'],
  ['厦门市', '厦', '0083', '0592'],
  ['菏泽市单县', '单', '0084', '0530'],
] as const;

const DISTRICTS = [
  '莞城街道',
  '南城街道',
  '东城街道',
  '虎门镇',
  '长安镇',
  '石龙镇',
  '金平区',
  '龙湖区',
  '霞山区',
  '赤坎区',
  '越秀区',
  '天河区',
  '福田区',
  '南山区',
  '禅城区',
  '香洲区',
];

const DEPT_CODES: Record<string, string> = {
  住房公积金管理中心: '公积金',
  民政局: '民',
  自然资源局: '自然资',
  人力资源和社会保障局: '人社',
  医疗保障局: '医保',
  公安局: '公',
  市场监督管理局: '市监',
  残疾人联合会: '残联',
  教育局: '教',
  住房和城乡建设局: '建',
  生态环境局: '环',
  农业农村局: '农',
  卫生健康局: '卫健',
  退役军人事务局: '退役军人',
  人民政府办公室: '府办',
  财政局: '财',
  应急管理局: '应急',
};

const NOTICE_DOC_TYPES = [
  '通知',
  '通知',
  '通知',
  '公告',
  '通告',
  '意见',
  '办法',
  '方案',
  '公示',
  '决定',
  '报告',
];
const VERBS = ['做好', '进一步做好', '调整', '规范', '加强', '优化', '推进', '落实'];
const OBJECTS = [
  '工作',
  '有关事项',
  '办理流程',
  '服务管理',
  '实施细则',
  '工作安排',
  '有关问题',
  '便民服务措施',
];

const SENTENCES = [
  '为深入贯彻落实党中央、国务院关于深化“放管服”改革的决策部署，进一步优化营商环境，方便群众办事，结合本市实际，制定本{t}。',
  '根据《{law}》和《中华人民共和国政府信息公开条例》有关规定，现就{s}有关事项{t}如下。',
  '申请人可通过政务服务网、“粤省事”小程序或到{place}政务服务中心窗口办理{s}业务。',
  '办理{s}需提交以下材料：申请表原件一份、居民身份证原件及复印件、户口簿原件及复印件、其他相关证明材料。',
  '对符合条件的申请，{dept}应当在{n}个工作日内作出决定；不符合条件的，应当书面告知理由。',
  '本事项不收取任何费用。咨询电话：{tel}，监督投诉电话：12345。',
  '各镇（街道）、各有关单位要高度重视，明确责任分工，确保各项工作落到实处。',
  '办理地点：{place}行政服务中心一楼综合受理窗口，办理时间：周一至周五上午9:00-12:00，下午14:00-17:30（法定节假日除外）。',
  '{dept}将依托一体化政务服务平台，推动{s}全程网办，实现“一网通办”“跨省通办”。',
  '本{t}自印发之日起施行，有效期{n}年。此前规定与本{t}不一致的，以本{t}为准。',
  '请各单位结合实际认真贯彻执行，执行中遇到的问题请及时向{dept}反映。',
  '进一步完善政务公开制度，主动公开{s}的依据、条件、程序、时限和办理结果，接受社会监督。',
  '对在{s}工作中弄虚作假、骗取待遇的，依法追究相关人员责任；构成犯罪的，依法移送司法机关处理。',
  '加强社会保障卡、医疗保险、住房公积金等民生事项的数据共享，减少群众重复提交材料。',
  '各级行政机关应当按照“谁制作、谁公开，谁保存、谁公开”的原则，做好政府信息公开工作。',
  '不动产登记、婚姻登记、户口迁移等高频事项实行“容缺受理”和“告知承诺制”。',
  '公示期为{n}个工作日。公示期间，如有异议，请以书面形式向{dept}反映，并提供必要的证明材料。',
  '{year}年，全市共受理{s}申请{num}件，办结率100%，群众满意率98.6%。',
  '本次调整涉及{place}范围内的政务服务大厅、便民服务站和自助服务终端。',
  '对老年人、残疾人等特殊群体，提供预约办理、上门服务和绿色通道。',
];

/** A small seeded PRNG (mulberry32): fast, and the same sequence everywhere. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let toHk: ((s: string) => string) | null = null;
let toTw: ((s: string) => string) | null = null;
/** Converters are created lazily: they take ~200 ms to initialise. */
function converters(): { hk: (s: string) => string; tw: (s: string) => string } {
  toHk ??= OpenCC.Converter({ from: 'cn', to: 'hk' });
  toTw ??= OpenCC.Converter({ from: 'cn', to: 'tw' });
  return { hk: toHk, tw: toTw };
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

function isoDate(rand: () => number, fromYear: number, toYear: number): string {
  const y = fromYear + Math.floor(rand() * (toYear - fromYear + 1));
  const m = 1 + Math.floor(rand() * 12);
  const d = 1 + Math.floor(rand() * 28);
  return `${y}-${pad(m, 2)}-${pad(d, 2)}`;
}

/**
 * Generates `count` items deterministically from `seed`. Item ids are
 * `gen-<seed>-<n>`; every item has `demo: true` (synthetic content).
 */
export function generateCorpus(options: CorpusOptions): Item[] {
  const { count, seed } = options;
  const tradShare = options.traditionalShare ?? 0.2;
  const guideShare = options.guideShare ?? 0.1;
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  const seqByOrgYear = new Map<string, number>();
  const docSeq = new Map<string, number>();
  const items: Item[] = [];

  for (let i = 0; i < count; i++) {
    const svc = pick(SERVICES);
    const [city, abbr, orgPrefix, area] = pick(CITIES);
    const district = rand() < 0.3 ? pick(DISTRICTS) : '';
    const place = city + district;
    const deptName = `${city.replace(/单县$/, '')}${svc.dept}`.replace(
      '菏泽市',
      rand() < 0.5 ? '单县' : '菏泽市',
    );
    const publishDate = isoDate(rand, 2005, 2026);
    const year = Number(publishDate.slice(0, 4));
    const fill = (tpl: string, t: string): string =>
      tpl
        .replaceAll('{s}', svc.term)
        .replaceAll('{law}', svc.law)
        .replaceAll('{place}', place)
        .replaceAll('{dept}', deptName)
        .replaceAll('{t}', t)
        .replaceAll('{n}', String(int(3, 20)))
        .replaceAll('{year}', String(year - 1))
        .replaceAll('{num}', String(int(100, 90000)))
        .replaceAll('{tel}', `${area}-${int(2000_0000, 8999_9999)}`);

    // Body length drawn log-uniformly in 300..2000 characters.
    const target = Math.round(Math.exp(Math.log(300) + rand() * (Math.log(2000) - Math.log(300))));
    const isGuide = rand() < guideShare;
    const docType = isGuide ? '办事指南' : pick(NOTICE_DOC_TYPES);
    const paras: string[] = [];
    let len = 0;
    while (len < target) {
      const other = pick(SERVICES);
      let s = fill(pick(SENTENCES), docType === '公示' ? '公示' : docType);
      // Mention another service now and then, so body-only matches exist.
      if (rand() < 0.25) s += `同时做好${other.term}相关工作的衔接。`;
      const room = target - len;
      if (s.length > room && len > 0)
        s = s.slice(0, Math.max(room, 10)).replace(/[，、；]?$/, '。');
      // Keep the total within 2,000: the cut above can overshoot by a few characters.
      if (len + s.length > 2000) s = `${s.slice(0, 2000 - len - 1)}。`;
      paras.push(s);
      len += s.length;
    }
    const status: ValidityStatus = ((): ValidityStatus => {
      const r = rand();
      return r < 0.85 ? '有效' : r < 0.95 ? '失效' : '废止';
    })();
    const validUntil = status === '有效' && rand() < 0.1 ? isoDate(rand, 2010, 2030) : null;

    const orgCode = `${orgPrefix}${pad(Math.abs(hashStr(deptName)) % 100000, 5)}`;
    const oy = `${orgCode}/${year}`;
    const seq = (seqByOrgYear.get(oy) ?? 0) + 1;
    seqByOrgYear.set(oy, seq);
    const indexNo = `${orgCode}/${year}-${pad(seq, 5)}`;
    const code = DEPT_CODES[svc.dept] ?? '府';
    const dkey = `${abbr}${code}${year}`;
    const dn = (docSeq.get(dkey) ?? 0) + int(1, 9);
    docSeq.set(dkey, dn);
    const docKind = pick(['发', '函', '']);
    const docNo = `${abbr}${code}${docKind}〔${year}〕${dn}号`;
    const asInSource = pick(['〔〕', '[]', '【】', '()', '（）']);
    const docNoAsInSource = docNo.replace('〔', asInSource[0]).replace('〕', asInSource[1]);

    let title: string;
    if (isGuide) title = `${svc.term}办事指南`;
    else if (docType === '公示')
      title = `关于${place}${year}年${svc.term}${pick(['结果', '对象名单', '拟办理情况'])}的公示`;
    else if (docType === '报告')
      title = `${deptName}${year - 1}年${pick(['政府信息公开工作年度报告', `${svc.term}工作总结`])}`;
    else if (rand() < 0.5)
      title = `关于${pick(VERBS)}${district}${svc.term}${pick(OBJECTS)}的${docType}`;
    else
      title = `${deptName}关于印发${place}${svc.term}${pick(['实施方案', '工作要点', '管理办法', '实施细则'])}的${docType}`;
    const summary = `${deptName}就${svc.term}${pick(OBJECTS)}作出部署，明确办理条件、材料、流程和时限。`;

    const trad = rand() < tradShare;
    const style = rand() < 0.7 ? 'tw' : 'hk';
    const conv = trad ? converters()[style] : (s: string): string => s;
    const locale = style === 'tw' ? 'zh-Hant-TW' : 'zh-Hant-HK';
    const titleTrad = trad && rand() < 0.25;
    const bodyHtml = paras.map((p) => `<p>${conv(p)}</p>`).join('\n');
    const qualityFlags = trad
      ? ['traditional-source', ...(titleTrad ? ['title-traditional'] : [])]
      : undefined;
    const id = `gen-${seed}-${pad(i, 5)}`;
    const common = {
      id,
      demo: true as const,
      validity: { status, ...(validUntil ? { validUntil } : {}) },
      ...(qualityFlags ? { qualityFlags } : {}),
    };
    if (isGuide) {
      const guide: Guide = {
        ...common,
        kind: 'guide',
        itemName: {
          'zh-Hans': titleTrad ? conv(svc.term) : svc.term,
          ...(trad ? { [locale]: conv(svc.term), machineConverted: [locale] } : {}),
        },
        itemCode: `${orgCode}${pad(int(1, 999), 3)}`,
        itemType: pick(['行政许可', '公共服务', '行政确认', '行政给付']),
        implementingBody: { name: deptName, address: `${place}行政服务中心` },
        department: deptName,
        legalBasis: [{ name: svc.law }],
        // The guide's prose is as long as a notice's body (300–2,000 characters):
        // conditions, then the rest spread over the steps' descriptions. No extra
        // draws from the PRNG, so the other items stay the same.
        conditions: paras.slice(0, Math.ceil(paras.length / 2)).map(conv),
        materials: [
          { name: '申请表', form: '原件', copies: 1, required: true },
          { name: '居民身份证', form: '原件', copies: 1, required: true },
        ],
        procedure: ['申请', '受理', '审核', '办结'].map((step, k) => {
          const rest = paras.slice(Math.ceil(paras.length / 2));
          const per = Math.ceil(rest.length / 4);
          const desc = rest
            .slice(k * per, (k + 1) * per)
            .map(conv)
            .join('');
          return desc ? { step, desc } : { step };
        }),
        timeLimit: { statutory: `${int(5, 30)}个工作日`, promised: `${int(1, 10)}个工作日` },
        fees: { charged: false },
        location: `${place}行政服务中心`,
        consultationPhone: `${area}-${int(2000_0000, 8999_9999)}`,
        updatedAt: publishDate,
      };
      items.push(guide);
    } else {
      const notice: Notice = {
        ...common,
        kind: 'notice',
        docType,
        title: {
          'zh-Hans': titleTrad ? conv(title) : title,
          ...(trad ? { [locale]: conv(title), machineConverted: [locale] } : {}),
        },
        issuer: [deptName],
        docNo,
        ...(docNoAsInSource !== docNo ? { docNoAsInSource } : {}),
        indexNo,
        infoCategory: docType === '报告' ? 'annual-report' : svc.category,
        writtenDate: publishDate,
        publishDate,
        disclosure: { mode: '主动公开', audience: '全社会' },
        keywords: [svc.term],
        summary: { 'zh-Hans': conv(summary) },
        body: bodyHtml,
      };
      items.push(notice);
    }
  }
  return items;
}

function hashStr(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}
