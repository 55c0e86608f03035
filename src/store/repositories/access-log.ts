/**
 * The access log (decision 0027): the one record of every use of a citizen's data and of every
 * refusal — officers, agencies, inspectors, jobs. A use is stored as one row per citizen concerned,
 * keyed by personal ID (so a read and its record stay on one key), or, when it concerns no citizen
 * (or the caller was never authenticated), one row keyed by its caller. The first row of a use
 * stands for it (primary_row): it carries the fee and the list of every citizen concerned, so
 * statements and monitoring count each use once. Every row gets its transparency-log leaf in the
 * same transaction.
 *
 * Usage counters (quota, rate, anomaly rule) are keyed by connection and written apart from the
 * entries — a call claims its place before it is served (connection-usage.ts) —: one transaction
 * never spans a citizen's key and a connection's key (decision 0036 says how they stay right).
 */
import { CompiledQuery, sql } from 'kysely';
import type { AccessEntryTable, Db } from '../schema.js';
import { isSqlite } from '../dialect.js';
import { preparedWrite } from '../fast-read.js';
import { leafFor, insertLeaves } from './transparency-leaves.js';
import { insertConsentUses } from './consents.js';

export type CallerKind = 'principal' | 'connection' | 'anonymous' | 'system';
export type Outcome = 'served' | 'refused';

/** One use of citizens' data (or one refusal), as recorded. */
export interface AccessEntry {
  entryId: string;
  at: string;
  callerKind: CallerKind;
  /** The principal (officer, inspector, admin, citizen), or the system job's name. */
  principalId?: string;
  role?: string;
  /** The officer's unit, or the agency's name for an exchange call. */
  unit?: string;
  agencyCode?: string;
  connectionId?: string;
  /** The agency's own officer who asked (exchange calls). */
  officerId?: string;
  channel: string;
  /** The route's operationId, the exchange service code, or the job's action. */
  action: string;
  purpose?: string;
  /** Every citizen concerned, in the order asked (none for a refusal before authentication). */
  personalIds: string[];
  /** The fields released (none for a refusal). */
  fields: string[];
  outcome: Outcome;
  errorCode?: string;
  httpStatus: number;
  requestId?: string;
  sourceIp?: string;
  latencyMs: number;
  feeVnd: number;
  catalogueYear?: number;
  /** Served in the connection's test stage (free). */
  testStage?: true;
  /** The consents that allowed a served exchange call, per person (decision 0044): written with the entry. */
  consentUses?: readonly { personalId: string; consentId: string; fields: readonly string[] }[];
}

/** The key a use concerning no citizen is stored under: its caller. */
export function callerKeyOf(e: Pick<AccessEntry, 'callerKind' | 'principalId' | 'connectionId' | 'sourceIp'>): string {
  if (e.callerKind === 'connection' && e.connectionId) return `connection:${e.connectionId}`;
  if ((e.callerKind === 'principal' || e.callerKind === 'system') && e.principalId) return `${e.callerKind}:${e.principalId}`;
  return `address:${e.sourceIp ?? '-'}`;
}

export const ENTRY_COLUMNS = [
  'subject_key', 'entry_id', 'at', 'caller_kind', 'principal_id', 'role', 'unit', 'agency_code', 'connection_id', 'officer_id', 'channel',
  'action', 'purpose', 'fields', 'outcome', 'error_code', 'http_status', 'request_id', 'source_ip', 'latency_ms', 'fee_vnd',
  'catalogue_year', 'test_stage', 'primary_row', 'subject_count', 'personal_ids',
] as const satisfies readonly (keyof AccessEntryTable)[];

/** The rows of one use: one per citizen concerned (the first stands for the use), or the caller's. */
export function rowsOf(e: AccessEntry): AccessEntryTable[] {
  const subjects = [...new Set(e.personalIds)];
  const keys = subjects.length > 0 ? subjects : [callerKeyOf(e)];
  return keys.map((key, i) => ({
    subject_key: key,
    entry_id: e.entryId,
    at: e.at,
    caller_kind: e.callerKind,
    principal_id: e.principalId ?? null,
    role: e.role ?? null,
    unit: e.unit ?? null,
    agency_code: e.agencyCode ?? null,
    connection_id: e.connectionId ?? null,
    officer_id: e.officerId ?? null,
    channel: e.channel,
    action: e.action,
    purpose: e.purpose ?? null,
    fields: JSON.stringify(e.fields),
    outcome: e.outcome,
    error_code: e.errorCode ?? null,
    http_status: e.httpStatus,
    request_id: e.requestId ?? null,
    source_ip: e.sourceIp ?? null,
    latency_ms: e.latencyMs,
    fee_vnd: i === 0 ? e.feeVnd : 0,
    catalogue_year: e.catalogueYear ?? null,
    test_stage: e.testStage ? 1 : 0,
    primary_row: i === 0 ? 1 : 0,
    subject_count: subjects.length,
    personal_ids: i === 0 ? JSON.stringify(subjects) : '[]',
  }));
}

