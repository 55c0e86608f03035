/**
 * `dancu accounts create|list|reset-password|lock|unlock` and `dancu tokens create|list|revoke`
 * (decision 0038): a real CLI process on the test store; the initial password it prints signs in.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../support/store.js';
import { openStore } from '../../src/store/connect.js';
import { authenticate } from '../../src/services/principals.js';
import { startSignIn } from '../../src/services/auth/sign-in.js';
import { authSettings } from '../../src/services/auth/settings.js';
import { systemClock } from '../../src/services/clock.js';
import { runDancu } from '../support/cli.js';
import { agencyBody } from '../support/exchange.js';
import { registerAgency } from '../../src/services/exchange/agencies.js';
import type { ServiceContext } from '../../src/services/context.js';

const ROOT = new URL('../..', import.meta.url).pathname;
let database: TestDatabase;
let dataDir: string;

// A cheap scrypt cost: the CLI reads the configuration like the server.
const dancu = (args: string[]) => runDancu(args, { DANCU_DATABASE_URL: database.url, DANCU_DATA_DIR: dataDir, DANCU_PASSWORD_SCRYPT_LOG_N: '14', DANCU_TOKEN_DEFAULT_DAYS: '7', DANCU_TOKEN_MAX_DAYS: '30' });

before(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'dancu-cli-'));
});
after(async () => {
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('dancu accounts and tokens', () => {
  test('create (initial password once), list, lock, unlock, reset; tokens create within the maximum, list without secrets, revoke', async () => {
    const created = dancu(['accounts', 'create', '--name', 'Trần Thị Bình', '--login', 'tran.binh', '--role', 'officer', '--unit', 'Công an xã', '--json']);
    assert.equal(created.code, 0, created.stderr);
    const { account, initialPassword } = JSON.parse(created.stdout);
    assert.equal(account.login, 'tran.binh');
    const store = openStore({ url: database.url });
    try {
      const step = await startSignIn({ store, clock: systemClock, settings: authSettings({ scryptLogN: 14 }) }, { login: 'tran.binh', password: initialPassword }, { sourceIp: '127.0.0.1' });
      assert.equal(step.next, 'set-password');

      assert.match(dancu(['accounts', 'list']).stdout, /officer\s+tran\.binh\s+must set password\s+Trần Thị Bình/);
      assert.equal(dancu(['accounts', 'lock', account.principalId, '--reason', 'nghỉ phép']).code, 0);
      assert.match(dancu(['accounts', 'list']).stdout, /locked /);
      assert.match(dancu(['accounts', 'lock', account.principalId, '--reason', 'x']).stderr, /ACCOUNT_ALREADY_LOCKED/);
      assert.equal(dancu(['accounts', 'unlock', account.principalId]).code, 0);
      const reset = dancu(['accounts', 'reset-password', account.principalId, '--reset-second-factor']);
      assert.match(reset.stdout, /^initial password \(shown once\): [a-z2-9-]{19}\n$/);
      assert.match(dancu(['accounts', 'create', '--name', 'X', '--login', 'TRAN.BINH', '--role', 'officer']).stderr, /LOGIN_IN_USE/);

      const tooLong = dancu(['tokens', 'create', '--principal', account.principalId, '--days', '31']);
      assert.match(tooLong.stderr, /TOKEN_LIFETIME_INVALID/);
      const made = dancu(['tokens', 'create', '--principal', account.principalId, '--days', '30', '--label', 'máy in', '--json']);
      assert.equal(made.code, 0, made.stderr);
      const t = JSON.parse(made.stdout);
      assert.ok(await authenticate(store, t.token));
      const list = dancu(['tokens', 'list', '--principal', account.principalId]);
      assert.match(list.stdout, new RegExp(`^${t.tokenId}  ${account.principalId}  expires ${t.expiresAt}  máy in\\n$`));
      assert.ok(!list.stdout.includes(t.token));
      assert.equal(dancu(['tokens', 'revoke', t.tokenId]).code, 0);
      assert.equal(await authenticate(store, t.token), undefined);
      assert.match(dancu(['tokens', 'list']).stdout, /revoked /);
      assert.match(dancu(['tokens', 'revoke', t.tokenId]).stderr, /TOKEN_NOT_FOUND/);
    } finally {
      await store.close();
    }
    for (const c of [['accounts', '--help'], ['accounts', 'create', '--help'], ['tokens', 'create', '--help'], ['tokens', 'list', '--help'], ['tokens', 'revoke', '--help']]) assert.equal(dancu(c).code, 0, c.join(' '));
  });

  test('an agency administrator\'s account (role agency) names a registered agency as its unit (decision 0046)', async () => {
    const refused = dancu(['accounts', 'create', '--name', 'Quản trị', '--login', 'qt.nh', '--role', 'agency', '--unit', 'NHCLI']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /ACCOUNT_AGENCY_REQUIRED/);
    const store = openStore({ url: database.url });
    try {
      await registerAgency({ store, clock: systemClock } as unknown as ServiceContext, agencyBody('NHCLI') as Parameters<typeof registerAgency>[1]);
    } finally {
      await store.close();
    }
    const made = dancu(['accounts', 'create', '--name', 'Quản trị', '--login', 'qt.nh', '--role', 'agency', '--unit', 'NHCLI', '--json']);
    assert.equal(made.code, 0, made.stderr);
    assert.deepEqual([JSON.parse(made.stdout).account.role, JSON.parse(made.stdout).account.unit], ['agency', 'NHCLI']);
    assert.match(dancu(['accounts', 'list']).stdout, /agency\s+qt\.nh\s+must set password/);
  });
});
