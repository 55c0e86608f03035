/**
 * A person's residence registrations (permanent, temporary, absence), their residence events and
 * their stay notices — all keyed by personal_id. Every registration write appends the person's
 * next residence event in the same call, so the residence revision (the number of events) moves
 * whenever their residence data does; a residence confirmation records the revision it was issued at.
 */
import type { Address } from '../../domain/citizen/citizen.js';
import type { Relationship } from '../../domain/residence/household.js';
import type { ResidenceEventKind } from '../../domain/residence/household-history.js';
import type { CloseRelative, EndReason } from '../../domain/residence/procedures.js';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { isUniqueViolation } from '../failures.js';
import type { Db, ResidenceEventTable, StayNoticeTable } from '../schema.js';
import { commitRows } from './transparency-leaves.js';

/**
 * Sequence numbers are the next after the highest (one key, no sequence object: DESIGN §5); two
 * transactions taking the same number at once collide on the key, and the later one is refused.
 */
async function insertKeyed(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (e) {
    if (isUniqueViolation(e)) throw new RegistryError('CONCURRENT_UPDATE');
    throw e;
  }
}

export type RegistrationKind = 'permanent' | 'temporary' | 'absence';

export interface Registration {
  personalId: string;
  seq: number;
  kind: RegistrationKind;
  address: Address;
  householdId?: string;
  relationship?: Relationship;
  startOn: string;
  validUntil?: string;
  endedOn?: string;
  endReason?: EndReason;
  applicationId?: string;
  details?: Record<string, unknown>;
  recordedAt: string;
}

export interface ResidenceEventInput {
  kind: ResidenceEventKind;
  actorId: string;
  at: string;
  applicationId?: string;
  details: Record<string, unknown>;
}

export interface ResidenceEvent extends ResidenceEventInput {
  personalId: string;
  revision: number;
}

export interface StayNotice {
  personalId: string;
  seq: number;
  address: Address;
  /** The host, and (Art. 30) what the stayer is to them and whether the notice covers repeated stays. */
  host: { fullName: string; personalId?: string; phone?: string; closeRelative?: CloseRelative; repeated?: boolean };
  arrivalAt: string;
  departureOn: string;
  notifiedAt: string;
  onTime: boolean;
  applicationId?: string;
}

const opt = <K extends string, V>(key: K, value: V | null): { [P in K]?: V } => (value === null ? {} : ({ [key]: value } as { [P in K]?: V }));

export async function listRegistrations(db: Db, personalId: string): Promise<Registration[]> {
  const rows = await db.selectFrom('residence_registration').selectAll().where('personal_id', '=', personalId).orderBy('seq').execute();
  return rows.map((r) => ({
    personalId: r.personal_id,
    seq: r.seq,
    kind: r.kind as RegistrationKind,
    address: JSON.parse(r.address) as Address,
    ...opt('householdId', r.household_id),
    ...opt('relationship', r.relationship as Relationship | null),
    startOn: r.start_on,
    ...opt('validUntil', r.valid_until),
    ...opt('endedOn', r.ended_on),
    ...opt('endReason', r.end_reason as EndReason | null),
    ...opt('applicationId', r.application_id),
    ...(r.details ? { details: JSON.parse(r.details) as Record<string, unknown> } : {}),
    recordedAt: r.recorded_at,
  }));
}

async function appendEvent(db: Db, personalId: string, e: ResidenceEventInput): Promise<number> {
  const row = await db
    .selectFrom('residence_event')
    .select((eb) => eb.fn.max<number>('revision').as('top'))
    .where('personal_id', '=', personalId)
    .executeTakeFirst();
  const revision = Number(row?.top ?? 0) + 1;
  const event: ResidenceEventTable = {
    personal_id: personalId,
    revision,
    recorded_at: e.at,
    actor_id: e.actorId,
    kind: e.kind,
    application_id: e.applicationId ?? null,
    details: JSON.stringify(e.details),
  };
  await insertKeyed(() => db.insertInto('residence_event').values(event).execute());
  await commitRows(db, 'residence_event', [event], e.at);
  return revision;
}

/** Records an event that changes no registration row (e.g. identity data adjusted in the residence file). */
export const recordResidenceEvent = appendEvent;

/** Inserts a registration with the next seq and its event; returns the seq. */
export async function insertRegistration(db: Db, r: Omit<Registration, 'seq'>, event: Omit<ResidenceEventInput, 'details'> & { details?: Record<string, unknown> }): Promise<number> {
  const row = await db
    .selectFrom('residence_registration')
    .select((eb) => eb.fn.max<number>('seq').as('top'))
    .where('personal_id', '=', r.personalId)
    .executeTakeFirst();
  const seq = Number(row?.top ?? 0) + 1;
  await insertKeyed(() => db
    .insertInto('residence_registration')
    .values({
      personal_id: r.personalId,
      seq,
      kind: r.kind,
      address: JSON.stringify(r.address),
      household_id: r.householdId ?? null,
      relationship: r.relationship ?? null,
      start_on: r.startOn,
      valid_until: r.validUntil ?? null,
      ended_on: r.endedOn ?? null,
      end_reason: r.endReason ?? null,
      application_id: r.applicationId ?? null,
      details: r.details ? JSON.stringify(r.details) : null,
      recorded_at: r.recordedAt,
    })
    .execute());
  await appendEvent(db, r.personalId, { ...event, details: { seq, ...(r.householdId ? { householdId: r.householdId, relationship: r.relationship } : {}), ...event.details } });
  return seq;
}

