/**
 * Consent requests to agencies outside the state (migration 0024; decision 0044): the request row,
 * its decisions (each a committed row with its transparency-log leaf, in the caller's transaction)
 * and the calls each consent allowed.
 */
import { RegistryError } from '../../domain/errors/registry-error.js';
import type { ConsentData, ConsentState } from '../../domain/exchange/consent.js';
import { isSqlite } from '../dialect.js';
import { isUniqueViolation } from '../failures.js';
import type { Db } from '../schema.js';
import type { ConsentRequestTable, ConsentUseTable } from '../schema-consents.js';
import { appendRequestEvent, requestEvents, type RequestEvent } from './request-events.js';
import { commitRows } from './transparency-leaves.js';

export interface StoredConsent {
  personalId: string;
  consentId: string;
  code: string;
  connectionId: string;
  agencyCode: string;
  purpose: string;
  data: ConsentData[];
  validDays: number;
  state: ConsentState;
  createdAt: string;
  answerBy: string;
  decidedAt?: string;
  validUntil?: string;
  endedAt?: string;
  version: number;
}

export type ConsentEventKind = 'requested' | 'approved' | 'refused' | 'withdrawn' | 'expired';

export type ConsentEvent = RequestEvent<ConsentEventKind>;

export interface ConsentUse {
  consentId: string;
  entryId: string;
  at: string;
  action: string;
  fields: string[];
}

function toRow(r: StoredConsent): ConsentRequestTable {
  return {
    personal_id: r.personalId,
    consent_id: r.consentId,
    code: r.code,
    connection_id: r.connectionId,
    agency_code: r.agencyCode,
    purpose: r.purpose,
    data: JSON.stringify(r.data),
    valid_days: r.validDays,
    state: r.state,
    created_at: r.createdAt,
    answer_by: r.answerBy,
    decided_at: r.decidedAt ?? null,
    valid_until: r.validUntil ?? null,
    ended_at: r.endedAt ?? null,
    version: r.version,
  };
}

function fromRow(r: ConsentRequestTable): StoredConsent {
  return {
    personalId: r.personal_id,
    consentId: r.consent_id,
    code: r.code,
    connectionId: r.connection_id,
    agencyCode: r.agency_code,
    purpose: r.purpose,
    data: JSON.parse(r.data) as ConsentData[],
    validDays: Number(r.valid_days),
    state: r.state as ConsentState,
    createdAt: r.created_at,
    answerBy: r.answer_by,
    ...(r.decided_at ? { decidedAt: r.decided_at } : {}),
    ...(r.valid_until ? { validUntil: r.valid_until } : {}),
    ...(r.ended_at ? { endedAt: r.ended_at } : {}),
    version: Number(r.version),
  };
}

const requestKey = (r: Pick<StoredConsent, 'personalId' | 'consentId'>) => ({ personalId: r.personalId, requestId: r.consentId });

/** A new request and its `requested` event (the caller's transaction). A second pending one for the same person, connection and purpose is refused by the index. */
export async function insertConsent(db: Db, r: StoredConsent, requested: Omit<ConsentEvent, 'seq' | 'kind'>): Promise<void> {
  try {
    await db.insertInto('consent_request').values(toRow(r)).execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw new RegistryError('CONSENT_REQUEST_OPEN');
    throw err;
  }
  await appendRequestEvent(db, 'consent_event', requestKey(r), { ...requested, kind: 'requested', seq: 1 });
}

/** Row lock on the request (PostgreSQL; SQLite's write transactions are already serial). */
export async function lockConsent(tx: Db, personalId: string, consentId: string): Promise<void> {
  if (isSqlite(tx)) return;
  await tx.selectFrom('consent_request').select('consent_id').where('personal_id', '=', personalId).where('consent_id', '=', consentId).forUpdate().execute();
}

export async function findConsent(db: Db, consentId: string): Promise<StoredConsent | undefined> {
  const r = await db.selectFrom('consent_request').selectAll().where('consent_id', '=', consentId).executeTakeFirst();
  return r ? fromRow(r) : undefined;
}

export async function findConsentByCode(db: Db, personalId: string, code: string): Promise<StoredConsent | undefined> {
  const r = await db.selectFrom('consent_request').selectAll().where('personal_id', '=', personalId).where('code', '=', code).orderBy('created_at', 'desc').executeTakeFirst();
  return r ? fromRow(r) : undefined;
}

/** Requests with this SMS code, about anyone (a representative's answer; migration 0027). Codes are random: nearly always one. */
export async function findConsentsByCode(db: Db, code: string): Promise<StoredConsent[]> {
  const rows = await db.selectFrom('consent_request').selectAll().where('code', '=', code).orderBy('created_at', 'desc').orderBy('consent_id').limit(10).execute();
  return rows.map(fromRow);
}

/** When the person last refused this connection's request for this purpose, if ever. */
export async function lastRefusalAt(db: Db, personalId: string, connectionId: string, purpose: string): Promise<string | undefined> {
  const r = await db
    .selectFrom('consent_request')
    .select((eb) => eb.fn.max<string | null>('decided_at').as('at'))
    .where('personal_id', '=', personalId)
    .where('connection_id', '=', connectionId)
    .where('purpose', '=', purpose)
    .where('state', '=', 'refused')
    .executeTakeFirst();
  return r?.at ?? undefined;
}

