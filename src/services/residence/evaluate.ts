/**
 * Checks an application against the rules with the facts of the day: at submission (an invalid
 * application is refused and nothing is written) and again at approval (facts may have moved).
 */
import type { Address } from '../../domain/citizen/citizen.js';
import { localDay } from '../../domain/residence/working-days.js';
import type { ResidenceRequest } from '../../domain/residence/requests.js';
import { checkDeregistration } from '../../domain/residence/deregistration.js';
import { DEFAULT_RESIDENCE_POLICY, minimumFloorAreaPerPerson, type ResidencePolicy } from '../../domain/residence/policy.js';
import {
  checkAbsenceDeclaration, checkAdjustment, checkExtension, checkPermanentRegistration, checkSplit,
  checkStayNotice, checkTemporaryRegistration, type PermanentTarget, type Violation,
} from '../../domain/residence/rules.js';
import type { Db } from '../../store/schema.js';
import type { CategoryCatalogue } from '../categories.js';
import { addressViolations, currentHousehold, getHousehold, householdFacts, personState } from './facts.js';
import { prohibitedPlaceAt } from './places.js';

/** Who and where an application is about: the person it is filed under and the commune handling it. */
export interface Subject {
  personalId: string;
  householdId?: string;
  unitCode?: string;
}

export async function subjectOf(tx: Db, r: ResidenceRequest): Promise<Subject> {
  switch (r.procedure) {
    case 'household_split':
    case 'information_adjustment': {
      const h = await getHousehold(tx, r.householdId);
      const personalId = r.procedure === 'household_split' ? r.newHeadPersonalId : (h.headPersonalId ?? h.members[0]?.personalId ?? '');
      return { personalId, householdId: h.householdId, ...unit(h.address) };
    }
    case 'permanent_registration':
      if (r.household) {
        const h = await getHousehold(tx, r.household.householdId);
        return { personalId: r.personalId, householdId: h.householdId, ...unit(h.address) };
      }
      return { personalId: r.personalId, ...unit(r.address) };
    case 'temporary_registration':
    case 'stay_notice':
      return { personalId: r.personalId, ...unit(r.address) };
    default: {
      const s = await personState(tx, r.personalId);
      const reg = s.open.permanent ?? s.open.temporary;
      return { personalId: r.personalId, ...(reg?.householdId ? { householdId: reg.householdId } : {}), ...unit(reg?.address) };
    }
  }
}

const unit = (a: Address | undefined) => (a?.unitCode ? { unitCode: a.unitCode } : {});

/** The province of a registered address (for the council's floor-area figure). */
const provinceOf = (catalogue: CategoryCatalogue, a: Address, day: string): string | undefined =>
  a.unitSet && a.unitCode ? catalogue.unit(a.unitSet, a.unitCode, day)?.provinceCode : undefined;

