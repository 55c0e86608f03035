/**
 * Written requests (migration 0018; decision 0040): the work-list row, its committed steps (each
 * with its transparency-log leaf, written here in the caller's transaction), and the scanned letter.
 */
import { sql } from 'kysely';
import { RegistryError } from '../../domain/errors/registry-error.js';
import type { Channel, FieldGroup, Requester, RequestStatus, ScanMediaType } from '../../domain/written-requests/rules.js';
import type { Deadline } from '../../domain/residence/working-days.js';
import { isSqlite } from '../dialect.js';
import { isUniqueViolation } from '../failures.js';
import type { Db } from '../schema.js';
import type { WrittenRequestTable } from '../schema-written-requests.js';
import { appendRequestEvent, requestEvents, type RequestEvent } from './request-events.js';

export interface StoredWrittenRequest {
  requestId: string;
  personalId: string;
  status: RequestStatus;
  channel: Channel;
  receivedAt: string;
  receivedOn: string;
  dueOn?: string;
  dueBy?: Deadline['by'];
  requester: Requester;
  fields: FieldGroup[];
  purpose: string;
  consentRequired: boolean;
  recordedBy: string;
  decidedAt?: string;
  decidedBy?: string;
  reasons?: string[];
  certificateNumber?: string;
  version: number;
  updatedAt: string;
}

export type WrittenRequestEventKind = 'received' | 'consent_given' | 'consent_refused' | 'provided' | 'refused';

export type WrittenRequestEvent = RequestEvent<WrittenRequestEventKind>;

export interface StoredScan {
  sha256: string;
  mediaType: ScanMediaType;
  size: number;
  content: Buffer;
}

function toRow(r: StoredWrittenRequest): WrittenRequestTable {
  return {
    request_id: r.requestId,
    personal_id: r.personalId,
    status: r.status,
    channel: r.channel,
    received_at: r.receivedAt,
    received_on: r.receivedOn,
    due_on: r.dueOn ?? null,
    due_half: r.dueBy ?? null,
    requester: JSON.stringify(r.requester),
    requester_personal_id: r.requester.kind === 'citizen' ? r.requester.personalId : null,
    fields: JSON.stringify(r.fields),
    purpose: r.purpose,
    consent_required: r.consentRequired ? 1 : 0,
    recorded_by: r.recordedBy,
    decided_at: r.decidedAt ?? null,
    decided_by: r.decidedBy ?? null,
    reasons: r.reasons ? JSON.stringify(r.reasons) : null,
    certificate_number: r.certificateNumber ?? null,
    version: r.version,
    updated_at: r.updatedAt,
  };
}

function fromRow(r: WrittenRequestTable): StoredWrittenRequest {
  return {
    requestId: r.request_id,
    personalId: r.personal_id,
    status: r.status as RequestStatus,
    channel: r.channel as Channel,
    receivedAt: r.received_at,
    receivedOn: r.received_on,
    ...(r.due_on ? { dueOn: r.due_on } : {}),
    ...(r.due_half ? { dueBy: r.due_half as Deadline['by'] } : {}),
    requester: JSON.parse(r.requester) as Requester,
    fields: JSON.parse(r.fields) as FieldGroup[],
    purpose: r.purpose,
    consentRequired: Number(r.consent_required) === 1,
    recordedBy: r.recorded_by,
    ...(r.decided_at ? { decidedAt: r.decided_at } : {}),
    ...(r.decided_by ? { decidedBy: r.decided_by } : {}),
    ...(r.reasons ? { reasons: JSON.parse(r.reasons) as string[] } : {}),
    ...(r.certificate_number ? { certificateNumber: r.certificate_number } : {}),
    version: Number(r.version),
    updatedAt: r.updated_at,
  };
}

/** A step as a committed row, with its leaf, in the caller's transaction (seq: the next unless given). */
async function insertEvent(db: Db, r: StoredWrittenRequest, e: Omit<WrittenRequestEvent, 'seq'> & { seq?: number }): Promise<void> {
  try {
    await appendRequestEvent(db, 'written_request_event', r, e);
  } catch (err) {
    // A rival decision or consent answer that got past the row lock (it cannot on either store; the index is the backstop).
    if (isUniqueViolation(err)) throw new RegistryError(e.kind === 'provided' || e.kind === 'refused' ? 'WRITTEN_REQUEST_ALREADY_DECIDED' : 'CONSENT_NOT_PENDING');
    throw err;
  }
}

/** A new request, its `received` step and its scanned letter, in one transaction (the caller's). */
export async function insertWrittenRequest(db: Db, r: StoredWrittenRequest, received: WrittenRequestEvent, scan: StoredScan): Promise<void> {
  await db.insertInto('written_request').values(toRow(r)).execute();
  await db.insertInto('written_request_scan').values({ request_id: r.requestId, sha256: scan.sha256, media_type: scan.mediaType, size: scan.size, content: scan.content }).execute();
  await insertEvent(db, r, received);
}

