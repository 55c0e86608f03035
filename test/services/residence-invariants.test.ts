/**
 * The register's invariants under any sequence of procedures (property test over a real store):
 * one open permanent registration per person, membership of at most one household and the same
 * one the registration names, a head who is a member (or a vacant headship), the citizen record's
 * residence field mirroring the open registration, and a household history version per change.
 * Refused applications must change nothing. Concurrent approvals: exactly one wins.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { openTestRuntime, type TestRuntime } from '../support/store.js';
import { fixedClock } from '../../src/services/clock.js';
import { registerBirth } from '../../src/services/citizens/register.js';
import { recordDeath } from '../../src/services/citizens/change.js';
import { approveApplication, submitApplication } from '../../src/services/residence/applications.js';
import { isRegistryError } from '../../src/domain/errors/registry-error.js';
import type { ResidenceRequest } from '../../src/domain/residence/requests.js';
import type { Actor } from '../../src/services/context.js';

const clock = fixedClock('2026-06-01T03:00:00.000Z');
const actor: Actor = { principalId: 'test-officer', role: 'officer' };
let rt: TestRuntime;
before(async () => {
  rt = await openTestRuntime(clock);
});
after(async () => rt.dropDatabase());

const ADDRESSES = [
  { country: 'VN', unitSet: '2025', unitCode: '00004', detail: 'Số 1 Hàng Bạc' },
  { country: 'VN', unitSet: '2025', unitCode: '00008', detail: 'Số 2 Đội Cấn' },
] as const;

async function people(n: number, tag: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = await registerBirth(rt.ctx, actor, {
      fullName: `Người Thử ${tag} ${i}`, dateOfBirth: `19${70 + i}-01-0${1 + (i % 9)}`, sex: i % 2 ? 'female' : 'male', ethnicity: '01', nationality: 'VN',
      birthRegistrationPlace: { country: 'VN', unitSet: 'pre2025', unitCode: '00004', detail: 'UBND' },
    });
    ids.push(c.personalId);
  }
  return ids;
}

async function snapshot() {
  const db = rt.store.db;
  return {
    regs: await db.selectFrom('residence_registration').selectAll().orderBy('personal_id').orderBy('seq').execute(),
    members: await db.selectFrom('household_member').selectAll().orderBy('household_id').orderBy('personal_id').execute(),
    households: await db.selectFrom('household').selectAll().orderBy('household_id').execute(),
    history: await db.selectFrom('household_history').select(['household_id', 'version']).orderBy('household_id').orderBy('version').execute(),
    apps: await db.selectFrom('residence_application').select(['application_id', 'status']).orderBy('application_id').execute(),
  };
}

async function checkInvariants(ids: string[]) {
  const s = await snapshot();
  for (const id of ids) {
    const open = s.regs.filter((r) => r.personal_id === id && r.kind === 'permanent' && r.ended_on === null);
    assert.ok(open.length <= 1, `${id}: ${open.length} open permanent registrations`);
    const memberships = s.members.filter((m) => m.personal_id === id);
    assert.ok(memberships.length <= 1, `${id} in ${memberships.length} households`);
    assert.equal(memberships[0]?.household_id ?? null, open[0]?.household_id ?? null, `${id}: membership and registration disagree`);
    if (open[0]) assert.equal(memberships[0]?.relationship, open[0].relationship);
    const c = await rt.store.db.selectFrom('citizen').select(['permanent_residence']).where('personal_id', '=', id).executeTakeFirstOrThrow();
    assert.equal(c.permanent_residence, open[0]?.address ?? null, `${id}: the record does not mirror the register`);
  }
  // Only this run's households: runs share the store, and shrinking must replay a run on its own.
  const mine = new Set(s.regs.filter((r) => ids.includes(r.personal_id) && r.household_id).map((r) => r.household_id));
  for (const h of s.households.filter((x) => mine.has(x.household_id))) {
    const ms = s.members.filter((m) => m.household_id === h.household_id);
    if (h.dissolved_at) assert.equal(ms.length, 0);
    if (h.head_personal_id) assert.equal(ms.find((m) => m.personal_id === h.head_personal_id)?.relationship, 'head');
    assert.ok(ms.filter((m) => m.relationship === 'head').length <= 1);
    assert.deepEqual(s.history.filter((v) => v.household_id === h.household_id).map((v) => v.version), Array.from({ length: h.version }, (_, i) => i + 1));
  }
}

type Op =
  | { op: 'found'; who: number; where: number }
  | { op: 'join'; who: number; headOf: number }
  | { op: 'leave'; who: number; newHead: number }
  | { op: 'die'; who: number };

const opArb = (n: number): fc.Arbitrary<Op> =>
  fc.oneof(
    fc.record({ op: fc.constant('found' as const), who: fc.nat(n - 1), where: fc.nat(1) }),
    fc.record({ op: fc.constant('join' as const), who: fc.nat(n - 1), headOf: fc.nat(n - 1) }),
    fc.record({ op: fc.constant('leave' as const), who: fc.nat(n - 1), newHead: fc.nat(n - 1) }),
    fc.record({ op: fc.constant('die' as const), who: fc.nat(n - 1) }),
  );

async function householdOf(id: string): Promise<{ household_id: string; head: string | null } | undefined> {
  const m = await rt.store.db.selectFrom('household_member').select('household_id').where('personal_id', '=', id).executeTakeFirst();
  if (!m) return undefined;
  const h = await rt.store.db.selectFrom('household').select('head_personal_id').where('household_id', '=', m.household_id).executeTakeFirstOrThrow();
  return { household_id: m.household_id, head: h.head_personal_id };
}

function requestFor(op: Op, ids: string[], target?: { household_id: string; head: string | null }): ResidenceRequest | undefined {
  const who = ids[op.who]!;
  const consents = target?.head ? [{ role: 'household_head' as const, method: 'signature' as const, fullName: 'Chủ hộ', personalId: target.head }] : [];
  switch (op.op) {
    case 'found': return { procedure: 'permanent_registration', personalId: who, address: { ...ADDRESSES[op.where]! }, lawfulResidence: { kind: 'owned' }, consents: [], newHeadOfCurrentHousehold: ids[(op.who + 1) % ids.length] };
    case 'join': return target ? { procedure: 'permanent_registration', personalId: who, household: { householdId: target.household_id, relationship: 'other_relative' }, lawfulResidence: { kind: 'owned' }, consents, newHeadOfCurrentHousehold: ids[(op.who + 1) % ids.length] } : undefined;
    case 'leave': return { procedure: 'deregistration', personalId: who, kind: 'permanent', reason: 'emigration', newHeadPersonalId: ids[op.newHead] };
    case 'die': return undefined;
  }
}

let round = 0;
test('any sequence of procedures keeps the register consistent; refusals change nothing', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(opArb(4), { minLength: 1, maxLength: 12 }), async (ops) => {
      const ids = await people(4, round++);
      for (const op of ops) {
        const before = await snapshot();
        try {
          if (op.op === 'die') {
            await recordDeath(rt.ctx, actor, ids[op.who]!, '2026-05-31', {});
          } else {
            const target = op.op === 'join' ? await householdOf(ids[op.headOf]!) : undefined;
            const request = requestFor(op, ids, target);
            if (!request) continue;
            const app = await submitApplication(rt.ctx, rt.catalogue, actor, request);
            await approveApplication(rt.ctx, rt.catalogue, actor, app.applicationId);
          }
        } catch (e) {
          if (!isRegistryError(e) || e.status >= 500) throw e;
          // Refused: not a row changed (the application itself is never stored when refused at submission).
          const after = await snapshot();
          assert.deepEqual(after, before, `${op.op} refused with ${e.code} but the store changed`);
        }
        await checkInvariants(ids);
      }
    }),
    { numRuns: 12 },
  );
});

test('concurrent approvals of one application: exactly one applies it', async () => {
  const [a] = await people(1, 999);
  const app = await submitApplication(rt.ctx, rt.catalogue, actor, { procedure: 'permanent_registration', personalId: a!, address: { ...ADDRESSES[0] }, lawfulResidence: { kind: 'owned' }, consents: [] });
  const results = await Promise.allSettled(Array.from({ length: 5 }, () => approveApplication(rt.ctx, rt.catalogue, actor, app.applicationId)));
  const ok = results.filter((r) => r.status === 'fulfilled');
  assert.equal(ok.length, 1);
  for (const r of results) if (r.status === 'rejected') assert.ok(isRegistryError(r.reason) && ['APPLICATION_STATE_CONFLICT', 'VERSION_MISMATCH', 'CONCURRENT_UPDATE'].includes(r.reason.code), String(r.reason));
  const regs = await rt.store.db.selectFrom('residence_registration').select('seq').where('personal_id', '=', a!).execute();
  assert.equal(regs.length, 1);
});
