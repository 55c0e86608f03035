/**
 * `dancu consents list|show|expire` (decision 0044): a real CLI process on the test store. The
 * requests are made with the repository's own rows (the HTTP test covers how they come to be).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../support/store.js';
import { runDancu } from '../support/cli.js';
import { openStore } from '../../src/store/connect.js';
import { insertConsent, type StoredConsent } from '../../src/store/repositories/consents.js';

let database: TestDatabase;
let dataDir: string;
const dancu = (args: string[]) => runDancu(args, { DANCU_DATABASE_URL: database.url, DANCU_DATA_DIR: dataDir });

before(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'dancu-cli-consents-'));
});
after(async () => {
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('list and show (recorded, with a purpose; never the SMS code), expire writes lapses once', async () => {
  const first = dancu(['consents', 'expire']); // migrates the store
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout, 'expired: 0\n');
  const store = openStore({ url: database.url });
  try {
    const consent = (personalId: string, consentId: string, createdAt: string, answerBy: string): StoredConsent => ({
      personalId, consentId, code: 'AB23CD45', connectionId: 'conn-1', agencyCode: 'NHCLI', purpose: '1.004222',
      data: [{ service: 'lookupCitizen', fields: ['fullName'] }], validDays: 30, state: 'pending', createdAt, answerBy, version: 1,
    });
    const a = consent('001090000321', '0b7e3c1a-0000-4000-8000-000000000001', '2026-01-01T00:00:00.000Z', '2026-01-08T00:00:00.000Z');
    const b = consent('001090000322', '0b7e3c1a-0000-4000-8000-000000000002', new Date().toISOString(), '2999-01-01T00:00:00.000Z');
    for (const c of [a, b]) await store.transaction((tx) => insertConsent(tx, c, { at: c.createdAt, actorId: 'connection:conn-1', channel: 'exchange', details: {} }));

    assert.equal(dancu(['consents', 'list']).code, 2, 'a purpose is required');
    const listed = dancu(['consents', 'list', '--purpose', 'THANH TRA']);
    assert.equal(listed.code, 0, listed.stderr);
    const page = JSON.parse(listed.stdout);
    assert.deepEqual(page.items.map((i: { consentId: string; state: string }) => [i.consentId, i.state]), [[b.consentId, 'pending'], [a.consentId, 'expired']]);
    assert.ok(page.items.every((i: Record<string, unknown>) => !('code' in i)));
    const one = JSON.parse(dancu(['consents', 'list', '--person', a.personalId, '--state', 'expired', '--purpose', 'THANH TRA']).stdout);
    assert.deepEqual(one.items.map((i: { consentId: string }) => i.consentId), [a.consentId]);
    assert.equal(dancu(['consents', 'list', '--state', 'maybe', '--purpose', 'X']).code, 2);

    const shown = dancu(['consents', 'show', a.consentId, '--purpose', 'THANH TRA']);
    assert.equal(shown.code, 0, shown.stderr);
    const view = JSON.parse(shown.stdout);
    assert.equal(view.agencyName, 'NHCLI');
    assert.equal(view.code, undefined);
    assert.deepEqual(view.history.map((h: { kind: string }) => h.kind), ['requested']);
    assert.match(dancu(['consents', 'show', '0b7e3c1a-0000-4000-8000-000000000009', '--purpose', 'X']).stderr, /CONSENT_REQUEST_NOT_FOUND/);

    assert.equal(dancu(['consents', 'expire']).stdout, 'expired: 1\n');
    assert.equal(dancu(['consents', 'expire']).stdout, 'expired: 0\n');
    const events = await store.db.selectFrom('consent_event').select('kind').where('consent_id', '=', a.consentId).orderBy('seq').execute();
    assert.deepEqual(events.map((e) => e.kind), ['requested', 'expired']);
    // Each read was a recorded use, with its purpose and the people it named.
    const uses = await store.db.selectFrom('access_entry').select(['action', 'purpose', 'subject_key']).where('channel', '=', 'cli').where('outcome', '=', 'served').orderBy('at').execute();
    assert.ok(uses.some((u) => u.action === 'consents show' && u.purpose === 'THANH TRA' && u.subject_key === a.personalId), JSON.stringify(uses));
    assert.ok(uses.some((u) => u.action === 'consents list' && u.subject_key === b.personalId));
  } finally {
    await store.close();
  }
});
