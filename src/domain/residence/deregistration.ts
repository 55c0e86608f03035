/**
 * The conditions of deregistration (Luật Cư trú 2020 Art. 24(1) for permanent, Art. 29(1) for
 * temporary residence), as a pure check over facts the service gathers. Legal bases, point by point:
 * docs/legal/residence.md.
 */
import { absenceExclusionViolations, dwellingGroundViolations } from './conditions.js';
import type { HouseholdFacts } from './household.js';
import { reasonAppliesTo, type AbsenceException, type DeregistrationReason } from './procedures.js';
import { leavingHeadViolations, sameAddress, type PersonFacts, type RegistrationFacts } from './rules.js';
import { absenceReachesDeregistration, type ResidenceKind } from './time-rules.js';
import { violation as v, type Violation } from './violation.js';

export interface DeregistrationFacts {
  day: string;
  person: PersonFacts;
  kind: ResidenceKind;
  reason: DeregistrationReason;
  /** For the absence reason: since when the person has been away. */
  absentSince?: string;
  household?: HouseholdFacts;
  newHeadPersonalId?: string;
  absenceException?: AbsenceException;
  tenancyEndedOn?: string;
  ownershipTransferredOn?: string;
  ownerAgreesToKeepRegistration?: boolean;
  dwellingDecision?: string;
}

/** A registration in force on `day`: started, and not past its last valid day if it has one. */
const inForce = (r: RegistrationFacts | undefined, day: string): boolean =>
  r !== undefined && r.startOn <= day && (r.validUntil === undefined || r.validUntil >= day);

/** Deregistration: Art. 24(1)(a)–(i) (permanent), Art. 29(1) (temporary). Register C10–C16. */
export function checkDeregistration(f: DeregistrationFacts): Violation[] {
  const out: Violation[] = [];
  const reg = f.kind === 'permanent' ? f.person.permanent : f.person.temporary;
  if (!reg) out.push(v('NOT_REGISTERED', 'kind', `There is no ${f.kind} registration to end`));
  if (!reasonAppliesTo(f.reason, f.kind)) out.push(v('DEREGISTRATION_REASON_NOT_APPLICABLE', 'reason', `${f.reason} does not end a ${f.kind} registration`));
  if (f.reason === 'death' && !f.person.dead) out.push(v('LIFE_EVENT_NOT_RECORDED', 'reason', 'Record the death first'));
  if (f.reason === 'declared_missing' && !f.person.missing) out.push(v('LIFE_EVENT_NOT_RECORDED', 'reason', 'Record the declaration of missing first'));
  if (f.reason === 'absence') {
    if (!f.absentSince) out.push(v('VALIDATION_FAILED', 'absentSince', 'Give the day the absence began'));
    else if (!absenceReachesDeregistration(f.kind, f.absentSince, f.day)) {
      out.push(v('ABSENCE_TOO_SHORT', 'absentSince', f.kind === 'permanent' ? 'Permanent residence ends after 12 months of absence' : 'Temporary residence ends after 6 months of absence'));
    }
    const perm = f.person.permanent;
    out.push(...absenceExclusionViolations({
      kind: f.kind,
      day: f.day,
      temporaryElsewhereInForce: inForce(f.person.temporary, f.day) && !(perm && f.person.temporary && sameAddress(perm.address, f.person.temporary.address)),
      absenceDeclaredInForce: inForce(f.person.absence, f.day),
      ...(f.absenceException ? { exception: f.absenceException } : {}),
    }));
  }
  out.push(...dwellingGroundViolations({
    day: f.day, kind: f.kind, reason: f.reason, ownerAgreesToKeepRegistration: f.ownerAgreesToKeepRegistration === true,
    ...(f.tenancyEndedOn ? { tenancyEndedOn: f.tenancyEndedOn } : {}),
    ...(f.ownershipTransferredOn ? { ownershipTransferredOn: f.ownershipTransferredOn } : {}),
    ...(f.dwellingDecision ? { dwellingDecision: f.dwellingDecision } : {}),
  }));
  if (f.reason === 'permanent_here' && (!f.person.permanent || !reg || !sameAddress(f.person.permanent.address, reg.address))) {
    out.push(v('DEREGISTRATION_REASON_NOT_APPLICABLE', 'reason', 'The person is not permanently registered at the place of temporary residence'));
  }
  // A head who dies or goes missing leaves the headship vacant; anyone else must be replaced at once.
  if (f.kind === 'permanent' && f.reason !== 'death' && f.reason !== 'declared_missing') {
    out.push(...leavingHeadViolations(f.person.personalId, f.household, f.newHeadPersonalId, 'newHeadPersonalId', f.day));
  }
  return out;
}

