/** Password hashing at the default cost, and the vendored common-password list (decision 0038). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkNewPassword, commonPasswords, dummyHash, hashPassword, newInitialPassword, verifyPassword } from '../../src/services/auth/passwords.js';
import { DEFAULT_AUTH_SETTINGS } from '../../src/services/auth/settings.js';

test('scrypt at the default cost: N = 2^17, r = 8, p = 1, 16-byte salt, 32-byte key; NFD typed equals NFC set', async () => {
  assert.equal(DEFAULT_AUTH_SETTINGS.scryptLogN, 17);
  const started = performance.now();
  const h = await hashPassword('mật khẩu của tôi', DEFAULT_AUTH_SETTINGS.scryptLogN);
  const ms = performance.now() - started;
  const [alg, logN, r, p, salt, key] = h.split('$');
  assert.deepEqual([alg, logN, r, p], ['scrypt', '17', '8', '1']);
  assert.equal(Buffer.from(salt!, 'base64url').length, 16);
  assert.equal(Buffer.from(key!, 'base64url').length, 32);
  assert.equal(await verifyPassword('mật khẩu của tôi'.normalize('NFD'), h), true);
  assert.equal(await verifyPassword('mật khẩu của tôi ', h), true, 'as at the edge: trimmed');
  assert.equal(await verifyPassword('mat khau cua toi', h), false);
  assert.notEqual(await hashPassword('mật khẩu của tôi', 17), h, 'salted');
  console.log(`# one scrypt hash at 2^17: ${ms.toFixed(0)} ms`);
});

test('a hash of another cost still verifies; malformed stored values never do', async () => {
  const h = await hashPassword('ba con cá vàng', 12);
  assert.equal(await verifyPassword('ba con cá vàng', h), true);
  for (const bad of ['', 'scrypt$12$8$1$abc', 'bcrypt$12$8$1$a$b', h.replace('scrypt', 'Scrypt')]) assert.equal(await verifyPassword('ba con cá vàng', bad), false, bad);
  assert.equal(await verifyPassword('x', await dummyHash(12)), false);
  assert.equal(await dummyHash(12), await dummyHash(12), 'one dummy per cost');
});

test('the common-password list: 17,950 entries of 8+ characters, lower case, consulted case-insensitively', () => {
  const list = commonPasswords();
  assert.equal(list.size, 17_950);
  for (const p of ['password', '12345678', 'iloveyou', 'sunshine']) assert.ok(list.has(p), p);
  assert.ok([...list].every((p) => [...p].length >= 8 && p === p.toLowerCase()));
  assert.throws(() => checkNewPassword('Sunshine', 'can.bo'), { code: 'PASSWORD_COMMON' });
  assert.throws(() => checkNewPassword('xx can.bo xx', 'can.bo'), { code: 'PASSWORD_CONTEXT_WORD' });
  assert.throws(() => checkNewPassword('tôi ở dân cư', 'can.bo'), { code: 'PASSWORD_CONTEXT_WORD' });
  checkNewPassword('hoa sen nở trong đầm', 'can.bo');
});

test('initial passwords: 4 groups of 4 from 31 unambiguous characters, all different', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const p = newInitialPassword();
    assert.match(p, /^[a-hj-km-np-z2-9]{4}(-[a-hj-km-np-z2-9]{4}){3}$/);
    seen.add(p);
  }
  assert.equal(seen.size, 200);
});
