/**
 * Every change record is a leaf of the transparency log (issue 13 item 2; decision 0028): each row
 * of a committed table gets, in the transaction that writes it, exactly one pending leaf keyed like
 * it, whose digest is the digest of the row as the store reads it back. Checked through the
 * services for every kind, for bulk seeding, for a failed transaction, and for the re-issue of a
 * personal ID (moved rows get new leaves; the old ones stay and read as moved).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { exportJWK, generateKeyPair } from 'jose';
import { openTestRuntime, type TestRuntime } from '../support/store.js';
import { fixedClock } from '../../src/services/clock.js';
import type { Actor } from '../../src/services/context.js';
import { seedPopulation } from '../../src/services/seed.js';
import { registerBirth } from '../../src/services/citizens/register.js';
import { declareMissing, recordDeath, updateCitizen } from '../../src/services/citizens/change.js';
import { cancelPersonalId } from '../../src/services/citizens/reissue.js';
import { issueCard, replaceCard, reportCardLost, revokeCard } from '../../src/services/cards/lifecycle.js';
import { issueCertificate } from '../../src/services/certificates.js';
import { issueResidenceConfirmation } from '../../src/services/residence/confirmation.js';
import { approveApplication, submitApplication } from '../../src/services/residence/applications.js';
import { prepareCatalogue, publishCatalogue, updateCatalogue } from '../../src/services/exchange/catalogue.js';
import { recordAssessment, registerAgency, requestConnection, rotateKeys, setPolicy, transitionConnection } from '../../src/services/exchange/agencies.js';
import { CLI_ACTOR, createPrincipal, revoke } from '../../src/services/principals.js';
import { insertPrincipal } from '../../src/store/repositories/principals.js';
import { updateCitizen as writeCitizenUpdate, findCitizen } from '../../src/store/repositories/citizens.js';
import { listPrincipalEvents } from '../../src/store/repositories/principal-events.js';
import { LEAF_KINDS, refOf } from '../../src/store/repositories/transparency-leaves.js';
import { rowDigest } from '../../src/transparency/leaf.js';
import type { Db } from '../../src/store/schema.js';

const clock = fixedClock('2026-06-01T03:00:00.000Z');
const officer: Actor = { principalId: 'test-officer', role: 'officer' };
const adminActor: Actor = { principalId: 'test-admin', role: 'admin' };
const HANG_BAC = { country: 'VN', unitSet: '2025', unitCode: '00004', detail: 'Số 1 Hàng Bạc' } as const;
/** The change records this file covers (access entries, visibility decisions and grievances are tested with their writers). */
const KINDS = ['citizen_history', 'household_history', 'residence_event', 'stay_notice', 'id_card_history', 'certificate', 'connection_event', 'principal_event', 'catalogue_version'];

type Row = Record<string, unknown>;
type LeafRow = { subject_key: string; kind: string; ref: string; leaf_id: string; salt: string; digest: string; idx: number | string | null };

let rt: TestRuntime;
let db: Db;
before(async () => {
  rt = await openTestRuntime(clock);
  db = rt.store.db;
});
after(async () => rt.dropDatabase());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const rowsOf = async (kind: string): Promise<Row[]> => (await (db as any).selectFrom(LEAF_KINDS[kind]!.table).selectAll().execute()) as Row[];
const leavesOf = async (kind: string): Promise<LeafRow[]> => (await db.selectFrom('tlog_leaf_ref').selectAll().where('kind', '=', kind).execute()) as LeafRow[];
const nameOf = (kind: string, row: Row) => `${String(row[LEAF_KINDS[kind]!.keyColumn])}\n${refOf(LEAF_KINDS[kind]!, row)}`;
const leafName = (l: LeafRow) => `${l.subject_key}\n${l.ref}`;
/** Rows that must have a leaf: all of them, but for the catalogue only published versions. */
const committed = (kind: string, rows: Row[]) => (kind === 'catalogue_version' ? rows.filter((r) => r.status === 'published') : rows);

