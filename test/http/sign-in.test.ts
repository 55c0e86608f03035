/**
 * Officers sign in with a password and TOTP over real HTTP (decision 0038): the full first sign-in
 * (own password, enrolment, session cookie kept by hand as a browser would), no account
 * enumeration, the growing delay with the clock injected, session idle and absolute expiry,
 * revocation on the next request, CSRF, administrators' lock and reset, and two sign-ins or
 * enrolments at once. Runs on SQLite and PostgreSQL.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/http.js';
import { base32Decode, totp } from '../../src/domain/auth/totp.js';
import { listPrincipalEvents } from '../../src/store/repositories/principal-events.js';
import { startSignIn } from '../../src/services/auth/sign-in.js';
import { authSettings } from '../../src/services/auth/settings.js';
import { verifyPassword } from '../../src/services/auth/passwords.js';
import { DEFAULT_LOCKOUT } from '../../src/domain/auth/limits.js';

let s: TestServer;
// A cheap scrypt cost keeps the many hashes here fast; the default cost is tested in test/services/passwords.test.ts.
const FAST = { scryptLogN: 12 };

before(async () => {
  // Behind a trusted proxy (loopback): tests that fail many sign-ins each come from their own address.
  s = await startTestServer('2026-06-01T08:00:00.000Z', { auth: FAST, trustProxy: ['127.0.0.1'] });
});
after(async () => s?.close());

const hmac = (alg: 'sha1' | 'sha256' | 'sha512', key: Uint8Array, msg: Uint8Array) => createHmac(alg, key).update(msg).digest();
const codeFor = (secret: string) => totp(hmac, base32Decode(secret)!, s.clock.now().getTime());
let loginSeq = 0;

async function newAccount(role = 'officer'): Promise<{ id: string; login: string; initial: string }> {
  const login = `can.bo.${++loginSeq}`;
  const r = await s.call('POST', '/accounts', { token: s.tokens.admin, body: { name: `Cán bộ ${loginSeq}`, role, login, unit: 'Công an phường Ba Đình' } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return { id: r.body.account.principalId, login, initial: r.body.initialPassword };
}

const cookieOf = (headers: Headers) => {
  const c = headers.getSetCookie().find((h) => h.startsWith('dancu-session='));
  return c?.split(';')[0];
};

interface Session {
  cookie: string;
  csrf: string;
  sessionId: string;
}

/** First sign-in: initial password, own password, TOTP enrolment, code. Returns the session and the TOTP secret. */
async function firstSignIn(a: { login: string; initial: string }, password = 'mây trắng bay qua đồi'): Promise<{ session: Session; secret: string }> {
  const one = await s.call('POST', '/auth/sign-in', { body: { login: a.login, password: a.initial } });
  assert.equal(one.body.next, 'set-password');
  const two = await s.call('POST', '/auth/sign-in/password', { body: { challenge: one.body.challenge, newPassword: password } });
  assert.equal(two.body.next, 'enrol-totp', JSON.stringify(two.body));
  const three = await s.call('POST', '/auth/sign-in/second-factor', { body: { challenge: one.body.challenge, code: codeFor(two.body.secret) } });
  assert.equal(three.status, 200, JSON.stringify(three.body));
  return { session: { cookie: cookieOf(three.headers)!, csrf: three.body.csrfToken, sessionId: three.body.sessionId }, secret: two.body.secret };
}

/** A later sign-in: password, then a TOTP code of the next step (a code is never accepted twice). */
async function signIn(login: string, password: string, secret: string): Promise<Session> {
  s.clock.advance(30_000);
  const one = await s.call('POST', '/auth/sign-in', { body: { login, password } });
  assert.equal(one.body.next, 'totp', JSON.stringify(one.body));
  const two = await s.call('POST', '/auth/sign-in/second-factor', { body: { challenge: one.body.challenge, code: codeFor(secret) } });
  assert.equal(two.status, 200, JSON.stringify(two.body));
  return { cookie: cookieOf(two.headers)!, csrf: two.body.csrfToken, sessionId: two.body.sessionId };
}

const withCookie = (x: Session, csrf = true) => ({ headers: { cookie: x.cookie, ...(csrf ? { 'x-csrf-token': x.csrf } : {}) } });

