/**
 * The OpenID Connect provider end to end (decision 0043), on SQLite and PostgreSQL: openid-client 6
 * as a real relying party over loopback HTTP (discovery, private_key_jwt, PKCE S256, PAR,
 * UserInfo, refresh, RP-initiated logout), the citizen's sign-in and consent forms submitted as a
 * browser would (cookies, HTML forms, no JavaScript), the SMS code read from the durable outbox.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as oc from 'openid-client';
import { ACR_LEVEL1, ACR_LEVEL2 } from '../../src/domain/oidc/claims.js';
import { issueToken } from '../../src/services/principals.js';
import { listPrincipalEvents } from '../../src/store/repositories/principal-events.js';
import { citizenWithEid, exchange, formActions, hiddenValue, registerRelyingParty, signInThrough, startOidcServer, Browser, type OidcServer, type RelyingParty, type TestCitizen } from '../support/oidc.js';

let s: OidcServer;
let rp: RelyingParty;
let level2: TestCitizen;
let level1: TestCitizen;

before(async () => {
  s = await startOidcServer();
  rp = await registerRelyingParty(s, {
    claims: [
      { claim: 'name', required: true },
      { claim: 'birthdate', required: false },
      { claim: 'gender', required: false },
      { claim: 'personal_id', required: false },
      { claim: 'permanent_residence', required: false },
      { claim: 'card_status', required: false },
    ],
    refreshTokens: true,
  });
  level2 = await citizenWithEid(s, 2);
  level1 = await citizenWithEid(s, 1, { fullName: 'Lê Văn Cường', dateOfBirth: '1985-11-02', sex: 'male' });
});
after(() => s.close());

describe('discovery', () => {
  test('the issuer is the public URL + /oidc; the document is at the issuer and at the root, with private_key_jwt only, PKCE S256, PAR, the two acr values', async () => {
    const at = await s.call('GET', '/oidc/.well-known/openid-configuration');
    const root = await s.call('GET', '/.well-known/openid-configuration');
    assert.equal(at.status, 200);
    assert.deepEqual(root.body, at.body);
    assert.equal(at.body.issuer, s.issuer);
    assert.deepEqual(at.body.token_endpoint_auth_methods_supported, ['private_key_jwt']);
    assert.deepEqual(at.body.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(at.body.response_types_supported, ['code']);
    assert.ok(at.body.pushed_authorization_request_endpoint.startsWith(`${s.issuer}/`));
    assert.deepEqual(at.body.acr_values_supported, [ACR_LEVEL1, ACR_LEVEL2]);
    assert.ok(at.body.subject_types_supported.includes('pairwise'));
    assert.equal(at.headers.get('x-content-type-options'), 'nosniff');
  });
});

describe('the code flow', () => {
  test('a level-2 citizen signs in: ID token with acr level 2, UserInfo with the claims consented, the release recorded', async () => {
    const flow = await signInThrough(s, rp, level2, undefined, { scope: 'openid profile personal_id' });
    const tokens = await exchange(rp, flow);
    const id = tokens.claims()!;
    assert.equal(id.acr, ACR_LEVEL2);
    assert.equal(id.iss, s.issuer);
    assert.notEqual(id.sub, level2.principalId);
    assert.notEqual(id.sub, level2.personalId);
    const info = await oc.fetchUserInfo(rp.config, tokens.access_token, id.sub);
    assert.equal(info.name, 'Trần Thị Bích');
    assert.equal(info.birthdate, '1990-04-12');
    assert.equal(info.gender, 'female');
    assert.equal(info.personal_id, level2.personalId);
  });
});

/** A citizen bearer token for the /me routes (as the citizen's app would hold). */
async function citizenToken(who: TestCitizen): Promise<string> {
  return (await issueToken(s.runtime.store, s.clock, who.principalId, 'system:test', { days: 30 })).token;
}

/** An OAuth error answer of the given code (openid-client's ResponseBodyError carries it as `error`). */
const oauthError = (code: string) => (e: { error?: string }) => {
  assert.equal(e.error, code);
  return true;
};

