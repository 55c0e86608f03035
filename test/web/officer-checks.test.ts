/** The counter check read for the officer, and the officer's typed input (web/src/pages/officer/comparison.ts, forms.ts). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cardUsable, differences, verdictTone, type FieldComparison } from '../../web/src/pages/officer/comparison.js';
import { householdQueryOf, linesOf, searchQueryOf } from '../../web/src/pages/officer/forms.js';

describe('verdictTone', () => {
  it('accepts an authentic card, warns of an outdated one and refuses the rest', () => {
    assert.equal(verdictTone('authentic'), 'good');
    assert.equal(verdictTone('outdated'), 'warn');
    assert.equal(verdictTone('altered'), 'bad');
    assert.equal(verdictTone('unknown_card'), 'bad');
    assert.equal(verdictTone('unknown_person'), 'bad');
  });
});

describe('differences', () => {
  it('lists the differing fields: changed since issue when the card printed them, else never matched', () => {
    const fields: FieldComparison[] = [
      { field: 'fullName', matches: true, qr: 'A', registry: 'A' },
      { field: 'permanentAddress', matches: false, qr: 'X', registry: 'Y', matchesAtIssue: true },
      { field: 'dateOfBirth', matches: false, qr: '2000-01-01', registry: '2000-01-02', matchesAtIssue: false },
      { field: 'sex', matches: false, qr: 'male', registry: 'female' },
    ];
    assert.deepEqual(differences(fields), [
      { field: 'permanentAddress', difference: 'changed_since_issue' },
      { field: 'dateOfBirth', difference: 'never_matched' },
      { field: 'sex', difference: 'never_matched' },
    ]);
    assert.deepEqual(differences([]), []);
  });
});

describe('cardUsable', () => {
  it('only a valid card', () => {
    assert.equal(cardUsable('valid'), true);
    for (const s of ['expired', 'lost', 'revoked', 'replaced', 'not_yet_issued', undefined]) assert.equal(cardUsable(s), false);
  });
});

describe('linesOf', () => {
  it('one item per non-blank line, trimmed', () => {
    assert.deepEqual(linesOf(' Sổ hộ khẩu \r\n\n  \nGiấy khai sinh'), ['Sổ hộ khẩu', 'Giấy khai sinh']);
    assert.deepEqual(linesOf(''), []);
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 10 }).filter((p) => !/[\r\n]/.test(p)), { maxLength: 10 }), fc.boolean(), (parts, crlf) => {
        const lines = linesOf(parts.join(crlf ? '\r\n' : '\n'));
        assert.deepEqual(lines, parts.map((p) => p.trim()).filter((p) => p.length > 0));
      }),
    );
  });
});

const empty = { name: '', dateOfBirth: '', personalId: '', legacyIdNumber: '' };

describe('searchQueryOf', () => {
  it('takes a personal ID first, then a CMND number, then a name with the date or year of birth', () => {
    assert.deepEqual(searchQueryOf({ ...empty, personalId: '001 204 000 123', name: 'x' }), { ok: true, query: { personalId: '001204000123' } });
    assert.deepEqual(searchQueryOf({ ...empty, legacyIdNumber: '012345678', name: 'x' }), { ok: true, query: { legacyIdNumber: '012345678' } });
    assert.deepEqual(searchQueryOf({ ...empty, name: '  Nguyễn   Văn ', dateOfBirth: '5/3/2024' }), { ok: true, query: { name: 'Nguyễn Văn', dateOfBirth: '2024-03-05' } });
    assert.deepEqual(searchQueryOf({ ...empty, name: 'Hoa', dateOfBirth: ' 1990 ' }), { ok: true, query: { name: 'Hoa', dateOfBirth: '1990' } });
    assert.deepEqual(searchQueryOf({ ...empty, name: 'Hoa' }), { ok: true, query: { name: 'Hoa' } });
  });
  it('says what is wrong: a date that is no date, or nothing to search by', () => {
    assert.deepEqual(searchQueryOf({ ...empty, name: 'Hoa', dateOfBirth: '31/02/1990' }), { ok: false, error: 'dateOfBirth' });
    assert.deepEqual(searchQueryOf({ ...empty, dateOfBirth: '01/02/1990' }), { ok: false, error: 'empty' });
    assert.deepEqual(searchQueryOf({ ...empty, personalId: '12345', legacyIdNumber: '1234567890' }), { ok: false, error: 'empty' });
    assert.deepEqual(searchQueryOf(empty), { ok: false, error: 'empty' });
    assert.deepEqual(searchQueryOf({ ...empty, legacyIdNumber: '012 345 678' }), { ok: true, query: { legacyIdNumber: '012345678' } });
    for (const personalId of ['0012040001234', '1001204000123']) assert.deepEqual(searchQueryOf({ ...empty, personalId }), { ok: false, error: 'empty' }, personalId);
    for (const legacyIdNumber of ['0123456789', '1012345678']) assert.deepEqual(searchQueryOf({ ...empty, legacyIdNumber }), { ok: false, error: 'empty' }, legacyIdNumber);
    for (const dateOfBirth of ['19901', '01990']) assert.deepEqual(searchQueryOf({ ...empty, name: 'Hoa', dateOfBirth }), { ok: false, error: 'dateOfBirth' }, dateOfBirth);
  });
  it('never asks the API with a malformed personal ID, CMND number or date', () => {
    const digits = (n: number) => fc.stringMatching(new RegExp(`^[0-9 ]{0,${n}}$`));
    fc.assert(
      fc.property(fc.record({ name: fc.string({ maxLength: 12 }), dateOfBirth: fc.oneof(fc.string({ maxLength: 10 }), fc.stringMatching(/^\d{1,2}\/\d{1,2}\/\d{4}$/)), personalId: digits(14), legacyIdNumber: digits(11) }), (input) => {
        const r = searchQueryOf(input);
        if (!r.ok) return;
        const q = r.query as Record<string, string>;
        if ('personalId' in q) assert.match(q.personalId!, /^\d{12}$/);
        else if ('legacyIdNumber' in q) assert.match(q.legacyIdNumber!, /^\d{9}$/);
        else {
          assert.ok(q.name!.length > 0 && q.name === q.name!.trim());
          if (q.dateOfBirth !== undefined) assert.match(q.dateOfBirth, /^\d{4}(-\d{2}-\d{2})?$/);
        }
      }),
    );
  });
});

describe('householdQueryOf', () => {
  const PID = '001190000042';
  it('the person\'s own household when empty, a member by personal ID, or a residence file number', () => {
    assert.deepEqual(householdQueryOf(PID, ''), { memberPersonalId: PID });
    assert.deepEqual(householdQueryOf(PID, '   '), { memberPersonalId: PID });
    assert.deepEqual(householdQueryOf(PID, '001 204 000 123'), { memberPersonalId: '001204000123' });
    assert.deepEqual(householdQueryOf(PID, 'hs00004abcdefgh'), { householdId: 'HS00004ABCDEFGH' });
    assert.equal(householdQueryOf(PID, 'HS0004ABCDEFGH'), undefined);
    assert.equal(householdQueryOf(PID, '12345'), undefined);
    assert.equal(householdQueryOf(PID, 'x001204000123'), undefined);
    assert.equal(householdQueryOf(PID, '001204000123x'), undefined);
    assert.equal(householdQueryOf(PID, 'XHS00004ABCDEFGH'), undefined);
    assert.equal(householdQueryOf(PID, 'HS00004ABCDEFGHJ'), undefined);
  });
});