describe('first sign-in', () => {
  test('initial password → own password (NIST rules) → TOTP enrolment → session cookie; the cookie acts with the account\'s role', async () => {
    const a = await newAccount();
    assert.match(a.initial, /^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    const one = await s.call('POST', '/auth/sign-in', { body: { login: a.login.toUpperCase(), password: a.initial } });
    assert.equal(one.status, 200);
    assert.equal(one.body.next, 'set-password');
    assert.match(one.body.challenge, /^dch_/);
    assert.equal(one.headers.getSetCookie().length, 0, 'no session before the second factor');

    const refused = async (newPassword: string, code: string) => {
      const r = await s.call('POST', '/auth/sign-in/password', { body: { challenge: one.body.challenge, newPassword } });
      assert.equal(r.status, 400, newPassword);
      assert.equal(r.body.code, code, newPassword);
    };
    await refused('short', 'PASSWORD_TOO_SHORT');
    await refused('iloveyou1', 'PASSWORD_COMMON');
    await refused('my dancu password', 'PASSWORD_CONTEXT_WORD');
    await refused(`xx${a.login}xx`, 'PASSWORD_CONTEXT_WORD');
    await refused(a.initial, 'PASSWORD_UNCHANGED');

    const two = await s.call('POST', '/auth/sign-in/password', { body: { challenge: one.body.challenge, newPassword: 'mây trắng bay qua đồi' } });
    assert.equal(two.status, 200);
    assert.equal(two.body.next, 'enrol-totp');
    assert.equal(two.body.otpauthUri, `otpauth://totp/dancu:${encodeURIComponent(a.login)}?secret=${two.body.secret}&issuer=dancu&algorithm=SHA1&digits=6&period=30`);
    assert.match(two.body.qrSvg, /<svg[\s\S]*<\/svg>/);
    assert.equal(base32Decode(two.body.secret)!.length, 20);

    const wrong = await s.call('POST', '/auth/sign-in/second-factor', { body: { challenge: one.body.challenge, code: codeFor(two.body.secret) === '000000' ? '111111' : '000000' } });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.code, 'SECOND_FACTOR_INVALID');

    const three = await s.call('POST', '/auth/sign-in/second-factor', { body: { challenge: one.body.challenge, code: codeFor(two.body.secret) } });
    assert.equal(three.status, 200);
    assert.equal(three.body.next, 'done');
    const setCookie = three.headers.getSetCookie()[0]!;
    assert.match(setCookie, /^dancu-session=dcs_[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/, 'plain HTTP: no Secure, no __Host- prefix');
    const session: Session = { cookie: cookieOf(three.headers)!, csrf: three.body.csrfToken, sessionId: three.body.sessionId };

    const me = await s.call('GET', '/auth/session', withCookie(session, false));
    assert.equal(me.status, 200);
    assert.deepEqual(me.body, { principalId: a.id, name: `Cán bộ ${loginSeq}`, role: 'officer', unit: 'Công an phường Ba Đình', sessionId: session.sessionId, csrfToken: session.csrf });
    // The same roles as a token: an officer reads citizens, may not manage principals.
    assert.equal((await s.call('GET', '/citizens?name=Nguyen%20Van%20An&dateOfBirth=1990', { headers: { cookie: session.cookie, 'x-purpose': 'TEST' } })).status, 200);
    assert.equal((await s.call('GET', '/principals', withCookie(session, false))).body.code, 'FORBIDDEN');
    // A session is not a bearer token.
    assert.equal((await s.call('GET', '/auth/session', { token: session.cookie.split('=')[1]! })).status, 401);

    // The challenge is spent; the code just used cannot be used again, in this step or the next sign-in.
    assert.equal((await s.call('POST', '/auth/sign-in/second-factor', { body: { challenge: one.body.challenge, code: codeFor(two.body.secret) } })).body.code, 'SIGN_IN_CHALLENGE_INVALID');
    const again = await s.call('POST', '/auth/sign-in', { body: { login: a.login, password: 'mây trắng bay qua đồi' } });
    assert.equal(again.body.next, 'totp');
    const replay = await s.call('POST', '/auth/sign-in/second-factor', { body: { challenge: again.body.challenge, code: codeFor(two.body.secret) } });
    assert.equal(replay.body.code, 'SECOND_FACTOR_INVALID', 'a used code is not replayed in its window');
    s.clock.advance(30_000);
    assert.equal((await s.call('POST', '/auth/sign-in/second-factor', { body: { challenge: again.body.challenge, code: codeFor(two.body.secret) } })).status, 200);

    const events = await listPrincipalEvents(s.runtime.store.db, a.id);
    assert.deepEqual(
      events.map((e) => e.kind),
      ['created', 'account-created', 'password-changed', 'sign-in-failed', 'second-factor-enrolled', 'signed-in', 'sign-in-failed', 'signed-in'],
    );
    assert.equal(events.find((e) => e.kind === 'signed-in')!.details.sessionId, session.sessionId);
    assert.equal(events.find((e) => e.kind === 'sign-in-failed')!.details.sourceIp, '127.0.0.1');
    assert.ok(!JSON.stringify(events).includes('mây trắng'), 'no password in any record');
  });
});

describe('over HTTPS', () => {
  test('the cookie is __Host-dancu-session with Secure (here behind a trusted proxy that says https)', async () => {
    const a = await newAccount();
    const https = { 'x-forwarded-proto': 'https' };
    const one = await s.call('POST', '/auth/sign-in', { body: { login: a.login, password: a.initial }, headers: https });
    const two = await s.call('POST', '/auth/sign-in/password', { body: { challenge: one.body.challenge, newPassword: 'cầu vồng sau mưa' }, headers: https });
    const three = await s.call('POST', '/auth/sign-in/second-factor', { body: { challenge: one.body.challenge, code: codeFor(two.body.secret) }, headers: https });
    const setCookie = three.headers.getSetCookie()[0]!;
    assert.match(setCookie, /^__Host-dancu-session=dcs_[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200; Secure$/);
    const me = await s.call('GET', '/auth/session', { headers: { ...https, cookie: setCookie.split(';')[0]! } });
    assert.equal(me.status, 200);
    assert.equal(me.body.principalId, a.id);
    // Only the __Host- name over HTTPS: a plain-named cookie (which a sibling subdomain or a plain-HTTP
    // answer could plant) is not a session there, even with a live secret; nor the __Host- one over HTTP.
    const secret = setCookie.split(';')[0]!.split('=')[1]!;
    const planted = await s.call('GET', '/auth/session', { headers: { ...https, cookie: `dancu-session=${secret}` } });
    assert.equal(planted.status, 401);
    assert.equal(planted.body.code, 'UNAUTHENTICATED');
    assert.equal((await s.call('GET', '/auth/session', { headers: { cookie: `__Host-dancu-session=${secret}` } })).status, 401);
  });
});

describe('no account enumeration', () => {
  test('an unknown login name and a wrong password get the same answer, after the same kind of work', async () => {
    // Its own server at a realistic cost (2^15; the default is 2^17): the hash, checked in both cases,
    // is then most of the work, as in production; the known account's failure record is the rest.
    const t = await startTestServer('2026-06-01T08:00:00.000Z', { auth: { scryptLogN: 15 } });
    try {
      const created = await t.call('POST', '/accounts', { token: t.tokens.admin, body: { name: 'Cán bộ', role: 'officer', login: 'co.that' } });
      assert.equal(created.status, 201);
      const strip = (b: Record<string, unknown>) => {
        const { instance: _i, ...rest } = b;
        return rest;
      };
      const times = { known: [] as number[], unknown: [] as number[] };
      let known: any;
      let unknown: any;
      for (let i = 0; i < 3; i++) {
        let at = performance.now();
        known = await t.call('POST', '/auth/sign-in', { body: { login: 'co.that', password: `wrong password ${i}` } });
        times.known.push(performance.now() - at);
        at = performance.now();
        unknown = await t.call('POST', '/auth/sign-in', { body: { login: `khong.co.${i}`, password: `wrong password ${i}` } });
        times.unknown.push(performance.now() - at);
      }
      assert.equal(known.status, 401);
      assert.equal(unknown.status, 401);
      assert.deepEqual(strip(unknown.body), strip(known.body));
      assert.equal(known.body.code, 'SIGN_IN_FAILED');
      assert.deepEqual([...known.headers.keys()].sort(), [...unknown.headers.keys()].sort());
      const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[1]!;
      console.log(`# sign-in failure, median of 3 (ms): known login ${median(times.known).toFixed(1)}, unknown login ${median(times.unknown).toFixed(1)}`);
      assert.ok(median(times.unknown) > median(times.known) / 2, JSON.stringify(times));
    } finally {
      await t.close();
    }
  });
});

describe('no account enumeration: the work', () => {
  test('one password hash is checked for an unknown login name as for a known one, at the same cost', async () => {
    const a = await newAccount();
    const checked: string[] = [];
    const counting: typeof verifyPassword = async (password, stored) => {
      checked.push(stored);
      return verifyPassword(password, stored);
    };
    const d = { store: s.runtime.store, clock: s.clock, settings: authSettings(FAST), verifyPassword: counting };
    const failure = async (login: string, ip: string) => {
      const e = await startSignIn(d, { login, password: 'sai mật khẩu rồi' }, { sourceIp: ip }).then(() => undefined, (x: any) => x);
      return e?.code;
    };
    assert.equal(await failure(a.login, '10.0.7.1'), 'SIGN_IN_FAILED');
    assert.equal(await failure('khong.ton.tai', '10.0.7.2'), 'SIGN_IN_FAILED');
    const stored = await s.runtime.store.db.selectFrom('login_account').select('password_hash').where('principal_id', '=', a.id).executeTakeFirstOrThrow();
    assert.equal(checked.length, 2, 'one hash checked in each case');
    assert.equal(checked[0], stored.password_hash, 'the known account: its own hash');
    assert.notEqual(checked[1], stored.password_hash, 'the unknown name: a dummy hash');
    const cost = (h: string) => h.split('$').slice(0, 4).join('$');
    assert.equal(cost(checked[1]!), cost(stored.password_hash), 'of the same scrypt cost (N, r, p)');
    assert.equal(cost(checked[1]!), `scrypt$${FAST.scryptLogN}$8$1`);
  });
});

describe('refusals recorded by the one mechanism', () => {
  test('a failed sign-in for an unknown login name is recorded by address only, never under the name claimed', async () => {
    const r = await s.call('POST', '/auth/sign-in', { body: { login: 'ten.gia.mao', password: 'sai mật khẩu' }, headers: { 'x-request-id': 'auth15-unknown-login', 'x-forwarded-for': '10.0.9.9' } });
    assert.equal(r.status, 401);
    const rows = await s.runtime.store.db.selectFrom('access_entry').selectAll().where('request_id', '=', 'auth15-unknown-login').execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.caller_kind, 'anonymous');
    assert.equal(rows[0]!.subject_key, 'address:10.0.9.9');
    assert.equal(rows[0]!.source_ip, '10.0.9.9');
    assert.equal(rows[0]!.error_code, 'SIGN_IN_FAILED');
    assert.equal(rows[0]!.principal_id, null);
    assert.ok(!JSON.stringify(rows[0]).includes('ten.gia.mao'), 'the claimed name is not recorded');
    s.clock.advance(86_400_000);
  });
});

describe('growing delay', () => {
  test('three free failures, then 2 s, 4 s …: the same for a known and an unknown login name; the right password after the wait', async () => {
    const a = await newAccount();
    const { secret } = await firstSignIn(a, 'một mật khẩu đủ dài');
    for (const [login, ip] of [[a.login, '10.0.1.1'], ['khong.co.ai', '10.0.1.2']] as const) {
      // Each from its own address, so that only the login name's count is at work here.
      const attempt = (password: string) => s.call('POST', '/auth/sign-in', { body: { login, password }, headers: { 'x-forwarded-for': ip } });
      for (let i = 0; i < 4; i++) { const r = await attempt("sai mật khẩu"); assert.equal(r.status, 401, `failure ${i + 1} ${JSON.stringify(r.body)} ${r.headers.get("retry-after")}`); }
      const delayed = await attempt('một mật khẩu đủ dài');
      assert.equal(delayed.status, 429, login);
      assert.equal(delayed.body.code, 'SIGN_IN_DELAYED');
      assert.equal(delayed.headers.get('retry-after'), '2');
      s.clock.advance(1_000);
      assert.equal((await attempt('một mật khẩu đủ dài')).headers.get('retry-after'), '1');
      s.clock.advance(1_000);
      assert.equal((await attempt('sai mật khẩu')).status, 401, 'allowed again after 2 s, and wrong');
      const longer = await attempt('sai mật khẩu');
      assert.equal(longer.status, 429);
      assert.equal(longer.headers.get('retry-after'), '4', 'the delay doubles');
      s.clock.advance(4_000);
      if (login === a.login) {
        const ok = await attempt('một mật khẩu đủ dài');
        assert.equal(ok.body.next, 'totp');
        s.clock.advance(30_000);
        assert.equal((await s.call('POST', '/auth/sign-in/second-factor', { body: { challenge: ok.body.challenge, code: codeFor(secret) }, headers: { 'x-forwarded-for': ip } })).status, 200);
        // A full sign-in clears the count of the login name.
        assert.equal((await attempt('sai mật khẩu')).status, 401);
        assert.equal((await attempt('sai mật khẩu')).status, 401);
      }
    }
    const kinds = (await listPrincipalEvents(s.runtime.store.db, a.id)).map((e) => e.kind);
    assert.equal(kinds.filter((k) => k === 'sign-in-delayed').length, 1, 'the delay beginning is recorded');
    assert.equal(kinds.filter((k) => k === 'sign-in-failed').length, 7, '4 + 1 + 2 wrong passwords (the delayed attempts were not tried)');
    s.clock.advance(86_400_000);
  });

  test('attempts sent in parallel get no more tries than the delay allows: each is counted before its password is checked', async () => {
    const a = await newAccount();
    await firstSignIn(a, 'mười lần sai cùng lúc');
    const n = 30;
    const rs = await Promise.all(
      Array.from({ length: n }, (_, i) => s.call('POST', '/auth/sign-in', { body: { login: a.login, password: `sai mật khẩu ${i}` }, headers: { 'x-forwarded-for': `10.0.3.${i + 1}` } })),
    );
    const statuses = rs.map((r) => r.status);
    const tried = statuses.filter((x) => x === 401).length;
    assert.equal(tried, DEFAULT_LOCKOUT.freeFailures + 1, JSON.stringify(statuses));
    assert.equal(statuses.filter((x) => x === 429).length, n - tried);
    const kinds = (await listPrincipalEvents(s.runtime.store.db, a.id)).map((e) => e.kind);
    assert.equal(kinds.filter((k) => k === 'sign-in-failed').length, tried, 'each password tried is recorded');
    assert.equal(kinds.filter((k) => k === 'sign-in-delayed').length, 1);
    s.clock.advance(86_400_000);
  });

  test('a right password does not count as a failure', async () => {
    const a = await newAccount();
    const { secret } = await firstSignIn(a, 'đúng mật khẩu nhiều lần');
    const ip = { 'x-forwarded-for': '10.0.4.1' };
    for (let i = 0; i < 3; i++) assert.equal((await s.call('POST', '/auth/sign-in', { body: { login: a.login, password: 'sai mật khẩu' }, headers: ip })).status, 401);
    // Three free failures used; right passwords (second factor not given) still pass, and never add to them.
    for (let i = 0; i < 3; i++) assert.equal((await s.call('POST', '/auth/sign-in', { body: { login: a.login, password: 'đúng mật khẩu nhiều lần' }, headers: ip })).body.next, 'totp');
    assert.equal((await s.call('POST', '/auth/sign-in', { body: { login: a.login, password: 'sai mật khẩu' }, headers: ip })).status, 401, 'the fourth failure');
    assert.equal((await s.call('POST', '/auth/sign-in', { body: { login: a.login, password: 'đúng mật khẩu nhiều lần' }, headers: ip })).status, 429, 'then the wait');
    s.clock.advance(2_000);
    await signIn(a.login, 'đúng mật khẩu nhiều lần', secret);
    s.clock.advance(86_400_000);
  });

  test('per source address: five times the free failures across any login names', async () => {
    const t = await startTestServer('2026-06-01T08:00:00.000Z', { auth: { ...FAST, lockout: { freeFailures: 1, baseDelaySeconds: 10, maxDelaySeconds: 60, forgetAfterSeconds: 3600 } } });
    try {
      for (let i = 0; i < 6; i++) assert.equal((await t.call('POST', '/auth/sign-in', { body: { login: `ai.do.${i}`, password: 'sai mật khẩu' } })).status, 401, `failure ${i + 1}`);
      const r = await t.call('POST', '/auth/sign-in', { body: { login: 'mot.nguoi.moi', password: 'sai mật khẩu' } });
      assert.equal(r.status, 429);
      assert.equal(r.headers.get('retry-after'), '10');
    } finally {
      await t.close();
    }
  });
});

describe('sessions', () => {
  let a: { id: string; login: string; initial: string };
  let secret: string;
  const password = 'ba con cá vàng bơi';
  before(async () => {
    a = await newAccount();
    secret = (await firstSignIn(a, password)).secret;
  });

  test('idle expiry after 30 minutes without a request; absolute expiry after 12 hours however used', async () => {
    const x = await signIn(a.login, password, secret);
    s.clock.advance(29 * 60_000);
    assert.equal((await s.call('GET', '/auth/session', withCookie(x, false))).status, 200);
    s.clock.advance(29 * 60_000);
    assert.equal((await s.call('GET', '/auth/session', withCookie(x, false))).status, 200, 'each request moves the idle limit on');
    s.clock.advance(30 * 60_000);
    assert.equal((await s.call('GET', '/auth/session', withCookie(x, false))).body.code, 'UNAUTHENTICATED');

    const y = await signIn(a.login, password, secret);
    for (let i = 0; i < 28; i++) {
      s.clock.advance(25 * 60_000);
      assert.equal((await s.call('GET', '/auth/session', withCookie(y, false))).status, 200, `after ${(i + 1) * 25} min`);
    }
    s.clock.advance(20 * 60_000); // 12 h 0 min after signing in (+30 s for the code step)
    assert.equal((await s.call('GET', '/auth/session', withCookie(y, false))).status, 401);
  });

  test('a list of one\'s sessions; revoking one or all takes effect on the next request; sign-out', async () => {
    const x = await signIn(a.login, password, secret);
    const y = await signIn(a.login, password, secret);
    const z = await signIn(a.login, password, secret);
    const list = await s.call('GET', '/auth/sessions', withCookie(x, false));
    assert.equal(list.status, 200);
    const active = list.body.filter((v: any) => v.state === 'active');
    assert.deepEqual(active.map((v: any) => v.sessionId).sort(), [x.sessionId, y.sessionId, z.sessionId].sort(), JSON.stringify(list.body, null, 1));
    assert.deepEqual(active.filter((v: any) => v.current).map((v: any) => v.sessionId), [x.sessionId]);
    assert.equal(active[0].sourceIp, '127.0.0.1');

    assert.equal((await s.call('DELETE', `/auth/sessions/${y.sessionId}`, withCookie(x))).status, 204);
    assert.equal((await s.call('GET', '/auth/session', withCookie(y, false))).status, 401, 'revoked: refused on its next request');
    assert.equal((await s.call('DELETE', `/auth/sessions/${y.sessionId}`, withCookie(x))).body.code, 'SESSION_NOT_FOUND');

    const all = await s.call('DELETE', '/auth/sessions', withCookie(x));
    assert.ok(all.body.revoked.includes(z.sessionId) && !all.body.revoked.includes(x.sessionId), JSON.stringify(all.body));
    assert.deepEqual((await s.call('GET', '/auth/sessions', withCookie(x, false))).body.filter((v: any) => v.state === 'active').map((v: any) => v.sessionId), [x.sessionId]);
    assert.equal((await s.call('GET', '/auth/session', withCookie(z, false))).status, 401);
    assert.equal((await s.call('GET', '/auth/session', withCookie(x, false))).status, 200, 'the current one is kept');

    const out = await s.call('POST', '/auth/sign-out', withCookie(x));
    assert.equal(out.status, 204);
    assert.match(out.headers.getSetCookie()[0]!, /^dancu-session=; .*Max-Age=0/);
    assert.equal((await s.call('GET', '/auth/session', withCookie(x, false))).status, 401);
    const kinds = (await listPrincipalEvents(s.runtime.store.db, a.id)).map((e) => e.kind);
    assert.deepEqual(kinds.slice(-2), ['session-revoked', 'signed-out']);
  });

  test('CSRF: a change made with the cookie needs the session\'s X-CSRF-Token; reads do not', async () => {
    const x = await signIn(a.login, password, secret);
    const y = await signIn(a.login, password, secret);
    const none = await s.call('DELETE', `/auth/sessions/${y.sessionId}`, withCookie(x, false));
    assert.equal(none.status, 403);
    assert.equal(none.body.code, 'CSRF_TOKEN_INVALID');
    const other = await s.call('DELETE', `/auth/sessions/${y.sessionId}`, { headers: { cookie: x.cookie, 'x-csrf-token': y.csrf } });
    assert.equal(other.body.code, 'CSRF_TOKEN_INVALID', 'another session\'s token does not do');
    assert.equal((await s.call('GET', '/auth/session', withCookie(y, false))).status, 200, 'nothing was changed');
    assert.equal((await s.call('DELETE', `/auth/sessions/${y.sessionId}`, withCookie(x))).status, 204);
  });
});

describe('administrators', () => {
  test('lock: sessions and sign-in refused at once (the right password is told it is locked); unlock', async () => {
    const a = await newAccount();
    const { session, secret } = await firstSignIn(a, 'hoa sen nở trong đầm');
    const locked = await s.call('POST', `/accounts/${a.id}/lock`, { token: s.tokens.admin, body: { reason: 'Máy tính bị mất' } });
    assert.equal(locked.status, 204);
    assert.equal((await s.call('GET', '/auth/session', withCookie(session, false))).status, 401);
    assert.equal((await s.call('POST', '/auth/sign-in', { body: { login: a.login, password: 'hoa sen nở trong đầm' } })).body.code, 'ACCOUNT_LOCKED');
    assert.equal((await s.call('POST', '/auth/sign-in', { body: { login: a.login, password: 'sai rồi sai rồi' } })).body.code, 'SIGN_IN_FAILED');
    assert.equal((await s.call('POST', `/accounts/${a.id}/lock`, { token: s.tokens.admin, body: { reason: 'again' } })).body.code, 'ACCOUNT_ALREADY_LOCKED');
    const listed = (await s.call('GET', '/accounts', { token: s.tokens.admin })).body.find((x: any) => x.principalId === a.id);
    assert.equal(listed.lockReason, 'Máy tính bị mất');
    assert.equal((await s.call('POST', `/accounts/${a.id}/unlock`, { token: s.tokens.admin })).status, 204);
    await signIn(a.login, 'hoa sen nở trong đầm', secret);
    const kinds = (await listPrincipalEvents(s.runtime.store.db, a.id)).map((e) => e.kind);
    assert.ok(kinds.includes('locked') && kinds.includes('unlocked'));
  });

  test('password reset: sessions end, a new one-time password, own password again; the second factor stays unless reset', async () => {
    const a = await newAccount();
    const { session, secret } = await firstSignIn(a, 'gió mùa đông bắc về');
    const reset = await s.call('POST', `/accounts/${a.id}/password-reset`, { token: s.tokens.admin, body: {} });
    assert.equal(reset.status, 200);
    assert.equal((await s.call('GET', '/auth/session', withCookie(session, false))).status, 401);
    assert.equal((await s.call('POST', '/auth/sign-in', { body: { login: a.login, password: 'gió mùa đông bắc về' } })).status, 401, 'the old password no longer works');
    const one = await s.call('POST', '/auth/sign-in', { body: { login: a.login, password: reset.body.initialPassword } });
    assert.equal(one.body.next, 'totp', 'the enrolled authenticator first: the administrator cannot sign in as the officer');
    const early = await s.call('POST', '/auth/sign-in/password', { body: { challenge: one.body.challenge, newPassword: 'mưa phùn tháng hai' } });
    assert.equal(early.status, 403);
    assert.equal(early.body.code, 'SIGN_IN_STEP_WRONG', 'the one-time password alone cannot set a new password');
    s.clock.advance(30_000);
    const factor = await s.call('POST', '/auth/sign-in/second-factor', { body: { challenge: one.body.challenge, code: codeFor(secret) } });
    assert.equal(factor.status, 200);
    assert.equal(factor.body.next, 'set-password');
    assert.equal(factor.headers.getSetCookie().length, 0, 'no session before the new password');
    const two = await s.call('POST', '/auth/sign-in/password', { body: { challenge: one.body.challenge, newPassword: 'mưa phùn tháng hai' } });
    assert.equal(two.status, 200);
    assert.equal(two.body.next, 'done');
    const fresh: Session = { cookie: cookieOf(two.headers)!, csrf: two.body.csrfToken, sessionId: two.body.sessionId };
    assert.equal((await s.call('GET', '/auth/session', withCookie(fresh, false))).body.principalId, a.id);
    assert.equal((await s.call('POST', '/auth/sign-in/password', { body: { challenge: one.body.challenge, newPassword: 'mưa phùn tháng ba' } })).body.code, 'SIGN_IN_CHALLENGE_INVALID', 'spent');
    s.clock.advance(30_000);
    await signIn(a.login, 'mưa phùn tháng hai', secret);

    const again = await s.call('POST', `/accounts/${a.id}/password-reset`, { token: s.tokens.admin, body: { resetSecondFactor: true } });
    const three = await s.call('POST', '/auth/sign-in', { body: { login: a.login, password: again.body.initialPassword } });
    const four = await s.call('POST', '/auth/sign-in/password', { body: { challenge: three.body.challenge, newPassword: 'nắng vàng trên phố' } });
    assert.equal(four.body.next, 'enrol-totp');
    assert.notEqual(four.body.secret, secret);
    const kinds = (await listPrincipalEvents(s.runtime.store.db, a.id)).map((e) => e.kind);
    assert.ok(kinds.includes('password-reset') && kinds.includes('second-factor-reset'));
  });

  test('login names are unique (409), well formed (400), and accounts are for officers, admins and inspectors', async () => {
    const a = await newAccount();
    const dup = await s.call('POST', '/accounts', { token: s.tokens.admin, body: { name: 'X', role: 'officer', login: a.login.toUpperCase() } });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.code, 'LOGIN_IN_USE');
    assert.equal((await s.call('POST', '/accounts', { token: s.tokens.admin, body: { name: 'X', role: 'officer', login: 'có dấu' } })).body.code, 'LOGIN_INVALID');
    assert.equal((await s.call('POST', '/accounts', { token: s.tokens.admin, body: { name: 'X', role: 'citizen', login: 'cong.dan' } })).status, 400);
  });
});

