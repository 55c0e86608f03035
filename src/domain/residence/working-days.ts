/**
 * Working-day arithmetic for residence procedures: when an application counts as received, when
 * its result is due, and how that deadline stands for an officer's list. Pure: every instant comes
 * in as an argument (DESIGN §3.6). Instants are ISO-8601 strings; local time is a fixed offset
 * (Vietnam is UTC+07:00 all year, no daylight saving), so no time-zone database is needed.
 * Conventions and their reasons: docs/decisions/0010-working-days-and-residence-time-rules.md.
 */
import { addDays } from '../dates/day-arithmetic.js';
import { isValidFullDate } from '../dates/partial-date.js';
import { weekday, type HolidayCalendar } from './holidays.js';

export const VIETNAM_UTC_OFFSET = '+07:00';
/** Minutes after local midnight at which the morning ends ("buổi sáng"). */
export const NOON = 12 * 60;

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const OFFSET = /^([+-])(\d{2}):(\d{2})$/;
const MINUTE_MS = 60_000;

/** Milliseconds since the epoch; RangeError unless the string is an ISO date-time with a zone. */
export function instantMillis(instant: string): number {
  const ms = INSTANT.test(instant) ? Date.parse(instant) : NaN;
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO-8601 instant with a zone: ${instant}`);
  return ms;
}

function offsetMinutes(offset: string): number {
  const m = OFFSET.exec(offset);
  if (!m) throw new RangeError(`not a UTC offset (±HH:MM): ${offset}`);
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

function checkDay(day: string): void {
  if (!isValidFullDate(day)) throw new RangeError(`not a YYYY-MM-DD date: ${day}`);
}

export interface LocalTime {
  /** The local calendar day. */
  day: string;
  /** Minutes after local midnight, 0–1439. */
  minutes: number;
}

/** The local day and time of an instant (Vietnam by default). */
export function localTime(instant: string, offset: string = VIETNAM_UTC_OFFSET): LocalTime {
  const shifted = new Date(instantMillis(instant) + offsetMinutes(offset) * MINUTE_MS);
  return { day: shifted.toISOString().slice(0, 10), minutes: shifted.getUTCHours() * 60 + shifted.getUTCMinutes() };
}

/**
 * The local day of an instant. Use this, not dates/partial-date `dayOf` (UTC): between 00:00 and
 * 07:00 in Vietnam the UTC day is still yesterday.
 */
export function localDay(instant: string, offset: string = VIETNAM_UTC_OFFSET): string {
  return localTime(instant, offset).day;
}

/** The instant (ISO, UTC) at `minutes` after local midnight of `day`; 1440 is the next midnight. */
export function instantAt(day: string, minutes: number, offset: string = VIETNAM_UTC_OFFSET): string {
  checkDay(day);
  return new Date(Date.parse(`${day}T00:00:00Z`) + (minutes - offsetMinutes(offset)) * MINUTE_MS).toISOString();
}

/** Monday–Friday and not a holiday, or a weekend day the calendar turns into a working day. */
export function isWorkingDay(day: string, calendar: HolidayCalendar): boolean {
  if (calendar.extraWorkingDays.has(day)) return true;
  const wd = weekday(day);
  return wd !== 0 && wd !== 6 && !calendar.holidays.has(day);
}

/** The first working day strictly after `day`. */
export function nextWorkingDay(day: string, calendar: HolidayCalendar): string {
  checkDay(day);
  let d = addDays(day, 1);
  // A calendar is finite, so a working day always comes; the bound only catches absurd configuration.
  for (let i = 0; !isWorkingDay(d, calendar); i++) {
    if (i > 3660) throw new RangeError(`no working day within ten years after ${day}`);
    d = addDays(d, 1);
  }
  return d;
}

/**
 * The n-th working day after `day` (n ≥ 0 whole days; 0 gives `day` back). The day of receipt is
 * never counted (BLDS 2015 Art. 147: a period in days starts the day after the event), so
 * 3 working days from a Monday end on Thursday, from a Friday on Wednesday; `day` itself may be a
 * non-working day (a Saturday-morning receipt).
 */
export function addWorkingDays(day: string, n: number, calendar: HolidayCalendar): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number ≥ 0, got ${n}`);
  checkDay(day);
  let d = day;
  for (let i = 0; i < n; i++) d = nextWorkingDay(d, calendar);
  return d;
}

/** The number of working days in (from, to]; 0 when `to` is not after `from`. */
export function workingDaysBetween(from: string, to: string, calendar: HolidayCalendar): number {
  checkDay(from);
  checkDay(to);
  let count = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d, calendar)) count++;
  return count;
}

