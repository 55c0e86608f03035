/**
 * Citizens' e-identification accounts (issue 15 item 2; NĐ 69/2024; decision 0042).
 *
 * An e-ID account is a `citizen` principal with a `login_account` row (login: the personal ID; the
 * password, the SMS number for one-time codes, the lock — migration 0020) and an `eid_account` row:
 * its level (1: self-registered; 2: verified at a counter with the card), its state (pending
 * activation within 7 days of the notice, active, lapsed), who verified level 2, the representative
 * account acting for an under-14 or a person under guardianship, the e-mail, and how it was locked
 * (by the citizen or by the authority; the lock itself is `login_account.locked_at`).
 * A person has at most one e-ID account: the unique index on personal_id decides it, on both stores.
 *
 * `eid_challenge` holds the one-time codes of e-ID steps that are not a sign-in (registration,
 * activation, self-unlock, a new phone or e-mail): what was claimed, the code's hash (none when no
 * code was sent: the no-enumeration path), attempts, sends, expiry. `mail_outbox` holds e-mails to
 * send (codes for a new address) until a mail transport exists: an operator or the demo reads them;
 * a code's body is blanked once delivered or expired, as the SMS outbox does.
 */
import { sql, type Kysely } from 'kysely';
import { keyOrdered } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await keyOrdered(
    db,
    db.schema
      .createTable('eid_account')
      .addColumn('principal_id', 'text', (c) => c.primaryKey())
      .addColumn('personal_id', 'text', (c) => c.notNull())
      .addColumn('level', 'integer', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull()) // pending-activation | active | lapsed
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('notice_at', 'text', (c) => c.notNull())
      .addColumn('activation_deadline', 'text', (c) => c.notNull())
      .addColumn('activated_at', 'text')
      .addColumn('level2_at', 'text')
      .addColumn('level2_by', 'text') // the officer principal who verified at the counter
      .addColumn('representative_id', 'text') // principal_id of the representative's e-ID account
      .addColumn('email', 'text')
      .addColumn('lock_kind', 'text'), // self | authority, while login_account.locked_at is set
  ).execute();
  await sql`create unique index eid_account_person on eid_account (personal_id)`.execute(db);
  await sql`create index eid_account_pending on eid_account (state, activation_deadline)`.execute(db);

  await keyOrdered(
    db,
    db.schema
      .createTable('eid_challenge')
      .addColumn('challenge_hash', 'text', (c) => c.primaryKey())
      .addColumn('purpose', 'text', (c) => c.notNull()) // register | activate | unlock | phone | email
      .addColumn('personal_id', 'text', (c) => c.notNull()) // as claimed (register, unlock) or the account's
      .addColumn('principal_id', 'text') // the account, once there is one
      .addColumn('contact', 'text') // the phone (E.164) or e-mail the code went to
      .addColumn('password_hash', 'text') // register: the password chosen, hashed
      .addColumn('code_hash', 'text') // null: no code was sent (nobody to send it to)
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('sends', 'integer', (c) => c.notNull())
      .addColumn('last_sent_at', 'text')
      .addColumn('spent_at', 'text'),
  ).execute();
  await sql`create index eid_challenge_principal on eid_challenge (principal_id, purpose)`.execute(db);

  await keyOrdered(
    db,
    db.schema
      .createTable('mail_outbox')
      .addColumn('message_id', 'text', (c) => c.primaryKey())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull()) // otp
      .addColumn('to_address', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text')
      .addColumn('delivered_at', 'text'),
  ).execute();
  await sql`create unique index mail_outbox_key on mail_outbox (key)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mail_outbox').execute();
  await db.schema.dropTable('eid_challenge').execute();
  await db.schema.dropTable('eid_account').execute();
}
