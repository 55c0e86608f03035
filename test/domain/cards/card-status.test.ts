/** Card status on a day: precedence of events, the CMND cut-off, record consistency. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Value } from '@sinclair/typebox/value';
import { Card, cardProblems, cardStatusAt, type CardStatus } from '../../../src/domain/cards/card.js';
import { dayArb } from './arbitraries.js';

const base: Card = {
  personalId: '079090001234',
  cardNo: '079090001234',
  generation: 'CCCD',
  issueDate: '2021-04-01',
  issuingAuthority: 'Cục Cảnh sát quản lý hành chính về trật tự xã hội',
  expiryDate: '2030-09-12',
};
const cmnd: Card = { ...base, cardNo: '123456789', generation: 'CMND', issueDate: '2015-03-01', expiryDate: '2030-03-01', issuingAuthority: 'Công an Thành phố Hồ Chí Minh' };

describe('cardStatusAt', () => {
  test('the schema accepts the fixtures', () => {
    assert.ok(Value.Check(Card, base));
    assert.ok(Value.Check(Card, { ...cmnd, lostOn: '2020-01-01' }));
    assert.ok(Value.Check(Card, { ...base, generation: 'CAN_CUOC', expiryDate: null }));
    assert.ok(!Value.Check(Card, { ...base, generation: 'PASSPORT' }));
  });

  test('before the issue date the card does not exist yet; the issue date itself is valid', () => {
    assert.equal(cardStatusAt(base, '2021-03-31'), 'not_yet_issued');
    assert.equal(cardStatusAt(base, '2021-04-01'), 'valid');
  });

  test('the printed expiry is the last valid day', () => {
    assert.equal(cardStatusAt(base, '2030-09-12'), 'valid');
    assert.equal(cardStatusAt(base, '2030-09-13'), 'expired');
    assert.equal(cardStatusAt({ ...base, generation: 'CAN_CUOC', expiryDate: null }, '2199-01-01'), 'valid');
  });

  test('every CMND is valid through 2024-12-31 and expired from 2025-01-01, whatever it prints', () => {
    for (const expiryDate of ['2030-03-01', null, '2024-12-31', '2025-01-01']) {
      const c = { ...cmnd, expiryDate };
      assert.equal(cardStatusAt(c, '2024-12-31'), 'valid', String(expiryDate));
      assert.equal(cardStatusAt(c, '2025-01-01'), 'expired', String(expiryDate));
    }
    const early = { ...cmnd, issueDate: '2000-01-01', expiryDate: '2015-01-01' };
    assert.equal(cardStatusAt(early, '2015-01-01'), 'valid');
    assert.equal(cardStatusAt(early, '2015-01-02'), 'expired');
    // A CCCD is not affected by the CMND cut-off (Art. 46(1)).
    assert.equal(cardStatusAt(base, '2025-01-01'), 'valid');
  });

  test('events count from their own day on; revoked > lost > replaced > expired', () => {
    const c: Card = { ...base, replacedOn: '2024-01-10', replacedBy: base.cardNo, lostOn: '2025-06-01', revokedOn: '2026-02-02', revocationReason: 'Thẻ cấp sai quy định' };
    assert.equal(cardStatusAt(c, '2024-01-09'), 'valid');
    assert.equal(cardStatusAt(c, '2024-01-10'), 'replaced');
    assert.equal(cardStatusAt(c, '2025-06-01'), 'lost');
    assert.equal(cardStatusAt(c, '2026-02-02'), 'revoked');
    assert.equal(cardStatusAt(c, '2031-01-01'), 'revoked'); // still revoked, not merely expired
    assert.equal(cardStatusAt({ ...cmnd, lostOn: '2019-05-05' }, '2026-01-01'), 'lost'); // a lost CMND stays lost
  });

  const RANK: CardStatus[] = ['revoked', 'lost', 'replaced', 'expired', 'valid'];
  const optionalDay = fc.option(dayArb(2016, 2035), { nil: undefined });

  test('property: the status is the most serious of the states that apply on the day', () => {
    fc.assert(
      fc.property(
        fc.record({ gen: fc.constantFrom<Card['generation']>('CMND', 'CCCD', 'CAN_CUOC'), issue: dayArb(2016, 2025), expiry: fc.option(dayArb(2016, 2040), { nil: null }) }),
        fc.record({ lost: optionalDay, revoked: optionalDay, replaced: optionalDay }),
        dayArb(2010, 2045),
        ({ gen, issue, expiry }, ev, day) => {
          const card: Card = { ...base, generation: gen, issueDate: issue, expiryDate: expiry };
          if (ev.lost) card.lostOn = ev.lost;
          if (ev.revoked) card.revokedOn = ev.revoked;
          if (ev.replaced) card.replacedOn = ev.replaced;
          const applies = new Set<CardStatus>(['valid']);
          if (ev.revoked && ev.revoked <= day) applies.add('revoked');
          if (ev.lost && ev.lost <= day) applies.add('lost');
          if (ev.replaced && ev.replaced <= day) applies.add('replaced');
          const last = gen === 'CMND' ? [expiry ?? '9999-12-31', '2024-12-31'].sort()[0]! : expiry;
          if (last !== null && day > last) applies.add('expired');
          const want = day < issue ? 'not_yet_issued' : RANK.find((s) => applies.has(s));
          assert.equal(cardStatusAt(card, day), want);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('cardProblems', () => {
  test('a consistent record has none', () => {
    assert.deepEqual(cardProblems(base), []);
    assert.deepEqual(cardProblems(cmnd), []);
    assert.deepEqual(cardProblems({ ...base, generation: 'CAN_CUOC', issueDate: '2024-07-01', expiryDate: null }), []);
  });

  test('number, issuing period, dates and events are checked', () => {
    assert.deepEqual(cardProblems({ ...base, cardNo: '079090009999' }), ['CARD_NUMBER_FORMAT']);
    assert.deepEqual(cardProblems({ ...cmnd, cardNo: cmnd.personalId }), ['CARD_NUMBER_FORMAT']);
    assert.deepEqual(cardProblems({ ...base, issueDate: '2024-07-01' }), ['CARD_GENERATION_DATE']);
    assert.deepEqual(cardProblems({ ...base, generation: 'CAN_CUOC', issueDate: '2024-06-30' }), ['CARD_GENERATION_DATE']);
    assert.deepEqual(cardProblems({ ...cmnd, issueDate: '2024-07-01' }), ['CARD_GENERATION_DATE']);
    assert.deepEqual(cardProblems({ ...base, expiryDate: '2021-03-31' }), ['CARD_EXPIRY_BEFORE_ISSUE']);
    assert.deepEqual(cardProblems({ ...base, lostOn: '2020-01-01' }), ['CARD_EVENT_BEFORE_ISSUE']);
    assert.deepEqual(cardProblems({ ...base, replacedBy: base.cardNo }), ['CARD_REPLACEMENT_INCOMPLETE']);
    assert.deepEqual(cardProblems({ ...base, revocationReason: 'x' }), ['CARD_REVOCATION_REASON_WITHOUT_REVOCATION']);
  });
});
