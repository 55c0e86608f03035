/**
 * Two writers concerning one person at the same moment, one of them an approval (decision 0012,
 * note of 2026-12-06). The second must judge the facts the first left, exactly as if they had come
 * one after the other: refused with the rule's own 409, or applied to what is there now — never
 * applied to what was there when it began.
 *
 * PostgreSQL: a third connection holds a row the first approval is about to write, so that it has
 * read its facts and waits while the second writer starts; it lets go once the second has finished
 * or waits too. SQLite has one writer: the two run one after the other.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { TEST_STORE } from '../support/store.js';
import { HANG_BAC, NGOC_HA, OFFICER, OWNED, residenceServices, SERVICES_CLOCK } from '../support/residence-services.js';
import { recordDeath, updateCitizen } from '../../src/services/citizens/change.js';
import { mirrorOnCitizen } from '../../src/services/residence/effects.js';
import { type ApplicationView } from '../../src/services/residence/applications.js';
import { isRegistryError } from '../../src/domain/errors/registry-error.js';
import type { ResidenceRequest } from '../../src/domain/residence/requests.js';

const services = residenceServices('Người Đua');
const { person, file } = services;
const clock = SERVICES_CLOCK;
const actor = OFFICER;
const approve = (app: ApplicationView) => () => services.approve(app);

/** A person temporarily registered at Ngọc Hà (Đội Cấn) until `validUntil` (registration seq 1). */
async function temporarilyAtDoiCan(validUntil: string): Promise<string> {
  const pid = await person();
  const app = await file({ procedure: 'temporary_registration', personalId: pid, address: NGOC_HA, validUntil, lawfulResidence: OWNED, consents: [] });
  await approve(app)();
  return pid;
}

