/**
 * Who answers the consent question of an organisation's written request (decision 0040, line of
 * 2026-12-06): the same consent as an agency's consent request (NĐ 70/2024 Art. 10(2)), so the same
 * rule (decision 0044, domain/exchange/consent-answerer.ts) — the person; a parent while the child
 * is under 14; a legal representative the person's record names, at any age; from 14 the person
 * alone. Over HTTP on the store under test: the authorization matrix, the ground each step names,
 * and a refused parent changing nothing while the refusal is recorded under the child.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { birthBody, startTestServer, type TestServer } from '../support/http.js';
import { family, asCitizen, type Family } from '../support/usage.js';
import { createPrincipal } from '../../src/services/principals.js';

let s: TestServer;
let f: Family;
let teen: string;
let teenToken: string;
const ORG = { kind: 'organisation', name: 'Công ty TNHH Thử Nghiệm', stateBody: false, registrationNumber: '0101234567' } as const;
const SCAN = { mediaType: 'application/pdf', contentBase64: Buffer.from('%PDF-1.4\n% scanned letter (synthetic)\n%%EOF\n').toString('base64') };

/** An organisation's request about `personalId`, waiting for consent. */
async function orgRequest(personalId: string): Promise<string> {
  const r = await s.call('POST', '/written-requests', {
    token: s.tokens.officer,
    body: { personalId, channel: 'post', requester: ORG, fields: ['identity'], purpose: 'Thẩm định hồ sơ vay vốn', scan: SCAN },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.status, 'awaiting_consent');
  return r.body.requestId as string;
}

const answer = (token: string, requestId: string, a: 'given' | 'refused', personalId?: string) =>
  asCitizen(s, token, 'POST', `/me/written-requests/${requestId}/consent`, { answer: a, ...(personalId ? { personalId } : {}) });

const db = () => s.runtime.store.db;
const principalOf = async (personalId: string) => (await db().selectFrom('principal').select('id').where('personal_id', '=', personalId).executeTakeFirstOrThrow()).id;
const stepsOf = async (personalId: string, requestId: string) =>
  (await db().selectFrom('written_request_event').selectAll().where('personal_id', '=', personalId).where('request_id', '=', requestId).orderBy('seq').execute()).map((e) => ({
    kind: e.kind,
    channel: e.channel,
    actorId: e.actor_id,
    ground: (JSON.parse(e.details) as { ground?: string }).ground,
  }));
const count = async (t: 'written_request_event' | 'certificate') => Number((await db().selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

before(async () => {
  s = await startTestServer('2026-06-01T03:00:00.000Z'); // Monday 10:00 in Vietnam
  f = await family(s); // the child was born on 2015-03-03: 11 today
  const r = await s.call('POST', '/citizens', {
    token: s.tokens.officer,
    headers: { 'x-purpose': 'registration' },
    body: birthBody({ fullName: 'Trần Văn Mười Lăm', dateOfBirth: '2011-01-05', relatives: [{ relation: 'father', personalId: f.parent, fullName: 'Trần Văn Cha', nationality: 'VN' }] }),
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  teen = r.body.personalId as string; // 15 today
  teenToken = (await createPrincipal(s.runtime.store, s.clock, 'Mười Lăm', 'citizen', undefined, { personalId: teen })).token;
});
after(async () => s?.close());

describe('who answers a written request\'s consent question', () => {
  test('the authorization matrix: self, parent of an 11-year-old, parent of a 15-year-old, legal representative, parent of an adult, stranger, officer', async () => {
    const [parent, child, stranger] = await Promise.all([principalOf(f.parent), principalOf(f.child), principalOf(f.stranger)]);
    const teenPrincipal = await principalOf(teen);
    const cases: [string, () => Promise<string>, (id: string) => ReturnType<typeof answer>, number, string, { subject: string; actor: string; ground: string }?][] = [
      ['the 11-year-old themself', () => orgRequest(f.child), (id) => answer(f.tokens.child, id, 'given'), 200, 'open', { subject: f.child, actor: child, ground: 'self' }],
      ['the 15-year-old themself', () => orgRequest(teen), (id) => answer(teenToken, id, 'given'), 200, 'open', { subject: teen, actor: teenPrincipal, ground: 'self' }],
      ['the parent of the 11-year-old', () => orgRequest(f.child), (id) => answer(f.tokens.parent, id, 'given', f.child), 200, 'open', { subject: f.child, actor: parent, ground: 'minor_child' }],
      ['the parent of the 11-year-old refuses', () => orgRequest(f.child), (id) => answer(f.tokens.parent, id, 'refused', f.child), 200, 'refused', { subject: f.child, actor: parent, ground: 'minor_child' }],
      ['the legal representative of a 76-year-old', () => orgRequest(f.ward), (id) => answer(f.tokens.parent, id, 'given', f.ward), 200, 'open', { subject: f.ward, actor: parent, ground: 'legal_representative' }],
      ['the stranger themself', () => orgRequest(f.stranger), (id) => answer(f.tokens.stranger, id, 'given'), 200, 'open', { subject: f.stranger, actor: stranger, ground: 'self' }],
      ['the parent of the 15-year-old', () => orgRequest(teen), (id) => answer(f.tokens.parent, id, 'given', teen), 403, 'CONSENT_ANSWERED_BY_SUBJECT'],
      ['the parent of the 15-year-old refuses', () => orgRequest(teen), (id) => answer(f.tokens.parent, id, 'refused', teen), 403, 'CONSENT_ANSWERED_BY_SUBJECT'],
      ['the parent of an adult child', () => orgRequest(f.adultChild), (id) => answer(f.tokens.parent, id, 'given', f.adultChild), 403, 'NOT_REPRESENTED'],
      ['a stranger naming the child', () => orgRequest(f.child), (id) => answer(f.tokens.stranger, id, 'given', f.child), 403, 'NOT_REPRESENTED'],
      ['a stranger by the request alone', () => orgRequest(f.child), (id) => answer(f.tokens.stranger, id, 'given'), 404, 'WRITTEN_REQUEST_NOT_FOUND'],
      ['a child for the parent', () => orgRequest(f.parent), (id) => answer(f.tokens.child, id, 'given', f.parent), 403, 'NOT_REPRESENTED'],
      ['the parent naming the child, the ward\'s request', () => orgRequest(f.ward), (id) => answer(f.tokens.parent, id, 'given', f.child), 404, 'WRITTEN_REQUEST_NOT_FOUND'],
      ['an officer', () => orgRequest(f.child), (id) => s.call('POST', `/me/written-requests/${id}/consent`, { token: s.tokens.officer, body: { answer: 'given', personalId: f.child } }), 403, 'FORBIDDEN'],
    ];
    for (const [who, make, run, status, outcome, step] of cases) {
      const id = await make();
      const r = await run(id);
      assert.equal(r.status, status, `${who}: ${JSON.stringify(r.body)}`);
      if (status !== 200) {
        assert.equal(r.body.code, outcome, who);
        continue;
      }
      assert.equal(r.body.status, outcome, who);
      const last = (await stepsOf(step!.subject, id)).at(-1)!;
      assert.deepEqual(last, { kind: outcome === 'open' ? 'consent_given' : 'consent_refused', channel: 'api', actorId: step!.actor, ground: step!.ground }, who);
    }
  });

  test('a parent of a 15-year-old changes nothing, and the refusal is recorded under the teen; the teen then answers alone', async () => {
    const id = await orgRequest(teen);
    const entries = () => db().selectFrom('access_entry').selectAll().where('subject_key', '=', teen).where('action', '=', 'answerWrittenRequestConsent').execute();
    const earlier = new Set((await entries()).map((e) => e.entry_id));
    const before = { events: await count('written_request_event'), letters: await count('certificate') };
    for (const a of ['given', 'refused'] as const) {
      const r = await answer(f.tokens.parent, id, a, teen);
      assert.equal(r.status, 403, JSON.stringify(r.body));
      assert.equal(r.body.code, 'CONSENT_ANSWERED_BY_SUBJECT');
      assert.match(r.headers.get('content-type') ?? '', /application\/problem\+json/);
    }
    assert.deepEqual({ events: await count('written_request_event'), letters: await count('certificate') }, before, 'no step, no refusal letter');
    const shown = await s.call('GET', `/written-requests/${id}`, { token: s.tokens.officer });
    assert.equal(shown.body.status, 'awaiting_consent');
    assert.equal(shown.body.deadline, undefined);
    assert.deepEqual(shown.body.events.map((e: { kind: string }) => e.kind), ['received']);

    const refusals = (await entries()).filter((e) => !earlier.has(e.entry_id));
    assert.equal(refusals.length, 2, 'one entry per refused answer');
    for (const e of refusals) {
      assert.equal(e.outcome, 'refused');
      assert.equal(e.error_code, 'CONSENT_ANSWERED_BY_SUBJECT');
      assert.equal(e.principal_id, await principalOf(f.parent));
      assert.equal(e.purpose, 'representation');
    }

    const own = await answer(teenToken, id, 'given');
    assert.equal(own.status, 200, JSON.stringify(own.body));
    assert.equal(own.body.status, 'open');
    assert.deepEqual((await stepsOf(teen, id)).map((e) => `${e.kind}/${e.ground ?? '-'}`), ['received/-', 'consent_given/self']);
  });

  test('an answer on paper names no ground (an officer records it, with its note)', async () => {
    const id = await orgRequest(teen);
    const r = await s.call('POST', `/written-requests/${id}/consent`, { token: s.tokens.officer, body: { answer: 'given', note: 'Giấy đồng ý ký ngày 01/06/2026' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const last = (await db().selectFrom('written_request_event').select(['channel', 'details']).where('personal_id', '=', teen).where('request_id', '=', id).orderBy('seq', 'desc').executeTakeFirstOrThrow());
    assert.equal(last.channel, 'paper');
    const details = JSON.parse(last.details) as Record<string, unknown>;
    assert.equal(details.note, 'Giấy đồng ý ký ngày 01/06/2026');
    assert.equal(details.ground, undefined);
  });
});
