import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  chooseAlphabet,
  concatHeader,
  DATA_CODING,
  decodeBody,
  decodeGsm7,
  decodeUcs2,
  encodeGsm7,
  encodeUcs2,
  GSM7_BASIC,
  GSM7_EXTENSION,
  isGsm7,
  LIMITS,
  parseUserData,
  partCount,
  reassemble,
  splitSms,
  type SmsAlphabet,
} from '../../src/domain/sms/encoding.js';

// Independent oracle: the default alphabet and extension table as printed in 3GPP TS 23.038 §6.2.1
// (code → character), written out by code point rather than as one string.
const BASIC_BY_CODE: Record<number, string> = {
  0x00: '@', 0x01: '£', 0x02: '$', 0x03: '¥', 0x04: 'è', 0x05: 'é', 0x06: 'ù', 0x07: 'ì', 0x08: 'ò', 0x09: 'Ç', 0x0a: '\n', 0x0b: 'Ø', 0x0c: 'ø', 0x0d: '\r', 0x0e: 'Å', 0x0f: 'å',
  0x10: 'Δ', 0x11: '_', 0x12: 'Φ', 0x13: 'Γ', 0x14: 'Λ', 0x15: 'Ω', 0x16: 'Π', 0x17: 'Ψ', 0x18: 'Σ', 0x19: 'Θ', 0x1a: 'Ξ', 0x1c: 'Æ', 0x1d: 'æ', 0x1e: 'ß', 0x1f: 'É',
  0x20: ' ', 0x24: '¤', 0x40: '¡', 0x5b: 'Ä', 0x5c: 'Ö', 0x5d: 'Ñ', 0x5e: 'Ü', 0x5f: '§', 0x60: '¿', 0x7b: 'ä', 0x7c: 'ö', 0x7d: 'ñ', 0x7e: 'ü', 0x7f: 'à',
};
for (const c of '!"#') BASIC_BY_CODE[c.charCodeAt(0)] = c;
for (let code = 0x25; code <= 0x3f; code++) BASIC_BY_CODE[code] = String.fromCharCode(code);
for (let code = 0x41; code <= 0x5a; code++) BASIC_BY_CODE[code] = String.fromCharCode(code);
for (let code = 0x61; code <= 0x7a; code++) BASIC_BY_CODE[code] = String.fromCharCode(code);
const EXTENSION_BY_CODE: Record<number, string> = { 0x0a: '\f', 0x14: '^', 0x28: '{', 0x29: '}', 0x2f: '\\', 0x3c: '[', 0x3d: '~', 0x3e: ']', 0x40: '|', 0x65: '€' };

const gsmChars = [...Object.values(BASIC_BY_CODE), ...Object.values(EXTENSION_BY_CODE)];
const gsmText = fc.array(fc.constantFrom(...gsmChars), { maxLength: 700 }).map((a) => a.join(''));
const vietnamese = 'ăâđêôơưáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵĐĂÂÊÔƠƯ';
const anyText = fc
  .array(fc.oneof(fc.constantFrom(...vietnamese, ' ', 'a', '€', '[', '😀', '𝄞'), fc.string({ unit: 'grapheme', maxLength: 3 })), { maxLength: 400 })
  .map((a) => a.join(''));
const septetCount = (text: string) => [...text].reduce((n, c) => n + (Object.values(EXTENSION_BY_CODE).includes(c) ? 2 : 1), 0);
/** Octets on the air interface: header octets, fill bits to a septet boundary, packed septets (TS 23.040 §9.2.3.24). */
const airOctetsGsm7 = (udhOctets: number, septets: number) => Math.ceil((Math.ceil((udhOctets * 8) / 7) + septets) * 7 / 8);

