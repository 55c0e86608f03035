/**
 * The demo's SMS service (issue 14 item 8): `dancu serve` with the demo starts a local test SMSC,
 * binds its gateway to it, keeps the SMSC's address in the data directory and says how to try it;
 * `dancu sms simulate` texts the running server from a number as a handset — through the real SMPP
 * path — and prints the reply (exit 3 when none comes).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, stopChild } from '../support/child.js';
import { createTestDatabase, type TestDatabase } from '../support/store.js';
import { openRuntime } from '../../src/services/runtime.js';
import { registerAgency } from '../../src/services/exchange/agencies.js';
import { submitSubscriberLink } from '../../src/services/subscribers/index.js';
import { startTestSmsc } from '../../src/channels/sms/test-smsc.js';
import { NOT_FOUND_REPLY } from '../../src/domain/sms/replies.js';
import { DEMO_SMSC_FILE } from '../../src/cli/sms-wiring.js';

const ROOT = new URL('../..', import.meta.url).pathname;
let database: TestDatabase;
let dataDir: string;
let child: ChildProcess;
let err = '';

const dancu = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, DANCU_DATABASE_URL: database.url, DANCU_DATA_DIR: dataDir } });

before(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'dancu-sms-demo-'));
  const port = await freePort();
  child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', String(port)], {
    cwd: ROOT,
    env: { ...process.env, DANCU_DATABASE_URL: database.url, DANCU_DATA_DIR: dataDir, DANCU_DEMO_CITIZENS: '500', LOG_LEVEL: 'warn' },
  });
  child.stderr!.on('data', (d) => (err += d));
  for (let i = 0; i < 1200 && !err.includes('Try by SMS'); i++) await new Promise((r) => setTimeout(r, 100));
});
after(async () => {
  if (child) await stopChild(child);
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('the demo starts a local SMSC, keeps its address, and says how to text it', () => {
  assert.match(err, /SMS \(demo SMSC\)\s+smpp:\/\/127\.0\.0\.1:\d+ — syntax at \/sms\/help/, err);
  assert.match(err, /Try by SMS: {2}npx dancu sms simulate "CN" --from \S+/, err);
  const file = join(dataDir, DEMO_SMSC_FILE);
  assert.ok(existsSync(file));
  const d = JSON.parse(readFileSync(file, 'utf8'));
  assert.match(d.url, /^smpp:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(d.serviceNumber, '8088');
});

test('sms simulate: a registered number gets its data, an unknown one the sentence', async () => {
  // A number linked by an operator, as the demo's subscriber list does (a second process on the store).
  const rt = await openRuntime({ databaseUrl: database.url, dataDir: mkdtempSync(join(tmpdir(), 'dancu-sms-demo-rt-')) });
  let personalId: string;
  try {
    personalId = (await rt.store.db.selectFrom('citizen').select('personal_id').orderBy('personal_id').limit(1).executeTakeFirstOrThrow()).personal_id;
    await registerAgency(rt.ctx, { code: 'SIMTEL', name: 'Nhà mạng thử', type: 'telecom_operator', stateBudgetFunded: false, focalPoints: [{ fullName: 'Đầu Mối', position: 'Trưởng phòng', phone: '0912345678', email: 'focal@simtel.example' }] });
    await submitSubscriberLink(rt.ctx, 'SIMTEL', { recordId: 'SIM-1', action: 'link', number: '0961234567', personalId, confirmedAt: '2026-01-01T00:00:00Z' });
  } finally {
    await rt.close();
  }
  const ok = dancu('sms', 'simulate', 'CN', '--from', '0961234567');
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, new RegExp(`^Họ tên: .+\\nNgày sinh: .+\\nSố định danh: ${personalId}\\nCMND cũ: .+\\n$`));
  const unknown = dancu('sms', 'simulate', 'CN', '--from', '+84 961 234 568');
  assert.equal(unknown.status, 0, unknown.stderr);
  assert.equal(unknown.stdout, `${NOT_FOUND_REPLY}\n`);
});

test('sms simulate: no reply in time exits 3; a bad number or no SMSC exits 1', async () => {
  const silent = await startTestSmsc({ host: '127.0.0.1', port: 0, systemId: 'nobody', password: 'x' });
  try {
    const r = dancu('sms', 'simulate', 'CN', '--from', '0961234567', '--timeout', '1', '--smsc', `smpp://127.0.0.1:${silent.port}`);
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stderr, /no reply within 1 s/);
  } finally {
    await silent.close();
  }
  const bad = dancu('sms', 'simulate', 'CN', '--from', '12345');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /not a Vietnamese mobile number/);
  const none = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sms', 'simulate', 'CN', '--from', '0961234567'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DANCU_DATA_DIR: join(dataDir, 'nowhere') } });
  assert.equal(none.status, 1);
  assert.match(none.stderr, /no demo SMSC found/);
  const help = dancu('sms', 'simulate', '--help');
  assert.match(help.stdout, /--from <number>/);
});
