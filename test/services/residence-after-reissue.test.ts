/**
 * An application filed before a personal ID is cancelled and re-issued names the cancelled number;
 * its approval finds the person under the number in use now (decision 0012, note of 2026-12-06,
 * last) instead of answering 404 CITIZEN_NOT_FOUND for ever. Both stores.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HANG_BAC, NGOC_HA, OFFICER, OWNED, residenceServices } from '../support/residence-services.js';
import { cancelPersonalId } from '../../src/services/citizens/reissue.js';
import { getApplication, type ApplicationView } from '../../src/services/residence/applications.js';

const services = residenceServices('Người Cấp Lại');
const { person, file, approve } = services;
const actor = OFFICER;
const reissue = async (pid: string) => (await cancelPersonalId(services.rt.ctx, actor, pid, undefined, { reason: 'SEX_REDETERMINED', corrections: { sex: 'male' } })).citizen.personalId;

test('a temporary registration filed under a number re-issued since: approved under the new number', async () => {
  const old = await person();
  const app = await file({ procedure: 'temporary_registration', personalId: old, address: NGOC_HA, validUntil: '2027-05-31', lawfulResidence: OWNED, consents: [] });
  const now = await reissue(old);
  assert.notEqual(now, old);

  const approved = await approve(app);

  assert.equal(approved.status, 'approved');
  assert.equal(approved.personalId, now, 'the application follows the person');
  assert.equal((await getApplication(services.rt.ctx, app.applicationId)).personalId, now);
  const regs = await services.rt.store.db.selectFrom('residence_registration').select(['personal_id', 'kind', 'address']).where('personal_id', 'in', [old, now]).execute();
  assert.deepEqual(regs.map((r) => [r.personal_id, r.kind, JSON.parse(r.address)]), [[now, 'temporary', NGOC_HA]]);
  const c = await services.rt.store.db.selectFrom('citizen').select('temporary_residence').where('personal_id', '=', now).executeTakeFirstOrThrow();
  assert.deepEqual(JSON.parse(c.temporary_residence!), NGOC_HA);
});

test('a member joins under the consent of a head whose number was re-issued since filing: the consent counts as the head\'s', async () => {
  const head = await person();
  const founded = await approve(await file({ procedure: 'permanent_registration', personalId: head, address: HANG_BAC, lawfulResidence: OWNED, consents: [] }));
  const h = founded.outcome!.householdId as string;
  const w = await person();
  const join = await file({
    procedure: 'permanent_registration', personalId: w, household: { householdId: h, relationship: 'child' }, lawfulResidence: OWNED,
    consents: [{ role: 'household_head', method: 'signature', fullName: 'Chủ hộ', personalId: head }],
  });
  const newHead = await reissue(head);

  const approved = await approve(join);

  assert.equal(approved.status, 'approved');
  const members = await services.rt.store.db.selectFrom('household_member').select(['personal_id', 'relationship']).where('household_id', '=', h).orderBy('personal_id').execute();
  assert.deepEqual(members.map((m) => `${m.personal_id} ${m.relationship}`), [`${newHead} head`, `${w} child`].sort());
});
