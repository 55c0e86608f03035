/**
 * cancelPersonalId: cancels a number on a legal trigger (NĐ 70/2024 Art. 11(7)) and issues a new
 * one that agrees with the corrected data. The record and its history move to the new number;
 * the old number stays linked to it and still resolves to the person.
 */
import type { Address, Citizen, Sex } from '../../domain/citizen/citizen.js';
import { birthRegistrationProvince } from '../../domain/citizen/validate.js';
import { cancellationMatchesCorrection, type PersonalIdCancellationReason } from '../../domain/identity/personal-id.js';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { moveCitizen } from '../../store/repositories/citizens.js';
import { markPersonalIdCancelled, resolvePersonalId } from '../../store/repositories/personal-ids.js';
import type { Actor, ServiceContext } from '../context.js';
import { assertValid, assignPersonalId, prefixFor } from './register.js';
import { getCurrent } from './change.js';
import { listRegistrations, moveResidenceRows } from '../../store/repositories/residence-registrations.js';
import { renameMember } from '../../store/repositories/households.js';
import { openRegistrations } from '../residence/facts.js';
import { lockCitizen, lockHousehold } from '../../store/locks.js';

export interface PersonalIdCancellation {
  reason: PersonalIdCancellationReason;
  legalBasis?: string;
  note?: string;
  corrections: { sex?: Sex; dateOfBirth?: string; birthRegistrationPlace?: Address };
}

export interface ReissueResult {
  citizen: Citizen;
  cancelledPersonalId: string;
}

export async function cancelPersonalId(
  ctx: ServiceContext,
  actor: Actor,
  personalId: string,
  expectedVersion: number | undefined,
  req: PersonalIdCancellation,
): Promise<ReissueResult> {
  const at = ctx.clock.now().toISOString();
  return ctx.store.transaction(async (tx) => {
    // A second cancellation of the same number waits here, then finds it already cancelled.
    await lockCitizen(tx, personalId);
    if ((await resolvePersonalId(tx, personalId)).length > 1) throw new RegistryError('PERSONAL_ID_CANCELLED', { detail: 'the number was already cancelled and re-issued' });
    const before = await getCurrent(tx, personalId);
    if (expectedVersion !== undefined && before.version !== expectedVersion) throw new RegistryError('VERSION_MISMATCH');
    const corrected: Citizen = { ...before, ...req.corrections };
    const { personalId: _p, version: _v, createdAt: _c, updatedAt: _u, ...data } = corrected;
    assertValid(ctx, data);
    const province = (c: Citizen) => birthRegistrationProvince(c, ctx.categories) ?? '';
    if (
      !cancellationMatchesCorrection(
        req.reason,
        { sex: before.sex, dateOfBirth: before.dateOfBirth, provinceCode: province(before) },
        { sex: corrected.sex, dateOfBirth: corrected.dateOfBirth, provinceCode: province(corrected) },
      )
    ) {
      throw new RegistryError('CANCELLATION_REASON_MISMATCH');
    }
    const newId = await assignPersonalId(tx, ctx, prefixFor(ctx, data), at);
    const after: Citizen = { ...corrected, personalId: newId, version: before.version + 1, updatedAt: at };
    await moveCitizen(tx, before, after, {
      actorId: actor.principalId,
      source: 'officer',
      kind: 'reissuePersonalId',
      reason: req.note ? `${req.reason}: ${req.note}` : req.reason,
      legalBasis: req.legalBasis ?? 'NĐ 70/2024/NĐ-CP Điều 11 khoản 7',
      at,
    });
    await markPersonalIdCancelled(tx, before.personalId, newId, req.reason, at);
    // Residence rows are the person's too: they move with the record, and the household names the new number.
    const household = openRegistrations(await listRegistrations(tx, before.personalId)).permanent?.householdId;
    await moveResidenceRows(tx, before.personalId, newId, at);
    if (household) {
      // Citizen, then household (decision 0024): an approval writing it meanwhile is waited for.
      await lockHousehold(tx, household);
      await renameMember(tx, household, before.personalId, newId, { actorId: actor.principalId, source: 'officer', kind: 'identity_data_adjusted', reason: `Số định danh cá nhân cấp lại (${req.reason})`, at });
    }
    return { citizen: after, cancelledPersonalId: before.personalId };
  });
}
