/** ID cards over HTTP: lifecycle and status, the QR at the counter (text and image), CMND check. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, birthBody, type TestServer } from '../support/http.js';

let s: TestServer;
let holder: { personalId: string; version: number };
let noCmnd: string;
before(async () => {
  s = await startTestServer('2026-06-01T08:00:00.000Z');
  const r = await s.call('POST', '/citizens', {
    token: s.tokens.officer,
    body: birthBody({
      fullName: 'Đặng Thị Ánh Tuyết',
      sex: 'female',
      dateOfBirth: '2000-03-15',
      legacyIdNumber: '187654321',
      permanentResidence: { country: 'VN', unitSet: '2025', unitCode: '00004', detail: 'Số 12, ngõ 3, phố Hàng Bạc' },
    }),
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  holder = r.body;
  const other = await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody({ fullName: 'Lò Văn Sáng', dateOfBirth: '1985-01-02' }) });
  noCmnd = other.body.personalId;
});
after(async () => s.close());

const path = () => `/citizens/${holder.personalId}/cards`;

describe('card register', () => {
  test('issue: a căn cước numbered by the personal ID, expiring per the renewal ages', async () => {
    const r = await s.call('POST', path(), { token: s.tokens.officer, body: { issueDate: '2024-08-01' } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.generation, 'CAN_CUOC');
    assert.equal(r.body.cardNo, holder.personalId);
    assert.equal(r.body.issuingAuthority, 'Bộ Công an');
    // Issued at 24 — within 2 years of the 25 renewal age — so valid until the 40th birthday.
    assert.equal(r.body.expiryDate, '2040-03-15');
    assert.equal(r.body.status, 'valid');
    const again = await s.call('POST', path(), { token: s.tokens.officer, body: {} });
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'CARD_ALREADY_VALID');
  });

  test('status at a date: not yet issued before, valid after', async () => {
    const before = await s.call('GET', `${path()}?date=2024-07-31`, { token: s.tokens.inspector });
    assert.equal(before.body.cards[0].status, 'not_yet_issued');
    assert.equal(before.body.current, undefined);
    const now = await s.call('GET', path(), { token: s.tokens.officer });
    assert.equal(now.body.current.seq, 1);
  });

  test('QR at the counter: authentic card, CMND from the registry even when the QR lacks it', async () => {
    const qr = await s.call('GET', `${path()}/qr`, { token: s.tokens.officer });
    assert.equal(qr.status, 200);
    const fields = (qr.body.payload as string).split('|');
    assert.equal(fields.length, 7);
    assert.deepEqual(fields.slice(0, 5), [holder.personalId, '187654321', 'Đặng Thị Ánh Tuyết', '15032000', 'Nữ']);
    assert.equal(fields[5], 'Số 12, ngõ 3, phố Hàng Bạc, Phường Ba Đình, Thành phố Hà Nội');
    assert.equal(fields[6], '01082024');

    const ok = await s.call('POST', '/cards/qr-verification', { token: s.tokens.officer, body: { payload: qr.body.payload } });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.verdict, 'authentic');
    assert.equal(ok.body.card.status, 'valid');
    assert.ok(ok.body.fields.every((f: { matches: boolean }) => f.matches));
    assert.equal(ok.body.permanentResidence.text, 'Số 12, ngõ 3, phố Hàng Bạc, Phường Ba Đình, Thành phố Hà Nội');

    const withoutCmnd = [fields[0], '', ...fields.slice(2)].join('|');
    const v = await s.call('POST', '/cards/qr-verification', { token: s.tokens.officer, body: { payload: withoutCmnd } });
    assert.equal(v.body.verdict, 'authentic');
    assert.equal(v.body.legacyIdNumber, '187654321');
  });

  test('every altered field is flagged on its own', async () => {
    const qr = (await s.call('GET', `${path()}/qr`, { token: s.tokens.officer })).body.payload as string;
    const base = qr.split('|');
    const alterations: [number, string, string][] = [
      [1, '187654322', 'legacyIdNumber'],
      [2, 'Đặng Thị Ánh Tuyến', 'fullName'],
      [3, '16032000', 'dateOfBirth'],
      [5, 'Số 13, ngõ 3, phố Hàng Bạc, Phường Ba Đình, Thành phố Hà Nội', 'permanentAddress'],
      [6, '02082024', 'issueDate'],
    ];
    for (const [i, value, field] of alterations) {
      const forged = base.map((f, j) => (j === i ? value : f)).join('|');
      const r = await s.call('POST', '/cards/qr-verification', { token: s.tokens.officer, body: { payload: forged } });
      assert.equal(r.status, 200);
      const mismatched = (r.body.fields ?? []).filter((f: { matches: boolean }) => !f.matches).map((f: { field: string }) => f.field);
      if (field === 'issueDate') {
        assert.equal(r.body.verdict, 'unknown_card', 'no card of the holder was issued that day');
      } else {
        assert.equal(r.body.verdict, 'altered', field);
        assert.deepEqual(mismatched, [field]);
      }
    }
    const sexSwap = base.map((f, j) => (j === 4 ? 'Nam' : f)).join('|');
    const r = await s.call('POST', '/cards/qr-verification', { token: s.tokens.officer, body: { payload: sexSwap } });
    assert.equal(r.body.verdict, 'altered');
    assert.ok(r.body.consistency.some((c: { code: string }) => c.code === 'PERSONAL_ID_SEX_MISMATCH'));
  });

  test('a photo of the QR (PNG) verifies the same way; bad input has its reason code', async () => {
    const png = await fetch(`${s.baseUrl}${path()}/qr/png`, { headers: { authorization: `Bearer ${s.tokens.officer}`, 'x-purpose': 'TEST' } });
    assert.equal(png.headers.get('content-type'), 'image/png');
    const image = Buffer.from(await png.arrayBuffer());
    const r = await s.call('POST', '/cards/qr-verification', { token: s.tokens.officer, body: { imageBase64: image.toString('base64') } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.verdict, 'authentic');
    const svg = await fetch(`${s.baseUrl}${path()}/qr/svg`, { headers: { authorization: `Bearer ${s.tokens.officer}`, 'x-purpose': 'TEST' } });
    assert.match(await svg.text(), /^<svg|<\?xml/);
    const cases: [Record<string, string>, string][] = [
      [{ payload: '1|2|3' }, 'QR_FIELD_COUNT'],
      [{ payload: `12345|${'|'.repeat(5)}` }, 'QR_PERSONAL_ID_FORMAT'],
      [{ payload: `${holder.personalId}||Tên|31022000|Nữ|x|01082024` }, 'QR_DATE_INVALID'],
      [{ payload: `${holder.personalId}||Tên|15032000|Nu|x|01082024` }, 'QR_SEX_UNKNOWN'],
      [{ imageBase64: Buffer.from('not an image').toString('base64') }, 'IMAGE_UNREADABLE'],
    ];
    for (const [body, code] of cases) {
      const bad = await s.call('POST', '/cards/qr-verification', { token: s.tokens.officer, body });
      assert.equal(bad.status, 400, code);
      assert.equal(bad.body.code, code);
    }
  });

  test('data changed after issue makes the card outdated, not forged', async () => {
    const qr = (await s.call('GET', `${path()}/qr`, { token: s.tokens.officer })).body.payload as string;
    s.clock.advance(86_400_000);
    // The holder moves: a permanent registration at the new address, approved.
    const filed = await s.call('POST', '/residence/permanent-registrations', {
      token: s.tokens.officer,
      body: { personalId: holder.personalId, address: { country: 'VN', unitSet: '2025', unitCode: '00004', detail: 'Số 99 phố Lý Nam Đế' }, lawfulResidence: { kind: 'owned' } },
    });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    const moved = await s.call('POST', `/residence/applications/${filed.body.applicationId}/approval`, { token: s.tokens.officer, body: {} });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    const r = await s.call('POST', '/cards/qr-verification', { token: s.tokens.officer, body: { payload: qr } });
    assert.equal(r.body.verdict, 'outdated');
    const address = r.body.fields.find((f: { field: string }) => f.field === 'permanentAddress');
    assert.equal(address.matches, false);
    assert.equal(address.matchesAtIssue, true);
    assert.match(address.registry, /Số 99 phố Lý Nam Đế/);
  });

  test('lost, re-issued and revoked cards; card history', async () => {
    const lost = await s.call('POST', `${path()}/loss`, { token: s.tokens.officer, body: { lostOn: '2026-05-20' } });
    assert.equal(lost.status, 200, JSON.stringify(lost.body));
    assert.equal(lost.body.status, 'lost');
    const none = await s.call('POST', `${path()}/loss`, { token: s.tokens.officer, body: {} });
    assert.equal(none.body.code, 'CARD_NOT_VALID');
    const reissued = await s.call('POST', `${path()}/replacement`, { token: s.tokens.officer, body: { reason: 'LOST' } });
    assert.equal(reissued.status, 201, JSON.stringify(reissued.body));
    assert.equal(reissued.body.seq, 2);
    assert.equal(reissued.body.issueDate, '2026-06-02');
    const status = await s.call('GET', path(), { token: s.tokens.officer });
    assert.deepEqual(status.body.cards.map((c: { seq: number; status: string }) => [c.seq, c.status]), [[1, 'lost'], [2, 'valid']]);
    assert.equal(status.body.cards[0].replacedOn, '2026-06-02');
    const revoked = await s.call('POST', `${path()}/revocation`, { token: s.tokens.officer, body: { seq: 2, reason: 'Thu hồi theo quyết định' } });
    assert.equal(revoked.body.status, 'revoked');
    const history = await s.call('GET', `${path()}/history`, { token: s.tokens.officer });
    assert.deepEqual(history.body.map((h: { seq: number; version: number; kind: string }) => [h.seq, h.version, h.kind]), [
      [1, 1, 'issueCard'],
      [1, 2, 'reportCardLost'],
      [1, 3, 'replaceCard'],
      [2, 1, 'replaceCard'],
      [2, 2, 'revokeCard'],
    ]);
    assert.deepEqual(history.body[1].changes.lostOn, [null, '2026-05-20']);
  });
});

describe('card events in the future', () => {
  test('are refused and change nothing', async () => {
    const before = await s.call('GET', `/citizens/${noCmnd}/cards`, { token: s.tokens.officer });
    const r = await s.call('POST', `/citizens/${noCmnd}/cards`, { token: s.tokens.officer, body: { issueDate: '2030-01-01' } });
    assert.equal(r.status, 400);
    assert.equal(r.body.code, 'DATE_IN_FUTURE');
    const lost = await s.call('POST', `/citizens/${noCmnd}/cards/loss`, { token: s.tokens.officer, body: { lostOn: '2030-01-01' } });
    assert.equal(lost.body.code, 'DATE_IN_FUTURE');
    const after = await s.call('GET', `/citizens/${noCmnd}/cards`, { token: s.tokens.officer });
    assert.deepEqual(after.body.cards, before.body.cards);
  });
});

describe('parseCardQr', () => {
  test('the extended layout keeps its unknown fields; inconsistencies are reported, not refused', async () => {
    const payload = `${holder.personalId}||Đặng Thị Ánh Tuyết|15032000|Nam|Hà Nội|01082024|x|y|z`;
    const r = await s.call('POST', '/cards/qr-parsing', { token: s.tokens.officer, body: { payload } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.payload.layout, 'EXTENDED');
    assert.deepEqual(r.body.payload.unknownFields, ['x', 'y', 'z']);
    assert.deepEqual(r.body.consistency.map((c: { code: string }) => c.code), ['PERSONAL_ID_SEX_MISMATCH']);
  });
});

describe('verifyLegacyId', () => {
  test('yes / no / unknown, and nothing else', async () => {
    const ask = async (personalId: string, legacyIdNumber: string) =>
      (await s.call('POST', '/cards/legacy-id-verification', { token: s.tokens.officer, body: { personalId, legacyIdNumber } })).body;
    assert.deepEqual(await ask(holder.personalId, '187654321'), { answer: 'yes' });
    assert.deepEqual(await ask(holder.personalId, '111111111'), { answer: 'no' });
    assert.deepEqual(await ask(noCmnd, '187654321'), { answer: 'no' });
    assert.deepEqual(await ask(noCmnd, '999999999'), { answer: 'unknown' });
    assert.deepEqual(await ask('001099999999', '187654321'), { answer: 'unknown' });
    const bad = await s.call('POST', '/cards/legacy-id-verification', { token: s.tokens.officer, body: { personalId: holder.personalId, legacyIdNumber: '12' } });
    assert.equal(bad.status, 400);
  });
});
