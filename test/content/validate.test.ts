import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import createDOMPurify from 'dompurify';
import { JSDOM } from 'jsdom';
import { calendarFromDayTable } from '../../src/content/calendar.ts';
import { createSanitizer } from '../../src/content/sanitize.ts';
import {
  calendarWarnings,
  normalizeItem,
  validateContent,
  type Problem,
} from '../../src/content/validate.ts';
import { normalizeDocNo, parseDate } from '../../src/content/normalize.ts';
import { findPii, isValidIdNumber } from '../../src/content/pii.ts';
import type { Notice } from '../../src/content/types.ts';

const require = createRequire(import.meta.url);
const calendar = calendarFromDayTable(
  require('chinese-days/dist/chinese-days.json') as {
    holidays: Record<string, unknown>;
    workdays: Record<string, unknown>;
  },
);
const sanitize = createSanitizer(
  createDOMPurify(new JSDOM('').window as unknown as Parameters<typeof createDOMPurify>[0]),
);
const opts = { today: '2026-11-24', calendar, sanitize };

const BASES: Record<string, Record<string, unknown>> = {
  notice: {
    kind: 'notice',
    id: 'fixture-notice',
    docType: '通知',
    title: { 'zh-Hans': '关于开展政务公开日活动的通知' },
    issuer: ['某市人民政府办公室'],
    infoCategory: 'other',
    publishDate: '2026-11-20',
    disclosure: { mode: '主动公开', audience: '全社会', term: null, channels: ['政府门户网站'] },
    privacy: { containsPersonalInfo: false, redactions: [] },
  },
  guide: {
    kind: 'guide',
    id: 'fixture-guide',
    itemName: { 'zh-Hans': '政府信息依申请公开' },
    implementingBody: { name: '某市人民政府办公室' },
    privacy: { containsPersonalInfo: false, redactions: [] },
  },
  alert: {
    kind: 'alert',
    id: 'fixture-alert',
    severity: 'red',
    headline: '暴雨红色预警',
    text: '请减少外出。',
    area: '全市',
    effective: '2026-11-24T08:00:00+08:00',
    expires: '2026-11-25T08:00:00+08:00',
  },
};

interface RuleFixture {
  rule: string;
  description: string;
  base: keyof typeof BASES;
  expect: { field: string; level: Problem['level']; reason: string };
  fail: Record<string, unknown> | Record<string, unknown>[];
  pass: Record<string, unknown> | Record<string, unknown>[];
}

const dir = join(import.meta.dirname, 'fixtures/rules');
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ file: f, ...(JSON.parse(readFileSync(join(dir, f), 'utf8')) as RuleFixture) }));

function run(fx: RuleFixture & { file: string }, which: 'fail' | 'pass') {
  const list = Array.isArray(fx[which]) ? fx[which] : [fx[which]];
  const sources = list.map((o) => ({
    file: `${fx.file}#${which}`,
    data: { ...BASES[fx.base], ...o },
  }));
  const report = validateContent(sources, opts);
  return [...report.errors, ...report.warnings].filter((p) => p.file !== 'calendar');
}

const matches = (fx: RuleFixture) => (p: Problem) =>
  p.field === fx.expect.field && p.level === fx.expect.level && p.reason.includes(fx.expect.reason);

describe('every validation rule has a failing and a passing fixture', () => {
  it('found the rule fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(28);
  });
  for (const fx of fixtures) {
    it(`${fx.rule}: ${fx.description}`, () => {
      const failed = run(fx, 'fail');
      const hit = failed.find(matches(fx));
      expect(hit, JSON.stringify(failed, null, 2)).toBeDefined();
      // The problem names the file and the item.
      expect(hit?.file).toBe(`${fx.file}#fail`);
      expect(hit?.itemId).toBeTruthy();
      const passed = run(fx, 'pass');
      expect(passed.filter((p) => p.level === 'error')).toEqual([]);
      expect(passed.filter(matches(fx))).toEqual([]);
    });
  }
});

