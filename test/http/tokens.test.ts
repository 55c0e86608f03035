/**
 * Bearer tokens expire and are listed and revoked by public ID, never shown again (decision 0038);
 * who may call the routes of signing in, accounts and tokens (an authorization matrix). Real HTTP,
 * both stores.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/http.js';
import { listPrincipalEvents } from '../../src/store/repositories/principal-events.js';
import { authenticate, createPrincipal } from '../../src/services/principals.js';

let s: TestServer;
before(async () => {
  s = await startTestServer('2026-06-01T08:00:00.000Z', { auth: { scryptLogN: 12, tokens: { defaultDays: 90, maxDays: 365 } } });
});
after(async () => s?.close());

describe('tokens', () => {
  test('a new principal\'s token expires after the default 90 days; further tokens have a chosen life within the maximum', async () => {
    const created = await s.call('POST', '/principals', { token: s.tokens.admin, body: { name: 'Hệ thống báo cáo', role: 'inspector' } });
    assert.equal(created.status, 201);
    const { principal, token, tokenId, expiresAt } = created.body;
    assert.equal(expiresAt, '2026-08-30T08:00:00.000Z');
    assert.match(tokenId, /^[0-9a-f]{16}$/);

    assert.equal((await s.call('POST', `/principals/${principal.id}/tokens`, { token: s.tokens.admin, body: { days: 366 } })).body.code, 'TOKEN_LIFETIME_INVALID');
    assert.equal((await s.call('POST', `/principals/${principal.id}/tokens`, { token: s.tokens.admin, body: { days: 0 } })).status, 400);
    const short = await s.call('POST', `/principals/${principal.id}/tokens`, { token: s.tokens.admin, body: { days: 1, label: 'báo cáo đêm' } });
    assert.equal(short.status, 201);
    assert.equal(short.body.expiresAt, '2026-06-02T08:00:00.000Z');

    const list = await s.call('GET', `/principals/${principal.id}/tokens`, { token: s.tokens.admin });
    const byId = (a: { tokenId: string }, b: { tokenId: string }) => a.tokenId.localeCompare(b.tokenId);
    assert.deepEqual([...list.body].sort(byId), [
      { tokenId, principalId: principal.id, createdAt: '2026-06-01T08:00:00.000Z', expiresAt },
      { tokenId: short.body.tokenId, principalId: principal.id, label: 'báo cáo đêm', createdAt: '2026-06-01T08:00:00.000Z', expiresAt: '2026-06-02T08:00:00.000Z' },
    ].sort(byId));
    assert.ok(!JSON.stringify(list.body).includes(token.slice(4, 20)), 'the secret is never shown again');

    const me = (t: string) => s.call('GET', '/auth/session', { token: t });
    assert.equal((await me(short.body.token)).status, 200);
    s.clock.advance(86_400_000 - 1);
    assert.equal((await me(short.body.token)).status, 200);
    s.clock.advance(1);
    assert.equal((await me(short.body.token)).status, 401, 'expired at its expiry instant');
    assert.equal((await me(token)).status, 200);
    s.clock.set('2026-08-30T07:59:59.999Z');
    assert.equal((await me(token)).status, 200);
    s.clock.set('2026-08-30T08:00:00.000Z');
    assert.equal((await me(token)).status, 401);
    s.clock.set('2026-06-01T08:00:00.000Z');
  });

  test('revocation by public ID takes effect on the next request, and is recorded', async () => {
    const { principal, token, tokenId } = await createPrincipal(s.runtime.store, s.clock, 'Máy chủ đồng bộ', 'officer');
    const second = await s.call('POST', `/principals/${principal.id}/tokens`, { token: s.tokens.admin, body: {} });
    const me = (t: string) => s.call('GET', '/auth/session', { token: t });
    assert.equal((await me(token)).status, 200);
    assert.equal((await s.call('DELETE', `/principals/${principal.id}/tokens/${tokenId}`, { token: s.tokens.admin })).status, 204);
    assert.equal((await me(token)).status, 401);
    assert.equal((await me(second.body.token)).status, 200, 'the other token still works');
    assert.equal((await s.call('DELETE', `/principals/${principal.id}/tokens/${tokenId}`, { token: s.tokens.admin })).body.code, 'TOKEN_NOT_FOUND');
    assert.equal((await s.call('DELETE', `/principals/00000000-0000-4000-8000-000000000000/tokens/${second.body.tokenId}`, { token: s.tokens.admin })).body.code, 'TOKEN_NOT_FOUND', 'a token is revoked under its own principal only');
    const listed = (await s.call('GET', `/principals/${principal.id}/tokens`, { token: s.tokens.admin })).body;
    assert.equal(listed.find((t: any) => t.tokenId === tokenId).revokedAt, '2026-06-01T08:00:00.000Z');
    const events = await listPrincipalEvents(s.runtime.store.db, principal.id);
    assert.deepEqual(events.map((e) => e.kind), ['created', 'token-created', 'token-revoked']);
    assert.deepEqual(events[2]!.details, { tokenId });
    assert.equal(events[1]!.details.tokenId, second.body.tokenId);
  });

  test('the service decides expiry with the clock it is given', async () => {
    const { token } = await createPrincipal(s.runtime.store, s.clock, 'Đồng hồ', 'officer', undefined, { token: { days: 2 } });
    assert.ok(await authenticate(s.runtime.store, token, s.clock));
    assert.equal(await authenticate(s.runtime.store, token, { now: () => new Date('2026-06-03T08:00:00.000Z') }), undefined);
  });
});

describe('who may call the routes of signing in, accounts and tokens', () => {
  test('matrix: no credential, officer, inspector, admin', async () => {
    const target = (await createPrincipal(s.runtime.store, s.clock, 'Đích', 'officer')).principal.id;
    const acct = await s.call('POST', '/accounts', { token: s.tokens.admin, body: { name: 'Tài khoản', role: 'officer', login: 'ma.tran' } });
    const acctId = acct.body.account.principalId;
    const routes: [string, string, unknown, { none: number; officer: number; inspector: number; admin: number }][] = [
      ['GET', '/accounts', undefined, { none: 401, officer: 403, inspector: 403, admin: 200 }],
      ['POST', '/accounts', { name: 'X', role: 'officer', login: 'x' }, { none: 401, officer: 403, inspector: 403, admin: 400 }],
      ['POST', `/accounts/${acctId}/lock`, { reason: 'thử' }, { none: 401, officer: 403, inspector: 403, admin: 204 }],
      ['POST', `/accounts/${acctId}/unlock`, undefined, { none: 401, officer: 403, inspector: 403, admin: 204 }],
      ['POST', `/accounts/${acctId}/password-reset`, {}, { none: 401, officer: 403, inspector: 403, admin: 200 }],
      ['GET', `/principals/${target}/tokens`, undefined, { none: 401, officer: 403, inspector: 403, admin: 200 }],
      ['POST', `/principals/${target}/tokens`, {}, { none: 401, officer: 403, inspector: 403, admin: 201 }],
      ['GET', '/auth/session', undefined, { none: 401, officer: 200, inspector: 200, admin: 200 }],
      ['GET', '/auth/sessions', undefined, { none: 401, officer: 200, inspector: 200, admin: 200 }],
      ['DELETE', '/auth/sessions', undefined, { none: 401, officer: 200, inspector: 200, admin: 200 }],
      ['POST', '/auth/sign-out', undefined, { none: 401, officer: 404, inspector: 404, admin: 404 }],
      ['POST', '/auth/sign-in', { login: 'ai.do', password: 'sai mật khẩu' }, { none: 401, officer: 401, inspector: 401, admin: 401 }],
    ];
    const who = { none: undefined, officer: s.tokens.officer, inspector: s.tokens.inspector, admin: s.tokens.admin } as const;
    for (const [method, path, body, expected] of routes) {
      for (const role of ['none', 'officer', 'inspector', 'admin'] as const) {
        const r = await s.call(method, path, { ...(who[role] ? { token: who[role] } : {}), ...(body !== undefined ? { body } : {}) });
        assert.equal(r.status, expected[role], `${role} ${method} ${path}: ${JSON.stringify(r.body)}`);
      }
    }
  });
});