/**
 * Every committed row has exactly one leaf, whose digest is the digest of the row read back; every
 * leaf names a row — or a row moved away by the re-issue of a personal ID, which then lives under
 * the new number with the same ref and, key put back, the same digest.
 */
async function checkAll(): Promise<void> {
  const issued = new Map((await db.selectFrom('personal_id_issued').selectAll().execute()).map((r) => [r.personal_id, r]));
  for (const kind of KINDS) {
    const spec = LEAF_KINDS[kind]!;
    const rows = committed(kind, await rowsOf(kind));
    const leaves = await leavesOf(kind);
    const byName = new Map<string, LeafRow[]>();
    for (const l of leaves) byName.set(leafName(l), [...(byName.get(leafName(l)) ?? []), l]);
    const rowNames = new Map(rows.map((r) => [nameOf(kind, r), r]));
    for (const [name, row] of rowNames) {
      const mine = byName.get(name) ?? [];
      assert.equal(mine.length, 1, `${kind} ${name}: ${mine.length} leaves`);
      assert.equal(mine[0]!.digest, rowDigest(spec.columns, row), `${kind} ${name}: the digest is not the row's`);
    }
    for (const l of leaves) {
      if (rowNames.has(leafName(l))) continue;
      // Moved: the old number is cancelled and points to the new one, where the row now lives.
      const old = issued.get(l.subject_key);
      assert.ok(old?.status === 'cancelled' && old.replaced_by, `${kind} leaf ${leafName(l)} names no row`);
      const moved = rowNames.get(`${old.replaced_by}\n${l.ref}`);
      assert.ok(moved, `${kind} leaf ${leafName(l)}: no row under ${old.replaced_by}`);
      assert.equal(l.digest, rowDigest(spec.columns, { ...moved, [spec.keyColumn]: l.subject_key }), `${kind} ${leafName(l)}: moved row differs`);
    }
  }
}

async function leafCount(): Promise<Map<string, number>> {
  const rows = await db.selectFrom('tlog_leaf_ref').select(['kind']).select((eb) => eb.fn.countAll<number>().as('n')).groupBy('kind').execute();
  return new Map(rows.filter((r) => KINDS.includes(r.kind)).map((r) => [r.kind, Number(r.n)]));
}

/** Runs a change and returns how many leaves of each kind it added (after checking them all). */
async function leavesAddedBy(change: () => Promise<unknown>): Promise<Record<string, number>> {
  const before = await leafCount();
  await change();
  const after = await leafCount();
  await checkAll();
  const added: Record<string, number> = {};
  for (const [kind, n] of after) if (n !== (before.get(kind) ?? 0)) added[kind] = n - (before.get(kind) ?? 0);
  return added;
}

async function newPerson(name: string, dateOfBirth = '1990-03-04'): Promise<string> {
  const c = await registerBirth(rt.ctx, officer, {
    fullName: name, dateOfBirth, sex: 'female', ethnicity: '01', nationality: 'VN',
    birthRegistrationPlace: { country: 'VN', unitSet: 'pre2025', unitCode: '00004', detail: 'UBND' },
  });
  return c.personalId;
}

async function registerAt(personalId: string): Promise<void> {
  const app = await submitApplication(rt.ctx, rt.catalogue, officer, { procedure: 'permanent_registration', personalId, address: { ...HANG_BAC }, lawfulResidence: { kind: 'owned' }, consents: [] });
  await approveApplication(rt.ctx, rt.catalogue, officer, app.applicationId);
}

describe('bulk seeding', () => {
  test('every seeded row of a committed table has its leaf, with its digest (count equal per table)', async () => {
    await seedPopulation(rt.store, rt.catalogue.categories, clock, { seed: 5, count: 1500 });
    const counts = await leafCount();
    for (const kind of ['citizen_history', 'id_card_history', 'household_history', 'residence_event', 'stay_notice']) {
      const rows = (await rowsOf(kind)).length;
      assert.ok(rows > 0, `${kind}: seeding wrote no rows`);
      assert.equal(counts.get(kind), rows, kind);
    }
    assert.equal((await rowsOf('citizen_history')).length, 1500);
    await checkAll();
  });
});

