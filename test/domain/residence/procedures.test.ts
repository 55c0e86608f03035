/** Residence procedures: the application lifecycle, legal periods in working days, and the deregistration table. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addDays } from '../../../src/domain/dates/day-arithmetic.js';
import { vietnamCalendar } from '../../../src/domain/residence/holidays.js';
import {
  ABSENCE_GROUNDS, DEREGISTRATION_REASON_CODES, DEREGISTRATION_REASONS, isOpen, NEEDS_OWNER_CONSENT, nextStatus, periodOf, PROCEDURE_CODES,
  PROCEDURES, reasonAppliesTo, type ApplicationAction, type ApplicationStatus, type DeregistrationReason, type Procedure,
} from '../../../src/domain/residence/procedures.js';
import { deadlineOfFiling, instantAt, isWorkingDay, receivedOn, workingDaysBetween } from '../../../src/domain/residence/working-days.js';

const STATUSES: ApplicationStatus[] = ['submitted', 'documents_requested', 'approved', 'refused'];
const ACTIONS: ApplicationAction[] = ['request_documents', 'supply_documents', 'approve', 'refuse'];

describe('application lifecycle: nextStatus', () => {
  test('the whole transition table (4 statuses × 4 actions)', () => {
    const expected: Record<ApplicationStatus, Record<ApplicationAction, ApplicationStatus | null>> = {
      submitted: { request_documents: 'documents_requested', supply_documents: null, approve: 'approved', refuse: 'refused' },
      documents_requested: { request_documents: null, supply_documents: 'submitted', approve: null, refuse: 'refused' },
      approved: { request_documents: null, supply_documents: null, approve: null, refuse: null },
      refused: { request_documents: null, supply_documents: null, approve: null, refuse: null },
    };
    for (const s of STATUSES) for (const a of ACTIONS) assert.equal(nextStatus(s, a), expected[s][a], `${s} --${a}→`);
  });

  test('open means submitted or waiting for documents; terminal states accept nothing', () => {
    assert.deepEqual(STATUSES.filter(isOpen), ['submitted', 'documents_requested']);
    for (const s of STATUSES.filter((x) => !isOpen(x))) assert.ok(ACTIONS.every((a) => nextStatus(s, a) === null), s);
  });

  test('property: along any run of allowed actions from submission, approval follows "submitted" only and ends the run', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ACTIONS), { maxLength: 30 }), (actions) => {
        let s: ApplicationStatus = 'submitted';
        let closed = false;
        for (const a of actions) {
          const next = nextStatus(s, a);
          if (closed) assert.equal(next, null, 'a closed application accepts nothing');
          if (next === null) continue;
          if (next === 'approved') assert.equal(s, 'submitted');
          if (s === 'documents_requested') assert.ok(next === 'submitted' || next === 'refused');
          if (a === 'supply_documents') assert.equal(s, 'documents_requested');
          if (a === 'refuse') assert.ok(isOpen(s));
          s = next;
          closed = !isOpen(s);
        }
      }),
    );
  });

  test('every status is reachable from submitted, and documents can be requested again after they come in', () => {
    const reached = new Set<ApplicationStatus>(['submitted']);
    for (let round = 0; round < 4; round++) for (const s of [...reached]) for (const a of ACTIONS) { const n = nextStatus(s, a); if (n) reached.add(n); }
    assert.deepEqual([...reached].sort(), [...STATUSES].sort());
    const again = nextStatus(nextStatus(nextStatus('submitted', 'request_documents')!, 'supply_documents')!, 'request_documents');
    assert.equal(again, 'documents_requested');
  });
});

describe('procedures and their legal periods', () => {
  test('TTHC codes as published (vn-domain §4.3)', () => {
    assert.equal(PROCEDURES.permanent_registration.tthc, '1.004222');
    assert.equal(PROCEDURES.temporary_registration.tthc, '1.004194');
    assert.equal(PROCEDURES.temporary_extension.tthc, '1.002755');
    assert.equal(PROCEDURES.stay_notice.tthc, '2.001159');
    assert.equal(PROCEDURES.absence_declaration.tthc, '1.003677');
    assert.equal(new Set(PROCEDURE_CODES.map((p) => PROCEDURES[p].operationId)).size, PROCEDURE_CODES.length);
  });

  test('periods in working days: 7 permanent, 3 temporary and extension, 5 split, 3 adjustment, 1–2 absence, none for a stay; deregistration 3 before NĐ 58/2026, 1 from 15/03/2026', () => {
    const expected = (deregistration: number): Record<Procedure, number | null> => ({
      permanent_registration: 7, temporary_registration: 3, temporary_extension: 3, household_split: 5,
      deregistration, information_adjustment: 3, stay_notice: null, absence_declaration: 1,
    });
    // Received the day before, the day of and the day after NĐ 58/2026 took effect.
    for (const [day, d] of [['2026-03-14', 3], ['2026-03-15', 1], ['2026-03-16', 1], ['2021-07-01', 3], ['2020-01-01', 3]] as const) {
      for (const p of PROCEDURE_CODES) assert.equal(periodOf(p, day)?.days ?? null, expected(d)[p], `${p} received ${day}`);
    }
    assert.equal(periodOf('absence_declaration', '2026-03-10', true)?.days, 2);
    assert.equal(periodOf('permanent_registration', '2026-03-10', true)?.days, 7, 'complexity only matters for the absence declaration');
  });

  test('a deregistration received on Friday 13 March 2026 keeps 3 working days; one received on Monday 16 March has 1', () => {
    assert.equal(deadlineOfFiling(at('2026-03-13', '09:00'), periodOf('deregistration', '2026-03-13')!, VN).day, '2026-03-18');
    assert.equal(deadlineOfFiling(at('2026-03-16', '09:00'), periodOf('deregistration', '2026-03-16')!, VN).day, '2026-03-17');
  });

  const VN = vietnamCalendar(2020, 2035);
  const at = (day: string, hhmm: string) => instantAt(day, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)));

  test('pinned: filed on the Friday before Tết 2026, the days count from 23 February', () => {
    const friday = at('2026-02-13', '09:00');
    assert.equal(deadlineOfFiling(friday, periodOf('temporary_registration', '2026-02-13')!, VN).day, '2026-02-25');
    assert.equal(deadlineOfFiling(friday, periodOf('household_split', '2026-02-13')!, VN).day, '2026-02-27');
    assert.equal(deadlineOfFiling(friday, periodOf('permanent_registration', '2026-02-13')!, VN).day, '2026-03-03');
  });

  test('property: each procedure\'s deadline is a working day with exactly its number of working days after receipt', () => {
    const withPeriod = PROCEDURE_CODES.filter((p) => periodOf(p, '2026-01-01') !== null);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 365 * 14 }).map((k) => addDays('2020-01-05', k)),
        fc.integer({ min: 0, max: 24 * 60 - 1 }),
        fc.constantFrom(...withPeriod),
        fc.boolean(),
        (day, minutes, p, complex) => {
          const instant = instantAt(day, minutes);
          const received = receivedOn(instant, VN);
          const period = periodOf(p, received, complex)!;
          const deadline = deadlineOfFiling(instant, period, VN);
          assert.equal(deadline.by, 'end_of_day');
          assert.ok(isWorkingDay(deadline.day, VN), deadline.day);
          assert.equal(workingDaysBetween(received, deadline.day, VN), period.days);
          assert.ok(deadline.day > received);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('deregistration reasons', () => {
  test('the applicability table: emigration ends only permanent, permanent_here only temporary, the rest both', () => {
    const table: Record<DeregistrationReason, [boolean, boolean]> = {
      death: [true, true], declared_missing: [true, true], emigration: [true, false], annulment: [true, true], absence: [true, true],
      citizenship_lost: [true, true], rental_ended: [true, true], ownership_transferred: [true, true], permanent_here: [false, true],
      rental_ended_no_consent: [true, false], ownership_transferred_no_consent: [true, false], dwelling_demolished_or_confiscated: [true, true],
    };
    assert.deepEqual([...DEREGISTRATION_REASON_CODES].sort(), Object.keys(table).sort());
    for (const r of DEREGISTRATION_REASON_CODES) {
      assert.deepEqual([reasonAppliesTo(r, 'permanent'), reasonAppliesTo(r, 'temporary')], table[r], r);
    }
  });

  test('every reason has its Vietnamese wording and legal basis, and applies to at least one kind', () => {
    for (const r of DEREGISTRATION_REASON_CODES) {
      const d = DEREGISTRATION_REASONS[r];
      assert.ok(d.vi.length > 0 && /Luật Cư trú/.test(d.basis), r);
      assert.ok(d.kinds.length > 0, r);
    }
  });

  test('owner consent is needed for rented, borrowed and relatives\' dwellings only', () => {
    assert.deepEqual([...NEEDS_OWNER_CONSENT].sort(), ['borrowed', 'relative_dwelling', 'rented']);
  });

  test('absence grounds carry their Vietnamese wording', () => {
    for (const g of Object.values(ABSENCE_GROUNDS)) assert.ok(g.vi.length > 10);
  });
});
