/**
 * Public-holiday calendars for working-day deadlines (residence procedures count "ngày làm việc").
 *
 * A calendar is configuration, not law: Bộ luật Lao động 2019 Art. 112 fixes how many days each
 * holiday has, but the Prime Minister fixes the exact Tết days and the day next to 2 September every
 * year, and swaps days (a Saturday worked to bridge a holiday). `vietnamHolidays` is only the default
 * that an operator adjusts with the year's decision (`adjustCalendar`). Conventions:
 * docs/decisions/0010-working-days-and-residence-time-rules.md.
 */
import { Type, type Static } from '@sinclair/typebox';
import { FullDate } from '../citizen/citizen.js';
import { isValidFullDate } from '../dates/partial-date.js';
import { addDays } from '../dates/day-arithmetic.js';

export interface HolidayCalendar {
  /** Weekdays off: public holidays and their compensatory days (nghỉ bù). Weekends need not be listed. */
  readonly holidays: ReadonlySet<string>;
  /** Saturdays or Sundays the government turns into working days (làm bù); they win over the weekend. */
  readonly extraWorkingDays: ReadonlySet<string>;
}

/** The calendar as configuration files and the API carry it. */
export const HolidayCalendarConfig = Type.Object(
  {
    holidays: Type.Array(FullDate, { description: 'Days off (public holidays, compensatory days)' }),
    extraWorkingDays: Type.Optional(Type.Array(FullDate, { description: 'Weekend days worked instead (làm bù)' })),
  },
  { additionalProperties: false },
);
export type HolidayCalendarConfig = Static<typeof HolidayCalendarConfig>;

export const EMPTY_CALENDAR: HolidayCalendar = { holidays: new Set(), extraWorkingDays: new Set() };

function checkDays(days: Iterable<string>, what: string): Set<string> {
  const set = new Set(days);
  for (const d of set) if (!isValidFullDate(d)) throw new RangeError(`${what}: ${d} is not a YYYY-MM-DD date`);
  return set;
}

/**
 * Builds a calendar from configuration. A day both off and worked is a configuration mistake that
 * would silently move deadlines either way, so it is refused (RangeError) rather than resolved.
 */
export function holidayCalendar(config: { holidays: Iterable<string>; extraWorkingDays?: Iterable<string> }): HolidayCalendar {
  const holidays = checkDays(config.holidays, 'holiday');
  const extraWorkingDays = checkDays(config.extraWorkingDays ?? [], 'extra working day');
  for (const d of extraWorkingDays) if (holidays.has(d)) throw new RangeError(`${d} is both a holiday and an extra working day`);
  return { holidays, extraWorkingDays };
}

/** The union of several calendars (e.g. one per year). */
export function combineCalendars(...calendars: HolidayCalendar[]): HolidayCalendar {
  return holidayCalendar({
    holidays: calendars.flatMap((c) => [...c.holidays]),
    extraWorkingDays: calendars.flatMap((c) => [...c.extraWorkingDays]),
  });
}

/** A government decision applied to a default calendar: days moved off, days moved back, weekends worked. */
export interface CalendarAdjustment {
  addHolidays?: Iterable<string>;
  removeHolidays?: Iterable<string>;
  extraWorkingDays?: Iterable<string>;
}

export function adjustCalendar(base: HolidayCalendar, change: CalendarAdjustment): HolidayCalendar {
  const removed = checkDays(change.removeHolidays ?? [], 'removed holiday');
  return holidayCalendar({
    holidays: [...[...base.holidays].filter((d) => !removed.has(d)), ...(change.addHolidays ?? [])],
    extraWorkingDays: [...base.extraWorkingDays, ...(change.extraWorkingDays ?? [])],
  });
}

/**
 * Gregorian dates of Tết (1st day of the 1st lunar month) and of the Hùng Kings' commemoration
 * (10th day of the 3rd lunar month), Vietnamese calendar (computed at UTC+7, which is why Tết 2030
 * is 2 February here but 3 February in China). Source: the published Vietnamese lunar calendar
 * (Hồ Ngọc Đức's tables, https://www.informatik.uni-leipzig.de/~duc/amlich/, which the State
 * calendar follows), cross-checked in the tests against an independent astronomical computation;
 * spot checks against announced holidays: Tết 2024-02-10, 2025-01-29, 2026-02-17; Giỗ Tổ
 * 2023-04-29, 2024-04-18, 2025-04-07, 2026-04-26.
 */
