/**
 * Calendar arithmetic on ISO days (YYYY-MM-DD), in UTC, with the Civil Code's rule for periods
 * (BLDS 2015 Art. 148): a period ending in a month that lacks the corresponding day ends on that
 * month's last day (29 February + 1 year → 28 February; 31 August + 6 months → 28/29 February).
 * Card expiry, residence validity and deadlines all count this way.
 */
import { daysInMonth, isLeapYear, isValidFullDate } from './partial-date.js';

function checkDay(day: string): void {
  if (!isValidFullDate(day)) throw new RangeError(`not a YYYY-MM-DD date: ${day}`);
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The same day and month `years` later (negative: earlier). */
export function addYears(day: string, years: number): string {
  const y = Number(day.slice(0, 4)) + years;
  const monthDay = day.slice(4) === '-02-29' && !isLeapYear(y) ? '-02-28' : day.slice(4);
  return `${String(y).padStart(4, '0')}${monthDay}`;
}

/** The same day `months` later, on the month's last day when it has no such day. */
export function addMonths(day: string, months: number): string {
  checkDay(day);
  const total = Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1 + months;
  const y = Math.floor(total / 12);
  const m = total - y * 12 + 1;
  const d = Math.min(Number(day.slice(8, 10)), daysInMonth(y, m));
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
