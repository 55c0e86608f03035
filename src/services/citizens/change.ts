/**
 * Changes to an existing citizen: updateCitizen (optimistic concurrency on the version),
 * recordDeath and declareMissing. Each runs in one transaction with its history row.
 */
import type { Citizen, CitizenData } from '../../domain/citizen/citizen.js';
import { isValidFullDate, yearOf } from '../../domain/dates/partial-date.js';
import { RegistryError } from '../../domain/errors/registry-error.js';
import type { Db } from '../../store/schema.js';
import { updateCitizen as writeUpdate } from '../../store/repositories/citizens.js';
import { getCurrent } from './current.js';
import { deregisterDeceased } from '../residence/effects.js';
import { localDay } from '../../domain/residence/working-days.js';
import type { Actor, ChangeInput, ServiceContext } from '../context.js';
import { assertValid, checkRelativesExist } from './register.js';
import { birthRegistrationProvince } from '../../domain/citizen/validate.js';
import { diffCitizens, type ChangeKind } from '../../domain/citizen/history.js';
import { lockCitizen } from '../../store/locks.js';

/** A partial update: a field set to null is removed (optional fields only). */
export type CitizenPatch = { [K in keyof CitizenData]?: CitizenData[K] | null };

const REQUIRED_FIELDS = new Set<keyof CitizenData>([
  'fullName', 'otherNames', 'dateOfBirth', 'sex', 'placeOfBirth', 'birthRegistrationPlace', 'hometown',
  'ethnicity', 'religion', 'nationality', 'bloodGroup', 'maritalStatus', 'relatives',
]);
/** Life events have their own operations, with their own rules. */
const EVENT_FIELDS = new Set<keyof CitizenData>(['dateOfDeath', 'dateDeclaredMissing']);
/** Residence is changed by residence procedures, which keep these fields in step with the register. */
const RESIDENCE_FIELDS = new Set<keyof CitizenData>(['permanentResidence', 'temporaryResidence']);

export function applyPatch(current: Citizen, patch: CitizenPatch): Citizen {
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch) as [keyof CitizenData, unknown][]) {
    if (value === undefined) continue;
    if (EVENT_FIELDS.has(key)) {
      throw new RegistryError('VALIDATION_FAILED', { fields: [{ field: key, code: 'USE_LIFE_EVENT_OPERATION', message: 'Use recordDeath / declareMissing' }] });
    }
    if (RESIDENCE_FIELDS.has(key)) {
      throw new RegistryError('RESIDENCE_NEEDS_PROCEDURE', { fields: [{ field: key, code: 'RESIDENCE_NEEDS_PROCEDURE', message: 'Use a residence procedure (e.g. registerPermanentResidence)' }] });
    }
    if (value === null) {
      if (REQUIRED_FIELDS.has(key)) {
        throw new RegistryError('VALIDATION_FAILED', { fields: [{ field: key, code: 'REQUIRED', message: `${key} cannot be removed` }] });
      }
      delete next[key];
    } else next[key] = value;
  }
  return next as Citizen;
}

export { getCurrent } from './current.js';

/** Writes `after` as the next version of `before` with the given provenance. */
async function commit(tx: Db, actor: Actor, before: Citizen, next: Citizen, kind: ChangeKind, change: ChangeInput, at: string) {
  const after: Citizen = { ...next, personalId: before.personalId, version: before.version + 1, createdAt: before.createdAt, updatedAt: at };
  await writeUpdate(tx, before, after, {
    actorId: actor.principalId,
    source: change.source ?? 'officer',
    kind,
    reason: change.reason,
    legalBasis: change.legalBasis,
    at,
  });
  return after;
}

function requireReason(change: ChangeInput) {
  if (!change.reason?.trim() && !change.legalBasis?.trim()) throw new RegistryError('REASON_REQUIRED');
}

export async function updateCitizen(
  ctx: ServiceContext,
  actor: Actor,
  personalId: string,
  expectedVersion: number,
  patch: CitizenPatch,
  change: ChangeInput,
): Promise<Citizen> {
  requireReason(change);
  const at = ctx.clock.now().toISOString();
  return ctx.store.transaction(async (tx) => {
    await lockCitizen(tx, personalId);
    const before = await getCurrent(tx, personalId);
    if (before.version !== expectedVersion) throw new RegistryError('VERSION_MISMATCH', { extra: { currentVersion: before.version } });
    const next = applyPatch(before, patch);
    const { personalId: _p, version: _v, createdAt: _c, updatedAt: _u, ...data } = next;
    assertValid(ctx, data);
    if (Object.keys(diffCitizens(before, next)).length === 0) throw new RegistryError('NO_CHANGE');
    // What the number encodes may only change through cancellation and re-issue.
    if (
      next.sex !== before.sex ||
      yearOf(next.dateOfBirth) !== yearOf(before.dateOfBirth) ||
      birthRegistrationProvince(next, ctx.categories) !== birthRegistrationProvince(before, ctx.categories)
    ) {
      throw new RegistryError('PERSONAL_ID_REISSUE_REQUIRED');
    }
    if (patch.relatives) await checkRelativesExist(tx, data);
    return commit(tx, actor, before, next, 'update', change, at);
  });
}

export async function recordDeath(
  ctx: ServiceContext,
  actor: Actor,
  personalId: string,
  dateOfDeath: string,
  change: ChangeInput,
): Promise<Citizen> {
  const at = ctx.clock.now().toISOString();
  return ctx.store.transaction(async (tx) => {
    await lockCitizen(tx, personalId);
    const before = await getCurrent(tx, personalId);
    if (before.dateOfDeath) throw new RegistryError('CITIZEN_DECEASED');
    const next: Citizen = { ...before, dateOfDeath };
    const { personalId: _p, version: _v, createdAt: _c, updatedAt: _u, ...data } = next;
    assertValid(ctx, data);
    // Death deregisters permanent and temporary residence in the same transaction (Luật Cư trú Art. 24(1)(a)).
    const today = localDay(at);
    const ended = await deregisterDeceased(
      { tx, ctx, actor, day: today, at, reason: 'Xóa đăng ký cư trú do công dân chết' },
      personalId,
      isValidFullDate(dateOfDeath) && dateOfDeath <= today ? dateOfDeath : today,
    );
    if (ended > 0) {
      delete next.permanentResidence;
      delete next.temporaryResidence;
    }
    return commit(tx, actor, before, next, 'recordDeath', { source: 'civil_status', ...change }, at);
  });
}

export async function declareMissing(
  ctx: ServiceContext,
  actor: Actor,
  personalId: string,
  dateDeclaredMissing: string,
  change: ChangeInput,
): Promise<Citizen> {
  requireReason(change);
  const at = ctx.clock.now().toISOString();
  return ctx.store.transaction(async (tx) => {
    await lockCitizen(tx, personalId);
    const before = await getCurrent(tx, personalId);
    if (before.dateOfDeath) throw new RegistryError('CITIZEN_DECEASED');
    if (before.dateDeclaredMissing) throw new RegistryError('CITIZEN_ALREADY_MISSING');
    const next: Citizen = { ...before, dateDeclaredMissing };
    const { personalId: _p, version: _v, createdAt: _c, updatedAt: _u, ...data } = next;
    assertValid(ctx, data);
    return commit(tx, actor, before, next, 'declareMissing', change, at);
  });
}
