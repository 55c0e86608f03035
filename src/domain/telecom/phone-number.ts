/**
 * Vietnamese mobile numbers, normalised to E.164 (`+84` and 9 digits).
 *
 * The national plan since the 2018 conversion of 11-digit numbers (MIC, Thông tư 22/2014 as amended)
 * gives mobile networks the ranges 03x, 05x, 07x, 08x and 09x: a 0 trunk prefix and 9 digits. We
 * accept the whole first-digit range rather than a list of allocated operator prefixes, because
 * allocations change and the register must not refuse a number an operator certifies; fixed lines
 * (02x, 10 digits after the 0) cannot send SMS and are not subscriber-register numbers.
 *
 * Accepted spellings: national (`0912345678`), national without the trunk 0 (`912345678`, what an
 * SMSC may put in source_addr with TON national), international without or with `+` or `00`
 * (`84912345678`, `+84912345678`, `0084912345678`, TON international), the trunk 0 kept after the
 * country code (`+84 (0)91 234 5678`), and spaces, hyphens, dots or parentheses between digits.
 */

/** The E.164 form of a Vietnamese mobile number: `+84` then 9 digits, the first 3, 5, 7, 8 or 9. */
export const VN_MOBILE_E164 = /^\+84[35789]\d{8}$/;

const SEPARATORS = /[\s\-.()]/g;

/** A Vietnamese mobile number in E.164 (`+84…`), or undefined when `text` is not one. */
export function normalizePhoneNumber(text: string): string | undefined {
  const compact = text.trim().replace(SEPARATORS, '');
  const match = /^(?:\+84|0084|84)?0?(\d{9})$/.exec(compact);
  if (match === null) return undefined;
  // Lengths keep the spellings apart: "84" + 9 digits is 11 digits, a national number 10 (with
  // its 0) or 9 (without), so a national number starting 084… is never read as a country code.
  const e164 = `+84${match[1]!}`;
  return VN_MOBILE_E164.test(e164) ? e164 : undefined;
}

/** True when `text` is already a normalised Vietnamese mobile number. */
export function isE164VietnamMobile(text: string): boolean {
  return VN_MOBILE_E164.test(text);
}

/** The national spelling (`0912345678`) of an E.164 Vietnamese mobile number, for display. */
export function nationalPhoneNumber(e164: string): string | undefined {
  return VN_MOBILE_E164.test(e164) ? `0${e164.slice(3)}` : undefined;
}

/** Only the last 3 digits, for logs and output that must not carry a whole number. */
export function maskPhoneNumber(e164: string): string {
  return `${'*'.repeat(Math.max(0, e164.length - 3))}${e164.slice(-3)}`;
}