describe('GSM 7-bit alphabet (3GPP TS 23.038)', () => {
  it('the table matches the published one code by code', () => {
    assert.equal(GSM7_BASIC.length, 128);
    for (const [code, c] of Object.entries(BASIC_BY_CODE)) {
      assert.deepEqual([...encodeGsm7(c)], [Number(code)], `code ${code}`);
      assert.equal(decodeGsm7(Uint8Array.of(Number(code))), c);
    }
    for (const [code, c] of Object.entries(EXTENSION_BY_CODE)) {
      assert.deepEqual([...encodeGsm7(c)], [0x1b, Number(code)]);
      assert.equal(decodeGsm7(Uint8Array.of(0x1b, Number(code))), c);
      assert.equal(GSM7_EXTENSION.get(c), Number(code));
    }
    assert.equal(GSM7_EXTENSION.size, 10);
  });

  it('isGsm7: unaccented Vietnamese yes; with diacritics, the escape itself, or emoji no', () => {
    assert.equal(isGsm7('Ho ten: NGUYEN VAN A, ngay sinh 01/02/1990 [CCCD] {x} ~|^\\€'), true);
    assert.equal(isGsm7(''), true);
    assert.equal(isGsm7('Nguyễn'), false);
    assert.equal(isGsm7('đ'), false);
    assert.equal(isGsm7('\u001b'), false);
    assert.equal(isGsm7('😀'), false);
    assert.equal(isGsm7('a\tb'), false);
  });

  it('encodes and decodes every GSM text back (property)', () => {
    fc.assert(
      fc.property(gsmText, (t) => {
        const septets = encodeGsm7(t);
        assert.equal(septets.length, septetCount(t));
        assert.ok(septets.every((s) => s < 0x80));
        assert.equal(decodeGsm7(septets), t);
      }),
    );
  });

  it('refuses a character without a code', () => {
    assert.throws(() => encodeGsm7('ạ'), /character outside the GSM 7-bit alphabet/);
    assert.throws(() => splitSms('Việt', 'gsm7', 1), /character outside the GSM 7-bit alphabet/);
    assert.throws(() => partCount('Việt', 'gsm7'), RangeError);
  });

  it('decoding: an unknown escape shows the basic character, a final lone escape nothing, the high bit ignored', () => {
    assert.equal(decodeGsm7(Uint8Array.of(0x1b, 0x41)), 'A');
    assert.equal(decodeGsm7(Uint8Array.of(0x41, 0x1b)), 'A');
    assert.equal(decodeGsm7(Uint8Array.of(0xc1)), 'A');
    assert.equal(decodeGsm7(Uint8Array.of(0x1b, 0xe5)), '€');
    assert.equal(decodeGsm7(Uint8Array.of(0x1b, 0x1b, 0x41)), ' A');
    fc.assert(fc.property(fc.uint8Array({ maxLength: 50 }), (b) => assert.ok(!decodeGsm7(b).includes('\u001b'))));
  });
});

describe('UCS-2', () => {
  it('is UTF-16 big-endian, surrogate pairs included', () => {
    assert.deepEqual([...encodeUcs2('Aạ😀')], [0x00, 0x41, 0x1e, 0xa1, 0xd8, 0x3d, 0xde, 0x00]);
    assert.equal(decodeUcs2(Uint8Array.of(0x00, 0x41, 0x1e, 0xa1, 0xd8, 0x3d, 0xde, 0x00)), 'Aạ😀');
    assert.equal(decodeUcs2(Uint8Array.of(0x00, 0x41, 0x00)), 'A');
  });

  it('round-trips any text (property)', () => {
    fc.assert(fc.property(anyText, (t) => assert.equal(decodeUcs2(encodeUcs2(t)), t)));
  });
});

describe('choosing the alphabet', () => {
  it('Vietnamese with diacritics always goes as UCS-2, even when GSM-7 was asked', () => {
    assert.equal(chooseAlphabet('Số điện thoại', 'gsm7'), 'ucs2');
    assert.equal(chooseAlphabet('Số điện thoại'), 'ucs2');
  });
  it('an unaccented text goes as GSM-7 unless UCS-2 was asked', () => {
    assert.equal(chooseAlphabet('So dien thoai', 'gsm7'), 'gsm7');
    assert.equal(chooseAlphabet('So dien thoai'), 'gsm7');
    assert.equal(chooseAlphabet('So dien thoai', 'ucs2'), 'ucs2');
  });
});

