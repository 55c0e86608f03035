/** Reading citizens: by personal ID (following cancelled numbers), history, and as of an instant. */
import type { Citizen } from '../../domain/citizen/citizen.js';
import { citizenAsOf, type HistoryEntry } from '../../domain/citizen/history.js';
import { RegistryError } from '../../domain/errors/registry-error.js';
import type { Db } from '../../store/schema.js';
import { findCitizen, findFirstCitizen, listHistory } from '../../store/repositories/citizens.js';
import { resolvePersonalId } from '../../store/repositories/personal-ids.js';
import type { ServiceContext } from '../context.js';

export interface ResolvedCitizen {
  citizen: Citizen;
  /** The cancelled numbers walked to reach the current one, when the caller asked by an old number. */
  resolvedFrom?: string[];
}

/** The citizen under this number or under the number that replaced it; undefined if none. */
export async function findCitizenResolved(db: Db, personalId: string): Promise<ResolvedCitizen | undefined> {
  const direct = await findCitizen(db, personalId);
  if (direct) return { citizen: direct };
  const chain = await resolvePersonalId(db, personalId);
  if (chain.length < 2) return undefined;
  const current = await findCitizen(db, chain[chain.length - 1]!);
  return current ? { citizen: current, resolvedFrom: chain.slice(0, -1) } : undefined;
}

export async function getCitizen(ctx: ServiceContext, personalId: string): Promise<ResolvedCitizen> {
  const found = await findCitizenResolved(ctx.store.db, personalId);
  if (!found) throw new RegistryError('CITIZEN_NOT_FOUND');
  return found;
}

export async function getCitizenHistory(ctx: ServiceContext, personalId: string): Promise<{ personalId: string; entries: HistoryEntry[] }> {
  const { citizen } = await getCitizen(ctx, personalId);
  return { personalId: citizen.personalId, entries: await listHistory(ctx.store.db, citizen.personalId) };
}

export async function getCitizenAsOf(ctx: ServiceContext, personalId: string, instant: string): Promise<Citizen> {
  if (Number.isNaN(Date.parse(instant))) throw new RegistryError('INVALID_INSTANT');
  const iso = new Date(instant).toISOString();
  return ctx.store.transaction(async (tx) => {
    const found = await findCitizenResolved(tx, personalId);
    if (!found) throw new RegistryError('CITIZEN_NOT_FOUND');
    const history = await listHistory(tx, found.citizen.personalId);
    const record = citizenAsOf(found.citizen, history, iso);
    if (!record) throw new RegistryError('CITIZEN_NOT_YET_REGISTERED');
    return record;
  });
}

/** The citizen with the lowest personal ID, if any: the demo's start-up message names one to try. */
export const firstCitizen = (store: ServiceContext['store']): Promise<Citizen | undefined> => findFirstCitizen(store.db);