/** The error the relying party receives on its callback. */
async function callbackError(rpx: RelyingParty, flow: { callback: string; verifier: string; state: string; nonce: string }): Promise<{ error: string; description?: string }> {
  const u = new URL(flow.callback);
  assert.ok(u.href.startsWith(rpx.redirectUri), `back at the relying party: ${u.href}`);
  try {
    await exchange(rpx, flow);
  } catch (e) {
    const err = e as { error?: string; error_description?: string; cause?: { error?: string; error_description?: string } };
    const code = err.error ?? err.cause?.error;
    assert.ok(code, String(e));
    return { error: code, ...(err.error_description ?? err.cause?.error_description ? { description: err.error_description ?? err.cause?.error_description } : {}) };
  }
  assert.fail('the relying party got a code');
}

describe('claims by level and consent', () => {
  test('a level-1 citizen asked for level 2 (acr_values) gets the relying party an OIDC error, never a silent downgrade', async () => {
    const flow = await signInThrough(s, rp, level1, undefined, { acrValues: ACR_LEVEL2 });
    assert.equal(new URL(flow.callback).searchParams.get('error'), 'unmet_authentication_requirements');
    assert.equal((await callbackError(rp, flow)).error, 'unmet_authentication_requirements');
  });

  test('the same through the essential acr claim; with level 1 allowed, a level-1 session gets acr level 1 and no level-2 claim', async () => {
    const essential = await signInThrough(s, rp, level1, undefined, { claims: { id_token: { acr: { essential: true, values: [ACR_LEVEL2] } } } });
    assert.equal(new URL(essential.callback).searchParams.get('error'), 'unmet_authentication_requirements');
    const flow = await signInThrough(s, rp, level1, undefined, { scope: 'openid profile personal_id residence card', acrValues: `${ACR_LEVEL1} ${ACR_LEVEL2}` });
    const tokens = await exchange(rp, flow);
    assert.equal(tokens.claims()!.acr, ACR_LEVEL1);
    const info = await oc.fetchUserInfo(rp.config, tokens.access_token, tokens.claims()!.sub);
    assert.equal(info.name, 'Lê Văn Cường');
    assert.equal(info.personal_id, undefined);
    assert.equal(info.permanent_residence, undefined);
    assert.equal(info.card_status, undefined);
  });

  test('level-2 claims for a level-2 session: personal ID, card status; claims the registration does not allow are never released', async () => {
    const flow = await signInThrough(s, rp, level2, undefined, { scope: 'openid profile personal_id card household', par: true });
    const tokens = await exchange(rp, flow);
    const info = await oc.fetchUserInfo(rp.config, tokens.access_token, tokens.claims()!.sub);
    assert.equal(info.personal_id, level2.personalId);
    assert.deepEqual(info.card_status, { status: 'none' });
    assert.equal(info.household, undefined, 'household is not in the registration');
  });

  test('a declined optional claim is absent; a declined required claim or a refusal ends with access_denied at the relying party', async () => {
    const b = new Browser(s.baseUrl);
    const partial = await signInThrough(s, rp, level2, b, { consent: ['name', 'gender'] });
    const tokens = await exchange(rp, partial);
    const info = await oc.fetchUserInfo(rp.config, tokens.access_token, tokens.claims()!.sub);
    assert.equal(info.name, 'Trần Thị Bích');
    assert.equal(info.gender, 'female');
    assert.equal(info.birthdate, undefined);
    // Another browser (a fresh consent): the required name unticked.
    const declined = await signInThrough(s, rp, level2, new Browser(s.baseUrl), { consent: ['birthdate'] });
    assert.deepEqual(await callbackError(rp, declined), { error: 'access_denied', description: 'The citizen declined a required claim' });
    const refused = await signInThrough(s, rp, level2, new Browser(s.baseUrl), { consent: 'deny' });
    assert.equal((await callbackError(rp, refused)).error, 'access_denied');
  });
});

describe('pairwise subjects', () => {
  test('sub differs across two relying parties (two sectors) and is stable for one', async () => {
    const other = await registerRelyingParty(s, { host: 'localhost', name: 'Cổng khác' });
    const a1 = (await exchange(rp, await signInThrough(s, rp, level2))).claims()!.sub;
    const a2 = (await exchange(rp, await signInThrough(s, rp, level2))).claims()!.sub;
    const b1 = (await exchange(other, await signInThrough(s, other, level2))).claims()!.sub;
    assert.equal(a1, a2);
    assert.notEqual(a1, b1);
    assert.match(a1, /^[A-Za-z0-9_-]{43}$/);
  });
});

