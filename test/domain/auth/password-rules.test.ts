/** NIST SP 800-63B-4 §3.1.1.2 password rules (decision 0038), with property tests. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { codePoints, normalizePassword, passwordProblem, PASSWORD_RULES, PASSWORD_RULES_SINGLE_FACTOR, MIN_CONTEXT_WORD } from '../../../src/domain/auth/password-rules.js';

const COMMON = new Set(['password', 'iloveyou', '12345678', 'qwertyuiop']);
const check = (p: string, context: string[] = ['dancu', 'nguyen.an']) => passwordProblem(p, COMMON, context);

describe('password rules', () => {
  test('length counts code points: 8 to 128 with a second factor, 15 without', () => {
    assert.equal(check('abcdefg'), 'PASSWORD_TOO_SHORT');
    assert.equal(check('abcdefgh'), undefined);
    assert.equal(check('😀😀😀😀😀😀😀'), 'PASSWORD_TOO_SHORT', 'seven emoji are 14 UTF-16 units but 7 characters');
    assert.equal(check('😀😀😀😀🙂😀😀😀'), undefined);
    assert.equal(check('x'.repeat(127) + 'y'), undefined);
    assert.equal(check('x'.repeat(128) + 'y'), 'PASSWORD_TOO_LONG');
    assert.equal(passwordProblem('correct horse b', COMMON, [], PASSWORD_RULES_SINGLE_FACTOR), undefined);
    assert.equal(passwordProblem('correct horse', COMMON, [], PASSWORD_RULES_SINGLE_FACTOR), 'PASSWORD_TOO_SHORT');
    assert.deepEqual(PASSWORD_RULES, { minLength: 8, maxLength: 128 });
    assert.deepEqual(PASSWORD_RULES_SINGLE_FACTOR, { minLength: 15, maxLength: 128 });
  });
  test('no composition rules: letters only, digits only, spaces and Vietnamese are all fine', () => {
    assert.equal(check('đường làng quê'), undefined);
    assert.equal(check('98765432101'), undefined);
    assert.equal(check('tất cả mọi người'), undefined);
    assert.equal(check('ab cd ef gh'), undefined);
  });
  test('common passwords, in any case, and one repeated character', () => {
    assert.equal(check('password'), 'PASSWORD_COMMON');
    assert.equal(check('PassWord'), 'PASSWORD_COMMON');
    assert.equal(check(' iloveyou '), 'PASSWORD_COMMON', 'spaces at the ends do not count');
    assert.equal(check('aaaaaaaaaa'), 'PASSWORD_COMMON');
    assert.equal(check('aaaaaaaaab'), undefined);
  });
  test('context words: the service and the login name, through separators and case', () => {
    assert.equal(check('my dancu pass'), 'PASSWORD_CONTEXT_WORD');
    assert.equal(check('D.A.N.C.U-2026!'), 'PASSWORD_CONTEXT_WORD');
    assert.equal(check('xx-nguyen.an-xx'), 'PASSWORD_CONTEXT_WORD');
    assert.equal(check('nguyenan1990'), 'PASSWORD_CONTEXT_WORD');
    assert.equal(check('abcdefgh', ['abc']), undefined, `context words under ${MIN_CONTEXT_WORD} characters are not looked for`);
    assert.equal(check('abcdefgh', ['abcd']), 'PASSWORD_CONTEXT_WORD');
    assert.equal(check('xxDÂN CƯyy', ['dân cư']), 'PASSWORD_CONTEXT_WORD');
  });
  test('control characters are refused, not dropped', () => {
    assert.equal(check('abc\u0000defgh'), 'PASSWORD_INVALID_CHARACTER');
    assert.equal(check('abcdefgh\u0085'), 'PASSWORD_INVALID_CHARACTER');
    assert.equal(check('abc\u007fdefgh'), 'PASSWORD_INVALID_CHARACTER');
    assert.equal(check('abcdefgh\n'), 'PASSWORD_INVALID_CHARACTER');
  });
  test('normalisation: NFD equals NFC, white space runs count once', () => {
    const nfc = 'mật khẩu của tôi';
    assert.equal(normalizePassword(nfc.normalize('NFD')), nfc);
    assert.equal(normalizePassword('  a  b\u3000c '), 'a b c');
    assert.equal(check('abc    d'), 'PASSWORD_TOO_SHORT', 'runs of spaces count as one');
  });
  test('property: any printable text of 8–128 characters without list or context words passes', () => {
    const printable = fc.string({ unit: fc.constantFrom(...'abcdefghijkmnopqrstuvwxyz0123456789 !#%&ăâđêôơưáàạ'.split('')), minLength: 8, maxLength: 128 });
    fc.assert(
      fc.property(printable, (p) => {
        const n = normalizePassword(p);
        fc.pre(codePoints(n) >= 8 && new Set(n.toLowerCase()).size > 1);
        assert.equal(passwordProblem(p, new Set(), []), undefined);
      }),
    );
  });
  test('property: under 8 characters is always too short; over 128 always too long', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('a', 'b', 'ơ', '😀'), minLength: 1, maxLength: 7 }), (p) => assert.equal(passwordProblem(p, new Set(), []), 'PASSWORD_TOO_SHORT')));
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('a', 'b', 'ơ', '😀'), minLength: 129, maxLength: 300 }), (p) => assert.equal(passwordProblem(p, new Set(), []), 'PASSWORD_TOO_LONG')));
  });
  test('property: a listed password is refused in any letter case; a context word anywhere is refused', () => {
    fc.assert(
      fc.property(fc.constantFrom(...COMMON), fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }), (p, upper) => {
        const mixed = [...p].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('');
        assert.equal(passwordProblem(mixed, COMMON, []), 'PASSWORD_COMMON');
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('x', 'y', '1', '-'), minLength: 3, maxLength: 10 }), fc.string({ unit: fc.constantFrom('x', 'y', '1', '-'), maxLength: 10 }), (a, b) => {
        assert.equal(passwordProblem(`${a}dancu${b}`, new Set(), ['dancu']), 'PASSWORD_CONTEXT_WORD');
      }),
    );
  });
});
