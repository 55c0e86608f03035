/**
 * The deterministic synthetic population: the same input always yields the same people, and none of
 * them is a real person. Pure: the caller loads the name and unit lists and injects "now".
 */
import { DayTable } from './calendar.js';
import { FamilyGenerator } from './families.js';
import { ResidenceGenerator, emptyResidence, type GeneratedResidence } from './households.js';
import { NamePools, type NameLists } from './names.js';
import { PersonFactory, type GeneratedCitizen } from './person.js';
import { createRandom } from './random.js';
import { UnitPools, type UnitLists } from './units.js';

export type { GeneratedCitizen } from './person.js';
export type { NameLists } from './names.js';
export type { UnitLists } from './units.js';
export type { GeneratedHousehold, GeneratedMember, GeneratedRegistration, GeneratedResidence, GeneratedStayNotice } from './households.js';
export { unitListsFrom } from './units.js';
export { allRegistrations } from './households.js';

export interface GeneratorInput {
  /** The same seed (and the same other input) gives the same population. */
  seed: number;
  /** Number of citizens to produce. */
  count: number;
  /** Surnames with frequency weights; given names (usually two syllables) by sex. */
  names: NameLists;
  /** Provinces and their communes, before and after the 2025 reform. */
  units: UnitLists;
  /** ISO instant used as "today" for ages and registration times. */
  now: string;
}

/**
 * Measured: batches of ~1,000 generate about twice as fast as batches of 5,000. A batch is kept alive
 * until the caller drops it; past V8's young generation (a few MB, ~700 bytes a citizen) its objects
 * get copied and promoted by the GC instead of dying young. SQLite inserts 1,000 rows a transaction
 * just as well.
 */
export const DEFAULT_BATCH_SIZE = 1000;
/** An upper bound on a household's size (the largest shape has 11); a batch always has room for one. */
export const MAX_FAMILY_SIZE = 12;

/**
 * Yields batches of citizens, `count` in all. A family is never split across batches, so each batch
 * can be inserted on its own with all its relatives present. Batches hold at most
 * max(batchSize, MAX_FAMILY_SIZE) citizens, so a whole family always fits. The people generated do
 * not depend on the batch size. Input errors (RangeError) surface on the first next(), as with any
 * generator function. The citizens are those of generateResidentPopulation (a temporary
 * registration valid today shows in the record), without the cost of the households.
 */
export function* generatePopulation(input: GeneratorInput, batchSize = DEFAULT_BATCH_SIZE): Generator<GeneratedCitizen[]> {
  for (const batch of populationBatches(input, batchSize, false)) yield batch.citizens;
}

/** A batch of whole families: the citizens and their residence register (see households.ts). */
export interface PopulationBatch {
  citizens: GeneratedCitizen[];
  residence: GeneratedResidence;
}

/** generatePopulation's batches, each with its households, registrations and stay notices. */
export function generateResidentPopulation(input: GeneratorInput, batchSize = DEFAULT_BATCH_SIZE): Generator<PopulationBatch> {
  return populationBatches(input, batchSize, true);
}

function* populationBatches(input: GeneratorInput, batchSize: number, withResidence: boolean): Generator<PopulationBatch> {
  const { count } = input;
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError('count must be a non-negative integer');
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
  const { families, residence } = createGenerators(input);
  const limit = Math.max(batchSize, MAX_FAMILY_SIZE);

  let batch: PopulationBatch = { citizens: [], residence: emptyResidence() };
  let made = 0;
  while (made < count) {
    const family = families.next(Math.min(MAX_FAMILY_SIZE, count - made));
    if (batch.citizens.length + family.length > limit) {
      yield batch;
      batch = { citizens: [], residence: emptyResidence() };
    }
    // Family by family, so that a batch holds exactly the residence data of its own families.
    if (withResidence) residence.add(family, batch.residence);
    else residence.mirrorOnly(family);
    for (const c of family) batch.citizens.push(c);
    made += family.length;
  }
  if (batch.citizens.length > 0) yield batch;
}

/** Everything in one array: convenient for tests and small demos (memory grows with count). */
export function generateAll(input: GeneratorInput): GeneratedCitizen[] {
  const out: GeneratedCitizen[] = [];
  for (const batch of generatePopulation(input)) for (const c of batch) out.push(c);
  return out;
}

/**
 * A family-at-a-time generator, for callers that need the family boundaries: each call returns one
 * whole family of 1..budget members (budget ≥ 1). Called with MAX_FAMILY_SIZE each time, it gives the
 * families generatePopulation yields for the same input, before residence data (a temporary
 * residence on the record included) is added.
 */
export function createFamilyGenerator(input: Omit<GeneratorInput, 'count'>): { next(budget: number): GeneratedCitizen[] } {
  return createGenerators(input).families;
}

function createGenerators(input: Omit<GeneratorInput, 'count'>): { families: FamilyGenerator; residence: ResidenceGenerator } {
  const { seed, names, units } = input;
  const nowMs = Date.parse(input.now);
  if (Number.isNaN(nowMs)) throw new RangeError(`now is not an ISO instant: ${input.now}`);
  const rng = createRandom(seed);
  const days = new DayTable(new Date(nowMs).getUTCFullYear());
  const namePools = new NamePools(names);
  const unitPools = new UnitPools(units);
  const people = new PersonFactory(rng, seed, namePools, unitPools, days, nowMs);
  return { families: new FamilyGenerator(rng, namePools, unitPools, people), residence: new ResidenceGenerator(seed, namePools, unitPools, nowMs) };
}

/** The PPP codes personal IDs generated from these units can carry ("0" + province code). */
export function idProvinceCodesOf(units: UnitLists): Set<string> {
  return new UnitPools(units).idProvinceCodes();
}