describe('data_coding', () => {
  it('reads GSM-7, UCS-2, and Latin-1 for the others', () => {
    assert.deepEqual(DATA_CODING, { gsm7: 0, ascii: 1, latin1: 3, ucs2: 8 });
    assert.equal(decodeBody(0, Uint8Array.of(0x00, 0x1b, 0x65)), '@€');
    assert.equal(decodeBody(8, Uint8Array.of(0x01, 0x11)), 'đ');
    assert.equal(decodeBody(3, Uint8Array.of(0xe9, 0x40)), 'é@');
    assert.equal(decodeBody(1, Uint8Array.of(0x41, 0x40)), 'A@');
  });
});

function checkSplit(text: string, alphabet: SmsAlphabet, ref: number) {
  const s = splitSms(text, alphabet, ref);
  assert.equal(s.alphabet, alphabet);
  assert.equal(s.dataCoding, alphabet === 'gsm7' ? 0 : 8);
  assert.equal(s.parts.length, partCount(text, alphabet));
  const units = alphabet === 'gsm7' ? septetCount(text) : text.length;
  const single = alphabet === 'gsm7' ? 160 : 70;
  if (units <= single) {
    assert.equal(s.parts.length, 1);
    assert.equal(s.udhi, false);
    assert.equal(decodeBody(s.dataCoding, s.parts[0]!), text);
    assert.ok(alphabet === 'gsm7' ? airOctetsGsm7(0, s.parts[0]!.length) <= 140 : s.parts[0]!.length <= 140);
    return s;
  }
  assert.equal(s.udhi, true);
  assert.ok(s.parts.length >= 2);
  const bodies = s.parts.map((p, i) => {
    assert.deepEqual([...p.subarray(0, 6)], [0x05, 0x00, 0x03, ref & 0xff, s.parts.length, i + 1]);
    const u = parseUserData(p, true);
    assert.deepEqual(u.concat, { ref: ref & 0xff, total: s.parts.length, seq: i + 1 });
    const body = u.body;
    if (alphabet === 'gsm7') {
      assert.ok(body.length <= 153);
      assert.ok(airOctetsGsm7(6, body.length) <= 140);
      assert.notEqual(body[body.length - 1], 0x1b, 'an escape is never cut from its character');
    } else {
      assert.ok(body.length <= 134);
      assert.ok(p.length <= 140);
      const last = (body[body.length - 2]! << 8) | body[body.length - 1]!;
      assert.ok(!(last >= 0xd800 && last <= 0xdbff), 'a surrogate pair is never split');
    }
    return { seq: i + 1, dataCoding: s.dataCoding, body };
  });
  // Every part but the last is full (up to one unit short where a group would not fit).
  for (const b of bodies.slice(0, -1)) assert.ok(b.body.length >= (alphabet === 'gsm7' ? 152 : 132));
  assert.equal(reassemble([...bodies].reverse()), text);
  // Each part decodes alone to a run of whole characters.
  assert.equal(bodies.map((b) => decodeBody(b.dataCoding, b.body)).join(''), text);
  return s;
}

