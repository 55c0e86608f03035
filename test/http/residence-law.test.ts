/**
 * Issue 17 over HTTP, on both stores: each refusal code the Law on Residence's conditions added, the
 * refusals it does not make (a short temporary stay, a head splitting off), and the deregistration
 * period of NĐ 58/2026 for applications received from 15/03/2026. Register: docs/legal/residence.md.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/http.js';
import { consent, get, granted, HANG_BAC, NGOC_HA, OWNED, person, submit } from '../support/residence.js';
import { DEFAULT_RESIDENCE_POLICY, residencePolicyFrom } from '../../src/domain/residence/policy.js';
import { setResidencePolicy } from '../../src/services/residence/policy.js';

let s: TestServer;
const START = '2026-06-01T08:00:00.000Z'; // Monday 1 June 2026, 15:00 in Hà Nội
let owner: string, tenant: string, traveller: string, absent: string, mover: string, head: string, wife: string, son: string;

const refuse = (app: { applicationId: string }) =>
  s.call('POST', `/residence/applications/${app.applicationId}/refusal`, { token: s.tokens.officer, body: { reasons: ['Kiểm thử'] } });

before(async () => {
  s = await startTestServer(START);
  owner = await person(s, 'Đỗ Văn Chủ', '1960-01-01');
  tenant = await person(s, 'Lý Thị Thuê', '1992-02-02', 'female');
  traveller = await person(s, 'Cao Văn Đi', '1988-03-03');
  absent = await person(s, 'Mai Văn Vắng', '1975-04-04');
  mover = await person(s, 'Tạ Văn Chuyển', '1980-05-05');
  head = await person(s, 'Kiều Văn Hộ', '1955-06-06');
  wife = await person(s, 'Lương Thị Vợ', '1958-07-07', 'female');
  son = await person(s, 'Kiều Văn Con', '1990-08-08');
  for (const p of [traveller, absent, mover]) await granted(s, 'permanent-registrations', { personalId: p, address: { ...HANG_BAC, detail: `Số ${p.slice(-3)} Hàng Bạc` }, lawfulResidence: OWNED });
});
after(async () => s.close());
beforeEach(() => s?.clock.set(START));

describe('refusals the law does not make', () => {
  test('Art. 27(1): a temporary registration of 29 days (and of 1 day) is received, not refused', async () => {
    const short = await submit(s, 'temporary-registrations', { personalId: tenant, address: NGOC_HA, validUntil: '2026-06-29', lawfulResidence: OWNED });
    assert.equal(short.status, 'submitted');
    await refuse(short);
    const oneDay = await submit(s, 'temporary-registrations', { personalId: tenant, address: NGOC_HA, validUntil: '2026-06-01', lawfulResidence: OWNED });
    assert.equal(oneDay.status, 'submitted');
    await refuse(oneDay);
  });

  test('a head leaves with the split-off group and names the head of those who stay; the household that stays has that head', async () => {
    const hh = (await granted(s, 'permanent-registrations', { personalId: head, address: { ...HANG_BAC, detail: 'Số 77 Hàng Bạc' }, lawfulResidence: OWNED })).outcome.householdId;
    for (const [p, rel] of [[wife, 'wife'], [son, 'child']] as const) {
      await granted(s, 'permanent-registrations', { personalId: p, household: { householdId: hh, relationship: rel }, lawfulResidence: OWNED, consents: [consent('household_head', head)] });
    }
    const base = { householdId: hh, lawfulResidence: OWNED, consents: [consent('household_head', head)], members: [{ personalId: head, relationship: 'head' }, { personalId: wife, relationship: 'wife' }], newHeadPersonalId: head };
    assert.equal((await submit(s, 'household-splits', base, 409)).code, 'HEAD_MUST_BE_REPLACED');
    const done = await granted(s, 'household-splits', { ...base, newHeadOfRemainingHousehold: son });
    const stays = await get(s, `/households/${hh}`);
    assert.equal(stays.headPersonalId, son);
    assert.deepEqual(stays.members.map((m: any) => [m.personalId, m.relationship]), [[son, 'head']]);
    const leaves = await get(s, `/households/${done.outcome.householdId}`);
    assert.equal(leaves.headPersonalId, head);
  });
});

describe('conditions the law states', () => {
  test('Art. 20(2), 28(1): a dwelling recorded as owned by someone else needs the owner\'s consent', async () => {
    const body = { personalId: tenant, address: NGOC_HA, validUntil: '2027-01-01', lawfulResidence: { kind: 'owned', ownerPersonalId: owner } };
    assert.equal((await submit(s, 'temporary-registrations', body, 400)).code, 'CONSENT_REQUIRED');
    await refuse(await submit(s, 'temporary-registrations', { ...body, consents: [consent('owner', owner)] }));
  });

  test('Art. 20(3)(b): 8 m² of floor per person in a rented dwelling: 7.9 m² refused, 8 m² received; the area is required', async () => {
    const body = (floorAreaM2?: number) => ({
      personalId: tenant, address: { ...NGOC_HA, detail: 'Phòng 2, số 9 Đội Cấn' },
      lawfulResidence: { kind: 'rented', ownerPersonalId: owner, ...(floorAreaM2 === undefined ? {} : { floorAreaM2 }) }, consents: [consent('owner', owner)],
    });
    assert.equal((await submit(s, 'permanent-registrations', body(7.9), 409)).code, 'FLOOR_AREA_BELOW_MINIMUM');
    const bad = await submit(s, 'permanent-registrations', body(), 400);
    assert.equal(bad.code, 'VALIDATION_FAILED');
    await refuse(await submit(s, 'permanent-registrations', body(8)));
  });

  test('Art. 24(1)(d): no deregistration for absence while temporarily registered elsewhere, after declaring the absence, or when excepted', async () => {
    const since = '2025-05-01';
    const dereg = (personalId: string, extra: object = {}) => ({ personalId, kind: 'permanent', reason: 'absence', absentSince: since, ...extra });
    await granted(s, 'temporary-registrations', { personalId: traveller, address: NGOC_HA, validUntil: '2027-06-01', lawfulResidence: OWNED });
    assert.equal((await submit(s, 'deregistrations', dereg(traveller), 409)).code, 'ABSENCE_COVERED_BY_TEMPORARY_REGISTRATION');
    await granted(s, 'absence-declarations', { personalId: absent, ground: 'other_long_absence', from: '2026-06-01', until: '2027-06-01' });
    assert.equal((await submit(s, 'deregistrations', dereg(absent), 409)).code, 'ABSENCE_DECLARED');
    assert.equal((await submit(s, 'deregistrations', dereg(mover, { absenceException: 'abroad_not_to_settle' }), 409)).code, 'ABSENCE_EXCEPTED');
    assert.equal((await submit(s, 'deregistrations', dereg(mover, { absenceException: 'serving_prison_sentence' }), 409)).code, 'ABSENCE_EXCEPTED');
  });

  test('Art. 24(1)(e), (g), (h), (i): 12 months after the lease or the transfer, the new owner\'s consent, the decision', async () => {
    const base = { personalId: mover, kind: 'permanent' };
    // 1 June 2025 + 12 months = 1 June 2026: the day before is refused, the day itself is received
    assert.equal((await submit(s, 'deregistrations', { ...base, reason: 'rental_ended', tenancyEndedOn: '2025-06-02' }, 409)).code, 'TENANCY_END_WAIT_NOT_OVER');
    assert.equal((await submit(s, 'deregistrations', { ...base, reason: 'ownership_transferred', ownershipTransferredOn: '2025-06-02' }, 409)).code, 'OWNERSHIP_TRANSFER_WAIT_NOT_OVER');
    assert.equal((await submit(s, 'deregistrations', { ...base, reason: 'ownership_transferred', ownershipTransferredOn: '2025-01-01', ownerAgreesToKeepRegistration: true }, 409)).code, 'OWNER_AGREED_TO_KEEP_REGISTRATION');
    assert.equal((await submit(s, 'deregistrations', { ...base, reason: 'rental_ended_no_consent', tenancyEndedOn: '2026-05-30', ownerAgreesToKeepRegistration: true }, 409)).code, 'OWNER_AGREED_TO_KEEP_REGISTRATION');
    assert.equal((await submit(s, 'deregistrations', { ...base, reason: 'dwelling_demolished_or_confiscated' }, 409)).code, 'DWELLING_DECISION_REQUIRED');
    assert.equal((await submit(s, 'deregistrations', { ...base, reason: 'rental_ended' }, 400)).code, 'VALIDATION_FAILED');
    const onTheDay = await submit(s, 'deregistrations', { ...base, reason: 'rental_ended', tenancyEndedOn: '2025-06-01' });
    // NĐ 58/2026: a deregistration received on Monday 1 June 2026 is due in 1 working day
    assert.deepEqual(onTheDay.deadline, { day: '2026-06-02', by: 'end_of_day', status: 'due_soon' });
    await refuse(onTheDay);
    const demolished = await submit(s, 'deregistrations', { ...base, reason: 'dwelling_demolished_or_confiscated', dwellingDecision: 'QĐ 15/QĐ-UBND ngày 02/03/2026' });
    await refuse(demolished);
  });
});

describe('Art. 23, 25(1)(c), 27(3): the category of places closed to new registration', () => {
  test('an officer closes a place on a decision; registration there is refused until it is lifted, whatever the spelling of the detail', async () => {
    const place = { ...NGOC_HA, detail: 'Số 99 phố Đội Cấn' };
    const added = await s.call('POST', '/residence/prohibited-places', { token: s.tokens.officer, body: { address: place, ground: 'demolition_ordered', decision: 'QĐ 15/QĐ-UBND ngày 02/03/2026', validFrom: '2026-06-01' } });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    const id = added.body.placeId as string;
    assert.match(id, /^DD-[0-9A-Z]{10}$/);
    // temporary registration at the same place written another way: refused with the clause and the decision
    const spelled = { ...place, detail: '  so 99 PHO  doi can ' };
    const refused = await submit(s, 'temporary-registrations', { personalId: tenant, address: spelled, validUntil: '2027-01-01', lawfulResidence: OWNED }, 409);
    assert.equal(refused.code, 'PLACE_NOT_REGISTRABLE');
    assert.equal((await submit(s, 'permanent-registrations', { personalId: tenant, address: place, lawfulResidence: OWNED }, 409)).code, 'PLACE_NOT_REGISTRABLE');
    // the house next door is not closed
    await refuse(await submit(s, 'temporary-registrations', { personalId: tenant, address: { ...place, detail: 'Số 101 phố Đội Cấn' }, validUntil: '2027-01-01', lawfulResidence: OWNED }));
    const list = await get(s, '/residence/prohibited-places?unitSet=2025&unitCode=00008');
    assert.deepEqual(list.items.map((p: any) => [p.placeId, p.ground, p.inForce]), [[id, 'demolition_ordered', true]]);
    // lifted from 2 June: still closed on 1 June (the day before), open from 2 June (the day of)
    const lifted = await s.call('POST', `/residence/prohibited-places/${id}/lifting`, { token: s.tokens.officer, body: { liftedOn: '2026-06-02', decision: 'QĐ 20/QĐ-UBND' } });
    assert.equal(lifted.status, 200, JSON.stringify(lifted.body));
    // who lifted it, and when, is on the entry (the clock of the test server)
    const row = await s.runtime.store.db.selectFrom('residence_prohibited_place').select(['lifted_by', 'lifted_at', 'recorded_by']).where('place_id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.lifted_at, s.clock.now().toISOString());
    assert.equal(row.lifted_by, row.recorded_by, 'the same officer added and lifted it');
    assert.ok(row.lifted_by);
    assert.equal((await submit(s, 'temporary-registrations', { personalId: tenant, address: place, validUntil: '2027-01-01', lawfulResidence: OWNED }, 409)).code, 'PLACE_NOT_REGISTRABLE');
    s.clock.set('2026-06-02T02:00:00.000Z');
    await refuse(await submit(s, 'temporary-registrations', { personalId: tenant, address: place, validUntil: '2027-01-01', lawfulResidence: OWNED }));
    const again = await s.call('POST', `/residence/prohibited-places/${id}/lifting`, { token: s.tokens.officer, body: { liftedOn: '2026-06-03', decision: 'x' } });
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'PLACE_ALREADY_LIFTED');
    const unknown = await s.call('POST', '/residence/prohibited-places/DD-0000000000/lifting', { token: s.tokens.officer, body: { liftedOn: '2026-06-03', decision: 'x' } });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 'PLACE_NOT_FOUND');
  });

  test('a split at a closed household address is refused; an entry needs a commune and a detail; inspectors may read, not write', async () => {
    const hh = (await get(s, `/citizens/${son}/household`)).householdId as string;
    const h = await get(s, `/households/${hh}`);
    const added = await s.call('POST', '/residence/prohibited-places', { token: s.tokens.officer, body: { address: h.place.address, ground: 'land_recovered_or_disputed', decision: 'QĐ thu hồi đất 7/2026', validFrom: '2026-05-01' } });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    const refused = await submit(s, 'household-splits', { householdId: hh, lawfulResidence: OWNED, consents: [consent('household_head', son)], members: [{ personalId: son, relationship: 'head' }], newHeadPersonalId: son }, 409);
    assert.ok(['PLACE_NOT_REGISTRABLE', 'SPLIT_LEAVES_NOBODY'].includes(refused.code));
    assert.ok(refused.errors.some((e: any) => e.code === 'PLACE_NOT_REGISTRABLE'), JSON.stringify(refused));
    const noDetail = await s.call('POST', '/residence/prohibited-places', { token: s.tokens.officer, body: { address: { unitSet: '2025', unitCode: '00008' }, ground: 'prohibited_area', decision: 'x', validFrom: '2026-05-01' } });
    assert.equal(noDetail.body.code, 'ADDRESS_NOT_A_COMMUNE');
    const inspector = await s.call('POST', '/residence/prohibited-places', { token: s.tokens.inspector, body: { address: NGOC_HA, ground: 'prohibited_area', decision: 'x', validFrom: '2026-05-01' } });
    assert.equal(inspector.status, 403);
    assert.equal((await s.call('GET', '/residence/prohibited-places?unitSet=2025&unitCode=00004', { token: s.tokens.inspector })).status, 200);
  });
});

describe('policy the law leaves open, as an operator configures it', () => {
  test('a 30-day minimum stay, a head kept back and Hà Nội\'s 15 m²: refused with their codes; the defaults again refuse none of them', async () => {
    setResidencePolicy(s.runtime.ctx, residencePolicyFrom({ minTemporaryStayDays: 30, headMaySplitOff: false, floorAreaM2ByProvince: { '01': 15 } }));
    try {
      const stay = (validUntil: string, expect?: number) => submit(s, 'temporary-registrations', { personalId: tenant, address: NGOC_HA, validUntil, lawfulResidence: OWNED }, expect);
      assert.equal((await stay('2026-06-29', 400)).code, 'STAY_TOO_SHORT'); // 29 days: the day before
      await refuse(await stay('2026-06-30')); // 30 days: the day of
      const rented = (floorAreaM2: number, expect?: number) => submit(s, 'permanent-registrations', {
        personalId: tenant, address: { ...HANG_BAC, detail: 'Số 3 Hàng Bạc' }, lawfulResidence: { kind: 'rented', ownerPersonalId: owner, floorAreaM2 }, consents: [consent('owner', owner)],
      }, expect);
      assert.equal((await rented(14.9, 409)).code, 'FLOOR_AREA_BELOW_MINIMUM');
      await refuse(await rented(15));
      const first = await person(s, 'Phan Văn Đầu', '1970-01-01');
      const other = await person(s, 'Phan Thị Cháu', '2000-01-01', 'female');
      const hh = (await granted(s, 'permanent-registrations', { personalId: first, address: { ...HANG_BAC, detail: 'Số 88 Hàng Bạc' }, lawfulResidence: OWNED })).outcome.householdId;
      await granted(s, 'permanent-registrations', { personalId: other, household: { householdId: hh, relationship: 'grandchild' }, lawfulResidence: OWNED, consents: [consent('household_head', first)] });
      const split = { householdId: hh, lawfulResidence: OWNED, consents: [consent('household_head', first)], members: [{ personalId: first, relationship: 'head' }], newHeadPersonalId: first, newHeadOfRemainingHousehold: other };
      assert.equal((await submit(s, 'household-splits', split, 409)).code, 'HEAD_CANNOT_SPLIT_OFF');
    } finally {
      setResidencePolicy(s.runtime.ctx, DEFAULT_RESIDENCE_POLICY);
    }
    await refuse(await submit(s, 'temporary-registrations', { personalId: tenant, address: NGOC_HA, validUntil: '2026-06-29', lawfulResidence: OWNED }));
  });
});

describe('Art. 30: close relatives who stay repeatedly notify once', () => {
  test('a grandmother\'s notice for repeated stays covers her later stays with the same host there; another host, or a friend, is not covered', async () => {
    const gran = await person(s, 'Lê Thị Bà', '1945-01-01', 'female');
    const friend = await person(s, 'Hồ Văn Bạn', '1990-01-01');
    const host = { fullName: 'Đỗ Văn Chủ', personalId: owner };
    const place = { ...HANG_BAC, detail: 'Số 21 Hàng Bạc' };
    const first = await submit(s, 'stay-notices', { personalId: gran, host, address: place, arrivalAt: '2026-06-01T14:00:00+07:00', departureOn: '2026-06-03', closeRelative: 'grandparent', repeated: true });
    assert.equal(first.outcome.onTime, true);
    assert.equal(first.outcome.coveredByNotice, undefined);
    // a later stay, told days after arrival: already notified once, so not late; the detail spelled otherwise is the same place
    const later = await submit(s, 'stay-notices', { personalId: gran, host, address: { ...place, detail: 'so 21 hang bac' }, arrivalAt: '2026-05-20T10:00:00+07:00', departureOn: '2026-06-10' });
    assert.equal(later.outcome.onTime, true);
    assert.equal(later.outcome.coveredByNotice, first.outcome.stayNotice);
    const elsewhere = await submit(s, 'stay-notices', { personalId: gran, host: { fullName: 'Người Khác' }, address: NGOC_HA, arrivalAt: '2026-05-20T10:00:00+07:00', departureOn: '2026-06-10' });
    assert.equal(elsewhere.outcome.onTime, false);
    assert.equal(elsewhere.outcome.coveredByNotice, undefined);
    const notRelative = await submit(s, 'stay-notices', { personalId: friend, host, address: place, arrivalAt: '2026-06-01T14:00:00+07:00', departureOn: '2026-06-03', repeated: true }, 400);
    assert.equal(notRelative.code, 'REPEATED_NOTICE_NOT_CLOSE_RELATIVE');
    const h = await get(s, `/citizens/${gran}/residence/history`);
    assert.deepEqual(h.stayNotices.map((n: any) => [n.host.closeRelative ?? null, n.host.repeated ?? null, n.onTime]), [['grandparent', true, true], [null, null, true], [null, null, false]]);
  });
});
