/** `dancu officer add --role citizen --personal-id`: bound to a registered citizen, refused otherwise (decision 0032). */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../support/store.js';
import { openStore } from '../../src/store/connect.js';
import { runDancu } from '../support/cli.js';

const ROOT = new URL('../..', import.meta.url).pathname;
let database: TestDatabase;
let dataDir: string;

const dancu = (args: string[]) => runDancu(args, { DANCU_DATABASE_URL: database.url, DANCU_DATA_DIR: dataDir });

before(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'dancu-cli-'));
});
after(async () => {
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('officer add --role citizen', () => {
  test('bound to an existing citizen; refused without one, with an unknown one, and for other roles', async () => {
    assert.equal(dancu(['seed', '--citizens', '20', '--seed', '3']).code, 0);
    const store = openStore({ url: database.url });
    let personalId: string;
    try {
      personalId = (await store.db.selectFrom('citizen').select('personal_id').orderBy('personal_id').limit(1).executeTakeFirstOrThrow()).personal_id;
    } finally {
      await store.close();
    }
    const added = dancu(['officer', 'add', '--name', 'Công dân', '--role', 'citizen', '--personal-id', personalId, '--json']);
    assert.equal(added.code, 0, added.stderr);
    const { principal, token } = JSON.parse(added.stdout);
    assert.equal(principal.role, 'citizen');
    assert.equal(principal.personalId, personalId);
    assert.match(token, /^dcu_/);

    const unbound = dancu(['officer', 'add', '--name', 'X', '--role', 'citizen']);
    assert.notEqual(unbound.code, 0);
    assert.match(unbound.stderr, /--personal-id/);
    const unknown = dancu(['officer', 'add', '--name', 'X', '--role', 'citizen', '--personal-id', '099999999999']);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /CITIZEN_PRINCIPAL_UNBOUND|registered citizen/);
    const officer = dancu(['officer', 'add', '--name', 'X', '--role', 'officer', '--personal-id', personalId]);
    assert.notEqual(officer.code, 0);
    assert.match(officer.stderr, /citizen only/);
    assert.match(dancu(['officer', 'add', '--help']).stdout, /--personal-id/);
  });
});