// Row by row with statements compiled once per transaction (SQLite runs in-process; a multi-row
// insert of varying size would compile and prepare anew for every batch size).
const insertEntryRow = preparedWrite(ENTRY_COLUMNS.length, (db, ...values: unknown[]) =>
  db.insertInto('access_entry').values(Object.fromEntries(ENTRY_COLUMNS.map((c, i) => [c, values[i]])) as unknown as AccessEntryTable),
);

/** PostgreSQL types of the columns that are not text (the arrays unnest reads are typed). */
const ENTRY_PG_TYPES: Partial<Record<(typeof ENTRY_COLUMNS)[number], string>> = {
  http_status: 'int4', latency_ms: 'float8', fee_vnd: 'int4', catalogue_year: 'int4', test_stage: 'int4', primary_row: 'int4', subject_count: 'int4',
};

/**
 * PostgreSQL: every row of a group commit in one statement of one text, whatever their number — each
 * column a bound array, unnested — so nothing is built or compiled per row or per batch size.
 */
const INSERT_ENTRIES_PG = CompiledQuery.raw(
  `insert into access_entry (${ENTRY_COLUMNS.join(', ')}) select * from unnest(${ENTRY_COLUMNS.map((c, i) => `$${i + 1}::${ENTRY_PG_TYPES[c] ?? 'text'}[]`).join(', ')})`,
);

/** Rows per statement on PostgreSQL (a use may name 1,000 people, a group commit hold 500 uses). */
const PG_ROWS_PER_STATEMENT = 5000;

/** Writes uses (the caller's transaction) with their rows' transparency-log leaves. */
export async function appendAccessEntries(db: Db, entries: readonly AccessEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.length === 1 ? rowsOf(entries[0]!) : entries.flatMap(rowsOf);
  const leaves = rows.map((r) => leafFor('access_entry', r, r.at));
  if (isSqlite(db)) {
    for (const row of rows) await insertEntryRow.run(db, ...ENTRY_COLUMNS.map((c) => row[c]));
  } else {
    for (let i = 0; i < rows.length; i += PG_ROWS_PER_STATEMENT) {
      const part = rows.length <= PG_ROWS_PER_STATEMENT ? rows : rows.slice(i, i + PG_ROWS_PER_STATEMENT);
      await db.executeQuery({ ...INSERT_ENTRIES_PG, parameters: ENTRY_COLUMNS.map((c) => part.map((r) => r[c])) });
    }
  }
  await insertLeaves(db, leaves);
  for (const e of entries) {
    // A use naming many people is split into entries (recorder.ts partsOf): each entry gets its own people's uses.
    if (!e.consentUses?.length) continue;
    const people = new Set(e.personalIds);
    const uses = e.consentUses.filter((u) => people.has(u.personalId));
    if (uses.length > 0) await insertConsentUses(db, uses.map((u) => ({ personalId: u.personalId, consentId: u.consentId, entryId: e.entryId, at: e.at, action: e.action, fields: [...u.fields] })));
  }
}

/** Usage periods a served call counts in: its local day (quota), hour (anomaly rule) and minute (rate). */
export interface UsagePeriods {
  day: string;
  hour: string;
  minute: string;
}

/**
 * Sets a connection's counters for the given periods to what its served entries say (after a crash
 * between a call's claim and its entry, a counter is ahead by the calls then in flight).
 */