describe('at the same time', () => {
  test('one login name created four times at once: one account, three LOGIN_IN_USE (the unique index decides)', async () => {
    const login = `cung.luc.${Date.now().toString(36)}`;
    const all = await Promise.all([0, 1, 2, 3].map((i) => s.call('POST', '/accounts', { token: s.tokens.admin, body: { name: `Cán bộ ${i}`, role: 'officer', login } })));
    assert.deepEqual(all.map((r) => r.status).sort(), [201, 409, 409, 409], JSON.stringify(all.map((r) => r.body)));
    assert.deepEqual(all.filter((r) => r.status === 409).map((r) => r.body.code), ['LOGIN_IN_USE', 'LOGIN_IN_USE', 'LOGIN_IN_USE']);
  });

  test('two first sign-ins at once: one sets the password, one enrols; the state stays whole', async () => {
    const a = await newAccount();
    const [c1, c2] = await Promise.all([0, 1].map(() => s.call('POST', '/auth/sign-in', { body: { login: a.login, password: a.initial } })));
    const set = await Promise.all([c1!, c2!].map((c, i) => s.call('POST', '/auth/sign-in/password', { body: { challenge: c.body.challenge, newPassword: `mật khẩu riêng số ${i}` } })));
    assert.deepEqual(set.map((r) => r.status).sort(), [200, 401], JSON.stringify(set.map((r) => r.body)));
    const winner = set.findIndex((r) => r.status === 200);
    const password = `mật khẩu riêng số ${winner}`;
    const first = set[winner]!;
    // A second sign-in with the password now set also reaches enrolment, with another secret.
    const other = await s.call('POST', '/auth/sign-in', { body: { login: a.login, password } });
    assert.equal(other.body.next, 'enrol-totp');
    assert.notEqual(other.body.secret, first.body.secret);
    const challenges = [winner === 0 ? c1! : c2!, other];
    const secrets = [first.body.secret as string, other.body.secret as string];
    const codes = await Promise.all([0, 1].map((i) => s.call('POST', '/auth/sign-in/second-factor', { body: { challenge: challenges[i]!.body.challenge, code: codeFor(secrets[i]!) } })));
    assert.deepEqual(codes.map((r) => r.status).sort(), [200, 409], JSON.stringify(codes.map((r) => r.body)));
    assert.equal(codes.find((r) => r.status === 409)!.body.code, 'SECOND_FACTOR_ALREADY_ENROLLED');
    const enrolled = secrets[codes.findIndex((r) => r.status === 200)]!;
    await signIn(a.login, password, enrolled);
    const kinds = (await listPrincipalEvents(s.runtime.store.db, a.id)).map((e) => e.kind);
    assert.equal(kinds.filter((k) => k === 'second-factor-enrolled').length, 1);
    assert.equal(kinds.filter((k) => k === 'password-changed').length, 1);
  });

  test('two sign-ins with the same code at once: one session', async () => {
    const a = await newAccount();
    const { secret } = await firstSignIn(a, 'sông hồng đỏ nặng phù sa');
    s.clock.advance(30_000);
    const cs = await Promise.all([0, 1].map(() => s.call('POST', '/auth/sign-in', { body: { login: a.login, password: 'sông hồng đỏ nặng phù sa' } })));
    const code = codeFor(secret);
    const rs = await Promise.all(cs.map((c) => s.call('POST', '/auth/sign-in/second-factor', { body: { challenge: c.body.challenge, code } })));
    assert.deepEqual(rs.map((r) => r.status).sort(), [200, 401]);
  });
});

