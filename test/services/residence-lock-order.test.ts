/**
 * The order writers lock in (decision 0024): citizens, then households, never the other way; and
 * nobody waits on a household they do not write (decision 0012, note of 2026-12-06, last).
 *
 * PostgreSQL: a third connection holds a row so that the writers meet at it. SQLite has one writer
 * and no row locks (locks.ts): two writers run one after the other, so neither a deadlock nor a
 * version moved between a read and a write inside one transaction can happen there; the tests that
 * can run there check that both writers succeed in turn.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { TEST_STORE } from '../support/store.js';
import { HANG_BAC, NGOC_HA, OFFICER, OWNED, residenceServices } from '../support/residence-services.js';
import { recordDeath } from '../../src/services/citizens/change.js';
import { cancelPersonalId } from '../../src/services/citizens/reissue.js';
import { type ApplicationView } from '../../src/services/residence/applications.js';
import { isRegistryError } from '../../src/domain/errors/registry-error.js';
import type { ResidenceRequest } from '../../src/domain/residence/requests.js';

const services = residenceServices('Người Khóa');
const { person, file } = services;
const actor = OFFICER;
const approve = (app: ApplicationView) => () => services.approve(app);
const joining = (personalId: string, householdId: string, head: string): ResidenceRequest => ({
  procedure: 'permanent_registration', personalId, household: { householdId, relationship: 'other_relative' }, lawfulResidence: OWNED,
  consents: [{ role: 'household_head', method: 'signature', fullName: 'Chủ hộ', personalId: head }],
});

/** A household at Hàng Bạc with a head and one more member: [head, member, household]. */
async function householdOfTwo(): Promise<[string, string, string]> {
  const head = await person();
  const founded = await approve(await file({ procedure: 'permanent_registration', personalId: head, address: HANG_BAC, lawfulResidence: OWNED, consents: [] }))();
  const householdId = founded.outcome!.householdId as string;
  const member = await person();
  await approve(await file(joining(member, householdId, head)))();
  return [head, member, householdId];
}

async function connect(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: services.rt.databaseUrl });
  await c.connect();
  return c;
}

/** Waits until `n` backends of this database wait on a lock (those blocked by `holder`, if named); fails after 10 s. */
async function waiting(mon: pg.Client, n: number, holder?: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const r = await mon.query<{ n: string }>(
      `select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and ($1::int is null or $1 = any(pg_blocking_pids(pid)))`, [holder ?? null]);
    if (Number(r.rows[0]!.n) >= n) return;
    await new Promise((res) => setTimeout(res, 20));
  }
  throw new Error(`fewer than ${n} transactions waiting on a lock`);
}

