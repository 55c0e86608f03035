/**
 * The household register over HTTP: split with its conditions, adjustment (head, relationship,
 * identity data, address), deregistration on its legal grounds, death deregistering on its own,
 * the household's history, the questions other systems ask, and re-issue of a personal ID.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/http.js';
import { consent, get, granted, HANG_BAC, NGOC_HA, OWNED, person, submit } from '../support/residence.js';

let s: TestServer;
let head: string, wife: string, son: string, daughter: string, lodger: string;
let household: string;
const START = '2026-06-01T08:00:00.000Z';

before(async () => {
  s = await startTestServer(START);
  head = await person(s, 'Hoàng Văn Hải', '1965-03-03');
  wife = await person(s, 'Ngô Thị Hoa', '1968-07-07', 'female');
  son = await person(s, 'Hoàng Văn Khánh', '1995-12-12');
  daughter = await person(s, 'Hoàng Thị Lan', '2015-01-15', 'female');
  lodger = await person(s, 'Đinh Văn Minh', '1990-10-10');
  household = (await granted(s, 'permanent-registrations', { personalId: head, address: HANG_BAC, lawfulResidence: OWNED })).outcome.householdId;
  const join = (personalId: string, relationship: string, extra: unknown[] = []) =>
    granted(s, 'permanent-registrations', { personalId, household: { householdId: household, relationship }, lawfulResidence: OWNED, consents: [consent('household_head', head), ...extra] });
  await join(wife, 'wife');
  await join(son, 'child');
  await join(daughter, 'child', [consent('parent_guardian', wife)]);
  await join(lodger, 'not_related');
});
after(async () => s.close());
beforeEach(() => s?.clock.set(START));

const members = async (id: string) => Object.fromEntries((await get(s, `/households/${id}`)).members.map((m: any) => [m.personalId, m.relationship]));

describe('questions other systems ask', () => {
  test('confirmHouseholdHead: by household and by a member; yes or no only', async () => {
    const q = (query: string) => get(s, `/residence/household-head-confirmation?${query}`);
    assert.deepEqual(await q(`personalId=${head}&householdId=${household}`), { personalId: head, isHead: true, householdId: household });
    assert.equal((await q(`personalId=${wife}&householdId=${household}`)).isHead, false);
    assert.equal((await q(`personalId=${head}&memberPersonalId=${daughter}`)).isHead, true);
    const unknown = await s.call('GET', `/residence/household-head-confirmation?personalId=${head}&householdId=HS00004ZZZZZZZZ`, { token: s.tokens.officer });
    assert.equal(unknown.body.code, 'HOUSEHOLD_NOT_FOUND');
  });

  test('getHousehold lists members with their relationship in Vietnamese; getResidenceHistory shows every registration', async () => {
    const h = await get(s, `/citizens/${daughter}/household`);
    assert.equal(h.householdId, household);
    assert.equal(h.residenceFileNumber, household);
    assert.equal(h.place.today.text, 'Số 12 phố Hàng Bạc, Phường Ba Đình, Thành phố Hà Nội');
    assert.deepEqual(h.members.map((m: any) => m.relationshipName), ['Chủ hộ', 'Vợ', 'Con', 'Con', 'Không có quan hệ gia đình']);
    assert.equal(h.members[1].fullName, 'Ngô Thị Hoa');
    const history = await get(s, `/citizens/${son}/residence/history`);
    assert.deepEqual(history.registrations.map((r: any) => [r.kind, r.status, r.householdId]), [['permanent', 'active', household]]);
    assert.equal(history.events[0].kind, 'permanent_registered');
  });
});

describe('household split', () => {
  test('refusals: a head who splits off names who heads those who stay, nobody of full capacity, no consent', async () => {
    const base = { householdId: household, lawfulResidence: OWNED, consents: [consent('household_head', head)] };
    assert.equal((await submit(s, 'household-splits', { ...base, members: [{ personalId: head, relationship: 'head' }], newHeadPersonalId: head }, 409)).code, 'HEAD_MUST_BE_REPLACED');
    assert.equal((await submit(s, 'household-splits', { ...base, members: [{ personalId: daughter, relationship: 'head' }], newHeadPersonalId: daughter }, 409)).code, 'NO_FULL_CIVIL_CAPACITY');
    assert.equal((await submit(s, 'household-splits', { ...base, consents: [], members: [{ personalId: son, relationship: 'head' }], newHeadPersonalId: son }, 400)).code, 'CONSENT_REQUIRED');
    assert.equal((await submit(s, 'household-splits', { ...base, members: [{ personalId: son, relationship: 'child' }], newHeadPersonalId: son }, 400)).code, 'RELATIONSHIP_INVALID');
    const outsider = await person(s, 'Bùi Văn Nam', '1980-01-01');
    assert.equal((await submit(s, 'household-splits', { ...base, members: [{ personalId: outsider, relationship: 'head' }], newHeadPersonalId: outsider }, 409)).code, 'NOT_A_HOUSEHOLD_MEMBER');
    assert.deepEqual(Object.keys(await members(household)).length, 5);
  });

  test('the son leaves with a new household at the same address: 5 working days, both histories', async () => {
    const app = await submit(s, 'household-splits', { householdId: household, members: [{ personalId: son, relationship: 'head' }], newHeadPersonalId: son, lawfulResidence: OWNED, consents: [consent('household_head', head)] });
    assert.equal(app.deadline.day, '2026-06-08');
    assert.equal(app.personalId, son);
    const done = (await s.call('POST', `/residence/applications/${app.applicationId}/approval`, { token: s.tokens.officer, body: {} })).body;
    const created = done.outcome.householdId;
    assert.notEqual(created, household);
    assert.deepEqual(await members(created), { [son]: 'head' });
    assert.equal((await members(household))[son], undefined);
    const old = await get(s, `/households/${household}/history`);
    const last = old.entries.at(-1);
    assert.equal(last.kind, 'split');
    assert.deepEqual(last.changes[`member:${son}`], ['child', null]);
    assert.equal(last.applicationId, app.applicationId);
    const cur = await get(s, `/citizens/${son}/residence`);
    assert.deepEqual(cur.household, { householdId: created, relationship: 'head', relationshipName: 'Chủ hộ' });
  });

  test('a divorced spouse who keeps the dwelling needs no consent (with the court decision)', async () => {
    const body = { householdId: household, members: [{ personalId: wife, relationship: 'head' }, { personalId: daughter, relationship: 'child' }], newHeadPersonalId: wife, lawfulResidence: OWNED, consents: [] };
    assert.equal((await submit(s, 'household-splits', { ...body, divorcedSpouseKeepsDwelling: true }, 400)).code, 'CONSENT_REQUIRED');
    const app = await submit(s, 'household-splits', { ...body, divorcedSpouseKeepsDwelling: true, divorceDecision: 'Bản án 12/2026/HNGĐ-ST' });
    await s.call('POST', `/residence/applications/${app.applicationId}/refusal`, { token: s.tokens.officer, body: { reasons: ['Bản án chưa có hiệu lực pháp luật'] } });
  });
});

describe('adjustment, deregistration and death', () => {
  test('change of relationship, then of head (the outgoing head consents and gets a relationship)', async () => {
    await granted(s, 'adjustments', { householdId: household, adjustment: { kind: 'change_relationship', personalId: lodger, relationship: 'other_relative' } });
    assert.equal((await members(household))[lodger], 'other_relative');
    assert.equal((await get(s, `/citizens/${lodger}/residence`)).household.relationship, 'other_relative');
    const noRel = await submit(s, 'adjustments', { householdId: household, adjustment: { kind: 'change_head', newHeadPersonalId: wife, relationships: [] }, consents: [consent('household_head', head)] }, 400);
    assert.equal(noRel.code, 'RELATIONSHIP_INVALID');
    await granted(s, 'adjustments', { householdId: household, adjustment: { kind: 'change_head', newHeadPersonalId: wife, relationships: [{ personalId: head, relationship: 'husband' }] }, consents: [consent('household_head', head)] });
    assert.deepEqual(await members(household), { [head]: 'husband', [wife]: 'head', [daughter]: 'child', [lodger]: 'other_relative' });
    const h = await get(s, `/households/${household}`);
    assert.equal(h.headPersonalId, wife);
  });

  test('identity data and address renaming: the old address stays in the history as registered', async () => {
    await granted(s, 'adjustments', { householdId: household, adjustment: { kind: 'identity_data', personalId: lodger, fields: ['fullName'] } });
    const renamed = { ...HANG_BAC, detail: 'Số 12A phố Hàng Bạc' };
    await granted(s, 'adjustments', { householdId: household, adjustment: { kind: 'rename_address', address: renamed } });
    const history = await get(s, `/citizens/${daughter}/residence/history`);
    assert.deepEqual(history.registrations.map((r: any) => [r.place.address.detail, r.status, r.endReason ?? null]), [
      ['Số 12 phố Hàng Bạc', 'ended', 'address_renamed'],
      ['Số 12A phố Hàng Bạc', 'active', null],
    ]);
    assert.equal((await get(s, `/citizens/${daughter}`)).permanentResidence.detail, 'Số 12A phố Hàng Bạc');
    assert.equal((await get(s, `/households/${household}`)).place.address.detail, 'Số 12A phố Hàng Bạc');
  });

  test('deregistration on legal grounds: reason must fit, absence must be long enough', async () => {
    const base = { personalId: lodger, kind: 'permanent' };
    assert.equal((await submit(s, 'deregistrations', { ...base, reason: 'permanent_here' }, 400)).code, 'DEREGISTRATION_REASON_NOT_APPLICABLE');
    assert.equal((await submit(s, 'deregistrations', { ...base, reason: 'absence', absentSince: '2026-01-01' }, 409)).code, 'ABSENCE_TOO_SHORT');
    assert.equal((await submit(s, 'deregistrations', { ...base, reason: 'death' }, 409)).code, 'LIFE_EVENT_NOT_RECORDED');
    assert.equal((await submit(s, 'deregistrations', { ...base, kind: 'temporary', reason: 'rental_ended' }, 409)).code, 'NOT_REGISTERED');
    await granted(s, 'deregistrations', { ...base, reason: 'absence', absentSince: '2025-05-31' });
    assert.equal((await members(household))[lodger], undefined);
    assert.equal((await get(s, `/citizens/${lodger}`)).permanentResidence, undefined);
    const cur = await get(s, `/citizens/${lodger}/residence`);
    assert.equal(cur.permanent, undefined);
    const reg = (await get(s, `/citizens/${lodger}/residence/history`)).registrations.at(-1);
    assert.equal(reg.endReason, 'absence');
    assert.match(reg.endReasonName, /Vắng mặt/);
  });

  test('recording the head\'s death deregisters her and leaves the headship vacant until adjusted', async () => {
    await granted(s, 'temporary-registrations', { personalId: wife, address: NGOC_HA, validUntil: '2027-01-01', lawfulResidence: OWNED });
    const d = await s.call('POST', `/citizens/${wife}/death`, { token: s.tokens.officer, body: { dateOfDeath: '2026-05-30' } });
    assert.equal(d.status, 200, JSON.stringify(d.body));
    assert.equal(d.body.permanentResidence, undefined);
    assert.equal(d.body.temporaryResidence, undefined);
    const regs = (await get(s, `/citizens/${wife}/residence/history`)).registrations;
    assert.deepEqual(regs.filter((r: any) => r.endedOn === '2026-05-30' || r.endReason === 'death').map((r: any) => [r.kind, r.endReason]), [['permanent', 'death'], ['temporary', 'death']]);
    const h = await get(s, `/households/${household}`);
    assert.equal(h.headPersonalId, null);
    assert.equal((await members(household))[wife], undefined);
    // Nobody can join a household without a head; naming one needs no consent from the deceased.
    const joiner = await person(s, 'Lý Văn Phúc', '1999-09-09');
    assert.equal((await submit(s, 'permanent-registrations', { personalId: joiner, household: { householdId: household, relationship: 'other_relative' }, lawfulResidence: OWNED }, 409)).code, 'HOUSEHOLD_HEAD_VACANT');
    await granted(s, 'adjustments', { householdId: household, adjustment: { kind: 'change_head', newHeadPersonalId: head, relationships: [{ personalId: daughter, relationship: 'child' }] } });
    assert.equal((await get(s, `/households/${household}`)).headPersonalId, head);
  });

  test('a re-issued personal ID carries the residence with it', async () => {
    const c = await get(s, `/citizens/${daughter}`);
    const r = await s.call('POST', `/citizens/${daughter}/personal-id-cancellation`, { token: s.tokens.officer, headers: { 'if-match': `"${c.version}"` }, body: { reason: 'BIRTH_YEAR_CORRECTED', corrections: { dateOfBirth: '2014-01-15' } } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const newId = r.body.citizen.personalId;
    assert.notEqual(newId, daughter);
    const m = await members(household);
    assert.equal(m[newId], 'child');
    assert.equal(m[daughter], undefined);
    const byOld = await get(s, `/citizens/${daughter}/residence`);
    assert.equal(byOld.personalId, newId);
    assert.deepEqual(byOld.resolvedFrom, [daughter]);
    assert.equal(byOld.permanent.status, 'active');
  });
});
