/**
 * Agency administrators (role `agency`, decision 0046) over real HTTP on each store: accounts of that
 * role exist only for a registered agency; the /my-agency routes as an authorization matrix (every
 * route × every kind of caller); another agency's connection is "not found"; a connection request,
 * a key rotation, focal points, the statement as CSV, the consent requests sent (a recorded use);
 * and an agency administrator's first sign-in with a password and TOTP, like an officer's.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { birthBody, startTestServer, type TestServer } from '../support/http.js';
import { admin, agencyBody, callService, connectIn, newKey, type AgencySystem } from '../support/exchange.js';
import { createPrincipal } from '../../src/services/principals.js';
import { listPrincipalEvents } from '../../src/store/repositories/principal-events.js';
import { base32Decode, totp } from '../../src/domain/auth/totp.js';

let s: TestServer;
const PURPOSE = 'KYC-MOTAIKHOAN';
const policy = {
  grants: [{ service: 'lookupCitizen', fields: ['fullName', 'dateOfBirth', 'sex'], purposes: [PURPOSE, '1.004222'] }],
  ratePerMinute: 10_000,
};
let own: { sys: AgencySystem; token: string | undefined };
let other: { sys: AgencySystem; token: string | undefined };
const tokens: Record<string, string | undefined> = {};
let personalId: string;
let ownId: string;

before(async () => {
  s = await startTestServer('2026-06-10T08:00:00.000Z', { auth: { scryptLogN: 12 } });
  await admin(s, 'POST', '/admin/catalogue/2026', undefined, 201);
  await admin(s, 'POST', '/admin/catalogue/2026/publication', {}, 200);
  own = await connectIn(s, agencyBody('NHDONGY', { type: 'credit_institution', name: 'Ngân hàng Đồng Ý' }), policy, 'active');
  other = await connectIn(s, agencyBody('NHKHAC', { type: 'credit_institution', name: 'Ngân hàng Khác' }), policy, 'active');
  const born = await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody({ fullName: 'Đỗ Thị Mai', dateOfBirth: '1991-02-03' }) });
  personalId = born.body.personalId;
  Object.assign(tokens, {
    none: undefined,
    officer: s.tokens.officer,
    admin: s.tokens.admin,
    inspector: s.tokens.inspector,
    citizen: (await createPrincipal(s.runtime.store, s.clock, 'Công dân', 'citizen', undefined, { personalId })).token,
    own: await createPrincipal(s.runtime.store, s.clock, 'Quản trị Đồng Ý', 'agency', undefined, { unit: 'NHDONGY' }).then((p) => ((ownId = p.principal.id), p.token)),
    other: (await createPrincipal(s.runtime.store, s.clock, 'Quản trị Khác', 'agency', undefined, { unit: 'NHKHAC' })).token,
  });
});
after(async () => s?.close());

const asAgency = (who: 'own' | 'other', method: string, path: string, body?: unknown, purpose: string | null = null) =>
  s.call(method, path, { token: tokens[who]!, purpose, ...(body !== undefined ? { body } : {}) });

describe('who may call /my-agency', () => {
  test('the matrix: only an agency administrator; another agency\'s connection is not found', async () => {
    const key = await newKey();
    const focal = [{ fullName: 'Trần Văn Đầu Mối', position: 'Giám đốc CNTT', phone: '0987654321', email: 'dau.moi@dongy.example' }];
    const cid = own.sys.connectionId;
    const routes: Array<{ method: string; path: string; body?: unknown; ok: number }> = [
      { method: 'GET', path: '/my-agency', ok: 200 },
      { method: 'PUT', path: '/my-agency/focal-points', body: { focalPoints: focal }, ok: 200 },
      { method: 'GET', path: '/my-agency/connections', ok: 200 },
      { method: 'GET', path: `/my-agency/connections/${cid}`, ok: 200 },
      { method: 'PUT', path: `/my-agency/connections/${cid}/keys`, body: { keys: [own.sys.jwk, key.jwk] }, ok: 200 },
      { method: 'GET', path: `/my-agency/connections/${cid}/consents`, ok: 200 },
      { method: 'GET', path: '/my-agency/statements/2026-06', ok: 200 },
    ];
    const expected: Record<string, (r: (typeof routes)[number]) => [number, string?]> = {
      none: () => [401, 'UNAUTHENTICATED'],
      officer: () => [403, 'FORBIDDEN'],
      admin: () => [403, 'FORBIDDEN'],
      inspector: () => [403, 'FORBIDDEN'],
      citizen: () => [403, 'FORBIDDEN'],
      // Another agency's administrator: its own agency for the agency-wide routes, "not found" for this connection.
      other: (r) => (r.path.includes(cid) ? [404, 'CONNECTION_NOT_FOUND'] : [r.ok]),
      own: (r) => [r.ok],
    };
    const seen: string[] = [];
    for (const [who, expect] of Object.entries(expected)) {
      for (const r of routes) {
        const got = await s.call(r.method, r.path, { token: tokens[who], purpose: 'KIEM-TRA', ...(r.body !== undefined ? { body: r.body } : {}) });
        const [status, code] = expect(r);
        assert.equal(got.status, status, `${who} ${r.method} ${r.path}: ${JSON.stringify(got.body)}`);
        if (code) assert.equal(got.body.code, code, `${who} ${r.method} ${r.path}`);
        seen.push(`${who} ${r.method} ${r.path} ${got.status}`);
      }
    }
    assert.equal(seen.length, 7 * routes.length);
    // The agency-wide routes answered each administrator their own agency.
    assert.equal((await asAgency('own', 'GET', '/my-agency')).body.code, 'NHDONGY');
    assert.equal((await asAgency('other', 'GET', '/my-agency')).body.code, 'NHKHAC');
    const lists = await asAgency('other', 'GET', '/my-agency/connections');
    assert.deepEqual(lists.body.map((c: { connectionId: string }) => c.connectionId), [other.sys.connectionId]);
  });

  test('accounts of role agency name a registered agency; the /principals route makes none', async () => {
    for (const unit of [undefined, 'KHONGCO']) {
      const r = await s.call('POST', '/accounts', { token: s.tokens.admin, body: { name: 'Quản trị', role: 'agency', login: `qt.${unit ?? 'none'}`.toLowerCase(), ...(unit ? { unit } : {}) } });
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.code, 'ACCOUNT_AGENCY_REQUIRED');
    }
    assert.equal((await s.call('GET', '/accounts', { token: s.tokens.admin })).body.filter((a: { login: string }) => a.login.startsWith('qt.')).length, 0);
    const p = await s.call('POST', '/principals', { token: s.tokens.admin, body: { name: 'Quản trị', role: 'agency' } });
    assert.equal(p.status, 400);
    await assert.rejects(createPrincipal(s.runtime.store, s.clock, 'x', 'agency', undefined, { unit: 'KHONGCO' }), (e: { code?: string }) => e.code === 'ACCOUNT_AGENCY_REQUIRED');
  });
});

describe('an agency administrator\'s work', () => {
  test('request a connection (requested, for their own agency whatever they say), then see its history', async () => {
    const key = await newKey();
    const body = { systemName: 'Ứng dụng di động', services: ['lookupCitizen'], purposes: [PURPOSE], jwks: { keys: [key.jwk] } };
    assert.equal((await asAgency('own', 'POST', '/my-agency/connections', { ...body, agencyCode: 'NHKHAC' })).status, 400);
    const made = await asAgency('own', 'POST', '/my-agency/connections', body);
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.equal(made.body.agencyCode, 'NHDONGY');
    assert.equal(made.body.state, 'requested');
    const seen = await asAgency('own', 'GET', `/my-agency/connections/${made.body.connectionId}`);
    assert.equal(seen.status, 200);
    assert.deepEqual(seen.body.events.map((e: { kind: string }) => e.kind), ['request']);
    // The ministry sees it in its queue.
    const queue = await admin(s, 'GET', '/admin/connections?state=requested', undefined, 200);
    assert.ok(queue.body.some((c: { connectionId: string }) => c.connectionId === made.body.connectionId));
  });

  test('a private key in the JWKS is refused and changes nothing; a rotation is in the history', async () => {
    const cid = own.sys.connectionId;
    const before = await asAgency('own', 'GET', `/my-agency/connections/${cid}`);
    const bad = await asAgency('own', 'PUT', `/my-agency/connections/${cid}/keys`, { keys: [{ ...own.sys.jwk, d: 'c2VjcmV0' }] });
    assert.equal(bad.status, 400, JSON.stringify(bad.body));
    const after = await asAgency('own', 'GET', `/my-agency/connections/${cid}`);
    assert.deepEqual(after.body.jwks, before.body.jwks);
    const rotated = await asAgency('own', 'PUT', `/my-agency/connections/${cid}/keys`, { keys: [own.sys.jwk] });
    assert.equal(rotated.status, 200);
    assert.deepEqual(rotated.body.jwks.keys.map((k: { kid: string }) => k.kid), [own.sys.kid]);
    const events = (await asAgency('own', 'GET', `/my-agency/connections/${cid}`)).body.events.filter((e: { kind: string }) => e.kind === 'keys');
    assert.ok(events.length >= 1);
  });

  test('focal points change, the name stays the ministry\'s; the directory shows them', async () => {
    const focal = [{ fullName: 'Lý Thị Liên Lạc', position: 'Trưởng phòng pháp chế', phone: '0911222333', email: 'lien.lac@dongy.example' }];
    const r = await asAgency('own', 'PUT', '/my-agency/focal-points', { focalPoints: focal });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.name, 'Ngân hàng Đồng Ý');
    assert.deepEqual(r.body.focalPoints, focal);
    assert.equal((await asAgency('own', 'PUT', '/my-agency/focal-points', { focalPoints: [], name: 'Khác' })).status, 400);
    assert.deepEqual((await asAgency('own', 'GET', '/my-agency')).body.focalPoints, focal);
    // Who changed the published focal points is recorded (the field's name, not the contacts), with its leaf.
    const changes = async () => (await listPrincipalEvents(s.runtime.store.db, 'agency:NHDONGY')).filter((e) => e.kind === 'agency-changed');
    const last = (await changes()).at(-1)!;
    assert.deepEqual([last.actorId, last.details], [ownId, { fields: ['focalPoints'] }]);
    // The same again changes nothing and records nothing.
    const n = (await changes()).length;
    assert.equal((await asAgency('own', 'PUT', '/my-agency/focal-points', { focalPoints: focal })).status, 200);
    assert.equal((await changes()).length, n);
  });

  test('a focal-points change at the same time as the ministry\'s change of the name and type never undoes the ministry\'s', async () => {
    const focal = [{ fullName: 'Lý Thị Liên Lạc', position: 'Trưởng phòng pháp chế', phone: '0911222333', email: 'lien.lac@dongy.example' }];
    for (let i = 0; i < 12; i++) {
      const [type, name] = i % 2 === 0 ? ['notary', `Ngân hàng Đồng Ý ${i}`] : ['credit_institution', `Ngân hàng Đồng Ý ${i}`];
      const [ministry, mine] = await Promise.all([
        admin(s, 'PUT', '/admin/agencies/NHDONGY', { ...agencyBody('NHDONGY', { type, name }), code: undefined }),
        asAgency('own', 'PUT', '/my-agency/focal-points', { focalPoints: focal }),
      ]);
      assert.equal(ministry.status, 200, JSON.stringify(ministry.body));
      assert.equal(mine.status, 200, JSON.stringify(mine.body));
      const now = (await asAgency('own', 'GET', '/my-agency')).body;
      assert.deepEqual([now.name, now.type], [name, type], `round ${i}`);
    }
    await admin(s, 'PUT', '/admin/agencies/NHDONGY', { ...agencyBody('NHDONGY', { type: 'credit_institution', name: 'Ngân hàng Đồng Ý' }), code: undefined, focalPoints: focal }, 200);
  });

  test('the monthly statement counts the agency\'s own calls only, as JSON and as a CSV file', async () => {
    // Banks need the person's consent (decision 0044): these calls are refused, and counted all the same.
    for (let i = 0; i < 3; i++) assert.equal((await callService(s, own.token, 'lookupCitizen', { personalId }, { 'x-purpose': '1.004222' })).body.code, 'SUBJECT_CONSENT_REQUIRED');
    assert.equal((await callService(s, other.token, 'lookupCitizen', { personalId }, { 'x-purpose': '1.004222' })).body.code, 'SUBJECT_CONSENT_REQUIRED');
    const json = await asAgency('own', 'GET', '/my-agency/statements/2026-06');
    assert.equal(json.status, 200);
    assert.equal(json.body.agencyCode, 'NHDONGY');
    assert.equal(json.body.totalCalls, 3);
    assert.deepEqual(json.body.lines.map((l: { service: string; refused: number }) => [l.service, l.refused]), [['lookupCitizen', 3]]);
    const res = await fetch(`${s.baseUrl}/my-agency/statements/2026-06`, { headers: { authorization: `Bearer ${tokens.own}`, accept: 'text/csv' } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/csv/);
    assert.match(res.headers.get('content-disposition') ?? '', /attachment; filename="statement-NHDONGY-2026-06\.csv"/);
    const csv = await res.text();
    assert.match(csv, /lookupCitizen/);
    assert.equal((await asAgency('own', 'GET', '/my-agency/statements/2026-13')).status, 400);
    // Year 0 was a 500 on PostgreSQL (found by the fuzz test): before the first month a log can hold.
    for (const month of ['0000-07', '0001-01', '1969-12']) {
      const r = await asAgency('own', 'GET', `/my-agency/statements/${month}`);
      assert.equal(r.status, 400, month);
      assert.equal(r.body.code, 'VALIDATION_FAILED', month);
    }
  });

  test('the consent requests sent are listed, and reading them is recorded with the purpose', async () => {
    const cid = own.sys.connectionId;
    const asked = await s.call('POST', '/exchange/consents', { token: own.token!, purpose: null, body: { personalId, purpose: PURPOSE, data: [{ service: 'lookupCitizen', fields: ['fullName'] }], validDays: 30 } });
    assert.equal(asked.status, 201, JSON.stringify(asked.body));
    const noPurpose = await asAgency('own', 'GET', `/my-agency/connections/${cid}/consents`);
    assert.equal(noPurpose.status, 400, JSON.stringify(noPurpose.body));
    const r = await s.call('GET', `/my-agency/connections/${cid}/consents?state=pending`, { token: tokens.own!, headers: { 'x-purpose': 'DOI-SOAT', 'x-request-id': 'agency-admin-consents' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.items.map((c: { consentId: string; state: string }) => [c.consentId, c.state]), [[asked.body.consentId, 'pending']]);
    const rows = await s.runtime.store.db.selectFrom('access_entry').select(['role', 'purpose', 'subject_key']).where('action', '=', 'listMyConsentRequests').where('outcome', '=', 'served').execute();
    assert.deepEqual(rows.map((x) => [x.role, x.purpose, x.subject_key]), [['agency', 'DOI-SOAT', personalId]]);
    assert.equal((await asAgency('other', 'GET', `/my-agency/connections/${other.sys.connectionId}/consents`, undefined, 'DOI-SOAT')).body.items.length, 0);
  });
});

describe('signing in', () => {
  test('an agency administrator\'s account signs in with a password and TOTP; the session is theirs and their agency\'s', async () => {
    const made = await s.call('POST', '/accounts', { token: s.tokens.admin, body: { name: 'Phạm Quản Trị', role: 'agency', login: 'quan.tri.dongy', unit: 'NHDONGY' } });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.equal(made.body.account.unit, 'NHDONGY');
    const code = (secret: string) => totp((alg, k, m) => createHmac(alg, k).update(m).digest(), base32Decode(secret)!, s.clock.now().getTime());
    const one = await s.call('POST', '/auth/sign-in', { body: { login: 'quan.tri.dongy', password: made.body.initialPassword } });
    const two = await s.call('POST', '/auth/sign-in/password', { body: { challenge: one.body.challenge, newPassword: 'ngân hàng đồng ý mở cửa' } });
    assert.equal(two.body.next, 'enrol-totp', JSON.stringify(two.body));
    const three = await s.call('POST', '/auth/sign-in/second-factor', { body: { challenge: one.body.challenge, code: code(two.body.secret) } });
    assert.equal(three.status, 200, JSON.stringify(three.body));
    const cookie = three.headers.getSetCookie().find((h) => h.startsWith('dancu-session='))!.split(';')[0]!;
    const me = await s.call('GET', '/auth/session', { headers: { cookie } });
    assert.equal(me.body.role, 'agency');
    const agency = await s.call('GET', '/my-agency', { headers: { cookie } });
    assert.equal(agency.body.code, 'NHDONGY');
    // A change with the cookie needs the CSRF token.
    const focal = agency.body.focalPoints;
    assert.equal((await s.call('PUT', '/my-agency/focal-points', { headers: { cookie }, body: { focalPoints: focal } })).body.code, 'CSRF_TOKEN_INVALID');
    assert.equal((await s.call('PUT', '/my-agency/focal-points', { headers: { cookie, 'x-csrf-token': three.body.csrfToken }, body: { focalPoints: focal } })).status, 200);
  });
});