export async function evaluate(tx: Db, catalogue: CategoryCatalogue, r: ResidenceRequest, day: string, policy: ResidencePolicy = DEFAULT_RESIDENCE_POLICY): Promise<Violation[]> {
  switch (r.procedure) {
    case 'permanent_registration': {
      const s = await personState(tx, r.personalId);
      const current = await currentHousehold(tx, s.open);
      const pre: Violation[] = [];
      let target: PermanentTarget;
      if (r.household && !r.address) {
        target = { kind: 'join', household: await householdFacts(tx, await getHousehold(tx, r.household.householdId)), relationship: r.household.relationship };
      } else if (r.address && !r.household) {
        pre.push(...addressViolations(catalogue, r.address, day, 'address'));
        target = { kind: 'new', address: r.address };
      } else {
        return [{ code: 'VALIDATION_FAILED', field: 'household', message: 'Give either household (to join one) or address (to found one), not both' }];
      }
      const place = await prohibitedPlaceAt(tx, target.kind === 'join' ? target.household.address : target.address, day);
      return [
        ...pre,
        ...checkPermanentRegistration({
          day,
          applicant: s.facts,
          target,
          lawfulResidence: r.lawfulResidence,
          consents: r.consents,
          ...(place ? { prohibitedPlace: place } : {}),
          minFloorAreaPerPerson: minimumFloorAreaPerPerson(policy, provinceOf(catalogue, target.kind === 'join' ? target.household.address : target.address, day)),
          ...(current ? { currentHousehold: await householdFacts(tx, current) } : {}),
          ...(r.newHeadOfCurrentHousehold ? { newHeadOfCurrentHousehold: r.newHeadOfCurrentHousehold } : {}),
        }),
      ];
    }
    case 'temporary_registration': {
      const s = await personState(tx, r.personalId);
      const place = await prohibitedPlaceAt(tx, r.address, day);
      return [
        ...addressViolations(catalogue, r.address, day, 'address'),
        ...checkTemporaryRegistration({
          day, applicant: s.facts, address: r.address, validUntil: r.validUntil, lawfulResidence: r.lawfulResidence, consents: r.consents, policy,
          ...(place ? { prohibitedPlace: place } : {}),
        }),
      ];
    }
    case 'temporary_extension': {
      const s = await personState(tx, r.personalId);
      return checkExtension({ day, applicant: s.facts, validUntil: r.validUntil });
    }
    case 'household_split': {
      const h = await householdFacts(tx, await getHousehold(tx, r.householdId));
      const place = await prohibitedPlaceAt(tx, h.address, day);
      return checkSplit({
        day,
        household: h,
        leaving: r.members,
        newHeadPersonalId: r.newHeadPersonalId,
        consents: r.consents,
        lawfulResidence: r.lawfulResidence,
        divorcedSpouseKeepsDwelling: r.divorcedSpouseKeepsDwelling === true && Boolean(r.divorceDecision?.trim()),
        policy,
        ...(place ? { prohibitedPlace: place } : {}),
        ...(r.newHeadOfRemainingHousehold ? { newHeadOfRemainingHousehold: r.newHeadOfRemainingHousehold } : {}),
      });
    }
    case 'deregistration': {
      const s = await personState(tx, r.personalId);
      const h = r.kind === 'permanent' ? await currentHousehold(tx, s.open) : undefined;
      return checkDeregistration({
        day,
        person: s.facts,
        kind: r.kind,
        reason: r.reason,
        ...(r.absentSince ? { absentSince: r.absentSince } : {}),
        ...(h ? { household: await householdFacts(tx, h) } : {}),
        ...(r.newHeadPersonalId ? { newHeadPersonalId: r.newHeadPersonalId } : {}),
        ...(r.absenceException ? { absenceException: r.absenceException } : {}),
        ...(r.tenancyEndedOn ? { tenancyEndedOn: r.tenancyEndedOn } : {}),
        ...(r.ownershipTransferredOn ? { ownershipTransferredOn: r.ownershipTransferredOn } : {}),
        ...(r.ownerAgreesToKeepRegistration !== undefined ? { ownerAgreesToKeepRegistration: r.ownerAgreesToKeepRegistration } : {}),
        ...(r.dwellingDecision ? { dwellingDecision: r.dwellingDecision } : {}),
      });
    }
    case 'information_adjustment': {
      const h = await householdFacts(tx, await getHousehold(tx, r.householdId));
      const extra = r.adjustment.kind === 'rename_address' ? addressViolations(catalogue, r.adjustment.address, day, 'adjustment/address') : [];
      return [...extra, ...checkAdjustment({ day, household: h, adjustment: r.adjustment, consents: r.consents })];
    }
    case 'stay_notice': {
      const s = await personState(tx, r.personalId);
      return [
        ...addressViolations(catalogue, r.address, day, 'address'),
        ...checkStayNotice({
          arrivalDay: localDay(r.arrivalAt), departureDay: r.departureOn, stayer: s.facts,
          ...(r.closeRelative ? { closeRelative: r.closeRelative } : {}), ...(r.repeated !== undefined ? { repeated: r.repeated } : {}),
        }),
      ];
    }
    case 'absence_declaration': {
      const s = await personState(tx, r.personalId);
      return checkAbsenceDeclaration({
        day, person: s.facts, ground: r.ground, from: r.from, until: r.until,
        ...(r.authorityConsent ? { authorityConsent: r.authorityConsent } : {}),
      });
    }
  }
}
