/**
 * The access log: one row per request to an exchange service, served or refused, appended before
 * the response leaves; a row per citizen concerned (keyed by personal_id, for inspectors now and
 * for the citizen's own view later); and the connection's usage counters (per local day and hour),
 * incremented in the same call so quotas and the anomaly rule read what the log says.
 */
import { sql } from 'kysely';
import type { AccessLogTable, Db } from '../schema.js';
import { isSqlite } from '../dialect.js';
import { preparedWrite } from '../fast-read.js';

export interface AccessLogEntry {
  logId: string;
  at: string;
  agencyCode?: string;
  connectionId?: string;
  service: string;
  requestId?: string;
  purpose?: string;
  officerId?: string;
  personalIds: string[];
  fields: string[];
  outcome: 'served' | 'refused';
  errorCode?: string;
  httpStatus: number;
  latencyMs: number;
  feeVnd: number;
  catalogueYear?: number;
  sourceIp?: string;
  /** Present (true) only for calls in the connection's test stage: older entries hash as before. */
  testStage?: true;
  entryHash: string;
}

/** Usage periods a served call counts in: its local day (quota), hour (anomaly rule) and minute (rate). */
export interface UsagePeriods {
  day: string;
  hour: string;
  minute: string;
}

const toRow = (e: AccessLogEntry): AccessLogTable => ({
  log_id: e.logId,
  at: e.at,
  agency_code: e.agencyCode ?? null,
  connection_id: e.connectionId ?? null,
  service: e.service,
  request_id: e.requestId ?? null,
  purpose: e.purpose ?? null,
  officer_id: e.officerId ?? null,
  personal_ids: JSON.stringify(e.personalIds),
  fields: JSON.stringify(e.fields),
  outcome: e.outcome,
  error_code: e.errorCode ?? null,
  http_status: e.httpStatus,
  latency_ms: e.latencyMs,
  fee_vnd: e.feeVnd,
  catalogue_year: e.catalogueYear ?? null,
  source_ip: e.sourceIp ?? null,
  test_stage: e.testStage ? 1 : 0,
  entry_hash: e.entryHash,
});

const LOG_COLUMNS = [
  'log_id', 'at', 'agency_code', 'connection_id', 'service', 'request_id', 'purpose', 'officer_id', 'personal_ids', 'fields', 'outcome',
  'error_code', 'http_status', 'latency_ms', 'fee_vnd', 'catalogue_year', 'source_ip', 'test_stage', 'entry_hash',
] as const satisfies readonly (keyof AccessLogTable)[];

// Row by row with statements compiled once per transaction (SQLite runs in-process; a multi-row
// insert of varying size would compile and prepare anew for every batch size).
const insertLogRow = preparedWrite(LOG_COLUMNS.length, (db, ...values: unknown[]) =>
  db.insertInto('access_log').values(Object.fromEntries(LOG_COLUMNS.map((c, i) => [c, values[i]])) as unknown as AccessLogTable),
);
const insertSubjectRow = preparedWrite(3, (db, personalId: string, logId: string, at: string) => db.insertInto('access_log_subject').values({ personal_id: personalId, log_id: logId, at }));
const addUsage = preparedWrite(3, (db, connectionId: string, period: string, calls: number) =>
  db
    .insertInto('connection_usage')
    .values({ connection_id: connectionId, period, calls })
    .onConflict((oc) => oc.columns(['connection_id', 'period']).doUpdateSet({ calls: sql<number>`connection_usage.calls + excluded.calls` })),
);

/** Appends entries (one transaction is the caller's), their citizen index rows and usage counts. */
export async function appendAccessLog(db: Db, entries: readonly (AccessLogEntry & { periods?: UsagePeriods })[]): Promise<void> {
  if (entries.length === 0) return;
  const subjects = entries.flatMap((e) => [...new Set(e.personalIds)].map((p) => ({ personal_id: p, log_id: e.logId, at: e.at })));
  if (isSqlite(db)) {
    for (const e of entries) {
      const row = toRow(e);
      await insertLogRow.run(db, ...LOG_COLUMNS.map((c) => row[c]));
    }
    for (const s of subjects) await insertSubjectRow.run(db, s.personal_id, s.log_id, s.at);
  } else {
    await db.insertInto('access_log').values(entries.map(toRow)).execute();
    for (let i = 0; i < subjects.length; i += 500) await db.insertInto('access_log_subject').values(subjects.slice(i, i + 500)).execute();
  }
  const counts = new Map<string, { connection_id: string; period: string; calls: number }>();
  for (const e of entries) {
    if (!e.connectionId || !e.periods) continue;
    for (const period of [e.periods.day, e.periods.hour, e.periods.minute]) {
      const key = `${e.connectionId}|${period}`;
      const c = counts.get(key) ?? { connection_id: e.connectionId, period, calls: 0 };
      c.calls += 1;
      counts.set(key, c);
    }
  }
  // In key order: two server processes updating the same counters lock them in the same order
  // (on PostgreSQL another order could deadlock two log transactions).
  const ordered = [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [, c] of ordered) await addUsage.run(db, c.connection_id, c.period, c.calls);
}

/** Per-minute counters are read for the current and the previous minute only; older ones go. */
export async function purgeMinuteUsage(db: Db, beforeMinute: string): Promise<void> {
  // Minute periods are the only ones 16 characters long (YYYY-MM-DDTHH:MM).
  await db.deleteFrom('connection_usage').where('period', '<', beforeMinute).where(sql<number>`length(period)`, '=', 16).execute();
}

