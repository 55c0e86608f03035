/** Signed certificates: issue, PDF, online check by number, offline check with the published keys, rotation. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { startTestServer, birthBody, type TestServer } from '../support/http.js';
import { rotateSigningKey } from '../../src/services/signing-keys.js';
import { printedTextOf } from '../../src/services/certificates.js';

let s: TestServer;
let withCmnd: string;
let withoutCmnd: string;
before(async () => {
  s = await startTestServer();
  withCmnd = (await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody({ fullName: 'Hà Văn Thắng', dateOfBirth: '1979-09-02', legacyIdNumber: '012345678' }) })).body.personalId;
  withoutCmnd = (await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody({ fullName: 'Hà Thị Mai', sex: 'female', dateOfBirth: '2010-01-01' }) })).body.personalId;
});
after(async () => s.close());

/** Offline verification as a third party would do it: only the JWKS and node:crypto. */
function verifyOffline(statement: string, jwks: { keys: { kid: string; x: string; kty: string; crv: string }[] }): { ok: boolean; claims?: Record<string, unknown> } {
  const [prefix, kid, claims, signature] = statement.split('.');
  const jwk = jwks.keys.find((k) => k.kid === kid);
  if (!jwk || prefix !== 'DCU1' || !claims || !signature) return { ok: false };
  const key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' });
  const ok = verify(null, Buffer.from(`${prefix}.${kid}.${claims}`), key, Buffer.from(signature, 'base64url'));
  return ok ? { ok, claims: JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) } : { ok };
}

describe('certificates', () => {
  let number: string;
  let statement: string;

  test('the CMND confirmation is issued with a signed statement; without a CMND it is refused', async () => {
    const r = await s.call('POST', `/citizens/${withCmnd}/certificates/legacy-id-confirmation`, { token: s.tokens.officer });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    number = r.body.number;
    statement = r.body.statement;
    assert.match(number, /^XNCMND-2026-[0-9A-Z]{8}$/);
    assert.deepEqual(
      r.body.lines.map((l: { label: string; value: string }) => [l.label, l.value]).slice(0, 5),
      [
        ['Họ, chữ đệm và tên', 'Hà Văn Thắng'],
        ['Ngày, tháng, năm sinh', '02/09/1979'],
        ['Giới tính', 'Nam'],
        ['Số định danh cá nhân', withCmnd],
        ['Số Chứng minh nhân dân', '012345678'],
      ],
    );
    const refused = await s.call('POST', `/citizens/${withoutCmnd}/certificates/legacy-id-confirmation`, { token: s.tokens.officer });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'NO_LEGACY_ID');
    const notice = await s.call('POST', `/citizens/${withoutCmnd}/certificates/personal-id-notice`, { token: s.tokens.officer });
    assert.equal(notice.status, 201);
    assert.match(notice.body.number, /^TBSDD-/);
  });

  test('online: anyone with the number learns whether it is genuine and current, and nothing about the holder', async () => {
    const v = await s.call('GET', `/certificates/${number}/verification`);
    assert.equal(v.status, 200);
    assert.deepEqual(v.body, { number, kind: 'LEGACY_ID_CONFIRMATION', issuedOn: '2026-06-01', valid: true, status: 'valid' });
    // Not the name, date of birth, personal ID, CMND number or the statement (which carries the ID).
    for (const secret of ['Hà Văn Thắng', '1979', withCmnd, '012345678', statement]) assert.ok(!JSON.stringify(v.body).includes(secret), secret);
  });

  test('online: a verifier confirms the text they read; the registry only says whether it matches', async () => {
    // The text as a verifier reads it off the paper (line breaks and spacing do not matter).
    const printed = printedTextOf((await s.call('GET', `/certificates/${number}`, { token: s.tokens.officer })).body);
    const read = printed.replace(/\n/g, '  ');
    const match = await s.call('POST', `/certificates/${number}/verification`, { body: { printedText: read } });
    assert.equal(match.status, 200, JSON.stringify(match.body));
    assert.deepEqual(match.body, { number, kind: 'LEGACY_ID_CONFIRMATION', issuedOn: '2026-06-01', valid: true, status: 'valid', textMatches: true });
    const forged = await s.call('POST', `/certificates/${number}/verification`, { body: { printedText: read.replace('012345678', '012345679') } });
    assert.equal(forged.body.textMatches, false);
    assert.ok(!JSON.stringify(forged.body).includes('012345678'));
    // The QR route: the statement (from the paper) with the printed text.
    const check = await s.call('POST', '/certificates/statement-verification', { body: { statement, printedText: read } });
    assert.deepEqual({ ...check.body, claims: undefined, keyId: undefined }, { signatureValid: true, registered: true, revoked: false, textMatches: true, claims: undefined, keyId: undefined });
    const altered = await s.call('POST', '/certificates/statement-verification', { body: { statement, printedText: read.replace('012345678', '012345679') } });
    assert.equal(altered.body.textMatches, false);
    const unknown = await s.call('GET', '/certificates/XNCMND-2026-ZZZZZZZZ/verification');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 'CERTIFICATE_NOT_FOUND');
  });

  test('offline: the published key verifies the QR statement; any tampering fails', async () => {
    const jwks = (await s.call('GET', '/.well-known/dancu-keys.json')).body;
    const ok = verifyOffline(statement, jwks);
    assert.equal(ok.ok, true);
    assert.equal(ok.claims?.n, number);
    assert.equal(ok.claims?.p, withCmnd);
    const [p, kid, claims, sig] = statement.split('.');
    const forgedClaims = Buffer.from(JSON.stringify({ ...ok.claims, p: withoutCmnd })).toString('base64url');
    assert.equal(verifyOffline([p, kid, forgedClaims, sig].join('.'), jwks).ok, false);
    const check = await s.call('POST', '/certificates/statement-verification', { body: { statement: [p, kid, forgedClaims, sig].join('.') } });
    assert.equal(check.body.signatureValid, false);
  });

  test('the PDF is a Vietnamese A4 document', async () => {
    const res = await fetch(`${s.baseUrl}/certificates/${number}/pdf`, { headers: { authorization: `Bearer ${s.tokens.officer}`, 'x-purpose': 'TEST' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    assert.ok(pdf.length > 5000);
    const anon = await fetch(`${s.baseUrl}/certificates/${number}/pdf`);
    assert.equal(anon.status, 401);
  });

  test('after a key rotation old certificates still verify and new ones use the new key', async () => {
    const oldKid = statement.split('.')[1];
    const rotated = await rotateSigningKey(s.runtime.store, s.clock, { dataDir: s.runtime.dataDir });
    // The running app keeps its key until restart; sign with the rotated set through a new runtime view.
    assert.notEqual(rotated.active.kid, oldKid);
    const jwks = (await s.call('GET', '/.well-known/dancu-keys.json')).body;
    assert.deepEqual(jwks.keys.map((k: { kid: string }) => k.kid).sort(), [oldKid, rotated.active.kid].sort());
    assert.equal(verifyOffline(statement, jwks).ok, true);
    const check = await s.call('POST', '/certificates/statement-verification', { body: { statement } });
    assert.equal(check.body.signatureValid, true);
  });
});