describe('splitting and reassembling', () => {
  it('the published limits', () => {
    assert.deepEqual(LIMITS, { gsm7: { single: 160, part: 153 }, ucs2: { single: 70, part: 67 } });
    assert.deepEqual([...concatHeader(0x1ab, 3, 2)], [5, 0, 3, 0xab, 3, 2]);
  });

  it('exact boundaries: 70/71 UCS-2, 160/161 GSM-7, 134 and 135 UCS-2, 306/307 GSM-7', () => {
    assert.equal(checkSplit('ạ'.repeat(70), 'ucs2', 7).parts.length, 1);
    assert.equal(checkSplit('ạ'.repeat(71), 'ucs2', 7).parts.length, 2);
    assert.equal(checkSplit('ạ'.repeat(134), 'ucs2', 7).parts.length, 2);
    assert.equal(checkSplit('ạ'.repeat(135), 'ucs2', 7).parts.length, 3);
    assert.equal(checkSplit('a'.repeat(160), 'gsm7', 7).parts.length, 1);
    assert.equal(checkSplit('a'.repeat(161), 'gsm7', 7).parts.length, 2);
    assert.equal(checkSplit('a'.repeat(306), 'gsm7', 7).parts.length, 2);
    assert.equal(checkSplit('a'.repeat(307), 'gsm7', 7).parts.length, 3);
    assert.equal(checkSplit('€'.repeat(80), 'gsm7', 7).parts.length, 1);
    assert.equal(checkSplit('€'.repeat(81), 'gsm7', 7).parts.length, 2);
    assert.equal(checkSplit('', 'ucs2', 7).parts.length, 1);
    assert.equal(splitSms('', 'gsm7', 7).parts[0]!.length, 0);
  });

  it('an escape at a part boundary moves whole to the next part', () => {
    const text = 'a'.repeat(152) + '€' + 'b'.repeat(10);
    const s = checkSplit(text, 'gsm7', 1);
    assert.equal(parseUserData(s.parts[0]!, true).body.length, 152);
    assert.deepEqual([...parseUserData(s.parts[1]!, true).body], [0x1b, 0x65, ...Array(10).fill(0x62)]);
  });

  it('a surrogate pair at a part boundary moves whole to the next part', () => {
    const text = 'ạ'.repeat(66) + '😀' + 'x'.repeat(10);
    const s = checkSplit(text, 'ucs2', 1);
    assert.equal(parseUserData(s.parts[0]!, true).body.length, 132);
    assert.equal(decodeUcs2(parseUserData(s.parts[1]!, true).body), '😀' + 'x'.repeat(10));
  });

  it('a long Vietnamese reply: UCS-2 parts of 67 characters', () => {
    const text = 'Họ và tên: NGUYỄN THỊ ĐÀO; ngày sinh 01/02/1990; số định danh 001190012345; thường trú: Số 1 phố Hàng Bạc, phường Hoàn Kiếm, thành phố Hà Nội. Thẻ căn cước: còn hạn.';
    const s = checkSplit(text, 'ucs2', 200);
    assert.equal(s.parts.length, Math.ceil(text.length / 67));
    assert.equal(parseUserData(s.parts[0]!, true).body.length, 134);
  });

  it('any text in either alphabet (property: parts ≤ 140 octets, header bytes, reassembly gives it back)', () => {
    fc.assert(fc.property(anyText, fc.integer({ min: 0, max: 1000 }), (t, ref) => void checkSplit(t, 'ucs2', ref)), { numRuns: 300 });
    fc.assert(fc.property(gsmText, fc.integer({ min: 0, max: 255 }), (t, ref) => void checkSplit(t, 'gsm7', ref)), { numRuns: 300 });
  });

  it('refuses more than 255 parts', () => {
    assert.equal(splitSms('a'.repeat(153 * 255), 'gsm7', 1).parts.length, 255);
    assert.throws(() => splitSms('a'.repeat(153 * 255 + 1), 'gsm7', 1), /text too long for one concatenated message/);
  });

  it('reassembles parts split by another sender mid-pair and mid-escape', () => {
    const u = encodeUcs2('a😀b');
    assert.equal(reassemble([{ seq: 2, dataCoding: 8, body: u.subarray(4) }, { seq: 1, dataCoding: 8, body: u.subarray(0, 4) }]), 'a😀b');
    const g = encodeGsm7('x€y');
    assert.equal(reassemble([{ seq: 1, dataCoding: 0, body: g.subarray(0, 2) }, { seq: 2, dataCoding: 0, body: g.subarray(2) }]), 'x€y');
    // Mixed codings: each part read alone.
    assert.equal(reassemble([{ seq: 2, dataCoding: 0, body: encodeGsm7('!') }, { seq: 1, dataCoding: 8, body: encodeUcs2('ạ') }]), 'ạ!');
    assert.equal(reassemble([]), '');
  });
});

