/**
 * What citizens see of their usage (decision 0032): a person's access entries (their key) with
 * whether each one's leaf is integrated yet; the visibility decisions (defaults, holds, releases)
 * and grievances — every one written once, with its transparency-log leaf in the same transaction.
 */
import { sql } from 'kysely';
import type { Db } from '../schema.js';
import type { GrievanceEventTable, GrievanceTable, VisibilityDefaultTable, VisibilityHoldTable, VisibilityReleaseTable } from '../schema-citizen-usage.js';
import type { VisibilityDefault, VisibilityHold, VisibilityRelease, VisibilityRules } from '../../domain/accountability/visibility.js';
import type { GrievanceStatus } from '../../domain/accountability/grievances.js';
import { fromEntryRow, type StoredAccessEntry } from './access-log.js';
import { commitRows } from './transparency-leaves.js';
import { inGroups } from '../in-groups.js';

// ---------------------------------------------------------------- a person's entries

/**
 * For each receiver (principal) of a person's data through one channel: its first and last use,
 * under every number of the person (`numbersOfPerson`).
 */
export async function usesByReceiver(db: Db, numbers: readonly string[], channel: string): Promise<Map<string, { first: string; last: string }>> {
  if (numbers.length === 0) return new Map();
  const rows = await db
    .selectFrom('access_entry')
    .select((eb) => ['principal_id', eb.fn.min<string>('at').as('first'), eb.fn.max<string>('at').as('last')])
    .where('subject_key', 'in', [...numbers])
    .where('channel', '=', channel)
    .groupBy('principal_id')
    .execute();
  return new Map(rows.flatMap((r) => (r.principal_id ? [[r.principal_id, { first: r.first, last: r.last }] as const] : [])));
}

export interface PersonEntry extends StoredAccessEntry {
  /** The entry's leaf has its index in the tree: a receipt can be made. */
  receiptReady: boolean;
}

export interface PersonEntryFilter {
  /** Half-open [from, to) of ISO instants. */
  from?: string | undefined;
  to?: string | undefined;
  /** An agency code or an officer's unit. */
  agency?: string | undefined;
  /** Keyset: the (at, entryId) of the last row of the previous page (newest first). */
  before?: { at: string; entryId: string } | undefined;
  /** Only served uses. */
  servedOnly?: boolean;
  /** Oldest first instead of newest first. */
  oldestFirst?: boolean;
  limit: number;
}

/**
 * The entries about one person — their rows under each of their numbers (the current one and those
 * it replaced) — with their leaves' state. A use naming two numbers of the person appears twice,
 * side by side in this order.
 */
export async function entriesOfPerson(db: Db, numbers: readonly string[], f: PersonEntryFilter): Promise<PersonEntry[]> {
  let q = db
    .selectFrom('access_entry as e')
    .leftJoin('tlog_leaf_ref as l', (j) => j.onRef('l.subject_key', '=', 'e.subject_key').on('l.kind', '=', 'access_entry').onRef('l.ref', '=', 'e.entry_id'))
    .selectAll('e')
    .select('l.idx as leaf_idx')
    .where('e.subject_key', 'in', [...numbers]);
  if (f.from) q = q.where('e.at', '>=', f.from);
  if (f.to) q = q.where('e.at', '<', f.to);
  if (f.agency) {
    const agency = f.agency;
    q = q.where((eb) => eb.or([eb('e.agency_code', '=', agency), eb('e.unit', '=', agency)]));
  }
  if (f.servedOnly) q = q.where('e.outcome', '=', 'served');
  if (f.before) {
    const { at, entryId } = f.before;
    q = f.oldestFirst
      ? q.where((eb) => eb.or([eb('e.at', '>', at), eb.and([eb('e.at', '=', at), eb('e.entry_id', '>', entryId)])]))
      : q.where((eb) => eb.or([eb('e.at', '<', at), eb.and([eb('e.at', '=', at), eb('e.entry_id', '<', entryId)])]));
  }
  const dir = f.oldestFirst ? 'asc' : 'desc';
  const rows = await q.orderBy('e.at', dir).orderBy('e.entry_id', dir).limit(f.limit).execute();
  return rows.map(({ leaf_idx, ...r }) => ({ ...fromEntryRow(r), receiptReady: leaf_idx !== null && leaf_idx !== undefined }));
}