export async function usageOf(db: Db, connectionId: string, periods: readonly string[]): Promise<Map<string, number>> {
  if (periods.length === 0) return new Map();
  const rows = await db.selectFrom('connection_usage').select(['period', 'calls']).where('connection_id', '=', connectionId).where('period', 'in', periods).execute();
  return new Map(rows.map((r) => [r.period, Number(r.calls)]));
}

export interface StoredAccessLogEntry extends Omit<AccessLogEntry, 'agencyCode' | 'connectionId'> {
  agencyCode?: string;
  connectionId?: string;
}

type Row = AccessLogTable;
const fromRow = (r: Row): StoredAccessLogEntry => ({
  logId: r.log_id,
  at: r.at,
  ...(r.agency_code ? { agencyCode: r.agency_code } : {}),
  ...(r.connection_id ? { connectionId: r.connection_id } : {}),
  service: r.service,
  ...(r.request_id ? { requestId: r.request_id } : {}),
  ...(r.purpose ? { purpose: r.purpose } : {}),
  ...(r.officer_id ? { officerId: r.officer_id } : {}),
  personalIds: JSON.parse(r.personal_ids) as string[],
  fields: JSON.parse(r.fields) as string[],
  outcome: r.outcome as 'served' | 'refused',
  ...(r.error_code ? { errorCode: r.error_code } : {}),
  httpStatus: r.http_status,
  latencyMs: Number(r.latency_ms),
  feeVnd: Number(r.fee_vnd),
  ...(r.catalogue_year !== null ? { catalogueYear: Number(r.catalogue_year) } : {}),
  ...(r.source_ip ? { sourceIp: r.source_ip } : {}),
  ...(Number(r.test_stage) === 1 ? { testStage: true as const } : {}),
  entryHash: r.entry_hash,
});

export interface AccessLogFilter {
  agencyCode?: string;
  personalId?: string;
  service?: string;
  outcome?: 'served' | 'refused';
  /** Half-open period [from, to) of ISO instants. */
  from?: string;
  to?: string;
  /** Keyset: the (at, logId) of the last row of the previous page (newest first). */
  before?: { at: string; logId: string };
  limit: number;
}

/** Newest first. By citizen through the per-citizen index; otherwise by the (agency|service, at) indexes. */
export async function queryAccessLog(db: Db, f: AccessLogFilter): Promise<StoredAccessLogEntry[]> {
  let q = f.personalId
    ? db.selectFrom('access_log').innerJoin('access_log_subject', 'access_log_subject.log_id', 'access_log.log_id').where('access_log_subject.personal_id', '=', f.personalId).selectAll('access_log')
    : db.selectFrom('access_log').selectAll('access_log');
  if (f.agencyCode) q = q.where('access_log.agency_code', '=', f.agencyCode);
  if (f.service) q = q.where('access_log.service', '=', f.service);
  if (f.outcome) q = q.where('access_log.outcome', '=', f.outcome);
  if (f.from) q = q.where('access_log.at', '>=', f.from);
  if (f.to) q = q.where('access_log.at', '<', f.to);
  if (f.before) {
    const { at, logId } = f.before;
    q = q.where((eb) => eb.or([eb('access_log.at', '<', at), eb.and([eb('access_log.at', '=', at), eb('access_log.log_id', '<', logId)])]));
  }
  const rows = await q.orderBy('access_log.at', 'desc').orderBy('access_log.log_id', 'desc').limit(f.limit).execute();
  return rows.map((r) => fromRow(r as Row));
}

/** Every entry of an agency in a period, oldest first (statements read the log itself). */
export async function accessLogOfAgency(db: Db, agencyCode: string, from: string, to: string): Promise<StoredAccessLogEntry[]> {
  const rows = await db
    .selectFrom('access_log')
    .selectAll()
    .where('agency_code', '=', agencyCode)
    .where('at', '>=', from)
    .where('at', '<', to)
    .orderBy('at')
    .orderBy('log_id')
    .execute();
  return rows.map(fromRow);
}

/** Counts, errors and latencies per agency and service since an instant (the admin monitoring API). */
export async function accessLogSince(db: Db, from: string): Promise<{ agencyCode: string | null; service: string; outcome: string; latencyMs: number }[]> {
  const rows = await db.selectFrom('access_log').select(['agency_code', 'service', 'outcome', 'latency_ms']).where('at', '>=', from).orderBy('at').execute();
  return rows.map((r) => ({ agencyCode: r.agency_code, service: r.service, outcome: r.outcome, latencyMs: Number(r.latency_ms) }));
}

// ---------------------------------------------------------------- outbox

export interface OutboxMessage {
  messageId: string;
  createdAt: string;
  channel: 'email';
  recipient: string;
  subject: string;
  body: string;
  status: 'pending' | 'sent';
  related?: string;
}

export async function insertOutboxMessages(db: Db, messages: readonly OutboxMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await db
    .insertInto('outbox')
    .values(messages.map((m) => ({ message_id: m.messageId, created_at: m.createdAt, channel: m.channel, recipient: m.recipient, subject: m.subject, body: m.body, status: m.status, related: m.related ?? null })))
    .execute();
}

export async function listOutbox(db: Db, limit = 100): Promise<OutboxMessage[]> {
  const rows = await db.selectFrom('outbox').selectAll().orderBy('created_at', 'desc').orderBy('message_id', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    messageId: r.message_id,
    createdAt: r.created_at,
    channel: r.channel as 'email',
    recipient: r.recipient,
    subject: r.subject,
    body: r.body,
    status: r.status as 'pending' | 'sent',
    ...(r.related ? { related: r.related } : {}),
  }));
}