export async function reconcileUsage(db: Db, connectionId: string, periods: readonly { period: string; from: string; to: string }[]): Promise<void> {
  for (const p of periods) {
    const r = await db
      .selectFrom('access_entry')
      .select(sql<number>`count(*)`.as('n'))
      .where('connection_id', '=', connectionId)
      .where('at', '>=', p.from)
      .where('at', '<', p.to)
      .where('primary_row', '=', 1)
      .where('outcome', '=', 'served')
      .executeTakeFirstOrThrow();
    const calls = Number(r.n);
    await db
      .insertInto('connection_usage')
      .values({ connection_id: connectionId, period: p.period, calls })
      .onConflict((oc) => oc.columns(['connection_id', 'period']).doUpdateSet({ calls }))
      .execute();
  }
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

/** A recorded row, as read back: the use, and whose row it is. */
export interface StoredAccessEntry extends AccessEntry {
  subjectKey: string;
  primary: boolean;
  subjectCount: number;
}

export function fromEntryRow(r: AccessEntryTable): StoredAccessEntry {
  const personalIds = JSON.parse(r.personal_ids) as string[];
  return {
    subjectKey: r.subject_key,
    entryId: r.entry_id,
    at: r.at,
    callerKind: r.caller_kind as CallerKind,
    ...(r.principal_id ? { principalId: r.principal_id } : {}),
    ...(r.role ? { role: r.role } : {}),
    ...(r.unit ? { unit: r.unit } : {}),
    ...(r.agency_code ? { agencyCode: r.agency_code } : {}),
    ...(r.connection_id ? { connectionId: r.connection_id } : {}),
    ...(r.officer_id ? { officerId: r.officer_id } : {}),
    channel: r.channel,
    action: r.action,
    ...(r.purpose ? { purpose: r.purpose } : {}),
    // A citizen's own row names that citizen; the primary row names every citizen of the use.
    personalIds: Number(r.primary_row) === 1 ? personalIds : [r.subject_key],
    fields: JSON.parse(r.fields) as string[],
    outcome: r.outcome as Outcome,
    ...(r.error_code ? { errorCode: r.error_code } : {}),
    httpStatus: Number(r.http_status),
    ...(r.request_id ? { requestId: r.request_id } : {}),
    ...(r.source_ip ? { sourceIp: r.source_ip } : {}),
    latencyMs: Number(r.latency_ms),
    feeVnd: Number(r.fee_vnd),
    ...(r.catalogue_year !== null ? { catalogueYear: Number(r.catalogue_year) } : {}),
    ...(Number(r.test_stage) === 1 ? { testStage: true as const } : {}),
    primary: Number(r.primary_row) === 1,
    subjectCount: Number(r.subject_count),
  };
}

export interface AccessLogFilter {
  agencyCode?: string;
  connectionId?: string;
  principalId?: string;
  personalId?: string;
  /** The action: an exchange service code or a route's operationId. */
  action?: string;
  channel?: string;
  purpose?: string;
  outcome?: Outcome;
  /** Half-open period [from, to) of ISO instants. */
  from?: string;
  to?: string;
  /** Keyset: the (at, entryId) of the last row of the previous page (newest first). */
  before?: { at: string; entryId: string };
  limit: number;
}

/**
 * Newest first. By citizen: that citizen's rows (their key); otherwise one row per use (the primary
 * rows), through the (agency | connection | principal | at) indexes.
 */
export async function queryAccessLog(db: Db, f: AccessLogFilter): Promise<StoredAccessEntry[]> {
  return (await queryAccessEntryRows(db, f)).map(fromEntryRow);
}

/** The same query, rows as stored (an inspector's export recomputes their digests). */
export async function queryAccessEntryRows(db: Db, f: AccessLogFilter): Promise<AccessEntryTable[]> {
  let q = db.selectFrom('access_entry').selectAll();
  q = f.personalId ? q.where('subject_key', '=', f.personalId) : q.where('primary_row', '=', 1);
  if (f.agencyCode) q = q.where('agency_code', '=', f.agencyCode);
  if (f.connectionId) q = q.where('connection_id', '=', f.connectionId);
  if (f.principalId) q = q.where('principal_id', '=', f.principalId);
  if (f.action) q = q.where('action', '=', f.action);
  if (f.channel) q = q.where('channel', '=', f.channel);
  if (f.purpose) q = q.where('purpose', '=', f.purpose);
  if (f.outcome) q = q.where('outcome', '=', f.outcome);
  if (f.from) q = q.where('at', '>=', f.from);
  if (f.to) q = q.where('at', '<', f.to);
  if (f.before) {
    const { at, entryId } = f.before;
    q = q.where((eb) => eb.or([eb('at', '<', at), eb.and([eb('at', '=', at), eb('entry_id', '<', entryId)])]));
  }
  return q.orderBy('at', 'desc').orderBy('entry_id', 'desc').limit(f.limit).execute();
}

/** Every use by an agency in a period, oldest first, once each (statements read the log itself). */
export async function accessLogOfAgency(db: Db, agencyCode: string, from: string, to: string): Promise<StoredAccessEntry[]> {
  const rows = await db
    .selectFrom('access_entry')
    .selectAll()
    .where('agency_code', '=', agencyCode)
    .where('at', '>=', from)
    .where('at', '<', to)
    .where('primary_row', '=', 1)
    .orderBy('at')
    .orderBy('entry_id')
    .execute();
  return rows.map(fromEntryRow);
}

/** Exchange calls since an instant, once each: counts, errors and latencies (the admin monitoring API). */
export async function accessLogSince(db: Db, from: string): Promise<{ agencyCode: string | null; service: string; outcome: string; latencyMs: number }[]> {
  const rows = await db
    .selectFrom('access_entry')
    .select(['agency_code', 'action', 'outcome', 'latency_ms'])
    .where('at', '>=', from)
    .where('channel', '=', 'exchange')
    .where('primary_row', '=', 1)
    .orderBy('at')
    .execute();
  return rows.map((r) => ({ agencyCode: r.agency_code, service: r.action, outcome: r.outcome, latencyMs: Number(r.latency_ms) }));
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
