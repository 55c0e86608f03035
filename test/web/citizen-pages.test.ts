/** The citizen pages' pure logic: the usage filters (typed → /me/usage query) and cursor paging. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isUsageKind, USAGE_KINDS, usageQuery } from '../../web/src/pages/citizen/usage-filters.js';
import { fieldList, fieldName, NAMED_FIELDS } from '../../web/src/pages/citizen/field-names.js';
import { FIRST_PAGE, nextPage, pageNumber, previousPage, type CursorPages } from '../../web/src/api/cursor-pages.js';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const day = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2399-12-31T00:00:00Z'), noInvalidDate: true });
const typedDay = (d: Date) => `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
const iso = (d: Date) => d.toISOString().slice(0, 10);

describe('usageQuery', () => {
  it('empty filters ask for everything', () => {
    assert.deepEqual(usageQuery({ from: '', to: '  ', kind: '' }), { ok: true, query: {} });
  });
  it('a period is the start of its first day and the end of its last, in Vietnam (UTC+7)', () => {
    assert.deepEqual(usageQuery({ from: '1/6/2026', to: '30/06/2026', kind: 'officer' }), {
      ok: true,
      query: { from: '2026-06-01T00:00:00+07:00', to: '2026-06-30T23:59:59.999+07:00', kind: 'officer' },
    });
    assert.deepEqual(usageQuery({ from: '05/06/2026', to: '05/06/2026', kind: '' }), { ok: true, query: { from: '2026-06-05T00:00:00+07:00', to: '2026-06-05T23:59:59.999+07:00' } });
    assert.deepEqual(usageQuery({ from: '', to: '05/06/2026', kind: '' }), { ok: true, query: { to: '2026-06-05T23:59:59.999+07:00' } });
    assert.deepEqual(usageQuery({ from: '05/06/2026', to: '', kind: '' }), { ok: true, query: { from: '2026-06-05T00:00:00+07:00' } });
    assert.deepEqual(usageQuery({ from: ' \t ', to: '', kind: '' }), { ok: true, query: {} }, 'blank is no date, not a wrong one');
  });
  it('names the wrong field: not a date, or an end before the start', () => {
    assert.deepEqual(usageQuery({ from: '31/02/2026', to: '', kind: '' }), { ok: false, errors: { from: 'date' } });
    assert.deepEqual(usageQuery({ from: '', to: '2026-06-01', kind: '' }), { ok: false, errors: { to: 'date' } });
    assert.deepEqual(usageQuery({ from: 'x', to: 'y', kind: 'officer' }), { ok: false, errors: { from: 'date', to: 'date' } });
    assert.deepEqual(usageQuery({ from: '02/06/2026', to: '01/06/2026', kind: '' }), { ok: false, errors: { to: 'order' } });
  });
  it('a kind outside the list is no filter', () => {
    assert.deepEqual(usageQuery({ from: '', to: '', kind: 'hacker' }), { ok: true, query: {} });
    for (const k of USAGE_KINDS) assert.deepEqual(usageQuery({ from: '', to: '', kind: k }), { ok: true, query: { kind: k } });
    assert.equal(isUsageKind('exchange'), true);
    assert.equal(isUsageKind('Exchange'), false);
  });
  it('any two real days: accepted in order with exact bounds, refused (to: order) the other way round', () => {
    fc.assert(
      fc.property(day, day, fc.constantFrom('', ...USAGE_KINDS), (a, b, kind) => {
        const r = usageQuery({ from: typedDay(a), to: typedDay(b), kind });
        if (iso(b) < iso(a)) return assert.deepEqual(r, { ok: false, errors: { to: 'order' } });
        assert.deepEqual(r, { ok: true, query: { from: `${iso(a)}T00:00:00+07:00`, to: `${iso(b)}T23:59:59.999+07:00`, ...(kind ? { kind } : {}) } });
        // The bounds are instants the API parses, a whole number of days apart less a millisecond.
        if (r.ok) assert.equal((Date.parse(r.query.to!) - Date.parse(r.query.from!) + 1) % 86_400_000, 0);
      }),
    );
  });
  it('any text is an answer, never an exception', () => {
    fc.assert(fc.property(fc.string(), fc.string(), fc.string(), (from, to, kind) => void usageQuery({ from, to, kind })));
  });
});

describe('cursor paging', () => {
  it('forwards and back returns to the same pages', () => {
    let p: CursorPages = FIRST_PAGE;
    assert.equal(pageNumber(p), 1);
    assert.equal(previousPage(p), p, 'nothing before the first page');
    p = nextPage(p, 'c2');
    assert.deepEqual(p, { cursor: 'c2', before: [''] });
    p = nextPage(p, 'c3');
    assert.deepEqual(p, { cursor: 'c3', before: ['', 'c2'] });
    assert.equal(pageNumber(p), 3);
    p = previousPage(p);
    assert.deepEqual(p, { cursor: 'c2', before: [''] });
    p = previousPage(p);
    assert.deepEqual(p, { before: [] });
    assert.equal('cursor' in p, false, 'the first page has no cursor at all');
  });
  it('n pages forward then n back is the first page; each step back is the page before', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 8 }), { maxLength: 20 }), (cursors) => {
        const seen: CursorPages[] = [FIRST_PAGE];
        let p = FIRST_PAGE;
        for (const c of cursors) {
          p = nextPage(p, c);
          seen.push(p);
          assert.equal(pageNumber(p), seen.length);
        }
        for (let i = seen.length - 2; i >= 0; i--) {
          p = previousPage(p);
          assert.deepEqual(p, seen[i]);
        }
      }),
    );
  });
});

describe('field names in the usage view', () => {
  it('names the record\'s fields in the reader\'s language; others as the API wrote them, after', () => {
    assert.equal(fieldName('fullName', 'vi'), 'Họ tên');
    assert.equal(fieldName('fullName', 'en'), 'Full name');
    assert.equal(fieldName('toString', 'vi'), 'toString', 'no inherited property is a name');
    assert.equal(fieldList(['updatedAt', 'dateOfBirth', 'fullName'], 'vi'), 'Ngày sinh, Họ tên, updatedAt');
    assert.equal(fieldList([], 'en'), '');
  });
  it('every named field has a name in both languages, distinct from its key and from the others', () => {
    assert.ok(NAMED_FIELDS.length >= 25);
    for (const lang of ['vi', 'en'] as const) {
      const names = NAMED_FIELDS.map((f) => fieldName(f, lang));
      for (const [i, n] of names.entries()) {
        assert.equal(typeof n, 'string', NAMED_FIELDS[i]);
        assert.ok(n.length > 1 && n !== NAMED_FIELDS[i], `${NAMED_FIELDS[i]} ${lang}`);
      }
      assert.equal(new Set(names).size, names.length, `${lang} names are distinct`);
    }
    assert.notEqual(fieldName('fullName', 'vi'), fieldName('fullName', 'en'));
  });
  it('names every field a written request about the citizen shows them (GET /me/written-requests)', async () => {
    const { WrittenRequestView } = await import('../../src/http/routes/written-requests.js');
    for (const key of [...Object.keys(WrittenRequestView.properties), 'asSeen']) assert.ok(NAMED_FIELDS.includes(key), key);
  });
  it('every field appears once, whatever the list', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.constantFrom('fullName', 'sex', 'x', 'y', 'phone', 'constructor', 'updatedAt')), (fields) => {
        const shown = fieldList(fields, 'en').split(', ').filter((f) => f !== '');
        assert.equal(shown.length, fields.length);
        assert.deepEqual(new Set(shown), new Set(fields.map((f) => fieldName(f, 'en'))));
      }),
    );
  });
});
