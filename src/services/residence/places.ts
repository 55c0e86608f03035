/**
 * The category of places closed to new registration (Art. 23), maintained by residence officers,
 * and the lookup the rules use at submission and approval (Art. 23, 25(1)(c), 27(3)).
 */
import type { Address } from '../../domain/citizen/citizen.js';
import type { ProhibitedPlace } from '../../domain/residence/conditions.js';
import { randomCode } from '../../domain/residence/household.js';
import { placeInForce, placeKey, type PlaceLiftingRequest, type ProhibitedPlaceEntry, type ProhibitedPlaceRequest } from '../../domain/residence/places.js';
import { localDay } from '../../domain/residence/working-days.js';
import { RegistryError } from '../../domain/errors/registry-error.js';
import {
  findProhibitedPlace, insertProhibitedPlace, liftProhibitedPlace, listProhibitedPlaces, prohibitedPlacesByKey,
} from '../../store/repositories/residence-places.js';
import type { Db } from '../../store/schema.js';
import type { CategoryCatalogue } from '../categories.js';
import type { Actor, ServiceContext } from '../context.js';
import { addressViolations, throwIfAny } from './facts.js';

/** The entry closing `address` on `day`, if any (the rules turn it into PLACE_NOT_REGISTRABLE). */
export async function prohibitedPlaceAt(db: Db, address: Address, day: string): Promise<ProhibitedPlace | undefined> {
  const key = placeKey(address);
  if (!key) return undefined;
  const hit = (await prohibitedPlacesByKey(db, key)).find((p) => placeInForce(p, day));
  return hit ? { ground: hit.ground, decision: hit.decision } : undefined;
}

export async function addProhibitedPlace(ctx: ServiceContext, catalogue: CategoryCatalogue, actor: Actor, r: ProhibitedPlaceRequest): Promise<ProhibitedPlaceEntry> {
  const at = ctx.clock.now().toISOString();
  // The commune must exist on the day the entry applies from, as for any residence address.
  throwIfAny(addressViolations(catalogue, r.address, r.validFrom, 'address'));
  const key = placeKey(r.address);
  if (!key) throw new RegistryError('ADDRESS_NOT_A_COMMUNE');
  const entry: ProhibitedPlaceEntry = { placeId: `DD-${randomCode(10, () => ctx.randomInt(32))}`, address: r.address, ground: r.ground, decision: r.decision, validFrom: r.validFrom };
  await insertProhibitedPlace(ctx.store.db, entry, key, at, actor.principalId);
  return entry;
}

export async function liftPlace(ctx: ServiceContext, actor: Actor, placeId: string, r: PlaceLiftingRequest): Promise<ProhibitedPlaceEntry> {
  const at = ctx.clock.now().toISOString();
  return ctx.store.transaction(async (tx) => {
    const before = await findProhibitedPlace(tx, placeId);
    if (!before) throw new RegistryError('PLACE_NOT_FOUND');
    if (r.liftedOn <= before.validFrom) throw new RegistryError('VALIDATION_FAILED', { fields: [{ field: 'liftedOn', code: 'VALIDATION_FAILED', message: 'Lifted after the day the entry applies from' }] });
    if (!(await liftProhibitedPlace(tx, placeId, r.liftedOn, r.decision, at, actor.principalId))) throw new RegistryError('PLACE_ALREADY_LIFTED');
    return { ...before, liftedOn: r.liftedOn, liftDecision: r.decision };
  });
}

export async function placesInCommune(ctx: ServiceContext, unitSet: string, unitCode: string, limit = 100): Promise<(ProhibitedPlaceEntry & { inForce: boolean })[]> {
  const today = localDay(ctx.clock.now().toISOString());
  return (await listProhibitedPlaces(ctx.store.db, unitSet, unitCode, limit)).map((p) => ({ ...p, inForce: placeInForce(p, today) }));
}
