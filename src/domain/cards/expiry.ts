/**
 * When a card expires. The 2014 and 2023 laws tie a chip card's validity to the holder's age, not
 * to a number of years:
 * - thẻ căn cước (Luật Căn cước 2023 Art. 21): renew at 14, 25, 40 and 60;
 * - CCCD (Luật CCCD 2014 Art. 21): renew at 25, 40 and 60;
 * - both: a card issued within the 2 years before a renewal age stays valid until the following
 *   renewal age, so a card issued from 58 on (and any card issued from 60 on) never expires.
 * The card expires on the birthday at which the holder reaches the renewal age; that day is the
 * last valid day (as printed, "có giá trị đến"). See docs/decisions/0008-card-validity-and-qr.md
 * for the conventions below (29 February, partial dates of birth, window boundaries).
 */
import { earliestDay, isValidFullDate, isValidPartialDate, daysInMonth, precisionOf } from '../dates/partial-date.js';
import { addDays, addYears } from '../dates/day-arithmetic.js';
import { CMND_LAST_VALID_DAY, CMND_VALIDITY_YEARS, type CardGeneration } from './card.js';

export type RenewingGeneration = Exclude<CardGeneration, 'CMND'>;

export const RENEWAL_AGES: Readonly<Record<RenewingGeneration, readonly number[]>> = {
  CCCD: [25, 40, 60],
  CAN_CUOC: [14, 25, 40, 60],
};
/** "trong thời hạn 02 năm trước độ tuổi cấp đổi" — Art. 21(2) of both laws. */
export const RENEWAL_WINDOW_YEARS = 2;

/** The day a person born on `dateOfBirth` (full date) turns `age`. */
export function birthdayAt(dateOfBirth: string, age: number): string {
  return addYears(dateOfBirth, age);
}

/** Completed years ("đủ … tuổi") on `day` for a full date of birth; turns over on the birthday. */
export function ageOn(dateOfBirth: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(dateOfBirth.slice(0, 4));
  return birthdayAt(dateOfBirth, years) > day ? years - 1 : years;
}

/**
 * The renewal age a card issued at `issueAge` (completed years) runs to, or null when none is left.
 * The first renewal age A with issueAge < A − 2: ages already reached are behind the holder, and
 * ages reached within 2 years of the issue are skipped. The window includes its first day (a card
 * issued on the 58th birthday never expires): "trong thời hạn 02 năm trước" counts back 2 whole
 * years from the renewal birthday, and that day is the first day of the 2 years.
 */
export function renewalAgeForIssueAge(generation: RenewingGeneration, issueAge: number): number | null {
  for (const age of RENEWAL_AGES[generation]) if (issueAge < age - RENEWAL_WINDOW_YEARS) return age;
  return null;
}

export interface Renewal {
  /** The renewal age the card runs to; null = the card does not expire. */
  age: number | null;
  /** Last valid day; null = does not expire. */
  expiryDate: string | null;
}

function renewalForFullDob(generation: RenewingGeneration, dateOfBirth: string, issueDate: string): Renewal {
  const age = renewalAgeForIssueAge(generation, ageOn(dateOfBirth, issueDate));
  return { age, expiryDate: age === null ? null : birthdayAt(dateOfBirth, age) };
}

function latestDay(date: string): string {
  if (date.length === 10) return date;
  const y = Number(date.slice(0, 4));
  if (date.length === 7) return `${date}-${String(daysInMonth(y, Number(date.slice(5, 7)))).padStart(2, '0')}`;
  return `${date}-12-31`;
}

function checkDates(dateOfBirth: string, issueDate: string): void {
  if (!isValidPartialDate(dateOfBirth)) throw new RangeError('date of birth is not a valid YYYY, YYYY-MM or YYYY-MM-DD date');
  if (!isValidFullDate(issueDate)) throw new RangeError('issue date is not a valid YYYY-MM-DD date');
  if (issueDate < earliestDay(dateOfBirth)) throw new RangeError('issue date is before the date of birth');
}

/**
 * The renewal of a CCCD / căn cước issued on `issueDate` to a person born on `dateOfBirth`.
 *
 * A partial date of birth ("1990", "1990-05") stands for every day of its period up to the issue
 * date. We return the earliest expiry any of those days would give (null only if none expires), so
 * a card is never shown valid longer than the law allows for the real birthday. Neither fixed day
 * does that: taking the first day makes the holder as old as possible and can wrongly apply the
 * 2-year rule (10+ years too long); the last day can still overshoot by up to a year.
 * The minimum is found exactly, without trying every day: the renewal age only changes where the
 * age at issue crosses a window start (A − 2), and within a stretch of equal renewal age the expiry
 * grows with the birthday, so the stretch starts (and a few neighbours, for 29 February) suffice.
 * Throws RangeError on dates that are not real or an issue before birth (callers validate first).
 */
export function renewalDue(generation: RenewingGeneration, dateOfBirth: string, issueDate: string): Renewal {
  checkDates(dateOfBirth, issueDate);
  if (precisionOf(dateOfBirth) === 'day') return renewalForFullDob(generation, dateOfBirth, issueDate);
  const first = earliestDay(dateOfBirth);
  const last = latestDay(dateOfBirth) < issueDate ? latestDay(dateOfBirth) : issueDate;
  const candidates = new Set([first, last]);
  for (const age of RENEWAL_AGES[generation]) {
    const crossing = addYears(issueDate, -(age - RENEWAL_WINDOW_YEARS));
    for (let k = -2; k <= 2; k++) {
      const d = addDays(crossing, k);
      if (d >= first && d <= last) candidates.add(d);
    }
  }
  let best: Renewal | undefined;
  for (const d of candidates) {
    const r = renewalForFullDob(generation, d, issueDate);
    if (best === undefined || (r.expiryDate !== null && (best.expiryDate === null || r.expiryDate < best.expiryDate))) best = r;
  }
  return best!;
}

/** The renewal age a card runs to (see renewalDue), or null when it does not expire. */
export function renewalAgeDue(generation: RenewingGeneration, dateOfBirth: string, issueDate: string): number | null {
  return renewalDue(generation, dateOfBirth, issueDate).age;
}

/**
 * The expiry (last valid day) of a card, or null when it does not expire.
 * CMND: 15 years from issue (the anniversary, BLDS 2015 Art. 147–148), cut at 31/12/2024
 * (Luật Căn cước Art. 46(2)); the date of birth does not matter but is still checked.
 */
export function cardExpiry(generation: CardGeneration, dateOfBirth: string, issueDate: string): string | null {
  if (generation !== 'CMND') return renewalDue(generation, dateOfBirth, issueDate).expiryDate;
  checkDates(dateOfBirth, issueDate);
  const printed = addYears(issueDate, CMND_VALIDITY_YEARS);
  return printed < CMND_LAST_VALID_DAY ? printed : CMND_LAST_VALID_DAY;
}