/** Changes what may change on an open registration (validity, household, relationship) and records the event. */
export async function updateRegistration(
  db: Db,
  before: Registration,
  set: { validUntil?: string; householdId?: string; relationship?: Relationship; endedOn?: string; endReason?: EndReason },
  event: Omit<ResidenceEventInput, 'details'>,
): Promise<void> {
  await db
    .updateTable('residence_registration')
    .set({
      ...(set.validUntil !== undefined ? { valid_until: set.validUntil } : {}),
      ...(set.householdId !== undefined ? { household_id: set.householdId } : {}),
      ...(set.relationship !== undefined ? { relationship: set.relationship } : {}),
      ...(set.endedOn !== undefined ? { ended_on: set.endedOn, end_reason: set.endReason ?? null } : {}),
    })
    .where('personal_id', '=', before.personalId)
    .where('seq', '=', before.seq)
    .execute();
  const changes: Record<string, [unknown, unknown]> = {};
  for (const [k, v] of Object.entries(set)) changes[k] = [(before as unknown as Record<string, unknown>)[k] ?? null, v];
  await appendEvent(db, before.personalId, { ...event, details: { seq: before.seq, changes } });
}

export async function listResidenceEvents(db: Db, personalId: string): Promise<ResidenceEvent[]> {
  const rows = await db.selectFrom('residence_event').selectAll().where('personal_id', '=', personalId).orderBy('revision').execute();
  return rows.map((r) => ({
    personalId: r.personal_id,
    revision: r.revision,
    kind: r.kind as ResidenceEventKind,
    actorId: r.actor_id,
    at: r.recorded_at,
    ...opt('applicationId', r.application_id),
    details: JSON.parse(r.details) as Record<string, unknown>,
  }));
}

/** The person's residence revision: 0 before any residence data, then one more per event. */
export async function residenceRevision(db: Db, personalId: string): Promise<number> {
  const row = await db
    .selectFrom('residence_event')
    .select((eb) => eb.fn.max<number>('revision').as('top'))
    .where('personal_id', '=', personalId)
    .executeTakeFirst();
  return Number(row?.top ?? 0);
}

export async function insertStayNotice(db: Db, n: Omit<StayNotice, 'seq'>): Promise<number> {
  const row = await db
    .selectFrom('stay_notice')
    .select((eb) => eb.fn.max<number>('seq').as('top'))
    .where('personal_id', '=', n.personalId)
    .executeTakeFirst();
  const seq = Number(row?.top ?? 0) + 1;
  const notice: StayNoticeTable = {
    personal_id: n.personalId,
    seq,
    address: JSON.stringify(n.address),
    host: JSON.stringify(n.host),
    arrival_at: n.arrivalAt,
    departure_on: n.departureOn,
    notified_at: n.notifiedAt,
    on_time: n.onTime ? 1 : 0,
    application_id: n.applicationId ?? null,
  };
  await insertKeyed(() => db.insertInto('stay_notice').values(notice).execute());
  await commitRows(db, 'stay_notice', [notice], n.notifiedAt);
  return seq;
}

export async function listStayNotices(db: Db, personalId: string): Promise<StayNotice[]> {
  const rows = await db.selectFrom('stay_notice').selectAll().where('personal_id', '=', personalId).orderBy('seq').execute();
  return rows.map((r) => ({
    personalId: r.personal_id,
    seq: r.seq,
    address: JSON.parse(r.address) as Address,
    host: JSON.parse(r.host) as StayNotice['host'],
    arrivalAt: r.arrival_at,
    departureOn: r.departure_on,
    notifiedAt: r.notified_at,
    onTime: r.on_time === 1,
    ...opt('applicationId', r.application_id),
  }));
}

/**
 * Moves a person's residence rows to a new personal ID (legal re-issue), in the caller's
 * transaction: read, delete, insert — the distribution key never changes in place (DESIGN §5).
 * Moved events and stay notices get new leaves under the new number, at `at`; the old leaves stay
 * (how an auditor reads them: moveCitizen in citizens.ts).
 */
export async function moveResidenceRows(db: Db, from: string, to: string, at: string): Promise<void> {
  const regs = await db.selectFrom('residence_registration').selectAll().where('personal_id', '=', from).execute();
  const events = await db.selectFrom('residence_event').selectAll().where('personal_id', '=', from).execute();
  const stays = await db.selectFrom('stay_notice').selectAll().where('personal_id', '=', from).execute();
  await db.deleteFrom('residence_registration').where('personal_id', '=', from).execute();
  await db.deleteFrom('residence_event').where('personal_id', '=', from).execute();
  await db.deleteFrom('stay_notice').where('personal_id', '=', from).execute();
  if (regs.length > 0) await db.insertInto('residence_registration').values(regs.map((r) => ({ ...r, personal_id: to }))).execute();
  const movedEvents = events.map((r) => ({ ...r, personal_id: to }));
  const movedStays = stays.map((r) => ({ ...r, personal_id: to }));
  if (movedEvents.length > 0) await db.insertInto('residence_event').values(movedEvents).execute();
  if (movedStays.length > 0) await db.insertInto('stay_notice').values(movedStays).execute();
  await commitRows(db, 'residence_event', movedEvents, at);
  await commitRows(db, 'stay_notice', movedStays, at);
}
