/** Working days: receipt, deadlines in whole and half days, and deadline status, across holidays. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addDays } from '../../../src/domain/dates/day-arithmetic.js';
import { adjustCalendar, holidayCalendar, vietnamCalendar, vietnamHolidays, weekday, type HolidayCalendar } from '../../../src/domain/residence/holidays.js';
import {
  addWorkingDays,
  deadlineFor,
  deadlineInstant,
  deadlineOfFiling,
  deadlineStatus,
  instantAt,
  isWorkingDay,
  localTime,
  nextWorkingDay,
  receiptOf,
  receivedOn,
  workingDaysBetween,
} from '../../../src/domain/residence/working-days.js';

const VN = vietnamCalendar(2020, 2035);
/** Local Vietnamese wall-clock time as an instant: "2026-03-07 11:59" → 04:59Z. */
const at = (day: string, hhmm: string): string => instantAt(day, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)));

const dayArb = fc.integer({ min: 0, max: 365 * 15 }).map((k) => addDays('2020-01-01', k));
/** Random calendars: any days may be holidays, weekend days may be worked. */
const calendarArb: fc.Arbitrary<HolidayCalendar> = fc
  .record({ off: fc.uniqueArray(fc.integer({ min: 0, max: 400 }), { maxLength: 120 }), worked: fc.uniqueArray(fc.integer({ min: 0, max: 400 }), { maxLength: 20 }) })
  .map(({ off, worked }) => {
    const base = '2026-01-01';
    const extra = worked.map((k) => addDays(base, k)).filter((d) => weekday(d) === 0 || weekday(d) === 6);
    const extraSet = new Set(extra);
    return holidayCalendar({ holidays: off.map((k) => addDays(base, k)).filter((d) => !extraSet.has(d)), extraWorkingDays: extra });
  });
const nearDayArb = fc.integer({ min: -10, max: 400 }).map((k) => addDays('2026-01-01', k));

describe('addWorkingDays: properties', () => {
  test('the result is a working day strictly after d with exactly n working days in (d, result]', () => {
    fc.assert(
      fc.property(nearDayArb, fc.integer({ min: 1, max: 30 }), calendarArb, (d, n, cal) => {
        const r = addWorkingDays(d, n, cal);
        assert.ok(r > d);
        assert.ok(isWorkingDay(r, cal));
        assert.equal(workingDaysBetween(d, r, cal), n);
        // nothing earlier would do: the day before holds only n − 1 of them
        assert.equal(workingDaysBetween(d, addDays(r, -1), cal), n - 1);
      }),
    );
  });

  test('monotonic in n, and adding in two steps equals adding at once', () => {
    fc.assert(
      fc.property(nearDayArb, fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 }), calendarArb, (d, a, b, cal) => {
        assert.ok(addWorkingDays(d, a, cal) < addWorkingDays(d, a + 1, cal));
        assert.equal(addWorkingDays(addWorkingDays(d, a, cal), b, cal), addWorkingDays(d, a + b, cal));
      }),
    );
  });

  test('holidays and unworked weekends are never counted; worked Saturdays are', () => {
    fc.assert(
      fc.property(nearDayArb, fc.integer({ min: 1, max: 15 }), calendarArb, (d, n, cal) => {
        const r = addWorkingDays(d, n, cal);
        for (let x = addDays(d, 1); x <= r; x = addDays(x, 1)) {
          if (cal.extraWorkingDays.has(x)) assert.ok(isWorkingDay(x, cal));
          else if (cal.holidays.has(x) || weekday(x) === 0 || weekday(x) === 6) assert.ok(!isWorkingDay(x, cal));
        }
      }),
    );
  });

  test('on the Vietnamese calendar no deadline falls on a holiday or an ordinary weekend', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: 1, max: 7 }), (d, n) => {
        const r = addWorkingDays(d, n, VN);
        assert.ok(!VN.holidays.has(r) && weekday(r) !== 0 && weekday(r) !== 6);
      }),
    );
  });

  test('refuses fractional or negative counts and impossible days', () => {
    assert.throws(() => addWorkingDays('2026-03-02', 1.5, VN), RangeError);
    assert.throws(() => addWorkingDays('2026-03-02', -1, VN), RangeError);
    assert.throws(() => addWorkingDays('2026-02-30', 1, VN), RangeError);
    assert.equal(addWorkingDays('2026-03-02', 0, VN), '2026-03-02');
  });
});

