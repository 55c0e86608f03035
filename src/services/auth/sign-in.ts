/**
 * Signing in, step by step (decision 0038):
 *   1. login name and password → a challenge (random, stored hashed, minutes long) naming the next step;
 *   2. at first sign-in (or after a reset): a new password of the officer's own (NIST rules);
 *   3. at first sign-in: enrolling TOTP (the secret shown once as an otpauth:// URI and its QR);
 *   4. a TOTP code, or a one-time code sent by SMS through the durable outbox (an account the
 *      administrator gave a mobile number for it) → a session.
 * An account whose second factor is enrolled passes it before setting a new password (after a reset,
 * the one-time password alone changes nothing).
 * Failures grow a delay per claimed login name and per source address, the same whether or not the
 * account exists; an unknown login name is checked against a dummy hash, so it takes the same work.
 * Each password attempt is counted before its password is checked (a right one is taken back), so
 * attempts sent in parallel cannot all pass the delay's check.
 * A citizen's e-ID account (login: the personal ID; decision 0042) signs in by the same steps, its
 * second factor a code by SMS (or TOTP); one pending activation, lapsed or locked is refused at every
 * step with the answers of a wrong password or a spent challenge.
 * Every step that changes something writes the principal's event (a transparency-log leaf) in its
 * transaction; a failure for an unknown login name is recorded by the edge's recording mechanism by
 * address only.
 */
import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { delayAfter, resendWait, waitSeconds, type LockoutPolicy } from '../../domain/auth/limits.js';
import { base32Decode, base32Encode, otpauthUri, sameDigits, verifyTotp, type Hmac } from '../../domain/auth/totp.js';
import { maskPhoneNumber } from '../../domain/telecom/phone-number.js';
import { enqueueSms } from '../sms/outbox.js';
import { renderQrSvg } from '../../documents/qr-image.js';
import {
  addFailure,
  clearFailures,
  findAccount,
  findAccountByLogin,
  findChallenge,
  insertChallenge,
  lockAccount,
  lockFailures,
  takeBackFailure,
  updateAccount,
  updateChallenge,
  type LoginAccount,
  type SignInChallenge,
} from '../../store/repositories/login-accounts.js';
import { findPrincipal } from '../../store/repositories/principals.js';
import { currentPersonalId } from '../../store/repositories/personal-ids.js';
import { PERSONAL_ID_PATTERN } from '../../domain/identity/personal-id.js';
import { hashToken as sha256 } from '../principals.js';
import { appendPrincipalEvent } from '../../store/repositories/principal-events.js';
import type { Store } from '../../store/connect.js';
import type { Db } from '../../store/schema.js';
import type { Clock } from '../clock.js';
import { checkNewPassword, dummyHash, hashPassword, verifyPassword } from './passwords.js';
import { openSession, type NewSession } from './sessions.js';
import { eidAccountOfPerson, eidSignInRefusal } from '../eid/state.js';
import type { AuthSettings } from './settings.js';

export const CHALLENGE_PREFIX = 'dch_';

export const hmac: Hmac = (algorithm, key, message) => createHmac(algorithm, key).update(message).digest();

export interface AuthDeps {
  store: Store;
  clock: Clock;
  settings: AuthSettings;
  /** The password check (default: passwords.ts's); injected by tests that count the work done. */
  verifyPassword?: typeof verifyPassword;
}

export interface Client {
  sourceIp: string;
  userAgent?: string | undefined;
}

export type SignInStep =
  | { next: 'set-password'; challenge: string; expiresAt: string }
  | { next: 'enrol-totp'; challenge: string; expiresAt: string; otpauthUri: string; secret: string; qrSvg: string }
  | { next: 'totp'; challenge: string; expiresAt: string }
  | { next: 'sms'; challenge: string; expiresAt: string; sentTo: string }
  | { next: 'done'; session: NewSession };

