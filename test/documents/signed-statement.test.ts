import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import fc from 'fast-check';
import {
  MAX_STATEMENT_LENGTH,
  contentDigest,
  generateSigningKey,
  keyIdOf,
  keyRing,
  publicJwk,
  publicKeyFromJwk,
  signStatement,
  verifyStatement,
  type StatementClaims,
} from '../../src/documents/signed-statement.js';

const KEY = generateSigningKey();
const RING = keyRing([KEY.publicKeyPem]);

/** Claims as a certificate would carry them (synthetic). */
const CLAIMS: StatementClaims = {
  no: '2024/XN-000123',
  kind: 'CMND_CONFIRMATION',
  pid: '001190012345',
  cmnd: '012345678',
  iss: '2024-07-01',
  dg: contentDigest('GIẤY XÁC NHẬN SỐ CHỨNG MINH NHÂN DÂN\nHọ, chữ đệm và tên: Nguyễn Thị Ánh Tuyết'),
};

const B64URL_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('signed statements', () => {
  it('round-trips and has the DCU1 shape', () => {
    const st = signStatement(CLAIMS, KEY);
    assert.match(st, /^DCU1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$/);
    assert.ok(st.startsWith(`DCU1.${KEY.kid}.`));
    assert.deepEqual(verifyStatement(st, RING), { ok: true, kid: KEY.kid, claims: CLAIMS });
    // PEM strings work as ring values too.
    assert.equal(verifyStatement(st, new Map([[KEY.kid, KEY.publicKeyPem]])).ok, true);
  });

  it('derives the kid from the public key, and the JWK carries it', () => {
    assert.equal(KEY.kid.length, 16);
    assert.equal(keyIdOf(KEY.publicKeyPem), KEY.kid);
    assert.equal(keyIdOf(KEY.privateKeyPem), KEY.kid);
    const jwk = publicJwk(KEY.publicKeyPem);
    assert.deepEqual(Object.keys(jwk).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x']);
    assert.equal(jwk.kty, 'OKP');
    assert.equal(jwk.crv, 'Ed25519');
    assert.equal(jwk.kid, KEY.kid);
    assert.equal(Buffer.from(jwk.x, 'base64url').length, 32);
    const fromJwk = publicKeyFromJwk(jwk);
    assert.equal(keyIdOf(fromJwk), KEY.kid);
    assert.equal(verifyStatement(signStatement(CLAIMS, KEY), keyRing([fromJwk])).ok, true);
  });

  it('fails on every single-character change anywhere in the statement', () => {
    const st = signStatement(CLAIMS, KEY);
    for (let i = 0; i < st.length; i++) {
      for (const c of ['A', 'B', 'g', '-', '_', '.', '=', 'é']) {
        if (st[i] === c) continue;
        const altered = st.slice(0, i) + c + st.slice(i + 1);
        assert.equal(verifyStatement(altered, RING).ok, false, `position ${i} → ${c}`);
      }
    }
  });

  it('fails on a change confined to the spare bits of the last signature character', () => {
    // 64 bytes take 86 base64url characters: the last one carries 2 unused bits, so a lenient
    // decoder maps several different strings to the same signature.
    const st = signStatement(CLAIMS, KEY);
    const last = st.at(-1) ?? '';
    const idx = B64URL_CHARS.indexOf(last);
    const sibling = B64URL_CHARS[idx ^ 1] ?? '';
    const altered = st.slice(0, -1) + sibling;
    assert.deepEqual(Buffer.from(altered.split('.')[3] ?? '', 'base64url'), Buffer.from(st.split('.')[3] ?? '', 'base64url'));
    assert.deepEqual(verifyStatement(altered, RING), { ok: false, reason: 'FORMAT' });
  });

  it('reports UNKNOWN_KEY for an unpublished kid and BAD_SIGNATURE for another published key', () => {
    const other = generateSigningKey();
    const st = signStatement(CLAIMS, other);
    assert.deepEqual(verifyStatement(st, RING), { ok: false, reason: 'UNKNOWN_KEY' });
    // Swap in a published kid: the key exists but did not make this signature.
    const swapped = st.replace(other.kid, KEY.kid);
    assert.deepEqual(verifyStatement(swapped, keyRing([KEY.publicKeyPem, other.publicKeyPem])), { ok: false, reason: 'BAD_SIGNATURE' });
  });

  it('keeps verifying statements of a retired key while it is published (rotation)', () => {
    const oldKey = generateSigningKey();
    const newKey = generateSigningKey();
    const oldSt = signStatement(CLAIMS, oldKey);
    const newSt = signStatement({ ...CLAIMS, no: '2025/XN-000001' }, newKey);
    const published = keyRing([newKey.publicKeyPem, oldKey.publicKeyPem]);
    assert.deepEqual(verifyStatement(oldSt, published), { ok: true, kid: oldKey.kid, claims: CLAIMS });
    assert.equal(verifyStatement(newSt, published).ok, true);
    // Withdrawn (e.g. compromised) key: its statements stop verifying.
    assert.deepEqual(verifyStatement(oldSt, keyRing([newKey.publicKeyPem])), { ok: false, reason: 'UNKNOWN_KEY' });
  });

  it('rejects malformed statements as FORMAT', () => {
    const st = signStatement(CLAIMS, KEY);
    const [, kid, claimsB64, sig] = st.split('.') as [string, string, string, string];
    for (const bad of [
      '',
      'hello',
      `DCU2.${kid}.${claimsB64}.${sig}`,
      `DCU1.${kid}.${claimsB64}`,
      `DCU1.${kid}.${claimsB64}.${sig}.x`,
      `DCU1.${kid}x.${claimsB64}.${sig}`,
      `DCU1.${kid}..${sig}`,
      `DCU1.${kid}.${claimsB64}.${sig.slice(0, 43)}`,
      `DCU1.${kid}.${claimsB64}=.${sig}`,
      `DCU1.${kid}.${claimsB64}.${sig}`.padEnd(MAX_STATEMENT_LENGTH + 1, 'A'),
    ]) {
      assert.deepEqual(verifyStatement(bad, RING), { ok: false, reason: 'FORMAT' }, bad.slice(0, 60));
    }
  });

  it('rejects correctly signed content that is not a JSON object (FORMAT)', () => {
    for (const json of ['[1,2]', '"x"', 'null', '{"a":', '\u00ff']) {
      const claimsB64 = Buffer.from(json, json === '\u00ff' ? 'latin1' : 'utf8').toString('base64url');
      const signed = `DCU1.${KEY.kid}.${claimsB64}`;
      const sig = sign(null, Buffer.from(signed), KEY.privateKeyPem).toString('base64url');
      assert.deepEqual(verifyStatement(`${signed}.${sig}`, RING), { ok: false, reason: 'FORMAT' }, json);
    }
  });

  it('refuses to sign with a mismatched kid, a non-Ed25519 key, non-object claims or oversized claims', () => {
    assert.throws(() => signStatement(CLAIMS, { ...KEY, kid: 'AAAAAAAAAAAAAAAA' }), /kid mismatch/);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    assert.throws(() => signStatement(CLAIMS, { privateKeyPem: ec }), TypeError);
    assert.throws(() => keyRing([createPublicKey(ec)]), TypeError);
    assert.throws(() => signStatement([1] as unknown as StatementClaims, KEY), TypeError);
    assert.throws(() => signStatement({ big: 'x'.repeat(2000) }, KEY), RangeError);
  });

  it('round-trips random claims (property)', () => {
    const claims = fc
      .dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 })
      .filter((c) => JSON.stringify(c).length < 900)
      .map((c) => c as StatementClaims); // fast-check's JsonValue has readonly arrays
    fc.assert(
      fc.property(claims, (c) => {
        const r = verifyStatement(signStatement(c, KEY), RING);
        assert.ok(r.ok);
        assert.deepEqual(r.claims, JSON.parse(JSON.stringify(c)));
      }),
      { numRuns: 200 },
    );
  });

  it('fails for any random single-character change (property)', () => {
    const st = signStatement(CLAIMS, KEY);
    fc.assert(
      fc.property(fc.nat({ max: st.length - 1 }), fc.constantFrom(...B64URL_CHARS, '.'), (i, c) => {
        fc.pre(st[i] !== c);
        assert.equal(verifyStatement(st.slice(0, i) + c + st.slice(i + 1), RING).ok, false);
      }),
      { numRuns: 500 },
    );
  });
});

describe('contentDigest', () => {
  const text = 'Họ, chữ đệm và tên: Nguyễn Thị Ánh Tuyết\nSố định danh cá nhân: 001190012345';

  it('is base64url SHA-256 of the NFC text, equal for NFC and NFD input', () => {
    assert.match(contentDigest(text), /^[A-Za-z0-9_-]{43}$/);
    assert.equal(contentDigest(text.normalize('NFD')), contentDigest(text));
  });

  it('changes when any character of the text changes (property)', () => {
    fc.assert(
      fc.property(fc.nat({ max: text.length - 1 }), fc.constantFrom('a', 'ă', 'Ạ', '0', ' ', 'đ'), (i, c) => {
        const altered = text.slice(0, i) + c + text.slice(i + 1);
        fc.pre(altered.normalize('NFC') !== text.normalize('NFC'));
        assert.notEqual(contentDigest(altered), contentDigest(text));
      }),
    );
  });
});
