/** Seeding: deterministic, resumable after a crash, idempotent, and only into its own store. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestRuntime, type TestRuntime } from '../support/store.js';
import { fixedClock } from '../../src/services/clock.js';
import { seedPopulation, SEED_BATCH } from '../../src/services/seed.js';
import { countCitizens, findCitizen, listHistory } from '../../src/store/repositories/citizens.js';
import { listSeedRuns } from '../../src/store/repositories/seed-runs.js';
import { searchCitizens } from '../../src/services/citizens/search.js';
import { registerBirth } from '../../src/services/citizens/register.js';
import { validatePersonalId } from '../../src/domain/identity/personal-id.js';
import { idProvinceCodes } from '../../src/domain/categories/categories.js';
import { RegistryError } from '../../src/domain/errors/registry-error.js';
import { foldKey } from '../../src/domain/text/normalize.js';
import { generateResidentPopulation } from '../../src/generator/population.js';
import { loadNameLists } from '../../src/store/reference-data.js';
import { unitListsOf } from '../../src/services/seed.js';

const clock = fixedClock('2026-06-01T00:00:00.000Z');
let a: TestRuntime;
let b: TestRuntime;
before(async () => {
  a = await openTestRuntime(clock);
  b = await openTestRuntime(clock);
});
after(async () => {
  await a.dropDatabase();
  await b.dropDatabase();
});

describe('seedPopulation', () => {
  const N = SEED_BATCH * 2 + 1234;

  /** Seeds N people and "crashes" once `batches` batches were written; returns the progress seen. */
  async function seedUntilCrash(rt: TestRuntime, o: { commitRows: number; batches: number }): Promise<number[]> {
    const seen: number[] = [];
    await assert.rejects(
      seedPopulation(rt.store, rt.catalogue.categories, clock, {
        seed: 11,
        count: N,
        commitRows: o.commitRows,
        onProgress: (done) => {
          if (done > 0) seen.push(done);
          if (seen.length === o.batches) throw new Error('simulated crash');
        },
      }),
      /simulated crash/,
    );
    return seen;
  }

  test('writes N valid citizens with history and search keys', async () => {
    const sqlite = a.store.driver.sqlite;
    const settings = () => [sqlite?.pragma('synchronous'), sqlite?.pragma('cache_size')];
    const before = settings();
    const r = await seedPopulation(a.store, a.catalogue.categories, clock, { seed: 11, count: N });
    assert.deepEqual(settings(), before, 'the bulk-load settings are put back');
    assert.deepEqual(r, { seed: 11, target: N, created: N, skipped: 0 });
    assert.equal(await countCitizens(a.store.db), N);
    const runs = await listSeedRuns(a.store.db);
    assert.equal(runs[0]!.done, N);
    assert.ok(runs[0]!.finishedAt);
    const page = await a.store.db.selectFrom('citizen').select('personal_id').orderBy('personal_id').limit(200).execute();
    const codes = idProvinceCodes(a.catalogue.categories);
    for (const { personal_id } of page) {
      const c = (await findCitizen(a.store.db, personal_id))!;
      assert.deepEqual(validatePersonalId(c.personalId, codes, c).problems, [], c.personalId);
      const h = await listHistory(a.store.db, c.personalId);
      assert.deepEqual(h.map((e) => [e.version, e.kind, e.source]), [[1, 'seed', 'generator']]);
      const found = await searchCitizens(a.ctx, { name: foldKey(c.fullName), dateOfBirth: c.dateOfBirth, limit: 100 });
      assert.ok(found.items.some((x) => x.personalId === c.personalId));
    }
  });

  test('every record of the first batch reads back exactly as the generator made it (the bulk encoding loses nothing)', async () => {
    const now = (await listSeedRuns(a.store.db))[0]!.startedAt;
    const first = generateResidentPopulation({ seed: 11, count: N, names: loadNameLists(), units: unitListsOf(a.catalogue.categories), now }, SEED_BATCH).next().value!;
    assert.ok(first.citizens.length > 1000);
    for (const g of first.citizens) {
      const stored = await findCitizen(a.store.db, g.personalId);
      const expected = JSON.parse(JSON.stringify({ ...g, version: 1, updatedAt: g.createdAt }));
      assert.deepEqual(JSON.parse(JSON.stringify(stored)), expected, g.personalId);
    }
  });

  test('a second run with the same options does nothing; other options are refused', async () => {
    const again = await seedPopulation(a.store, a.catalogue.categories, clock, { seed: 11, count: N });
    assert.deepEqual(again, { seed: 11, target: N, created: 0, skipped: N });
    await assert.rejects(seedPopulation(a.store, a.catalogue.categories, clock, { seed: 12, count: N }), (e: RegistryError) => e.code === 'SEED_STORE_NOT_EMPTY');
    assert.equal(await countCitizens(a.store.db), N);
  });

  test('an interrupted run resumes at its marker and ends identical to an uninterrupted one', async () => {
    // On SQLite, a commit after every batch (the default gathers several per transaction).
    await seedUntilCrash(b, { commitRows: 1, batches: 1 });
    // Exactly the first batch (whole families, so at most SEED_BATCH people) committed with its marker.
    const marker = (await listSeedRuns(b.store.db))[0]!.done;
    assert.ok(marker > SEED_BATCH - 20 && marker <= SEED_BATCH, String(marker));
    assert.equal(await countCitizens(b.store.db), marker);
    const resumed = await seedPopulation(b.store, b.catalogue.categories, clock, { seed: 11, count: N });
    assert.deepEqual(resumed, { seed: 11, target: N, created: N - marker, skipped: marker });
    const ids = async (rt: TestRuntime) =>
      (await rt.store.db.selectFrom('citizen').select(['personal_id', 'full_name', 'date_of_birth', 'relatives']).orderBy('personal_id').execute());
    assert.deepEqual(await ids(b), await ids(a));
    // The residence register too: each batch wrote its own families' households and registrations.
    const residence = async (rt: TestRuntime) => ({
      households: await rt.store.db.selectFrom('household').selectAll().orderBy('household_id').execute(),
      members: await rt.store.db.selectFrom('household_member').selectAll().orderBy('household_id').orderBy('personal_id').execute(),
      registrations: await rt.store.db.selectFrom('residence_registration').selectAll().orderBy('personal_id').orderBy('seq').execute(),
      notices: await rt.store.db.selectFrom('stay_notice').selectAll().orderBy('personal_id').orderBy('seq').execute(),
    });
    const [rb, ra] = [await residence(b), await residence(a)];
    assert.ok(ra.households.length > N / 5);
    assert.deepEqual(rb, ra);
  });

  test('a crash inside a transaction that gathers batches loses only that transaction: rows and marker agree', async () => {
    const c = await openTestRuntime(clock);
    try {
      // A batch of 10,000 people is ~117,000 rows: on SQLite the first commit comes after the
      // second batch, and the third (the last 1,234 people) is still uncommitted at the crash.
      const seen = await seedUntilCrash(c, { commitRows: 150_000, batches: 3 });
      const marker = (await listSeedRuns(c.store.db))[0]!.done;
      // SQLite committed batches one and two together and rolled the third back; PostgreSQL commits each batch.
      assert.equal(marker, c.store.kind === 'sqlite' ? seen[1] : seen[2]);
      assert.equal(await countCitizens(c.store.db), marker);
      const resumed = await seedPopulation(c.store, c.catalogue.categories, clock, { seed: 11, count: N });
      assert.equal(resumed.skipped, marker);
      const ids = async (rt: TestRuntime) => (await rt.store.db.selectFrom('citizen').select(['personal_id', 'relatives']).orderBy('personal_id').execute());
      assert.deepEqual(await ids(c), await ids(a));
    } finally {
      await c.dropDatabase();
    }
  });

  test('a store holding registered citizens is not seeded', async () => {
    const c = await openTestRuntime(clock);
    try {
      await registerBirth(c.ctx, { principalId: 't', role: 'officer' }, {
        fullName: 'Mai Văn Tư',
        dateOfBirth: '2020-01-01',
        sex: 'male',
        ethnicity: '01',
        nationality: 'VN',
        birthRegistrationPlace: { country: 'VN', unitSet: 'pre2025', unitCode: '01' },
      });
      await assert.rejects(seedPopulation(c.store, c.catalogue.categories, clock, { seed: 1, count: 10 }), (e: RegistryError) => e.code === 'SEED_STORE_NOT_EMPTY');
      assert.equal(await countCitizens(c.store.db), 1);
    } finally {
      await c.dropDatabase();
    }
  });
});
