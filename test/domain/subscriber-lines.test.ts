/** Subscriber lines: parsing (NDJSON, CSV, instants) and the link rule, with properties (fast-check). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  applyLines,
  csvHeader,
  parseCsvLine,
  parseInstant,
  parseJsonLine,
  splitCsv,
  validateLine,
  type BatchState,
  type NumberOwner,
  type SubscriberLine,
} from '../../src/domain/telecom/subscriber-lines.js';

const NOW = '2026-06-01T00:00:00.000Z';
const P1 = '001200000001';
const P2 = '001200000002';
const link = { recordId: 'R-1', action: 'link', number: '0912345678', personalId: P1, confirmedAt: '2026-01-02T03:04:05Z' };

describe('parseInstant', () => {
  test('instants with offsets, Z, fractions; a day alone is midnight in Vietnam', () => {
    assert.equal(parseInstant('2026-01-02T03:04:05Z'), '2026-01-02T03:04:05.000Z');
    assert.equal(parseInstant('2026-01-02T10:04:05+07:00'), '2026-01-02T03:04:05.000Z');
    assert.equal(parseInstant('2026-01-02T03:04:05.5-01:30'), '2026-01-02T04:34:05.500Z');
    assert.equal(parseInstant('2026-01-02T03:04:05.123Z'), '2026-01-02T03:04:05.123Z');
    assert.equal(parseInstant('2026-01-02T03:04Z'), '2026-01-02T03:04:00.000Z');
    assert.equal(parseInstant('2026-01-02'), '2026-01-01T17:00:00.000Z');
    assert.equal(parseInstant('2024-02-29'), '2024-02-28T17:00:00.000Z');
    assert.equal(parseInstant('2026-12-31T23:59:59+07:00'), '2026-12-31T16:59:59.000Z');
  });

  test('impossible or malformed instants are refused', () => {
    for (const s of ['', '2026', '2026-01', '2026-02-30', '2025-02-29', '2026-13-01', '2026-00-10', '2026-01-00', '2026-01-32', '2026-01-02T24:00Z', '2026-01-02T23:60Z', '2026-01-02T23:59:60Z', '2026-01-02T03:04:05', '2026-01-02 03:04:05Z', ' 2026-01-02', '2026-01-02T03:04:05+0700', '2026-1-2', 'x']) {
      assert.equal(parseInstant(s), undefined, s);
    }
  });

  test('property: every real instant written with an offset reads back as itself', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: -12, max: 14 }), (d, hours) => {
        const local = new Date(d.getTime() + hours * 3_600_000).toISOString().slice(0, 23);
        const sign = hours < 0 ? '-' : '+';
        const text = `${local}${sign}${String(Math.abs(hours)).padStart(2, '0')}:00`;
        assert.equal(parseInstant(text), d.toISOString());
      }),
    );
  });
});

describe('validateLine', () => {
  test('a valid link and a valid end', () => {
    assert.deepEqual(validateLine(link, NOW), { ok: true, line: { recordId: 'R-1', action: 'link', number: '+84912345678', personalId: P1, at: '2026-01-02T03:04:05.000Z' } });
    assert.deepEqual(validateLine({ recordId: 'a.b:c/d-e_9', action: 'end', number: '+84 912 345 678', personalId: P1, endedAt: '2026-01-03' }, NOW), {
      ok: true,
      line: { recordId: 'a.b:c/d-e_9', action: 'end', number: '+84912345678', personalId: P1, at: '2026-01-02T17:00:00.000Z' },
    });
    // The other instant field is not read: a link needs confirmedAt, an end needs endedAt.
    assert.deepEqual(validateLine({ ...link, confirmedAt: undefined, endedAt: '2026-01-01' }, NOW), { ok: false, problem: { code: 'SUBSCRIBER_FIELD_MISSING', field: 'confirmedAt' } });
    assert.deepEqual(validateLine({ ...link, action: 'end' }, NOW), { ok: false, problem: { code: 'SUBSCRIBER_FIELD_MISSING', field: 'endedAt' } });
    // Now itself is not in the future.
    assert.equal(validateLine({ ...link, confirmedAt: NOW }, NOW).ok, true);
  });

  test('each field has its code', () => {
    const problem = (fields: Record<string, unknown>) => {
      const r = validateLine(fields, NOW);
      return r.ok ? undefined : [r.problem.code, r.problem.field];
    };
    for (const f of ['recordId', 'action', 'number', 'personalId']) {
      assert.deepEqual(problem({ ...link, [f]: undefined }), ['SUBSCRIBER_FIELD_MISSING', f]);
      assert.deepEqual(problem({ ...link, [f]: null }), ['SUBSCRIBER_FIELD_MISSING', f]);
      assert.deepEqual(problem({ ...link, [f]: '' }), ['SUBSCRIBER_FIELD_MISSING', f]);
      assert.deepEqual(problem({ ...link, [f]: 12 }), ['SUBSCRIBER_FIELD_INVALID', f]);
    }
    assert.deepEqual(problem({ ...link, recordId: '-x' }), ['SUBSCRIBER_FIELD_INVALID', 'recordId']);
    assert.deepEqual(problem({ ...link, recordId: 'x'.repeat(65) }), ['SUBSCRIBER_FIELD_INVALID', 'recordId']);
    assert.equal(problem({ ...link, recordId: 'x'.repeat(64) }), undefined);
    assert.deepEqual(problem({ ...link, recordId: 'a b' }), ['SUBSCRIBER_FIELD_INVALID', 'recordId']);
    assert.deepEqual(problem({ ...link, action: 'LINK' }), ['SUBSCRIBER_FIELD_INVALID', 'action']);
    assert.deepEqual(problem({ ...link, number: '0212345678' }), ['PHONE_NUMBER_INVALID', 'number']);
    assert.deepEqual(problem({ ...link, personalId: '00120000000' }), ['SUBSCRIBER_FIELD_INVALID', 'personalId']);
    assert.deepEqual(problem({ ...link, personalId: '0012000000011' }), ['SUBSCRIBER_FIELD_INVALID', 'personalId']);
    assert.deepEqual(problem({ ...link, personalId: 'a01200000001' }), ['SUBSCRIBER_FIELD_INVALID', 'personalId']);
    assert.deepEqual(problem({ ...link, confirmedAt: '' }), ['SUBSCRIBER_FIELD_MISSING', 'confirmedAt']);
    assert.deepEqual(problem({ ...link, confirmedAt: null }), ['SUBSCRIBER_FIELD_MISSING', 'confirmedAt']);
    assert.deepEqual(problem({ ...link, confirmedAt: 20260102 }), ['SUBSCRIBER_FIELD_INVALID', 'confirmedAt']);
    assert.deepEqual(problem({ ...link, confirmedAt: '2026-02-30' }), ['SUBSCRIBER_FIELD_INVALID', 'confirmedAt']);
    assert.deepEqual(problem({ ...link, confirmedAt: '2026-06-01T00:00:00.001Z' }), ['DATE_IN_FUTURE', 'confirmedAt']);
  });
});

describe('NDJSON and CSV', () => {
  test('a JSON line must be an object', () => {
    assert.equal(parseJsonLine(JSON.stringify(link), NOW).ok, true);
    for (const s of ['', 'null', '[]', '1', '"x"', '{', '{"recordId":"R-1",}']) assert.deepEqual(parseJsonLine(s, NOW), { ok: false, problem: { code: 'SUBSCRIBER_LINE_MALFORMED' } }, s);
  });

  test('splitCsv: plain fields, quoted fields with commas and doubled quotes; broken quoting is refused', () => {
    assert.deepEqual(splitCsv('a,b,,c'), ['a', 'b', '', 'c']);
    assert.deepEqual(splitCsv('"a,b","c""d",e'), ['a,b', 'c"d', 'e']);
    assert.deepEqual(splitCsv('"",x'), ['', 'x']);
    assert.deepEqual(splitCsv('x,""'), ['x', '']);
    assert.deepEqual(splitCsv('x,'), ['x', '']);
    assert.deepEqual(splitCsv('"x"'), ['x']);
    for (const s of ['"a', 'a"b,c', '"a"b,c', 'x,"y']) assert.equal(splitCsv(s), undefined, s);
  });

  test('property: any fields quoted and joined split back to themselves', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 8 }), { minLength: 1, maxLength: 6 }), fc.boolean(), (fields, quoteAll) => {
        const text = fields.map((f) => (quoteAll || /[",]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',');
        assert.deepEqual(splitCsv(text), fields);
      }),
    );
  });

  test('the header names the columns in any order (a BOM and spaces allowed); four are required', () => {
    const h = csvHeader('\uFEFFnumber, personalId ,recordId,action,confirmedAt,endedAt,extra')!;
    assert.deepEqual([...h], [['number', 0], ['personalId', 1], ['recordId', 2], ['action', 3], ['confirmedAt', 4], ['endedAt', 5]]);
    assert.deepEqual([...csvHeader('recordId,action,number,personalId,recordId')!], [['recordId', 0], ['action', 1], ['number', 2], ['personalId', 3]]);
    for (const s of ['recordId,action,number', 'a,b,c,d', '', '"recordId,action,number,personalId']) assert.equal(csvHeader(s), undefined, s);
    assert.deepEqual(parseCsvLine(`0912345678,${P1},R-1,link,2026-01-02T03:04:05Z,,x`, h, 7, NOW), validateLine(link, NOW));
    assert.deepEqual(parseCsvLine(' 0912345678 , ' + P1 + ' ,R-1,link,2026-01-02T03:04:05Z,,x', h, 7, NOW), validateLine(link, NOW));
    assert.deepEqual(parseCsvLine(`0912345678,${P1},R-1,link,2026-01-02`, h, 7, NOW), { ok: false, problem: { code: 'SUBSCRIBER_LINE_MALFORMED' } });
    assert.deepEqual(parseCsvLine(`"0912345678,${P1},R-1,link,2026-01-02,,x`, h, 7, NOW), { ok: false, problem: { code: 'SUBSCRIBER_LINE_MALFORMED' } });
  });
});

describe('applyLines', () => {
  const owner = (number: string, personalId: string, operator: string, confirmedAt: string, linkId = 'L0'): NumberOwner => ({ number, personalId, linkId, operator, recordId: 'old', confirmedAt });
  const state = (owners: NumberOwner[] = [], citizens = [P1, P2]): BatchState => ({ owners: new Map(owners.map((o) => [o.number, o])), citizens: new Set(citizens), records: new Map() });
  const line = (l: Partial<SubscriberLine>): SubscriberLine => ({ recordId: 'R', action: 'link', number: '+84912345678', personalId: P1, at: '2026-01-01T00:00:00.000Z', ...l });
  const ids = () => {
    let i = 0;
    return () => `L${++i}`;
  };

  test('a new link, a takeover (the old link ended), a confirmation by another operator, an end', () => {
    const s = state([owner('+84900000001', P2, 'VTL', '2025-01-01T00:00:00.000Z')]);
    const r = applyLines(
      s,
      'MBF',
      [
        { lineNo: 1, line: line({ recordId: 'a' }) },
        { lineNo: 2, line: line({ recordId: 'b', number: '+84900000001' }) },
        { lineNo: 3, line: line({ recordId: 'c', number: '+84900000001', at: '2026-01-02T00:00:00.000Z' }) },
        { lineNo: 4, line: line({ recordId: 'd', action: 'end', at: '2026-01-03T00:00:00.000Z' }) },
      ],
      ids(),
    );
    assert.deepEqual(r.outcomes, [
      { lineNo: 1, outcome: 'applied' },
      { lineNo: 2, outcome: 'applied' },
      { lineNo: 3, outcome: 'unchanged' },
      { lineNo: 4, outcome: 'applied' },
    ]);
    assert.deepEqual(r.events, [
      { personalId: P1, linkId: 'L1', kind: 'linked', number: '+84912345678', operator: 'MBF', recordId: 'a', at: '2026-01-01T00:00:00.000Z', reason: 'linked' },
      { personalId: P2, linkId: 'L0', kind: 'ended', number: '+84900000001', operator: 'VTL', recordId: 'b', at: '2026-01-01T00:00:00.000Z', reason: 'new_owner' },
      { personalId: P1, linkId: 'L2', kind: 'linked', number: '+84900000001', operator: 'MBF', recordId: 'b', at: '2026-01-01T00:00:00.000Z', reason: 'linked' },
      { personalId: P1, linkId: 'L1', kind: 'ended', number: '+84912345678', operator: 'MBF', recordId: 'd', at: '2026-01-03T00:00:00.000Z', reason: 'operator' },
    ]);
    assert.deepEqual([...r.touched].sort(), ['+84900000001', '+84912345678']);
    assert.deepEqual([...s.owners.keys()], ['+84900000001']);
    assert.deepEqual(s.owners.get('+84900000001'), { number: '+84900000001', personalId: P1, linkId: 'L2', operator: 'MBF', recordId: 'b', confirmedAt: '2026-01-01T00:00:00.000Z' });
    assert.deepEqual(r.records.map((x) => [x.recordId, x.outcome]), [['a', 'applied'], ['b', 'applied'], ['c', 'unchanged'], ['d', 'applied']]);
  });

  test('the same person moving operator ends the old link as new_operator; an equal instant takes over', () => {
    const s = state([owner('+84912345678', P1, 'VTL', '2026-01-01T00:00:00.000Z')]);
    const r = applyLines(s, 'MBF', [{ lineNo: 1, line: line({}) }], ids());
    assert.deepEqual(r.events.map((e) => [e.kind, e.reason, e.operator]), [['ended', 'new_operator', 'VTL'], ['linked', 'linked', 'MBF']]);
  });

  test('refusals: unknown citizen, stale link, end of a link that is not there, of another operator, stale end; a reused record ID', () => {
    const base = () => state([owner('+84912345678', P1, 'VTL', '2026-01-05T00:00:00.000Z')]);
    const one = (l: Partial<SubscriberLine>, operator = 'VTL', s = base()) => {
      const r = applyLines(s, operator, [{ lineNo: 7, line: line(l) }], ids());
      return { outcome: r.outcomes[0], events: r.events.length, records: r.records.length, touched: r.touched.size, owner: s.owners.get('+84912345678')?.personalId };
    };
    const refused = (code: string, field: string) => ({ outcome: { lineNo: 7, problem: { code, field } }, events: 0, records: 0, touched: 0, owner: P1 });
    assert.deepEqual(one({ personalId: '001200000009', at: '2026-01-06T00:00:00.000Z' }), refused('CITIZEN_NOT_FOUND', 'personalId'));
    assert.deepEqual(one({ personalId: P2, at: '2026-01-04T23:59:59.999Z' }), refused('SUBSCRIBER_LINK_STALE', 'confirmedAt'));
    assert.deepEqual(one({ action: 'end', personalId: P2, at: '2026-01-06T00:00:00.000Z' }), refused('SUBSCRIBER_LINK_NOT_FOUND', 'number'));
    assert.deepEqual(one({ action: 'end', number: '+84900000000', at: '2026-01-06T00:00:00.000Z' }), { ...refused('SUBSCRIBER_LINK_NOT_FOUND', 'number') });
    assert.deepEqual(one({ action: 'end', at: '2026-01-06T00:00:00.000Z' }, 'MBF'), refused('SUBSCRIBER_LINK_OTHER_OPERATOR', 'number'));
    assert.deepEqual(one({ action: 'end', at: '2026-01-04T00:00:00.000Z' }), refused('SUBSCRIBER_LINK_STALE', 'endedAt'));
    assert.deepEqual(one({ action: 'end', at: '2026-01-05T00:00:00.000Z' }), { outcome: { lineNo: 7, outcome: 'applied' }, events: 1, records: 1, touched: 1, owner: undefined });
    // A record ID seen before: the same content is a duplicate, other content a refusal.
    const s = base();
    s.records.set('R', { action: 'link', number: '+84912345678', personalId: P1, at: '2026-01-01T00:00:00.000Z' });
    assert.deepEqual(one({}, 'VTL', s).outcome, { lineNo: 7, outcome: 'duplicate' });
    for (const changed of [{ at: '2026-01-02T00:00:00.000Z' }, { personalId: P2 }, { number: '+84900000000' }, { action: 'end' as const }]) {
      const t = base();
      t.records.set('R', { action: 'link', number: '+84912345678', personalId: P1, at: '2026-01-01T00:00:00.000Z' });
      assert.deepEqual(one(changed, 'VTL', t), refused('SUBSCRIBER_RECORD_ID_REUSED', 'recordId'));
    }
  });

  test('property: after any run of lines, each number has at most one owner, whose last link event is current', () => {
    const numbers = ['+84900000001', '+84900000002', '+84900000003'];
    const people = [P1, P2, '001200000003'];
    const lineArb = fc.record({
      recordId: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'),
      action: fc.constantFrom<'link' | 'end'>('link', 'link', 'end'),
      number: fc.constantFrom(...numbers),
      personalId: fc.constantFrom(...people),
      at: fc.integer({ min: 1, max: 9 }).map((d) => `2026-01-0${d}T00:00:00.000Z`),
    });
    fc.assert(
      fc.property(fc.array(fc.tuple(lineArb, fc.constantFrom('VTL', 'MBF')), { maxLength: 40 }), (run) => {
        const s = state([], people);
        const events = [];
        let n = 0;
        const newId = () => `L${++n}`;
        for (const [l, op] of run) {
          const r = applyLines(s, op, [{ lineNo: 1, line: l }], newId);
          events.push(...r.events);
          // Every record accepted is remembered; a refused line changes nothing.
          if ('problem' in r.outcomes[0]!) assert.equal(r.events.length, 0);
        }
        // Replaying the events gives the owners the state holds: one current link per number at most.
        const current = new Map<string, { personalId: string; linkId: string }>();
        const open = new Set<string>();
        for (const e of events) {
          if (e.kind === 'linked') {
            assert.equal(current.has(e.number), false, 'a number is linked only once its previous link has ended');
            current.set(e.number, { personalId: e.personalId, linkId: e.linkId });
            open.add(e.linkId);
          } else {
            assert.deepEqual(current.get(e.number), { personalId: e.personalId, linkId: e.linkId });
            assert.ok(open.delete(e.linkId), 'a link ends once');
            current.delete(e.number);
          }
        }
        assert.deepEqual(new Map([...s.owners].map(([k, o]) => [k, { personalId: o.personalId, linkId: o.linkId }])), current);
      }),
    );
  });
});
