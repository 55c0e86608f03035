/** Agencies with their focal points, and the connections of their systems with every event. */
import { RegistryError } from '../../domain/errors/registry-error.js';
import type { Agency, AgencyType, FocalPoint, Jwks } from '../../domain/exchange/agency.js';
import type { ConnectionState } from '../../domain/exchange/connection-lifecycle.js';
import type { Policy } from '../../domain/exchange/policy.js';
import { isUniqueViolation } from '../failures.js';
import { preparedRead } from '../fast-read.js';
import type { ConnectionEventTable, Db } from '../schema.js';
import { commitRows } from './transparency-leaves.js';

type AgencyRow = { code: string; name: string; type: string; state_budget_funded: number; data_offer: string | null; focal_points: string; version: number; created_at: string; updated_at: string };

const toAgency = (r: AgencyRow): Agency => ({
  code: r.code,
  name: r.name,
  type: r.type as AgencyType,
  stateBudgetFunded: r.state_budget_funded === 1,
  ...(r.data_offer ? { dataOffer: r.data_offer } : {}),
  focalPoints: JSON.parse(r.focal_points) as FocalPoint[],
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const agencyRow = (a: Agency): AgencyRow => ({
  code: a.code,
  name: a.name,
  type: a.type,
  state_budget_funded: a.stateBudgetFunded ? 1 : 0,
  data_offer: a.dataOffer ?? null,
  focal_points: JSON.stringify(a.focalPoints),
  version: a.version,
  created_at: a.createdAt,
  updated_at: a.updatedAt,
});

export async function insertAgency(db: Db, a: Agency): Promise<void> {
  try {
    await db.insertInto('agency').values(agencyRow(a)).execute();
  } catch (e) {
    if (isUniqueViolation(e)) throw new RegistryError('AGENCY_EXISTS');
    throw e;
  }
}

export async function updateAgency(db: Db, before: Agency, after: Agency): Promise<Agency> {
  const { code: _c, created_at: _a, ...set } = agencyRow({ ...after, version: before.version + 1 });
  const r = await db.updateTable('agency').set(set).where('code', '=', before.code).where('version', '=', before.version).executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new RegistryError('VERSION_MISMATCH');
  return { ...after, version: before.version + 1 };
}

// Read on every exchange call: compiled once (synchronous on SQLite).
const agencyByCode = preparedRead(1, (db, code: string) => db.selectFrom('agency').selectAll().where('code', '=', code));
const connectionById = preparedRead(1, (db, id: string) => db.selectFrom('exchange_connection').selectAll().where('connection_id', '=', id));

export async function findAgency(db: Db, code: string): Promise<Agency | undefined> {
  const r = await agencyByCode.first(db, code);
  return r ? toAgency(r) : undefined;
}

export async function listAgencies(db: Db): Promise<Agency[]> {
  return (await db.selectFrom('agency').selectAll().orderBy('code').execute()).map(toAgency);
}

// ---------------------------------------------------------------- connections

export interface Connection {
  connectionId: string;
  agencyCode: string;
  systemName: string;
  viaPlatform?: string;
  state: ConnectionState;
  requested: { services: string[]; purposes: string[] };
  jwks: Jwks;
  policy?: Policy;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface ConnectionEventInput {
  at: string;
  actorId: string;
  kind: string;
  fromState?: ConnectionState;
  toState?: ConnectionState;
  reason?: string;
  details?: Record<string, unknown>;
}

export interface ConnectionEvent extends ConnectionEventInput {
  seq: number;
}

export type ConnectionRow = {
  connection_id: string; agency_code: string; system_name: string; via_platform: string | null; state: string; requested: string;
  jwks: string; policy: string | null; version: number; created_at: string; updated_at: string;
};

export const toConnection = (r: ConnectionRow): Connection => ({
  connectionId: r.connection_id,
  agencyCode: r.agency_code,
  systemName: r.system_name,
  ...(r.via_platform ? { viaPlatform: r.via_platform } : {}),
  state: r.state as ConnectionState,
  requested: JSON.parse(r.requested) as Connection['requested'],
  jwks: JSON.parse(r.jwks) as Jwks,
  ...(r.policy ? { policy: JSON.parse(r.policy) as Policy } : {}),
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const connectionRow = (c: Connection): ConnectionRow => ({
  connection_id: c.connectionId,
  agency_code: c.agencyCode,
  system_name: c.systemName,
  via_platform: c.viaPlatform ?? null,
  state: c.state,
  requested: JSON.stringify(c.requested),
  jwks: JSON.stringify(c.jwks),
  policy: c.policy ? JSON.stringify(c.policy) : null,
  version: c.version,
  created_at: c.createdAt,
  updated_at: c.updatedAt,
});

async function appendEvent(db: Db, connectionId: string, e: ConnectionEventInput): Promise<void> {
  const top = await db.selectFrom('connection_event').select((eb) => eb.fn.max<number>('seq').as('top')).where('connection_id', '=', connectionId).executeTakeFirst();
  const row: ConnectionEventTable = {
    connection_id: connectionId,
    seq: Number(top?.top ?? 0) + 1,
    at: e.at,
    actor_id: e.actorId,
    kind: e.kind,
    from_state: e.fromState ?? null,
    to_state: e.toState ?? null,
    reason: e.reason ?? null,
    details: e.details ? JSON.stringify(e.details) : null,
  };
  await db.insertInto('connection_event').values(row).execute();
  // Transitions, assessments, policy and key changes: each event is a leaf of the log.
  await commitRows(db, 'connection_event', [row], e.at);
}

/** A new connection (version 1) and its first event, in the caller's transaction. */
export async function insertConnection(db: Db, c: Connection, event: ConnectionEventInput): Promise<void> {
  await db.insertInto('exchange_connection').values(connectionRow(c)).execute();
  await appendEvent(db, c.connectionId, event);
}

/** Writes `after` over `before` when nobody changed it in between, with the event that says why. */
export async function updateConnection(db: Db, before: Connection, after: Connection, event: ConnectionEventInput): Promise<Connection> {
  const { connection_id: _id, created_at: _c, ...set } = connectionRow({ ...after, version: before.version + 1 });
  const r = await db.updateTable('exchange_connection').set(set).where('connection_id', '=', before.connectionId).where('version', '=', before.version).executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new RegistryError('VERSION_MISMATCH');
  await appendEvent(db, before.connectionId, event);
  return { ...after, version: before.version + 1 };
}

/** Records an event that changes nothing on the connection row (a security assessment). */
export async function recordConnectionEvent(db: Db, connectionId: string, event: ConnectionEventInput): Promise<void> {
  await appendEvent(db, connectionId, event);
}

export async function findConnection(db: Db, connectionId: string): Promise<Connection | undefined> {
  const r = await connectionById.first(db, connectionId);
  return r ? toConnection(r) : undefined;
}

export async function listConnections(db: Db, filter: { agencyCode?: string; state?: ConnectionState } = {}): Promise<Connection[]> {
  let q = db.selectFrom('exchange_connection').selectAll();
  if (filter.agencyCode) q = q.where('agency_code', '=', filter.agencyCode);
  if (filter.state) q = q.where('state', '=', filter.state);
  return (await q.orderBy('agency_code').orderBy('connection_id').execute()).map(toConnection);
}

/** When the connection first went live (its first transition into active), if it ever did. */
export async function firstActiveAt(db: Db, connectionId: string): Promise<string | undefined> {
  const r = await db.selectFrom('connection_event').select('at').where('connection_id', '=', connectionId).where('to_state', '=', 'active').orderBy('seq').limit(1).executeTakeFirst();
  return r?.at;
}

export async function listConnectionEvents(db: Db, connectionId: string): Promise<ConnectionEvent[]> {
  const rows = await db.selectFrom('connection_event').selectAll().where('connection_id', '=', connectionId).orderBy('seq').execute();
  return rows.map((r) => ({
    seq: r.seq,
    at: r.at,
    actorId: r.actor_id,
    kind: r.kind,
    ...(r.from_state ? { fromState: r.from_state as ConnectionState } : {}),
    ...(r.to_state ? { toState: r.to_state as ConnectionState } : {}),
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.details ? { details: JSON.parse(r.details) as Record<string, unknown> } : {}),
  }));
}