/** Login names are compared in lower case, as typed (NFC, trimmed at the boundary). */
export function normalizeLogin(login: string): string {
  return login.normalize('NFC').trim().toLowerCase();
}

/**
 * The failure counter of a claimed login name (hashed: the claimed name is not stored). A personal ID
 * counts as the person's current number: every number they have held signs in to one account (a
 * legal re-issue), and must not bring its own free failures. Whether an account exists changes nothing.
 */
export async function loginFailureKey(db: Db, login: string): Promise<string> {
  const name = normalizeLogin(login);
  // Only a personal ID can have been re-issued: an officer's username costs no read.
  return `login:${sha256(PERSONAL_ID_PATTERN.test(name) ? await currentPersonalId(db, name) : name)}`;
}

/** The failure counters a sign-in attempt is under: its claimed login name and its address. */
async function failureKeys(db: Db, login: string, sourceIp: string): Promise<{ login: string; address: string }> {
  return { login: await loginFailureKey(db, login), address: `address:${sourceIp}` };
}

/** An address is shared by everyone behind it (an office's NAT): it gets more free failures. */
function addressPolicy(p: LockoutPolicy): LockoutPolicy {
  return { ...p, freeFailures: p.freeFailures * 5 };
}

const forgetBefore = (d: AuthDeps, now: Date) => new Date(now.getTime() - d.settings.lockout.forgetAfterSeconds * 1000).toISOString();

/**
 * Counts a password attempt under both keys before its password is checked, unless either key must
 * still wait (429 SIGN_IN_DELAYED, nothing counted). The check and the count are one transaction
 * holding both counters' rows, so attempts sent in parallel are let through one at a time: no more
 * than the free failures and one pass. Returns the login name's count with this attempt.
 */
async function claimAttempt(d: AuthDeps, keys: { login: string; address: string }): Promise<number> {
  const now = d.clock.now();
  const at = now.toISOString();
  const outcome = await d.store.transaction(async (tx) => {
    const login = await lockFailures(tx, keys.login, at);
    const address = await lockFailures(tx, keys.address, at);
    const wait = Math.max(waitSeconds(login, now.getTime(), d.settings.lockout), waitSeconds(address, now.getTime(), addressPolicy(d.settings.lockout)));
    if (wait > 0) return { wait };
    const counted = await addFailure(tx, keys.login, at, forgetBefore(d, now));
    await addFailure(tx, keys.address, at, forgetBefore(d, now));
    return { failures: counted.failures };
  });
  if ('wait' in outcome) throw new RegistryError('SIGN_IN_DELAYED', { extra: { retryAfter: outcome.wait } });
  return outcome.failures;
}

/** Records a counted failure in the account's events (and the beginning of its delay). */
async function recordFailure(tx: Db, d: AuthDeps, account: LoginAccount, client: Client, step: string, failures: number): Promise<void> {
  const at = d.clock.now().toISOString();
  const delaySeconds = delayAfter(failures, d.settings.lockout);
  await appendPrincipalEvent(tx, { principalId: account.principalId, at, actorId: account.principalId, kind: 'sign-in-failed', details: { step, sourceIp: client.sourceIp, failures, delaySeconds } });
  if (delaySeconds > 0 && delayAfter(failures - 1, d.settings.lockout) === 0) {
    await appendPrincipalEvent(tx, { principalId: account.principalId, at, actorId: 'system:sign-in', kind: 'sign-in-delayed', details: { sourceIp: client.sourceIp, delaySeconds } });
  }
}

/** Counts a wrong code under both keys and records it (the account exists at this step). */
async function countFailure(tx: Db, d: AuthDeps, keys: { login: string; address: string }, account: LoginAccount, client: Client, step: string): Promise<void> {
  const now = d.clock.now();
  const count = await addFailure(tx, keys.login, now.toISOString(), forgetBefore(d, now));
  await addFailure(tx, keys.address, now.toISOString(), forgetBefore(d, now));
  await recordFailure(tx, d, account, client, step, count.failures);
}

