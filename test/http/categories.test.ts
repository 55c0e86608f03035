/** Category routes: public, read-only, with the unit names valid at the date asked. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/http.js';

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(async () => s.close());

test('provinces before and after the 2025 reform', async () => {
  const before = await s.call('GET', '/categories/admin-units?date=2025-06-30');
  assert.equal(before.status, 200);
  assert.equal(before.body.length, 63);
  const after = await s.call('GET', '/categories/admin-units?date=2025-07-01');
  assert.equal(after.body.length, 34);
  const today = await s.call('GET', '/categories/admin-units');
  assert.equal(today.body.length, 34);
});

test('one code, two units: 00004 was Trúc Bạch before the reform and is Ba Đình after', async () => {
  const old = await s.call('GET', '/categories/admin-units/pre2025/00004');
  assert.equal(old.body[0].name, 'Trúc Bạch');
  assert.equal(old.body[0].validTo, '2025-06-30');
  const now = await s.call('GET', '/categories/admin-units/2025/00004');
  assert.equal(now.body[0].name, 'Ba Đình');
  assert.equal(now.body[0].validFrom, '2025-07-01');
  const missing = await s.call('GET', '/categories/admin-units/2025/99999');
  assert.equal(missing.status, 404);
  assert.equal(missing.body.code, 'ADMIN_UNIT_NOT_FOUND');
});

test('communes of a province at a date', async () => {
  const r = await s.call('GET', '/categories/admin-units?unitSet=2025&parent=01&date=2025-08-01');
  assert.equal(r.status, 200);
  assert.ok(r.body.length > 100);
  assert.ok(r.body.every((u: { provinceCode: string; level: string }) => u.provinceCode === '01' && u.level === 'commune'));
});

test('code lists', async () => {
  const eth = await s.call('GET', '/categories/ethnicities');
  assert.equal(eth.body.find((e: { code: string }) => e.code === '01').nameVi, 'Kinh');
  const nat = await s.call('GET', '/categories/nationalities');
  assert.equal(nat.body.find((e: { code: string }) => e.code === 'VN').nameVi, 'Việt Nam');
  for (const list of ['religions', 'blood-groups', 'marital-statuses']) {
    const r = await s.call('GET', `/categories/${list}`);
    assert.equal(r.status, 200);
    assert.ok(r.body.length >= 5, list);
  }
  const bad = await s.call('GET', '/categories/admin-units?date=2025-02-30');
  assert.equal(bad.status, 400);
});