export type HalfDay = 'morning' | 'afternoon';

/**
 * When an application counts as received: the day, and the half of it (needed only for ½-day
 * periods). A filing deferred to the next working day counts from that day's opening ('morning').
 */
export interface Receipt {
  day: string;
  part: HalfDay;
}

/**
 * Filing is accepted Monday–Friday and Saturday morning (vn-domain §4.1). The online channels are
 * open at all hours, so any time of a working day counts that day, a Saturday that is not a holiday
 * counts until 12:00 local time, and anything else counts on the next working day. A Saturday
 * worked instead of a holiday (extraWorkingDays) is a full working day.
 */
export function receiptOf(instant: string, calendar: HolidayCalendar, offset: string = VIETNAM_UTC_OFFSET): Receipt {
  const { day, minutes } = localTime(instant, offset);
  const part: HalfDay = minutes < NOON ? 'morning' : 'afternoon';
  if (isWorkingDay(day, calendar)) return { day, part };
  if (weekday(day) === 6 && minutes < NOON && !calendar.holidays.has(day)) return { day, part };
  return { day: nextWorkingDay(day, calendar), part: 'morning' };
}

/** The day an application filed at `instant` counts as received (see receiptOf). */
export function receivedOn(instant: string, calendar: HolidayCalendar, offset: string = VIETNAM_UTC_OFFSET): string {
  return receiptOf(instant, calendar, offset).day;
}

/** A legal period in working days; halves allowed (residence confirmation: ½ working day). */
export interface WorkingPeriod {
  days: number;
}

/** The result is due before noon, or by the end of `day`. */
export interface Deadline {
  day: string;
  by: 'noon' | 'end_of_day';
}

/**
 * The deadline of a period counted from a receipt.
 * - Whole days n: the end of the n-th working day after the day of receipt (addWorkingDays).
 * - ½ day: the next half working day — received in the morning of a working day, due by the end
 *   of that day; received in the afternoon or on a Saturday morning, due by noon of the next
 *   working day (the counters' practice "nhận sáng trả chiều, nhận chiều trả sáng hôm sau").
 * - n + ½ days: noon of the working day after the n-day deadline, so every extra half day moves
 *   the deadline later.
 */
export function deadlineFor(receipt: Receipt, period: WorkingPeriod, calendar: HolidayCalendar): Deadline {
  const halves = period.days * 2;
  if (!Number.isInteger(halves) || halves < 1) throw new RangeError(`a period is a positive multiple of ½ day, got ${period.days}`);
  const whole = Math.floor(period.days);
  if (halves % 2 === 0) return { day: addWorkingDays(receipt.day, whole, calendar), by: 'end_of_day' };
  if (whole === 0) {
    return receipt.part === 'morning' && isWorkingDay(receipt.day, calendar)
      ? { day: receipt.day, by: 'end_of_day' }
      : { day: nextWorkingDay(receipt.day, calendar), by: 'noon' };
  }
  return { day: nextWorkingDay(addWorkingDays(receipt.day, whole, calendar), calendar), by: 'noon' };
}

/** The deadline of a period for an application filed at `instant`. */
export function deadlineOfFiling(instant: string, period: WorkingPeriod, calendar: HolidayCalendar, offset: string = VIETNAM_UTC_OFFSET): Deadline {
  return deadlineFor(receiptOf(instant, calendar, offset), period, calendar);
}

/** The instant (ISO, UTC) from which the deadline is missed: local noon, or the next local midnight. */
export function deadlineInstant(deadline: Deadline, offset: string = VIETNAM_UTC_OFFSET): string {
  return instantAt(deadline.day, deadline.by === 'noon' ? NOON : 24 * 60, offset);
}

/**
 * For officers' lists: 'overdue' once the deadline instant has passed; 'due_today' on its local
 * day; 'due_soon' when it is the next working day (on a Friday, Monday's deadlines show up);
 * otherwise 'due'. A bare day is a deadline at the end of that day.
 */
export type DeadlineStatus = 'due' | 'due_soon' | 'due_today' | 'overdue';

export function deadlineStatus(
  deadline: Deadline | string,
  now: string,
  calendar: HolidayCalendar,
  offset: string = VIETNAM_UTC_OFFSET,
): DeadlineStatus {
  const d: Deadline = typeof deadline === 'string' ? { day: deadline, by: 'end_of_day' } : deadline;
  if (instantMillis(now) >= instantMillis(deadlineInstant(d, offset))) return 'overdue';
  const today = localDay(now, offset);
  if (d.day <= today) return 'due_today';
  return d.day <= nextWorkingDay(today, calendar) ? 'due_soon' : 'due';
}