/** The sign-in is complete: the challenge spent, the login name's count cleared, a session opened and recorded. */
async function finishSignIn(tx: Db, account: LoginAccount, hashOfChallenge: string, at: string, client: Client, factor: 'totp' | 'sms'): Promise<NewSession> {
  await updateChallenge(tx, hashOfChallenge, { spentAt: at, pendingSecret: null });
  await clearFailures(tx, await loginFailureKey(tx, account.login));
  const session = await openSession(tx, account.principalId, at, client);
  await appendPrincipalEvent(tx, { principalId: account.principalId, at, actorId: account.principalId, kind: 'signed-in', details: { sessionId: session.sessionId, sourceIp: client.sourceIp, factor } });
  return session;
}

function newChallengeToken(): string {
  return CHALLENGE_PREFIX + randomBytes(32).toString('base64url');
}

async function enrolmentStep(d: AuthDeps, login: string, challenge: string, expiresAt: string, secret: string): Promise<SignInStep> {
  const uri = otpauthUri(d.settings.issuer, login, base32Decode(secret) as Uint8Array);
  return { next: 'enrol-totp', challenge, expiresAt, otpauthUri: uri, secret, qrSvg: await renderQrSvg(uri) };
}

/**
 * Sends a new one-time code for this challenge by SMS, in the caller's transaction: the outbox row
 * commits with the code's hash, or neither does. The challenge keeps only the hash; the outbox row
 * holds the text (with the code) until it is sent, fails or expires, then its text is blanked.
 */
async function sendCode(tx: Db, d: AuthDeps, hashOfChallenge: string, phone: string, sendsSoFar: number): Promise<void> {
  const now = d.clock.now();
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const expiresAt = new Date(now.getTime() + d.settings.smsCodes.ttlMinutes * 60_000);
  const text = `dancu: ma dang nhap ${code} (hieu luc ${d.settings.smsCodes.ttlMinutes} phut). Khong chia se ma nay. / Sign-in code ${code}.`;
  await enqueueSms(tx, { to: phone, text, key: `sign-in:${hashOfChallenge.slice(0, 40)}:${sendsSoFar + 1}`, kind: 'otp', expiresAt }, d.clock);
  await updateChallenge(tx, hashOfChallenge, { stage: 'sms', code: { hash: sha256(`${hashOfChallenge}:${code}`), expiresAt: expiresAt.toISOString(), sends: sendsSoFar + 1, sentAt: now.toISOString() } });
}

/**
 * The account a login name signs in: the one with that name; else, for a personal ID, the person's
 * e-ID account under another of their numbers (its login is the number it was made with, which a
 * legal re-issue may have cancelled since: the current number and every earlier one sign in to it).
 */
async function accountOfLogin(db: Db, login: string): Promise<LoginAccount | undefined> {
  const named = await findAccountByLogin(db, login);
  if (named) return named;
  const eid = await eidAccountOfPerson(db, login);
  return eid ? findAccount(db, eid.principalId) : undefined;
}

