/**
 * The content model shared by the kiosk and the admin CLI.
 *
 * Field names follow `domain.md` (a) and the research sample. Values are the
 * normalised form: dates are ISO `YYYY-MM-DD`, 文号 use 〔〕 brackets (the raw
 * value is kept beside), text fields are {@link L10n} with zh-Hans required.
 */

/** Locales a text field may carry. zh-Hans is the authoritative original. */
export const LOCALES = ['zh-Hans', 'zh-Hant-HK', 'zh-Hant-TW', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** A localised text. Machine-converted variants are listed in `machineConverted`. */
export interface L10n {
  'zh-Hans': string;
  'zh-Hant-HK'?: string;
  'zh-Hant-TW'?: string;
  en?: string;
  /** Variants produced by a converter (OpenCC, machine translation), not a person. */
  machineConverted?: Exclude<Locale, 'zh-Hans'>[];
}

/** 有效性 as shown on disclosure portals. */
export const VALIDITY_STATUSES = ['有效', '失效', '废止'] as const;
export type ValidityStatus = (typeof VALIDITY_STATUSES)[number];

/** The 15 categories of Art. 20 of the 2019 regulations, plus Art. 21 local ones. */
export const INFO_CATEGORIES = {
  regulations: '行政法规、规章和规范性文件',
  organization: '机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名',
  plans: '国民经济和社会发展规划、专项规划、区域规划及相关政策',
  statistics: '国民经济和社会发展统计信息',
  licensing: '办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果',
  penalties:
    '实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定',
  budget: '财政预算、决算信息',
  fees: '行政事业性收费项目及其依据、标准',
  procurement: '政府集中采购项目的目录、标准及实施情况',
  'major-projects': '重大建设项目的批准和实施情况',
  livelihood: '扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况',
  emergency: '突发公共事件的应急预案、预警信息及应对情况',
  inspections: '环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况',
  'civil-service-recruitment': '公务员招考的职位、名额、报考条件等事项以及录用结果',
  other: '法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息',
  'municipal-construction': '市政建设',
  'public-services': '公共服务',
  'public-welfare': '公益事业',
  'land-expropriation': '土地征收',
  'housing-expropriation': '房屋征收',
  'public-order': '治安管理',
  'social-assistance': '社会救助',
  'annual-report': '政府信息公开工作年度报告',
  guide: '政府信息公开指南',
} as const;
export type InfoCategory = keyof typeof INFO_CATEGORIES;

/** Short labels for home-screen tiles. */
export const INFO_CATEGORY_SHORT: Record<InfoCategory, string> = {
  regulations: '法规文件',
  organization: '机构职能',
  plans: '规划计划',
  statistics: '统计信息',
  licensing: '行政许可',
  penalties: '行政处罚',
  budget: '财政预决算',
  fees: '收费项目',
  procurement: '政府采购',
  'major-projects': '重大项目',
  livelihood: '民生政策',
  emergency: '应急管理',
  inspections: '监督检查',
  'civil-service-recruitment': '公务员招考',
  other: '其他信息',
  'municipal-construction': '市政建设',
  'public-services': '公共服务',
  'public-welfare': '公益事业',
  'land-expropriation': '土地征收',
  'housing-expropriation': '房屋征收',
  'public-order': '治安管理',
  'social-assistance': '社会救助',
  'annual-report': '年度报告',
  guide: '公开指南',
};

export interface Validity {
  status: ValidityStatus | null;
  validFrom?: string | null;
  validUntil?: string | null;
  replacedBy?: string | null;
}

export interface Disclosure {
  mode: '主动公开' | '依申请公开' | '不予公开';
  audience?: '全社会' | '特定群众' | null;
  term?: string | null;
  channels?: string[];
}

export const DAY_UNITS = ['自然日', '工作日'] as const;
export type DayUnit = (typeof DAY_UNITS)[number];

/** 公示期: the window a 公示 item is shown in. */
export interface NoticePeriod {
  start: string;
  /** Either an explicit end date or a length counted in `unit` days from start. */
  end?: string | null;
  days?: number | null;
  unit: DayUnit;
}

/** 双公示: permits and penalties. */
export interface Enforcement {
  type: 'permit' | 'penalty';
  decisionDate: string;
  decisionNo: string;
  party?: string | null;
  partyType?: '自然人' | '法人' | '其他组织' | null;
  /** Penalty domain that sets the minimum display term (domain.md 2.4). */
  domain?: 'general' | 'special-equipment' | 'work-safety' | 'fire-safety' | null;
  warningOnly?: boolean;
  minor?: boolean;
  revoked?: boolean;
}

/** A row of a 工作任务 table (序号/工作任务/具体要求/牵头单位/完成时限). */
export interface TaskRow {
  seq: number | string;
  task: string;
  requirement?: string | null;
  lead?: string | null;
  responsible?: string | null;
  partners?: string | null;
  deadline?: string | null;
}

export interface Attachment {
  name: string;
  mime: string;
  sha256: string;
  size?: number;
  pages?: number;
}

export interface Source {
  site?: string | null;
  siteIdCode?: string | null;
  column?: string | null;
  url?: string | null;
  seedFile?: string | null;
}

export interface Privacy {
  containsPersonalInfo: boolean;
  redactions?: string[];
  /** A reviewer who allowed personal information to be shown, with the reason. */
  override?: { reviewedBy: string; reviewedAt: string; reason: string } | null;
}

export interface DisplayRules {
  rotate?: boolean | null;
  showFrom?: string | null;
  showUntil?: string | null;
  priority?: number | null;
  screens?: string[];
}

interface ItemBase {
  id: string;
  validity?: Validity;
  source?: Source;
  display?: DisplayRules;
  privacy?: Privacy;
  /** Values not in the source: filled by an importer or by hand (shown to admins). */
  inferred?: string[];
  qualityFlags?: string[];
  /** True for synthetic demo content; the kiosk labels it 演示. */
  demo?: boolean;
  /** Last review of a 长期公开 item by an admin (reviewed yearly). */
  reviewedAt?: string | null;
  /** Verbatim quotes backing field values (field → seed file → quote). */
  provenance?: unknown;
}

/** 政府信息 / 公告 / 公示. */
export interface Notice extends ItemBase {
  kind: 'notice';
  docType: string;
  title: L10n;
  issuer: string[];
  docNo?: string | null;
  docNoAsInSource?: string | null;
  indexNo?: string | null;
  topic?: { l1: string; l2?: string | null } | null;
  infoCategory: InfoCategory;
  writtenDate?: string | null;
  publishDate: string;
  disclosure: Disclosure;
  noticePeriod?: NoticePeriod | null;
  enforcement?: Enforcement | null;
  keywords?: string[];
  summary?: L10n | null;
  /** Sanitised HTML subset. */
  body?: string | null;
  tasks?: TaskRow[];
  attachments?: Attachment[];
  interpretationOf?: string | null;
  /** The original text when the item was converted (e.g. Traditional → Simplified on import). */
  sourceText?: string | null;
  /** 主送机关. */
  recipients?: string[];
}

export interface Material {
  name: string;
  form: '原件' | '复印件' | '电子' | string;
  copies?: number | null;
  required: boolean;
  notes?: string | null;
}

export interface ProcedureStep {
  step: string;
  desc?: string | null;
  timeLimit?: string | null;
}

/** 办事指南. */
export interface Guide extends ItemBase {
  kind: 'guide';
  itemName: L10n;
  itemCode?: string | null;
  itemType?: string | null;
  implementingBody: { name: string; unit?: string | null; address?: string | null };
  department?: string | null;
  topic?: string | null;
  legalBasis?: { name: string; article?: string | null }[];
  applicants?: string | null;
  conditions?: string[];
  materials?: Material[];
  procedure?: ProcedureStep[];
  flowchart?: { altText: string; image?: string | null } | null;
  timeLimit?: { statutory?: string | null; promised?: string | null };
  fees?: { charged: boolean; standard?: string | null; basis?: string[] } | null;
  location?: string | null;
  hours?: string | null;
  consultationPhone?: string | null;
  complaintPhone?: string | null;
  visitsRequired?: number | null;
  onlineUrl?: string | null;
  faq?: { q: string; a: string }[];
  serviceCommitments?: string[];
  updatedAt?: string | null;
}

/** 预警信息. */
export interface Alert {
  id: string;
  kind: 'alert';
  severity: 'red' | 'orange' | 'yellow' | 'blue';
  headline: L10n;
  text: L10n;
  area: string;
  effective: string;
  expires: string;
  issuer?: string;
  cancelled?: boolean;
}

export type Item = Notice | Guide;

/** Per-year holidays and make-up working days (调休). */
export interface CalendarYear {
  holidays: string[];
  makeupWorkdays: string[];
}
export type Calendar = Record<string, CalendarYear>;

/** The display title of any item, in Simplified Chinese. */
export function itemTitle(item: Item): string {
  return item.kind === 'notice' ? item.title['zh-Hans'] : item.itemName['zh-Hans'];
}
