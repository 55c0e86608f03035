/**
 * Accounts that sign in, managed by administrators (decision 0038): create (a one-time initial
 * password, shown once; the officer sets their own and enrols TOTP at first sign-in), list, reset
 * the password (sessions end; the second factor stays unless the reset says so, so an administrator
 * who knows the initial password still cannot sign in as the officer), lock and unlock. Each change
 * writes the principal's event in its transaction.
 */
import { randomUUID } from 'node:crypto';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { isUniqueRaceLost } from '../../store/failures.js';
import {
  clearFailures,
  findAccountByLogin,
  insertLoginAccount,
  listAccounts,
  lockAccount,
  revokeSessions,
  spendChallenges,
  updateAccount,
  type LoginAccount,
} from '../../store/repositories/login-accounts.js';
import { insertPrincipal, type Principal } from '../../store/repositories/principals.js';
import { findAgency } from '../../store/repositories/agencies.js';
import { appendPrincipalEvent } from '../../store/repositories/principal-events.js';
import type { Role } from '../context.js';
import { maskPhoneNumber, normalizePhoneNumber } from '../../domain/telecom/phone-number.js';
import { hashPassword, newInitialPassword } from './passwords.js';
import { loginFailureKey, normalizeLogin, type AuthDeps } from './sign-in.js';

// 'agency': an agency's administrator; the account's unit is the agency's code (decision 0046).
export const ACCOUNT_ROLES: readonly Role[] = ['officer', 'admin', 'inspector', 'agency'];
const LOGIN = /^[a-z0-9][a-z0-9._-]{2,63}$/;

export interface AccountView {
  principalId: string;
  login: string;
  name: string;
  role: string;
  unit?: string;
  mustChangePassword: boolean;
  secondFactor?: 'totp' | 'sms';
  /** Masked (+84•••••1234): the number codes go to. */
  phone?: string;
  lockedAt?: string;
  lockReason?: string;
  revokedAt?: string;
  createdAt: string;
}

function viewOf(a: LoginAccount & { name: string; role: string; unit?: string; revokedAt?: string }): AccountView {
  return {
    principalId: a.principalId,
    login: a.login,
    name: a.name,
    role: a.role,
    ...(a.unit ? { unit: a.unit } : {}),
    mustChangePassword: a.mustChangePassword,
    ...(a.secondFactor ? { secondFactor: a.secondFactor } : {}),
    ...(a.phone ? { phone: maskPhoneNumber(a.phone) } : {}),
    ...(a.lockedAt ? { lockedAt: a.lockedAt } : {}),
    ...(a.lockReason ? { lockReason: a.lockReason } : {}),
    ...(a.revokedAt ? { revokedAt: a.revokedAt } : {}),
    createdAt: a.createdAt,
  };
}

export async function createAccount(
  d: AuthDeps,
  input: { name: string; role: string; login: string; unit?: string | undefined; smsPhone?: string | undefined },
  actorId: string,
): Promise<{ account: AccountView; initialPassword: string }> {
  if (!(ACCOUNT_ROLES as readonly string[]).includes(input.role)) throw new RegistryError('ACCOUNT_ROLE_INVALID');
  const login = normalizeLogin(input.login);
  if (!LOGIN.test(login)) throw new RegistryError('LOGIN_INVALID');
  const smsPhone = input.smsPhone === undefined ? undefined : normalizePhoneNumber(input.smsPhone);
  if (input.smsPhone !== undefined && !smsPhone) throw new RegistryError('PHONE_NUMBER_INVALID');
  const initialPassword = newInitialPassword();
  const passwordHash = await hashPassword(initialPassword, d.settings.scryptLogN);
  const at = d.clock.now().toISOString();
  const principal: Principal = { id: randomUUID(), name: input.name, role: input.role, createdAt: at, ...(input.unit ? { unit: input.unit } : {}) };
  try {
    await d.store.transaction(async (tx) => {
      if (await findAccountByLogin(tx, login)) throw new RegistryError('LOGIN_IN_USE');
      if (input.role === 'agency' && !(input.unit && (await findAgency(tx, input.unit)))) throw new RegistryError('ACCOUNT_AGENCY_REQUIRED');
      await insertPrincipal(tx, principal, actorId);
      await insertLoginAccount(tx, { principalId: principal.id, login, passwordHash, at, smsPhone });
      // The number is the officer's: the record says only that codes go by SMS.
      await appendPrincipalEvent(tx, { principalId: principal.id, at, actorId, kind: 'account-created', details: { login, secondFactor: smsPhone ? 'sms' : 'totp' } });
    });
  } catch (e) {
    // Two creations of one login name at once: the unique index refuses the second (409 either way).
    if (isUniqueRaceLost(e)) throw new RegistryError('LOGIN_IN_USE');
    throw e;
  }
  return {
    account: { principalId: principal.id, login, name: principal.name, role: principal.role, ...(principal.unit ? { unit: principal.unit } : {}), mustChangePassword: true, ...(smsPhone ? { secondFactor: 'sms' as const, phone: maskPhoneNumber(smsPhone) } : {}), createdAt: at },
    initialPassword,
  };
}

