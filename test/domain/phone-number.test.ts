/** Vietnamese mobile numbers to E.164: the spellings people and SMSCs use (property tests). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  isE164VietnamMobile,
  maskPhoneNumber,
  nationalPhoneNumber,
  normalizePhoneNumber,
} from '../../src/domain/telecom/phone-number.js';

const digits = (n: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: n, maxLength: n }).map((d) => d.join(''));
/** The 9 digits after the trunk 0 of a mobile number: first digit 3, 5, 7, 8 or 9. */
const subscriberArb = fc.tuple(fc.constantFrom('3', '5', '7', '8', '9'), digits(8)).map(([a, b]) => a + b);
const separatorArb = fc.constantFrom('', ' ', '-', '.', '  ', ' - ');

/** Puts a random separator between random digits of a digit string. */
function spaced(s: string, seps: string[]): string {
  return [...s].map((c, i) => (i === 0 ? c : seps[i % seps.length] + c)).join('');
}

describe('normalizePhoneNumber', () => {
  test('the documented spellings', () => {
    const expected = '+84912345678';
    for (const input of [
      '0912345678',
      '912345678',
      '84912345678',
      '+84912345678',
      '0084912345678',
      '+84 91-234-5678',
      '+84 (0)91 234 5678',
      '840912345678',
      '091.234.5678',
      '(091) 234 5678',
      '  0912345678\n',
      '\t+84\t912345678',
    ]) {
      assert.equal(normalizePhoneNumber(input), expected, input);
    }
    assert.equal(normalizePhoneNumber('0341234567'), '+84341234567');
    assert.equal(normalizePhoneNumber('0561234567'), '+84561234567');
    assert.equal(normalizePhoneNumber('0701234567'), '+84701234567');
    assert.equal(normalizePhoneNumber('0861234567'), '+84861234567');
    // A national number whose digits begin 84 is not mistaken for the country code.
    assert.equal(normalizePhoneNumber('0841234567'), '+84841234567');
    assert.equal(normalizePhoneNumber('841234567'), '+84841234567');
    assert.equal(normalizePhoneNumber('84841234567'), '+84841234567');
  });

  test('not Vietnamese mobile numbers', () => {
    for (const input of [
      '',
      ' ',
      '+',
      '0',
      '091234567', // 9 digits with the trunk 0: one short
      '09123456789', // one too many
      '01234567890', // an old 11-digit mobile number (converted in 2018)
      '0212345678', // first digit 2: fixed line
      '0112345678',
      '0412345678',
      '0612345678',
      '0012345678',
      '+0912345678',
      '+85912345678', // another country code
      '+1 912345678',
      '85912345678',
      '+84912345678x',
      'x0912345678',
      '09123a5678',
      '+84+912345678',
      '0912345678 ext 1',
      '０９１２３４５６７８', // full-width digits are not accepted silently
      '٠٩١٢٣٤٥٦٧٨', // Arabic-Indic digits
      '0912_345_678',
      '0912/345/678',
      '00912345678', // two trunk zeros
      '+8400912345678',
      '008412345678',
    ]) {
      assert.equal(normalizePhoneNumber(input), undefined, JSON.stringify(input));
    }
  });

  test('property: every spelling of a mobile number gives the same E.164 number', () => {
    fc.assert(
      fc.property(
        subscriberArb,
        fc.constantFrom('0', '', '84', '+84', '0084', '+840', '840', '+84 0'),
        fc.array(separatorArb, { minLength: 1, maxLength: 4 }),
        fc.constantFrom('', ' ', '\t'),
        (sub, prefix, seps, pad) => {
          const input = `${pad}${prefix}${spaced(sub, seps)}${pad}`;
          const e164 = normalizePhoneNumber(input);
          assert.equal(e164, `+84${sub}`, JSON.stringify(input));
          assert.ok(isE164VietnamMobile(e164!));
          // Normalising is idempotent and the national spelling goes back to the same number.
          assert.equal(normalizePhoneNumber(e164!), e164);
          assert.equal(nationalPhoneNumber(e164!), `0${sub}`);
          assert.equal(normalizePhoneNumber(nationalPhoneNumber(e164!)!), e164);
        },
      ),
    );
  });

  test('property: the result, when there is one, is always +84 and 9 digits starting 3/5/7/8/9', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 20 }), fc.stringMatching(/^[+0-9 ()-]{0,16}$/)), (s) => {
        const r = normalizePhoneNumber(s);
        if (r !== undefined) {
          assert.match(r, /^\+84[35789]\d{8}$/);
          // Only separators were dropped: the digits of the input end with the subscriber digits.
          assert.ok(s.replace(/\D/g, '').endsWith(r.slice(3)), s);
        }
      }),
    );
  });

  test('property: a wrong first digit or a wrong length is refused', () => {
    fc.assert(
      fc.property(fc.constantFrom('0', '1', '2', '4', '6'), digits(8), fc.constantFrom('0', '', '+84'), (first, rest, prefix) => {
        assert.equal(normalizePhoneNumber(`${prefix}${first}${rest}`), undefined);
      }),
    );
    fc.assert(
      fc.property(subscriberArb, fc.integer({ min: 1, max: 4 }), fc.boolean(), fc.constantFrom('0', '+84'), (sub, n, longer, prefix) => {
        const body = longer ? sub + '7'.repeat(n) : sub.slice(0, 9 - n);
        assert.equal(normalizePhoneNumber(`${prefix}${body}`), undefined, body);
      }),
    );
  });
});

describe('the helpers', () => {
  test('isE164VietnamMobile accepts only the normalised form', () => {
    assert.equal(isE164VietnamMobile('+84912345678'), true);
    assert.equal(isE164VietnamMobile('0912345678'), false);
    assert.equal(isE164VietnamMobile('84912345678'), false);
    assert.equal(isE164VietnamMobile('+84212345678'), false);
    assert.equal(isE164VietnamMobile('+849123456789'), false);
    assert.equal(isE164VietnamMobile(' +84912345678'), false);
    assert.equal(isE164VietnamMobile('+84912345678 '), false);
  });

  test('nationalPhoneNumber', () => {
    assert.equal(nationalPhoneNumber('+84912345678'), '0912345678');
    assert.equal(nationalPhoneNumber('0912345678'), undefined);
    assert.equal(nationalPhoneNumber('+8491234567'), undefined);
  });

  test('maskPhoneNumber keeps only the last 3 digits', () => {
    assert.equal(maskPhoneNumber('+84912345678'), '*********678');
    assert.equal(maskPhoneNumber('678'), '678');
    assert.equal(maskPhoneNumber('78'), '78');
    assert.equal(maskPhoneNumber(''), '');
  });
});
