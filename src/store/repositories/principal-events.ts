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

/**
 * Appends the principal's next event (seq = highest + 1, one key) and its leaf.
 *
 * Writers of one principal hold no common lock (a failed sign-in locks the login account, a new
 * token the principal, a token's revocation neither; agencies and relying parties have no principal
 * row), so two may read the same highest seq. The insert therefore does nothing on a seq already
 * taken and the highest is read again: on PostgreSQL (read committed) an insert meeting a seq that
 * another open transaction wrote waits for it to end, and the next statement sees what it committed.
 * Seqs stay 1..n without gaps, no statement is added when nobody competes, and the leaf is written
 * for the row this call inserted. SQLite's writers are serialised: its insert never meets one.
 */
export async function appendPrincipalEvent(
  db: Db,
  e: { principalId: string; at: string; actorId: string; kind: PrincipalEventKind; details: Record<string, unknown> },
): Promise<void> {
  const details = JSON.stringify(e.details);
  for (let taken = 0; ; ) {
    const top = await db
      .selectFrom('principal_event')
      .select((eb) => eb.fn.max<number>('seq').as('top'))
      .where('principal_id', '=', e.principalId)
      .executeTakeFirst();
    // Past the seq just found taken, even were the re-read not to see it yet: the loop always moves on.
    const row: PrincipalEventTable = { principal_id: e.principalId, seq: Math.max(Number(top?.top ?? 0), taken) + 1, at: e.at, actor_id: e.actorId, kind: e.kind, details };
    const r = await db
      .insertInto('principal_event')
      .values(row)
      .onConflict((oc) => oc.columns(['principal_id', 'seq']).doNothing())
      .executeTakeFirst();
    if (Number(r.numInsertedOrUpdatedRows ?? 0) === 1) {
      await commitRows(db, 'principal_event', [row], e.at);
      return;
    }
    taken = row.seq;
  }
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
