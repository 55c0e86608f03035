/**
 * registerBirth: creates the citizen and assigns the personal ID in one transaction, and adds the
 * child to the records of the parents it names (each parent gets a new version too).
 */
import type { Citizen, CitizenData } from '../../domain/citizen/citizen.js';
import { validateCitizenData, birthRegistrationProvince } from '../../domain/citizen/validate.js';
import { composePersonalId, idProvinceCode, personalIdPrefix } from '../../domain/identity/personal-id.js';
import { yearOf, dayOf } from '../../domain/dates/partial-date.js';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { insertRegistration } from '../../store/repositories/residence-registrations.js';
import { localDay } from '../../domain/residence/working-days.js';
import { maxTemporaryResidenceEnd } from '../../domain/residence/time-rules.js';
import type { Db } from '../../store/schema.js';
import { claimPersonalId } from '../../store/repositories/personal-ids.js';
import { findCitizen, insertCitizen, updateCitizen } from '../../store/repositories/citizens.js';
import type { Actor, ChangeInput, ServiceContext } from '../context.js';
import { lockCitizen } from '../../store/locks.js';

/** Fields a birth registration may leave out, with the defaults for a newborn. */
export type BirthRegistration = Omit<CitizenData, 'otherNames' | 'religion' | 'bloodGroup' | 'maritalStatus' | 'relatives' | 'hometown' | 'placeOfBirth'> &
  Partial<Pick<CitizenData, 'otherNames' | 'religion' | 'bloodGroup' | 'maritalStatus' | 'relatives' | 'hometown' | 'placeOfBirth'>>;

export function withBirthDefaults(input: BirthRegistration): CitizenData {
  return {
    ...input,
    otherNames: input.otherNames ?? [],
    religion: input.religion ?? '00',
    bloodGroup: input.bloodGroup ?? '00',
    maritalStatus: input.maritalStatus ?? '1',
    relatives: input.relatives ?? [],
    hometown: input.hometown ?? input.birthRegistrationPlace,
    placeOfBirth: input.placeOfBirth ?? input.birthRegistrationPlace,
  };
}

const MAX_ATTEMPTS = 64;

/** Draws random numbers under the prefix until one was never issued. */
export async function assignPersonalId(tx: Db, ctx: ServiceContext, prefix: string, at: string): Promise<string> {
  for (let i = 0; i < MAX_ATTEMPTS; i++) {
    const id = composePersonalId(prefix, ctx.randomInt(1_000_000));
    if (await claimPersonalId(tx, id, at)) return id;
  }
  throw new RegistryError('PERSONAL_ID_EXHAUSTED', { detail: `prefix ${prefix}` });
}

/** Checks that relatives linked by personal ID exist. */
export async function checkRelativesExist(tx: Db, data: CitizenData): Promise<void> {
  for (const [i, r] of data.relatives.entries()) {
    if (r.personalId && !(await findCitizen(tx, r.personalId))) {
      throw new RegistryError('RELATIVE_NOT_FOUND', { fields: [{ field: `relatives.${i}.personalId`, code: 'RELATIVE_NOT_FOUND', message: 'No citizen has this ID' }] });
    }
  }
}

/** The personal-ID prefix for the data, or the precise reason it cannot be derived. */
export function prefixFor(ctx: ServiceContext, data: CitizenData): string {
  const province = birthRegistrationProvince(data, ctx.categories);
  if (!province) throw new RegistryError('BIRTH_REGISTRATION_PROVINCE_REQUIRED');
  const prefix = personalIdPrefix(idProvinceCode(province), yearOf(data.dateOfBirth), data.sex);
  if (!prefix) throw new RegistryError('BIRTH_YEAR_OUT_OF_RANGE');
  return prefix;
}

export function assertValid(ctx: ServiceContext, data: CitizenData): void {
  const problems = validateCitizenData(data, ctx.categories, dayOf(ctx.clock.now()));
  if (problems.length > 0) throw new RegistryError('VALIDATION_FAILED', { fields: problems });
}

export async function registerBirth(ctx: ServiceContext, actor: Actor, input: BirthRegistration, change: ChangeInput = {}): Promise<Citizen> {
  const data = withBirthDefaults(input);
  assertValid(ctx, data);
  const prefix = prefixFor(ctx, data);
  const at = ctx.clock.now().toISOString();
  const source = change.source ?? 'civil_status';
  return ctx.store.transaction(async (tx) => {
    await checkRelativesExist(tx, data);
    const personalId = await assignPersonalId(tx, ctx, prefix, at);
    const citizen: Citizen = { personalId, version: 1, ...data, createdAt: at, updatedAt: at };
    await insertCitizen(tx, citizen, { actorId: actor.principalId, source, kind: 'registerBirth', reason: change.reason, legalBasis: change.legalBasis, at });
    // Birth registration bundled with permanent registration ("liên thông"): the residence register
    // gets the registration the record names, so both say the same; joining the parents' household
    // is a permanent-registration application.
    for (const kind of ['permanent', 'temporary'] as const) {
      const address = kind === 'permanent' ? data.permanentResidence : data.temporaryResidence;
      if (!address) continue;
      await insertRegistration(
        tx,
        { personalId, kind, address, startOn: localDay(at), recordedAt: at, ...(kind === 'temporary' ? { validUntil: maxTemporaryResidenceEnd(localDay(at)) } : {}) },
        { kind: kind === 'permanent' ? 'permanent_registered' : 'temporary_registered', actorId: actor.principalId, at },
      );
    }
    // Parents in key order: two births to the same parents lock them in the same order.
    const parents = data.relatives.filter((r) => (r.relation === 'father' || r.relation === 'mother') && r.personalId).sort((a, b) => (a.personalId! < b.personalId! ? -1 : 1));
    for (const r of parents) {
      if (r.personalId) {
        await lockCitizen(tx, r.personalId);
        const parent = await findCitizen(tx, r.personalId);
        if (!parent) continue;
        const after: Citizen = {
          ...parent,
          version: parent.version + 1,
          updatedAt: at,
          relatives: [...parent.relatives, { relation: 'child', personalId, fullName: data.fullName, nationality: data.nationality }],
        };
        await updateCitizen(tx, parent, after, { actorId: actor.principalId, source, kind: 'update', reason: 'Đăng ký khai sinh cho con / birth of a child registered', at });
      }
    }
    return citizen;
  });
}
