/** The officer API over real HTTP: registration, reading, updates with versions, life events, history. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, birthBody, type TestServer } from '../support/http.js';
import { validatePersonalId } from '../../src/domain/identity/personal-id.js';
import { idProvinceCodes } from '../../src/domain/categories/categories.js';

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(async () => s.close());

async function register(overrides: Record<string, unknown> = {}) {
  const r = await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody(overrides) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r;
}

describe('registerBirth', () => {
  test('creates the citizen with a valid, consistent personal ID', async () => {
    const r = await register({ sex: 'female', dateOfBirth: '2025-01-31' });
    const id = r.body.personalId as string;
    assert.match(id, /^001325\d{6}$/);
    assert.deepEqual(validatePersonalId(id, idProvinceCodes(s.runtime.catalogue.categories), { sex: 'female', dateOfBirth: '2025-01-31' }), {
      valid: true,
      problems: [],
    });
    assert.equal(r.headers.get('location'), `/citizens/${id}`);
    assert.equal(r.headers.get('etag'), '"1"');
    assert.equal(r.body.version, 1);
    assert.equal(r.body.lifeStatus, 'alive');
    assert.equal(r.body.religion, '00');
    assert.equal(r.body.birthRegistrationPlace.text, 'UBND phường, Phường Trúc Bạch, Quận Ba Đình, Thành phố Hà Nội');
    assert.equal(r.body.birthRegistrationPlace.historical, true);
  });

  test('never issues the same number twice, even when the random source repeats', async () => {
    const original = s.runtime.ctx.randomInt;
    const draws = [42, 42, 42, 43];
    s.runtime.ctx.randomInt = () => draws.shift() ?? 44;
    try {
      const a = await register({ dateOfBirth: '2020-01-01' });
      const b = await register({ dateOfBirth: '2020-02-02' });
      assert.equal(a.body.personalId, '001220000042');
      assert.equal(b.body.personalId, '001220000043');
    } finally {
      s.runtime.ctx.randomInt = original;
    }
  });

  test('adds the child to the parents it names, each with a new version', async () => {
    const father = await register({ fullName: 'Trần Văn Bình', dateOfBirth: '1990-02-03' });
    const child = await register({
      fullName: 'Trần Thị Cúc',
      sex: 'female',
      dateOfBirth: '2025-09-09',
      birthRegistrationPlace: { country: 'VN', unitSet: '2025', unitCode: '00004' },
      relatives: [{ relation: 'father', personalId: father.body.personalId, fullName: 'Trần Văn Bình', nationality: 'VN' }],
    });
    assert.match(child.body.personalId, /^001325/);
    assert.equal(child.body.birthRegistrationPlace.historical, false);
    const f = await s.call('GET', `/citizens/${father.body.personalId}`, { token: s.tokens.officer });
    assert.equal(f.body.version, 2);
    assert.deepEqual(f.body.relatives, [{ relation: 'child', personalId: child.body.personalId, fullName: 'Trần Thị Cúc', nationality: 'VN' }]);
  });

  test('rejects unknown codes with every problem listed, and writes nothing', async () => {
    const before = await s.call('GET', '/citizens?name=Lê%20Văn%20Sai&dateOfBirth=2024', { token: s.tokens.officer });
    const r = await s.call('POST', '/citizens', {
      token: s.tokens.officer,
      body: birthBody({
        fullName: 'Lê Văn Sai',
        ethnicity: '99',
        nationality: 'XX',
        birthRegistrationPlace: { country: 'VN', unitSet: '2025', unitCode: '99999' },
        placeOfBirth: { country: 'FR', detail: 'Paris' },
        hometown: { country: 'VN', unitSet: '2025', unitCode: '01' },
      }),
    });
    assert.equal(r.status, 400);
    assert.equal(r.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    assert.equal(r.body.code, 'VALIDATION_FAILED');
    assert.ok(r.body.messages.vi.length > 0 && r.body.messages.en.length > 0);
    assert.deepEqual(
      r.body.errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`).sort(),
      ['birthRegistrationPlace.unitCode:UNKNOWN_ADMIN_UNIT', 'ethnicity:UNKNOWN_CATEGORY_CODE', 'nationality:UNKNOWN_CATEGORY_CODE'],
    );
    const afterSearch = await s.call('GET', '/citizens?name=Lê%20Văn%20Sai&dateOfBirth=2024', { token: s.tokens.officer });
    assert.deepEqual(afterSearch.body.items, before.body.items);
  });

  test('rejects impossible and future dates and schema violations with stable codes', async () => {
    const bad = await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody({ dateOfBirth: '2023-02-29' }) });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.errors.map((e: { code: string }) => e.code), ['INVALID_DATE']);
    const future = await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody({ dateOfBirth: '2027-01-01' }) });
    assert.deepEqual(future.body.errors.map((e: { code: string }) => e.code), ['DATE_IN_FUTURE']);
    const schema = await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody({ sex: 'x', extra: 1 }) });
    assert.equal(schema.status, 400);
    assert.equal(schema.body.code, 'VALIDATION_FAILED');
    assert.ok(schema.body.errors.some((e: { code: string }) => e.code.startsWith('SCHEMA_')));
    const malformed = await fetch(`${s.baseUrl}/citizens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.tokens.officer}`, 'content-type': 'application/json' },
      body: '{"citizen":',
    });
    assert.equal(malformed.status, 400);
    assert.equal(((await malformed.json()) as { code: string }).code, 'MALFORMED_JSON');
  });
});

describe('updateCitizen', () => {
  test('needs If-Match; a stale version gets 412 and changes nothing', async () => {
    const c = await register({ fullName: 'Phạm Thị Dung', sex: 'female', dateOfBirth: '2001-07-08' });
    const id = c.body.personalId;
    const path = `/citizens/${id}`;
    const body = { changes: { phone: '0912345678', email: 'dung@example.vn' }, reason: 'Công dân bổ sung thông tin liên lạc' };
    const none = await s.call('PATCH', path, { token: s.tokens.officer, body });
    assert.equal(none.status, 428);
    assert.equal(none.body.code, 'PRECONDITION_REQUIRED');
    const ok = await s.call('PATCH', path, { token: s.tokens.officer, body, headers: { 'if-match': '"1"' } });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.version, 2);
    assert.equal(ok.body.phone, '0912345678');
    const stale = await s.call('PATCH', path, { token: s.tokens.officer, body: { changes: { phone: '0987654321' }, reason: 'x' }, headers: { 'if-match': '"1"' } });
    assert.equal(stale.status, 412);
    assert.equal(stale.body.code, 'VERSION_MISMATCH');
    const now = await s.call('GET', path, { token: s.tokens.officer });
    assert.equal(now.body.phone, '0912345678');
    assert.equal(now.body.version, 2);
  });

  test('concurrent updates from the same version: exactly one wins, the others get 412', async () => {
    const c = await register({ fullName: 'Bùi Thị Lan', sex: 'female', dateOfBirth: '1988-08-08' });
    const path = `/citizens/${c.body.personalId}`;
    const results = await Promise.all(
      ['01', '02', '03', '04', '01'].map((bloodGroup) =>
        s.call('PATCH', path, { token: s.tokens.officer, body: { changes: { bloodGroup, email: `lan${bloodGroup}@example.vn` }, reason: 'Xét nghiệm nhóm máu' }, headers: { 'if-match': '"1"' } }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 412, 412, 412, 412]);
    const winner = results.find((r) => r.status === 200)!;
    const now = await s.call('GET', path, { token: s.tokens.officer });
    assert.equal(now.body.version, 2);
    assert.equal(now.body.bloodGroup, winner.body.bloodGroup);
    assert.equal(now.body.email, winner.body.email);
    const history = await s.call('GET', `${path}/history`, { token: s.tokens.officer });
    assert.equal(history.body.entries.length, 2);
  });

  test('requires a reason, refuses no-op updates and changes that alter what the ID encodes', async () => {
    const c = await register({ fullName: 'Hoàng Văn Em', dateOfBirth: '1999-12-31' });
    const path = `/citizens/${c.body.personalId}`;
    const h = { 'if-match': '"1"' };
    const noReason = await s.call('PATCH', path, { token: s.tokens.officer, body: { changes: { bloodGroup: '01' } }, headers: h });
    assert.equal(noReason.body.code, 'REASON_REQUIRED');
    const noop = await s.call('PATCH', path, { token: s.tokens.officer, body: { changes: { fullName: 'Hoàng Văn Em' }, reason: 'r' }, headers: h });
    assert.equal(noop.body.code, 'NO_CHANGE');
    const sex = await s.call('PATCH', path, { token: s.tokens.officer, body: { changes: { sex: 'female' }, reason: 'r' }, headers: h });
    assert.equal(sex.status, 409);
    assert.equal(sex.body.code, 'PERSONAL_ID_REISSUE_REQUIRED');
    const day = await s.call('PATCH', path, { token: s.tokens.officer, body: { changes: { dateOfBirth: '1999-12-01' }, reason: 'Đính chính ngày sinh' }, headers: h });
    assert.equal(day.status, 200);
    assert.equal(day.body.dateOfBirth, '1999-12-01');
  });

  test('a CMND number or phone already held by another person is a conflict and rolls back', async () => {
    const a = await register({ fullName: 'Ngô Văn Phúc', dateOfBirth: '1980-01-01', legacyIdNumber: '123456789', phone: '0900000001' });
    const b = await register({ fullName: 'Ngô Văn Quý', dateOfBirth: '1981-01-01' });
    const path = `/citizens/${b.body.personalId}`;
    const legacy = await s.call('PATCH', path, {
      token: s.tokens.officer,
      body: { changes: { legacyIdNumber: '123456789', email: 'quy@example.vn' }, reason: 'r' },
      headers: { 'if-match': '"1"' },
    });
    assert.equal(legacy.status, 409);
    assert.equal(legacy.body.code, 'LEGACY_ID_IN_USE');
    const phone = await s.call('PATCH', path, { token: s.tokens.officer, body: { changes: { phone: '0900000001' }, reason: 'r' }, headers: { 'if-match': '"1"' } });
    assert.equal(phone.body.code, 'PHONE_IN_USE');
    const unchanged = await s.call('GET', path, { token: s.tokens.officer });
    assert.equal(unchanged.body.version, 1);
    assert.equal(unchanged.body.email, undefined);
    const history = await s.call('GET', `${path}/history`, { token: s.tokens.officer });
    assert.equal(history.body.entries.length, 1);
    const byLegacy = await s.call('GET', '/citizens?legacyIdNumber=123456789', { token: s.tokens.officer });
    assert.deepEqual(byLegacy.body.items.map((c: { personalId: string }) => c.personalId), [a.body.personalId]);
  });
});

describe('life events, history and as-of', () => {
  test('history lists who, when, source and reason; as-of returns earlier versions', async () => {
    const t0 = s.clock.now().toISOString();
    const c = await register({ fullName: 'Đặng Văn Hải', dateOfBirth: '1950-05-05' });
    const path = `/citizens/${c.body.personalId}`;
    s.clock.advance(3_600_000);
    const t1 = s.clock.now().toISOString();
    await s.call('PATCH', path, { token: s.tokens.officer, body: { changes: { maritalStatus: '2' }, reason: 'Kết hôn', legalBasis: 'Giấy chứng nhận kết hôn số 12/2026', source: 'civil_status' }, headers: { 'if-match': '"1"' } });
    s.clock.advance(3_600_000);
    const death = await s.call('POST', `${path}/death`, { token: s.tokens.officer, body: { dateOfDeath: '2026-05-30', reason: 'Trích lục khai tử' } });
    assert.equal(death.status, 200);
    assert.equal(death.body.lifeStatus, 'deceased');
    const again = await s.call('POST', `${path}/death`, { token: s.tokens.officer, body: { dateOfDeath: '2026-05-30' } });
    assert.equal(again.body.code, 'CITIZEN_DECEASED');

    const h = await s.call('GET', `${path}/history`, { token: s.tokens.inspector });
    assert.equal(h.status, 200);
    assert.deepEqual(h.body.entries.map((e: { version: number; kind: string; source: string }) => [e.version, e.kind, e.source]), [
      [1, 'registerBirth', 'civil_status'],
      [2, 'update', 'civil_status'],
      [3, 'recordDeath', 'civil_status'],
    ]);
    assert.deepEqual(h.body.entries[1].changes, { maritalStatus: ['1', '2'] });
    assert.equal(h.body.entries[1].legalBasis, 'Giấy chứng nhận kết hôn số 12/2026');
    assert.equal(h.body.entries[1].recordedAt, t1);

    const atStart = await s.call('GET', `${path}/as-of?at=${encodeURIComponent(t0)}`, { token: s.tokens.officer });
    assert.equal(atStart.body.version, 1);
    assert.equal(atStart.body.maritalStatus, '1');
    assert.equal(atStart.body.lifeStatus, 'alive');
    const atT1 = await s.call('GET', `${path}/as-of?at=${encodeURIComponent(t1)}`, { token: s.tokens.officer });
    assert.equal(atT1.body.version, 2);
    assert.equal(atT1.body.maritalStatus, '2');
    assert.equal(atT1.body.dateOfDeath, undefined);
    const beforeBirth = await s.call('GET', `${path}/as-of?at=2020-01-01T00:00:00Z`, { token: s.tokens.officer });
    assert.equal(beforeBirth.status, 404);
    assert.equal(beforeBirth.body.code, 'CITIZEN_NOT_YET_REGISTERED');
  });

  test('a missing person can be declared so, with a reason', async () => {
    const c = await register({ fullName: 'Vũ Văn Khoa', dateOfBirth: '1970-01-01' });
    const r = await s.call('POST', `/citizens/${c.body.personalId}/missing`, { token: s.tokens.officer, body: { dateDeclaredMissing: '2026-01-15', legalBasis: 'Quyết định tuyên bố mất tích của Tòa án' } });
    assert.equal(r.status, 200);
    assert.equal(r.body.lifeStatus, 'missing');
  });
});

describe('cancelPersonalId', () => {
  test('re-issues a number agreeing with the corrected data; the old one still resolves', async () => {
    const c = await register({ fullName: 'Lý Minh Khang', dateOfBirth: '1995-04-04', legacyIdNumber: '987654321' });
    const oldId = c.body.personalId as string;
    const mismatch = await s.call('POST', `/citizens/${oldId}/personal-id-cancellation`, {
      token: s.tokens.officer,
      body: { reason: 'SEX_REDETERMINED', corrections: { dateOfBirth: '1996-04-04' } },
    });
    assert.equal(mismatch.body.code, 'CANCELLATION_REASON_MISMATCH');
    s.clock.advance(60_000);
    const r = await s.call('POST', `/citizens/${oldId}/personal-id-cancellation`, {
      token: s.tokens.officer,
      body: { reason: 'BIRTH_YEAR_CORRECTED', note: 'Trích lục cải chính hộ tịch', corrections: { dateOfBirth: '1996-04-04' } },
      headers: { 'if-match': '"1"' },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const newId = r.body.citizen.personalId as string;
    assert.equal(r.body.cancelledPersonalId, oldId);
    assert.match(newId, /^001096\d{6}$/);
    assert.notEqual(newId, oldId);
    const viaOld = await s.call('GET', `/citizens/${oldId}`, { token: s.tokens.officer });
    assert.equal(viaOld.status, 200);
    assert.equal(viaOld.body.personalId, newId);
    assert.deepEqual(viaOld.body.resolvedFrom, [oldId]);
    const history = await s.call('GET', `/citizens/${oldId}/history`, { token: s.tokens.officer });
    assert.equal(history.body.personalId, newId);
    assert.deepEqual(history.body.entries.map((e: { kind: string }) => e.kind), ['registerBirth', 'reissuePersonalId']);
    assert.deepEqual(history.body.entries[1].changes.personalId, [oldId, newId]);
    const byLegacy = await s.call('GET', '/citizens?legacyIdNumber=987654321', { token: s.tokens.officer });
    assert.equal(byLegacy.body.items[0].personalId, newId);
    const byName = await s.call('GET', `/citizens?name=${encodeURIComponent('Lý Minh Khang')}&dateOfBirth=1996`, { token: s.tokens.officer });
    assert.deepEqual(byName.body.items.map((x: { personalId: string }) => x.personalId), [newId]);
    const asBefore = await s.call('GET', `/citizens/${newId}/as-of?at=${encodeURIComponent(c.body.createdAt)}`, { token: s.tokens.officer });
    assert.equal(asBefore.body.personalId, oldId);
    assert.equal(asBefore.body.dateOfBirth, '1995-04-04');
  });
});