/** One entry about a person (their row of it, under whichever of their numbers it was recorded). */
export async function entryOfPerson(db: Db, numbers: readonly string[], entryId: string): Promise<StoredAccessEntry | undefined> {
  const r = await db.selectFrom('access_entry').selectAll().where('subject_key', 'in', [...numbers]).where('entry_id', '=', entryId).orderBy('subject_key').limit(1).executeTakeFirst();
  return r ? fromEntryRow(r) : undefined;
}

/**
 * Every citizen each use named, from its primary row, for uses naming several (migration 0015's
 * index; the predicates are written out so that SQLite sees they match the partial index's).
 */
export async function peopleOfUses(db: Db, entryIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (entryIds.length === 0) return out;
  const rows = await inGroups([...new Set(entryIds)], (ids) =>
    db.selectFrom('access_entry').select(['entry_id', 'personal_ids']).where('entry_id', 'in', ids).where(sql<boolean>`primary_row = 1 and subject_count > 1`).execute(),
  );
  for (const r of rows) out.set(r.entry_id, JSON.parse(r.personal_ids) as string[]);
  return out;
}

/** The earliest entry the registry keeps (the log's start), if any. */
export async function earliestEntryAt(db: Db): Promise<string | undefined> {
  const r = await db.selectFrom('access_entry').select('at').orderBy('at').orderBy('entry_id').limit(1).executeTakeFirst();
  return r?.at;
}

/** System names of connections (the Data Tracker's receiverSystem) and names of agencies. */
export async function receiversOf(db: Db, connectionIds: readonly string[], agencyCodes: readonly string[]): Promise<{ systems: Map<string, string>; agencies: Map<string, string> }> {
  const systems = new Map<string, string>();
  const agencies = new Map<string, string>();
  if (connectionIds.length > 0) {
    for (const r of await db.selectFrom('exchange_connection').select(['connection_id', 'system_name']).where('connection_id', 'in', [...connectionIds]).execute()) systems.set(r.connection_id, r.system_name);
  }
  if (agencyCodes.length > 0) {
    for (const r of await db.selectFrom('agency').select(['code', 'name']).where('code', 'in', [...agencyCodes]).execute()) agencies.set(r.code, r.name);
  }
  return { systems, agencies };
}

// ---------------------------------------------------------------- visibility decisions

export interface StoredHold extends VisibilityHold {
  personalId: string;
  decisionRef: string;
  decidedBy: string;
  decidedAt: string;
}

export interface StoredRelease extends VisibilityRelease {
  personalId: string;
  releaseId: string;
  releasedBy: string;
  decisionRef: string;
}

export interface StoredDefault extends VisibilityDefault {
  decisionRef: string;
  decidedBy: string;
}

const holdOf = (r: VisibilityHoldTable): StoredHold => ({
  personalId: r.personal_id,
  holdId: r.hold_id,
  requester: r.requester,
  ...(r.period_from !== null ? { from: r.period_from } : {}),
  ...(r.period_to !== null ? { to: r.period_to } : {}),
  kind: r.kind as 'delayed' | 'hidden',
  ...(r.until !== null ? { until: r.until } : {}),
  decisionRef: r.decision_ref,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
});

const releaseOf = (r: VisibilityReleaseTable): StoredRelease => ({
  personalId: r.personal_id,
  releaseId: r.release_id,
  holdId: r.hold_id,
  releasedAt: r.released_at,
  releasedBy: r.released_by,
  decisionRef: r.decision_ref,
});

const defaultOf = (r: VisibilityDefaultTable): StoredDefault => ({
  requester: r.requester,
  seq: Number(r.seq),
  kind: r.kind as 'shown' | 'delayed' | 'hidden',
  ...(r.delay_days !== null ? { delayDays: Number(r.delay_days) } : {}),
  decisionRef: r.decision_ref,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
});

/** The holds on a person, under any of their numbers. */
export async function holdsOf(db: Db, numbers: readonly string[]): Promise<StoredHold[]> {
  if (numbers.length === 0) return [];
  const rows = await inGroups([...numbers], (ids) => db.selectFrom('visibility_hold').selectAll().where('personal_id', 'in', ids).orderBy('decided_at').orderBy('hold_id').execute());
  return rows.sort((a, b) => (a.decided_at < b.decided_at ? -1 : a.decided_at > b.decided_at ? 1 : a.hold_id < b.hold_id ? -1 : 1)).map(holdOf);
}

