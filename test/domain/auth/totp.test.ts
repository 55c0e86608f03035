/**
 * HOTP and TOTP against the published test vectors:
 * - RFC 4226 (HOTP), Appendix D: secret "12345678901234567890" (ASCII), counters 0–9, 6 digits;
 * - RFC 6238 (TOTP), Appendix B: seeds of 20, 32 and 64 bytes for HMAC-SHA1/256/512, 8 digits,
 *   30-second steps, T0 = 0, at the six times of its table.
 * The HMAC is node:crypto's (the same the service injects).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { base32Decode, base32Encode, counterBytes, hotp, otpauthUri, sameDigits, timeStep, totp, verifyTotp, TOTP_DEFAULTS, type Hmac } from '../../../src/domain/auth/totp.js';

const hmac: Hmac = (alg, key, msg) => createHmac(alg, key).update(msg).digest();
const ascii = (s: string) => new TextEncoder().encode(s);

describe('HOTP: RFC 4226 Appendix D', () => {
  const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
  test('counters 0 to 9', () => {
    const key = ascii('12345678901234567890');
    expected.forEach((code, counter) => assert.equal(hotp(hmac, key, BigInt(counter)), code, `counter ${counter}`));
  });
  test('counter bytes are 8 big-endian bytes, range-checked', () => {
    assert.deepEqual([...counterBytes(0x0102030405060708n)], [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual([...counterBytes(0n)], [0, 0, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual([...counterBytes(0xffff_ffff_ffff_ffffn)], [255, 255, 255, 255, 255, 255, 255, 255]);
    assert.throws(() => counterBytes(-1n), RangeError);
    assert.throws(() => counterBytes(0x1_0000_0000_0000_0000n), RangeError);
  });
  test('digits 6 to 10 only', () => {
    const key = ascii('12345678901234567890');
    assert.throws(() => hotp(hmac, key, 0n, 5), RangeError);
    assert.throws(() => hotp(hmac, key, 0n, 11), RangeError);
    assert.throws(() => hotp(hmac, key, 0n, 6.5), RangeError);
    assert.equal(hotp(hmac, key, 0n, 10).length, 10);
  });
});

describe('TOTP: RFC 6238 Appendix B', () => {
  const seeds = { sha1: ascii('12345678901234567890'), sha256: ascii('12345678901234567890123456789012'), sha512: ascii('1234567890123456789012345678901234567890123456789012345678901234') };
  const table: [number, string, string, string][] = [
    [59, '94287082', '46119246', '90693936'],
    [1111111109, '07081804', '68084774', '25091201'],
    [1111111111, '14050471', '67062674', '99943326'],
    [1234567890, '89005924', '91819424', '93441116'],
    [2000000000, '69279037', '90698825', '38618901'],
    [20000000000, '65353130', '77737706', '47863826'],
  ];
  for (const [t, sha1, sha256, sha512] of table) {
    test(`T = ${t}`, () => {
      const at = t * 1000;
      assert.equal(totp(hmac, seeds.sha1, at, { ...TOTP_DEFAULTS, digits: 8 }), sha1);
      assert.equal(totp(hmac, seeds.sha256, at, { ...TOTP_DEFAULTS, digits: 8, algorithm: 'sha256' }), sha256);
      assert.equal(totp(hmac, seeds.sha512, at, { ...TOTP_DEFAULTS, digits: 8, algorithm: 'sha512' }), sha512);
    });
  }
  test('the time step: floor(seconds / 30)', () => {
    assert.equal(timeStep(59_000), 1n);
    assert.equal(timeStep(60_000), 2n);
    assert.equal(timeStep(59_999), 1n);
    assert.equal(timeStep(1111111109_000), 37037036n);
    assert.equal(timeStep(120_000, 60), 2n);
  });
  test('TOTP is HOTP of the time step (an independent oracle: RFC 4226 vectors at steps 0–9)', () => {
    const key = ascii('12345678901234567890');
    assert.equal(totp(hmac, key, 0), '755224');
    assert.equal(totp(hmac, key, 30_000 * 9 + 29_999), '520489');
  });
});

describe('verification', () => {
  const key = ascii('12345678901234567890');
  const at = 1_800_000_000_000; // a step boundary is not needed: the window is by steps
  const step = timeStep(at);
  const codeAt = (s: bigint) => hotp(hmac, key, s);

  test('the current step and one either side are accepted, two away is not', () => {
    assert.deepEqual(verifyTotp(hmac, key, codeAt(step), at, undefined), { ok: true, step });
    assert.deepEqual(verifyTotp(hmac, key, codeAt(step - 1n), at, undefined), { ok: true, step: step - 1n });
    assert.deepEqual(verifyTotp(hmac, key, codeAt(step + 1n), at, undefined), { ok: true, step: step + 1n });
    assert.deepEqual(verifyTotp(hmac, key, codeAt(step - 2n), at, undefined), { ok: false, reason: 'mismatch' });
    assert.deepEqual(verifyTotp(hmac, key, codeAt(step + 2n), at, undefined), { ok: false, reason: 'mismatch' });
  });
  test('a wider or no window', () => {
    assert.equal(verifyTotp(hmac, key, codeAt(step - 2n), at, undefined, { ...TOTP_DEFAULTS, window: 2 }).ok, true);
    assert.equal(verifyTotp(hmac, key, codeAt(step - 1n), at, undefined, { ...TOTP_DEFAULTS, window: 0 }).ok, false);
  });
  test('a code is not accepted twice, nor an earlier step once a later one was used', () => {
    assert.deepEqual(verifyTotp(hmac, key, codeAt(step), at, step), { ok: false, reason: 'replayed' });
    assert.deepEqual(verifyTotp(hmac, key, codeAt(step - 1n), at, step), { ok: false, reason: 'replayed' });
    assert.deepEqual(verifyTotp(hmac, key, codeAt(step + 1n), at, step), { ok: true, step: step + 1n });
    assert.deepEqual(verifyTotp(hmac, key, codeAt(step), at, step - 1n), { ok: true, step });
  });
  test('malformed codes', () => {
    for (const c of ['', '12345', '1234567', '12345a', ' 123456', '１２３４５６']) assert.deepEqual(verifyTotp(hmac, key, c, at, undefined), { ok: false, reason: 'format' }, c);
  });
  test('steps before the epoch are skipped', () => {
    assert.deepEqual(verifyTotp(hmac, key, codeAt(0n), 0, undefined), { ok: true, step: 0n });
    assert.deepEqual(verifyTotp(hmac, key, codeAt(1n), 0, undefined), { ok: true, step: 1n });
  });
  test('property: the code of the current step verifies, unless replayed', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 10, maxLength: 64 }), fc.integer({ min: 60_000, max: 4_000_000_000_000 }), (k, t) => {
        const code = totp(hmac, k, t);
        const r = verifyTotp(hmac, k, code, t, undefined);
        assert.equal(r.ok, true);
        // Refused once used, unless the next step's code happens to be the same six digits (1 in 10^6).
        fc.pre(hotp(hmac, k, timeStep(t) + 1n) !== code);
        assert.equal(verifyTotp(hmac, k, code, t, timeStep(t)).ok, false);
      }),
      { numRuns: 200 },
    );
  });
  test('sameDigits', () => {
    assert.equal(sameDigits('123456', '123456'), true);
    assert.equal(sameDigits('123456', '123457'), false);
    assert.equal(sameDigits('023456', '123456'), false);
    assert.equal(sameDigits('12345', '123456'), false);
    assert.equal(sameDigits('', ''), true);
  });
});

describe('base32 and the key URI', () => {
  test('RFC 4648 §10 vectors (padding dropped)', () => {
    const cases: [string, string][] = [['', ''], ['f', 'MY'], ['fo', 'MZXQ'], ['foo', 'MZXW6'], ['foob', 'MZXW6YQ'], ['fooba', 'MZXW6YTB'], ['foobar', 'MZXW6YTBOI']];
    for (const [plain, encoded] of cases) {
      assert.equal(base32Encode(ascii(plain)), encoded);
      assert.deepEqual(base32Decode(encoded), ascii(plain));
      assert.deepEqual(base32Decode(`${encoded.toLowerCase()}======`), ascii(plain));
    }
    assert.equal(base32Decode('MZ1W'), undefined);
    assert.deepEqual(base32Decode('MZXW 6YTB OI'), ascii('foobar'));
  });
  test('property: decode(encode(x)) = x', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (b) => assert.deepEqual(base32Decode(base32Encode(b)), b)));
  });
  test('otpauth URI', () => {
    const uri = otpauthUri('dancu', 'can.bo@x', ascii('12345678901234567890'));
    assert.equal(uri, 'otpauth://totp/dancu:can.bo%40x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=dancu&algorithm=SHA1&digits=6&period=30');
  });
});