/** Row lock on the request, taken first (PostgreSQL; SQLite's write transactions are already serial). */
export async function lockWrittenRequest(tx: Db, requestId: string): Promise<void> {
  if (isSqlite(tx)) return;
  await tx.selectFrom('written_request').select('request_id').where('request_id', '=', requestId).forUpdate().execute();
}

export async function findWrittenRequest(db: Db, requestId: string): Promise<StoredWrittenRequest | undefined> {
  const r = await db.selectFrom('written_request').selectAll().where('request_id', '=', requestId).executeTakeFirst();
  return r ? fromRow(r) : undefined;
}

/** Writes `after` (and its step) over `before` when nobody changed the request in between. */
export async function updateWrittenRequest(db: Db, before: StoredWrittenRequest, after: StoredWrittenRequest, step: Omit<WrittenRequestEvent, 'seq'>): Promise<StoredWrittenRequest> {
  const { request_id: _id, ...set } = toRow({ ...after, version: before.version + 1 });
  const u = await db.updateTable('written_request').set(set).where('request_id', '=', before.requestId).where('version', '=', before.version).executeTakeFirst();
  if (Number(u.numUpdatedRows) !== 1) throw new RegistryError('CONCURRENT_UPDATE');
  await insertEvent(db, after, step);
  return { ...after, version: before.version + 1 };
}

export async function eventsOf(db: Db, r: Pick<StoredWrittenRequest, 'personalId' | 'requestId'>): Promise<WrittenRequestEvent[]> {
  return requestEvents<WrittenRequestEventKind>(db, 'written_request_event', r);
}

export async function findScan(db: Db, requestId: string): Promise<StoredScan | undefined> {
  const r = await db.selectFrom('written_request_scan').selectAll().where('request_id', '=', requestId).executeTakeFirst();
  return r ? { sha256: r.sha256, mediaType: r.media_type as ScanMediaType, size: Number(r.size), content: Buffer.from(r.content) } : undefined;
}

export interface WrittenRequestFilter {
  statuses: readonly RequestStatus[];
  dueOnOrBefore?: string;
  dueOnOrAfter?: string;
  /** About any of these numbers (one person's: the current one and those it was re-issued from). */
  personalIds?: readonly string[];
  /** About any of these numbers or asked under one of them (a citizen requester): what a person sees as their own. */
  party?: readonly string[];
  /** Keyset: (dueOn, requestId) of the last row of the previous page. */
  after?: { dueOn: string; requestId: string };
  limit: number;
}

// NULL sorts first on SQLite and last on PostgreSQL: compared as '' so both stores page alike.
const due = sql<string>`coalesce(due_on, '')`;

/** Ordered by due day then number; requests awaiting consent (no deadline yet) first. */
export async function listWrittenRequests(db: Db, f: WrittenRequestFilter): Promise<StoredWrittenRequest[]> {
  // Nobody's numbers name no request (and `in ()` is not SQL).
  if (f.personalIds?.length === 0 || f.party?.length === 0) return [];
  let q = db.selectFrom('written_request').selectAll().where('status', 'in', [...f.statuses]);
  if (f.dueOnOrBefore) q = q.where('due_on', '<=', f.dueOnOrBefore);
  if (f.dueOnOrAfter) q = q.where('due_on', '>=', f.dueOnOrAfter);
  if (f.personalIds) q = q.where('personal_id', 'in', [...f.personalIds]);
  const party = f.party;
  if (party) q = q.where((eb) => eb.or([eb('personal_id', 'in', [...party]), eb('requester_personal_id', 'in', [...party])]));
  if (f.after) {
    const { dueOn, requestId } = f.after;
    q = q.where((eb) => eb.or([eb(due, '>', dueOn), eb.and([eb(due, '=', dueOn), eb('request_id', '>', requestId)])]));
  }
  const rows = await q.orderBy(due).orderBy('request_id').limit(f.limit).execute();
  return rows.map(fromRow);
}

/** How many requests stand in each status; of the open ones, how many are due on `today` and how many before it. */
export async function countWrittenRequests(db: Db, today: string): Promise<{ byStatus: Record<string, number>; dueToday: number; overdue: number }> {
  const rows = await db.selectFrom('written_request').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  const open = await db
    .selectFrom('written_request')
    .select([
      sql<number>`sum(case when due_on = ${today} then 1 else 0 end)`.as('due_today'),
      sql<number>`sum(case when due_on < ${today} then 1 else 0 end)`.as('overdue'),
    ])
    .where('status', '=', 'open')
    .executeTakeFirst();
  return { byStatus: Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])), dueToday: Number(open?.due_today ?? 0), overdue: Number(open?.overdue ?? 0) };
}