describe('addWorkingDays: fixed examples', () => {
  test('an ordinary week: 3 days from Monday is Thursday, from Friday Wednesday', () => {
    assert.equal(addWorkingDays('2026-03-02', 3, VN), '2026-03-05');
    assert.equal(addWorkingDays('2026-03-06', 3, VN), '2026-03-11');
  });

  test('Tết 2026 (16–20 February off): filed Friday 13 February', () => {
    assert.equal(addWorkingDays('2026-02-13', 3, VN), '2026-02-25');
    assert.equal(addWorkingDays('2026-02-12', 7, VN), '2026-03-02');
    assert.equal(nextWorkingDay('2026-02-13', VN), '2026-02-23');
  });

  test('30/4–1/5 2026, with Giỗ Tổ (Sunday 26/4) compensated on Monday 27/4', () => {
    assert.equal(addWorkingDays('2026-04-28', 3, VN), '2026-05-05');
    assert.equal(addWorkingDays('2026-04-24', 3, VN), '2026-05-04');
  });

  test('2/9 2025 (Monday 1 and Tuesday 2 September off)', () => {
    assert.equal(addWorkingDays('2025-08-29', 1, VN), '2025-09-03');
    assert.equal(addWorkingDays('2025-08-29', 5, VN), '2025-09-09');
  });

  test('a compensatory Saturday: 2024 worked Saturday 4 May for Monday 29 April', () => {
    const cal = adjustCalendar(vietnamHolidays(2024), { addHolidays: ['2024-04-29'], extraWorkingDays: ['2024-05-04'] });
    assert.equal(addWorkingDays('2024-04-26', 3, cal), '2024-05-04');
    assert.equal(addWorkingDays('2024-04-26', 3, vietnamHolidays(2024)), '2024-05-03');
    assert.equal(receivedOn(at('2024-05-04', '15:00'), cal), '2024-05-04');
  });
});

describe('receipt', () => {
  test('Saturday morning counts that Saturday; from noon it counts the next working day', () => {
    assert.equal(receivedOn(at('2026-03-07', '11:59'), VN), '2026-03-07');
    assert.equal(receivedOn(at('2026-03-07', '12:00'), VN), '2026-03-09');
    assert.equal(receivedOn(at('2026-03-08', '09:00'), VN), '2026-03-09');
    // deadlines count from the next working day: a Saturday-morning filing is due like Friday's
    assert.equal(deadlineOfFiling(at('2026-03-07', '11:59'), { days: 3 }, VN).day, '2026-03-11');
    assert.equal(deadlineOfFiling(at('2026-03-07', '12:00'), { days: 3 }, VN).day, '2026-03-12');
  });

  test('Friday evening is still Friday — even after midnight UTC; Saturday 01:00 local is Saturday morning', () => {
    assert.equal(at('2026-03-06', '23:30'), '2026-03-06T16:30:00.000Z');
    assert.equal(receivedOn(at('2026-03-06', '23:30'), VN), '2026-03-06');
    assert.equal(receivedOn('2026-03-06T18:00:00Z', VN), '2026-03-07');
    assert.equal(receivedOn('2026-03-06T16:59:59Z', VN), '2026-03-06');
  });

  test('a Saturday morning inside Tết is not a filing day', () => {
    // Saturday 1 February 2025 is the 4th day of Tết; Monday 3 February compensates for it
    assert.equal(receivedOn(at('2025-02-01', '09:00'), VN), '2025-02-04');
  });

  test('property: the receipt day is the local day or later, a working day or a Saturday, and keeps the order of instants', () => {
    const instantArb = fc.integer({ min: Date.parse('2020-01-02T00:00:00Z'), max: Date.parse('2035-12-01T00:00:00Z') }).map((ms) => new Date(ms).toISOString());
    fc.assert(
      fc.property(instantArb, instantArb, (a, b) => {
        const r = receivedOn(a, VN);
        assert.ok(r >= localTime(a).day);
        assert.ok(isWorkingDay(r, VN) || (weekday(r) === 6 && localTime(a).minutes < 720));
        if (a <= b) assert.ok(r <= receivedOn(b, VN));
      }),
    );
  });

  test('refuses instants without a zone', () => {
    assert.throws(() => receivedOn('2026-03-06T10:00:00', VN), RangeError);
    assert.throws(() => receivedOn('2026-03-06', VN), RangeError);
  });
});

