/**
 * The OpenID Connect provider (issue 15 item 3; decision 0043).
 *
 * - `oidc_model` (kind, id): what oidc-provider stores — sessions, interactions, authorization
 *   codes, access and refresh tokens, grants, pushed requests — as its JSON payload, with the
 *   columns it looks things up by (grant_id, uid, user_code), when it expires (swept), when it was
 *   consumed (a code used twice revokes its grant), and whose and which relying party's it is (so a
 *   citizen's grants can be listed and revoked).
 * - `oidc_client` (client_id): relying parties registered by the ministry's administrators: their
 *   public keys (private_key_jwt), redirect URIs, the claims they may ask for (each required or
 *   optional), the highest level they may ask for, pairwise subjects, and whether they are active.
 */
import { sql, type Kysely } from 'kysely';
import { keyOrdered } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await keyOrdered(
    db,
    db.schema
      .createTable('oidc_model')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('grant_id', 'text')
      .addColumn('uid', 'text')
      .addColumn('user_code', 'text')
      .addColumn('account_id', 'text')
      .addColumn('client_id', 'text')
      .addColumn('expires_at', 'text')
      .addColumn('consumed_at', 'text')
      .addPrimaryKeyConstraint('oidc_model_pk', ['kind', 'id']),
  ).execute();
  await sql`create index oidc_model_grant on oidc_model (grant_id)`.execute(db);
  await sql`create index oidc_model_uid on oidc_model (uid)`.execute(db);
  await sql`create index oidc_model_user_code on oidc_model (user_code)`.execute(db);
  await sql`create index oidc_model_expiry on oidc_model (expires_at)`.execute(db);
  await sql`create index oidc_model_account on oidc_model (account_id, kind)`.execute(db);

  await keyOrdered(
    db,
    db.schema
      .createTable('oidc_client')
      .addColumn('client_id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('jwks', 'text', (c) => c.notNull())
      .addColumn('redirect_uris', 'text', (c) => c.notNull())
      .addColumn('post_logout_redirect_uris', 'text', (c) => c.notNull())
      .addColumn('claims', 'text', (c) => c.notNull()) // [{claim, required}]
      .addColumn('max_level', 'integer', (c) => c.notNull())
      .addColumn('subject_type', 'text', (c) => c.notNull()) // pairwise | public
      .addColumn('require_par', 'integer', (c) => c.notNull())
      .addColumn('refresh_tokens', 'integer', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull()) // active | suspended
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull()),
  ).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('oidc_client').execute();
  await db.schema.dropTable('oidc_model').execute();
}