const pidOf = async (c: pg.Client) => (await c.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
const codeOf = (r: PromiseSettledResult<unknown>) => (r.status === 'fulfilled' ? 'ok' : isRegistryError(r.reason) ? `${r.reason.status} ${r.reason.code}` : String(r.reason));
const holdHousehold = (c: pg.Client, h: string) => c.query('select household_id from household where household_id = $1 for update', [h]);

async function members(h: string): Promise<string[]> {
  const rows = await services.rt.store.db.selectFrom('household_member').select(['personal_id', 'relationship']).where('household_id', '=', h).orderBy('personal_id').execute();
  return rows.map((m) => `${m.personal_id} ${m.relationship}`);
}

/** `first` waiting on the household `h` another connection holds, then `second` too; then it lets go. */
async function bothAtHousehold(h: string, first: () => Promise<unknown>, second: () => Promise<unknown>) {
  if (TEST_STORE !== 'postgres') return Promise.allSettled([first(), second()]);
  const c = await connect();
  try {
    await c.query('begin');
    await holdHousehold(c, h);
    const a = first();
    await waiting(c, 1);
    const b = second();
    await waiting(c, 2);
    await c.query('rollback');
    return await Promise.allSettled([a, b]);
  } finally {
    await c.end();
  }
}

test('a member dies while another person joins the household: both, one after the other', async () => {
  const [head, m, h] = await householdOfTwo();
  const w = await person();
  const join = await file(joining(w, h, head));

  const [joined, died] = await bothAtHousehold(h, approve(join), () => recordDeath(services.rt.ctx, actor, m, '2026-06-01', {}));

  assert.equal(codeOf(joined), 'ok');
  assert.equal(codeOf(died), 'ok', 'the death waited for the household instead of failing on its version');
  assert.deepEqual(await members(h), [`${head} head`, `${w} other_relative`].sort());
});

test('a member\'s personal ID is re-issued while another person joins the household: both, one after the other', async () => {
  const [head, m, h] = await householdOfTwo();
  const w = await person();
  const join = await file(joining(w, h, head));

  const [joined, reissued] = await bothAtHousehold(h, approve(join), () => cancelPersonalId(services.rt.ctx, actor, m, undefined, { reason: 'SEX_REDETERMINED', corrections: { sex: 'male' } }));

  assert.equal(codeOf(joined), 'ok');
  assert.equal(codeOf(reissued), 'ok', 'the re-issue waited for the household instead of failing on its version');
  const newId = (reissued as PromiseFulfilledResult<{ citizen: { personalId: string } }>).value.citizen.personalId;
  assert.deepEqual(await members(h), [`${head} head`, `${newId} other_relative`, `${w} other_relative`].sort());
});

test('an adjustment of a whole household that gained a member after it read them: 409 at once, and the new member\'s death goes through without a deadlock', async () => {
  const [head, m, h] = await householdOfTwo();
  const w = await person();
  const adjust = await file({ procedure: 'information_adjustment', householdId: h, adjustment: { kind: 'change_relationship', personalId: m, relationship: 'child' }, consents: [] });
  const join = await file(joining(w, h, head));
  const die = () => recordDeath(services.rt.ctx, actor, w, '2026-06-01', {});
  if (TEST_STORE !== 'postgres') {
    // One writer: the adjustment cannot read the members before a join that commits before it.
    await approve(join)();
    assert.equal(codeOf((await Promise.allSettled([approve(adjust)()]))[0]!), 'ok');
    assert.equal(codeOf((await Promise.allSettled([die()]))[0]!), 'ok');
    assert.deepEqual(await members(h), [`${head} head`, `${m} child`].sort());
    return;
  }
  const c1 = await connect();
  const c2 = await connect();
  try {
    const deadlockTimeout = (await c1.query<{ ms: string }>(`select setting as ms from pg_settings where name = 'deadlock_timeout'`)).rows[0]!.ms;
    // The adjustment reads the members {head, m}, then waits for m, whom c1 holds.
    await c1.query('begin');
    await c1.query('select personal_id from citizen where personal_id = $1 for update', [m]);
    const adjusted = approve(adjust)();
    await waiting(c1, 1);
    // w joins meanwhile; c2 takes the household, so that the adjustment, let go of m, waits there…
    await approve(join)();
    await c2.query('begin');
    await holdHousehold(c2, h);
    const holder = await pidOf(c2);
    await c1.query('rollback');
    await waiting(c2, 1, holder);
    // …and w's death (holding w) behind it.
    const died = die();
    await waiting(c2, 2);
    const t0 = Date.now();
    await c2.query('rollback');
    const [a, d] = await Promise.allSettled([adjusted, died]);
    const ms = Date.now() - t0;

    assert.equal(codeOf(a), '409 CONCURRENT_UPDATE', 'the adjustment refuses instead of reaching for w after the household');
    assert.equal(codeOf(d), 'ok');
    assert.ok(ms < Number(deadlockTimeout) * 0.8, `no deadlock wait: ${ms} ms against deadlock_timeout ${deadlockTimeout} ms`);
    assert.deepEqual(await members(h), [`${head} head`, `${m} other_relative`].sort(), 'the refused adjustment changed nothing');
    // The client's retry reads the members as they are now.
    assert.equal(codeOf((await Promise.allSettled([approve(adjust)()]))[0]!), 'ok');
    assert.deepEqual(await members(h), [`${head} head`, `${m} child`].sort());
  } finally {
    await c1.end();
    await c2.end();
  }
});

test('a temporary registration does not wait for the person\'s permanent household, which it does not write', { skip: TEST_STORE !== 'postgres' && 'SQLite has no row locks: every write transaction waits for the one writer, whatever it writes' }, async () => {
  const [, m, h] = await householdOfTwo();
  const temporary = await file({ procedure: 'temporary_registration', personalId: m, address: NGOC_HA, validUntil: '2027-05-31', lawfulResidence: OWNED, consents: [] });
  const c = await connect();
  try {
    await c.query('begin');
    await holdHousehold(c, h);
    const approved = approve(temporary)();
    const first = await Promise.race([approved.then(() => 'approved', () => 'failed'), new Promise((res) => setTimeout(() => res('waiting'), 2000))]);
    await c.query('rollback');
    await approved;
    assert.equal(first, 'approved', 'approved while another transaction held the household row');
  } finally {
    await c.end();
  }
  const reg = await services.rt.store.db.selectFrom('residence_registration').select(['kind', 'address']).where('personal_id', '=', m).where('kind', '=', 'temporary').executeTakeFirstOrThrow();
  assert.deepEqual(JSON.parse(reg.address), NGOC_HA);
});
