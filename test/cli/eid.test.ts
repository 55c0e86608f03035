/**
 * `dancu eid show|lock|unlock|sweep|mail` (decision 0042): a real CLI process on the test store.
 * The account is made with the service's own rows (the HTTP test covers how accounts come to be).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../support/store.js';
import { runDancu } from '../support/cli.js';
import { openStore } from '../../src/store/connect.js';
import { insertEidAccountRows } from '../../src/services/eid/accounts.js';
import { citizenSignInState } from '../../src/services/eid/state.js';
import { listPrincipalEvents } from '../../src/store/repositories/principal-events.js';

let database: TestDatabase;
let dataDir: string;
const dancu = (args: string[]) => runDancu(args, { DANCU_DATABASE_URL: database.url, DANCU_DATA_DIR: dataDir, DANCU_PASSWORD_SCRYPT_LOG_N: '14' });

before(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'dancu-cli-eid-'));
});
after(async () => {
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('dancu eid', () => {
  test('show (with a purpose), the authority\'s lock and unlock with a reason, sweep, mail', async () => {
    // The first command migrates the store.
    const swept = dancu(['eid', 'sweep']);
    assert.equal(swept.code, 0, swept.stderr);
    assert.equal(swept.stdout, 'lapsed: 0\n');
    const personalId = '001090000123';
    const store = openStore({ url: database.url });
    try {
      const at = new Date().toISOString();
      const principalId = await store.transaction((tx) => insertEidAccountRows(tx, { personalId, phone: '+84970000123', passwordHash: 'x', hasOwnPassword: true, level: 1, state: 'active', at }, 'system:test', 'self-registration'));

      assert.equal(dancu(['eid', 'show', personalId]).code, 2, 'a purpose is required');
      const shown = dancu(['eid', 'show', personalId, '--purpose', 'KIEM TRA']);
      assert.equal(shown.code, 0, shown.stderr);
      assert.deepEqual(JSON.parse(shown.stdout), { principalId, personalId, level: 1, state: 'active', activatedAt: at, phone: '*********123', secondFactor: 'sms', locked: false });

      const locked = dancu(['eid', 'lock', personalId, '--reason', 'Quyết định 7/QĐ', '--purpose', 'KHOA']);
      assert.equal(locked.code, 0, locked.stderr);
      assert.equal(JSON.parse(locked.stdout).lockKind, 'authority');
      assert.deepEqual(await citizenSignInState(store.db, principalId), { level: 1, state: 'active', locked: true, lockKind: 'authority' });
      assert.match(dancu(['eid', 'lock', personalId, '--reason', 'x', '--purpose', 'KHOA']).stderr, /ACCOUNT_ALREADY_LOCKED/);
      assert.equal(dancu(['eid', 'unlock', personalId, '--reason', 'Quyết định 8/QĐ', '--purpose', 'MO KHOA']).code, 0);
      assert.equal((await citizenSignInState(store.db, principalId))?.locked, false);
      assert.match(dancu(['eid', 'show', '001090000999', '--purpose', 'KIEM TRA']).stderr, /EID_ACCOUNT_NOT_FOUND/);

      const events = await listPrincipalEvents(store.db, principalId);
      assert.deepEqual(
        events.filter((e) => e.kind === 'locked' || e.kind === 'unlocked').map((e) => [e.kind, e.details.kind, e.details.channel, e.details.reason]),
        [
          ['locked', 'authority', 'cli', 'Quyết định 7/QĐ'],
          ['unlocked', 'authority', 'cli', 'Quyết định 8/QĐ'],
        ],
      );
      const mail = dancu(['eid', 'mail']);
      assert.equal(mail.code, 0, mail.stderr);
      assert.deepEqual(JSON.parse(mail.stdout), []);
    } finally {
      await store.close();
    }
  });
});
