/**
 * An application filed before a personal ID is cancelled and re-issued names the cancelled number;
 * its approval finds the person under the number in use now (decision 0012, note of 2026-12-06,
 * last) instead of answering 404 CITIZEN_NOT_FOUND for ever. Both stores.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestRuntime, type TestRuntime } from '../support/store.js';
import { fixedClock } from '../../src/services/clock.js';
import { registerBirth } from '../../src/services/citizens/register.js';
import { cancelPersonalId } from '../../src/services/citizens/reissue.js';
import { approveApplication, getApplication, submitApplication, type ApplicationView } from '../../src/services/residence/applications.js';
import type { ResidenceRequest } from '../../src/domain/residence/requests.js';
import type { Actor } from '../../src/services/context.js';

const clock = fixedClock('2026-06-01T03:00:00.000Z');
const actor: Actor = { principalId: 'test-officer', role: 'officer' };
const HANG_BAC = { country: 'VN', unitSet: '2025', unitCode: '00004', detail: 'Số 3 Hàng Bạc' } as const;
const DOI_CAN = { country: 'VN', unitSet: '2025', unitCode: '00008', detail: 'Số 9 Đội Cấn' } as const;
const OWNED = { kind: 'owned' } as const;

let rt: TestRuntime;
before(async () => {
  rt = await openTestRuntime(clock);
});
after(async () => rt.dropDatabase());

let born = 0;
async function person(): Promise<string> {
  const c = await registerBirth(rt.ctx, actor, {
    fullName: `Người Cấp Lại ${born++}`, dateOfBirth: '1990-07-08', sex: 'female', ethnicity: '01', nationality: 'VN',
    birthRegistrationPlace: { country: 'VN', unitSet: 'pre2025', unitCode: '00004', detail: 'UBND' },
  });
  return c.personalId;
}

const file = (r: ResidenceRequest) => submitApplication(rt.ctx, rt.catalogue, actor, r);
const approve = (app: ApplicationView) => approveApplication(rt.ctx, rt.catalogue, actor, app.applicationId);
const reissue = async (pid: string) => (await cancelPersonalId(rt.ctx, actor, pid, undefined, { reason: 'SEX_REDETERMINED', corrections: { sex: 'male' } })).citizen.personalId;

test('a temporary registration filed under a number re-issued since: approved under the new number', async () => {
  const old = await person();
  const app = await file({ procedure: 'temporary_registration', personalId: old, address: DOI_CAN, validUntil: '2027-05-31', lawfulResidence: OWNED, consents: [] });
  const now = await reissue(old);
  assert.notEqual(now, old);

  const approved = await approve(app);

  assert.equal(approved.status, 'approved');
  assert.equal(approved.personalId, now, 'the application follows the person');
  assert.equal((await getApplication(rt.ctx, app.applicationId)).personalId, now);
  const regs = await rt.store.db.selectFrom('residence_registration').select(['personal_id', 'kind', 'address']).where('personal_id', 'in', [old, now]).execute();
  assert.deepEqual(regs.map((r) => [r.personal_id, r.kind, JSON.parse(r.address)]), [[now, 'temporary', DOI_CAN]]);
  const c = await rt.store.db.selectFrom('citizen').select('temporary_residence').where('personal_id', '=', now).executeTakeFirstOrThrow();
  assert.deepEqual(JSON.parse(c.temporary_residence!), DOI_CAN);
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
  const members = await rt.store.db.selectFrom('household_member').select(['personal_id', 'relationship']).where('household_id', '=', h).orderBy('personal_id').execute();
  assert.deepEqual(members.map((m) => `${m.personal_id} ${m.relationship}`), [`${newHead} head`, `${w} child`].sort());
});
