/**
 * The check algorithms of the PII gate (src/content/pii.ts): GB 11643 resident
 * IDs, Luhn and issuer prefixes of bank cards, mainland mobiles, Hong Kong and
 * Taiwan identity cards. Pure; each takes the bare characters of one number.
 */

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';
/** GB 2260 province codes (first two digits of a resident ID). */
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
  53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83, 91,
]);

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** The GB 11643 (ISO 7064 MOD 11-2) check character of 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11];
}

/** True when an 18-character resident ID number has a valid GB 11643 check digit. */
export function isValidIdNumber(id: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(id)) return false;
  return idCheckChar(id) === id[17].toUpperCase();
}

/** An 18-digit resident ID: province, birth date (1900 on) and check digit. */
export function isResidentId18(id: string): boolean {
  if (!isValidIdNumber(id) || !PROVINCES.has(Number(id.slice(0, 2)))) return false;
  const y = Number(id.slice(6, 10));
  return y >= 1900 && y <= 2099 && validDate(y, Number(id.slice(10, 12)), Number(id.slice(12, 14)));
}

/** A 15-digit first-generation ID (no check digit): province and a valid 19yy birth date. */
export function isResidentId15(id: string): boolean {
  if (!/^\d{15}$/.test(id) || !PROVINCES.has(Number(id.slice(0, 2)))) return false;
  return validDate(
    1900 + Number(id.slice(6, 8)),
    Number(id.slice(8, 10)),
    Number(id.slice(10, 12)),
  );
}

/** Luhn check of a digit string (bank cards). */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = Number(digits[i]);
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/**
 * Issuer prefixes of cards a visitor could carry: UnionPay and domestic debit
 * (62, 60, 9x), Visa (4), Mastercard (51–55, 2221–2720), Amex (34, 37), JCB
 * (35), Diners (30, 36, 38), Discover (6011, 64, 65). Keeps Luhn's one-in-ten
 * chance off serial numbers, landlines with extensions and dates.
 */
function isCardPrefix(d: string): boolean {
  if (/^(4|5[1-5]|3[0456789]|6[0245]|9[45])/.test(d)) return true;
  const four = Number(d.slice(0, 4));
  return four >= 2221 && four <= 2720;
}

/** True for a 13–19 digit string with a card issuer prefix that passes Luhn. */
export function isBankCard(d: string): boolean {
  return /^\d{13,19}$/.test(d) && isCardPrefix(d) && luhnValid(d);
}

/** A mainland mobile number, bare or after 86 / 0086. */
export function mobileOf(d: string): string | null {
  const m = /^(?:86|0086)?(1[3-9]\d{9})$/.exec(d);
  return m ? m[1] : null;
}

const HK_LETTER = (c: string): number => c.charCodeAt(0) - 55; // A = 10 … Z = 35

/** Hong Kong identity card: one or two letters, six digits, check character (0–9 or A). */
export function isHongKongId(prefix: string, digits: string, check: string): boolean {
  const p = prefix.toUpperCase();
  if (!/^[A-Z]{1,2}$/.test(p) || !/^\d{6}$/.test(digits)) return false;
  let sum = p.length === 2 ? HK_LETTER(p[0]) * 9 + HK_LETTER(p[1]) * 8 : 36 * 9 + HK_LETTER(p) * 8;
  for (let i = 0; i < 6; i++) sum += Number(digits[i]) * (7 - i);
  const r = (11 - (sum % 11)) % 11;
  return (r === 10 ? 'A' : String(r)) === check.toUpperCase();
}

/** Taiwan's letter codes: A = 10 … with I, O, W, X, Y, Z out of order. */
const TW_CODES = 'ABCDEFGHJKLMNPQRSTUVXYWZIO';

/** Taiwan national identification number: letter, 1 or 2, seven digits, check digit. */
export function isTaiwanId(id: string): boolean {
  const s = id.toUpperCase();
  if (!/^[A-Z][12]\d{8}$/.test(s)) return false;
  const code = TW_CODES.indexOf(s[0]) + 10;
  let sum = Math.floor(code / 10) + (code % 10) * 9;
  for (let i = 1; i < 9; i++) sum += Number(s[i]) * (9 - i);
  sum += Number(s[9]);
  return sum % 10 === 0;
}