/** Step 1: login name and password. */
export async function startSignIn(d: AuthDeps, input: { login: string; password: string }, client: Client): Promise<SignInStep> {
  const keys = await failureKeys(d.store.db, input.login, client.sourceIp);
  const failures = await claimAttempt(d, keys);
  const account = await accountOfLogin(d.store.db, normalizeLogin(input.login));
  // The same work whether the account exists or not: a hash is always checked.
  const passwordOk = await (d.verifyPassword ?? verifyPassword)(input.password, account?.passwordHash ?? (await dummyHash(d.settings.scryptLogN)));
  const principal = account && passwordOk ? await findPrincipal(d.store.db, account.principalId) : undefined;
  const at = d.clock.now().toISOString();
  if (!account || !passwordOk || !principal || principal.revokedAt) {
    // Counted already (claimAttempt); an existing account's record says so.
    if (account) {
      await d.store.transaction(async (tx) => {
        await lockAccount(tx, account.principalId);
        await recordFailure(tx, d, account, client, 'password', failures);
      });
    }
    throw new RegistryError('SIGN_IN_FAILED');
  }
  // A citizen's e-ID account that is pending activation, lapsed or locked gets the answer of a wrong
  // password, its attempt counted as one (decision 0042): nothing tells it apart.
  const eidRefusal = await eidSignInRefusal(d.store.db, account.principalId, d.clock.now().getTime());
  if (eidRefusal) {
    await d.store.transaction(async (tx) => {
      await lockAccount(tx, account.principalId);
      await appendPrincipalEvent(tx, { principalId: account.principalId, at, actorId: account.principalId, kind: 'sign-in-failed', details: { step: 'password', sourceIp: client.sourceIp, failures, reason: eidRefusal } });
    });
    throw new RegistryError('SIGN_IN_FAILED');
  }
  // The right password: the attempt is not a failure.
  await d.store.transaction(async (tx) => {
    await takeBackFailure(tx, keys.login);
    await takeBackFailure(tx, keys.address);
  });
  if (account.lockedAt) {
    // The password was right: saying the account is locked tells nothing to someone without it.
    await d.store.transaction(async (tx) => {
      await lockAccount(tx, account.principalId);
      await appendPrincipalEvent(tx, { principalId: account.principalId, at, actorId: account.principalId, kind: 'sign-in-failed', details: { step: 'password', sourceIp: client.sourceIp, reason: 'locked' } });
    });
    throw new RegistryError('ACCOUNT_LOCKED');
  }
  const challenge = newChallengeToken();
  const expiresAt = new Date(d.clock.now().getTime() + d.settings.challenges.ttlMinutes * 60_000).toISOString();
  // An enrolled second factor comes first, also before a new password: whoever holds only the
  // one-time password of a reset (the administrator) can change nothing.
  const stage: SignInChallenge['stage'] = account.secondFactor === 'sms' ? 'sms' : account.secondFactor ? 'totp' : account.mustChangePassword ? 'set-password' : 'enrol-totp';
  const pendingSecret = stage === 'enrol-totp' ? base32Encode(randomBytes(20)) : undefined;
  if (stage === 'sms' && account.phone) {
    const phone = account.phone;
    await d.store.transaction(async (tx) => {
      await insertChallenge(tx, sha256(challenge), { principalId: account.principalId, stage, at, expiresAt });
      await sendCode(tx, d, sha256(challenge), phone, 0);
    });
    return { next: 'sms', challenge, expiresAt, sentTo: maskPhoneNumber(phone) };
  }
  await insertChallenge(d.store.db, sha256(challenge), { principalId: account.principalId, stage, at, expiresAt, ...(pendingSecret ? { pendingSecret } : {}) });
  if (pendingSecret) return enrolmentStep(d, account.login, challenge, expiresAt, pendingSecret);
  return { next: stage as 'set-password' | 'totp', challenge, expiresAt };
}

/** The challenge, if it is still open; else 401 (expired, spent or unknown: one answer). */
async function openChallenge(db: Db, d: AuthDeps, challenge: string): Promise<SignInChallenge> {
  const c = challenge.startsWith(CHALLENGE_PREFIX) ? await findChallenge(db, sha256(challenge)) : undefined;
  if (!c || c.spentAt || Date.parse(c.expiresAt) <= d.clock.now().getTime()) throw new RegistryError('SIGN_IN_CHALLENGE_INVALID');
  return c;
}

/**
 * Step 2: the officer's own password, in place of the initial one. With a second factor enrolled,
 * this comes after it (startSignIn, verifySecondFactor) and ends the sign-in with a session.
 */
