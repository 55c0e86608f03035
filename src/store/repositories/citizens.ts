/**
 * Citizen rows with their lookup rows (name keys, CMND, phone) and history. Every write takes the
 * ChangeRecord and writes the history row in the same call, so a change can never be saved
 * without its version (DESIGN §3.3). Callers pass an open transaction.
 */
import type { Citizen } from '../../domain/citizen/citizen.js';
import { diffCitizens, type ChangeRecord, type HistoryEntry } from '../../domain/citizen/history.js';
import { nameKeysOf, searchKeysChanged } from '../../domain/citizen/search-keys.js';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { isUniqueViolation } from '../failures.js';
import { preparedRead } from '../fast-read.js';
import type { CitizenHistoryTable, Db } from '../schema.js';
import { citizenToRow, historyToRow, nameKeyToRow, rowToCitizen, rowToHistory } from './citizen-rows.js';
import { commitRows } from './transparency-leaves.js';

const citizenById = preparedRead(1, (db, personalId: string) => db.selectFrom('citizen').selectAll().where('personal_id', '=', personalId));

export async function findCitizen(db: Db, personalId: string): Promise<Citizen | undefined> {
  const row = await citizenById.first(db, personalId);
  return row ? rowToCitizen(row) : undefined;
}

export async function findCitizens(db: Db, personalIds: string[]): Promise<Citizen[]> {
  if (personalIds.length === 0) return [];
  const rows = await db
    .selectFrom('citizen')
    .selectAll()
    .where('personal_id', 'in', personalIds)
    .orderBy('personal_id')
    .execute();
  return rows.map(rowToCitizen);
}

export async function findPersonalIdByLegacyId(db: Db, legacyIdNumber: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('legacy_id_lookup')
    .select('personal_id')
    .where('legacy_id_number', '=', legacyIdNumber)
    .executeTakeFirst();
  return row?.personal_id;
}

async function insertLookups(db: Db, c: Citizen, only?: { names: boolean; legacy: boolean; phone: boolean }) {
  if (!only || only.names) {
    const keys = nameKeysOf(c);
    if (keys.length > 0) {
      await db
        .insertInto('citizen_name_key')
        .values(
          keys.map(nameKeyToRow),
        )
        .execute();
    }
  }
  try {
    if ((!only || only.legacy) && c.legacyIdNumber) {
      await db.insertInto('legacy_id_lookup').values({ legacy_id_number: c.legacyIdNumber, personal_id: c.personalId }).execute();
    }
  } catch (e) {
    if (isUniqueViolation(e)) throw new RegistryError('LEGACY_ID_IN_USE');
    throw e;
  }
  try {
    if ((!only || only.phone) && c.phone) {
      await db.insertInto('phone_lookup').values({ phone: c.phone, personal_id: c.personalId }).execute();
    }
  } catch (e) {
    if (isUniqueViolation(e)) throw new RegistryError('PHONE_IN_USE');
    throw e;
  }
}

async function deleteLookups(db: Db, c: Citizen, only?: { names: boolean; legacy: boolean; phone: boolean }) {
  if (!only || only.names) {
    // Remove exactly the keys this version had (each row is addressed by its whole key).
    for (const k of nameKeysOf(c)) {
      await db
        .deleteFrom('citizen_name_key')
        .where('name_key', '=', k.nameKey)
        .where('birth_year', '=', k.birthYear)
        .where('personal_id', '=', k.personalId)
        .execute();
    }
  }
  if ((!only || only.legacy) && c.legacyIdNumber) {
    await db
      .deleteFrom('legacy_id_lookup')
      .where('legacy_id_number', '=', c.legacyIdNumber)
      .where('personal_id', '=', c.personalId)
      .execute();
  }
  if ((!only || only.phone) && c.phone) {
    await db.deleteFrom('phone_lookup').where('phone', '=', c.phone).where('personal_id', '=', c.personalId).execute();
  }
}

/** Writes a history row and its leaf of the transparency log (the caller's transaction holds both). */
async function insertHistory(db: Db, row: CitizenHistoryTable, at: string): Promise<void> {
  await db.insertInto('citizen_history').values(row).execute();
  await commitRows(db, 'citizen_history', [row], at);
}

