/**
 * Seeding writes the residence register with the citizens: households, members, history,
 * registrations, events and stay notices land exactly as the generator made them.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestRuntime, type TestRuntime } from '../support/store.js';
import { fixedClock } from '../../src/services/clock.js';
import { SEED_ACTOR, seedPopulation, unitListsOf } from '../../src/services/seed.js';
import { allRegistrations, generateResidentPopulation } from '../../src/generator/population.js';
import { loadNameLists } from '../../src/store/reference-data.js';
import { localDay } from '../../src/domain/residence/working-days.js';
import { maxTemporaryResidenceEnd } from '../../src/domain/residence/time-rules.js';

const NOW = '2026-05-20T03:00:00.000Z';
const COUNT = 2500;
const clock = fixedClock(NOW);
let rt: TestRuntime;
before(async () => {
  rt = await openTestRuntime(clock);
  await seedPopulation(rt.store, rt.catalogue.categories, clock, { seed: 8, count: COUNT });
});
after(async () => rt.dropDatabase());

const count = async (table: 'household' | 'household_member' | 'household_history' | 'residence_registration' | 'residence_event' | 'stay_notice') =>
  Number((await rt.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

test('the seeded residence rows are those the generator makes, recorded at the run time', async () => {
  const batches = [
    ...generateResidentPopulation({ seed: 8, count: COUNT, names: loadNameLists(), units: unitListsOf(rt.catalogue.categories), now: NOW }),
  ];
  const households = batches.flatMap((b) => b.residence.households);
  const registrations = batches.flatMap((b) => allRegistrations(b.residence));
  assert.equal(await count('household'), households.length);
  assert.equal(await count('household_member'), households.reduce((n, h) => n + h.members.length, 0));
  assert.equal(await count('household_history'), households.length);
  assert.equal(await count('residence_registration'), registrations.length);
  // One event per registration, and one more for each already ended (by death).
  assert.equal(await count('residence_event'), registrations.length + registrations.filter((r) => r.endedOn).length);
  assert.equal(await count('stay_notice'), batches.reduce((n, b) => n + b.residence.stayNotices.length, 0));
  assert.ok((await count('stay_notice')) > 5);

  const h = households.find((x) => x.members.length >= 3)!;
  const row = await rt.store.db.selectFrom('household').selectAll().where('household_id', '=', h.householdId).executeTakeFirstOrThrow();
  assert.deepEqual(JSON.parse(row.address), h.address);
  assert.deepEqual([row.head_personal_id, row.version, row.created_at, row.updated_at, row.dissolved_at], [h.headPersonalId, 1, NOW, NOW, null]);
  const history = await rt.store.db.selectFrom('household_history').selectAll().where('household_id', '=', h.householdId).execute();
  assert.equal(history.length, 1);
  assert.deepEqual([history[0]!.version, history[0]!.actor_id, history[0]!.source, history[0]!.change_kind, history[0]!.reason], [1, SEED_ACTOR, 'generator', 'seed', null]);
  const changes = JSON.parse(history[0]!.changes) as Record<string, [unknown, unknown]>;
  assert.deepEqual(changes.headPersonalId, [null, h.headPersonalId]);
  for (const m of h.members) assert.deepEqual(changes[`member:${m.personalId}`], [null, m.relationship]);
});

test('every living citizen is a member of exactly one household, with an open permanent registration there', async () => {
  const citizens = await rt.store.db.selectFrom('citizen').select(['personal_id', 'date_of_death', 'permanent_residence', 'temporary_residence']).execute();
  const members = await rt.store.db.selectFrom('household_member').selectAll().execute();
  const byPerson = new Map(members.map((m) => [m.personal_id, m]));
  assert.equal(byPerson.size, members.length, 'one household per member');
  const living = citizens.filter((c) => c.date_of_death === null);
  assert.equal(members.length, living.length);
  for (const c of citizens) assert.equal(byPerson.has(c.personal_id), c.date_of_death === null, c.personal_id);

  const heads = await rt.store.db.selectFrom('household').select(['household_id', 'head_personal_id']).execute();
  for (const h of heads) {
    const head = members.filter((m) => m.household_id === h.household_id && m.relationship === 'head');
    if (h.head_personal_id !== null) assert.deepEqual(head.map((m) => m.personal_id), [h.head_personal_id]);
  }

  const open = await rt.store.db
    .selectFrom('residence_registration')
    .selectAll()
    .where('kind', '=', 'permanent')
    .where('ended_on', 'is', null)
    .orderBy('personal_id')
    .execute();
  assert.equal(open.length, living.length);
  for (const r of open) {
    const m = byPerson.get(r.personal_id)!;
    assert.deepEqual([r.seq, r.household_id, r.relationship, r.start_on, r.recorded_at], [1, m.household_id, m.relationship, m.joined_on, NOW]);
  }
  const events = await rt.store.db.selectFrom('residence_event').selectAll().where('revision', '=', 1).execute();
  const event = events.find((e) => e.personal_id === open[0]!.personal_id)!;
  assert.equal(event.kind, 'permanent_registered');
  assert.deepEqual(JSON.parse(event.details), { seq: 1, householdId: open[0]!.household_id, relationship: open[0]!.relationship });
});

test('temporary registrations stay within two years, some expired, and the valid ones show on the record', async () => {
  const temporary = await rt.store.db.selectFrom('residence_registration').selectAll().where('kind', '=', 'temporary').execute();
  assert.ok(temporary.length > 20, String(temporary.length));
  const today = localDay(NOW);
  const citizens = new Map(
    (await rt.store.db.selectFrom('citizen').select(['personal_id', 'temporary_residence', 'permanent_residence']).execute()).map((c) => [c.personal_id, c]),
  );
  let expired = 0;
  for (const r of temporary) {
    assert.ok(r.valid_until! <= maxTemporaryResidenceEnd(r.start_on) && r.start_on < today && r.ended_on === null);
    const c = citizens.get(r.personal_id)!;
    assert.notEqual(JSON.parse(r.address).unitCode, JSON.parse(c.permanent_residence!).unitCode);
    if (r.valid_until! < today) {
      expired++;
      assert.equal(c.temporary_residence, null);
    } else assert.deepEqual(JSON.parse(c.temporary_residence!), JSON.parse(r.address));
  }
  assert.ok(expired > 0 && expired < temporary.length);
  const events = await rt.store.db.selectFrom('residence_event').selectAll().where('kind', '=', 'temporary_registered').execute();
  assert.equal(events.length, temporary.length);
  assert.ok(events.every((e) => JSON.parse(e.details).seq === 2 && e.revision === 2));
});