export const LUNAR_DATES: Readonly<Record<number, { tet: string; hungKings: string }>> = {
  2020: { tet: '2020-01-25', hungKings: '2020-04-02' },
  2021: { tet: '2021-02-12', hungKings: '2021-04-21' },
  2022: { tet: '2022-02-01', hungKings: '2022-04-10' },
  2023: { tet: '2023-01-22', hungKings: '2023-04-29' },
  2024: { tet: '2024-02-10', hungKings: '2024-04-18' },
  2025: { tet: '2025-01-29', hungKings: '2025-04-07' },
  2026: { tet: '2026-02-17', hungKings: '2026-04-26' },
  2027: { tet: '2027-02-06', hungKings: '2027-04-16' },
  2028: { tet: '2028-01-26', hungKings: '2028-04-04' },
  2029: { tet: '2029-02-13', hungKings: '2029-04-23' },
  2030: { tet: '2030-02-02', hungKings: '2030-04-12' },
  2031: { tet: '2031-01-23', hungKings: '2031-04-01' },
  2032: { tet: '2032-02-11', hungKings: '2032-04-19' },
  2033: { tet: '2033-01-31', hungKings: '2033-04-09' },
  2034: { tet: '2034-02-19', hungKings: '2034-04-28' },
  2035: { tet: '2035-02-08', hungKings: '2035-04-17' },
};
export const LUNAR_TABLE_FIRST_YEAR = 2020;
export const LUNAR_TABLE_LAST_YEAR = 2035;

/** Day of the week, 0 = Sunday … 6 = Saturday (UTC arithmetic on a calendar day, no clock). */
export function weekday(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

export const isWeekend = (day: string): boolean => weekday(day) === 0 || weekday(day) === 6;

/**
 * The day next to 2 September (Art. 112(1)(đ): "01 ngày liền kề trước hoặc sau"). Default: the side
 * that joins the weekend — 1 September when 2 September is a Tuesday, Friday or Saturday, else
 * 3 September. This reproduces the decisions for 2021 (3 Sep), 2022 (1 Sep), 2023 (1 Sep),
 * 2024 (3 Sep) and 2025 (1 Sep).
 */
export function nationalDayNeighbour(year: number): string {
  const wd = weekday(`${year}-09-02`);
  return wd === 2 || wd === 5 || wd === 6 ? `${year}-09-01` : `${year}-09-03`;
}

/** The statutory holidays of a year (Art. 112(1)), before compensatory days. */
export function statutoryHolidays(year: number): string[] {
  const lunar = LUNAR_DATES[year];
  if (!lunar) {
    throw new RangeError(`no lunar dates for ${year} (table covers ${LUNAR_TABLE_FIRST_YEAR}–${LUNAR_TABLE_LAST_YEAR}); configure the calendar`);
  }
  const y = String(year);
  // Tết: 5 days; usual practice is the last day of the old year and the first four of the new one.
  const tet = [-1, 0, 1, 2, 3].map((k) => addDays(lunar.tet, k));
  // 2 September has two days since the Labour Code 2019 took effect (1 January 2021); one before.
  const nationalDay = year >= 2021 ? [`${y}-09-02`, nationalDayNeighbour(year)] : [`${y}-09-02`];
  return [`${y}-01-01`, ...tet, lunar.hungKings, `${y}-04-30`, `${y}-05-01`, ...nationalDay].sort();
}

/**
 * The default calendar of a year: the statutory holidays, and for each one that falls on a Saturday
 * or Sunday a compensatory day off on the next weekday that is not already off (Art. 111(3); public
 * offices rest on both weekend days, and the yearly notices grant the day, e.g. Monday 4 September
 * 2023). Throws RangeError outside the lunar table: a calendar silently missing Tết would move every
 * deadline, so such years must be configured explicitly.
 */
export function vietnamHolidays(year: number): HolidayCalendar {
  const holidays = statutoryHolidays(year);
  const off = new Set(holidays);
  for (const day of holidays) {
    if (!isWeekend(day)) continue;
    let comp = addDays(day, 1);
    while (isWeekend(comp) || off.has(comp)) comp = addDays(comp, 1);
    off.add(comp);
  }
  return holidayCalendar({ holidays: off });
}

/** The default calendars of a range of years, combined. */
export function vietnamCalendar(fromYear: number, toYear: number): HolidayCalendar {
  const years: HolidayCalendar[] = [];
  for (let y = fromYear; y <= toYear; y++) years.push(vietnamHolidays(y));
  return combineCalendars(...years);
}
