/**
 * "At most one" rules under concurrency (issue 12 item 1, decision 0024): N simultaneous requests
 * for the same thing, sent to two server processes on one store (two servers here, each with its
 * own store connection — on SQLite two handles on one file, on PostgreSQL two pools). Exactly one
 * wins; every other answer is a 409 problem+json with a stable code, never a 500; and the database
 * holds the invariant afterwards.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { birthBody, startPeerServer, startTestServer, type TestServer } from '../support/http.js';
import { consent, HANG_BAC, NGOC_HA, OWNED, person, submit } from '../support/residence.js';
import { agencyBody, connectIn } from '../support/exchange.js';
import { insertRegistration } from '../../src/store/repositories/residence-registrations.js';
import { isUniqueViolation } from '../../src/store/failures.js';

type Answer = Awaited<ReturnType<TestServer['call']>>;
type Server = Pick<TestServer, 'call'>;

let a: TestServer;
let b: Server & { close(): Promise<void> };
const N = 6;

before(async () => {
  a = await startTestServer('2026-06-01T08:00:00.000Z');
  b = await startPeerServer(a);
});
after(async () => {
  await b?.close();
  await a?.close();
});

/** The same request N times at once, alternating between the two servers. */
function race(send: (server: Server) => Promise<Answer>, n = N): Promise<Answer[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => send(i % 2 === 0 ? a : b)));
}