describe('a personal ID re-issued', () => {
  test('an account bound to the cancelled number signs in (its login is that number): the same subject, the claims of the person under the current number, the release recorded under it', async () => {
    const who = await citizenWithEid(s, 2, { fullName: 'Đinh Văn Đổi Số', dateOfBirth: '1987-07-07', sex: 'male' });
    const before = (await exchange(rp, await signInThrough(s, rp, who, undefined, { scope: 'openid profile personal_id' }))).claims()!.sub;
    const r = await s.call('POST', `/citizens/${who.personalId}/personal-id-cancellation`, { token: s.tokens.officer, purpose: 'reissue', body: { reason: 'BIRTH_YEAR_CORRECTED', corrections: { dateOfBirth: '1988-07-07' } } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const current = r.body.citizen.personalId as string;
    const tokens = await exchange(rp, await signInThrough(s, rp, who, undefined, { scope: 'openid profile personal_id' }));
    const sub = tokens.claims()!.sub;
    assert.equal(sub, before, 'the pairwise subject is the account\'s, not the number\'s');
    const info = await oc.fetchUserInfo(rp.config, tokens.access_token, sub);
    assert.deepEqual([info.name, info.birthdate, info.personal_id], ['Đinh Văn Đổi Số', '1988-07-07', current]);
    const releases = await s.runtime.store.db.selectFrom('access_entry').select('subject_key').where('channel', '=', 'oidc').where('action', '=', 'oidc:userinfo').where('subject_key', 'in', [who.personalId, current]).execute();
    assert.deepEqual(releases, [{ subject_key: current }]);
  });

  test('the relying parties the citizen sees count the releases made before the re-issue, recorded under the cancelled number', async () => {
    const who = await citizenWithEid(s, 2, { fullName: 'Đinh Thị Trước Sau', dateOfBirth: '1989-09-09', sex: 'female' });
    const first = await exchange(rp, await signInThrough(s, rp, who));
    await oc.fetchUserInfo(rp.config, first.access_token, first.claims()!.sub);
    const released = (subject: string) => s.runtime.store.db.selectFrom('access_entry').select('at').where('channel', '=', 'oidc').where('subject_key', '=', subject).orderBy('at').execute();
    const earlier = await released(who.personalId);
    assert.ok(earlier.length > 0, 'released under the number of the time');
    s.clock.advance(3_600_000);
    const r = await s.call('POST', `/citizens/${who.personalId}/personal-id-cancellation`, { token: s.tokens.officer, purpose: 'reissue', body: { reason: 'BIRTH_YEAR_CORRECTED', corrections: { dateOfBirth: '1990-09-09' } } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const current = r.body.citizen.personalId as string;
    s.clock.advance(3_600_000);
    const again = await exchange(rp, await signInThrough(s, rp, who));
    await oc.fetchUserInfo(rp.config, again.access_token, again.claims()!.sub);
    const later = await released(current);
    assert.ok(later.length > 0, 'released under the current number since');
    const list = await s.call('GET', '/me/relying-parties', { token: await citizenToken(who), purpose: null });
    assert.equal(list.status, 200, JSON.stringify(list.body));
    // One line per grant (each sign-in's consent); every one shows the relying party's uses of the person.
    const uses = new Set(list.body.map((g: { clientId: string; firstUse?: string; lastUse?: string }) => JSON.stringify([g.clientId, g.firstUse, g.lastUse])));
    assert.deepEqual([...uses], [JSON.stringify([rp.clientId, earlier[0]!.at, later.at(-1)!.at])]);
  });
});

describe('locks, suspension, revocation', () => {
  test('a lock is effective at once: the code cannot be exchanged, UserInfo and refresh are refused', async () => {
    const who = await citizenWithEid(s, 2, { fullName: 'Phạm Văn Dũng' });
    // Refresh tokens for this one: offline_access.
    const first = await signInThrough(s, rp, who, undefined, { scope: 'openid profile offline_access', prompt: 'consent' });
    const tokens = await exchange(rp, first);
    assert.ok(tokens.refresh_token, 'a refresh token');
    const pending = await signInThrough(s, rp, who, first.browser);
    await s.runtime.store.db.updateTable('login_account').set({ locked_at: s.clock.now().toISOString(), lock_reason: 'test' }).where('principal_id', '=', who.principalId).execute();
    await assert.rejects(oc.fetchUserInfo(rp.config, tokens.access_token, tokens.claims()!.sub), (e: Error & { response?: Response }) => e.response?.status === 401);
    await assert.rejects(oc.refreshTokenGrant(rp.config, tokens.refresh_token!), oauthError('invalid_grant'));
    await assert.rejects(exchange(rp, pending), oauthError('invalid_grant'));
    // A new authorization in the same browser: the provider's session no longer counts, the sign-in page comes back…
    const again = await first.browser.follow(oc.buildAuthorizationUrl(rp.config, { redirect_uri: rp.redirectUri, scope: 'openid', code_challenge: await oc.calculatePKCECodeChallenge(oc.randomPKCECodeVerifier()), code_challenge_method: 'S256', state: 'x' }).href);
    assert.equal(again.left, undefined);
    assert.ok(formActions(again.html).some((a) => a.endsWith('/sign-in')), again.html);
    // …and signing in there gets nothing, as a wrong password (no code sent).
    const refused = await first.browser.request(formActions(again.html).find((a) => a.endsWith('/sign-in'))!, { form: { csrf: hiddenValue(again.html, 'csrf'), personalId: who.personalId, password: who.password } });
    assert.equal(refused.status, 401);
    assert.doesNotMatch(refused.html, /\/code"/);
  });

  test('a suspended relying party is refused at once (token endpoint, UserInfo, a new authorization); reactivated it works again', async () => {
    const flow = await signInThrough(s, rp, level2);
    const tokens = await exchange(rp, flow);
    const pending = await signInThrough(s, rp, level2, flow.browser);
    const off = await s.call('PATCH', `/oidc-clients/${rp.clientId}`, { token: s.tokens.admin, body: { state: 'suspended' } });
    assert.equal(off.status, 200);
    assert.equal(off.body.state, 'suspended');
    try {
      await assert.rejects(oc.fetchUserInfo(rp.config, tokens.access_token, tokens.claims()!.sub));
      await assert.rejects(exchange(rp, pending), oauthError('invalid_client'));
      const page = await new Browser(s.baseUrl).follow(oc.buildAuthorizationUrl(rp.config, { redirect_uri: rp.redirectUri, scope: 'openid', code_challenge: await oc.calculatePKCECodeChallenge(oc.randomPKCECodeVerifier()), code_challenge_method: 'S256' }).href);
      assert.equal(page.left, undefined, 'an unknown client is never redirected to');
      assert.match(page.html, /invalid_client/);
    } finally {
      assert.equal((await s.call('PATCH', `/oidc-clients/${rp.clientId}`, { token: s.tokens.admin, body: { state: 'active' } })).status, 200);
    }
    await exchange(rp, await signInThrough(s, rp, level2));
  });

  test('the citizen sees the relying party with its claims and uses, revokes it: its tokens stop at once, the next sign-in asks consent again', async () => {
    const who = await citizenWithEid(s, 2, { fullName: 'Đỗ Thị Em' });
    const flow = await signInThrough(s, rp, who);
    // Consenting is recorded as revoking is: an event (with its leaf) naming the client and claims.
    const given = (await listPrincipalEvents(s.runtime.store.db, who.principalId)).filter((e) => e.kind === 'oidc-grant-given');
    assert.equal(given.length, 1);
    assert.equal(given[0]!.actorId, who.principalId);
    assert.equal(given[0]!.details.clientId, rp.clientId);
    assert.match(String(given[0]!.details.scope), /\bopenid\b/);
    const tokens = await exchange(rp, flow);
    await oc.fetchUserInfo(rp.config, tokens.access_token, tokens.claims()!.sub);
    const token = await citizenToken(who);
    const list = await s.call('GET', '/me/relying-parties', { token, purpose: null });
    assert.equal(list.status, 200, JSON.stringify(list.body));
    assert.equal(list.body.length, 1);
    assert.equal(list.body[0].clientId, rp.clientId);
    assert.deepEqual(list.body[0].claims, ['name', 'birthdate', 'gender']);
    assert.ok(list.body[0].firstUse && list.body[0].lastUse);
    // The releases are uses of the citizen's data, in their usage view.
    const usage = await s.call('GET', '/me/usage', { token, purpose: null });
    assert.equal(usage.status, 200, JSON.stringify(usage.body));
    const releases = usage.body.items.filter((i: { action: string }) => i.action.startsWith('oidc:'));
    assert.deepEqual(releases.map((i: { action: string }) => i.action).sort(), ['oidc:id-token', 'oidc:userinfo']);
    const ui = releases.find((i: { action: string }) => i.action === 'oidc:userinfo');
    assert.equal(ui.unit, 'Cổng dịch vụ công thử nghiệm');
    assert.equal(ui.purpose, 'Giải quyết thủ tục hành chính');
    assert.deepEqual(ui.fields, ['sub', 'name', 'birthdate', 'gender']);
    // Revoked.
    assert.equal((await s.call('DELETE', `/me/relying-parties/${rp.clientId}`, { token, purpose: null })).status, 204);
    const twice = await s.call('DELETE', `/me/relying-parties/${rp.clientId}`, { token, purpose: null });
    assert.equal(twice.status, 404, JSON.stringify(twice.body));
    assert.equal(twice.body.code, 'RELYING_PARTY_NOT_GRANTED');
    await assert.rejects(oc.fetchUserInfo(rp.config, tokens.access_token, tokens.claims()!.sub));
    assert.deepEqual((await s.call('GET', '/me/relying-parties', { token, purpose: null })).body, []);
    // Still signed in in this browser: no sign-in, but consent is asked again.
    const again = await signInThrough(s, rp, who, flow.browser);
    assert.deepEqual(again.steps, ['consent']);
    await exchange(rp, again);
  });
});

describe('RP-initiated logout', () => {
  test('the end-session URL asks the citizen, then goes back to the registered post-logout URI', async () => {
    const flow = await signInThrough(s, rp, level2);
    const tokens = await exchange(rp, flow);
    const url = oc.buildEndSessionUrl(rp.config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: 'http://127.0.0.1/signed-out', state: 'bye' });
    const page = await flow.browser.follow(url.href);
    assert.equal(page.status, 200);
    assert.match(page.html, /op\.logoutForm/);
    assert.doesNotMatch(page.html, /<script|style=/);
    const form = /<form[^>]*action="([^"]+)"/.exec(page.html)![1]!;
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page.html)![1]!;
    const done = await flow.browser.follow(form, { form: { xsrf, logout: 'yes' } });
    assert.equal(done.left, 'http://127.0.0.1/signed-out?state=bye');
  });
});

describe('at most once', () => {
  test('one code exchanged twice at once: one gets tokens, the other invalid_grant, and the grant is revoked (a reuse)', async () => {
    const flow = await signInThrough(s, rp, level2, new Browser(s.baseUrl));
    const results = await Promise.allSettled([exchange(rp, flow), exchange(rp, flow), exchange(rp, flow)]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    assert.equal(ok.length, 1, JSON.stringify(results.map((r) => (r.status === 'rejected' ? String((r.reason as { error?: string }).error ?? r.reason) : 'ok'))));
    for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as { error?: string }).error, 'invalid_grant');
    const tokens = (ok[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof exchange>>>).value;
    await assert.rejects(oc.fetchUserInfo(rp.config, tokens.access_token, tokens.claims()!.sub));
    // The provider's revocation is recorded on the citizen, as the citizen's own would be.
    const revoked = (await listPrincipalEvents(s.runtime.store.db, level2.principalId)).filter((e) => e.kind === 'oidc-grant-revoked');
    assert.ok(revoked.length >= 1);
    assert.equal(revoked.at(-1)!.details.clientId, rp.clientId);
    assert.equal(revoked.at(-1)!.actorId, 'system:oidc-provider');
  });
});
