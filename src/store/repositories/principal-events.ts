/**
 * Principals' own change records: `created` and `revoked`, and those of signing in (PrincipalEventKind), each with who did it (an admin principal,
 * or the system / CLI). Written by the principal repository in the transaction of the change, each
 * with its leaf of the transparency log, so nobody can add or remove a principal without trace.
 */
import type { Db, PrincipalEventTable } from '../schema.js';
import { commitRows } from './transparency-leaves.js';

export type PrincipalEventKind =
  | 'created'
  | 'revoked'
  // Signing in (decision 0038): the account and its credentials, each sign-in and failure, sessions and tokens.
  | 'account-created'
  | 'password-reset'
  | 'password-changed'
  | 'second-factor-enrolled'
  | 'second-factor-reset'
  | 'locked'
  | 'unlocked'
  | 'signed-in'
  | 'sign-in-failed'
  | 'sign-in-delayed'
  | 'signed-out'
  | 'session-revoked'
  | 'token-created'
  | 'token-revoked'
  // Citizens' e-ID accounts (decision 0042): issue, level 2, notice, activation, lapse, contacts.
  // Their locks are `locked` / `unlocked` with the kind (self, authority) and the channel.
  | 'eid-issued'
  | 'eid-level-raised'
  | 'eid-notice-sent'
  | 'eid-activated'
  | 'eid-lapsed'
  | 'eid-phone-changed'
  | 'eid-email-changed'
  // The OpenID Connect provider (decision 0043): a relying party's registration and changes (under
  // `oidc-client:<clientId>`), what a citizen allowed one (given) and its revocation (by the citizen,
  // or by the provider when a code or token was used twice).
  | 'oidc-client-registered'
  | 'oidc-client-changed'
  | 'oidc-grant-given'
  | 'oidc-grant-revoked'
  // An exchange agency's directory entry changed (under `agency:<code>`; decision 0046): the fields named.
  | 'agency-changed';

export interface PrincipalEvent {
  principalId: string;
  seq: number;
  at: string;
  actorId: string;
  kind: PrincipalEventKind;
  details: Record<string, unknown>;
}

/** Appends the principal's next event (seq = highest + 1, one key) and its leaf. */
export async function appendPrincipalEvent(
  db: Db,
  e: { principalId: string; at: string; actorId: string; kind: PrincipalEventKind; details: Record<string, unknown> },
): Promise<void> {
  const top = await db
    .selectFrom('principal_event')
    .select((eb) => eb.fn.max<number>('seq').as('top'))
    .where('principal_id', '=', e.principalId)
    .executeTakeFirst();
  const row: PrincipalEventTable = {
    principal_id: e.principalId,
    seq: Number(top?.top ?? 0) + 1,
    at: e.at,
    actor_id: e.actorId,
    kind: e.kind,
    details: JSON.stringify(e.details),
  };
  await db.insertInto('principal_event').values(row).execute();
  await commitRows(db, 'principal_event', [row], e.at);
}

export async function listPrincipalEvents(db: Db, principalId: string): Promise<PrincipalEvent[]> {
  const rows = await db.selectFrom('principal_event').selectAll().where('principal_id', '=', principalId).orderBy('seq').execute();
  return rows.map((r) => ({
    principalId: r.principal_id,
    seq: Number(r.seq),
    at: r.at,
    actorId: r.actor_id,
    kind: r.kind as PrincipalEventKind,
    details: JSON.parse(r.details) as Record<string, unknown>,
  }));
}