/** One answer with the winning status; all others 409 problem+json with the expected code. */
function exactlyOneWinner(answers: Answer[], winStatus: number, loserCode: string): Answer {
  const statuses = answers.map((r) => `${r.status} ${r.body?.code ?? ''}`).join(', ');
  const winners = answers.filter((r) => r.status === winStatus);
  assert.equal(winners.length, 1, `one winner expected: ${statuses}`);
  for (const r of answers.filter((x) => x !== winners[0])) {
    assert.equal(r.status, 409, statuses);
    assert.match(r.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal(r.body.code, loserCode, statuses);
    assert.equal(r.body.status, 409);
    assert.ok(r.body.messages.vi && r.body.messages.en);
  }
  return winners[0]!;
}

const db = () => a.runtime.store.db;

describe('at most one, under concurrency, on one store shared by two servers', () => {
  test('issueCard: one valid card; the others are refused CARD_ALREADY_VALID', async () => {
    const pid = await person(a, 'Đỗ Thị Thẻ', '1990-04-04', 'female');
    const answers = await race((s) => s.call('POST', `/citizens/${pid}/cards`, { token: a.tokens.officer, body: { issueDate: '2026-05-20' } }));
    const won = exactlyOneWinner(answers, 201, 'CARD_ALREADY_VALID');
    const cards = await db().selectFrom('id_card').select(['seq']).where('personal_id', '=', pid).execute();
    assert.deepEqual(cards.map((c) => Number(c.seq)), [won.body.seq]);
    const history = await db().selectFrom('id_card_history').select('seq').where('personal_id', '=', pid).execute();
    assert.equal(history.length, 1);
  });

  test('replaceCard: one replacement of the card in force; the others find nothing left to replace', async () => {
    const pid = await person(a, 'Đỗ Văn Đổi', '1991-05-05');
    assert.equal((await a.call('POST', `/citizens/${pid}/cards`, { token: a.tokens.officer, body: { issueDate: '2026-01-10' } })).status, 201);
    const answers = await race((s) => s.call('POST', `/citizens/${pid}/cards/replacement`, { token: a.tokens.officer, body: { reason: 'DAMAGED', issueDate: '2026-05-20' } }));
    // The card in force is replaced once; every later request replaces the new one in turn, or is
    // refused — never two replacements of one card.
    const ok = answers.filter((r) => r.status === 201);
    assert.ok(ok.length >= 1);
    for (const r of answers.filter((x) => x.status !== 201)) assert.equal(r.status, 409, JSON.stringify(r.body));
    const rows = await db().selectFrom('id_card').select(['seq', 'replaced_by_seq', 'replaced_on', 'revoked_on']).where('personal_id', '=', pid).orderBy('seq').execute();
    const live = rows.filter((r) => r.replaced_on === null && r.revoked_on === null);
    assert.equal(live.length, 1, JSON.stringify(rows));
    const targets = rows.map((r) => r.replaced_by_seq).filter((x) => x !== null).map(Number);
    assert.equal(new Set(targets).size, targets.length, 'a card replaced by one card only');
    assert.equal(rows.length, ok.length + 1);
  });

  test('temporary registration: one open application per person and procedure (APPLICATION_ALREADY_OPEN)', async () => {
    const pid = await person(a, 'Lê Thị Tạm', '1995-06-06', 'female');
    const body = { personalId: pid, address: NGOC_HA, validUntil: '2027-06-01', lawfulResidence: OWNED };
    const answers = await race((s) => s.call('POST', '/residence/temporary-registrations', { token: a.tokens.officer, body }));
    exactlyOneWinner(answers, 201, 'APPLICATION_ALREADY_OPEN');
    const open = await db()
      .selectFrom('residence_application')
      .select('application_id')
      .where('personal_id', '=', pid)
      .where('procedure', '=', 'temporary_registration')
      .where('status', 'in', ['submitted', 'documents_requested'])
      .execute();
    assert.equal(open.length, 1);
  });

  test('approval: one decision per application; one permanent residence in force', async () => {
    const pid = await person(a, 'Phạm Văn Thường', '1980-07-07');
    const app = await submit(a, 'permanent-registrations', { personalId: pid, address: HANG_BAC, lawfulResidence: OWNED });
    const answers = await race((s) => s.call('POST', `/residence/applications/${app.applicationId}/approval`, { token: a.tokens.officer, body: {} }));
    exactlyOneWinner(answers, 200, 'APPLICATION_STATE_CONFLICT');
    const permanent = await db()
      .selectFrom('residence_registration')
      .select('seq')
      .where('personal_id', '=', pid)
      .where('kind', '=', 'permanent')
      .where('ended_on', 'is', null)
      .execute();
    assert.equal(permanent.length, 1);
    const heads = await db().selectFrom('household_member').select('personal_id').where('personal_id', '=', pid).where('relationship', '=', 'head').execute();
    assert.equal(heads.length, 1);
  });

  test('two people joining one household, approved at the same moment: both join, one head', async () => {
    const head = await person(a, 'Đinh Văn Chủ', '1970-03-03');
    const first = await submit(a, 'permanent-registrations', { personalId: head, address: HANG_BAC, lawfulResidence: OWNED });
    const household = (await a.call('POST', `/residence/applications/${first.applicationId}/approval`, { token: a.tokens.officer, body: {} })).body.outcome.householdId as string;
    const joiners = [await person(a, 'Đinh Thị Vợ', '1972-04-04', 'female'), await person(a, 'Đinh Văn Em', '1975-05-05')];
    const apps = [];
    for (const [i, pid] of joiners.entries()) {
      apps.push(await submit(a, 'permanent-registrations', { personalId: pid, household: { householdId: household, relationship: i === 0 ? 'wife' : 'sibling' }, lawfulResidence: OWNED, consents: [consent('household_head', head)] }));
    }
    const answers = await Promise.all(apps.map((app, i) => (i % 2 ? b : a).call('POST', `/residence/applications/${app.applicationId}/approval`, { token: a.tokens.officer, body: {} })));
    assert.deepEqual(answers.map((r) => r.status), [200, 200], JSON.stringify(answers.map((r) => r.body)));
    const members = await db().selectFrom('household_member').select(['personal_id', 'relationship']).where('household_id', '=', household).execute();
    assert.deepEqual(members.map((m) => m.personal_id).sort(), [head, ...joiners].sort());
    assert.equal(members.filter((m) => m.relationship === 'head').length, 1);
    const h = await db().selectFrom('household').select('version').where('household_id', '=', household).executeTakeFirstOrThrow();
    assert.equal(Number(h.version), 3);
  });

  test('the database itself refuses a second permanent residence in force (migration 0006)', async () => {
    const pid = await person(a, 'Vũ Văn Chỉ', '1979-08-08');
    await submit(a, 'permanent-registrations', { personalId: pid, address: HANG_BAC, lawfulResidence: OWNED }).then((app) =>
      a.call('POST', `/residence/applications/${app.applicationId}/approval`, { token: a.tokens.officer, body: {} }),
    );
    const reg = { personalId: pid, kind: 'permanent' as const, address: NGOC_HA, startOn: '2026-06-01', recordedAt: '2026-06-01T08:00:00.000Z' };
    await assert.rejects(
      a.runtime.store.transaction((tx) => insertRegistration(tx, reg, { kind: 'permanent_registered', actorId: 'test', at: reg.recordedAt })),
      (e: { code?: string }) => e.code === 'CONCURRENT_UPDATE',
    );
    // A free sequence number: only the partial unique index can refuse this row.
    const row = { personal_id: pid, seq: 99, kind: 'permanent', address: JSON.stringify(NGOC_HA), start_on: reg.startOn, recorded_at: reg.recordedAt };
    await assert.rejects(db().insertInto('residence_registration').values(row).execute(), (e) => isUniqueViolation(e));
    await db().insertInto('residence_registration').values({ ...row, ended_on: '2026-06-01' }).execute();
  });

  test('death: recorded once; the others are refused CITIZEN_DECEASED', async () => {
    const pid = await person(a, 'Hoàng Văn Mất', '1940-09-09');
    const answers = await race((s) => s.call('POST', `/citizens/${pid}/death`, { token: a.tokens.officer, body: { dateOfDeath: '2026-05-30', reason: 'Trích lục khai tử' } }));
    exactlyOneWinner(answers, 200, 'CITIZEN_DECEASED');
    const deaths = await db().selectFrom('citizen_history').select('version').where('personal_id', '=', pid).where('change_kind', '=', 'recordDeath').execute();
    assert.equal(deaths.length, 1);
  });

  test('update with the same If-Match: one wins, the others get 412 (the version moved on)', async () => {
    const pid = await person(a, 'Trịnh Văn Sửa', '1985-10-10');
    const answers = await race((s) =>
      s.call('PATCH', `/citizens/${pid}`, { token: a.tokens.officer, headers: { 'if-match': '"1"' }, body: { changes: { email: 'sua@example.vn' }, reason: 'Cập nhật thư điện tử' } }),
    );
    const statuses = answers.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, ...Array(N - 1).fill(412)], JSON.stringify(answers.map((r) => r.body?.code)));
    for (const r of answers.filter((x) => x.status === 412)) assert.equal(r.body.code, 'VERSION_MISMATCH');
    const row = await db().selectFrom('citizen').select('version').where('personal_id', '=', pid).executeTakeFirstOrThrow();
    assert.equal(Number(row.version), 2);
  });

  test('personal ID cancellation: one re-issue; the others are refused PERSONAL_ID_CANCELLED', async () => {
    const old = await person(a, 'Bùi Văn Cấp', '1995-04-04');
    const answers = await race((s) =>
      s.call('POST', `/citizens/${old}/personal-id-cancellation`, { token: a.tokens.officer, body: { reason: 'BIRTH_YEAR_CORRECTED', note: 'Trích lục cải chính hộ tịch', corrections: { dateOfBirth: '1996-04-04' } } }),
    );
    const won = exactlyOneWinner(answers, 201, 'PERSONAL_ID_CANCELLED');
    const issued = await db().selectFrom('personal_id_issued').select(['personal_id', 'replaced_by']).where('personal_id', '=', old).execute();
    assert.deepEqual(issued.map((r) => r.replaced_by), [won.body.citizen.personalId]);
    const rows = await db().selectFrom('citizen').select('personal_id').where('personal_id', 'in', [old, won.body.citizen.personalId]).execute();
    assert.deepEqual(rows.map((r) => r.personal_id), [won.body.citizen.personalId]);
  });

  test('births to the same parent at once: every child registered, the parent lists each exactly once', async () => {
    const father = await person(a, 'Ngô Văn Cha', '1970-01-01');
    const answers = await race((s) =>
      s.call('POST', '/citizens', { token: a.tokens.officer, body: birthBody({ fullName: 'Ngô Văn Con', relatives: [{ relation: 'father', personalId: father, fullName: 'Ngô Văn Cha', nationality: 'VN' }] }) }),
    );
    assert.deepEqual(answers.map((r) => r.status), Array(N).fill(201), JSON.stringify(answers.map((r) => r.body?.code)));
    const ids = answers.map((r) => r.body.personalId as string);
    assert.equal(new Set(ids).size, N, 'every child has its own number');
    const parent = await a.call('GET', `/citizens/${father}`, { token: a.tokens.officer });
    const children = parent.body.relatives.filter((r: { relation: string }) => r.relation === 'child').map((r: { personalId: string }) => r.personalId);
    assert.deepEqual([...children].sort(), [...ids].sort());
    assert.equal(parent.body.version, 1 + N);
  });

  test('agency registration: one agency per code (AGENCY_EXISTS)', async () => {
    const answers = await race((s) => s.call('POST', '/admin/agencies', { token: a.tokens.admin, body: agencyBody('RACE01') }));
    exactlyOneWinner(answers, 201, 'AGENCY_EXISTS');
    const rows = await db().selectFrom('agency').select('code').where('code', '=', 'RACE01').execute();
    assert.equal(rows.length, 1);
  });

  test('catalogue: one draft per year (CATALOGUE_VERSION_EXISTS), published once (CATALOGUE_NOT_DRAFT), then a connection is suspended once (TRANSITION_NOT_ALLOWED)', async () => {
    const drafts = await race((s) => s.call('POST', '/admin/catalogue/2026', { token: a.tokens.admin }));
    exactlyOneWinner(drafts, 201, 'CATALOGUE_VERSION_EXISTS');
    const published = await race((s) => s.call('POST', '/admin/catalogue/2026/publication', { token: a.tokens.admin, body: {} }));
    exactlyOneWinner(published, 200, 'CATALOGUE_NOT_DRAFT');

    const policy = { grants: [{ service: 'lookupCitizen', fields: ['fullName'], purposes: ['1.004222'] }], ratePerMinute: 1000 };
    const { sys } = await connectIn(a, agencyBody('RACE02'), policy, 'active');
    const answers = await race((s) => s.call('POST', `/admin/connections/${sys.connectionId}/transitions`, { token: a.tokens.admin, body: { action: 'suspend', reason: 'Kiểm tra bất thường' } }));
    exactlyOneWinner(answers, 200, 'TRANSITION_NOT_ALLOWED');
    const events = await db().selectFrom('connection_event').select('seq').where('connection_id', '=', sys.connectionId).where('kind', '=', 'suspend').execute();
    assert.equal(events.length, 1);
    const c = await db().selectFrom('exchange_connection').select('state').where('connection_id', '=', sys.connectionId).executeTakeFirstOrThrow();
    assert.equal(c.state, 'suspended');
  });
});
