/** The current record of a citizen inside a transaction, or CITIZEN_NOT_FOUND. */
import type { Citizen } from '../../domain/citizen/citizen.js';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { findCitizen } from '../../store/repositories/citizens.js';
import type { Db } from '../../store/schema.js';

export async function getCurrent(tx: Db, personalId: string): Promise<Citizen> {
  const c = await findCitizen(tx, personalId);
  if (!c) throw new RegistryError('CITIZEN_NOT_FOUND');
  return c;
}
