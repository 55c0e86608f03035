/**
 * The residence confirmation (CT07) and the 2025 reform over HTTP: issued from the register, checked
 * by anyone with its number, lapsing after a year or at the first change of residence data; and
 * registrations made before 1 July 2025 keeping their old unit codes while reading with today's names.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/http.js';
import { printedTextOf } from '../../src/services/certificates.js';
import { get, granted, NGOC_HA, OWNED, person, submit } from '../support/residence.js';

let s: TestServer;
let split: string, mapped: string, nobody: string;
// Registered in March 2025 on the pre-reform unit list: Phường Ngọc Hà (00016), later split over
// two new wards, and Phường Trúc Bạch (00004), which became part of the new Phường Ba Đình.
const NGOC_HA_OLD = { country: 'VN', unitSet: 'pre2025', unitCode: '00016', detail: 'Số 3 ngõ 12 phố Đội Cấn' } as const;
const TRUC_BACH_OLD = { country: 'VN', unitSet: 'pre2025', unitCode: '00004', detail: 'Số 8 phố Trúc Bạch' } as const;

before(async () => {
  s = await startTestServer('2025-03-03T03:00:00.000Z');
  split = await person(s, 'Mai Văn Quang', '1980-02-02');
  mapped = await person(s, 'Tạ Thị Rạng', '1982-03-03', 'female');
  nobody = await person(s, 'Kiều Văn Sơn', '1979-04-04');
  await granted(s, 'permanent-registrations', { personalId: split, address: NGOC_HA_OLD, lawfulResidence: OWNED });
  await granted(s, 'permanent-registrations', { personalId: mapped, address: TRUC_BACH_OLD, lawfulResidence: OWNED });
  s.clock.set('2026-06-01T03:00:00.000Z');
});
after(async () => s.close());

describe('the 2025 administrative reform', () => {
  test('history keeps the old codes; today one successor is named, a split says so with its candidates', async () => {
    const a = (await get(s, `/citizens/${split}/residence/history`)).registrations[0];
    assert.deepEqual(a.place.address, NGOC_HA_OLD);
    assert.match(a.place.asRegistered, /Phường Ngọc Hà, Quận Ba Đình/);
    assert.equal(a.place.today.mapped, 'split');
    assert.deepEqual(a.place.today.candidates.map((c: any) => c.code), ['00004', '00008']);
    const b = await get(s, `/citizens/${mapped}/residence`);
    assert.deepEqual(b.permanent.place.address, TRUC_BACH_OLD);
    assert.match(b.permanent.place.asRegistered, /Phường Trúc Bạch, Quận Ba Đình/);
    assert.equal(b.permanent.place.today.mapped, 'one');
    assert.equal(b.permanent.place.today.text, 'Số 8 phố Trúc Bạch, Phường Ba Đình, Thành phố Hà Nội');
    const h = await get(s, `/citizens/${mapped}/household`);
    assert.equal(h.place.address.unitSet, 'pre2025');
  });

  test('new registrations use the units in force', async () => {
    const r = await submit(s, 'temporary-registrations', { personalId: nobody, address: NGOC_HA_OLD, validUntil: '2026-12-31', lawfulResidence: OWNED }, 400);
    assert.equal(r.code, 'ADDRESS_NOT_A_COMMUNE');
  });
});

describe('residence confirmation (CT07)', () => {
  test('issued from the register, valid 1 year; anyone with the number can check it', async () => {
    const r = await s.call('POST', `/citizens/${mapped}/residence-confirmations`, { token: s.tokens.officer });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.match(r.body.number, /^XNCUTR-2026-[0-9A-Z]{8}$/);
    assert.equal(r.body.title, 'XÁC NHẬN THÔNG TIN VỀ CƯ TRÚ');
    assert.equal(r.body.validUntil, '2027-06-01');
    const lines = Object.fromEntries(r.body.lines.map((l: any) => [l.label, l.value]));
    assert.equal(lines['Nơi thường trú'], 'Số 8 phố Trúc Bạch, Phường Ba Đình, Thành phố Hà Nội (từ ngày 03/03/2025)');
    assert.equal(lines['Quan hệ với chủ hộ'], 'Chủ hộ');
    const check = await s.call('GET', `/residence-confirmations/${r.body.number}/verification`);
    assert.equal(check.status, 200);
    // Genuine and current, and nothing about the holder: no name, no address (decision 0022).
    assert.deepEqual(check.body, { number: r.body.number, kind: 'RESIDENCE_CONFIRMATION', issuedOn: '2026-06-01', valid: true, status: 'valid', validUntil: '2027-06-01' });
    const printed = printedTextOf((await s.call('GET', `/certificates/${r.body.number}`, { token: s.tokens.officer })).body);
    const confirmed = await s.call('POST', `/residence-confirmations/${r.body.number}/verification`, { body: { printedText: printed } });
    assert.deepEqual([confirmed.body.valid, confirmed.body.textMatches], [true, true]);
    const other = await s.call('POST', `/residence-confirmations/${r.body.number}/verification`, { body: { printedText: printed.replace('Tạ Thị Rạng', 'Tạ Thị Rạn') } });
    assert.deepEqual([other.body.valid, other.body.textMatches], [true, false]);
    assert.ok(!JSON.stringify(other.body).includes('Trúc Bạch'));
    const pdf = await s.call('GET', `/certificates/${r.body.number}/pdf`, { token: s.tokens.officer });
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    s.clock.set('2027-06-01T16:00:00.000Z'); // 23:00 on the last day
    assert.equal((await s.call('GET', `/residence-confirmations/${r.body.number}/verification`)).body.status, 'valid');
    s.clock.set('2027-06-01T17:00:00.000Z'); // 00:00 the day after
    const late = (await s.call('GET', `/residence-confirmations/${r.body.number}/verification`)).body;
    assert.deepEqual([late.valid, late.status], [false, 'expired']);
    s.clock.set('2026-06-01T03:00:00.000Z');
  });

  test('no longer valid as soon as the holder\'s residence data changes; previous residences listed', async () => {
    const ct07 = (await s.call('POST', `/citizens/${split}/residence-confirmations`, { token: s.tokens.officer })).body;
    s.clock.advance(60_000);
    await granted(s, 'temporary-registrations', { personalId: split, address: { ...NGOC_HA, detail: 'Số 9 phố Đội Cấn' }, validUntil: '2027-05-31', lawfulResidence: OWNED });
    const check = (await s.call('GET', `/residence-confirmations/${ct07.number}/verification`)).body;
    assert.deepEqual([check.valid, check.status], [false, 'residence_changed']);
    assert.equal(check.residenceChangedAt, undefined, 'when the holder moved is not disclosed');
    const generic = await s.call('GET', `/certificates/${ct07.number}/verification`);
    assert.equal(generic.body.valid, false);
    // A stay notice elsewhere is not a change of the holder's residence.
    const fresh = (await s.call('POST', `/citizens/${split}/residence-confirmations`, { token: s.tokens.officer })).body;
    await submit(s, 'stay-notices', { personalId: split, host: { fullName: 'Chủ nhà' }, address: NGOC_HA, arrivalAt: '2026-06-01T12:00:00+07:00', departureOn: '2026-06-03' });
    assert.equal((await s.call('GET', `/residence-confirmations/${fresh.number}/verification`)).body.status, 'valid');
    const labels = fresh.lines.map((l: any) => l.label);
    assert.ok(labels.includes('Nơi thường trú') && labels.includes('Nơi tạm trú'), labels.join('|'));
  });

  test('refusals: nothing registered, unknown number, malformed number', async () => {
    const none = await s.call('POST', `/citizens/${nobody}/residence-confirmations`, { token: s.tokens.officer });
    assert.equal(none.status, 409);
    assert.equal(none.body.code, 'NOT_REGISTERED');
    assert.equal((await s.call('GET', '/residence-confirmations/XNCUTR-2026-ZZZZZZZZ/verification')).body.code, 'CERTIFICATE_NOT_FOUND');
    assert.equal((await s.call('GET', '/residence-confirmations/nonsense/verification')).status, 400);
    const anonymous = await s.call('POST', `/citizens/${split}/residence-confirmations`);
    assert.equal(anonymous.status, 401);
  });
});
