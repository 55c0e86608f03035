/**
 * Conditions of Luật Cư trú 2020 that are facts about the dwelling or the absence rather than about
 * the people: places where nothing new may be registered (Art. 23), the minimum floor area per
 * person (Art. 20(3)(b)), the exclusions and exceptions of the 12-month absence (Art. 24(1)(d)),
 * and the dwelling grounds of deregistration (Art. 24(1)(e)–(i), Art. 29(1)). Pure checks over facts
 * the service gathers; the register of legal bases is docs/legal/residence.md.
 */
import { addMonths } from '../dates/day-arithmetic.js';
import type { AbsenceException, CloseRelative, DeregistrationReason, LawfulResidence } from './procedures.js';
import { NEEDS_FLOOR_AREA } from './procedures.js';
import type { ResidenceKind } from './time-rules.js';
import { violation as v, type Violation } from './violation.js';

// ---------------------------------------------------------------- Art. 23: places closed to new registration

/** Art. 23 clauses, as the category the authorities maintain records them. */
export const PROHIBITED_PLACE_GROUNDS = {
  prohibited_area: 'Điều 23(1): địa điểm cấm, khu vực cấm xây dựng hoặc lấn chiếm mốc giới, hành lang bảo vệ',
  encroached_land: 'Điều 23(2): toàn bộ diện tích nhà ở nằm trên đất lấn, chiếm trái phép hoặc đất không đủ điều kiện xây dựng',
  land_recovered_or_disputed: 'Điều 23(3): đã có quyết định thu hồi đất và phương án bồi thường; đang tranh chấp, khiếu nại chưa giải quyết',
  confiscated_or_vehicle_deregistered: 'Điều 23(4): bị tịch thu; phương tiện đã bị xóa đăng ký hoặc không có giấy chứng nhận an toàn kỹ thuật',
  demolition_ordered: 'Điều 23(5): nhà ở đã có quyết định phá dỡ',
} as const;
export type ProhibitedPlaceGround = keyof typeof PROHIBITED_PLACE_GROUNDS;

/** An entry of the category of places closed to new registration, as in force on the day asked. */
export interface ProhibitedPlace {
  ground: ProhibitedPlaceGround;
  decision: string;
}

/** Art. 23, 25(1)(c), 27(3): no new permanent or temporary registration, no split, at such a place. */
export function prohibitedPlaceViolations(place: ProhibitedPlace | undefined, field: string): Violation[] {
  if (!place) return [];
  return [v('PLACE_NOT_REGISTRABLE', field, `No new registration at this place (${PROHIBITED_PLACE_GROUNDS[place.ground]}; ${place.decision})`)];
}

// ---------------------------------------------------------------- Art. 20(3)(b): floor area per person

/**
 * Permanent registration in a rented, borrowed or lodged dwelling: the floor area divided among the
 * people registered there (the applicant included) reaches the minimum. Other kinds: no condition.
 */
export function floorAreaViolations(lawful: LawfulResidence, residents: number, minimumPerPerson: number, field = 'lawfulResidence/floorAreaM2'): Violation[] {
  if (!NEEDS_FLOOR_AREA.has(lawful.kind)) return [];
  if (lawful.floorAreaM2 === undefined) return [v('VALIDATION_FAILED', field, 'Give the floor area of the rented, borrowed or lodged dwelling (Art. 20(3)(b))')];
  const people = Math.max(1, residents);
  // Compare in whole products to avoid a division's rounding at the boundary (8 m² × 3 = 24 m²).
  if (lawful.floorAreaM2 < minimumPerPerson * people) {
    return [v('FLOOR_AREA_BELOW_MINIMUM', field, `${lawful.floorAreaM2} m² for ${people} people is under ${minimumPerPerson} m² per person`)];
  }
  return [];
}

// ---------------------------------------------------------------- Art. 24(1)(d): what stops the 12 months

export interface AbsenceFacts {
  kind: ResidenceKind;
  day: string;
  /** A temporary registration elsewhere in force on `day`. */
  temporaryElsewhereInForce: boolean;
  /** An absence declaration in force on `day`. */
  absenceDeclaredInForce: boolean;
  exception?: AbsenceException;
}

/**
 * "vắng mặt liên tục tại nơi thường trú từ 12 tháng trở lên mà không đăng ký tạm trú tại chỗ ở khác
 * hoặc không khai báo tạm vắng, trừ trường hợp …": each of these keeps the permanent registration.
 */
export function absenceExclusionViolations(f: AbsenceFacts): Violation[] {
  if (f.kind !== 'permanent') return [];
  const out: Violation[] = [];
  if (f.temporaryElsewhereInForce) out.push(v('ABSENCE_COVERED_BY_TEMPORARY_REGISTRATION', 'personalId', 'The person holds a temporary registration elsewhere (Art. 24(1)(d))'));
  if (f.absenceDeclaredInForce) out.push(v('ABSENCE_DECLARED', 'personalId', 'The person has declared the absence (Art. 24(1)(d))'));
  if (f.exception) out.push(v('ABSENCE_EXCEPTED', 'absenceException', `The absence is excepted by Art. 24(1)(d): ${f.exception}`));
  return out;
}