describe('each change through its service yields one leaf per row it writes', () => {
  test('citizens: registration, update, death, missing', async () => {
    let pid = '';
    assert.deepEqual(await leavesAddedBy(async () => (pid = await newPerson('Nguyễn Thị Lá'))), { citizen_history: 1 });
    assert.deepEqual(await leavesAddedBy(() => updateCitizen(rt.ctx, officer, pid, 1, { phone: '0912000111' }, { reason: 'Bổ sung số điện thoại' })), { citizen_history: 1 });
    assert.deepEqual(await leavesAddedBy(() => declareMissing(rt.ctx, officer, pid, '2026-05-01', { reason: 'Quyết định của Tòa án' })), { citizen_history: 1 });
    const other = await newPerson('Trần Văn Mất');
    assert.deepEqual(await leavesAddedBy(() => recordDeath(rt.ctx, officer, other, '2026-05-30', {})), { citizen_history: 1 });
    // A refused change writes no row and no leaf.
    assert.deepEqual(await leavesAddedBy(() => assert.rejects(updateCitizen(rt.ctx, officer, pid, 1, { phone: '0912000222' }, { reason: 'cũ' }), { code: 'VERSION_MISMATCH' })), {});
  });

  test('residence: registration (household, events, record), stay notice, deregistration by death, CT07', async () => {
    const pid = await newPerson('Lê Thị Cư Trú', '1985-07-08');
    // Founding a household: its first version, the person's residence event, the record's mirror.
    assert.deepEqual(await leavesAddedBy(() => registerAt(pid)), { citizen_history: 1, household_history: 1, residence_event: 1 });
    const guest = await newPerson('Phạm Văn Khách', '1980-01-02');
    const stay = { procedure: 'stay_notice' as const, personalId: guest, host: { fullName: 'Lê Thị Cư Trú', personalId: pid }, address: { ...HANG_BAC }, arrivalAt: '2026-06-01T09:00:00+07:00', departureOn: '2026-06-03' };
    const added = await leavesAddedBy(() => submitApplication(rt.ctx, rt.catalogue, officer, stay));
    assert.deepEqual(added, { stay_notice: 1 }, 'a stay notice is not residence data: no residence event');
    assert.deepEqual(await leavesAddedBy(() => issueResidenceConfirmation(rt.ctx, rt.catalogue, rt.keys, officer, pid)), { certificate: 1 });
    const ct07 = await db.selectFrom('certificate').select('kind').where('personal_id', '=', pid).execute();
    assert.deepEqual(ct07.map((c) => c.kind), ['RESIDENCE_CONFIRMATION']);
    // Death deregisters: the record's version, the residence event, the household's version.
    assert.deepEqual(await leavesAddedBy(() => recordDeath(rt.ctx, officer, pid, '2026-05-30', {})), { citizen_history: 1, household_history: 1, residence_event: 1 });
  });

  test('cards: issue, lost, replace, revoke; certificates', async () => {
    const pid = await newPerson('Đỗ Thị Thẻ', '1992-02-03');
    assert.deepEqual(await leavesAddedBy(() => issueCard(rt.ctx, officer, pid, {})), { id_card_history: 1 });
    assert.deepEqual(await leavesAddedBy(() => reportCardLost(rt.ctx, officer, pid, {})), { id_card_history: 1 });
    // Replacing writes the new card's first version and the old card's replaced version.
    assert.deepEqual(await leavesAddedBy(() => replaceCard(rt.ctx, officer, pid, { reason: 'LOST' })), { id_card_history: 2 });
    assert.deepEqual(await leavesAddedBy(() => revokeCard(rt.ctx, officer, pid, { reason: 'Thu hồi thử' })), { id_card_history: 1 });
    assert.deepEqual(await leavesAddedBy(() => issueCertificate(rt.ctx, rt.catalogue, rt.keys, officer, pid, 'PERSONAL_ID_NOTICE')), { certificate: 1 });
  });

  test('exchange: catalogue publication, connection transitions, assessment, policy and keys', async () => {
    const year = clock.now().getUTCFullYear(); // in force now: a connection's policy is checked against it
    assert.deepEqual(await leavesAddedBy(() => prepareCatalogue(rt.ctx, year)), {}, 'a draft is not committed');
    const draft = await db.selectFrom('catalogue_version').select('services').where('year', '=', year).executeTakeFirstOrThrow();
    assert.deepEqual(await leavesAddedBy(() => updateCatalogue(rt.ctx, year, JSON.parse(draft.services))), {});
    assert.deepEqual(await leavesAddedBy(() => publishCatalogue(rt.ctx, year)), { catalogue_version: 1 });
    const [leaf] = (await leavesOf('catalogue_version')).filter((l) => l.ref === String(year));
    assert.equal(leaf?.subject_key, String(year));
    assert.deepEqual(await leavesAddedBy(() => assert.rejects(publishCatalogue(rt.ctx, year), { code: 'CATALOGUE_NOT_DRAFT' })), {}, 'published once');

    await registerAgency(rt.ctx, {
      code: 'LEAF-BANK', name: 'Ngân hàng Lá', type: 'credit_institution', stateBudgetFunded: false, dataOffer: null,
      focalPoints: [{ fullName: 'Nguyễn Đầu Mối', position: 'Trưởng phòng', phone: '0243 000 0000', email: 'a@leaf.example' }],
    } as never);
    const jwk = async (kid: string) => ({ ...(await exportJWK((await generateKeyPair('ES256', { extractable: true })).publicKey)), kid, alg: 'ES256', use: 'sig' });
    let connectionId = '';
    assert.deepEqual(
      await leavesAddedBy(async () => {
        connectionId = (await requestConnection(rt.ctx, adminActor, { agencyCode: 'LEAF-BANK', systemName: 'eKYC', services: ['lookupCitizen'], purposes: ['1.004222'], jwks: { keys: [await jwk('k1')] } as never })).connectionId;
      }),
      { connection_event: 1 },
    );
    assert.deepEqual(await leavesAddedBy(() => recordAssessment(rt.ctx, adminActor, connectionId, { result: 'passed', summary: 'Đạt', assessor: 'A05' })), { connection_event: 1 });
    const policy = { grants: [{ service: 'lookupCitizen', fields: ['fullName'], purposes: ['1.004222'] }], ratePerMinute: 60, dailyQuota: 100 };
    assert.deepEqual(await leavesAddedBy(() => setPolicy(rt.ctx, adminActor, connectionId, policy as never)), { connection_event: 1 });
    assert.deepEqual(await leavesAddedBy(() => transitionConnection(rt.ctx, adminActor, connectionId, 'approve_for_test', 'thử')), { connection_event: 1 });
    assert.deepEqual(await leavesAddedBy(async () => rotateKeys(rt.ctx, adminActor, connectionId, { keys: [await jwk('k2')] } as never)), { connection_event: 1 });
    const kinds = (await db.selectFrom('connection_event').select('kind').where('connection_id', '=', connectionId).orderBy('seq').execute()).map((e) => e.kind);
    assert.equal(kinds.length, 5);
  });

  test('principals: created and revoked, each with who did it', async () => {
    let id = '';
    assert.deepEqual(await leavesAddedBy(async () => (id = (await createPrincipal(rt.store, clock, 'Cán bộ Lá', 'officer', 'admin-principal-1')).principal.id)), { principal_event: 1 });
    assert.deepEqual(await leavesAddedBy(() => revoke(rt.store, clock, id)), { principal_event: 1 });
    assert.deepEqual(await leavesAddedBy(() => assert.rejects(revoke(rt.store, clock, id), { code: 'PRINCIPAL_NOT_FOUND' })), {}, 'a second revocation records nothing');
    const events = await listPrincipalEvents(db, id);
    assert.deepEqual(events.map((e) => [e.seq, e.kind, e.actorId, e.at]), [[1, 'created', 'admin-principal-1', clock.now().toISOString()], [2, 'revoked', CLI_ACTOR, clock.now().toISOString()]]);
    assert.deepEqual(events[0]!.details, { name: 'Cán bộ Lá', role: 'officer', unit: null, personalId: null });
  });
});

