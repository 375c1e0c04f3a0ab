import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LONG_NUMBER_LABEL, findPii, maskQuery, type PiiKind } from '../../src/content/pii.ts';
import {
  context,
  dateText,
  docNo,
  fullWidth,
  grouped,
  indexNo,
  invalidCard,
  invalidHk,
  invalidId18,
  invalidTw,
  landline,
  masked,
  separator,
  SHAPES,
  validCard,
  validHk,
  validId15,
  validId18,
  validMacau,
  validMobile,
  validTw,
} from './helpers/pii-arbitraries.ts';

const kinds = (text: string): PiiKind[] => findPii(text).map((h) => h.kind);
/** A run of 11+ digits that maskQuery should have removed (separators allowed between). */
const LONG_RUN = /\d(?:[ \-.\u2010-\u2015\u2212]?\d){10,}/;
const RUNS = { numRuns: 150 };

/** `number` in Chinese context must be found once, as `kind`. */
function detectedIn(number: fc.Arbitrary<string>, kind: PiiKind): void {
  fc.assert(
    fc.property(number, context, (n, [before, after]) => {
      expect(kinds(`${before}${n}${after}`)).toEqual([kind]);
    }),
    RUNS,
  );
}

/** `number` in Chinese context must not be found as `kind`. */
function notDetectedAs(number: fc.Arbitrary<string>, kind: PiiKind): void {
  fc.assert(
    fc.property(number, context, (n, [before, after]) => {
      expect(kinds(`${before}${n}${after}`)).not.toContain(kind);
    }),
    RUNS,
  );
}

describe('PII gate: every format of a valid number is found', () => {
  it('resident IDs, 18-digit: plain, grouped, full-width', () => {
    detectedIn(validId18, 'id-number');
    detectedIn(grouped(validId18, SHAPES.id), 'id-number');
    detectedIn(validId18.map(fullWidth), 'id-number');
    detectedIn(grouped(validId18.map(fullWidth), SHAPES.id), 'id-number');
  });
  it('resident IDs, 15-digit old form with a valid date', () => {
    detectedIn(validId15, 'id-number');
    detectedIn(grouped(validId15, SHAPES.id15), 'id-number');
  });
  it('mobiles: plain, grouped, full-width, +86 / 0086', () => {
    detectedIn(validMobile, 'mobile');
    detectedIn(grouped(validMobile, SHAPES.mobile), 'mobile');
    detectedIn(validMobile.map(fullWidth), 'mobile');
    const intl = fc
      .tuple(
        fc.constantFrom('+86', '+86 ', '0086 ', '86-', '(+86)'),
        grouped(validMobile, SHAPES.mobile),
      )
      .map(([p, m]) => p + m);
    detectedIn(intl, 'mobile');
  });
  it('bank cards: plain, grouped, full-width', () => {
    detectedIn(validCard, 'bank-card');
    detectedIn(grouped(validCard, SHAPES.card), 'bank-card');
    detectedIn(validCard.map(fullWidth), 'bank-card');
  });
  it('Hong Kong, Macau and Taiwan identity cards (also full-width)', () => {
    detectedIn(validHk, 'hk-id');
    detectedIn(validHk.map(fullWidth), 'hk-id');
    detectedIn(validMacau, 'macau-id');
    detectedIn(validTw, 'taiwan-id');
    detectedIn(validTw.map(fullWidth), 'taiwan-id');
  });
  it('two numbers in one text are both found, in order', () => {
    fc.assert(
      fc.property(grouped(validId18, SHAPES.id), grouped(validMobile, SHAPES.mobile), (id, m) => {
        expect(kinds(`身份证${id}，手机${m}。`)).toEqual(['id-number', 'mobile']);
      }),
      RUNS,
    );
  });
});

describe('PII gate: wrong check characters and masked forms pass', () => {
  it('numbers whose checksum fails are not reported as that kind', () => {
    notDetectedAs(invalidId18, 'id-number');
    notDetectedAs(grouped(invalidId18, SHAPES.id), 'id-number');
    notDetectedAs(invalidCard, 'bank-card');
    notDetectedAs(invalidHk, 'hk-id');
    notDetectedAs(invalidTw, 'taiwan-id');
  });
  it('masked forms (*, ×, ＊) are safe', () => {
    const all = fc.oneof(
      masked(validId18, 4, 4),
      masked(validId18, 6, 4),
      masked(validMobile, 3, 4),
      masked(validCard, 4, 4),
      masked(validCard, 6, 4),
    );
    fc.assert(
      fc.property(all, context, (m, [before, after]) => {
        expect(findPii(`${before}${m}${after}`)).toEqual([]);
      }),
      RUNS,
    );
  });
});

