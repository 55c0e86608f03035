/** The Art. 23 category: entries by place key, added and lifted, never deleted. */
import type { Address } from '../../domain/citizen/citizen.js';
import type { ProhibitedPlaceGround } from '../../domain/residence/conditions.js';
import type { ProhibitedPlaceEntry } from '../../domain/residence/places.js';
import type { Db } from '../schema.js';
import type { ResidenceProhibitedPlaceTable } from '../schema-residence-places.js';

const toEntry = (r: ResidenceProhibitedPlaceTable): ProhibitedPlaceEntry => ({
  placeId: r.place_id,
  address: JSON.parse(r.address) as Address,
  ground: r.ground as ProhibitedPlaceGround,
  decision: r.decision,
  validFrom: r.valid_from,
  ...(r.lifted_on ? { liftedOn: r.lifted_on } : {}),
  ...(r.lift_decision ? { liftDecision: r.lift_decision } : {}),
});

export async function insertProhibitedPlace(db: Db, e: ProhibitedPlaceEntry, placeKey: string, at: string, by: string): Promise<void> {
  await db.insertInto('residence_prohibited_place').values({
    place_id: e.placeId, place_key: placeKey, address: JSON.stringify(e.address), ground: e.ground, decision: e.decision,
    valid_from: e.validFrom, lifted_on: null, lift_decision: null, lifted_at: null, lifted_by: null, recorded_at: at, recorded_by: by,
  }).execute();
}

export async function findProhibitedPlace(db: Db, placeId: string): Promise<ProhibitedPlaceEntry | undefined> {
  const r = await db.selectFrom('residence_prohibited_place').selectAll().where('place_id', '=', placeId).executeTakeFirst();
  return r ? toEntry(r) : undefined;
}

/** Entries for one place key, oldest first (a place closed, lifted and closed again has several). */
export async function prohibitedPlacesByKey(db: Db, placeKey: string): Promise<ProhibitedPlaceEntry[]> {
  const rows = await db.selectFrom('residence_prohibited_place').selectAll().where('place_key', '=', placeKey).orderBy('valid_from').orderBy('place_id').limit(100).execute();
  return rows.map(toEntry);
}

/** Lifts an entry not yet lifted; false when it was already lifted (or does not exist). */
export async function liftProhibitedPlace(db: Db, placeId: string, liftedOn: string, decision: string, at: string, by: string): Promise<boolean> {
  const r = await db.updateTable('residence_prohibited_place').set({ lifted_on: liftedOn, lift_decision: decision, lifted_at: at, lifted_by: by })
    .where('place_id', '=', placeId).where('lifted_on', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Entries in a commune (unit list and code), newest first, for the officers' list. */
export async function listProhibitedPlaces(db: Db, unitSet: string, unitCode: string, limit: number): Promise<ProhibitedPlaceEntry[]> {
  const rows = await db.selectFrom('residence_prohibited_place').selectAll().where('place_key', 'like', `${unitSet}|${unitCode}|%`)
    .orderBy('valid_from', 'desc').orderBy('place_id').limit(limit).execute();
  return rows.map(toEntry);
}