describe('transactions', () => {
  test('a transaction that fails after writing leaves neither the row nor the leaf', async () => {
    const pid = await newPerson('Vũ Thị Hoàn');
    const before = await findCitizen(db, pid);
    const principalId = '00000000-0000-4000-8000-00000000e0e0';
    const added = await leavesAddedBy(() =>
      assert.rejects(
        rt.store.transaction(async (tx) => {
          await writeCitizenUpdate(tx, before!, { ...before!, phone: '0912999888', version: 2 }, { actorId: 'x', source: 'officer', kind: 'update', reason: 'thử', at: clock.now().toISOString() });
          await insertPrincipal(tx, { id: principalId, name: 'Không thành', role: 'officer', createdAt: clock.now().toISOString() }, 'x');
          throw new Error('fails after the writes');
        }),
        /fails after the writes/,
      ),
    );
    assert.deepEqual(added, {});
    assert.equal((await findCitizen(db, pid))!.version, 1);
    assert.deepEqual(await listPrincipalEvents(db, principalId), []);
    const history = await db.selectFrom('citizen_history').select('version').where('personal_id', '=', pid).execute();
    assert.deepEqual(history.map((h) => h.version), [1]);
  });
});

describe('re-issue of a personal ID', () => {
  test('moved rows get new leaves under the new number; the old leaves stay and read as moved', async () => {
    const pid = await newPerson('Hoàng Thị Đổi Số', '1991-09-09');
    await updateCitizen(rt.ctx, officer, pid, 1, { phone: '0912333444' }, { reason: 'Bổ sung' });
    await registerAt(pid);
    const guestStay = { procedure: 'stay_notice' as const, personalId: pid, host: { fullName: 'Chủ nhà' }, address: { ...HANG_BAC, detail: 'Số 9 Hàng Bạc' }, arrivalAt: '2026-06-01T09:00:00+07:00', departureOn: '2026-06-02' };
    await submitApplication(rt.ctx, rt.catalogue, officer, guestStay);
    const oldHistory = (await db.selectFrom('citizen_history').select('version').where('personal_id', '=', pid).execute()).length;
    const oldEvents = (await db.selectFrom('residence_event').select('revision').where('personal_id', '=', pid).execute()).length;
    const oldStays = (await db.selectFrom('stay_notice').select('seq').where('personal_id', '=', pid).execute()).length;
    assert.deepEqual([oldHistory, oldStays], [3, 1]);
    const oldLeaves = (await db.selectFrom('tlog_leaf_ref').selectAll().where('subject_key', '=', pid).execute()).map((l) => [l.kind, l.ref, l.digest]);

    let newId = '';
    const added = await leavesAddedBy(async () => {
      const r = await cancelPersonalId(rt.ctx, officer, pid, undefined, { reason: 'SEX_REDETERMINED', corrections: { sex: 'male' } });
      newId = r.citizen.personalId;
    });
    // The moved rows, plus the re-issue's own history version and the household's new version.
    assert.deepEqual(added, { citizen_history: oldHistory + 1, residence_event: oldEvents, stay_notice: oldStays, household_history: 1 });
    const stillThere = (await db.selectFrom('tlog_leaf_ref').selectAll().where('subject_key', '=', pid).execute()).map((l) => [l.kind, l.ref, l.digest]);
    assert.deepEqual(stillThere, oldLeaves, 'the old leaves stay as they were');
    const moved = await db.selectFrom('tlog_leaf_ref').select(['kind', 'ref']).where('subject_key', '=', newId).where('kind', '=', 'citizen_history').orderBy('ref').execute();
    assert.deepEqual(moved.map((l) => l.ref), ['1', '2', '3', '4']);
  });
});

describe('the digest covers the whole row', () => {
  // Runs last: by now every kind has rows.
  test('each kind lists exactly the columns its table has', async () => {
    for (const kind of KINDS) {
      const [row] = await rowsOf(kind);
      assert.ok(row, `${kind}: no row to compare`);
      assert.deepEqual(Object.keys(row).sort(), [...LEAF_KINDS[kind]!.columns].sort(), kind);
    }
  });
});