describe('normalised values', () => {
  it('reads Chinese-numeral dates with ○ or 〇 and Arabic 年月日', () => {
    expect(parseDate('二○○七年四月十九日')).toBe('2007-04-19');
    expect(parseDate('二〇〇七年四月十九日')).toBe('2007-04-19');
    expect(parseDate('二○一七年十二月三十一日')).toBe('2017-12-31');
    expect(parseDate('2017年05月15日')).toBe('2017-05-15');
    expect(parseDate('2007-02-29')).toBeNull();
    expect(parseDate('二○○七年二月三十日')).toBeNull();
  });
  it('normalises 文号 brackets and keeps the raw value; flags damage', () => {
    for (const raw of [
      '国办发[2017]47号',
      '国办发【2017】47号',
      '国办发(2017)47号',
      '国办发（2017）47号',
    ]) {
      expect(normalizeDocNo(raw).docNo).toBe('国办发〔2017〕47号');
    }
    expect(normalizeDocNo('国务院令第711号').docNo).toBe('国务院令第711号');
    const damaged = normalizeDocNo('东府办函〔2007198');
    expect(damaged.docNo).toBeNull();
    expect(damaged.damage).toMatch(/unbalanced/);
    const r = normalizeItem('x.json', { ...BASES.notice, docNo: '国办发[2017]47号' }, opts);
    expect((r.item as Notice).docNo).toBe('国办发〔2017〕47号');
    expect((r.item as Notice).docNoAsInSource).toBe('国办发[2017]47号');
    const d = normalizeItem('x.json', { ...BASES.notice, docNo: '东府办函〔2007198' }, opts);
    expect((d.item as Notice).docNo).toBeNull();
    expect((d.item as Notice).docNoAsInSource).toBe('东府办函〔2007198');
    expect((d.item as Notice).qualityFlags).toContain('docNo damaged in source: 东府办函〔2007198');
  });
  it('normalises dates, plain-string text fields and sanitises the body', () => {
    const r = normalizeItem(
      'x.json',
      {
        ...BASES.notice,
        title: '通知',
        writtenDate: '二○二六年十一月二日',
        body: '<p>a<script>x</script></p>',
      },
      opts,
    );
    const n = r.item as Notice;
    expect(n.title).toEqual({ 'zh-Hans': '通知' });
    expect(n.writtenDate).toBe('2026-11-02');
    expect(n.body).toBe('<p>a</p>');
    expect(r.warnings.map((w) => w.reason)).toContain(
      'removed element <script> (not in the allow-list)',
    );
  });
  it('sanitised bodies keep no script, handler, remote image or javascript: link', () => {
    const fx = fixtures.find((f) => f.rule === 'html-sanitised') as RuleFixture;
    const r = normalizeItem('x.json', { ...BASES.notice, ...(fx.fail as object) }, opts);
    const body = (r.item as Notice).body ?? '';
    expect(body).not.toMatch(/script|onclick|tracker\.example|javascript:/i);
    expect(body).toContain('正文');
    expect(r.warnings.map((w) => w.reason)).toEqual(
      expect.arrayContaining([
        'removed element <script> (not in the allow-list)',
        'removed attribute onclick on <p> (not in the allow-list)',
      ]),
    );
    expect(r.warnings.some((w) => w.reason.includes('tracker.example'))).toBe(true);
  });
  it('verifies ID check digits and masks what it reports', () => {
    expect(isValidIdNumber('440102198001011235')).toBe(true);
    expect(isValidIdNumber('440102198001011231')).toBe(false);
    const hits = findPii('身份证440102198001011235，手机13912345678');
    expect(hits.map((h) => h.kind).sort()).toEqual(['id-number', 'mobile']);
    expect(hits.find((h) => h.kind === 'id-number')?.masked).toBe('4401**********1235');
    // The report never repeats the full number.
    const r = normalizeItem(
      'x.json',
      { ...BASES.notice, summary: '身份证440102198001011235' },
      opts,
    );
    expect(JSON.stringify(r.errors)).not.toContain('440102198001011235');
  });
  it('names the item and field of grouped and full-width numbers (src/content/pii.ts)', () => {
    const r = normalizeItem(
      'x.json',
      {
        ...BASES.notice,
        summary: '申请人身份证 420111 19930215 1386',
        body: '<p>联系电话：＋８６ １３９ １２３４ ５６７８，办公室 0769-22831234。</p>',
      },
      opts,
    );
    expect(r.errors.map((e) => [e.itemId, e.field, e.reason.split(' in ')[0]])).toEqual([
      ['fixture-notice', 'summary', 'unmasked ID number 4201**********1386'],
      ['fixture-notice', 'body', 'unmasked mobile number 139****5678'],
    ]);
  });
});

describe('calendar warnings', () => {
  it('warns from October on when next year is missing, not before', () => {
    expect(calendarWarnings(calendar, '2026-09-30')).toEqual([]);
    const oct = calendarWarnings(calendar, '2026-10-01');
    expect(oct).toHaveLength(1);
    expect(oct[0]).toMatchObject({ file: 'calendar', level: 'warning' });
    expect(oct[0].reason).toMatch(/2027/);
    expect(
      calendarWarnings({ ...calendar, '2027': { holidays: [], makeupWorkdays: [] } }, '2026-11-24'),
    ).toEqual([]);
  });
  it('reports the current year missing', () => {
    expect(calendarWarnings({}, '2026-03-01')[0].reason).toMatch(
      /no working-day calendar for 2026/,
    );
  });
});

describe('content sets', () => {
  it('keeps going past invalid items and names file, item and field', () => {
    const report = validateContent(
      [
        { file: 'a.json', data: { ...BASES.notice, id: 'bad', publishDate: 'yesterday' } },
        { file: 'b.json', data: { ...BASES.notice, id: 'good' } },
        { file: 'c.json', data: 'not an object' },
      ],
      opts,
    );
    expect(report.items.map((n) => n.item.id)).toEqual(['bad', 'good']);
    expect(report.errors).toContainEqual({
      file: 'a.json',
      itemId: 'bad',
      field: 'publishDate',
      reason: '"yesterday" is not a valid date (YYYY-MM-DD)',
      level: 'error',
    });
    expect(report.errors.some((e) => e.file === 'c.json')).toBe(true);
    expect(report.items[1].errors).toEqual([]);
  });
  it('fails an item with a body when no sanitiser is given', () => {
    const r = normalizeItem(
      'x.json',
      { ...BASES.notice, body: '<p>x</p>' },
      { today: '2026-11-24', calendar },
    );
    expect(r.errors[0]).toMatchObject({ field: 'body', level: 'error' });
  });
});
