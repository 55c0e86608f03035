/**
 * Households, their members and their history. Every write takes the change's provenance and
 * writes the history version in the same call (DESIGN §3.3); updates are guarded by the version.
 */
import type { Address } from '../../domain/citizen/citizen.js';
import { RegistryError } from '../../domain/errors/registry-error.js';
import type { Relationship } from '../../domain/residence/household.js';
import { diffHouseholds, type FieldChanges, type HouseholdChangeKind, type HouseholdState } from '../../domain/residence/household-history.js';
import type { Db, HouseholdHistoryTable } from '../schema.js';
import { commitRows } from './transparency-leaves.js';

export interface HouseholdMember {
  personalId: string;
  relationship: Relationship;
  joinedOn: string;
}

export interface Household {
  householdId: string;
  address: Address;
  headPersonalId: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  dissolvedAt?: string;
  members: HouseholdMember[];
}

export interface HouseholdChange {
  actorId: string;
  source: string;
  kind: HouseholdChangeKind;
  reason?: string;
  applicationId?: string;
  at: string;
}

export interface HouseholdHistoryEntry {
  version: number;
  recordedAt: string;
  actorId: string;
  source: string;
  kind: HouseholdChangeKind;
  reason?: string;
  applicationId?: string;
  changes: FieldChanges;
}

export function stateOf(h: Pick<Household, 'address' | 'headPersonalId' | 'dissolvedAt' | 'members'>): HouseholdState {
  return {
    address: h.address,
    headPersonalId: h.headPersonalId,
    ...(h.dissolvedAt ? { dissolvedAt: h.dissolvedAt } : {}),
    members: Object.fromEntries(h.members.map((m) => [m.personalId, m.relationship])),
  };
}

export async function findHousehold(db: Db, householdId: string): Promise<Household | undefined> {
  const row = await db.selectFrom('household').selectAll().where('household_id', '=', householdId).executeTakeFirst();
  if (!row) return undefined;
  const members = await db
    .selectFrom('household_member')
    .selectAll()
    .where('household_id', '=', householdId)
    .orderBy('joined_on')
    .orderBy('personal_id')
    .execute();
  return {
    householdId: row.household_id,
    address: JSON.parse(row.address) as Address,
    headPersonalId: row.head_personal_id,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.dissolved_at ? { dissolvedAt: row.dissolved_at } : {}),
    members: members.map((m) => ({ personalId: m.personal_id, relationship: m.relationship as Relationship, joinedOn: m.joined_on })),
  };
}

async function writeHistory(db: Db, householdId: string, version: number, change: HouseholdChange, changes: FieldChanges) {
  // The version guard on the household row already serialises writers; the history key backs it up.
  const row: HouseholdHistoryTable = {
    household_id: householdId,
    version,
    recorded_at: change.at,
    actor_id: change.actorId,
    source: change.source,
    change_kind: change.kind,
    reason: change.reason ?? null,
    application_id: change.applicationId ?? null,
    changes: JSON.stringify(changes),
  };
  await db.insertInto('household_history').values(row).execute();
  await commitRows(db, 'household_history', [row], change.at);
}

/** Inserts a new household (version 1) with its members and its first history version. */
export async function insertHousehold(db: Db, h: Household, change: HouseholdChange): Promise<void> {
  await db
    .insertInto('household')
    .values({
      household_id: h.householdId,
      address: JSON.stringify(h.address),
      head_personal_id: h.headPersonalId,
      version: 1,
      created_at: change.at,
      updated_at: change.at,
      dissolved_at: h.dissolvedAt ?? null,
    })
    .execute();
  if (h.members.length > 0) {
    await db
      .insertInto('household_member')
      .values(h.members.map((m) => ({ household_id: h.householdId, personal_id: m.personalId, relationship: m.relationship, joined_on: m.joinedOn })))
      .execute();
  }
  await writeHistory(db, h.householdId, 1, change, diffHouseholds(null, stateOf(h)));
}

/**
 * Replaces `before` by `after` (same household) when nobody changed it in between: the household
 * row, the member rows that differ, and the history version with the differences.
 */
export async function updateHousehold(db: Db, before: Household, after: Household, change: HouseholdChange): Promise<Household> {
  const changes = diffHouseholds(stateOf(before), stateOf(after));
  const version = before.version + 1;
  const result = await db
    .updateTable('household')
    .set({
      address: JSON.stringify(after.address),
      head_personal_id: after.headPersonalId,
      version,
      updated_at: change.at,
      dissolved_at: after.dissolvedAt ?? null,
    })
    .where('household_id', '=', before.householdId)
    .where('version', '=', before.version)
    .executeTakeFirst();
  // No client sends a household version: a moved version is a concurrent writer, not a stale read.
  if (Number(result.numUpdatedRows) !== 1) throw new RegistryError('CONCURRENT_UPDATE');
  const old = new Map(before.members.map((m) => [m.personalId, m]));
  const now = new Map(after.members.map((m) => [m.personalId, m]));
  for (const m of before.members) {
    if (!now.has(m.personalId)) {
      await db.deleteFrom('household_member').where('household_id', '=', before.householdId).where('personal_id', '=', m.personalId).execute();
    }
  }
  // Whoever stops being head is written before whoever becomes head: one head per household is a
  // unique index (migration 0006), checked row by row.
  const ordered = [...after.members].sort((a, b) => Number(a.relationship === 'head') - Number(b.relationship === 'head'));
  for (const m of ordered) {
    const was = old.get(m.personalId);
    if (!was) {
      await db
        .insertInto('household_member')
        .values({ household_id: before.householdId, personal_id: m.personalId, relationship: m.relationship, joined_on: m.joinedOn })
        .execute();
    } else if (was.relationship !== m.relationship) {
      await db
        .updateTable('household_member')
        .set({ relationship: m.relationship })
        .where('household_id', '=', before.householdId)
        .where('personal_id', '=', m.personalId)
        .execute();
    }
  }
  await writeHistory(db, before.householdId, version, change, changes);
  return { ...after, version, updatedAt: change.at };
}

export async function listHouseholdHistory(db: Db, householdId: string): Promise<HouseholdHistoryEntry[]> {
  const rows = await db.selectFrom('household_history').selectAll().where('household_id', '=', householdId).orderBy('version').execute();
  return rows.map((r) => ({
    version: r.version,
    recordedAt: r.recorded_at,
    actorId: r.actor_id,
    source: r.source,
    kind: r.change_kind as HouseholdChangeKind,
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.application_id ? { applicationId: r.application_id } : {}),
    changes: JSON.parse(r.changes) as FieldChanges,
  }));
}

/** Re-keys a person's membership after the legal re-issue of their personal ID. */
export async function renameMember(db: Db, householdId: string, from: string, to: string, change: HouseholdChange): Promise<void> {
  const before = await findHousehold(db, householdId);
  if (!before) return;
  const after: Household = {
    ...before,
    headPersonalId: before.headPersonalId === from ? to : before.headPersonalId,
    members: before.members.map((m) => (m.personalId === from ? { ...m, personalId: to } : m)),
  };
  await updateHousehold(db, before, after, change);
}
