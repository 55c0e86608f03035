/**
 * One-time codes of e-ID steps other than signing in (decision 0042): registration, activation,
 * self-unlock, a new phone number or e-mail address. A step opens a challenge (`dec_…`, random,
 * stored as its SHA-256) and, when there is someone to send it to, a 6-digit code by SMS through the
 * durable outbox or by mail through the mail outbox — in the transaction that stores the code's hash.
 * When there is nobody to send it to (registration or unlock for a person without a linked number or
 * with an account already), the challenge is opened all the same and no code exists: every code is
 * then wrong, and the answer is the one a real challenge gets.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { resendWait, waitSeconds } from '../../domain/auth/limits.js';
import { CODE_REQUEST_LIMITS } from '../../domain/eid/rules.js';
import { addFailure, lockFailures } from '../../store/repositories/login-accounts.js';
import { sameDigits } from '../../domain/auth/totp.js';
import { insertEidChallenge, lockEidChallenge, updateEidChallenge, type EidChallenge, type EidChallengePurpose } from '../../store/repositories/eid-accounts.js';
import { insertMail, listPendingMail, markMailDelivered, type MailMessage } from '../../store/repositories/mail-outbox.js';
import type { Store } from '../../store/connect.js';
import type { Db } from '../../store/schema.js';
import { hashToken as sha256 } from '../principals.js';
import { enqueueSms } from '../sms/outbox.js';
import type { AuthDeps } from '../auth/sign-in.js';

export const EID_CHALLENGE_PREFIX = 'dec_';

/** Where a code goes: a phone number (E.164) by SMS, or an e-mail address by the mail outbox. */
export type CodeTarget = { sms: string } | { mail: string };

const WHAT: Record<EidChallengePurpose, { vi: string; en: string }> = {
  register: { vi: 'dang ky tai khoan dinh danh dien tu', en: 'e-ID registration' },
  activate: { vi: 'kich hoat tai khoan dinh danh dien tu', en: 'e-ID activation' },
  unlock: { vi: 'mo khoa tai khoan dinh danh dien tu', en: 'e-ID unlock' },
  phone: { vi: 'xac nhan so dien thoai moi', en: 'new phone number' },
  email: { vi: 'xac nhan dia chi thu dien tu moi', en: 'new e-mail address' },
};

export const challengeHashOf = (token: string): string => sha256(token);

/** Opens a challenge in the caller's transaction; returns its token (shown once). */
export async function openCodeChallenge(
  tx: Db,
  d: AuthDeps,
  c: { purpose: EidChallengePurpose; personalId: string; principalId?: string | undefined; contact?: string | undefined; passwordHash?: string | undefined; expiresAt: string },
): Promise<{ token: string; hash: string }> {
  const token = EID_CHALLENGE_PREFIX + randomBytes(32).toString('base64url');
  const hash = challengeHashOf(token);
  await insertEidChallenge(tx, {
    hash,
    purpose: c.purpose,
    personalId: c.personalId,
    ...(c.principalId ? { principalId: c.principalId } : {}),
    ...(c.contact ? { contact: c.contact } : {}),
    ...(c.passwordHash ? { passwordHash: c.passwordHash } : {}),
    createdAt: d.clock.now().toISOString(),
    expiresAt: c.expiresAt,
  });
  return { token, hash };
}

/**
 * Sends a new code for the challenge (replacing an earlier one), or only counts the send when
 * `target` is undefined (nobody to send it to: the same limits, nothing leaves). A code lives as
 * long as its challenge (minutes; an activation notice's, until the activation deadline).
 */
export async function sendChallengeCode(tx: Db, d: AuthDeps, c: EidChallenge, target: CodeTarget | undefined): Promise<void> {
  const now = d.clock.now();
  const sends = c.sends + 1;
  if (!target) {
    await updateEidChallenge(tx, c.hash, { sends, last_sent_at: now.toISOString() });
    return;
  }
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const expiresAt = new Date(Date.parse(c.expiresAt));
  const what = WHAT[c.purpose];
  const key = `eid-${c.purpose}:${c.hash.slice(0, 40)}:${sends}`;
  if ('sms' in target) {
    const text = `dancu: ma ${what.vi}: ${code}. Khong chia se ma nay. / Code for ${what.en}: ${code}.`;
    await enqueueSms(tx, { to: target.sms, text, key, kind: 'otp', expiresAt }, d.clock);
  } else {
    await insertMail(tx, { messageId: key, key, kind: 'otp', to: target.mail, subject: `dancu: ${what.en}`, body: `Mã ${what.vi.replace(/^./, (x) => x.toUpperCase())}: ${code}\nCode for ${what.en}: ${code}\nKhông chia sẻ mã này. Do not share this code.`, createdAt: now.toISOString(), expiresAt: expiresAt.toISOString() });
  }
  await updateEidChallenge(tx, c.hash, { code_hash: sha256(`${c.hash}:${code}`), sends, last_sent_at: now.toISOString() });
}

