/** Holiday calendars: the lunar table, the statutory holidays, compensatory days, configuration. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Value } from '@sinclair/typebox/value';
import {
  adjustCalendar,
  combineCalendars,
  holidayCalendar,
  HolidayCalendarConfig,
  LUNAR_DATES,
  LUNAR_TABLE_FIRST_YEAR,
  LUNAR_TABLE_LAST_YEAR,
  nationalDayNeighbour,
  statutoryHolidays,
  vietnamCalendar,
  vietnamHolidays,
  weekday,
} from '../../../src/domain/residence/holidays.js';
import { lunarToGregorian } from './lunar-check.js';

const sorted = (s: ReadonlySet<string>): string[] => [...s].sort();

describe('lunar table', () => {
  test('covers 2020–2035 and agrees with an astronomical computation at UTC+7 for every year', () => {
    for (let y = LUNAR_TABLE_FIRST_YEAR; y <= LUNAR_TABLE_LAST_YEAR; y++) {
      const row = LUNAR_DATES[y];
      assert.ok(row, `row for ${y}`);
      assert.equal(row.tet, lunarToGregorian(1, 1, y), `Tết ${y}`);
      assert.equal(row.hungKings, lunarToGregorian(10, 3, y), `Giỗ Tổ ${y}`);
    }
  });

  test('well-known dates', () => {
    assert.equal(LUNAR_DATES[2024]?.tet, '2024-02-10');
    assert.equal(LUNAR_DATES[2025]?.tet, '2025-01-29');
    assert.equal(LUNAR_DATES[2026]?.tet, '2026-02-17');
    assert.equal(LUNAR_DATES[2024]?.hungKings, '2024-04-18');
    assert.equal(LUNAR_DATES[2025]?.hungKings, '2025-04-07');
    // Vietnam's calendar is computed at UTC+7: the new moon of 2 February 2030 falls before local
    // midnight here but after it in China (Chinese New Year 2030 is 3 February).
    assert.equal(LUNAR_DATES[2030]?.tet, '2030-02-02');
  });
});

describe('vietnamHolidays', () => {
  test('2026: Tết eve to the 4th day, Giỗ Tổ on a Sunday compensated on Monday, 2/9 with 3/9', () => {
    assert.deepEqual(sorted(vietnamHolidays(2026).holidays), [
      '2026-01-01',
      '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20',
      '2026-04-26', '2026-04-27',
      '2026-04-30', '2026-05-01',
      '2026-09-02', '2026-09-03',
    ]);
  });

  test('Tết over a weekend: the Saturday and Sunday are compensated after the Tết days (2024)', () => {
    const h = vietnamHolidays(2024).holidays;
    for (const d of ['2024-02-09', '2024-02-10', '2024-02-11', '2024-02-12', '2024-02-13', '2024-02-14', '2024-02-15']) assert.ok(h.has(d), d);
    assert.ok(!h.has('2024-02-16'));
  });

  test('1 January on a Saturday gives Monday 3 January off (2022)', () => {
    assert.ok(vietnamHolidays(2022).holidays.has('2022-01-03'));
  });

  test('2 September on a Saturday: 1 September, and Monday 4 September as compensation (2023)', () => {
    const h = vietnamHolidays(2023).holidays;
    for (const d of ['2023-09-01', '2023-09-02', '2023-09-04']) assert.ok(h.has(d), d);
  });

  test('the default day next to 2 September reproduces the decisions of 2021–2025', () => {
    assert.deepEqual(
      [2021, 2022, 2023, 2024, 2025].map(nationalDayNeighbour),
      ['2021-09-03', '2022-09-01', '2023-09-01', '2024-09-03', '2025-09-01'],
    );
  });

  test('11 statutory days from 2021; 2020 (Labour Code 2012) had one day for 2 September', () => {
    for (let y = 2021; y <= 2035; y++) assert.equal(new Set(statutoryHolidays(y)).size, 11, String(y));
    assert.equal(statutoryHolidays(2020).length, 10);
    assert.ok(!statutoryHolidays(2020).includes('2020-09-03') && !statutoryHolidays(2020).includes('2020-09-01'));
  });

  test('every compensatory day is a weekday, and there is one per statutory day on a weekend', () => {
    for (let y = LUNAR_TABLE_FIRST_YEAR; y <= LUNAR_TABLE_LAST_YEAR; y++) {
      const statutory = statutoryHolidays(y);
      const weekendDays = statutory.filter((d) => weekday(d) === 0 || weekday(d) === 6).length;
      const extra = [...vietnamHolidays(y).holidays].filter((d) => !statutory.includes(d));
      assert.equal(extra.length, weekendDays, String(y));
      for (const d of extra) assert.ok(weekday(d) >= 1 && weekday(d) <= 5, d);
    }
  });

  test('years outside the table are refused rather than missing Tết', () => {
    assert.throws(() => vietnamHolidays(2019), RangeError);
    assert.throws(() => vietnamHolidays(2036), RangeError);
    assert.equal(vietnamCalendar(2020, 2035).holidays.size > 16 * 11, true);
  });
});

describe('configuration', () => {
  test('the config schema accepts days and refuses other strings', () => {
    assert.ok(Value.Check(HolidayCalendarConfig, { holidays: ['2026-01-01'], extraWorkingDays: ['2026-01-03'] }));
    assert.ok(!Value.Check(HolidayCalendarConfig, { holidays: ['1/1/2026'] }));
  });

  test('impossible days and a day both off and worked are refused', () => {
    assert.throws(() => holidayCalendar({ holidays: ['2026-02-30'] }), RangeError);
    assert.throws(() => holidayCalendar({ holidays: ['2026-05-02'], extraWorkingDays: ['2026-05-02'] }), RangeError);
  });

  test("a year's decision adjusts the default: 2024 swapped Monday 29 April with Saturday 4 May", () => {
    const cal = adjustCalendar(vietnamHolidays(2024), { addHolidays: ['2024-04-29'], extraWorkingDays: ['2024-05-04'] });
    assert.ok(cal.holidays.has('2024-04-29') && cal.extraWorkingDays.has('2024-05-04'));
    const moved = adjustCalendar(vietnamHolidays(2024), { removeHolidays: ['2024-02-15'], addHolidays: ['2024-02-08'] });
    assert.ok(moved.holidays.has('2024-02-08') && !moved.holidays.has('2024-02-15'));
  });

  test('combining calendars is their union', () => {
    const c = combineCalendars(holidayCalendar({ holidays: ['2026-01-01'] }), holidayCalendar({ holidays: ['2027-01-01'], extraWorkingDays: ['2027-01-02'] }));
    assert.deepEqual(sorted(c.holidays), ['2026-01-01', '2027-01-01']);
    assert.deepEqual(sorted(c.extraWorkingDays), ['2027-01-02']);
  });
});
