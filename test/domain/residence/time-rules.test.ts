/** Residence time rules: 2-year temporary residence, extension window, stay notice, absence, CT07. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addDays, addMonths, addYears } from '../../../src/domain/dates/day-arithmetic.js';
import { vietnamCalendar } from '../../../src/domain/residence/holidays.js';
import {
  absenceDeclarationPeriod,
  absenceReachesDeregistration,
  absenceThresholdDay,
  canFileExtension,
  confirmationStatus,
  confirmationValidUntil,
  extensionWindow,
  isAllowedTemporaryResidenceEnd,
  isConfirmationValid,
  isStayNoticeOnTime,
  maxTemporaryResidenceEnd,
  PROCEDURE_PERIODS,
  requiresTemporaryRegistration,
  stayNoticeDeadline,
  stayProcedure,
  temporaryResidenceStatus,
} from '../../../src/domain/residence/time-rules.js';
import { deadlineOfFiling, instantAt, localTime } from '../../../src/domain/residence/working-days.js';

const VN = vietnamCalendar(2020, 2035);
const at = (day: string, hhmm: string): string => instantAt(day, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)));
const dayArb = fc.integer({ min: 0, max: 365 * 12 }).map((k) => addDays('2020-01-01', k));

describe('temporary residence', () => {
  test('at most 2 years: the 2nd anniversary is the last valid day; 29 February ends on 28 February', () => {
    assert.equal(maxTemporaryResidenceEnd('2024-03-10'), '2026-03-10');
    assert.equal(maxTemporaryResidenceEnd('2024-02-29'), '2026-02-28');
    assert.ok(isAllowedTemporaryResidenceEnd('2024-03-10', '2026-03-10'));
    assert.ok(!isAllowedTemporaryResidenceEnd('2024-03-10', '2026-03-11'));
    assert.ok(!isAllowedTemporaryResidenceEnd('2024-03-10', '2024-03-09'));
  });

  test('status on every day around the start and the 2-year end, from the dates alone', () => {
    const reg = { start: '2024-03-10', end: maxTemporaryResidenceEnd('2024-03-10') };
    const expect: Record<string, string> = {
      '2024-03-09': 'not_yet_valid',
      '2024-03-10': 'active',
      '2026-03-08': 'active',
      '2026-03-09': 'active',
      '2026-03-10': 'active',
      '2026-03-11': 'expired',
      '2026-03-12': 'expired',
      '2031-01-01': 'expired',
    };
    for (const [day, status] of Object.entries(expect)) assert.equal(temporaryResidenceStatus(reg, day), status, day);
    assert.equal(temporaryResidenceStatus({ ...reg, deregisteredOn: '2025-01-01' }, '2024-12-31'), 'active');
    assert.equal(temporaryResidenceStatus({ ...reg, deregisteredOn: '2025-01-01' }, '2025-01-01'), 'deregistered');
  });

  test('property: a maximal registration is active exactly from start through the anniversary', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: -5, max: 800 }), (start, k) => {
        const reg = { start, end: maxTemporaryResidenceEnd(start) };
        const day = addDays(start, k);
        const active = temporaryResidenceStatus(reg, day) === 'active';
        assert.equal(active, day >= start && day <= reg.end);
        const spanDays = (Date.parse(reg.end) - Date.parse(start)) / 86_400_000;
        assert.ok(spanDays === 730 || spanDays === 731, `${start}: ${spanDays}`); // two years, one 29 February at most
      }),
    );
  });

  test('extension window: from the 15th day before the last valid day through that day, inclusive', () => {
    assert.deepEqual(extensionWindow('2026-03-10'), { from: '2026-02-23', to: '2026-03-10' });
    assert.ok(!canFileExtension('2026-03-10', '2026-02-22'));
    assert.ok(canFileExtension('2026-03-10', '2026-02-23'));
    assert.ok(canFileExtension('2026-03-10', '2026-03-09'));
    assert.ok(canFileExtension('2026-03-10', '2026-03-10'));
    assert.ok(!canFileExtension('2026-03-10', '2026-03-11'));
  });

  test('property: the window has 16 days and ends on the last valid day', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: -30, max: 5 }), (end, k) => {
        assert.equal(canFileExtension(end, addDays(end, k)), k >= -15 && k <= 0);
      }),
    );
  });

  test('30 days or more need temporary registration; shorter stays a stay notice', () => {
    assert.equal(requiresTemporaryRegistration(29), false);
    assert.equal(requiresTemporaryRegistration(30), true);
    assert.equal(stayProcedure(1), 'stay_notice');
    assert.equal(stayProcedure(400), 'temporary_registration');
    assert.throws(() => requiresTemporaryRegistration(2.5), RangeError);
  });
});

describe('stay notice (lưu trú)', () => {
  test('arrival at 22:59 → before 23:00 the same day; at 23:00 or 23:30 → before 08:00 the next day', () => {
    assert.equal(stayNoticeDeadline(at('2026-03-06', '22:59')), at('2026-03-06', '23:00'));
    assert.equal(stayNoticeDeadline(at('2026-03-06', '23:00')), at('2026-03-07', '08:00'));
    assert.equal(stayNoticeDeadline(at('2026-03-06', '23:30')), at('2026-03-07', '08:00'));
    assert.equal(stayNoticeDeadline(at('2026-12-31', '23:45')), at('2027-01-01', '08:00'));
  });

  test('"before" is strict; notices ahead of arrival are on time', () => {
    assert.ok(isStayNoticeOnTime(at('2026-03-06', '22:59'), at('2026-03-06', '22:59')));
    assert.ok(!isStayNoticeOnTime(at('2026-03-06', '22:59'), at('2026-03-06', '23:00')));
    assert.ok(isStayNoticeOnTime(at('2026-03-06', '23:30'), at('2026-03-07', '07:59')));
    assert.ok(!isStayNoticeOnTime(at('2026-03-06', '23:30'), at('2026-03-07', '08:00')));
    assert.ok(isStayNoticeOnTime(at('2026-03-06', '15:00'), at('2026-03-05', '20:00')));
  });

  test('property: the deadline is 23:00 local the same day or 08:00 the next, after the arrival and at most 23 hours later', () => {
    const instantArb = fc.integer({ min: Date.parse('2020-01-01T00:00:00Z'), max: Date.parse('2035-12-31T00:00:00Z') }).map((ms) => new Date(ms).toISOString());
    fc.assert(
      fc.property(instantArb, (arrival) => {
        const deadline = stayNoticeDeadline(arrival);
        const a = localTime(arrival);
        const d = localTime(deadline);
        assert.ok(Date.parse(deadline) > Date.parse(arrival));
        if (a.minutes < 23 * 60) assert.deepEqual(d, { day: a.day, minutes: 23 * 60 });
        else assert.deepEqual(d, { day: addDays(a.day, 1), minutes: 8 * 60 });
        assert.ok(Date.parse(deadline) - Date.parse(arrival) <= 23 * 3_600_000);
      }),
    );
  });
});

describe('absence', () => {
  test('absence declaration: 1 working day, 2 when complex, through the working-day functions', () => {
    assert.deepEqual(absenceDeclarationPeriod(false), { days: 1 });
    assert.deepEqual(absenceDeclarationPeriod(true), { days: 2 });
    assert.equal(deadlineOfFiling(at('2026-02-13', '09:00'), absenceDeclarationPeriod(false), VN).day, '2026-02-23');
    assert.equal(deadlineOfFiling(at('2026-02-13', '09:00'), absenceDeclarationPeriod(true), VN).day, '2026-02-24');
    assert.equal(PROCEDURE_PERIODS.permanentRegistration.days, 7);
  });

  test('deregistration thresholds: 12 months (permanent), 6 months (temporary), month ends clamped', () => {
    assert.equal(absenceThresholdDay('permanent', '2024-01-15'), '2025-01-15');
    assert.equal(absenceThresholdDay('temporary', '2024-08-31'), '2025-02-28');
    assert.ok(!absenceReachesDeregistration('permanent', '2024-01-15', '2025-01-14'));
    assert.ok(absenceReachesDeregistration('permanent', '2024-01-15', '2025-01-15'));
    assert.ok(!absenceReachesDeregistration('temporary', '2024-01-15', '2024-07-14'));
    assert.ok(absenceReachesDeregistration('temporary', '2024-01-15', '2024-07-15'));
  });

  test('property: addMonths keeps the day when the month has it, else the last day; 12 months = 1 year', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: 0, max: 30 }), (day, m) => {
        const r = addMonths(day, m);
        assert.ok(r >= day);
        assert.ok(r.slice(8) === day.slice(8) || Number(r.slice(8)) < Number(day.slice(8)));
        assert.equal(addMonths(day, 12), addYears(day, 1));
      }),
    );
  });
});

describe('residence confirmation (CT07)', () => {
  const issuedAt = at('2026-03-10', '09:00');
  const until = confirmationValidUntil('2026-03-10');

  test('valid 1 year: through the anniversary (local day), expired from the next local midnight', () => {
    assert.equal(until, '2027-03-10');
    assert.equal(confirmationValidUntil('2024-02-29'), '2025-02-28');
    assert.ok(isConfirmationValid(issuedAt, until, null, at('2027-03-10', '23:59')));
    assert.equal(confirmationStatus(issuedAt, until, null, at('2027-03-11', '00:00')), 'expired');
    assert.equal(confirmationStatus(issuedAt, until, null, at('2026-03-10', '08:59')), 'not_yet_issued');
  });

  test('a residence change after issue ends validity at once; a change before issue does not', () => {
    const change = at('2026-06-01', '10:00');
    assert.ok(isConfirmationValid(issuedAt, until, change, at('2026-06-01', '09:59')));
    assert.equal(confirmationStatus(issuedAt, until, change, at('2026-06-01', '10:00')), 'residence_changed');
    assert.ok(isConfirmationValid(issuedAt, until, issuedAt, at('2026-06-01', '12:00')));
    assert.ok(isConfirmationValid(issuedAt, until, at('2026-01-01', '10:00'), at('2026-06-01', '12:00')));
  });

  test('after both, the status names what ended validity first', () => {
    assert.equal(confirmationStatus(issuedAt, until, at('2027-05-01', '10:00'), at('2027-06-01', '10:00')), 'expired');
    assert.equal(confirmationStatus(issuedAt, until, at('2026-05-01', '10:00'), at('2027-06-01', '10:00')), 'residence_changed');
  });

  test('property: valid iff issued, not past the last valid day, and no change in (issuedAt, now]', () => {
    const hour = 3_600_000;
    fc.assert(
      fc.property(fc.integer({ min: -48, max: 24 * 400 }), fc.option(fc.integer({ min: -48, max: 24 * 400 })), (nowH, changeH) => {
        const base = Date.parse(issuedAt);
        const now = new Date(base + nowH * hour).toISOString();
        const change = changeH === null ? null : new Date(base + changeH * hour).toISOString();
        const expected =
          nowH >= 0 && localTime(now).day <= until && (changeH === null || changeH <= 0 || changeH > nowH);
        assert.equal(isConfirmationValid(issuedAt, until, change, now), expected);
      }),
    );
  });
});
