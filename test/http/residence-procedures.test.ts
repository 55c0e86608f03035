/**
 * Residence procedures over HTTP, end to end: permanent registration (new household, joining with
 * consent), the lifecycle (CT05, documents, CT06), deadlines and the overdue list, temporary
 * registration and extension with their time rules, stay notices and absence declarations.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/http.js';
import { approve, consent, get, granted, HANG_BAC, NGOC_HA, OWNED, person, submit } from '../support/residence.js';

let s: TestServer;
let an: string, binh: string, chi: string, dung: string, em: string, phuong: string;
let household: string;

// Monday 1 June 2026, 15:00 in Hà Nội.
before(async () => {
  s = await startTestServer('2026-06-01T08:00:00.000Z');
  an = await person(s, 'Trần Văn An', '1970-02-10');
  binh = await person(s, 'Lê Thị Bình', '1972-05-20', 'female');
  chi = await person(s, 'Trần Thị Chi', '2012-09-01', 'female');
  dung = await person(s, 'Trần Văn Dũng', '1998-11-30');
  em = await person(s, 'Phạm Văn Em', '1990-01-01');
  phuong = await person(s, 'Vũ Thị Phương', '1985-04-04', 'female');
});
after(async () => s.close());
beforeEach(() => s?.clock.set('2026-06-01T08:00:00.000Z'));

describe('permanent registration', () => {
  test('a new household: 7 working days, approved, the register and the record say the same', async () => {
    const app = await submit(s, 'permanent-registrations', { personalId: an, address: HANG_BAC, lawfulResidence: OWNED });
    assert.equal(app.status, 'submitted');
    assert.equal(app.procedure, 'permanent_registration');
    assert.equal(app.tthc, '1.004222');
    assert.equal(app.receivedOn, '2026-06-01');
    assert.deepEqual(app.deadline, { day: '2026-06-10', by: 'end_of_day', status: 'due' });
    assert.equal(app.steps[0].form, 'CT04');
    const done = await approve(s, app.applicationId);
    household = done.outcome.householdId;
    assert.match(household, /^HS00004[0-9A-Z]{8}$/);
    assert.equal(done.deadline.status, 'met');
    const h = await get(s, `/citizens/${an}/household`);
    assert.equal(h.headPersonalId, an);
    assert.deepEqual(h.members.map((m: any) => [m.personalId, m.relationship, m.relationshipName]), [[an, 'head', 'Chủ hộ']]);
    const citizen = await get(s, `/citizens/${an}`);
    assert.equal(citizen.permanentResidence.detail, HANG_BAC.detail);
    const cur = await get(s, `/citizens/${an}/residence`);
    assert.equal(cur.permanent.status, 'active');
    assert.equal(cur.livesAt.basis, 'permanent');
    assert.deepEqual(cur.household, { householdId: household, relationship: 'head', relationshipName: 'Chủ hộ' });
  });

  test('joining needs the head\'s consent, from the head; a refused application writes nothing', async () => {
    const body = { personalId: binh, household: { householdId: household, relationship: 'wife' }, lawfulResidence: OWNED };
    const none = await submit(s, 'permanent-registrations', body, 400);
    assert.equal(none.code, 'CONSENT_REQUIRED');
    const wrong = await submit(s, 'permanent-registrations', { ...body, consents: [consent('household_head', em)] }, 400);
    assert.equal(wrong.code, 'CONSENT_FROM_WRONG_PERSON');
    const eid = await submit(s, 'permanent-registrations', { ...body, consents: [{ role: 'household_head', method: 'eid_app', fullName: 'Trần Văn An' }] }, 400);
    assert.equal(eid.code, 'CONSENT_INCOMPLETE');
    const list = await get(s, `/residence/applications?view=all&personalId=${binh}`);
    assert.equal(list.items.length, 0);
    const history = await get(s, `/citizens/${binh}/residence/history`);
    assert.equal(history.registrations.length, 0);
    await granted(s, 'permanent-registrations', { ...body, consents: [consent('household_head', an, 'Trần Văn An')] });
    // A minor also needs a parent's consent.
    const child = { personalId: chi, household: { householdId: household, relationship: 'child' }, lawfulResidence: OWNED, consents: [consent('household_head', an)] };
    assert.equal((await submit(s, 'permanent-registrations', child, 400)).code, 'CONSENT_REQUIRED');
    await granted(s, 'permanent-registrations', { ...child, consents: [consent('household_head', an), consent('parent_guardian', binh)] });
    await granted(s, 'permanent-registrations', { personalId: dung, household: { householdId: household, relationship: 'child' }, lawfulResidence: OWNED, consents: [consent('household_head', an)] });
    const h = await get(s, `/households/${household}`);
    assert.deepEqual(Object.fromEntries(h.members.map((m: any) => [m.personalId, m.relationship])), { [an]: 'head', [binh]: 'wife', [chi]: 'child', [dung]: 'child' });
    const again = await submit(s, 'permanent-registrations', { personalId: binh, household: { householdId: household, relationship: 'wife' }, lawfulResidence: OWNED, consents: [consent('household_head', an)] }, 409);
    assert.equal(again.code, 'ALREADY_REGISTERED_HERE');
  });

  test('lifecycle: CT05 stops approval until documents come in, then CT06 refuses with reasons', async () => {
    const app = await submit(s, 'permanent-registrations', { personalId: em, address: NGOC_HA, lawfulResidence: { kind: 'rented', ownerPersonalId: phuong, floorAreaM2: 30 }, consents: [consent('owner', phuong)] });
    const dup = await submit(s, 'permanent-registrations', { personalId: em, address: NGOC_HA, lawfulResidence: OWNED }, 409);
    assert.equal(dup.code, 'APPLICATION_ALREADY_OPEN');
    const ct05 = await s.call('POST', `/residence/applications/${app.applicationId}/document-requests`, { token: s.tokens.officer, body: { documents: ['Hợp đồng thuê nhà có công chứng'] } });
    assert.equal(ct05.status, 200);
    assert.equal(ct05.body.status, 'documents_requested');
    assert.deepEqual(ct05.body.steps.at(-1).items, ['Hợp đồng thuê nhà có công chứng']);
    assert.equal(ct05.body.steps.at(-1).form, 'CT05');
    const early = await approve(s, app.applicationId, 409);
    assert.equal(early.code, 'APPLICATION_STATE_CONFLICT');
    s.clock.set('2026-06-03T02:00:00.000Z'); // Wednesday morning
    const supplied = await s.call('POST', `/residence/applications/${app.applicationId}/documents`, { token: s.tokens.officer, body: {} });
    assert.equal(supplied.body.status, 'submitted');
    assert.equal(supplied.body.receivedOn, '2026-06-03');
    assert.equal(supplied.body.deadline.day, '2026-06-12');
    const noReasons = await s.call('POST', `/residence/applications/${app.applicationId}/refusal`, { token: s.tokens.officer, body: { reasons: ['  '] } });
    assert.equal(noReasons.status, 400);
    const ct06 = await s.call('POST', `/residence/applications/${app.applicationId}/refusal`, { token: s.tokens.officer, body: { reasons: ['Hợp đồng thuê nhà đã hết hạn'] } });
    assert.equal(ct06.body.status, 'refused');
    assert.equal(ct06.body.steps.at(-1).form, 'CT06');
    assert.equal((await approve(s, app.applicationId, 409)).code, 'APPLICATION_STATE_CONFLICT');
    assert.equal((await get(s, `/citizens/${em}/residence/history`)).registrations.length, 0);
  });

  test('officers list what is due and what is overdue', async () => {
    const app = await submit(s, 'permanent-registrations', { personalId: em, address: NGOC_HA, lawfulResidence: OWNED });
    const open = await get(s, '/residence/applications?view=open');
    assert.ok(open.items.some((i: any) => i.applicationId === app.applicationId));
    assert.equal((await get(s, '/residence/applications?view=overdue')).items.length, 0);
    s.clock.set('2026-06-10T10:00:00.000Z'); // the due day, 17:00 local: due today
    assert.equal((await get(s, `/residence/applications/${app.applicationId}`)).deadline.status, 'due_today');
    assert.ok((await get(s, '/residence/applications?view=due')).items.some((i: any) => i.applicationId === app.applicationId));
    s.clock.set('2026-06-10T17:30:00.000Z'); // 00:30 on the 11th local: overdue
    const overdue = await get(s, '/residence/applications?view=overdue');
    assert.deepEqual(overdue.items.map((i: any) => [i.applicationId, i.deadline.status]), [[app.applicationId, 'overdue']]);
    const done = await approve(s, app.applicationId);
    assert.equal(done.deadline.status, 'missed');
  });

  test('a Saturday-morning filing counts that day; the afternoon counts from Monday', async () => {
    s.clock.set('2026-06-06T03:00:00.000Z'); // Saturday 10:00
    const morning = await submit(s, 'temporary-registrations', { personalId: phuong, address: NGOC_HA, validUntil: '2027-06-01', lawfulResidence: OWNED });
    assert.equal(morning.receivedOn, '2026-06-06');
    assert.equal(morning.deadline.day, '2026-06-10');
    await s.call('POST', `/residence/applications/${morning.applicationId}/refusal`, { token: s.tokens.officer, body: { reasons: ['Thử nghiệm'] } });
    s.clock.set('2026-06-06T07:00:00.000Z'); // Saturday 14:00
    const afternoon = await submit(s, 'temporary-registrations', { personalId: phuong, address: NGOC_HA, validUntil: '2027-06-01', lawfulResidence: OWNED });
    assert.equal(afternoon.receivedOn, '2026-06-08');
    assert.equal(afternoon.deadline.day, '2026-06-11');
    await s.call('POST', `/residence/applications/${afternoon.applicationId}/refusal`, { token: s.tokens.officer, body: { reasons: ['Thử nghiệm'] } });
  });
});

describe('temporary registration and extension', () => {
  test('refusals: a last day before the first, over 2 years, in the commune of permanent residence', async () => {
    const base = { personalId: dung, lawfulResidence: OWNED };
    assert.equal((await submit(s, 'temporary-registrations', { ...base, address: NGOC_HA, validUntil: '2026-05-31' }, 400)).code, 'VALIDATION_FAILED');
    assert.equal((await submit(s, 'temporary-registrations', { ...base, address: NGOC_HA, validUntil: '2028-06-02' }, 400)).code, 'TEMPORARY_VALIDITY_TOO_LONG');
    assert.equal((await submit(s, 'temporary-registrations', { ...base, address: { ...HANG_BAC, detail: 'Số 40 Hàng Bạc' }, validUntil: '2027-01-01' }, 409)).code, 'SAME_COMMUNE_AS_PERMANENT');
    const bad = await submit(s, 'temporary-registrations', { ...base, address: { country: 'VN', unitSet: '2025', unitCode: '01' , detail: 'x' }, validUntil: '2027-01-01' }, 400);
    assert.equal(bad.code, 'ADDRESS_NOT_A_COMMUNE');
  });

  test('registered for 2 years at most, extended within the last 15 days, expired by the clock alone', async () => {
    const done = await granted(s, 'temporary-registrations', { personalId: dung, address: NGOC_HA, validUntil: '2026-12-31', lawfulResidence: { kind: 'rented', ownerPersonalId: phuong }, consents: [consent('owner', phuong)] });
    assert.deepEqual(done.outcome, { registration: 2, validFrom: '2026-06-01', validUntil: '2026-12-31' });
    const cur = await get(s, `/citizens/${dung}/residence`);
    assert.equal(cur.temporary.status, 'active');
    assert.equal(cur.livesAt.basis, 'temporary');
    assert.equal((await get(s, `/citizens/${dung}`)).temporaryResidence.unitCode, '00008');
    assert.equal((await submit(s, 'temporary-extensions', { personalId: dung, validUntil: '2027-06-30' }, 409)).code, 'EXTENSION_WINDOW_CLOSED');
    s.clock.set('2026-12-20T03:00:00.000Z');
    assert.equal((await submit(s, 'temporary-extensions', { personalId: dung, validUntil: '2029-01-02' }, 400)).code, 'TEMPORARY_VALIDITY_TOO_LONG');
    const ext = await granted(s, 'temporary-extensions', { personalId: dung, validUntil: '2027-06-30' });
    assert.equal(ext.outcome.previousValidUntil, '2026-12-31');
    s.clock.set('2027-07-01T03:00:00.000Z');
    const later = await get(s, `/citizens/${dung}/residence`);
    assert.equal(later.temporary, undefined);
    assert.equal(later.expiredTemporary.status, 'expired');
    assert.equal(later.livesAt.basis, 'permanent');
    assert.equal((await submit(s, 'temporary-extensions', { personalId: dung, validUntil: '2027-12-30' }, 409)).code, 'NO_ACTIVE_TEMPORARY_RESIDENCE');
  });
});

describe('stay notice and absence declaration', () => {
  test('a stay notice is recorded at once, with its time rule', async () => {
    const onTime = await submit(s, 'stay-notices', { personalId: phuong, host: { fullName: 'Trần Văn An', personalId: an }, address: HANG_BAC, arrivalAt: '2026-06-01T14:00:00+07:00', departureOn: '2026-06-05' });
    assert.equal(onTime.status, 'approved');
    assert.equal(onTime.outcome.onTime, true);
    assert.equal(onTime.deadline, undefined);
    const late = await submit(s, 'stay-notices', { personalId: phuong, host: { fullName: 'Trần Văn An' }, address: HANG_BAC, arrivalAt: '2026-05-30T10:00:00+07:00', departureOn: '2026-06-05' });
    assert.equal(late.outcome.onTime, false);
    const long = await submit(s, 'stay-notices', { personalId: phuong, host: { fullName: 'Trần Văn An' }, address: HANG_BAC, arrivalAt: '2026-06-01T10:00:00+07:00', departureOn: '2026-06-30' }, 400);
    assert.equal(long.code, 'STAY_TOO_LONG');
    const h = await get(s, `/citizens/${phuong}/residence/history`);
    assert.deepEqual(h.stayNotices.map((n: any) => n.onTime), [true, false]);
    assert.equal(h.events.length, 0, 'a stay notice is not a change of the stayer\'s residence');
  });

  test('absence declaration: 1 working day; grounds that need the authority\'s written consent', async () => {
    const body = { personalId: dung, ground: 'accused_on_bail', from: '2026-06-03', until: '2026-06-20', destination: NGOC_HA };
    assert.equal((await submit(s, 'absence-declarations', body, 400)).code, 'AUTHORITY_CONSENT_REQUIRED');
    const unregistered = await person(s, 'Đỗ Văn Giang', '1980-08-08');
    assert.equal((await submit(s, 'absence-declarations', { ...body, personalId: unregistered, authorityConsent: 'x' }, 409)).code, 'NOT_REGISTERED');
    const app = await submit(s, 'absence-declarations', { ...body, authorityConsent: 'Văn bản số 12/CV-VKS ngày 01/06/2026' });
    assert.deepEqual(app.deadline, { day: '2026-06-02', by: 'end_of_day', status: 'due_soon' });
    await approve(s, app.applicationId);
    s.clock.set('2026-06-05T03:00:00.000Z');
    const cur = await get(s, `/citizens/${dung}/residence`);
    assert.equal(cur.absence.kind, 'absence');
    assert.equal(cur.absence.details.ground, 'accused_on_bail');
  });

  test('residence fields of the record change only through a procedure', async () => {
    const c = await get(s, `/citizens/${an}`);
    const r = await s.call('PATCH', `/citizens/${an}`, { token: s.tokens.officer, headers: { 'if-match': `"${c.version}"` }, body: { changes: { permanentResidence: NGOC_HA }, reason: 'Chuyển nhà' } });
    assert.equal(r.status, 400);
    assert.equal(r.body.code, 'RESIDENCE_NEEDS_PROCEDURE');
  });
});