/** Backends of this database waiting on a lock, or 'settled' once `done` says so; fails after 10 s. */
async function waitFor(c: pg.Client, n: number, done: () => boolean = () => false): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (done()) return;
    const r = await c.query<{ n: string }>(
      `select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
    );
    if (Number(r.rows[0]!.n) >= n) return;
    await new Promise((res) => setTimeout(res, 20));
  }
  throw new Error(`fewer than ${n} transactions waiting on a lock`);
}

/** Holds the person's temporary registration row (seq 1), which both writers go on to write. */
const holdRegistration = (pid: string) => (c: pg.Client) => c.query('select seq from residence_registration where personal_id = $1 and seq = 1 for update', [pid]);

/** `first` past its reads and waiting on what `hold` took, then `second`; both outcomes. */
async function simultaneously(hold: (c: pg.Client) => Promise<unknown>, first: () => Promise<unknown>, second: () => Promise<unknown>) {
  if (TEST_STORE !== 'postgres') return Promise.allSettled([first(), second()]);
  const c = new pg.Client({ connectionString: services.rt.databaseUrl });
  await c.connect();
  try {
    await c.query('begin');
    await hold(c);
    const a = first();
    await waitFor(c, 1);
    let settled = false;
    const b = second().finally(() => (settled = true));
    await waitFor(c, 2, () => settled);
    await c.query('rollback');
    return await Promise.allSettled([a, b]);
  } finally {
    await c.end();
  }
}

const codeOf = (r: PromiseSettledResult<unknown>) => (r.status === 'fulfilled' ? 'ok' : isRegistryError(r.reason) ? `${r.reason.status} ${r.reason.code}` : String(r.reason));

async function registration(pid: string, seq: number) {
  return services.rt.store.db.selectFrom('residence_registration').selectAll().where('personal_id', '=', pid).where('seq', '=', seq).executeTakeFirstOrThrow();
}
async function eventKinds(pid: string): Promise<string[]> {
  const rows = await services.rt.store.db.selectFrom('residence_event').select('kind').where('personal_id', '=', pid).orderBy('revision').execute();
  return rows.map((r) => r.kind);
}

test('a move to a permanent residence and a deregistration of the temporary one it ends: the deregistration finds nothing left (409 NOT_REGISTERED)', async () => {
  const pid = await temporarilyAtDoiCan('2027-05-31');
  // Founding a household at the place of temporary residence ends that temporary residence.
  const move = await file({ procedure: 'permanent_registration', personalId: pid, address: NGOC_HA, lawfulResidence: OWNED, consents: [] });
  const deregistration = await file({ procedure: 'deregistration', personalId: pid, kind: 'temporary', reason: 'rental_ended', tenancyEndedOn: '2026-05-20' });

  const [moved, deregistered] = await simultaneously(holdRegistration(pid), approve(move), approve(deregistration));

  assert.equal(codeOf(moved), 'ok');
  assert.equal(codeOf(deregistered), '409 NOT_REGISTERED');
  const t = await registration(pid, 1);
  assert.equal(t.end_reason, 'permanent_here', 'the move ended it; nobody ended it again');
  assert.deepEqual(await eventKinds(pid), ['temporary_registered', 'permanent_registered', 'temporary_ended']);
  const app = await services.rt.store.db.selectFrom('residence_application').select('status').where('application_id', '=', deregistration.applicationId).executeTakeFirstOrThrow();
  assert.equal(app.status, 'submitted', 'the refused approval left its application as it was');
  const c = await services.rt.store.db.selectFrom('citizen').select(['permanent_residence', 'temporary_residence']).where('personal_id', '=', pid).executeTakeFirstOrThrow();
  assert.equal(c.temporary_residence, null);
  assert.deepEqual(JSON.parse(c.permanent_residence!), NGOC_HA);
});

test('a deregistration and an extension of the same temporary residence: the extension finds none in force (409 NO_ACTIVE_TEMPORARY_RESIDENCE)', async () => {
  // Within the 15 days before expiry, when an extension may be filed.
  const pid = await temporarilyAtDoiCan('2026-06-10');
  const deregistration = await file({ procedure: 'deregistration', personalId: pid, kind: 'temporary', reason: 'rental_ended', tenancyEndedOn: '2026-05-20' });
  const extension = await file({ procedure: 'temporary_extension', personalId: pid, validUntil: '2027-06-10', consents: [] });

  const [deregistered, extended] = await simultaneously(holdRegistration(pid), approve(deregistration), approve(extension));

  assert.equal(codeOf(deregistered), 'ok');
  assert.equal(codeOf(extended), '409 NO_ACTIVE_TEMPORARY_RESIDENCE');
  const t = await registration(pid, 1);
  assert.equal(t.ended_on, '2026-06-01');
  assert.equal(t.end_reason, 'rental_ended');
  assert.equal(t.valid_until, '2026-06-10', 'an ended registration is not extended');
  assert.deepEqual(await eventKinds(pid), ['temporary_registered', 'temporary_ended']);
});

test('a death recorded while the person founds a household: the death ends what the approval registered', async () => {
  const pid = await person();
  const move = await file({ procedure: 'permanent_registration', personalId: pid, address: HANG_BAC, lawfulResidence: OWNED, consents: [] });
  // Taken by an open transaction, the registration's key makes the approval wait between the
  // facts it read and the registration it writes.
  const holdKey = (c: pg.Client) =>
    c.query(`insert into residence_registration (personal_id, seq, kind, address, start_on, recorded_at) values ($1, 1, 'temporary', '{}', '2026-06-01', '2026-06-01T03:00:00.000Z')`, [pid]);

  const [moved, died] = await simultaneously(holdKey, approve(move), () => recordDeath(services.rt.ctx, actor, pid, '2026-06-01', {}));

  assert.equal(codeOf(moved), 'ok');
  assert.equal(codeOf(died), 'ok');
  const reg = await registration(pid, 1);
  assert.equal(reg.kind, 'permanent');
  assert.equal(reg.end_reason, 'death', 'a dead person keeps no permanent residence in force');
  const memberships = await services.rt.store.db.selectFrom('household_member').select('household_id').where('personal_id', '=', pid).execute();
  assert.deepEqual(memberships, [], 'nor a household');
  const c = await services.rt.store.db.selectFrom('citizen').select(['date_of_death', 'permanent_residence']).where('personal_id', '=', pid).executeTakeFirstOrThrow();
  assert.equal(c.date_of_death, '2026-06-01');
  assert.equal(c.permanent_residence, null);
});

test('the record written by an approval over a version another writer moved: 409 CONCURRENT_UPDATE (no client sent a version), not 412', async () => {
  // Unreachable through an approval, which holds the citizen's lock; forced here with a transaction
  // that writes the residence mirror without it, while a record change takes the row first.
  const pid = await person();
  const mirror = () => services.rt.store.transaction((tx) =>
    mirrorOnCitizen({ tx, ctx: services.rt.ctx, actor, day: '2026-06-01', at: clock.now().toISOString(), reason: 'thử' }, pid, { temporaryResidence: NGOC_HA }));
  const holdCitizen = (c: pg.Client) => c.query('select personal_id from citizen where personal_id = $1 for update', [pid]);
  const change = () => updateCitizen(services.rt.ctx, actor, pid, 1, { phone: '0912000333' }, { reason: 'thử' });

  // The record change waits for the citizen's lock; the mirror reads version 1, then waits to write.
  const [changed, mirrored] = await simultaneously(holdCitizen, change, mirror);

  assert.equal(codeOf(changed), 'ok');
  const c = await services.rt.store.db.selectFrom('citizen').select(['version', 'phone', 'temporary_residence']).where('personal_id', '=', pid).executeTakeFirstOrThrow();
  assert.equal(c.phone, '0912000333');
  if (TEST_STORE === 'postgres') {
    assert.equal(codeOf(mirrored), '409 CONCURRENT_UPDATE');
    assert.equal(c.version, 2);
    assert.equal(c.temporary_residence, null, 'the losing write changed nothing');
  } else {
    // One writer: the mirror runs after the change and reads its version.
    assert.equal(codeOf(mirrored), 'ok');
    assert.equal(c.version, 3);
  }
});

/** Founds a household at `address` with a head and one more member; returns [head, member, household]. */
async function householdOfTwo(address: typeof HANG_BAC | typeof NGOC_HA): Promise<[string, string, string]> {
  const head = await person();
  const founded = await approve(await file({ procedure: 'permanent_registration', personalId: head, address, lawfulResidence: OWNED, consents: [] }))();
  const householdId = founded.outcome!.householdId as string;
  const member = await person();
  await approve(await file(joining(member, householdId, head)))();
  return [head, member, householdId];
}

const joining = (personalId: string, householdId: string, head: string): ResidenceRequest => ({
  procedure: 'permanent_registration', personalId, household: { householdId, relationship: 'other_relative' }, lawfulResidence: OWNED,
  consents: [{ role: 'household_head', method: 'signature', fullName: 'Chủ hộ', personalId: head }],
});

test('two moves in opposite directions (A from household 1 to 2, B from 2 to 1): both approved, one after the other', async () => {
  const [head1, a, h1] = await householdOfTwo(HANG_BAC);
  const [head2, b, h2] = await householdOfTwo(NGOC_HA);
  const aMoves = await file(joining(a, h2, head2));
  const bMoves = await file(joining(b, h1, head1));
  // PostgreSQL: the registrations table taken whole, so that each approval has locked what it locks
  // before reading its facts and waits there until both do; then they go on together.
  const holdRegistrations = (c: pg.Client) => c.query('lock table residence_registration in access exclusive mode');

  const [aMoved, bMoved] = await simultaneously(holdRegistrations, approve(aMoves), approve(bMoves));

  assert.equal(codeOf(aMoved), 'ok');
  assert.equal(codeOf(bMoved), 'ok');
  const members = async (h: string) =>
    (await services.rt.store.db.selectFrom('household_member').select(['personal_id', 'relationship']).where('household_id', '=', h).orderBy('personal_id').execute())
      .map((m) => `${m.personal_id} ${m.relationship}`);
  assert.deepEqual(await members(h1), [`${head1} head`, `${b} other_relative`].sort());
  assert.deepEqual(await members(h2), [`${head2} head`, `${a} other_relative`].sort());
  for (const [pid, h, address] of [[a, h2, NGOC_HA], [b, h1, HANG_BAC]] as const) {
    const open = await services.rt.store.db.selectFrom('residence_registration').select(['household_id', 'seq']).where('personal_id', '=', pid).where('kind', '=', 'permanent').where('ended_on', 'is', null).execute();
    assert.deepEqual(open, [{ household_id: h, seq: 2 }]);
    const c = await services.rt.store.db.selectFrom('citizen').select('permanent_residence').where('personal_id', '=', pid).executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(c.permanent_residence!), address);
  }
});
