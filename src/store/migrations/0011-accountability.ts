/**
 * Accountability (issue 13; decision 0027): the one record of every use of a citizen's data and of
 * every refusal (`access_entry`, one row per citizen concerned, keyed by personal ID — or by the
 * caller when no citizen is concerned), the pending leaves of the transparency log written beside
 * every committed row (`tlog_leaf_ref`, keyed like that row), principals' units and the citizen a
 * `citizen` principal is bound to, and principals' own change records (created, revoked).
 *
 * The exchange's old `access_log` / `access_log_subject` rows are carried over into `access_entry`
 * (their fee and call on the first citizen's row); the old tables are dropped. Rows written before
 * this migration have no leaves: the log starts here (the audit verifier says so for older rows).
 */
import { sql, type Kysely } from 'kysely';
import { isSqlite, keyOrdered } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await keyOrdered(
    db,
    db.schema
      .createTable('access_entry')
      // A citizen's personal ID, or the caller's key ("connection:…", "principal:…", "address:…").
      .addColumn('subject_key', 'text', (c) => c.notNull())
      .addColumn('entry_id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('caller_kind', 'text', (c) => c.notNull())
      .addColumn('principal_id', 'text')
      .addColumn('role', 'text')
      .addColumn('unit', 'text')
      .addColumn('agency_code', 'text')
      .addColumn('connection_id', 'text')
      .addColumn('officer_id', 'text')
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text')
      .addColumn('fields', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('error_code', 'text')
      .addColumn('http_status', 'integer', (c) => c.notNull())
      .addColumn('request_id', 'text')
      .addColumn('source_ip', 'text')
      .addColumn('latency_ms', 'double precision', (c) => c.notNull())
      .addColumn('fee_vnd', 'integer', (c) => c.notNull())
      .addColumn('catalogue_year', 'integer')
      .addColumn('test_stage', 'integer', (c) => c.notNull())
      // 1 on the row that stands for the call (the first citizen's, or the caller's): it carries the
      // fee and every citizen the call concerned; the other rows carry 0 and an empty list.
      .addColumn('primary_row', 'integer', (c) => c.notNull())
      .addColumn('subject_count', 'integer', (c) => c.notNull())
      .addColumn('personal_ids', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('access_entry_pk', ['subject_key', 'entry_id']),
  ).execute();
  // Inspectors and statements search by who called, in a period; the entry ID orders within an instant.
  await db.schema.createIndex('access_entry_agency').on('access_entry').columns(['agency_code', 'at', 'entry_id']).execute();
  await db.schema.createIndex('access_entry_connection').on('access_entry').columns(['connection_id', 'at', 'entry_id']).execute();
  await db.schema.createIndex('access_entry_principal').on('access_entry').columns(['principal_id', 'at', 'entry_id']).execute();
  await db.schema.createIndex('access_entry_at').on('access_entry').columns(['at', 'entry_id']).execute();

  await keyOrdered(
    db,
    db.schema
      .createTable('tlog_leaf_ref')
      // Keyed like the row it commits to: (the row's key, its table, the rest of its key as text).
      .addColumn('subject_key', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('ref', 'text', (c) => c.notNull())
      // Time-ordered and unique: the sequencer integrates pending leaves in this order.
      .addColumn('leaf_id', 'text', (c) => c.notNull())
      .addColumn('salt', 'text', (c) => c.notNull())
      .addColumn('digest', 'text', (c) => c.notNull())
      // The leaf's index in the tree once integrated; null while pending.
      .addColumn('idx', 'bigint')
      .addPrimaryKeyConstraint('tlog_leaf_ref_pk', ['subject_key', 'kind', 'ref']),
  ).execute();
  await sql`create index tlog_leaf_pending on tlog_leaf_ref (leaf_id) where idx is null`.execute(db);
  await sql`create unique index tlog_leaf_index on tlog_leaf_ref (idx) where idx is not null`.execute(db);

  await db.schema.alterTable('principal').addColumn('unit', 'text').execute();
  await db.schema.alterTable('principal').addColumn('personal_id', 'text').execute();
  await db.schema.createIndex('principal_citizen').on('principal').columns(['personal_id']).execute();
  await keyOrdered(
    db,
    db.schema
      .createTable('principal_event')
      .addColumn('principal_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('details', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('principal_event_pk', ['principal_id', 'seq']),
  ).execute();

  // Carry the exchange's log over: one row per citizen (the first carries the call), or the caller's.
  // A call without a connection was never authenticated: the people it named were only claimed, so
  // it is carried over by its address alone (the old log wrote it under each of them).
  const subjectsOf = isSqlite(db)
    ? sql`select s.personal_id as subject_key, s.log_id, (select min(t.personal_id) from access_log_subject t where t.log_id = s.log_id) as first_id from access_log_subject s`
    : sql`select s.personal_id as subject_key, s.log_id, min(s.personal_id) over (partition by s.log_id) as first_id from access_log_subject s`;
  await sql`
    insert into access_entry (subject_key, entry_id, at, caller_kind, principal_id, role, unit, agency_code, connection_id, officer_id,
      channel, action, purpose, fields, outcome, error_code, http_status, request_id, source_ip, latency_ms, fee_vnd, catalogue_year,
      test_stage, primary_row, subject_count, personal_ids)
    select coalesce(x.subject_key, case when l.connection_id is not null then 'connection:' || l.connection_id else 'address:' || coalesce(l.source_ip, '-') end),
      l.log_id, l.at, case when l.connection_id is not null then 'connection' else 'anonymous' end, null, null, null, l.agency_code, l.connection_id, l.officer_id,
      'exchange', l.service, l.purpose, l.fields, l.outcome, l.error_code, l.http_status, l.request_id, l.source_ip, l.latency_ms,
      case when x.subject_key is null or x.subject_key = x.first_id then l.fee_vnd else 0 end, l.catalogue_year, l.test_stage,
      case when x.subject_key is null or x.subject_key = x.first_id then 1 else 0 end,
      case when l.connection_id is null then 0 else (select count(*) from access_log_subject c where c.log_id = l.log_id) end,
      case when l.connection_id is null then '[]' when x.subject_key is null or x.subject_key = x.first_id then l.personal_ids else '[]' end
    from access_log l left join (${subjectsOf}) x on x.log_id = l.log_id and l.connection_id is not null
  `.execute(db);
  await db.schema.dropTable('access_log_subject').execute();
  await db.schema.dropTable('access_log').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(_db: Kysely<any>): Promise<void> {
  throw new Error('0011-accountability cannot be undone: the old access log tables are gone');
}