export async function getAccounts(d: Pick<AuthDeps, 'store'>): Promise<AccountView[]> {
  return (await listAccounts(d.store.db)).map(viewOf);
}

/** The account, locked for the rest of the transaction; 404 when there is none. */
async function accountFor(tx: Parameters<typeof lockAccount>[0], principalId: string): Promise<LoginAccount> {
  const a = await lockAccount(tx, principalId);
  if (!a) throw new RegistryError('ACCOUNT_NOT_FOUND');
  return a;
}

/** A new one-time password (shown once); the officer must set their own at next sign-in. */
export async function resetPassword(d: AuthDeps, principalId: string, opts: { resetSecondFactor?: boolean }, actorId: string): Promise<{ initialPassword: string }> {
  const initialPassword = newInitialPassword();
  const passwordHash = await hashPassword(initialPassword, d.settings.scryptLogN);
  const at = d.clock.now().toISOString();
  await d.store.transaction(async (tx) => {
    const a = await accountFor(tx, principalId);
    await updateAccount(tx, principalId, {
      password_hash: passwordHash,
      password_changed_at: at,
      must_change_password: 1,
      // An SMS account keeps its number: its second factor is the administrator's to change, not the officer's to enrol.
      ...(opts.resetSecondFactor && a.secondFactor !== 'sms' ? { second_factor: null, totp_secret: null, totp_last_step: null } : {}),
    });
    await spendChallenges(tx, principalId, at);
    const ended = await revokeSessions(tx, principalId, at, actorId);
    await appendPrincipalEvent(tx, { principalId, at, actorId, kind: 'password-reset', details: { sessionsEnded: ended.length } });
    if (opts.resetSecondFactor && a.secondFactor !== 'sms') await appendPrincipalEvent(tx, { principalId, at, actorId, kind: 'second-factor-reset', details: {} });
  });
  return { initialPassword };
}

/** Locks an account: no sign-in, its sessions and tokens refused from the next request on. */
export async function lockLoginAccount(d: AuthDeps, principalId: string, reason: string, actorId: string): Promise<void> {
  const at = d.clock.now().toISOString();
  await d.store.transaction(async (tx) => {
    const a = await accountFor(tx, principalId);
    if (a.lockedAt) throw new RegistryError('ACCOUNT_ALREADY_LOCKED');
    await updateAccount(tx, principalId, { locked_at: at, lock_reason: reason });
    await spendChallenges(tx, principalId, at);
    const ended = await revokeSessions(tx, principalId, at, actorId);
    await appendPrincipalEvent(tx, { principalId, at, actorId, kind: 'locked', details: { reason, sessionsEnded: ended.length } });
  });
}

export async function unlockLoginAccount(d: AuthDeps, principalId: string, actorId: string): Promise<void> {
  const at = d.clock.now().toISOString();
  await d.store.transaction(async (tx) => {
    const a = await accountFor(tx, principalId);
    if (!a.lockedAt) throw new RegistryError('ACCOUNT_NOT_LOCKED');
    await updateAccount(tx, principalId, { locked_at: null, lock_reason: null });
    // The growing delay of its login name starts again.
    await clearFailures(tx, await loginFailureKey(tx, a.login));
    await appendPrincipalEvent(tx, { principalId, at, actorId, kind: 'unlocked', details: {} });
  });
}
