/**
 * Officer accounts that sign in (issue 15 item 1; decision 0038), and bearer tokens that expire.
 *
 * - `login_account` (principal_id): a principal that signs in — its login name (unique), password
 *   hash (scrypt, parameters in the hash), whether it must set its own password, its second factor
 *   (TOTP secret and the last step used, so a code is never accepted twice; or a mobile number for
 *   one-time codes by SMS), and an administrator's lock. Keyed by principal, so citizens' e-ID accounts can reuse it later.
 * - `sign_in_challenge` (challenge_hash): the state between the password and the second factor —
 *   its stage, expiry, attempts and, while enrolling, the secret being enrolled; for an SMS code, the
 *   code's hash, its expiry and how many were sent when.
 * - `auth_session` (session_hash): a signed-in session, looked up by the hash of its cookie; its
 *   public ID names it in lists and revocations.
 * - `sign_in_failure` (failure_key): failed attempts per claimed login name (hashed) and per source
 *   address, for the growing delay. Keyed by what was claimed, not by account, so the delay looks
 *   the same whether the account exists or not.
 * - `principal_token` gains a public ID (the first 16 hex digits of its hash), a label and an expiry:
 *   tokens made before this migration expire 90 days (the default DANCU_TOKEN_DEFAULT_DAYS) after
 *   the migration runs.
 */
import { sql, type Kysely } from 'kysely';
import { keyOrdered } from '../dialect.js';

/** The default token lifetime when this migration was written (DANCU_TOKEN_DEFAULT_DAYS). */
const LEGACY_TOKEN_DAYS = 90;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await keyOrdered(
    db,
    db.schema
      .createTable('login_account')
      .addColumn('principal_id', 'text', (c) => c.primaryKey())
      .addColumn('login', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('password_changed_at', 'text', (c) => c.notNull())
      .addColumn('must_change_password', 'integer', (c) => c.notNull())
      .addColumn('second_factor', 'text')
      .addColumn('totp_secret', 'text')
      .addColumn('totp_last_step', 'integer')
      .addColumn('phone', 'text')
      .addColumn('locked_at', 'text')
      .addColumn('lock_reason', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull()),
  ).execute();
  await sql`create unique index login_account_login on login_account (login)`.execute(db);

  await keyOrdered(
    db,
    db.schema
      .createTable('sign_in_challenge')
      .addColumn('challenge_hash', 'text', (c) => c.primaryKey())
      .addColumn('principal_id', 'text', (c) => c.notNull())
      .addColumn('stage', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('pending_secret', 'text')
      .addColumn('code_hash', 'text')
      .addColumn('code_expires_at', 'text')
      .addColumn('sends', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_sent_at', 'text')
      .addColumn('spent_at', 'text'),
  ).execute();
  await sql`create index sign_in_challenge_principal on sign_in_challenge (principal_id)`.execute(db);

  await keyOrdered(
    db,
    db.schema
      .createTable('auth_session')
      .addColumn('session_hash', 'text', (c) => c.primaryKey())
      .addColumn('session_id', 'text', (c) => c.notNull())
      .addColumn('principal_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .addColumn('revoked_by', 'text')
      .addColumn('source_ip', 'text')
      .addColumn('user_agent', 'text'),
  ).execute();
  await sql`create unique index auth_session_id on auth_session (session_id)`.execute(db);
  await sql`create index auth_session_principal on auth_session (principal_id, created_at)`.execute(db);

  await keyOrdered(
    db,
    db.schema
      .createTable('sign_in_failure')
      .addColumn('failure_key', 'text', (c) => c.primaryKey())
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('last_failure_at', 'text', (c) => c.notNull()),
  ).execute();

  await db.schema.alterTable('principal_token').addColumn('token_id', 'text').execute();
  await db.schema.alterTable('principal_token').addColumn('label', 'text').execute();
  await db.schema.alterTable('principal_token').addColumn('expires_at', 'text').execute();
  const expires = new Date(Date.now() + LEGACY_TOKEN_DAYS * 86_400_000).toISOString();
  await sql`update principal_token set token_id = substr(token_hash, 1, 16), expires_at = ${expires}`.execute(db);
  await sql`create unique index principal_token_id on principal_token (token_id)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index principal_token_id`.execute(db);
  await db.schema.alterTable('principal_token').dropColumn('expires_at').execute();
  await db.schema.alterTable('principal_token').dropColumn('label').execute();
  await db.schema.alterTable('principal_token').dropColumn('token_id').execute();
  await db.schema.dropTable('sign_in_failure').execute();
  await db.schema.dropTable('auth_session').execute();
  await db.schema.dropTable('sign_in_challenge').execute();
  await db.schema.dropTable('login_account').execute();
}
