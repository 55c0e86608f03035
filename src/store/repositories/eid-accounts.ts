/**
 * Citizens' e-ID accounts (migration 0022; decision 0042): the level and state beside the
 * `login_account` that signs in. `find*` may return nothing.
 */
import type { Db } from '../schema.js';
import type { EidAccountTable } from '../schema-auth.js';

export type EidLevel = 1 | 2;
export type EidState = 'pending-activation' | 'active' | 'lapsed';

export interface EidAccount {
  principalId: string;
  personalId: string;
  level: EidLevel;
  state: EidState;
  createdAt: string;
  noticeAt: string;
  activationDeadline: string;
  activatedAt?: string;
  level2At?: string;
  level2By?: string;
  representativeId?: string;
  email?: string;
  lockKind?: 'self' | 'authority';
}

export function toEidAccount(r: EidAccountTable): EidAccount {
  return {
    principalId: r.principal_id,
    personalId: r.personal_id,
    level: Number(r.level) === 2 ? 2 : 1,
    state: r.state as EidState,
    createdAt: r.created_at,
    noticeAt: r.notice_at,
    activationDeadline: r.activation_deadline,
    ...(r.activated_at ? { activatedAt: r.activated_at } : {}),
    ...(r.level2_at ? { level2At: r.level2_at } : {}),
    ...(r.level2_by ? { level2By: r.level2_by } : {}),
    ...(r.representative_id ? { representativeId: r.representative_id } : {}),
    ...(r.email ? { email: r.email } : {}),
    ...(r.lock_kind === 'self' || r.lock_kind === 'authority' ? { lockKind: r.lock_kind } : {}),
  };
}

export async function findEidAccount(db: Db, principalId: string): Promise<EidAccount | undefined> {
  const r = await db.selectFrom('eid_account').selectAll().where('principal_id', '=', principalId).executeTakeFirst();
  return r ? toEidAccount(r) : undefined;
}

export async function findEidAccountOfPerson(db: Db, personalId: string): Promise<EidAccount | undefined> {
  const r = await db.selectFrom('eid_account').selectAll().where('personal_id', '=', personalId).executeTakeFirst();
  return r ? toEidAccount(r) : undefined;
}
