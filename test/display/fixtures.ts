// Small content fixtures for the display tests (typed, so a model change breaks them loudly).
import type { Alert, Calendar, Guide, Notice } from '../../src/content/types.ts';
import type { KioskConfig } from '../../src/config/types.ts';

/** 2025 国庆 and 2026 元旦 with their 调休 make-up working days. */
export const CALENDAR: Calendar = {
  '2025': {
    holidays: [
      '2025-10-01',
      '2025-10-02',
      '2025-10-03',
      '2025-10-04',
      '2025-10-05',
      '2025-10-06',
      '2025-10-07',
      '2025-10-08',
    ],
    makeupWorkdays: ['2025-09-28', '2025-10-11'],
  },
  '2026': {
    holidays: ['2026-01-01', '2026-01-02', '2026-01-03'],
    makeupWorkdays: ['2026-01-04'],
  },
};

/** Epoch ms of a Shanghai wall-clock time (UTC+8, no daylight saving). */
export function shanghai(date: string, time = '12:00'): number {
  return Date.parse(`${date}T${time}:00+08:00`);
}

export function notice(over: Partial<Notice> = {}): Notice {
  return {
    kind: 'notice',
    id: 'n1',
    docType: '通知',
    title: { 'zh-Hans': '关于开展政务公开工作的通知' },
    issuer: ['某市人民政府办公室'],
    docNo: '某府办〔2025〕12号',
    infoCategory: 'regulations',
    publishDate: '2025-09-20',
    disclosure: { mode: '主动公开' },
    validity: { status: '有效' },
    summary: { 'zh-Hans': '为进一步做好政务公开工作，现将有关事项通知如下。' },
    source: { url: 'https://gongkai.example/n1.html' },
    ...over,
  };
}

export function guide(over: Partial<Guide> = {}): Guide {
  return {
    kind: 'guide',
    id: 'g1',
    itemName: { 'zh-Hans': '政府信息公开申请办事指南' },
    implementingBody: { name: '某市人民政府办公室' },
    procedure: [
      { step: '提交申请', desc: '申请人填写申请表并提交身份证明。', timeLimit: '当场' },
      { step: '登记受理', desc: '工作人员登记并出具回执。', timeLimit: '1个工作日' },
      { step: '审查办理', desc: '依法审查并作出答复。', timeLimit: '20个工作日' },
    ],
    onlineUrl: 'https://gongkai.example/g1.html',
    hours: '周一至周五 9:00-17:00',
    consultationPhone: '0000-12345678',
    validity: { status: '有效' },
    ...over,
  };
}

export function alert(over: Partial<Alert> = {}): Alert {
  return {
    id: 'a1',
    kind: 'alert',
    severity: 'orange',
    headline: { 'zh-Hans': '某市气象台发布暴雨橙色预警信号' },
    text: { 'zh-Hans': '预计未来3小时内有50毫米以上降雨，请注意防范。' },
    area: '某市全境',
    effective: '2025-10-10T08:00:00+08:00',
    expires: '2025-10-10T20:00:00+08:00',
    issuer: '某市气象台',
    ...over,
  };
}

export function config(over: Partial<KioskConfig['display']> = {}): KioskConfig {
  return {
    id: 'reading-room-1',
    name: '政府信息查阅点',
    location: '市图书馆 二楼',
    role: 'reading-room',
    orientation: 'landscape',
    timeZone: 'Asia/Shanghai',
    locale: 'zh-Hans',
    sync: {
      manifestUrl: 'bundles/demo/manifest.json',
      pollSeconds: 900,
      alertPollSeconds: 60,
      jitterSeconds: 60,
      maxBundleBytes: 1e8,
      maxFileBytes: 1e7,
    },
    trustedKeys: [],
    display: { dwellSeconds: 20, staleAfterDays: 30, rotateByDefault: true, ...over },
    idle: { timeoutSeconds: 90 },
    admin: {},
    pwa: { updateCheckMinutes: 30 },
  };
}
