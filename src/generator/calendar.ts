/**
 * Days as integers (days since 1970-01-01, UTC) with precomputed "YYYY-MM-DD" strings and years:
 * formatting a date through Date objects costs more than the rest of a citizen, so each day's string
 * is built once and shared.
 */
import { daysInMonth } from '../domain/dates/partial-date.js';

export const DAY_MS = 86_400_000;
export const FIRST_YEAR = 1900;

/** The day number of a calendar date. */
export function dayNumber(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);
}

const FIRST_DAY = dayNumber(FIRST_YEAR, 1, 1);
const TWO = Array.from({ length: 32 }, (_, i) => String(i).padStart(2, '0'));

let strings: string[] = [];
let years = new Int16Array(0);
let lastYearBuilt = FIRST_YEAR - 1;

/** Builds the tables through `lastYear` (once per process; later calls only extend them). */
function ensureYears(lastYear: number): void {
  if (lastYear <= lastYearBuilt) return;
  const total = dayNumber(lastYear + 1, 1, 1) - FIRST_DAY;
  const nextYears = new Int16Array(total);
  nextYears.set(years);
  let i = strings.length;
  for (let y = lastYearBuilt + 1; y <= lastYear; y++) {
    for (let m = 1; m <= 12; m++) {
      const head = `${y}-${TWO[m]!}-`;
      const n = daysInMonth(y, m);
      for (let d = 1; d <= n; d++) {
        strings.push(head + TWO[d]!);
        nextYears[i++] = y;
      }
    }
  }
  years = nextYears;
  lastYearBuilt = lastYear;
}

/** Fast day ↔ string/year conversions for days from 1900-01-01 through the end of `lastYear`. */
export class DayTable {
  readonly firstDay = FIRST_DAY;
  readonly lastDay: number;

  constructor(lastYear: number) {
    if (lastYear > 2199) throw new RangeError('dates after 2199 are not supported');
    ensureYears(lastYear);
    this.lastDay = dayNumber(lastYear + 1, 1, 1) - 1;
    // Keep local references: a later, longer table replaces the module arrays, not these.
    this.strings = strings;
    this.years = years;
  }

  private readonly strings: string[];
  private readonly years: Int16Array;

  /** "YYYY-MM-DD". */
  iso(day: number): string {
    return this.strings[day - FIRST_DAY]!;
  }

  year(day: number): number {
    return this.years[day - FIRST_DAY]!;
  }
}

function digits(s: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) v = v * 10 + s.charCodeAt(i) - 48;
  return v;
}

/**
 * The day number of a "YYYY-MM-DD" string, by integer arithmetic (H. Hinnant's days_from_civil):
 * the residence generator reads a date of birth per person, and Date.UTC costs more than the rest.
 */
export function dayNumberOfIso(day: string): number {
  return civilDay(digits(day, 0, 4), digits(day, 5, 7), digits(day, 8, 10));
}

/** The day number of year/month/day (proleptic Gregorian), without a Date. */
export function civilDay(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

/** The last day a recorded (possibly partial) date can stand for: "1950" may be 31 December 1950. */
export function latestDayOf(date: string): number {
  const y = digits(date, 0, 4);
  if (date.length === 10) return civilDay(y, digits(date, 5, 7), digits(date, 8, 10));
  const m = date.length === 7 ? digits(date, 5, 7) : 12;
  return civilDay(y, m, daysInMonth(y, m));
}
