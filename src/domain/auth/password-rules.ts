/**
 * What a new password must be (NIST SP 800-63B-4, §3.1.1.2 "Password Verifiers"; decision 0038):
 * - length counts Unicode code points; at least 8 because every officer password is one factor of
 *   two (the same section asks 15 of a password that is the only factor — a citizen account
 *   without a second factor must use PASSWORD_RULES_SINGLE_FACTOR);
 * - at most 128 code points (the section asks that at least 64 be allowed);
 * - any printable character, spaces included; no composition rules (no "a digit and a capital");
 * - not a commonly used or compromised value (the list in reference-data/common-passwords) and not
 *   built on a word of the context (the service's name, the account's login name).
 * Text is normalised as all text at the boundary is (NFC, invisible characters removed, runs of
 * white space as one space, trimmed): the password set and the password typed compare equal when
 * they look the same.
 */
import { normalizeText } from '../text/normalize.js';

export interface PasswordRules {
  minLength: number;
  maxLength: number;
}

export const PASSWORD_RULES: PasswordRules = { minLength: 8, maxLength: 128 };
/** For a password that is the only factor (§3.1.1.2: at least 15 characters). */
export const PASSWORD_RULES_SINGLE_FACTOR: PasswordRules = { minLength: 15, maxLength: 128 };

export type PasswordProblem = 'PASSWORD_TOO_SHORT' | 'PASSWORD_TOO_LONG' | 'PASSWORD_COMMON' | 'PASSWORD_CONTEXT_WORD' | 'PASSWORD_INVALID_CHARACTER';

/** Context words shorter than this are not looked for inside passwords (too many false refusals). */
export const MIN_CONTEXT_WORD = 4;

export function normalizePassword(password: string): string {
  return normalizeText(password);
}

export function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Control characters (C0, DEL, C1) are not printable: refused rather than silently dropped. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;

/**
 * The first rule a new password breaks, or undefined when it may be used. `common` holds the
 * blocklist in lower case; `context` the words a password may not be built on.
 */
export function passwordProblem(password: string, common: ReadonlySet<string>, context: readonly string[], rules: PasswordRules = PASSWORD_RULES): PasswordProblem | undefined {
  if (CONTROL.test(password)) return 'PASSWORD_INVALID_CHARACTER';
  const p = normalizePassword(password);
  const length = codePoints(p);
  if (length < rules.minLength) return 'PASSWORD_TOO_SHORT';
  if (length > rules.maxLength) return 'PASSWORD_TOO_LONG';
  const lower = p.toLowerCase();
  if (common.has(lower)) return 'PASSWORD_COMMON';
  // A password that is one character repeated is as common as any list entry.
  if (new Set(lower).size === 1) return 'PASSWORD_COMMON';
  const folded = foldForContext(lower);
  for (const word of context) {
    const w = foldForContext(normalizePassword(word).toLowerCase());
    if (codePoints(w) >= MIN_CONTEXT_WORD && folded.includes(w)) return 'PASSWORD_CONTEXT_WORD';
  }
  return undefined;
}

/** Letters and digits only, so that "d.a.n.c.u" or "dan-cu" still contain "dancu". */
function foldForContext(s: string): string {
  return s.replace(/[^\p{L}\p{N}]/gu, '');
}
