/** The e-ID account rules (decision 0042): activation deadline, state at an instant, representation, e-mail. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ACTIVATION_DAYS, CODE_REQUEST_LIMITS, activationDeadline, effectiveState, isUnder14On, latestDay, maskEmail, mayRepresent, needsRepresentative, normalizeEmail, REPRESENTATION_AGE } from '../../../src/domain/eid/rules.js';

const DAY = 86_400_000;
const instant = fc.integer({ min: Date.parse('2000-01-01T00:00:00Z'), max: Date.parse('2099-12-31T00:00:00Z') });

describe('activation deadline (Art. 14: 7 days; BLDS Art. 147–148: from the next day to the end of the 7th, Vietnam time)', () => {
  test('examples', () => {
    assert.equal(ACTIVATION_DAYS, 7);
    // 09:00 in Hà Nội on 1 June → end of 8 June in Hà Nội = 17:00Z on 8 June.
    assert.equal(activationDeadline('2026-06-01T02:00:00.000Z'), '2026-06-08T17:00:00.000Z');
    // 23:30 on 31 May in Hà Nội (16:30Z): the period starts on 1 June → end of 7 June.
    assert.equal(activationDeadline('2026-05-31T16:30:00.000Z'), '2026-06-07T17:00:00.000Z');
    // 00:00 on 1 June in Hà Nội (17:00Z on 31 May) is already 1 June.
    assert.equal(activationDeadline('2026-05-31T17:00:00.000Z'), '2026-06-08T17:00:00.000Z');
    assert.equal(activationDeadline('2026-05-31T16:59:59.999Z'), '2026-06-07T17:00:00.000Z');
    // Across a year's end and a leap day.
    assert.equal(activationDeadline('2027-12-28T03:00:00.000Z'), '2028-01-04T17:00:00.000Z');
    assert.equal(activationDeadline('2028-02-25T03:00:00.000Z'), '2028-03-03T17:00:00.000Z');
  });
  test('property: at the end of a Vietnam day, more than 7 and at most 8 days after the notice', () => {
    fc.assert(
      fc.property(instant, (t) => {
        const d = Date.parse(activationDeadline(new Date(t).toISOString()));
        assert.ok(d - t > ACTIVATION_DAYS * DAY, 'the 7 full days after the notice day are all in');
        assert.ok(d - t <= (ACTIVATION_DAYS + 1) * DAY);
        assert.equal((d + 7 * 3_600_000) % DAY, 0, 'midnight in Vietnam');
      }),
    );
  });
  test('property: notices on the same Vietnam day share a deadline; a later day, one day later', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: DAY - 1 }), (t, dt) => {
        const startOfLocalDay = Math.floor((t + 7 * 3_600_000) / DAY) * DAY - 7 * 3_600_000;
        const a = activationDeadline(new Date(startOfLocalDay).toISOString());
        assert.equal(activationDeadline(new Date(startOfLocalDay + dt).toISOString()), a);
        assert.equal(Date.parse(activationDeadline(new Date(startOfLocalDay + DAY).toISOString())) - Date.parse(a), DAY);
      }),
    );
  });
});

describe('state at an instant', () => {
  const deadline = '2026-06-08T17:00:00.000Z';
  test('a pending account lapses at its deadline, not before; active and lapsed stay', () => {
    const at = Date.parse(deadline);
    assert.equal(effectiveState({ state: 'pending-activation', activationDeadline: deadline }, at - 1), 'pending-activation');
    assert.equal(effectiveState({ state: 'pending-activation', activationDeadline: deadline }, at), 'lapsed');
    assert.equal(effectiveState({ state: 'active', activationDeadline: deadline }, at + DAY), 'active');
    assert.equal(effectiveState({ state: 'lapsed', activationDeadline: deadline }, at - DAY), 'lapsed');
  });
  test('property: only a pending account changes, exactly at its deadline', () => {
    fc.assert(
      fc.property(fc.constantFrom('pending-activation', 'active', 'lapsed' as const), instant, instant, (state, d, now) => {
        const got = effectiveState({ state, activationDeadline: new Date(d).toISOString() }, now);
        assert.equal(got, state === 'pending-activation' && now >= d ? 'lapsed' : state);
      }),
    );
  });
});

describe('under 14 and representation', () => {
  test('latest day of a partial date', () => {
    assert.equal(latestDay('2012'), '2012-12-31');
    assert.equal(latestDay('2012-02'), '2012-02-29');
    assert.equal(latestDay('2013-02'), '2013-02-28');
    assert.equal(latestDay('2013-04'), '2013-04-30');
    assert.equal(latestDay('2013-04-07'), '2013-04-07');
  });
  test('the 14th birthday ends it; a partial date keeps the doubt on the child\'s side', () => {
    assert.equal(REPRESENTATION_AGE, 14);
    assert.equal(isUnder14On('2012-06-01', '2026-05-31'), true);
    assert.equal(isUnder14On('2012-06-01', '2026-06-01'), false);
    assert.equal(isUnder14On('2012-02-29', '2026-02-28'), true);
    assert.equal(isUnder14On('2012-02-29', '2026-03-01'), false);
    assert.equal(isUnder14On('2012', '2026-12-30'), true);
    assert.equal(isUnder14On('2012', '2026-12-31'), false);
    assert.equal(isUnder14On('2012-06', '2026-06-29'), true);
    assert.equal(isUnder14On('2012-06', '2026-06-30'), false);
  });
  test('property: under 14 on a day exactly when the age from the latest birth day is below 14', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1990-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }), fc.integer({ min: 0, max: 40 * 366 }), (birth, days) => {
        const dob = birth.toISOString().slice(0, 10);
        const today = new Date(birth.getTime() + days * DAY).toISOString().slice(0, 10);
        const [by, bm, bd] = dob.split('-').map(Number) as [number, number, number];
        const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
        const age = ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
        // 29 February: the birthday in a common year is 1 March (the text comparison's rule).
        const leapEdge = bm === 2 && bd === 29 && tm === 2 && td === 28 && ty - by === 14;
        assert.equal(isUnder14On(dob, today), leapEdge ? true : age < 14);
      }),
    );
  });
  const child = (dob: string, relatives: { relation: string; personalId?: string }[]) => ({ dateOfBirth: dob, relatives });
  test('who needs a representative and who may be one', () => {
    const kid = child('2015-03-01', [{ relation: 'father', personalId: '001090000001' }, { relation: 'mother', personalId: '001090000002' }]);
    assert.equal(needsRepresentative(kid, '2026-06-01'), true);
    assert.equal(mayRepresent(kid, '001090000001', '2026-06-01'), true);
    assert.equal(mayRepresent(kid, '001090000002', '2026-06-01'), true);
    assert.equal(mayRepresent(kid, '001090000003', '2026-06-01'), false);
    // At 14 the child acts alone; the parent no longer represents them.
    assert.equal(needsRepresentative(kid, '2029-03-01'), false);
    assert.equal(mayRepresent(kid, '001090000001', '2029-03-01'), false);
    const ward = child('1980-01-01', [{ relation: 'legalRepresentative', personalId: '001090000009' }, { relation: 'mother', personalId: '001090000002' }]);
    assert.equal(needsRepresentative(ward, '2026-06-01'), true);
    assert.equal(mayRepresent(ward, '001090000009', '2026-06-01'), true);
    assert.equal(mayRepresent(ward, '001090000002', '2026-06-01'), false, 'an adult\'s parent is not their representative');
    assert.equal(needsRepresentative(child('1980-01-01', [{ relation: 'legalRepresentative' }]), '2026-06-01'), false, 'a representative without a personal ID names nobody');
    assert.equal(needsRepresentative(child('1980-01-01', [{ relation: 'mother', personalId: '001090000002' }]), '2026-06-01'), false);
  });
  test('a representative given by every number they have held: any one the record names is enough; a number is matched whole', () => {
    const kid = child('2015-03-01', [{ relation: 'father', personalId: '001079000001' }]);
    assert.equal(mayRepresent(kid, ['001090000001', '001079000001'], '2026-06-01'), true, 'named by the number a re-issue cancelled');
    assert.equal(mayRepresent(kid, ['001090000001', '001090000002'], '2026-06-01'), false);
    assert.equal(mayRepresent(kid, [], '2026-06-01'), false);
    assert.equal(mayRepresent(kid, '9001079000001', '2026-06-01'), false, 'a longer text containing the number is not the number');
  });
  test('property: given a list, may represent exactly when one of its numbers alone may', () => {
    const id = fc.constantFrom('001090000001', '001090000002', '001090000003');
    fc.assert(
      fc.property(fc.array(fc.record({ relation: fc.constantFrom('father', 'mother', 'legalRepresentative', 'spouse'), personalId: id }), { maxLength: 3 }), fc.array(id, { maxLength: 3 }), fc.constantFrom('2015-05-05', '1990-01-01'), (relatives, ids, dob) => {
        const p = child(dob, relatives);
        assert.equal(mayRepresent(p, ids, '2026-06-01'), ids.some((one) => mayRepresent(p, one, '2026-06-01')));
      }),
    );
  });
  test('property: a representative is someone the record names', () => {
    const id = fc.stringMatching(/^\d{12}$/);
    fc.assert(
      fc.property(fc.array(fc.record({ relation: fc.constantFrom('father', 'mother', 'legalRepresentative', 'spouse', 'child'), personalId: id }), { maxLength: 4 }), id, fc.constantFrom('2010-05-05', '1990-01-01'), (relatives, who, dob) => {
        const p = child(dob, relatives);
        if (mayRepresent(p, who, '2026-06-01')) assert.ok(relatives.some((r) => r.personalId === who && r.relation !== 'spouse' && r.relation !== 'child'));
        if (mayRepresent(p, who, '2026-06-01')) assert.ok(needsRepresentative(p, '2026-06-01'));
      }),
    );
  });
});

test('code requests: three free, then a minute doubling to an hour, forgotten after a day', () => {
  assert.deepEqual(CODE_REQUEST_LIMITS, { freeFailures: 3, baseDelaySeconds: 60, maxDelaySeconds: 3600, forgetAfterSeconds: 86_400 });
});

describe('e-mail', () => {
  test('accepted and refused, masked', () => {
    assert.equal(normalizeEmail(' an.nguyen@Example.VN '), 'an.nguyen@example.vn');
    assert.equal(normalizeEmail('An@mail.gov.vn'), 'An@mail.gov.vn');
    for (const bad of ['', 'an', 'an@', '@x.vn', 'an@vn', 'a n@x.vn', 'an@x..vn', 'an@-x.vn', `${'a'.repeat(65)}@x.vn`, `a@${'b'.repeat(250)}.vn`, 'ân@x.vn']) assert.equal(normalizeEmail(bad), undefined, bad);
    assert.equal(maskEmail('an.nguyen@example.vn'), 'a•••@example.vn');
    // One-character labels, the end anchored, 254 characters at most (RFC 5321's path limit less the brackets).
    assert.equal(normalizeEmail('a@b.c'), 'a@b.c');
    assert.equal(normalizeEmail('a@bc.d'), 'a@bc.d');
    assert.equal(normalizeEmail('an@x.vn!'), undefined);
    const at254 = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    assert.equal(at254.length, 254);
    assert.equal(normalizeEmail(at254), at254);
    assert.equal(normalizeEmail(`${at254}e`), undefined);
  });
});
