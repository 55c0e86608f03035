/**
 * Inspectors search the access log and export entries with their proofs (issue 13 item 4), and
 * every such read is itself recorded with the inspector's purpose.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/http.js';
import { person } from '../support/residence.js';
import { integratePending } from '../../src/services/transparency/sequencer.js';
import { LEAF_KINDS } from '../../src/store/repositories/transparency-leaves.js';
import { formatLeafData, rowDigest } from '../../src/transparency/leaf.js';
import { leafHash } from '../../src/transparency/hash.js';
import { openCheckpoint } from '../../src/transparency/checkpoint.js';
import { verifyInclusion } from '../../src/transparency/tree.js';
import { exportFromLines } from '../../src/services/audit/export-format.js';
import { verifyAuditExport } from '../../src/services/audit/verify.js';

let s: TestServer;
let a: string;
let b: string;
let officerId: string;

async function sequence(): Promise<void> {
  while ((await integratePending(s.runtime.ctx, s.runtime.log.key)).integrated > 0);
}

const inspect = (path: string, purpose = 'TT-01/2026 thanh tra') => s.call('GET', path, { token: s.tokens.inspector, purpose });

/** JSON-lines answers as text (the test client would parse any "json" type as one JSON document). */
async function inspectText(path: string, purpose: string): Promise<{ status: number; type: string; text: string }> {
  const r = await fetch(s.baseUrl + path, { headers: { authorization: `Bearer ${s.tokens.inspector}`, 'x-purpose': purpose } });
  return { status: r.status, type: r.headers.get('content-type') ?? '', text: await r.text() };
}

before(async () => {
  s = await startTestServer('2026-06-01T03:00:00.000Z');
  a = await person(s, 'Nguyễn Văn Thanh', '1970-07-07');
  b = await person(s, 'Đỗ Thị Tra', '1975-08-08', 'female');
  s.clock.advance(1000);
  assert.equal((await s.call('GET', `/citizens/${a}`, { token: s.tokens.officer, purpose: '1.001' })).status, 200);
  s.clock.advance(1000);
  assert.equal((await s.call('GET', `/citizens/${a}/history`, { token: s.tokens.officer, purpose: '1.002' })).status, 200);
  s.clock.advance(1000);
  assert.equal((await s.call('GET', `/citizens/${a}`, { token: s.tokens.officer, purpose: null })).status, 400);
  assert.equal((await s.call('GET', `/citizens/${b}`, { token: s.tokens.officer, purpose: '1.003' })).status, 200);
  officerId = (await s.runtime.store.db.selectFrom('access_entry').select('principal_id').where('action', '=', 'getCitizen').executeTakeFirstOrThrow()).principal_id as string;
  await sequence();
});
after(async () => s.close());

