/**
 * What an approval's effects do when a fact the rules required is gone by the time they run (the
 * approval's locks make it unreachable): the rule's own 409, never a TypeError answered as 500; and
 * the record's residence mirror written over a version another writer moved: 409 CONCURRENT_UPDATE,
 * since no client sent a version (decision 0024). Both stores: the effects are called directly.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestRuntime, type TestRuntime } from '../support/store.js';
import { fixedClock } from '../../src/services/clock.js';
import { registerBirth } from '../../src/services/citizens/register.js';
import { getCurrent } from '../../src/services/citizens/current.js';
import { applyApproved, type EffectContext } from '../../src/services/residence/effects.js';
import { updateCitizen } from '../../src/store/repositories/citizens.js';
import { isRegistryError } from '../../src/domain/errors/registry-error.js';
import type { ResidenceRequest } from '../../src/domain/residence/requests.js';
import type { Actor } from '../../src/services/context.js';
import type { Db } from '../../src/store/schema.js';

const clock = fixedClock('2026-06-01T03:00:00.000Z');
const actor: Actor = { principalId: 'test-officer', role: 'officer' };
const DOI_CAN = { country: 'VN', unitSet: '2025', unitCode: '00008', detail: 'Số 9 Đội Cấn' } as const;

let rt: TestRuntime;
let pid: string;
before(async () => {
  rt = await openTestRuntime(clock);
  // Registered at birth and nowhere since: no registration of any kind is open.
  pid = (await registerBirth(rt.ctx, actor, {
    fullName: 'Người Chưa Đăng Ký', dateOfBirth: '1990-02-03', sex: 'male', ethnicity: '01', nationality: 'VN',
    birthRegistrationPlace: { country: 'VN', unitSet: 'pre2025', unitCode: '00004', detail: 'UBND' },
  })).personalId;
});
after(async () => rt.dropDatabase());

const effect = (tx: Db): EffectContext => ({ tx, ctx: rt.ctx, actor, applicationId: 'TEST', day: '2026-06-01', at: clock.now().toISOString(), reason: 'thử' });

async function outcomeOf(r: ResidenceRequest): Promise<string> {
  try {
    await rt.store.transaction((tx) => applyApproved(effect(tx), r));
    return 'ok';
  } catch (e) {
    return isRegistryError(e) ? `${e.status} ${e.code}` : String(e);
  }
}

test('extension, deregistration and absence with no registration open: the rule\'s 409, nothing written', async () => {
  const cases: [ResidenceRequest, string][] = [
    [{ procedure: 'temporary_extension', personalId: pid, validUntil: '2027-06-10', consents: [] }, '409 NO_ACTIVE_TEMPORARY_RESIDENCE'],
    [{ procedure: 'deregistration', personalId: pid, kind: 'temporary', reason: 'rental_ended', tenancyEndedOn: '2026-05-20' }, '409 NOT_REGISTERED'],
    [{ procedure: 'deregistration', personalId: pid, kind: 'permanent', reason: 'emigration' }, '409 NOT_REGISTERED'],
    [{ procedure: 'absence_declaration', personalId: pid, ground: 'other_long_absence', from: '2026-06-01', until: '2027-06-01' }, '409 NOT_REGISTERED'],
  ];
  const outcomes: string[] = [];
  for (const [r] of cases) outcomes.push(await outcomeOf(r));
  assert.deepEqual(outcomes, cases.map(([, expected]) => expected));
  assert.deepEqual(await rt.store.db.selectFrom('residence_registration').select('seq').where('personal_id', '=', pid).execute(), []);
  assert.deepEqual(await rt.store.db.selectFrom('residence_event').select('kind').where('personal_id', '=', pid).execute(), []);
});

test('the residence mirror written over a version another writer moved: 409 CONCURRENT_UPDATE, the record unchanged', async () => {
  const read = await getCurrent(rt.store.db, pid);
  await rt.store.transaction((tx) =>
    updateCitizen(tx, read, { ...read, phone: '0912000444', version: read.version + 1 }, { actorId: actor.principalId, source: 'officer', kind: 'update', reason: 'thử', at: clock.now().toISOString() }));
  // What an approval holding the version read before that change would write.
  const stale = () => rt.store.transaction((tx) =>
    updateCitizen(tx, read, { ...read, temporaryResidence: DOI_CAN, version: read.version + 1 }, { actorId: actor.principalId, source: 'residence', kind: 'residence', reason: 'thử', at: clock.now().toISOString() }));
  await assert.rejects(stale(), (e: unknown) => isRegistryError(e) && e.status === 409 && e.code === 'CONCURRENT_UPDATE');
  const now = await getCurrent(rt.store.db, pid);
  assert.equal(now.version, read.version + 1);
  assert.equal(now.phone, '0912000444');
  assert.equal(now.temporaryResidence, undefined);
});
