/**
 * Consent requests (decision 0044) over HTTP, the API itself: a connection in its test stage asks
 * synthetic people only, at most one pending request under simultaneous requests, who may see what
 * (agencies, citizens, other roles; a suspended connection), paging, bad input. The world is
 * test/support/consents.ts; what a consent allows is consents-lifecycle.test.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { TestServer } from '../support/http.js';
import { agencyBody, connectIn, moveTo } from '../support/exchange.js';
import { consentCalls, consentWorld, grants } from '../support/consents.js';

let s: TestServer;
let bank: string;
let bank2: string;
let people: string[];
let citizens: string[];
const { asAgency, asCitizen, ask } = consentCalls(() => ({ s, citizens }));

before(async () => {
  ({ s, bank, bank2, people, citizens } = await consentWorld());
});
after(async () => s?.close());

describe('a connection in its test stage', () => {
  test('asks synthetic people only: a real citizen or an unknown ID is refused, nothing made, no SMS', async () => {
    const synthetic = (await s.runtime.store.db.selectFrom('citizen_history').select('personal_id').where('source', '=', 'generator').where('version', '=', 1).orderBy('personal_id').limit(1).executeTakeFirstOrThrow()).personal_id;
    const t = (await connectIn(s, agencyBody('NHTHUNGHIEM', { type: 'credit_institution' }), grants(), 'testing')).token!;
    const count = async () => (await s.runtime.store.db.selectFrom('consent_request').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const sms = async () => (await s.runtime.store.db.selectFrom('sms_outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const [before, smsBefore] = [await count(), await sms()];
    for (const personalId of [people[0]!, '001099000001']) {
      const r = await ask(t, personalId);
      assert.equal(r.status, 403, JSON.stringify(r.body));
      assert.equal(r.body.code, 'TEST_CONNECTION_REAL_DATA');
    }
    assert.equal(Number(await count()), Number(before));
    assert.equal(Number(await sms()), Number(smsBefore));
    assert.equal((await ask(t, synthetic)).status, 201);
  });
});

describe('at most one pending request', () => {
  test('simultaneous requests for one person and purpose: exactly one is made', async () => {
    const p = people[0]!;
    const results = await Promise.all(Array.from({ length: 8 }, () => ask(bank2, p)));
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [201, 409, 409, 409, 409, 409, 409, 409], JSON.stringify(results.map((r) => r.body)));
    assert.ok(results.filter((r) => r.status === 409).every((r) => r.body.code === 'CONSENT_REQUEST_OPEN'));
    const rows = await s.runtime.store.db.selectFrom('consent_request').select('consent_id').where('personal_id', '=', p).where('state', '=', 'pending').execute();
    assert.equal(rows.length, 1);
    // Another purpose is another request.
    assert.equal((await ask(bank2, p, { purpose: '1.004222' })).status, 201);
  });
});

describe('who sees what', () => {
  // The pages below need several of the bank's requests (in one file with the consents' lifecycle they had them).
  before(async () => {
    for (const p of people.slice(1)) assert.equal((await ask(bank, p, { purpose: '1.004222' })).status, 201);
  });

  test('agencies see only their own requests; citizens only theirs; other roles and tokens get nothing', async () => {
    const mine = await ask(bank, people[0]!, { purpose: '1.004222' });
    assert.equal(mine.status, 201);
    const id = mine.body.consentId as string;
    const cases: [string, () => Promise<{ status: number; body: any }>, number, string?][] = [
      ['own agency reads', () => asAgency(bank, 'GET', `/exchange/consents/${id}`), 200],
      ['other agency reads', () => asAgency(bank2, 'GET', `/exchange/consents/${id}`), 404, 'CONSENT_REQUEST_NOT_FOUND'],
      ['no token reads', () => s.call('GET', `/exchange/consents/${id}`), 401, 'EXCHANGE_TOKEN_INVALID'],
      ['officer token reads', () => s.call('GET', `/exchange/consents/${id}`, { token: s.tokens.officer }), 401, 'EXCHANGE_TOKEN_INVALID'],
      ['subject reads', () => asCitizen(0, 'GET', `/me/consents/${id}`), 200],
      ['another citizen reads', () => asCitizen(1, 'GET', `/me/consents/${id}`), 404, 'CONSENT_REQUEST_NOT_FOUND'],
      ['another citizen approves', () => asCitizen(1, 'POST', `/me/consents/${id}/approve`), 404, 'CONSENT_REQUEST_NOT_FOUND'],
      ['officer approves', () => s.call('POST', `/me/consents/${id}/approve`, { token: s.tokens.officer }), 403],
      ['agency approves', () => s.call('POST', `/me/consents/${id}/approve`, { token: bank }), 401],
      ['nobody lists', () => s.call('GET', '/me/consents'), 401],
    ];
    for (const [name, run, status, code] of cases) {
      const r = await run();
      assert.equal(r.status, status, `${name}: ${JSON.stringify(r.body)}`);
      if (code) assert.equal(r.body.code, code, name);
    }
    const otherList = await asAgency(bank2, 'GET', '/exchange/consents?limit=200');
    assert.ok(!otherList.body.items.some((i: { consentId: string }) => i.consentId === id));
    const ownList = await asAgency(bank, 'GET', '/exchange/consents?limit=200');
    assert.ok(ownList.body.items.some((i: { consentId: string }) => i.consentId === id));
    const citizenList = await asCitizen(1, 'GET', '/me/consents?limit=200');
    assert.ok(citizenList.body.items.every((i: { personalId: string }) => i.personalId === people[1]));
    // Still pending: nobody but its subject decided it.
    assert.equal((await asAgency(bank, 'GET', `/exchange/consents/${id}`)).body.state, 'pending');
  });

  test('a suspended connection can no longer read its requests, even with an unexpired token; resumed, it can again', async () => {
    const c = await connectIn(s, agencyBody('NHTAMNGUNG', { type: 'credit_institution' }), grants(), 'active');
    const made = await ask(c.token!, people[2]!);
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const paths = [`/exchange/consents/${made.body.consentId}`, '/exchange/consents'];
    await moveTo(s, c.sys, 'suspend');
    for (const path of paths) {
      const r = await asAgency(c.token!, 'GET', path);
      assert.equal(r.status, 403, `${path}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.code, 'CONNECTION_SUSPENDED');
    }
    await moveTo(s, c.sys, 'resume');
    for (const path of paths) assert.equal((await asAgency(c.token!, 'GET', path)).status, 200, path);
  });

  test('pages: newest first, `next` continues without repeats', async () => {
    const all = (await asAgency(bank, 'GET', '/exchange/consents?limit=200')).body.items as { consentId: string; createdAt: string }[];
    assert.ok(all.length >= 5);
    const seen: string[] = [];
    let next: string | undefined;
    do {
      const r = await asAgency(bank, 'GET', `/exchange/consents?limit=2${next ? `&before=${next}` : ''}`);
      assert.equal(r.status, 200);
      seen.push(...r.body.items.map((i: { consentId: string }) => i.consentId));
      next = r.body.next;
    } while (next);
    assert.deepEqual(seen, all.map((i) => i.consentId));
  });
});

describe('bad input', () => {
  test('problem+json with a stable code; nothing is made', async () => {
    const count = async () => Number((await s.runtime.store.db.selectFrom('consent_request').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const bad: [Record<string, unknown>, number, string][] = [
      [{ validDays: 366 }, 400, 'VALIDATION_FAILED'],
      [{ validDays: 0 }, 400, 'VALIDATION_FAILED'],
      [{ personalId: '12345' }, 400, 'VALIDATION_FAILED'],
      [{ purpose: 'bad purpose!' }, 400, 'VALIDATION_FAILED'],
      [{ data: [] }, 400, 'VALIDATION_FAILED'],
      [{ data: [{ service: 'nope', fields: ['x'] }] }, 400, 'VALIDATION_FAILED'],
      [{ data: [{ service: 'getCardStatus', fields: ['status'] }] }, 400, 'CONSENT_REQUEST_INVALID'],
      [{ data: [{ service: 'lookupCitizen', fields: ['email'] }] }, 400, 'CONSENT_REQUEST_INVALID'],
      [{ purpose: '9.999999' }, 400, 'CONSENT_REQUEST_INVALID'],
      [{ extra: 1 }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [o, status, code] of bad) {
      const r = await ask(bank, people[2]!, o);
      assert.equal(r.status, status, `${JSON.stringify(o)}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.code, code, JSON.stringify(o));
      assert.match(r.headers.get('content-type') ?? '', /application\/problem\+json/);
    }
    assert.equal((await asCitizen(0, 'POST', '/me/consents/not-a-uuid/approve')).body.code, 'VALIDATION_FAILED');
    assert.equal((await asCitizen(0, 'GET', '/me/consents?state=maybe')).body.code, 'VALIDATION_FAILED');
    assert.equal((await asCitizen(0, 'GET', `/me/consents/${randomUUID()}`)).body.code, 'CONSENT_REQUEST_NOT_FOUND');
    assert.equal((await asCitizen(0, 'GET', '/me/consents?before=%%%')).status, 400);
    assert.equal(await count(), before);
  });
});
