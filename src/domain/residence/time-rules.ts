/**
 * The time rules of residence (Luật Cư trú 2020, TT 55/2021 as amended by TT 66/2023): procedure
 * periods, the 2-year temporary residence and its extension window, the stay-notice hour rule,
 * absence thresholds for deregistration, and the validity of a residence confirmation (CT07).
 * Every rule is a function of dates given to it: an expired registration is expired because of the
 * day asked about, with no job having to mark it. Days are local (Vietnam) YYYY-MM-DD days, last
 * days are inclusive. Conventions: docs/decisions/0010-working-days-and-residence-time-rules.md.
 */
import { addDays, addMonths, addYears } from '../dates/day-arithmetic.js';
import { isValidFullDate } from '../dates/partial-date.js';
import { RESIDENCE_RULE_SETS } from './rule-sets.js';
import { instantAt, instantMillis, localTime, VIETNAM_UTC_OFFSET, type WorkingPeriod } from './working-days.js';

function checkDay(day: string): void {
  if (!isValidFullDate(day)) throw new RangeError(`not a YYYY-MM-DD date: ${day}`);
}

/**
 * Legal periods in working days, counted from receipt, of the first rule set (Luật Cư trú 2020):
 * kept for callers that do not ask by date. Periods by the day of receipt: rule-sets.ts.
 */
export const PROCEDURE_PERIODS = RESIDENCE_RULE_SETS[0]!.periods;

/** Absence declaration: 1 working day, up to 2 when the case is complex (Art. 31(2)). */
export function absenceDeclarationPeriod(complex: boolean): WorkingPeriod {
  return complex ? PROCEDURE_PERIODS.absenceDeclarationComplex : PROCEDURE_PERIODS.absenceDeclaration;
}

// ---------------------------------------------------------------- temporary residence

export const TEMPORARY_RESIDENCE_MAX_YEARS = 2;
/** A stay of this many days or more needs temporary registration; shorter stays a stay notice. */
export const TEMPORARY_REGISTRATION_MIN_STAY_DAYS = 30;
export const EXTENSION_WINDOW_DAYS = 15;

/**
 * The latest last valid day of a temporary residence starting on `start`: the 2nd anniversary
 * (Art. 27; the start day itself is not counted, BLDS Art. 147, as for card validity in ADR 0008).
 * 29 February starts end on 28 February.
 */
export function maxTemporaryResidenceEnd(start: string): string {
  checkDay(start);
  return addYears(start, TEMPORARY_RESIDENCE_MAX_YEARS);
}

/** True when `end` is an allowed last valid day for a registration starting on `start`. */
export function isAllowedTemporaryResidenceEnd(start: string, end: string): boolean {
  checkDay(end);
  return end >= start && end <= maxTemporaryResidenceEnd(start);
}

export interface TemporaryResidencePeriod {
  /** First valid day. */
  start: string;
  /** Last valid day (inclusive). */
  end: string;
  /** Day the registration was deregistered, if it was (not valid from that day on). */
  deregisteredOn?: string;
}

export type TemporaryResidenceStatus = 'not_yet_valid' | 'active' | 'expired' | 'deregistered';

/** The status on `day`, computed from the dates alone. Deregistration wins over expiry. */
export function temporaryResidenceStatus(registration: TemporaryResidencePeriod, day: string): TemporaryResidenceStatus {
  checkDay(day);
  if (registration.deregisteredOn !== undefined && day >= registration.deregisteredOn) return 'deregistered';
  if (day < registration.start) return 'not_yet_valid';
  return day <= registration.end ? 'active' : 'expired';
}

/**
 * When an extension may be filed: "trong thời hạn 15 ngày trước ngày hết hạn" (Art. 28(3)).
 * From the 15th day before the last valid day through the last valid day itself, both inclusive:
 * the 15 days before cover the literal text, and on the last day the registration is still valid,
 * so an extension then leaves no gap — no reading of the text is refused.
 */
export function extensionWindow(end: string): { from: string; to: string } {
  checkDay(end);
  return { from: addDays(end, -EXTENSION_WINDOW_DAYS), to: end };
}

export function canFileExtension(end: string, day: string): boolean {
  checkDay(day);
  const w = extensionWindow(end);
  return day >= w.from && day <= w.to;
}

export function requiresTemporaryRegistration(stayDays: number): boolean {
  if (!Number.isInteger(stayDays) || stayDays < 0) throw new RangeError(`a stay is a whole number of days ≥ 0, got ${stayDays}`);
  return stayDays >= TEMPORARY_REGISTRATION_MIN_STAY_DAYS;
}

