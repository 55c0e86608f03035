/**
 * A principal's events under concurrency (store/repositories/principal-events.ts): requests that
 * each append an event for the same principal at once — failed sign-ins (which lock the login
 * account), token creations (which lock the principal) and token revocations (which lock neither) —
 * all get their own answer, and the principal's record holds every event once, numbered 1..n with
 * no gap, each with its transparency-log leaf. Also a subject with no principal row (an agency's),
 * written by transactions that take no lock at all. Real HTTP, both stores.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/http.js';
import { issueToken } from '../../src/services/principals.js';
import { appendPrincipalEvent, listPrincipalEvents } from '../../src/store/repositories/principal-events.js';
import { LEAF_KINDS } from '../../src/store/repositories/transparency-leaves.js';
import { rowDigest } from '../../src/transparency/leaf.js';
import { DEFAULT_LOCKOUT } from '../../src/domain/auth/limits.js';

let s: TestServer;
/** Requests of each kind sent at once. */
const K = 8;

before(async () => {
  // No delay within this test's failures (the delay is tested in sign-in.test.ts); a cheap scrypt cost.
  s = await startTestServer('2026-06-01T08:00:00.000Z', { auth: { scryptLogN: 12, lockout: { ...DEFAULT_LOCKOUT, freeFailures: 1000 } }, trustProxy: ['127.0.0.1'] });
});
after(async () => s?.close());

/** The subject's events number 1..n with no gap, and each has exactly one leaf: the digest of the row as stored. */
async function assertGaplessWithLeaves(subject: string, n: number): Promise<void> {
  const db = s.runtime.store.db;
  const rows = await db.selectFrom('principal_event').selectAll().where('principal_id', '=', subject).orderBy('seq').execute();
  assert.deepEqual(rows.map((r) => Number(r.seq)), Array.from({ length: n }, (_, i) => i + 1));
  const leaves = await db.selectFrom('tlog_leaf_ref').selectAll().where('subject_key', '=', subject).where('kind', '=', 'principal_event').execute();
  assert.equal(leaves.length, n, 'one leaf per event');
  const byRef = new Map(leaves.map((l) => [l.ref, l]));
  assert.equal(byRef.size, n);
  for (const r of rows) {
    const leaf = byRef.get(String(r.seq));
    assert.ok(leaf, `the leaf of event ${r.seq}`);
    assert.equal(leaf.digest, rowDigest(LEAF_KINDS.principal_event!.columns, { ...r, seq: Number(r.seq) }), `the leaf of event ${r.seq} is the row's`);
  }
}

describe("a principal's events, appended at once", () => {
  test('failed sign-ins, token creations and revocations for one account: each answered as alone, each recorded once, seqs 1..n, each with its leaf', async () => {
    const created = await s.call('POST', '/accounts', { token: s.tokens.admin, body: { name: 'Cán bộ Đồng Thời', role: 'officer', login: 'dong.thoi' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id: string = created.body.account.principalId;
    const earlier: string[] = [];
    for (let i = 0; i < K; i++) earlier.push((await issueToken(s.runtime.store, s.clock, id, 'test-admin')).tokenId);
    const before = await listPrincipalEvents(s.runtime.store.db, id);
    assert.deepEqual(before.map((e) => e.kind), ['created', 'account-created', ...Array(K).fill('token-created')]);

    const failures = Array.from({ length: K }, (_, i) =>
      s.call('POST', '/auth/sign-in', { body: { login: 'dong.thoi', password: `sai mật khẩu ${i}` }, headers: { 'x-forwarded-for': `10.7.0.${i + 1}` } }),
    );
    const creations = Array.from({ length: K }, () => s.call('POST', `/principals/${id}/tokens`, { token: s.tokens.admin, body: {} }));
    const revocations = earlier.map((tokenId) => s.call('DELETE', `/principals/${id}/tokens/${tokenId}`, { token: s.tokens.admin }));
    const [failed, made, revoked] = await Promise.all([Promise.all(failures), Promise.all(creations), Promise.all(revocations)]);

    const seen = (rs: { status: number; body: any }[]) => rs.map((r) => `${r.status} ${r.body?.code ?? ''}`).join(', ');
    assert.ok([...failed, ...made, ...revoked].every((r) => r.status < 500), 'no 5xx');
    assert.ok(failed.every((r) => r.status === 401 && r.body.code === 'SIGN_IN_FAILED'), seen(failed));
    assert.ok(made.every((r) => r.status === 201), seen(made));
    assert.ok(revoked.every((r) => r.status === 204), seen(revoked));

    const events = (await listPrincipalEvents(s.runtime.store.db, id)).slice(before.length);
    const of = (kind: string) => events.filter((e) => e.kind === kind);
    assert.equal(events.length, 3 * K, events.map((e) => e.kind).join(', '));
    // Each attempt was counted once, in turn: its count names it.
    assert.deepEqual(of('sign-in-failed').map((e) => e.details.failures as number).sort((x, y) => x - y), Array.from({ length: K }, (_, i) => i + 1));
    assert.deepEqual(of('token-created').map((e) => e.details.tokenId).sort(), made.map((r) => r.body.tokenId).sort());
    assert.deepEqual(of('token-revoked').map((e) => e.details.tokenId).sort(), [...earlier].sort());
    await assertGaplessWithLeaves(id, before.length + 3 * K);
  });

  test('a subject with no principal row, written by transactions that lock nothing: every event once, seqs 1..n, each with its leaf', async () => {
    const subject = 'agency:DONG-THOI';
    const n = 3 * K;
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        s.runtime.store.transaction((tx) => appendPrincipalEvent(tx, { principalId: subject, at: s.clock.now().toISOString(), actorId: 'test-admin', kind: 'agency-changed', details: { fields: [`f${i}`] } })),
      ),
    );
    const events = await listPrincipalEvents(s.runtime.store.db, subject);
    assert.deepEqual(events.map((e) => (e.details.fields as string[])[0]).sort(), Array.from({ length: n }, (_, i) => `f${i}`).sort());
    await assertGaplessWithLeaves(subject, n);
  });
});
