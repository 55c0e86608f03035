/** The residence queue's deadlines (web/src/pages/officer/deadlines.ts): urgency, tone and working order. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { byUrgency, countByUrgency, toneOf, urgencyOf, URGENCY_ORDER, type Deadline, type DeadlineStatus } from '../../web/src/pages/officer/deadlines.js';

const STATUSES: DeadlineStatus[] = ['due', 'due_soon', 'due_today', 'overdue', 'met', 'missed'];
const deadline: fc.Arbitrary<Deadline> = fc.record({
  day: fc.date({ min: new Date('2025-01-01'), max: new Date('2027-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  by: fc.constantFrom('noon' as const, 'end_of_day' as const),
  status: fc.constantFrom(...STATUSES),
});
const item = fc.record({ applicationId: fc.stringMatching(/^HS-[0-9]{4}$/), deadline: fc.option(deadline, { nil: undefined }) });

describe('urgencyOf and toneOf', () => {
  it('names each deadline status', () => {
    assert.equal(urgencyOf(undefined), 'none');
    assert.equal(urgencyOf({ day: '2026-06-01', by: 'noon', status: 'overdue' }), 'overdue');
    assert.equal(urgencyOf({ day: '2026-06-01', by: 'noon', status: 'due_today' }), 'due_today');
    assert.equal(urgencyOf({ day: '2026-06-01', by: 'noon', status: 'due_soon' }), 'due_soon');
    assert.equal(urgencyOf({ day: '2026-06-01', by: 'noon', status: 'due' }), 'due');
    assert.equal(urgencyOf({ day: '2026-06-01', by: 'noon', status: 'met' }), 'decided');
    assert.equal(urgencyOf({ day: '2026-06-01', by: 'noon', status: 'missed' }), 'decided');
    assert.equal(urgencyOf({ day: '2026-06-01', by: 'noon', status: 'unheard-of' as DeadlineStatus }), 'none');
  });
  it('colours overdue bad, due today and soon a warning, decided good', () => {
    assert.deepEqual(
      URGENCY_ORDER.map((u) => [u, toneOf(u)]),
      [['overdue', 'bad'], ['due_today', 'warn'], ['due_soon', 'warn'], ['due', 'neutral'], ['decided', 'good'], ['none', 'neutral']],
    );
  });
});

describe('byUrgency', () => {
  it('puts the overdue first, then by day, noon before the end of the day', () => {
    const rows = [
      { applicationId: 'A', deadline: { day: '2026-06-03', by: 'end_of_day', status: 'due' } as Deadline },
      { applicationId: 'B', deadline: { day: '2026-05-20', by: 'end_of_day', status: 'overdue' } as Deadline },
      { applicationId: 'C' },
      { applicationId: 'D', deadline: { day: '2026-06-01', by: 'end_of_day', status: 'due_today' } as Deadline },
      { applicationId: 'E', deadline: { day: '2026-06-01', by: 'noon', status: 'due_today' } as Deadline },
      { applicationId: 'F', deadline: { day: '2026-05-01', by: 'noon', status: 'met' } as Deadline },
      { applicationId: 'G', deadline: { day: '2026-06-02', by: 'noon', status: 'due_soon' } as Deadline },
      { applicationId: 'H', deadline: { day: '2026-06-03', by: 'end_of_day', status: 'due' } as Deadline },
      { applicationId: 'I', deadline: { day: '2026-06-02', by: 'noon', status: 'due' } as Deadline },
    ];
    assert.deepEqual(byUrgency(rows).map((r) => r.applicationId), ['B', 'E', 'D', 'G', 'I', 'A', 'H', 'F', 'C']);
  });
  it('is a sorted permutation that does not depend on the order it was given, and leaves its input alone', () => {
    fc.assert(
      fc.property(fc.uniqueArray(item, { selector: (i) => i.applicationId, maxLength: 25 }), fc.integer(), (items, seed) => {
        const copy = items.map((i) => ({ ...i }));
        const sorted = byUrgency(items);
        assert.deepEqual(items.map((i) => ({ ...i })), copy);
        assert.deepEqual([...sorted].map((i) => i.applicationId).sort(), items.map((i) => i.applicationId).sort());
        const shuffled = [...items].sort((a, b) => ((a.applicationId.charCodeAt(4) * seed) % 7) - ((b.applicationId.charCodeAt(4) * seed) % 7));
        assert.deepEqual(byUrgency(shuffled), sorted);
        for (let k = 1; k < sorted.length; k++) {
          const a = URGENCY_ORDER.indexOf(urgencyOf(sorted[k - 1]!.deadline));
          const b = URGENCY_ORDER.indexOf(urgencyOf(sorted[k]!.deadline));
          assert.ok(a <= b, 'never a less urgent one before a more urgent one');
          if (a === b && sorted[k - 1]!.deadline && sorted[k]!.deadline) assert.ok(sorted[k - 1]!.deadline!.day <= sorted[k]!.deadline!.day);
        }
      }),
    );
  });
});

describe('countByUrgency', () => {
  it('counts each item once, under its urgency', () => {
    assert.deepEqual(countByUrgency([]), { overdue: 0, due_today: 0, due_soon: 0, due: 0, decided: 0, none: 0 });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 30 }), (items) => {
        const counts = countByUrgency(items);
        assert.equal(Object.values(counts).reduce((a, b) => a + b, 0), items.length);
        for (const u of URGENCY_ORDER) assert.equal(counts[u], items.filter((i) => urgencyOf(i.deadline) === u).length);
      }),
    );
  });
});