/** The releases for a person, under any of their numbers. */
export async function releasesOf(db: Db, numbers: readonly string[]): Promise<StoredRelease[]> {
  if (numbers.length === 0) return [];
  const rows = await inGroups([...numbers], (ids) => db.selectFrom('visibility_release').selectAll().where('personal_id', 'in', ids).orderBy('released_at').orderBy('release_id').execute());
  return rows.sort((a, b) => (a.released_at < b.released_at ? -1 : a.released_at > b.released_at ? 1 : a.release_id < b.release_id ? -1 : 1)).map(releaseOf);
}

/** Every requester's defaults, every version (a small table). */
export async function visibilityDefaults(db: Db): Promise<StoredDefault[]> {
  return (await db.selectFrom('visibility_default').selectAll().orderBy('requester').orderBy('seq').execute()).map(defaultOf);
}

/** Everything that decides what this person sees (decisions under any of their numbers). */
export async function visibilityRulesOf(db: Db, numbers: readonly string[]): Promise<VisibilityRules> {
  const [holds, releases, defaults] = await Promise.all([holdsOf(db, numbers), releasesOf(db, numbers), visibilityDefaults(db)]);
  return { holds, releases, defaults };
}

export async function insertHold(db: Db, h: StoredHold): Promise<void> {
  const row: VisibilityHoldTable = {
    personal_id: h.personalId,
    hold_id: h.holdId,
    requester: h.requester,
    period_from: h.from ?? null,
    period_to: h.to ?? null,
    kind: h.kind,
    until: h.until ?? null,
    decision_ref: h.decisionRef,
    decided_by: h.decidedBy,
    decided_at: h.decidedAt,
  };
  await db.insertInto('visibility_hold').values(row).execute();
  await commitRows(db, 'visibility_hold', [row], h.decidedAt);
}

/** A hold on the person, under whichever of their numbers it was placed. */
export async function findHold(db: Db, numbers: readonly string[], holdId: string): Promise<StoredHold | undefined> {
  const r = await db.selectFrom('visibility_hold').selectAll().where('personal_id', 'in', [...numbers]).where('hold_id', '=', holdId).orderBy('personal_id').limit(1).executeTakeFirst();
  return r ? holdOf(r) : undefined;
}

/** A release (a person's hold: once, by the unique index — a second is a unique violation). */
export async function insertRelease(db: Db, r: StoredRelease): Promise<void> {
  const row: VisibilityReleaseTable = { personal_id: r.personalId, release_id: r.releaseId, hold_id: r.holdId, released_at: r.releasedAt, released_by: r.releasedBy, decision_ref: r.decisionRef };
  await db.insertInto('visibility_release').values(row).execute();
  await commitRows(db, 'visibility_release', [row], r.releasedAt);
}

/** The next version of a requester's default (two deciding at once: one loses on the key, 409). */
export async function insertDefault(db: Db, d: Omit<StoredDefault, 'seq'>): Promise<StoredDefault> {
  const last = await db.selectFrom('visibility_default').select(sql<number>`max(seq)`.as('seq')).where('requester', '=', d.requester).executeTakeFirst();
  const seq = Number(last?.seq ?? 0) + 1;
  const row: VisibilityDefaultTable = { requester: d.requester, seq, kind: d.kind, delay_days: d.delayDays ?? null, decision_ref: d.decisionRef, decided_by: d.decidedBy, decided_at: d.decidedAt };
  await db.insertInto('visibility_default').values(row).execute();
  await commitRows(db, 'visibility_default', [row], d.decidedAt);
  return defaultOf(row);
}

// ---------------------------------------------------------------- grievances

export type GrievanceEventKind = GrievanceStatus;

export interface GrievanceEvent {
  seq: number;
  at: string;
  actorId: string;
  kind: GrievanceEventKind;
  text?: string;
}

export interface Grievance {
  personalId: string;
  grievanceId: string;
  entryId: string;
  openedAt: string;
  openedBy: string;
  text: string;
  events: GrievanceEvent[];
}

