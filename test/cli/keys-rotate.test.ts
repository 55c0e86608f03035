/**
 * `dancu keys rotate` reaches a running server: a real server process keeps serving, the command
 * runs as another process on the same store and data directory, and the next certificate is signed
 * with the new key; both the new and the old certificate verify against the published keys.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, stopChild } from '../support/child.js';
import { createTestDatabase, type TestDatabase } from '../support/store.js';

const ROOT = new URL('../..', import.meta.url).pathname;
let database: TestDatabase;
let dataDir: string;
before(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'dancu-keys-'));
});
after(async () => {
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

const env = () => ({ ...process.env, DANCU_DATABASE_URL: database.url, DANCU_DATA_DIR: dataDir, DANCU_DEMO_CITIZENS: '30', DANCU_DEMO_SEED: '7', LOG_LEVEL: 'warn' });


type Jwks = { keys: { kid: string; kty: string; crv: string; x: string }[] };
/** Offline verification as a third party does it: the published JWKS and node:crypto only. */
function verifiesOffline(statement: string, jwks: Jwks): boolean {
  const [prefix, kid, claims, signature] = statement.split('.');
  const jwk = jwks.keys.find((k) => k.kid === kid);
  if (!jwk || !claims || !signature) return false;
  const key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' });
  return verify(null, Buffer.from(`${prefix}.${kid}.${claims}`), key, Buffer.from(signature, 'base64url'));
}
const kidOf = (statement: string) => statement.split('.')[1];

test('a running server signs with the rotated key within seconds; old and new certificates verify', async () => {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', String(port)], { cwd: ROOT, env: env() });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  try {
    for (let i = 0; i < 600 && !err.includes('Household:'); i++) await new Promise((r) => setTimeout(r, 100));
    const base = `http://127.0.0.1:${port}`;
    const token = readFileSync(join(dataDir, 'demo-officer.token'), 'utf8').trim();
    const personalId = /\/citizens\/(\d{12})\/household/.exec(err)?.[1];
    assert.ok(personalId, err);
    const issue = async () => {
      const r = await fetch(`${base}/citizens/${personalId}/certificates/personal-id-notice`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'x-purpose': 'TEST' } });
      assert.equal(r.status, 201);
      return ((await r.json()) as { statement: string }).statement;
    };
    const before = await issue();

    const rotated = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'keys', 'rotate'], { cwd: ROOT, env: env(), encoding: 'utf8' });
    assert.equal(rotated.status, 0, rotated.stderr);
    const newKid = /^active key (\S+)$/m.exec(rotated.stdout)?.[1];
    assert.ok(newKid && newKid !== kidOf(before), rotated.stdout);
    assert.match(rotated.stdout, /running servers .* sign with it within a second/);

    // The server looks at the key files every second: within a few, new certificates carry the new key.
    let after = '';
    for (let i = 0; i < 50; i++) {
      after = await issue();
      if (kidOf(after) === newKid) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(kidOf(after), newKid, 'signed by the rotated key');

    const jwks = (await (await fetch(`${base}/.well-known/dancu-keys.json`)).json()) as Jwks;
    assert.ok(jwks.keys.some((k) => k.kid === newKid) && jwks.keys.some((k) => k.kid === kidOf(before)), 'both keys published');
    assert.ok(verifiesOffline(after, jwks), 'the new certificate verifies');
    assert.ok(verifiesOffline(before, jwks), 'the old certificate still verifies');
    for (const statement of [before, after]) {
      const r = await fetch(`${base}/certificates/statement-verification`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ statement }) });
      assert.equal(((await r.json()) as { signatureValid: boolean }).signatureValid, true);
    }
  } finally {
    await stopChild(child);
  }
});