export async function setOwnPassword(d: AuthDeps, input: { challenge: string; newPassword: string }, client: Client): Promise<SignInStep> {
  const c = await openChallenge(d.store.db, d, input.challenge);
  if (c.stage !== 'set-password') throw new RegistryError('SIGN_IN_STEP_WRONG');
  const before = await findAccount(d.store.db, c.principalId);
  if (!before) throw new RegistryError('SIGN_IN_CHALLENGE_INVALID');
  checkNewPassword(input.newPassword, before.login);
  // The initial password is known to the administrator who gave it: it cannot become one's own.
  if (await verifyPassword(input.newPassword, before.passwordHash)) throw new RegistryError('PASSWORD_UNCHANGED');
  const hash = await hashPassword(input.newPassword, d.settings.scryptLogN);
  const hashOfChallenge = sha256(input.challenge);
  const step = await d.store.transaction(async (tx) => {
    const account = await lockAccount(tx, c.principalId);
    const again = await openChallenge(tx, d, input.challenge);
    // Another sign-in set the password meanwhile: this one starts again.
    if (!account || !account.mustChangePassword || again.stage !== 'set-password' || account.lockedAt) throw new RegistryError('SIGN_IN_CHALLENGE_INVALID');
    const at = d.clock.now().toISOString();
    await updateAccount(tx, c.principalId, { password_hash: hash, password_changed_at: at, must_change_password: 0 });
    await appendPrincipalEvent(tx, { principalId: c.principalId, at, actorId: c.principalId, kind: 'password-changed', details: { by: 'self', atFirstSignIn: true } });
    // A challenge reaches this stage with a factor enrolled only by passing it: startSignIn asks an
    // enrolled account for it first, and a reset (which makes the password change due) spends
    // every open challenge.
    if (account.secondFactor) return { next: 'done' as const, session: await finishSignIn(tx, account, hashOfChallenge, at, client, account.secondFactor) };
    const secret = base32Encode(randomBytes(20));
    await updateChallenge(tx, hashOfChallenge, { stage: 'enrol-totp', pendingSecret: secret });
    return { next: 'enrol-totp' as const, secret, login: account.login };
  });
  if (step.next === 'done') return step;
  return enrolmentStep(d, step.login, input.challenge, c.expiresAt, step.secret);
}

/** Another code by SMS for a sign-in at the SMS step, within the policy's sends and wait. */
export async function resendCode(d: AuthDeps, input: { challenge: string }): Promise<SignInStep> {
  const first = await openChallenge(d.store.db, d, input.challenge);
  if (first.stage !== 'sms') throw new RegistryError('SIGN_IN_STEP_WRONG');
  const hashOfChallenge = sha256(input.challenge);
  const sentTo = await d.store.transaction(async (tx) => {
    const account = await lockAccount(tx, first.principalId);
    const c = await openChallenge(tx, d, input.challenge);
    // A locked account gets nothing, not even a code (checked here, in the transaction that would send it).
    if (!account || account.lockedAt || !account.phone || (await eidSignInRefusal(tx, account.principalId, d.clock.now().getTime()))) throw new RegistryError('SIGN_IN_CHALLENGE_INVALID');
    const wait = resendWait(c.sends, c.lastSentAt, d.clock.now().getTime(), d.settings.smsCodes);
    if (wait === 'exhausted') throw new RegistryError('CODE_RESEND_LIMIT');
    if (wait !== 'now') throw new RegistryError('CODE_RESEND_TOO_SOON', { extra: { retryAfter: wait } });
    await sendCode(tx, d, hashOfChallenge, account.phone, c.sends);
    return maskPhoneNumber(account.phone);
  });
  return { next: 'sms', challenge: input.challenge, expiresAt: first.expiresAt, sentTo };
}

