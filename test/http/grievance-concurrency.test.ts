/**
 * A grievance's steps sent at once (decision 0032): inspectors' assign, answer and close on one case,
 * through two servers on one store (two SQLite handles on one file / two PostgreSQL pools). No 5xx;
 * the steps are applied one after the other as the rule allows — nothing after `closed`, which is
 * taken once — and every loser is 409 GRIEVANCE_CLOSED, none a lost race; each stored event has its
 * transparency-log leaf, and no event of a refused step is left behind. Real HTTP, both stores. (In
 * one process a SQLite transaction runs within one tick, so there the race shows only across
 * processes: concurrency-processes.test.ts.)
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPeerServer, startTestServer, type TestServer } from '../support/http.js';
import { asCitizen, family, officerReads, type Family } from '../support/usage.js';
import { LEAF_KINDS } from '../../src/store/repositories/transparency-leaves.js';
import { rowDigest } from '../../src/transparency/leaf.js';

type Server = Pick<TestServer, 'call'>;
type Action = 'assign' | 'answer' | 'close';

let a: TestServer;
let b: Server & { close(): Promise<void> };
let f: Family;
const PURPOSE = { 'x-purpose': 'TT-2026/grievance' };
const KIND: Record<Action, string> = { assign: 'assigned', answer: 'answered', close: 'closed' };

before(async () => {
  a = await startTestServer('2026-06-01T03:00:00.000Z');
  b = await startPeerServer(a);
  f = await family(a);
});
after(async () => {
  await b?.close();
  await a?.close();
});

/** A new grievance of the stranger's, on a fresh entry about them. */
async function openOne(): Promise<string> {
  await officerReads(a, f.stranger, 'no reason given');
  const entryId = (await asCitizen(a, f.tokens.stranger, 'GET', '/me/usage')).body.items[0].entryId as string;
  const g = await asCitizen(a, f.tokens.stranger, 'POST', `/me/usage/${entryId}/grievance`, { text: 'Tôi không biết vì sao.' });
  assert.equal(g.status, 201, JSON.stringify(g.body));
  return g.body.grievanceId as string;
}

/** The steps sent at once, alternating between the two servers. */
function race(grievanceId: string, actions: readonly Action[]) {
  return Promise.all(actions.map((action, i) => (i % 2 === 0 ? a : b).call('POST', `/inspection/grievances/${grievanceId}/events`, { token: a.tokens.inspector, headers: PURPOSE, body: { action, text: `${action} ${i}` } })));
}

async function eventsOf(grievanceId: string) {
  return a.runtime.store.db.selectFrom('grievance_event').selectAll().where('personal_id', '=', f.stranger).where('grievance_id', '=', grievanceId).orderBy('seq').execute();
}

/** Each stored event has one leaf, the digest of the row as read back; no leaf names an event not stored. */
async function assertLeaves(grievanceId: string, rows: Awaited<ReturnType<typeof eventsOf>>): Promise<void> {
  const leaves = await a.runtime.store.db.selectFrom('tlog_leaf_ref').selectAll().where('subject_key', '=', f.stranger).where('kind', '=', 'grievance_event').where('ref', 'like', `${grievanceId}/%`).execute();
  assert.deepEqual(leaves.map((l) => l.ref).sort(), rows.map((r) => `${grievanceId}/${Number(r.seq)}`).sort());
  const byRef = new Map(leaves.map((l) => [l.ref, l]));
  for (const r of rows) assert.equal(byRef.get(`${grievanceId}/${Number(r.seq)}`)!.digest, rowDigest(LEAF_KINDS.grievance_event!.columns, { ...r, seq: Number(r.seq) }));
}

/**
 * The answers and the stored steps are those of the steps applied one after the other, in some order:
 * each accepted until the first close, each after it refused GRIEVANCE_CLOSED; no step lost to the
 * race itself.
 */
async function assertApplied(grievanceId: string, actions: readonly Action[], answers: Awaited<ReturnType<typeof race>>): Promise<void> {
  const seen = answers.map((r, i) => `${actions[i]}: ${r.status} ${r.body?.code ?? ''}`).join(', ');
  for (const r of answers.filter((x) => x.status !== 201)) {
    assert.equal(r.status, 409, seen);
    assert.match(r.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal(r.body.code, 'GRIEVANCE_CLOSED', seen);
  }
  const rows = await eventsOf(grievanceId);
  const kinds = rows.map((r) => r.kind);
  assert.deepEqual(rows.map((r) => Number(r.seq)), rows.map((_, i) => i + 1), 'seqs 1..n');
  assert.equal(kinds[0], 'opened');
  if (actions.includes('close')) {
    assert.equal(answers.filter((r, i) => actions[i] === 'close' && r.status === 201).length, 1, `one close: ${seen}`);
    assert.equal(kinds.indexOf('closed'), kinds.length - 1, `nothing after closed: ${kinds.join(', ')} (${seen})`);
  } else {
    assert.ok(answers.every((r) => r.status === 201), seen);
  }
  // Each accepted step is one stored event, with the text it was sent with; a refused step left none.
  const accepted = answers.flatMap((r, i) => (r.status === 201 ? [`${KIND[actions[i]!]} ${actions[i]} ${i}`] : []));
  assert.deepEqual(rows.slice(1).map((r) => `${r.kind} ${r.text}`).sort(), accepted.sort(), seen);
  await assertLeaves(grievanceId, rows);
  const mine = (await asCitizen(a, f.tokens.stranger, 'GET', '/me/grievances')).body.items.find((g: any) => g.grievanceId === grievanceId);
  assert.deepEqual(mine.events.map((e: any) => e.kind), kinds);
  assert.equal(mine.status, kinds[kinds.length - 1]);
}

describe("a grievance's steps at once", () => {
  const mixes: Action[][] = [
    ['close', 'answer', 'close', 'answer', 'assign', 'close', 'answer', 'assign'],
    ['answer', 'close', 'answer', 'close', 'answer', 'close'],
    ['close', 'close', 'close', 'close', 'close', 'close'],
    ['assign', 'assign', 'answer', 'answer', 'close', 'answer', 'assign', 'answer'],
  ];
  for (const [n, actions] of mixes.entries()) {
    test(`mix ${n + 1} (${actions.join(', ')}): applied one after the other, nothing after closed, losers 409, each event with its leaf`, async () => {
      const grievanceId = await openOne();
      const answers = await race(grievanceId, actions);
      await assertApplied(grievanceId, actions, answers);
      // The case closed by then refuses any later step with its own code.
      if ((await eventsOf(grievanceId)).some((r) => r.kind === 'closed')) {
        const late = await race(grievanceId, ['answer', 'close']);
        assert.deepEqual(late.map((r) => `${r.status} ${r.body.code}`), ['409 GRIEVANCE_CLOSED', '409 GRIEVANCE_CLOSED']);
      }
    });
  }

  test('an open case takes several answers and assignments at once: every one applied, none refused (no rule forbids a second answer)', async () => {
    const grievanceId = await openOne();
    const actions: Action[] = ['answer', 'answer', 'answer', 'answer', 'assign', 'assign'];
    await assertApplied(grievanceId, actions, await race(grievanceId, actions));
  });
});