// ---------------------------------------------------------------- Art. 24(1)(e)–(i), Art. 29(1): dwelling grounds

export interface DwellingGroundFacts {
  day: string;
  kind: ResidenceKind;
  reason: DeregistrationReason;
  tenancyEndedOn?: string;
  ownershipTransferredOn?: string;
  /** The lessor or new owner agreed that the registration stays (Art. 24(1)(g) and (h)). */
  ownerAgreesToKeepRegistration: boolean;
  /** The decision to demolish or confiscate, or the vehicle's deregistration (Art. 24(1)(i)). */
  dwellingDecision?: string;
}

/** Art. 24(1)(e) and (g): "sau 12 tháng kể từ ngày …". */
export const DWELLING_WAIT_MONTHS = 12;

/** The first day a permanent registration may be ended after `since` (the corresponding day 12 months on). */
export const dwellingWaitOver = (since: string): string => addMonths(since, DWELLING_WAIT_MONTHS);

export function dwellingGroundViolations(f: DwellingGroundFacts): Violation[] {
  const out: Violation[] = [];
  // `waitCode` when the 12 months apply (permanent residence under (e) or (g)), else none.
  const dated = (field: 'tenancyEndedOn' | 'ownershipTransferredOn', date: string | undefined, waitCode?: 'TENANCY_END_WAIT_NOT_OVER' | 'OWNERSHIP_TRANSFER_WAIT_NOT_OVER'): void => {
    if (!date) out.push(v('VALIDATION_FAILED', field, 'Give the day this happened'));
    else if (date > f.day) out.push(v('VALIDATION_FAILED', field, 'The day is in the future'));
    else if (waitCode && f.day < dwellingWaitOver(date)) out.push(v(waitCode, field, `Permanent registration ends 12 months after this day: from ${dwellingWaitOver(date)}`));
  };
  const keep = (why: string): void => {
    if (f.ownerAgreesToKeepRegistration) out.push(v('OWNER_AGREED_TO_KEEP_REGISTRATION', 'ownerAgreesToKeepRegistration', why));
  };
  const permanent = f.kind === 'permanent';
  switch (f.reason) {
    case 'rental_ended':
      // (e) names no consent that stops the 12 months, so a lessor's agreement changes nothing here.
      dated('tenancyEndedOn', f.tenancyEndedOn, permanent ? 'TENANCY_END_WAIT_NOT_OVER' : undefined);
      break;
    case 'ownership_transferred':
      dated('ownershipTransferredOn', f.ownershipTransferredOn, permanent ? 'OWNERSHIP_TRANSFER_WAIT_NOT_OVER' : undefined);
      keep('The new owner agreed to the person staying registered (Art. 24(1)(g), Art. 29(1))');
      break;
    case 'rental_ended_no_consent':
      dated('tenancyEndedOn', f.tenancyEndedOn);
      keep('Art. 24(1)(h) applies only when the lessor did not agree to keep the registration');
      break;
    case 'ownership_transferred_no_consent':
      dated('ownershipTransferredOn', f.ownershipTransferredOn);
      keep('Art. 24(1)(h) applies only when the new owner did not agree to keep the registration');
      break;
    case 'dwelling_demolished_or_confiscated':
      if (!f.dwellingDecision?.trim()) out.push(v('DWELLING_DECISION_REQUIRED', 'dwellingDecision', 'Name the decision to demolish or confiscate, or the vehicle\'s deregistration'));
      break;
  }
  return out;
}

// ---------------------------------------------------------------- Art. 30: one notice for close relatives

export interface StandingNoticeFacts {
  /** The place, as `placeKey` reads it. */
  placeKey: string | undefined;
  /** Who hosts: their personal ID, else their folded name. */
  hostKey: string;
  closeRelative?: CloseRelative;
  repeated: boolean;
}

/** A notice for repeated stays is for the close relatives Art. 30 names. */
export function repeatedNoticeViolations(f: Pick<StandingNoticeFacts, 'closeRelative' | 'repeated'>): Violation[] {
  return f.repeated && !f.closeRelative
    ? [v('REPEATED_NOTICE_NOT_CLOSE_RELATIVE', 'closeRelative', 'One notice for repeated stays is for the host\'s grandparents, parents, spouse, children, grandchildren and siblings (Art. 30)')]
    : [];
}

/**
 * The earlier notice that already covers a stay (Art. 30): given for repeated stays by a close
 * relative, at the same place, with the same host. Later stays then need no notice of their own.
 */
export function coveringNotice<T extends StandingNoticeFacts>(earlier: readonly T[], stay: Pick<StandingNoticeFacts, 'placeKey' | 'hostKey'>): T | undefined {
  if (stay.placeKey === undefined) return undefined;
  return earlier.find((n) => n.repeated && n.closeRelative !== undefined && n.placeKey === stay.placeKey && n.hostKey === stay.hostKey);
}