/** Which procedure a stay outside one's residence needs: Art. 27 (≥ 30 days) or a stay notice. */
export function stayProcedure(stayDays: number): 'temporary_registration' | 'stay_notice' {
  return requiresTemporaryRegistration(stayDays) ? 'temporary_registration' : 'stay_notice';
}

// ---------------------------------------------------------------- stay notice (lưu trú)

const STAY_NOTICE_SAME_DAY_LIMIT = 23 * 60;
const STAY_NOTICE_NEXT_MORNING_LIMIT = 8 * 60;

/**
 * The instant (ISO, UTC) before which the host must notify: 23:00 local on the arrival day; for an
 * arrival from 23:00 on (the same-day limit has already passed), 08:00 the next day.
 */
export function stayNoticeDeadline(arrivalInstant: string, offset: string = VIETNAM_UTC_OFFSET): string {
  const { day, minutes } = localTime(arrivalInstant, offset);
  return minutes < STAY_NOTICE_SAME_DAY_LIMIT
    ? instantAt(day, STAY_NOTICE_SAME_DAY_LIMIT, offset)
    : instantAt(addDays(day, 1), STAY_NOTICE_NEXT_MORNING_LIMIT, offset);
}

/** "Trước 23 giờ": strictly before the deadline. A notice given ahead of arrival is on time. */
export function isStayNoticeOnTime(arrivalInstant: string, noticeInstant: string, offset: string = VIETNAM_UTC_OFFSET): boolean {
  return instantMillis(noticeInstant) < instantMillis(stayNoticeDeadline(arrivalInstant, offset));
}

// ---------------------------------------------------------------- deregistration by absence

export type ResidenceKind = 'permanent' | 'temporary';

/** Art. 24(1)(d): 12 months for permanent residence; 6 months for temporary residence. */
export const DEREGISTRATION_ABSENCE_MONTHS: Readonly<Record<ResidenceKind, number>> = { permanent: 12, temporary: 6 };

/**
 * The first day on which an absence that began on `absentSince` has lasted the threshold: the
 * corresponding day 12 (6) months later (BLDS Art. 147–148). The caller decides from when the
 * absence counts (no temporary registration elsewhere, no absence declaration).
 */
export function absenceThresholdDay(kind: ResidenceKind, absentSince: string): string {
  return addMonths(absentSince, DEREGISTRATION_ABSENCE_MONTHS[kind]);
}

/** True when the absence, still going on `day`, reaches the deregistration threshold. */
export function absenceReachesDeregistration(kind: ResidenceKind, absentSince: string, day: string): boolean {
  checkDay(day);
  return day >= absenceThresholdDay(kind, absentSince);
}

// ---------------------------------------------------------------- residence confirmation (CT07)

export const CONFIRMATION_VALIDITY_YEARS = 1;

/** Last valid day of a CT07 issued on `issueDay` (local day): the 1st anniversary, inclusive. */
export function confirmationValidUntil(issueDay: string): string {
  checkDay(issueDay);
  return addYears(issueDay, CONFIRMATION_VALIDITY_YEARS);
}

export type ConfirmationStatus = 'not_yet_issued' | 'valid' | 'expired' | 'residence_changed';

/**
 * The status of a confirmation at `now`. It lapses when the holder's residence data changes after
 * the issue instant (TT 55/2021 Art. 17 as amended): a change at or before `issuedAt` is part of
 * what it confirms; a change after `now` has not happened yet at `now` (history queries).
 * When both happened, the status names the one that ended validity first.
 */
export function confirmationStatus(
  issuedAt: string,
  validUntil: string,
  lastResidenceChangeAt: string | null,
  now: string,
  offset: string = VIETNAM_UTC_OFFSET,
): ConfirmationStatus {
  checkDay(validUntil);
  const nowMs = instantMillis(now);
  const issuedMs = instantMillis(issuedAt);
  // The first instant after the last valid day (local midnight ending it).
  const expiresMs = instantMillis(instantAt(addDays(validUntil, 1), 0, offset));
  if (nowMs < issuedMs) return 'not_yet_issued';
  if (lastResidenceChangeAt !== null) {
    const changeMs = instantMillis(lastResidenceChangeAt);
    if (changeMs > issuedMs && changeMs <= nowMs && changeMs < expiresMs) return 'residence_changed';
  }
  return nowMs < expiresMs ? 'valid' : 'expired';
}

export function isConfirmationValid(
  issuedAt: string,
  validUntil: string,
  lastResidenceChangeAt: string | null,
  now: string,
  offset: string = VIETNAM_UTC_OFFSET,
): boolean {
  return confirmationStatus(issuedAt, validUntil, lastResidenceChangeAt, now, offset) === 'valid';
}