/** Steps 3 and 4: a TOTP code, against the secret being enrolled or the enrolled one; a session when right. */
export async function verifySecondFactor(d: AuthDeps, input: { challenge: string; code: string }, client: Client): Promise<SignInStep> {
  const first = await openChallenge(d.store.db, d, input.challenge);
  if (first.stage !== 'enrol-totp' && first.stage !== 'totp' && first.stage !== 'sms') throw new RegistryError('SIGN_IN_STEP_WRONG');
  const hashOfChallenge = sha256(input.challenge);
  // Refusals are decided inside the transaction but thrown after it commits: the failure count and
  // its record must stay.
  const outcome = await d.store.transaction(async (tx): Promise<{ error: RegistryError } | { session: NewSession } | { setPassword: true }> => {
    const account = await lockAccount(tx, first.principalId);
    const c = await openChallenge(tx, d, input.challenge);
    if (!account || account.lockedAt || (await eidSignInRefusal(tx, account.principalId, d.clock.now().getTime()))) return { error: new RegistryError('SIGN_IN_CHALLENGE_INVALID') };
    const at = d.clock.now().toISOString();
    const keys = await failureKeys(tx, account.login, client.sourceIp);
    const enrolling = c.stage === 'enrol-totp';
    if (enrolling && account.secondFactor) {
      await updateChallenge(tx, hashOfChallenge, { spentAt: at });
      return { error: new RegistryError('SECOND_FACTOR_ALREADY_ENROLLED') };
    }
    const bySms = c.stage === 'sms';
    const secret = base32Decode((enrolling ? c.pendingSecret : account.totpSecret) ?? '');
    const check = bySms
      ? smsCodeCheck(c, hashOfChallenge, input.code, d.clock.now().getTime())
      : secret && (enrolling || account.totpSecret) ? verifyTotp(hmac, secret, input.code, d.clock.now().getTime(), enrolling ? undefined : account.totpLastStep === undefined ? undefined : BigInt(account.totpLastStep)) : ({ ok: false, reason: 'mismatch' } as const);
    if (!check.ok) {
      const attempts = c.attempts + 1;
      await updateChallenge(tx, hashOfChallenge, { attempts, ...(attempts >= d.settings.challenges.maxAttempts ? { spentAt: at } : {}) });
      await countFailure(tx, d, keys, account, client, c.stage);
      return { error: new RegistryError('SECOND_FACTOR_INVALID') };
    }
    if (enrolling) {
      await updateAccount(tx, account.principalId, { second_factor: 'totp', totp_secret: c.pendingSecret ?? null, totp_last_step: Number(check.step) });
      await appendPrincipalEvent(tx, { principalId: account.principalId, at, actorId: account.principalId, kind: 'second-factor-enrolled', details: { factor: 'totp' } });
    } else if (!bySms) {
      await updateAccount(tx, account.principalId, { totp_last_step: Number(check.step) });
    }
    // A password change is due (first sign-in of an SMS account, or after a reset): the factor is
    // passed, the new password comes next and ends the sign-in.
    if (!enrolling && account.mustChangePassword) {
      await updateChallenge(tx, hashOfChallenge, { stage: 'set-password' });
      return { setPassword: true as const };
    }
    return { session: await finishSignIn(tx, account, hashOfChallenge, at, client, bySms ? 'sms' : 'totp') };
  });
  if ('error' in outcome) throw outcome.error;
  if ('setPassword' in outcome) return { next: 'set-password', challenge: input.challenge, expiresAt: first.expiresAt };
  return { next: 'done', session: outcome.session };
}

/** An SMS code is right when it is unexpired and its hash (bound to the challenge) matches. */
function smsCodeCheck(c: SignInChallenge, hashOfChallenge: string, code: string, nowMs: number): { ok: true; step: bigint } | { ok: false; reason: 'mismatch' } {
  const live = c.codeHash !== undefined && c.codeExpiresAt !== undefined && Date.parse(c.codeExpiresAt) > nowMs;
  return live && /^[0-9]{6}$/.test(code) && sameDigits(sha256(`${hashOfChallenge}:${code}`), c.codeHash as string) ? { ok: true, step: 0n } : { ok: false, reason: 'mismatch' };
}
