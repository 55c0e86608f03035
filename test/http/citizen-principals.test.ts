/** POST /principals with role citizen (decision 0032): bound to a registered citizen; its token reaches the citizen routes only. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { birthBody, startTestServer, type TestServer } from '../support/http.js';

let s: TestServer;
let personalId: string;
before(async () => {
  s = await startTestServer();
  personalId = (await s.call('POST', '/citizens', { token: s.tokens.officer, headers: { 'x-purpose': 'TEST' }, body: birthBody() })).body.personalId;
});
after(async () => s.close());

describe('citizen principals', () => {
  test('created by an admin for a registered citizen; refused unbound, unknown, or a personal ID on another role', async () => {
    const create = (body: unknown) => s.call('POST', '/principals', { token: s.tokens.admin, headers: { 'x-purpose': 'TEST' }, body });
    const ok = await create({ name: 'Công dân', role: 'citizen', personalId });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.equal(ok.body.principal.role, 'citizen');
    assert.equal((await create({ name: 'X', role: 'citizen' })).body.code, 'CITIZEN_PRINCIPAL_UNBOUND');
    assert.equal((await create({ name: 'X', role: 'citizen', personalId: '099999999999' })).body.code, 'CITIZEN_PRINCIPAL_UNBOUND');
    assert.equal((await create({ name: 'X', role: 'officer', personalId })).body.code, 'PERSONAL_ID_NOT_FOR_ROLE');
    const row = await s.runtime.store.db.selectFrom('principal').select(['role', 'personal_id']).where('id', '=', ok.body.principal.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { role: 'citizen', personal_id: personalId });

    // Its token: the citizen's own routes, never an officer's.
    const token = ok.body.token as string;
    assert.equal((await s.call('GET', '/me/usage', { token })).status, 200);
    assert.equal((await s.call('GET', `/citizens/${personalId}`, { token, headers: { 'x-purpose': 'TEST' } })).status, 403);
    assert.equal((await s.call('GET', '/principals', { token })).status, 403);
  });
});