/** The pending request (as stored) for a person, connection and purpose, if any. */
export async function findPendingConsent(db: Db, personalId: string, connectionId: string, purpose: string): Promise<StoredConsent | undefined> {
  const r = await db
    .selectFrom('consent_request')
    .selectAll()
    .where('personal_id', '=', personalId)
    .where('connection_id', '=', connectionId)
    .where('purpose', '=', purpose)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return r ? fromRow(r) : undefined;
}

/** Writes `after` and its event over `before` when nobody changed the request in between. */
export async function updateConsent(db: Db, before: StoredConsent, after: StoredConsent, event: Omit<ConsentEvent, 'seq'>): Promise<StoredConsent> {
  const { personal_id: _p, consent_id: _c, ...set } = toRow({ ...after, version: before.version + 1 });
  const u = await db
    .updateTable('consent_request')
    .set(set)
    .where('personal_id', '=', before.personalId)
    .where('consent_id', '=', before.consentId)
    .where('version', '=', before.version)
    .executeTakeFirst();
  if (Number(u.numUpdatedRows) !== 1) throw new RegistryError('CONCURRENT_UPDATE');
  await appendRequestEvent(db, 'consent_event', requestKey(before), event);
  return { ...after, version: before.version + 1 };
}

/** The requests one connection made for these people and this purpose (what a call weighs). */
export async function consentsFor(db: Db, personalIds: readonly string[], connectionId: string, purpose: string): Promise<StoredConsent[]> {
  if (personalIds.length === 0) return [];
  const rows = await db
    .selectFrom('consent_request')
    .selectAll()
    .where('personal_id', 'in', [...personalIds])
    .where('connection_id', '=', connectionId)
    .where('purpose', '=', purpose)
    .execute();
  return rows.map(fromRow);
}

export interface ConsentListFilter {
  personalId?: string;
  connectionId?: string;
  /** Stored states (the state in force may be `expired` where the row still says pending or approved). */
  states?: readonly ConsentState[];
  limit: number;
  /** Keyset: created_at and consent ID of the last row of the previous page (newest first). */
  before?: { createdAt: string; consentId: string };
}

export async function listConsents(db: Db, f: ConsentListFilter): Promise<StoredConsent[]> {
  let q = db.selectFrom('consent_request').selectAll();
  if (f.personalId) q = q.where('personal_id', '=', f.personalId);
  if (f.connectionId) q = q.where('connection_id', '=', f.connectionId);
  if (f.states) q = q.where('state', 'in', [...f.states]);
  if (f.before) {
    const b = f.before;
    q = q.where((eb) => eb.or([eb('created_at', '<', b.createdAt), eb.and([eb('created_at', '=', b.createdAt), eb('consent_id', '<', b.consentId)])]));
  }
  const rows = await q.orderBy('created_at', 'desc').orderBy('consent_id', 'desc').limit(f.limit).execute();
  return rows.map(fromRow);
}

/** Requests whose stored state has lapsed by `now` (pending past the deadline, approved past validity). */
export async function lapsedConsents(db: Db, now: string, limit: number): Promise<StoredConsent[]> {
  const rows = await db
    .selectFrom('consent_request')
    .selectAll()
    .where((eb) => eb.or([eb.and([eb('state', '=', 'pending'), eb('answer_by', '<=', now)]), eb.and([eb('state', '=', 'approved'), eb('valid_until', '<=', now)])]))
    .limit(limit)
    .execute();
  return rows.map(fromRow);
}

export async function consentEvents(db: Db, r: Pick<StoredConsent, 'personalId' | 'consentId'>): Promise<ConsentEvent[]> {
  return requestEvents<ConsentEventKind>(db, 'consent_event', requestKey(r));
}

/** The served calls a consent allowed, written with their access entries (same transaction). */
export async function insertConsentUses(db: Db, uses: readonly (ConsentUse & { personalId: string })[]): Promise<void> {
  if (uses.length === 0) return;
  const rows: ConsentUseTable[] = uses.map((u) => ({ personal_id: u.personalId, consent_id: u.consentId, entry_id: u.entryId, at: u.at, action: u.action, fields: JSON.stringify(u.fields) }));
  for (const row of rows) await db.insertInto('consent_use').values(row).execute();
  for (const row of rows) await commitRows(db, 'consent_use', [row], row.at);
}

export async function consentUses(db: Db, r: Pick<StoredConsent, 'personalId' | 'consentId'>, limit: number): Promise<ConsentUse[]> {
  const rows = await db
    .selectFrom('consent_use')
    .selectAll()
    .where('personal_id', '=', r.personalId)
    .where('consent_id', '=', r.consentId)
    .orderBy('at', 'desc')
    .orderBy('entry_id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((u) => ({ consentId: u.consent_id, entryId: u.entry_id, at: u.at, action: u.action, fields: JSON.parse(u.fields) as string[] }));
}