describe('one-time codes by SMS', () => {
  /** The codes queued for a number in the durable outbox (the gateway would send them), newest last. */
  async function codesSentTo(e164: string): Promise<string[]> {
    const rows = await s.runtime.store.db.selectFrom('sms_outbox').select(['body', 'kind', 'created_at', 'message_id']).where('to_number', '=', e164).orderBy('created_at').orderBy('message_id').execute();
    assert.ok(rows.every((r) => r.kind === 'otp'));
    return rows.map((r) => /ma dang nhap (\d{6})/.exec(r.body)![1]!);
  }

  test('an account with a mobile number: a code by SMS first (hashed, expiring, a few resends 30 s apart, limited attempts), then own password', async () => {
    const phone = '+84912345678';
    const created = await s.call('POST', '/accounts', { token: s.tokens.admin, body: { name: 'Cán bộ SMS', role: 'officer', login: 'can.bo.sms', smsPhone: '0912 345 678' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.account.secondFactor, 'sms');
    assert.equal(created.body.account.phone, '*********678', 'masked as the SMS channel masks numbers');
    const one = await s.call('POST', '/auth/sign-in', { body: { login: 'can.bo.sms', password: created.body.initialPassword } });
    // The number is the factor the administrator vouched for: it comes before the new password, so
    // whoever knows only the initial password changes nothing.
    assert.equal(one.body.next, 'sms');
    assert.equal(one.body.sentTo, '*********678');
    assert.equal((await s.call('POST', '/auth/sign-in/password', { body: { challenge: one.body.challenge, newPassword: 'đường về quê ngoại' } })).body.code, 'SIGN_IN_STEP_WRONG');
    let codes = await codesSentTo(phone);
    assert.equal(codes.length, 1);
    const stored = await s.runtime.store.db.selectFrom('sign_in_challenge').select(['code_hash']).where('principal_id', '=', created.body.account.principalId).execute();
    assert.ok(stored.every((r) => r.code_hash === null || !r.code_hash.includes(codes[0]!)), 'the code is stored hashed');

    const resend = () => s.call('POST', '/auth/sign-in/resend-code', { body: { challenge: one.body.challenge } });
    const soon = await resend();
    assert.equal(soon.status, 429);
    assert.equal(soon.body.code, 'CODE_RESEND_TOO_SOON');
    assert.equal(soon.headers.get('retry-after'), '30');
    s.clock.advance(30_000);
    assert.equal((await resend()).body.next, 'sms');
    codes = await codesSentTo(phone);
    assert.equal(codes.length, 2);
    const wrong = codes[1] === '000000' ? '111111' : '000000';
    const submit = (code: string) => s.call('POST', '/auth/sign-in/second-factor', { body: { challenge: one.body.challenge, code } });
    assert.equal((await submit(codes[0]!)).body.code, 'SECOND_FACTOR_INVALID', 'a resend replaces the earlier code');
    assert.equal((await submit(wrong)).body.code, 'SECOND_FACTOR_INVALID');
    const passed = await submit(codes[1]!);
    assert.equal(passed.status, 200, JSON.stringify(passed.body));
    assert.equal(passed.body.next, 'set-password');
    assert.equal(cookieOf(passed.headers), undefined, 'no session before the new password');
    assert.equal((await submit(codes[1]!)).body.code, 'SIGN_IN_STEP_WRONG', 'used once');
    const ok = await s.call('POST', '/auth/sign-in/password', { body: { challenge: one.body.challenge, newPassword: 'đường về quê ngoại' } });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.next, 'done');
    assert.ok(cookieOf(ok.headers));
    assert.equal((await submit(codes[1]!)).body.code, 'SIGN_IN_CHALLENGE_INVALID', 'spent');

    // The next sign-in: a code at once; it expires after 5 minutes; resends stop after 3 codes.
    s.clock.advance(60_000);
    const three = await s.call('POST', '/auth/sign-in', { body: { login: 'can.bo.sms', password: 'đường về quê ngoại' } });
    assert.equal(three.body.next, 'sms');
    const late = (await codesSentTo(phone)).at(-1)!;
    s.clock.advance(5 * 60_000);
    assert.equal((await s.call('POST', '/auth/sign-in/second-factor', { body: { challenge: three.body.challenge, code: late } })).body.code, 'SECOND_FACTOR_INVALID', 'expired');
    for (let i = 0; i < 2; i++) {
      s.clock.advance(30_000);
      assert.equal((await s.call('POST', '/auth/sign-in/resend-code', { body: { challenge: three.body.challenge } })).status, 200);
    }
    s.clock.advance(30_000);
    assert.equal((await s.call('POST', '/auth/sign-in/resend-code', { body: { challenge: three.body.challenge } })).body.code, 'CODE_RESEND_LIMIT');
    const kinds = (await listPrincipalEvents(s.runtime.store.db, created.body.account.principalId)).map((e) => [e.kind, e.details.factor ?? e.details.step ?? null]);
    assert.deepEqual(kinds.filter(([k]) => k === 'signed-in'), [['signed-in', 'sms']]);
    assert.deepEqual(kinds.filter(([k]) => k === 'sign-in-failed').map(([, step]) => step), ['sms', 'sms', 'sms']);
    assert.ok(!JSON.stringify(await listPrincipalEvents(s.runtime.store.db, created.body.account.principalId)).includes('912345678'), 'the number is not in the records');
  });

  test('a locked account is sent nothing: no code at sign-in, none on resend', async () => {
    const phone = '+84987654321';
    const created = await s.call('POST', '/accounts', { token: s.tokens.admin, body: { name: 'Cán bộ khóa', role: 'officer', login: 'can.bo.khoa', smsPhone: phone } });
    const id = created.body.account.principalId;
    const one = await s.call('POST', '/auth/sign-in', { body: { login: 'can.bo.khoa', password: created.body.initialPassword } });
    assert.equal(one.body.next, 'sms');
    assert.equal((await codesSentTo(phone)).length, 1);
    assert.equal((await s.call('POST', `/accounts/${id}/lock`, { token: s.tokens.admin, body: { reason: 'mất điện thoại' } })).status, 204);
    s.clock.advance(30_000);
    assert.equal((await s.call('POST', '/auth/sign-in/resend-code', { body: { challenge: one.body.challenge } })).body.code, 'SIGN_IN_CHALLENGE_INVALID');
    assert.equal((await s.call('POST', '/auth/sign-in', { body: { login: 'can.bo.khoa', password: created.body.initialPassword } })).body.code, 'ACCOUNT_LOCKED');
    assert.equal((await codesSentTo(phone)).length, 1, 'nothing more was queued');
    assert.equal((await s.call('POST', '/accounts', { token: s.tokens.admin, body: { name: 'X', role: 'officer', login: 'so.sai', smsPhone: '12345' } })).body.code, 'PHONE_NUMBER_INVALID');
  });
});