describe('PII gate: public numbers are not flagged', () => {
  it('文号, 索引号, dates and office landlines', () => {
    const publicText = fc.oneof(docNo, indexNo, dateText, landline);
    fc.assert(
      fc.property(fc.array(publicText, { minLength: 1, maxLength: 4 }), separator, (parts, sep) => {
        expect(findPii(parts.join(sep === '.' ? '，' : sep))).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });
  it('numbers of other words are never merged', () => {
    // Each half alone is harmless; written in two words they stay two numbers.
    fc.assert(
      fc.property(validId18, (id) => {
        expect(findPii(`${id.slice(0, 9)}号文件第${id.slice(9)}页`)).toEqual([]);
      }),
      RUNS,
    );
  });
});

describe('PII gate: the issue #19 examples', () => {
  const caught: [string, PiiKind, string][] = [
    ['420111 19930215 1386', 'id-number', '4201**********1386'],
    ['４２０１１１１９９３０２１５１３８６', 'id-number', '4201**********1386'],
    ['＋８６ １３９ １２３４ ５６７８', 'mobile', '139****5678'],
    ['+86 139 1234 5678', 'mobile', '139****5678'],
    ['158-1357-2468', 'mobile', '158****2468'],
    ['１５８－１３５７－２４６８', 'mobile', '158****2468'],
    ['6222 0202 0011 2233 446', 'bank-card', '6222***********3446'],
    ['６２２２０２０２００１１２２３３４４６', 'bank-card', '6222***********3446'],
    ['A123456(3)', 'hk-id', 'A12****(*)'],
    ['Ａ１２３４５６（３）', 'hk-id', 'A12****(*)'],
    ['1234567(8)', 'macau-id', '12*****(*)'],
    ['A123456789', 'taiwan-id', 'A1******89'],
    ['身份证号码：11010519491231002X', 'id-number', '1101**********002X'],
    ['旧身份证号码110105491231002', 'id-number', '1101*******1002'],
  ];
  it.each(caught)('%s is a %s, reported as %s', (text, kind, shown) => {
    const hits = findPii(`当事人${text}。`);
    expect(hits.map((h) => [h.kind, h.masked])).toEqual([[kind, shown]]);
  });
  const safe = [
    '11990100MB0D56786X/2024-00413',
    '东府办〔2007〕198号',
    '咨询电话：0769-22831234',
    '0769-22831234-8012',
    '(0759)3333333',
    '4201**********1386',
    '139****5678',
    '139××××5678',
    '6222 **** **** 3446',
    '2026-12-11',
    '2024年1月15日至2024年1月21日',
    '编号440102198001011231不是身份证号',
  ];
  it.each(safe)('%s passes', (text) => {
    expect(findPii(text)).toEqual([]);
  });
});

describe('maskQuery: what visitors type is kept without personal numbers', () => {
  it('replaces detected numbers by their label', () => {
    expect(maskQuery('社保 420111 19930215 1386')).toBe('社保 [身份证号]');
    expect(maskQuery('１３９１２３４５６７８ 低保')).toBe('[手机号] 低保');
    expect(maskQuery('+86 139 1234 5678')).toBe('+[手机号]');
    expect(maskQuery('卡号6222020200112233446')).toBe('卡号[银行卡号]');
    expect(maskQuery('A123456(3)')).toBe('[证件号]');
  });
  it('drops long digit runs even when the checksum fails (a mistyped ID is still personal)', () => {
    expect(maskQuery('420111199302151387')).toBe(LONG_NUMBER_LABEL);
    expect(maskQuery('ID4201111993021513')).toBe(`ID${LONG_NUMBER_LABEL}`);
    expect(maskQuery('120 1234 5678')).toBe(LONG_NUMBER_LABEL);
  });
  it('keeps 文号, 索引号, years and short numbers as typed', () => {
    for (const q of ['东府办〔2007〕198号', '11990100MB0D56786X/2024-00413', '2024 年报', '第3号'])
      expect(maskQuery(q)).toBe(q.normalize('NFKC'));
  });
  it('leaves no personal number and no long digit run in any text', () => {
    const piece = fc.oneof(
      validId18,
      grouped(validId18, SHAPES.id),
      validMobile.map(fullWidth),
      grouped(validCard, SHAPES.card),
      invalidId18,
      validHk,
      validTw,
      fc.string({ unit: fc.constantFrom(...'0123456789 -.－　X号年社保'), maxLength: 30 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 4 }), separator, (parts, sep) => {
        const q = maskQuery(parts.join(sep));
        expect(findPii(q)).toEqual([]);
        expect(q).not.toMatch(LONG_RUN);
        expect(maskQuery(q)).toBe(q);
      }),
      { numRuns: 300 },
    );
  });
});
