/**
 * Data exchange: agencies (with their focal points), connections of their systems with every
 * transition and security assessment, the yearly service catalogue, access tokens and used
 * assertion IDs, the access log (with a per-citizen index colocated with the citizen: the later
 * citizen-facing view and hash chain extend it, not replace it), usage counters for quotas and the
 * anomaly rule, and the outbox of notifications.
 */
import type { Kysely } from 'kysely';
import { keyOrdered } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('agency')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('state_budget_funded', 'integer', (c) => c.notNull())
    .addColumn('data_offer', 'text')
    .addColumn('focal_points', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('exchange_connection')
    .addColumn('connection_id', 'text', (c) => c.primaryKey())
    .addColumn('agency_code', 'text', (c) => c.notNull())
    .addColumn('system_name', 'text', (c) => c.notNull())
    .addColumn('via_platform', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('requested', 'text', (c) => c.notNull())
    .addColumn('jwks', 'text', (c) => c.notNull())
    .addColumn('policy', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('exchange_connection_agency').on('exchange_connection').columns(['agency_code', 'connection_id']).execute();

  await keyOrdered(
    db,
    db.schema
      .createTable('connection_event')
      .addColumn('connection_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('from_state', 'text')
      .addColumn('to_state', 'text')
      .addColumn('reason', 'text')
      .addColumn('details', 'text')
      .addPrimaryKeyConstraint('connection_event_pk', ['connection_id', 'seq']),
  ).execute();

  await db.schema
    .createTable('catalogue_version')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('services', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await keyOrdered(
    db,
    db.schema
      .createTable('exchange_token')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('connection_id', 'text', (c) => c.notNull())
      .addColumn('issued_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull()),
  ).execute();
  await db.schema.createIndex('exchange_token_connection').on('exchange_token').columns(['connection_id']).execute();

  await keyOrdered(
    db,
    db.schema
      .createTable('assertion_jti')
      .addColumn('connection_id', 'text', (c) => c.notNull())
      .addColumn('jti', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('assertion_jti_pk', ['connection_id', 'jti']),
  ).execute();

  await keyOrdered(
    db,
    db.schema
      .createTable('access_log')
      .addColumn('log_id', 'text', (c) => c.primaryKey())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('agency_code', 'text')
      .addColumn('connection_id', 'text')
      .addColumn('service', 'text', (c) => c.notNull())
      .addColumn('request_id', 'text')
      .addColumn('purpose', 'text')
      .addColumn('officer_id', 'text')
      .addColumn('personal_ids', 'text', (c) => c.notNull())
      .addColumn('fields', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('error_code', 'text')
      .addColumn('http_status', 'integer', (c) => c.notNull())
      .addColumn('latency_ms', 'real', (c) => c.notNull())
      .addColumn('fee_vnd', 'integer', (c) => c.notNull())
      .addColumn('catalogue_year', 'integer')
      .addColumn('source_ip', 'text')
      .addColumn('entry_hash', 'text', (c) => c.notNull()),
  ).execute();
  await db.schema.createIndex('access_log_agency_at').on('access_log').columns(['agency_code', 'at']).execute();
  await db.schema.createIndex('access_log_service_at').on('access_log').columns(['service', 'at']).execute();
  await db.schema.createIndex('access_log_at').on('access_log').columns(['at']).execute();

  await keyOrdered(
    db,
    db.schema
      .createTable('access_log_subject')
      .addColumn('personal_id', 'text', (c) => c.notNull())
      .addColumn('log_id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('access_log_subject_pk', ['personal_id', 'log_id']),
  ).execute();

  await keyOrdered(
    db,
    db.schema
      .createTable('connection_usage')
      .addColumn('connection_id', 'text', (c) => c.notNull())
      .addColumn('period', 'text', (c) => c.notNull())
      .addColumn('calls', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('connection_usage_pk', ['connection_id', 'period']),
  ).execute();

  await keyOrdered(
    db,
    db.schema
      .createTable('outbox')
      .addColumn('message_id', 'text', (c) => c.primaryKey())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('recipient', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('related', 'text'),
  ).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['outbox', 'connection_usage', 'access_log_subject', 'access_log', 'assertion_jti', 'exchange_token', 'catalogue_version', 'connection_event', 'exchange_connection', 'agency']) {
    await db.schema.dropTable(t).execute();
  }
}
