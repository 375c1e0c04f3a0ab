/**
 * fast-check generators for the PII gate's property tests: valid and invalid
 * personal numbers of every kind, and the ways people write them (grouped,
 * full-width, +86, masked), plus the public numbers that must pass (文号,
 * 索引号, dates, landlines). Check characters are computed here from the
 * published algorithms, independently of src/content/pii.ts.
 */
import fc from 'fast-check';

const digits = (n: number): fc.Arbitrary<string> =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));

const PROVINCES = ['11', '31', '32', '33', '37', '42', '44', '51', '62', '65', '81'];

/** GB 11643 check character, computed the textbook way. */
export function gbCheck(first17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * w[i], 0);
  return '10X98765432'[sum % 11];
}

/** A birth date YYYYMMDD between 1920 and 2025 (always a real day). */
const birthDate = fc
  .integer({ min: Date.UTC(1920, 0, 1) / 864e5, max: Date.UTC(2025, 11, 31) / 864e5 })
  .map((d) => new Date(d * 864e5).toISOString().slice(0, 10).replace(/-/g, ''));

const id17 = fc
  .tuple(fc.constantFrom(...PROVINCES), digits(4), birthDate, digits(3))
  .map((p) => p.join(''));

/** 18-digit resident IDs whose check character verifies (X included). */
export const validId18 = id17.map((s) => s + gbCheck(s));
/** Same, with any other check character (a mistyped ID). */
export const invalidId18 = fc.tuple(id17, fc.integer({ min: 1, max: 10 })).map(([s, k]) => {
  const all = '10X98765432';
  return s + all[(all.indexOf(gbCheck(s)) + k) % 11];
});

/** 15-digit first-generation IDs (19yy birth date, no check digit). */
export const validId15 = fc
  .tuple(
    fc.constantFrom(...PROVINCES),
    digits(4),
    birthDate.filter((d) => d < '20000000'),
    digits(3),
  )
  .map(([p, r, d, s]) => p + r + d.slice(2) + s);

/** Mainland mobile numbers 1[3-9]xxxxxxxxx. */
export const validMobile = fc
  .tuple(fc.integer({ min: 3, max: 9 }), digits(9))
  .map(([b, r]) => `1${b}${r}`);

function luhnDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

const CARD_PREFIXES = ['62', '621', '6222', '4', '51', '55', '2221', '2720', '35', '6011', '95'];

/** Bank cards of 13–19 digits with a real issuer prefix and a Luhn check digit. */
export const validCard = fc
  .tuple(fc.constantFrom(...CARD_PREFIXES), fc.integer({ min: 16, max: 19 }), digits(19))
  .map(([p, len, fill]) => {
    const body = (p + fill).slice(0, len - 1);
    return body + luhnDigit(body);
  });
/** Same with a wrong check digit. */
export const invalidCard = fc
  .tuple(validCard, fc.integer({ min: 1, max: 9 }))
  .map(([c, k]) => c.slice(0, -1) + String((Number(c.slice(-1)) + k) % 10));

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function hkCheck(prefix: string, six: string): string {
  const v = (c: string): number => LETTERS.indexOf(c) + 10;
  let sum = prefix.length === 2 ? v(prefix[0]) * 9 + v(prefix[1]) * 8 : 36 * 9 + v(prefix) * 8;
  for (let i = 0; i < 6; i++) sum += Number(six[i]) * (7 - i);
  const r = (11 - (sum % 11)) % 11;
  return r === 10 ? 'A' : String(r);
}

const hkParts = fc.tuple(
  fc.constantFrom(...LETTERS, 'XA', 'WX', 'XG'),
  digits(6),
  fc.integer({ min: 1, max: 10 }),
);
/** Hong Kong identity cards `A123456(3)`. */
export const validHk = hkParts.map(([p, d]) => `${p}${d}(${hkCheck(p, d)})`);
/** Same with a wrong check character. */
export const invalidHk = hkParts.map(([p, d, k]) => {
  const all = '0123456789A';
  return `${p}${d}(${all[(all.indexOf(hkCheck(p, d)) + k) % 11]})`;
});

/** Macau identity cards `1234567(8)`. */
export const validMacau = fc
  .tuple(fc.constantFrom('1', '5', '7'), digits(6), digits(1))
  .map(([a, b, c]) => `${a}${b}(${c})`);

const TW = 'ABCDEFGHJKLMNPQRSTUVXYWZIO';
function twCheck(nine: string): string {
  const code = TW.indexOf(nine[0]) + 10;
  let sum = Math.floor(code / 10) + (code % 10) * 9;
  for (let i = 1; i < 9; i++) sum += Number(nine[i]) * (9 - i);
  return String((10 - (sum % 10)) % 10);
}
const twParts = fc.tuple(fc.constantFrom(...TW), fc.constantFrom('1', '2'), digits(7));
/** Taiwan identity cards `A123456789`. */
export const validTw = twParts.map(([l, s, d]) => l + s + d + twCheck(l + s + d));
/** Same with a wrong check digit. */
export const invalidTw = fc
  .tuple(validTw, fc.integer({ min: 1, max: 9 }))
  .map(([t, k]) => t.slice(0, -1) + String((Number(t.slice(-1)) + k) % 10));

