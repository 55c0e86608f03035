/** The counter case (web/src/pages/officer/case.ts): the purpose asked once per case and sent with every request of it. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { caseReducer, MAX_PURPOSE, NO_CASE, purposeHeader, purposeText, PURPOSE_CODES, type CaseAction, type CounterCase, type PurposeCode } from '../../web/src/pages/officer/case.js';

const code = fc.constantFrom(...PURPOSE_CODES);
const PID = '001204000123';

describe('purposeText', () => {
  it('is the code alone, or the code and the tidied note', () => {
    assert.equal(purposeText('CARD_VERIFICATION', ''), 'CARD_VERIFICATION');
    assert.equal(purposeText('CARD_VERIFICATION', '   '), 'CARD_VERIFICATION');
    assert.equal(purposeText('RESIDENCE_REGISTRATION', '  biên nhận\tsố \n 12 '), 'RESIDENCE_REGISTRATION: biên nhận số 12');
    assert.equal(purposeText('OTHER', 'hỏi thông tin'), 'OTHER: hỏi thông tin');
  });
  it('refuses "other" without a note, and an unknown code', () => {
    assert.equal(purposeText('OTHER', ''), undefined);
    assert.equal(purposeText('OTHER', ' \u0007 '), undefined);
    assert.equal(purposeText('NOPE' as PurposeCode, 'x'), undefined);
  });
  it('never holds control characters or runs of space, never exceeds the server\'s limit, and starts with the code', () => {
    fc.assert(
      fc.property(code, fc.string({ maxLength: 400 }), (c, detail) => {
        const text = purposeText(c, detail);
        if (text === undefined) return c === 'OTHER';
        assert.ok(text.length <= MAX_PURPOSE);
        assert.ok(text.startsWith(c));
        assert.doesNotMatch(text, /[\u0000-\u001f\u007f]|\s{2}|^\s|\s$/);
        return true;
      }),
    );
  });
  it('does not end in the space the limit cut at', () => {
    const detail = `${'a'.repeat(MAX_PURPOSE - 'CARD_ISSUE: '.length - 1)} bbb`;
    assert.equal(purposeText('CARD_ISSUE', detail), `CARD_ISSUE: ${'a'.repeat(MAX_PURPOSE - 'CARD_ISSUE: '.length - 1)}`);
  });
  it('keeps exactly MAX_PURPOSE characters of a long note', () => {
    const text = purposeText('CARD_ISSUE', 'x'.repeat(500))!;
    assert.equal(text.length, MAX_PURPOSE);
    assert.equal(text, `CARD_ISSUE: ${'x'.repeat(MAX_PURPOSE - 'CARD_ISSUE: '.length)}`);
  });
});

describe('caseReducer', () => {
  it('opens a case with its purpose, keeps it for the person, and forgets both on a new case', () => {
    const opened = caseReducer(NO_CASE, { type: 'purpose', code: 'CARD_VERIFICATION', detail: 'quầy 2' });
    assert.deepEqual(opened, { id: 1, purpose: 'CARD_VERIFICATION: quầy 2', code: 'CARD_VERIFICATION' });
    const withPerson = caseReducer(opened, { type: 'person', personalId: PID });
    assert.deepEqual(withPerson, { id: 1, purpose: 'CARD_VERIFICATION: quầy 2', code: 'CARD_VERIFICATION', personalId: PID });
    assert.deepEqual(caseReducer(withPerson, { type: 'person', personalId: undefined }), opened);
    assert.deepEqual(caseReducer(withPerson, { type: 'new' }), { id: 2 });
  });
  it('takes no person before a purpose, and no purpose that says nothing', () => {
    assert.equal(caseReducer(NO_CASE, { type: 'person', personalId: PID }), NO_CASE);
    assert.equal(caseReducer(NO_CASE, { type: 'purpose', code: 'OTHER', detail: '' }), NO_CASE);
  });
  it('over any sequence of actions: the purpose changes only when a case opens, and a new case has neither purpose nor person', () => {
    const action: fc.Arbitrary<CaseAction> = fc.oneof(
      fc.record({ type: fc.constant('purpose' as const), code, detail: fc.string({ maxLength: 20 }) }),
      fc.record({ type: fc.constant('person' as const), personalId: fc.option(fc.stringMatching(/^\d{12}$/), { nil: undefined }) }),
      fc.constant({ type: 'new' as const }),
    );
    fc.assert(
      fc.property(fc.array(action, { maxLength: 30 }), (actions) => {
        let state: CounterCase = NO_CASE;
        for (const a of actions) {
          const next = caseReducer(state, a);
          if (a.type === 'new') {
            assert.deepEqual(next, { id: state.id + 1 });
          } else if (a.type === 'person') {
            assert.equal(next.id, state.id);
            assert.equal(next.purpose, state.purpose);
            if (state.purpose === undefined) assert.equal(next.personalId, undefined);
            else assert.equal(next.personalId, a.personalId);
          } else if (purposeText(a.code, a.detail) === undefined) {
            assert.equal(next, state);
          } else {
            assert.equal(next.id, state.id + 1);
            assert.equal(next.purpose, purposeText(a.code, a.detail));
            assert.equal(next.personalId, undefined, 'a new purpose is a new case: no person carried over');
          }
          assert.ok(next.id >= state.id);
          state = next;
        }
      }),
    );
  });
});

describe('purposeHeader', () => {
  it('sends plain ASCII as it is and anything else percent-encoded, which decodes back to the purpose', () => {
    assert.equal(purposeHeader('CARD_VERIFICATION: desk 2'), 'CARD_VERIFICATION: desk 2');
    assert.equal(purposeHeader('OTHER: quầy 2'), 'OTHER%3A%20qu%E1%BA%A7y%202');
    assert.equal(purposeHeader('OTHER: 100%'), 'OTHER%3A%20100%25');
    assert.equal(purposeHeader('a~b'), 'a~b');
    assert.equal(purposeHeader(' '), ' ');
    assert.equal(purposeHeader('a\u007fb'), 'a%7Fb');
    fc.assert(
      fc.property(fc.string({ maxLength: 60, unit: 'grapheme' }), (s) => {
        const header = purposeHeader(s);
        assert.match(header, /^[\x20-\x7e]*$/, 'a header value fetch accepts');
        assert.equal(header.includes('%') ? decodeURIComponent(header) : header, s);
      }),
    );
  });
});