/** The open challenge of this purpose, locked for the transaction; 401 EID_CHALLENGE_INVALID otherwise (unknown, spent, expired: one answer). */
export async function openChallenge(tx: Db, d: AuthDeps, token: string, purpose: EidChallengePurpose): Promise<EidChallenge> {
  const c = token.startsWith(EID_CHALLENGE_PREFIX) ? await lockEidChallenge(tx, challengeHashOf(token)) : undefined;
  if (!c || c.purpose !== purpose || c.spentAt || Date.parse(c.expiresAt) <= d.clock.now().getTime()) throw new RegistryError('EID_CHALLENGE_INVALID');
  return c;
}

/** Another code for an open challenge, within the SMS-code policy's sends and wait. */
export async function resendWithin(tx: Db, d: AuthDeps, c: EidChallenge, target: CodeTarget | undefined): Promise<void> {
  const wait = resendWait(c.sends, c.lastSentAt, d.clock.now().getTime(), d.settings.smsCodes);
  if (wait === 'exhausted') throw new RegistryError('CODE_RESEND_LIMIT');
  if (wait !== 'now') throw new RegistryError('CODE_RESEND_TOO_SOON', { extra: { retryAfter: wait } });
  await sendChallengeCode(tx, d, c, target);
}

/**
 * Checks a code against the challenge: right when a code was sent, it matches and the challenge is
 * open. A wrong code counts an attempt (the challenge is spent at the policy's maximum); the caller
 * commits that and throws after.
 */
export async function checkChallengeCode(tx: Db, d: AuthDeps, c: EidChallenge, code: string): Promise<boolean> {
  if (codeMatches(c, code)) return true;
  await countWrongAttempt(tx, d, c);
  return false;
}

/** Whether the code is the one sent for the challenge (false when none was sent); counts nothing. */
export function codeMatches(c: EidChallenge, code: string): boolean {
  return c.codeHash !== undefined && /^[0-9]{6}$/.test(code) && sameDigits(sha256(`${c.hash}:${code}`), c.codeHash);
}

/** One more wrong attempt against the challenge; spent at the challenge policy's maximum. */
export async function countWrongAttempt(tx: Db, d: AuthDeps, c: EidChallenge): Promise<void> {
  const attempts = c.attempts + 1;
  await updateEidChallenge(tx, c.hash, { attempts, ...(attempts >= d.settings.challenges.maxAttempts ? { spent_at: d.clock.now().toISOString() } : {}) });
}

export async function spendChallenge(tx: Db, d: AuthDeps, c: EidChallenge): Promise<void> {
  await updateEidChallenge(tx, c.hash, { spent_at: d.clock.now().toISOString() });
}

/** The counters a code request for a claimed personal ID is under (its SHA-256: the claim is not stored). */
export function requestKeys(purpose: 'register' | 'unlock' | 'activate', personalId: string, sourceIp: string): { id: string; address: string } {
  return { id: `eid-${purpose}:${sha256(personalId)}`, address: `eid-${purpose}-address:${sourceIp}` };
}

/**
 * Counts a code request under the claimed ID and the address before any work, unless either must
 * wait (429 EID_TOO_MANY_REQUESTS, nothing counted) — one transaction holding both counters' rows,
 * so requests sent at once pass one at a time, as sign-in's attempts do.
 */
export async function claimCodeRequest(d: AuthDeps, keys: { id: string; address: string }): Promise<void> {
  const now = d.clock.now();
  const at = now.toISOString();
  const forget = new Date(now.getTime() - CODE_REQUEST_LIMITS.forgetAfterSeconds * 1000).toISOString();
  const wait = await d.store.transaction(async (tx) => {
    const id = await lockFailures(tx, keys.id, at);
    const address = await lockFailures(tx, keys.address, at);
    const w = Math.max(waitSeconds(id, now.getTime(), CODE_REQUEST_LIMITS), waitSeconds(address, now.getTime(), { ...CODE_REQUEST_LIMITS, freeFailures: CODE_REQUEST_LIMITS.freeFailures * 5 }));
    if (w > 0) return w;
    await addFailure(tx, keys.id, at, forget);
    await addFailure(tx, keys.address, at, forget);
    return 0;
  });
  if (wait > 0) throw new RegistryError('EID_TOO_MANY_REQUESTS', { extra: { retryAfter: wait } });
}

/** E-mails waiting for a transport (`dancu eid mail`); expired codes are blanked first. */
export const pendingMail = (store: Store, now: string): Promise<MailMessage[]> => listPendingMail(store.db, now);

/** One message delivered: marked so and its code blanked. False when it was already. */
export const markMailSent = (store: Store, messageId: string, at: string): Promise<boolean> => markMailDelivered(store.db, messageId, at);
