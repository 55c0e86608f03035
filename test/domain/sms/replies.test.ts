/** The SMS reply texts: exact Vietnamese, dates dd/mm/yyyy, Vietnam local time, the unaccented GSM-7 variant. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cardReply, fitToParts, helpReply, householdReply, identityReply, localTimeVi, MAX_MEMBERS, NOT_FOUND_REPLY, RATE_LIMITED_REPLY, residenceReply, usageReply, variant } from '../../../src/domain/sms/replies.js';
import { helpText } from '../../../src/domain/sms/help.js';
import { chooseAlphabet, isGsm7, partCount } from '../../../src/domain/sms/encoding.js';

describe('SMS replies', () => {
  test('the sentence the law prescribes, exactly', () => {
    assert.equal(NOT_FOUND_REPLY, 'Số điện thoại hoặc công dân không tồn tại');
    assert.equal(variant(NOT_FOUND_REPLY, true), 'So dien thoai hoac cong dan khong ton tai');
    assert.equal(RATE_LIMITED_REPLY, 'Bạn đã gửi quá nhiều tin nhắn. Vui lòng thử lại sau ít phút.');
  });

  test('identity: name, date of birth (full or partial), personal ID, old CMND or none', () => {
    assert.equal(identityReply({ fullName: 'Nguyễn Văn Đức', dateOfBirth: '1990-05-02', personalId: '001090000123', legacyIdNumber: '012345678' }), 'Họ tên: Nguyễn Văn Đức\nNgày sinh: 02/05/1990\nSố định danh: 001090000123\nCMND cũ: 012345678');
    assert.equal(identityReply({ fullName: 'Lê Thị B', dateOfBirth: '1950', personalId: '001150000001' }), 'Họ tên: Lê Thị B\nNgày sinh: 1950\nSố định danh: 001150000001\nCMND cũ: không có');
    assert.equal(identityReply({ fullName: 'Lê Thị B', dateOfBirth: '1950-03', personalId: '001150000001' }).split('\n')[1], 'Ngày sinh: 03/1950');
  });

  test('residence: the parts asked for, in order, with their periods; none registered said so', () => {
    const f = { permanent: { text: 'Số 1, Phường Hàng Bạc, Thành phố Hà Nội', from: '2010-01-05' }, temporary: { text: 'Số 2, Xã A, Tỉnh B', from: '2025-02-01', until: '2027-01-31' }, current: { text: 'Số 2, Xã A, Tỉnh B' } };
    assert.equal(residenceReply(f), 'Thường trú: Số 1, Phường Hàng Bạc, Thành phố Hà Nội (từ 05/01/2010)\nTạm trú: Số 2, Xã A, Tỉnh B (đến 31/01/2027)\nNơi ở hiện tại: Số 2, Xã A, Tỉnh B');
    assert.equal(residenceReply(f, ['current', 'permanent']), 'Thường trú: Số 1, Phường Hàng Bạc, Thành phố Hà Nội (từ 05/01/2010)\nNơi ở hiện tại: Số 2, Xã A, Tỉnh B');
    assert.equal(residenceReply(f, ['temporary']), 'Tạm trú: Số 2, Xã A, Tỉnh B (đến 31/01/2027)');
    assert.equal(residenceReply({}), 'Thường trú: chưa đăng ký\nTạm trú: chưa đăng ký\nNơi ở hiện tại: không xác định');
    assert.equal(residenceReply({ permanent: { text: 'X' } }, ['permanent']), 'Thường trú: X');
  });

  test('household: place, head, members numbered; at most MAX_MEMBERS listed', () => {
    assert.equal(householdReply(undefined), 'Bạn chưa thuộc hộ gia đình nào (chưa đăng ký thường trú).');
    assert.equal(householdReply({ place: 'Số 1, Phường A', head: 'Trần Văn C', members: [{ fullName: 'Phạm Thị D', relationship: 'Vợ' }, { fullName: 'Trần Văn E', relationship: 'Con đẻ' }] }), 'Hộ: Số 1, Phường A\nChủ hộ: Trần Văn C\n1. Phạm Thị D (Vợ)\n2. Trần Văn E (Con đẻ)');
    assert.equal(householdReply({ place: 'P', members: [] }), 'Hộ: P\nChủ hộ: chưa có');
    const many = Array.from({ length: MAX_MEMBERS + 3 }, (_, i) => ({ fullName: `N${i}`, relationship: 'Con' }));
    const lines = householdReply({ place: 'P', head: 'H', members: many }).split('\n');
    assert.equal(MAX_MEMBERS, 10);
    assert.equal(lines.length, 2 + MAX_MEMBERS + 1);
    assert.equal(lines.at(-2), `${MAX_MEMBERS}. N${MAX_MEMBERS - 1} (Con)`);
    assert.equal(lines.at(-1), 'và 3 người khác');
    assert.equal(householdReply({ place: 'P', head: 'H', members: many.slice(0, MAX_MEMBERS) }).split('\n').length, 2 + MAX_MEMBERS);
  });

  test('card: generation, number, issue, expiry (or none), state', () => {
    assert.equal(cardReply({}), 'Chưa có thẻ căn cước.');
    assert.equal(cardReply({ card: { generation: 'CAN_CUOC', cardNo: '001090000123', issueDate: '2024-08-01', expiryDate: '2030-05-02', status: 'valid' } }), 'Thẻ căn cước số 001090000123, cấp 01/08/2024, có giá trị đến 02/05/2030: còn giá trị.');
    assert.equal(cardReply({ card: { generation: 'CCCD', cardNo: '001090000123', issueDate: '2016-08-01', expiryDate: null, status: 'lost' } }), 'Thẻ CCCD số 001090000123, cấp 01/08/2016, không thời hạn: đã báo mất.');
    const states = { expired: 'hết hạn', replaced: 'đã được thay', revoked: 'đã bị thu hồi', not_yet_issued: 'chưa đến ngày cấp' } as const;
    for (const [status, vi] of Object.entries(states)) {
      assert.ok(cardReply({ card: { generation: 'CMND', cardNo: '012345678', issueDate: '2000-01-01', expiryDate: '2015-01-01', status: status as keyof typeof states } }).endsWith(`: ${vi}.`));
    }
    assert.ok(cardReply({ card: { generation: 'CMND', cardNo: '012345678', issueDate: '2000-01-01', expiryDate: '2015-01-01', status: 'expired' } }).startsWith('CMND số 012345678'));
  });

  test('usage: Vietnam local time, who, what, refusals marked; none said so', () => {
    assert.equal(usageReply({ items: [] }), 'Chưa có lần sử dụng dữ liệu nào được ghi nhận.');
    assert.equal(
      usageReply({ items: [{ at: '2026-03-04T17:05:00.000Z', who: 'BHXH', what: 'Cấp thẻ BHYT: Tra cứu', refused: false }, { at: '2026-03-04T01:00:00Z', who: 'Công an xã A', what: 'Tra cứu', refused: true }] }),
      'Sử dụng dữ liệu gần nhất:\n05/03/2026 00:05 BHXH: Cấp thẻ BHYT: Tra cứu\n04/03/2026 08:00 Công an xã A: Tra cứu (bị từ chối)',
    );
    assert.equal(localTimeVi('2025-12-31T16:59:59.999Z'), '31/12/2025 23:59');
    assert.equal(localTimeVi('2025-12-31T17:00:00Z'), '01/01/2026 00:00');
  });

  test('help reply is the published help', () => {
    assert.equal(helpReply(), helpText());
  });

  test('variant: accented as is; unaccented keeps case and fits GSM-7', () => {
    const t = 'Họ tên: Nguyễn Văn Đức\nNgày sinh: 02/05/1990';
    assert.equal(variant(t, false), t);
    assert.equal(variant(t, true), 'Ho ten: Nguyen Van Duc\nNgay sinh: 02/05/1990');
    assert.equal(variant('a€b{c}', true), 'a€b{c}', 'extension characters kept');
    assert.equal(variant('x 中 y 🙂', true), 'x ? y ?');
    assert.ok(isGsm7(variant(helpText(), true)));
  });

  test('property: the unaccented variant of any text is GSM-7 and stable, and leaves ASCII alone', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (s) => {
        const v = variant(s, true);
        assert.ok(isGsm7(v));
        assert.equal(variant(v, true), v, 'idempotent');
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9 .,:]{0,60}$/), (s) => assert.equal(variant(s, true), s)),
      { numRuns: 300 },
    );
  });

  test('fitToParts: a text that fits is kept; a longer one loses whole lines from the end, then says "..."', () => {
    const parts = (t: string) => partCount(t, chooseAlphabet(t));
    assert.equal(fitToParts('Họ tên: A', 1), 'Họ tên: A');
    const lines = Array.from({ length: 30 }, (_, i) => `${i + 1}. Nguyễn Thị Minh Khai (Con đẻ)`);
    const text = lines.join('\n');
    const fitted = fitToParts(text, 3);
    assert.ok(parts(fitted) <= 3);
    assert.ok(fitted.endsWith('\n...'));
    const kept = fitted.split('\n').slice(0, -1);
    assert.deepEqual(kept, lines.slice(0, kept.length));
    // The most lines that fit: one more would not.
    assert.ok(parts(`${lines.slice(0, kept.length + 1).join('\n')}\n...`) > 3);
    const long = 'á'.repeat(1000);
    const cut = fitToParts(long, 1);
    assert.ok(parts(cut) <= 1 && cut.endsWith('...') && cut.length > 50, cut);
    assert.equal(fitToParts('x'.repeat(160), 1), 'x'.repeat(160), 'exactly one GSM-7 part');
    assert.equal(parts(fitToParts('x'.repeat(161), 1)), 1);
  });

  test('property: fitToParts never exceeds the parts, and keeps what fits', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 90 }), { maxLength: 20 }), fc.integer({ min: 1, max: 4 }), (ls, max) => {
        const text = ls.join('\n');
        const fitted = fitToParts(text, max);
        assert.ok(partCount(fitted, chooseAlphabet(fitted)) <= max);
        if (partCount(text, chooseAlphabet(text)) <= max) assert.equal(fitted, text);
      }),
      { numRuns: 300 },
    );
  });
});