describe('GET /inspection/access-entries', () => {
  test("a citizen's entries, newest first, with who, why, what and the outcome", async () => {
    const r = await inspect(`/inspection/access-entries?personalId=${a}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const items = r.body.items as Array<Record<string, any>>;
    assert.ok(items.every((i) => i.subjectKey === a));
    const ats = items.map((i) => `${i.at}|${i.entryId}`);
    assert.deepEqual(ats, [...ats].sort().reverse());
    const reads = items.filter((i) => i.principalId === officerId);
    assert.deepEqual(reads.map((i) => [i.action, i.purpose ?? null, i.outcome, i.errorCode ?? null]), [
      ['getCitizen', null, 'refused', 'PURPOSE_REQUIRED'],
      ['getCitizenHistory', '1.002', 'served', null],
      ['getCitizen', '1.001', 'served', null],
      ['registerBirth', 'TEST', 'served', null],
    ]);
    assert.equal(reads[2]!.role, 'officer');
    assert.ok(reads[2]!.fields.includes('fullName'));
  });

  test('filters: principal, action, purpose, outcome, channel, period; keyset pages without gaps or repeats', async () => {
    const ids = async (q: string) => ((await inspect(`/inspection/access-entries?${q}`)).body.items as Array<{ entryId: string; action: string }>).map((i) => i.action);
    assert.deepEqual(await ids(`principalId=${officerId}&action=getCitizen&outcome=served`), ['getCitizen', 'getCitizen']);
    assert.deepEqual(await ids('purpose=1.002'), ['getCitizenHistory']);
    assert.deepEqual(await ids(`principalId=${officerId}&outcome=refused`), ['getCitizen']);
    assert.deepEqual(await ids('channel=exchange'), []);
    assert.deepEqual(await ids(`principalId=${officerId}&from=2026-06-01T03:00:01.000Z&to=2026-06-01T03:00:02.000Z`), ['getCitizen']);
    const all: string[] = [];
    let cursor = '';
    for (let i = 0; i < 20; i++) {
      const r = await inspect(`/inspection/access-entries?principalId=${officerId}&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      all.push(...r.body.items.map((x: { entryId: string }) => x.entryId));
      if (!r.body.nextCursor) break;
      cursor = r.body.nextCursor;
    }
    assert.equal(all.length, new Set(all).size);
    assert.equal(all.length, 6); // two registrations, three reads, one refusal
  });

  test('inspectors only, with a purpose; their search is recorded under the person searched for', async () => {
    assert.equal((await s.call('GET', `/inspection/access-entries?personalId=${b}`, { token: s.tokens.officer })).status, 403);
    const none = await s.call('GET', `/inspection/access-entries?personalId=${b}`, { token: s.tokens.inspector, purpose: null });
    assert.equal(none.body.code, 'PURPOSE_REQUIRED');
    assert.equal((await inspect(`/inspection/access-entries?personalId=${b}`, 'PA-17')).status, 200);
    const rows = await s.runtime.store.db.selectFrom('access_entry').selectAll().where('subject_key', '=', b).where('action', '=', 'searchAccessEntries').where('purpose', '=', 'PA-17').execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.role, 'inspector');
    assert.equal(rows[0]!.outcome, 'served');
    // A search without a citizen is recorded under every person its answer names.
    assert.equal((await inspect(`/inspection/access-entries?principalId=${officerId}`, 'KT-2026')).status, 200);
    const named = await s.runtime.store.db.selectFrom('access_entry').select('subject_key').where('purpose', '=', 'KT-2026').execute();
    assert.deepEqual(named.map((r) => r.subject_key).sort(), [a, b].sort());
  });
});

describe('GET /inspection/access-entries/export', () => {
  test('each entry as stored, with its leaf data and an inclusion proof against the signed checkpoint', async () => {
    await sequence();
    const r = await inspectText(`/inspection/access-entries/export?personalId=${a}`, 'TT-01/2026 thanh tra');
    assert.equal(r.status, 200, r.text);
    assert.match(r.type, /application\/x-ndjson/);
    const [head, ...lines] = r.text.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(head.type, 'checkpoint');
    const { checkpoint } = openCheckpoint(head.note, [s.runtime.log.key.verifier], s.runtime.log.key.origin);
    assert.equal(checkpoint.size, head.size);
    assert.ok(lines.length >= 4);
    let last = '';
    for (const l of lines) {
      assert.equal(l.entry.subject_key, a);
      assert.ok(`${l.entry.at}|${l.entry.entry_id}` > last, 'oldest first');
      last = `${l.entry.at}|${l.entry.entry_id}`;
      assert.equal(rowDigest(LEAF_KINDS.access_entry!.columns, l.entry), l.leaf.digest);
      const data = Buffer.from(l.leaf.data, 'base64');
      assert.deepEqual(data, formatLeafData(l.leaf));
      assert.equal(typeof l.index, 'number');
      const proof = l.proof.map((h: string) => Buffer.from(h, 'base64'));
      assert.ok(verifyInclusion(leafHash(data), l.index, checkpoint.size, proof, checkpoint.rootHash));
    }
    const recorded = await s.runtime.store.db.selectFrom('access_entry').selectAll().where('subject_key', '=', a).where('action', '=', 'exportAccessEntries').execute();
    assert.equal(recorded.length, 1);
    assert.equal(recorded[0]!.purpose, 'TT-01/2026 thanh tra');
  });

  test('the whole audit export over HTTP verifies, and is recorded under the citizens it holds', async () => {
    await sequence();
    const r = await inspectText('/inspection/audit-export', 'KT-LOG');
    assert.equal(r.status, 200, r.text);
    const exp = exportFromLines(r.text);
    const report = await verifyAuditExport(exp, { logKeys: [s.runtime.log.key.verifier] });
    assert.equal(report.ok, true, JSON.stringify(report.problems.slice(0, 5)));
    assert.ok(report.counts.rows > 10);
    const recorded = await s.runtime.store.db.selectFrom('access_entry').select('subject_key').where('action', '=', 'getAuditExport').where('purpose', '=', 'KT-LOG').execute();
    assert.deepEqual(recorded.map((x) => x.subject_key).sort(), [a, b].sort());
    assert.equal((await s.call('GET', '/inspection/audit-export', { token: s.tokens.admin })).status, 403);
  });
});