describe('reading the user data header', () => {
  const body = Uint8Array.of(0x41, 0x42);
  it('no UDHI or an empty message: the whole message is the body', () => {
    assert.deepEqual(parseUserData(Uint8Array.of(5, 0, 3, 1, 2, 1, 0x41), false), { body: Uint8Array.of(5, 0, 3, 1, 2, 1, 0x41) });
    assert.deepEqual(parseUserData(new Uint8Array(0), true), { body: new Uint8Array(0) });
  });
  it('8-bit and 16-bit references', () => {
    assert.deepEqual(parseUserData(Uint8Array.of(5, 0, 3, 9, 2, 1, ...body), true), { body, concat: { ref: 9, total: 2, seq: 1 } });
    assert.deepEqual(parseUserData(Uint8Array.of(6, 8, 4, 1, 2, 3, 2, ...body), true), { body, concat: { ref: 0x102, total: 3, seq: 2 } });
  });
  it('other elements are skipped; concatenation found after them', () => {
    assert.deepEqual(parseUserData(Uint8Array.of(8, 0x24, 1, 1, 0, 3, 4, 2, 2, ...body), true), { body, concat: { ref: 4, total: 2, seq: 2 } });
    assert.deepEqual(parseUserData(Uint8Array.of(3, 0x24, 1, 1, ...body), true), { body });
  });
  it('wrong lengths and impossible numbers are not taken as concatenation', () => {
    assert.deepEqual(parseUserData(Uint8Array.of(9, 0, 3), true), { body: Uint8Array.of(9, 0, 3) });
    assert.deepEqual(parseUserData(Uint8Array.of(5, 0, 4, 1, 2, 1, ...body), true), { body });
    assert.deepEqual(parseUserData(Uint8Array.of(5, 0, 3, 1, 0, 1, ...body), true), { body });
    assert.deepEqual(parseUserData(Uint8Array.of(5, 0, 3, 1, 2, 0, ...body), true), { body });
    assert.deepEqual(parseUserData(Uint8Array.of(5, 0, 3, 1, 2, 3, ...body), true), { body });
    assert.deepEqual(parseUserData(Uint8Array.of(5, 0, 3, 1, 2, 2, ...body), true), { body, concat: { ref: 1, total: 2, seq: 2 } });
    // An element running past the header's end stops the reading.
    assert.deepEqual(parseUserData(Uint8Array.of(3, 0, 3, 1, ...body), true), { body });
    assert.deepEqual(parseUserData(Uint8Array.of(3, 0, 3, 1, 2, 1, 0x41), true), { body: Uint8Array.of(2, 1, 0x41) });
    // The right element with the wrong length, or the wrong element with the right length.
    assert.deepEqual(parseUserData(Uint8Array.of(6, 0, 4, 1, 2, 1, 9, ...body), true), { body });
    assert.deepEqual(parseUserData(Uint8Array.of(5, 8, 3, 1, 2, 1, ...body), true), { body });
    assert.deepEqual(parseUserData(Uint8Array.of(5, 0x24, 3, 1, 2, 1, ...body), true), { body });
    assert.deepEqual(parseUserData(Uint8Array.of(6, 0x24, 4, 1, 2, 3, 2, ...body), true), { body });
    // A header filling the whole message: concatenation with an empty body; one octet short: no header.
    assert.deepEqual(parseUserData(Uint8Array.of(5, 0, 3, 1, 2, 1), true), { body: new Uint8Array(0), concat: { ref: 1, total: 2, seq: 1 } });
    assert.deepEqual(parseUserData(Uint8Array.of(6, 0, 3, 1, 2, 1), true), { body: Uint8Array.of(6, 0, 3, 1, 2, 1) });
  });
  it('never throws on any bytes (property)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 160 }), fc.boolean(), (b, udhi) => {
      const r = parseUserData(b, udhi);
      assert.ok(r.body.length <= b.length);
      if (r.concat) assert.ok(r.concat.seq >= 1 && r.concat.seq <= r.concat.total);
    }));
  });
});