/** Inserts a new citizen (version 1) with its lookups and its first history entry. */
export async function insertCitizen(db: Db, c: Citizen, change: ChangeRecord): Promise<void> {
  await db.insertInto('citizen').values(citizenToRow(c)).execute();
  await insertLookups(db, c);
  await insertHistory(db, historyToRow(c.personalId, c.version, change, {}), change.at);
}

/**
 * Replaces `before` by `after` (same personal ID, after.version = before.version + 1) if nobody
 * changed the row in between; writes the history row with the differences. A client's If-Match is
 * compared by the service before this (412 VERSION_MISMATCH); a version moved here is another
 * writer's, a lost race: 409 CONCURRENT_UPDATE (decision 0024), as for households.
 */
export async function updateCitizen(db: Db, before: Citizen, after: Citizen, change: ChangeRecord): Promise<void> {
  const { personal_id: _id, created_at: _created, ...set } = citizenToRow(after);
  const result = await db
    .updateTable('citizen')
    .set(set)
    .where('personal_id', '=', before.personalId)
    .where('version', '=', before.version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new RegistryError('CONCURRENT_UPDATE');
  const which = {
    names: searchKeysChanged(before, after),
    legacy: before.legacyIdNumber !== after.legacyIdNumber,
    phone: before.phone !== after.phone,
  };
  await deleteLookups(db, before, which);
  await insertLookups(db, after, which);
  await insertHistory(db, historyToRow(after.personalId, after.version, change, diffCitizens(before, after)), change.at);
}

/**
 * Moves a citizen to a new personal ID (legal re-issue): the record and its whole history are
 * re-keyed in one transaction; the caller records the redirect in personal_id_issued.
 *
 * The transparency log: each moved history row gets a new leaf under the new number, in this
 * transaction. The leaves written under the old number stay (the log is append-only) and now name
 * rows that no longer exist there. An auditor reads them as moved, not deleted, when the old
 * number's personal_id_issued row is cancelled with replaced_by = the new number and a row with the
 * same ref exists under it, carrying its own leaf; the old leaf's digest is then the digest of that
 * row with personal_id put back to the old number (only the key changed). A number re-issued twice
 * is followed along replaced_by. The same holds for residence_event and stay_notice rows
 * (moveResidenceRows).
 */
export async function moveCitizen(db: Db, before: Citizen, after: Citizen, change: ChangeRecord): Promise<void> {
  const removed = await db
    .deleteFrom('citizen')
    .where('personal_id', '=', before.personalId)
    .where('version', '=', before.version)
    .executeTakeFirst();
  if (Number(removed.numDeletedRows) !== 1) throw new RegistryError('VERSION_MISMATCH');
  await deleteLookups(db, before);
  const history = await db.selectFrom('citizen_history').selectAll().where('personal_id', '=', before.personalId).execute();
  await db.deleteFrom('citizen_history').where('personal_id', '=', before.personalId).execute();
  await db.insertInto('citizen').values(citizenToRow(after)).execute();
  await insertLookups(db, after);
  if (history.length > 0) {
    const moved = history.map((h) => ({ ...h, personal_id: after.personalId }));
    await db.insertInto('citizen_history').values(moved).execute();
    await commitRows(db, 'citizen_history', moved, change.at);
  }
  await insertHistory(db, historyToRow(after.personalId, after.version, change, diffCitizens(before, after)), change.at);
}

export async function listHistory(db: Db, personalId: string): Promise<HistoryEntry[]> {
  const rows = await db
    .selectFrom('citizen_history')
    .selectAll()
    .where('personal_id', '=', personalId)
    .orderBy('version')
    .execute();
  return rows.map(rowToHistory);
}

export async function countCitizens(db: Db): Promise<number> {
  const row = await db.selectFrom('citizen').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The citizen with the lowest personal ID (used to show a working example on the demo). */
export async function findFirstCitizen(db: Db): Promise<Citizen | undefined> {
  const row = await db.selectFrom('citizen').selectAll().orderBy('personal_id').limit(1).executeTakeFirst();
  return row ? rowToCitizen(row) : undefined;
}

const firstSource = preparedRead(1, (db, personalId: string) =>
  db.selectFrom('citizen_history').select('source').where('personal_id', '=', personalId).where('version', '=', 1),
);

/** Where a citizen's record came from (the source of version 1): 'generator' marks synthetic people. */
export async function registrationSourceOf(db: Db, personalId: string): Promise<string | undefined> {
  return (await firstSource.first(db, personalId))?.source;
}