describe('half-day deadlines (residence confirmation, ½ working day)', () => {
  const half = { days: 0.5 };
  test('morning → end of that day; afternoon → noon of the next working day', () => {
    assert.deepEqual(deadlineOfFiling(at('2026-03-02', '09:00'), half, VN), { day: '2026-03-02', by: 'end_of_day' });
    assert.deepEqual(deadlineOfFiling(at('2026-03-02', '14:00'), half, VN), { day: '2026-03-03', by: 'noon' });
    assert.deepEqual(deadlineOfFiling(at('2026-03-06', '14:00'), half, VN), { day: '2026-03-09', by: 'noon' });
  });

  test('Saturday morning → noon Monday; Saturday afternoon counts from Monday morning → end of Monday', () => {
    assert.deepEqual(deadlineOfFiling(at('2026-03-07', '10:00'), half, VN), { day: '2026-03-09', by: 'noon' });
    assert.deepEqual(deadlineOfFiling(at('2026-03-07', '13:00'), half, VN), { day: '2026-03-09', by: 'end_of_day' });
  });

  test('deadline instants are local noon and local midnight', () => {
    assert.equal(deadlineInstant({ day: '2026-03-03', by: 'noon' }), '2026-03-03T05:00:00.000Z');
    assert.equal(deadlineInstant({ day: '2026-03-03', by: 'end_of_day' }), '2026-03-03T17:00:00.000Z');
  });

  test('property: every extra half day moves the deadline strictly later', () => {
    const halvesArb = fc.integer({ min: 1, max: 16 });
    fc.assert(
      fc.property(nearDayArb, fc.constantFrom('morning' as const, 'afternoon' as const), halvesArb, calendarArb, (day, part, h, cal) => {
        const a = deadlineInstant(deadlineFor({ day, part }, { days: h / 2 }, cal));
        const b = deadlineInstant(deadlineFor({ day, part }, { days: (h + 1) / 2 }, cal));
        assert.ok(a < b);
      }),
    );
  });

  test('refuses periods that are not positive multiples of ½', () => {
    assert.throws(() => deadlineFor({ day: '2026-03-02', part: 'morning' }, { days: 0.25 }, VN), RangeError);
    assert.throws(() => deadlineFor({ day: '2026-03-02', part: 'morning' }, { days: 0 }, VN), RangeError);
  });
});

describe('deadlineStatus', () => {
  test('due, due soon (next working day, across a weekend), due today, overdue from local midnight', () => {
    assert.equal(deadlineStatus('2026-03-12', at('2026-03-09', '10:00'), VN), 'due');
    assert.equal(deadlineStatus('2026-03-10', at('2026-03-09', '10:00'), VN), 'due_soon');
    assert.equal(deadlineStatus('2026-03-09', at('2026-03-06', '16:00'), VN), 'due_soon');
    assert.equal(deadlineStatus('2026-03-09', at('2026-03-09', '23:59'), VN), 'due_today');
    assert.equal(deadlineStatus('2026-03-09', at('2026-03-10', '00:00'), VN), 'overdue');
  });

  test('a noon deadline is overdue from 12:00 local', () => {
    const d = { day: '2026-03-09', by: 'noon' as const };
    assert.equal(deadlineStatus(d, at('2026-03-09', '11:59'), VN), 'due_today');
    assert.equal(deadlineStatus(d, at('2026-03-09', '12:00'), VN), 'overdue');
  });

  test('before Tết, a deadline after the holiday is "due soon" on the last working day', () => {
    assert.equal(deadlineStatus('2026-02-23', at('2026-02-13', '09:00'), VN), 'due_soon');
  });
});