/** Full-width twins of ASCII digits, letters and brackets (what an IME types). */
export function fullWidth(s: string): string {
  return s.replace(/[0-9A-Za-z()]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

/** Separators people put between digit groups (ASCII and full-width). */
export const separator = fc.constantFrom(' ', '-', '.', '\u3000', '\uff0d', '\u2014', '\uff0e');

/** `s` cut into groups of the given sizes (one of `shapes`), joined by one separator. */
export function grouped(s: fc.Arbitrary<string>, shapes: number[][]): fc.Arbitrary<string> {
  return fc.tuple(s, separator, fc.constantFrom(...shapes)).map(([text, sep, sizes]) => {
    const parts: string[] = [];
    let i = 0;
    // One size means groups of that size all along (4-4-4-4-3).
    if (sizes.length === 1) {
      for (; i + sizes[0] < text.length; i += sizes[0]) parts.push(text.slice(i, i + sizes[0]));
      parts.push(text.slice(i));
      return parts.join(sep);
    }
    for (const n of sizes.slice(0, -1)) {
      parts.push(text.slice(i, i + n));
      i += n;
    }
    parts.push(text.slice(i));
    return parts.join(sep);
  });
}

/** The usual ways of grouping each kind (the last group takes the rest). */
export const SHAPES = {
  id: [
    [6, 8, 4],
    [6, 4, 4, 4],
    [4, 4, 4, 4, 2],
    [6, 6, 6],
    [3, 3, 4, 4, 4],
  ],
  id15: [[6, 6, 3]],
  mobile: [
    [3, 4, 4],
    [3, 8],
    [7, 4],
  ],
  card: [[4], [6, 13]],
};

/** Masked forms: the middle replaced by one of the mask characters. */
export function masked(s: fc.Arbitrary<string>, keepStart: number, keepEnd: number) {
  return fc
    .tuple(s, fc.constantFrom('*', '×', '＊'))
    .map(
      ([t, m]) =>
        t.slice(0, keepStart) + m.repeat(t.length - keepStart - keepEnd) + t.slice(-keepEnd),
    );
}

/** Chinese text around a number (never a Latin letter or digit touching it). */
export const context = fc.tuple(
  fc.constantFrom('', '身份证号：', '联系电话', '账号 ', '当事人（', '证件号码为'),
  fc.constantFrom('', '。', '，请核对', '）', ' 办理'),
);

/** 文号 such as 东府办〔2007〕198号. */
export const docNo = fc
  .tuple(
    fc.constantFrom('东府办', '粤府', '湛经协', '国办发', '莞人社函'),
    fc.constantFrom('〔', '[', '（'),
    fc.integer({ min: 1980, max: 2040 }),
    fc.constantFrom('〕', ']', '）'),
    fc.integer({ min: 1, max: 9999 }),
  )
  .map(([a, o, y, c, n]) => `${a}${o}${y}${c}${n}号`);

/** 索引号: a credit code (with letters) or an office code, a year and a serial. */
export const indexNo = fc
  .tuple(
    fc.oneof(
      fc
        .tuple(
          digits(8),
          fc.constantFrom('MB0D5678', 'MB2C8888', 'XA1234B5'),
          fc.constantFrom('X', '6', 'K'),
        )
        .map((p) => p.join('')),
      digits(9),
    ),
    fc.integer({ min: 1990, max: 2040 }),
    digits(5),
  )
  .map(([code, y, n]) => `${code}/${y}-${n}`);

/** Dates in the forms notices use. */
export const dateText = fc
  .tuple(
    fc.integer({ min: 1990, max: 2040 }),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 28 }),
  )
  .chain(([y, m, d]) => {
    const mm = String(m).padStart(2, '0');
    const dd = String(d).padStart(2, '0');
    return fc.constantFrom(
      `${y}-${mm}-${dd}`,
      `${y}.${mm}.${dd}`,
      `${y}${mm}${dd}`,
      `${y}年${m}月${d}日`,
      `${y}-${mm}-${dd} 09:30`,
      `${y}-${mm}-${dd} 至 ${y}-${mm}-${dd}`,
    );
  });

/** Office landlines, with area code and sometimes an extension (public, never flagged). */
export const landline = fc
  .tuple(
    fc.constantFrom('010', '020', '0769', '0759', '0755', '021'),
    fc.integer({ min: 2, max: 8 }),
    digits(7),
    fc.constantFrom('', '-8012', '转123'),
    fc.constantFrom('-', ' ', ''),
  )
  .map(([a, f, r, ext, sep]) => `${a}${sep}${f}${r}${ext}`);