const eventOf = (r: GrievanceEventTable): GrievanceEvent => ({ seq: Number(r.seq), at: r.at, actorId: r.actor_id, kind: r.kind as GrievanceEventKind, ...(r.text !== null ? { text: r.text } : {}) });

async function withEvents(db: Db, rows: GrievanceTable[]): Promise<Grievance[]> {
  if (rows.length === 0) return [];
  const events = new Map<string, GrievanceEvent[]>();
  // By person: each person's events are on their key.
  const byPerson = new Map<string, string[]>();
  for (const r of rows) byPerson.set(r.personal_id, [...(byPerson.get(r.personal_id) ?? []), r.grievance_id]);
  for (const [personalId, ids] of byPerson) {
    const evs = await db.selectFrom('grievance_event').selectAll().where('personal_id', '=', personalId).where('grievance_id', 'in', ids).orderBy('grievance_id').orderBy('seq').execute();
    for (const e of evs) events.set(e.grievance_id, [...(events.get(e.grievance_id) ?? []), eventOf(e)]);
  }
  return rows.map((r) => ({ personalId: r.personal_id, grievanceId: r.grievance_id, entryId: r.entry_id, openedAt: r.opened_at, openedBy: r.opened_by, text: r.text, events: events.get(r.grievance_id) ?? [] }));
}

/** Opens a grievance with its `opened` event; a second one on the same entry is a unique violation. */
export async function insertGrievance(db: Db, g: Omit<Grievance, 'events'>): Promise<Grievance> {
  const row: GrievanceTable = { personal_id: g.personalId, grievance_id: g.grievanceId, entry_id: g.entryId, opened_at: g.openedAt, opened_by: g.openedBy, text: g.text };
  await db.insertInto('grievance').values(row).execute();
  await commitRows(db, 'grievance', [row], g.openedAt);
  const event = await appendGrievanceEvent(db, g.personalId, g.grievanceId, { seq: 1, at: g.openedAt, actorId: g.openedBy, kind: 'opened' });
  return { ...g, events: [event] };
}

/**
 * A grievance's event at the seq its writer chose from the steps it read (the next after them): if
 * another writer took that seq since, the key refuses it (a lost race, 409) rather than the event
 * landing after a step the writer never saw.
 */
export async function appendGrievanceEvent(db: Db, personalId: string, grievanceId: string, e: GrievanceEvent): Promise<GrievanceEvent> {
  const row: GrievanceEventTable = { personal_id: personalId, grievance_id: grievanceId, seq: e.seq, at: e.at, actor_id: e.actorId, kind: e.kind, text: e.text ?? null };
  await db.insertInto('grievance_event').values(row).execute();
  await commitRows(db, 'grievance_event', [row], e.at);
  return eventOf(row);
}

/** A person's grievances, under any of their numbers. */
export async function grievancesOf(db: Db, numbers: readonly string[]): Promise<Grievance[]> {
  return withEvents(db, await db.selectFrom('grievance').selectAll().where('personal_id', 'in', [...numbers]).orderBy('opened_at', 'desc').orderBy('grievance_id', 'desc').execute());
}

export async function findGrievance(db: Db, grievanceId: string): Promise<Grievance | undefined> {
  const rows = await db.selectFrom('grievance').selectAll().where('grievance_id', '=', grievanceId).execute();
  return (await withEvents(db, rows))[0];
}

/** A grievance by its whole key (the person's number and its ID), with its events. */
export async function grievanceByKey(db: Db, personalId: string, grievanceId: string): Promise<Grievance | undefined> {
  const rows = await db.selectFrom('grievance').selectAll().where('personal_id', '=', personalId).where('grievance_id', '=', grievanceId).execute();
  return (await withEvents(db, rows))[0];
}

/** Grievances oldest first, after a keyset (opened_at, grievance_id). */
export async function grievancePage(db: Db, after: { at: string; id: string } | undefined, limit: number): Promise<Grievance[]> {
  let q = db.selectFrom('grievance').selectAll();
  if (after) q = q.where((eb) => eb.or([eb('opened_at', '>', after.at), eb.and([eb('opened_at', '=', after.at), eb('grievance_id', '>', after.id)])]));
  return withEvents(db, await q.orderBy('opened_at').orderBy('grievance_id').limit(limit).execute());
}
