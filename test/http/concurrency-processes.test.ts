/**
 * "At most one" across real server processes (decision 0024): `dancu serve --workers 2` on one
 * store — on SQLite two processes writing one file, which in-process tests cannot show (there a
 * transaction runs within one tick of the event loop). Simultaneous requests spread over both
 * workers; exactly one wins, the others get a 409 problem+json, and the store holds the invariant.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/store/connect.js';
import { createPrincipal } from '../../src/services/principals.js';
import { systemClock } from '../../src/services/clock.js';
import { birthBody } from '../support/http.js';
import { freePort, stopChild } from '../support/child.js';
import { createTestDatabase, type TestDatabase } from '../support/store.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const N = 12;


describe('at most one across two server processes (serve --workers 2)', () => {
  let database: TestDatabase;
  let dataDir: string;
  let child: ChildProcess;
  let store: Store;
  let base: string;
  let officer: string;

  before(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'dancu-procs-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', String(port), '--workers', '2'], {
      cwd: ROOT,
      env: { ...process.env, DANCU_DATABASE_URL: database.url, DANCU_DATA_DIR: dataDir, DANCU_DEMO_CITIZENS: '0', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    for (let i = 0; i < 1200 && !err.includes('2 server processes'); i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(err, /2 server processes/);
    store = openStore({ url: database.url, poolSize: 2 });
    officer = (await createPrincipal(store, systemClock, 'Race officer', 'officer')).token;
  });
  after(async () => {
    if (child) await stopChild(child);
    await store?.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function call(method: string, path: string, body?: unknown, as: { token: string; purpose: string } = { token: officer, purpose: 'TEST' }) {
    const res = await fetch(base + path, { method, headers: { authorization: `Bearer ${as.token}`, 'x-purpose': as.purpose, ...(method === 'GET' ? {} : { 'content-type': 'application/json' }) }, ...(method === 'GET' ? {} : { body: JSON.stringify(body ?? {}) }) });
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  }

  function oneWinner(answers: Awaited<ReturnType<typeof call>>[], win: number, loserCode: string) {
    const summary = answers.map((r) => `${r.status} ${r.body.code ?? ''}`).join(', ');
    assert.equal(answers.filter((r) => r.status === win).length, 1, summary);
    for (const r of answers.filter((x) => x.status !== win)) {
      assert.equal(r.status, 409, summary);
      assert.equal(r.body.code, loserCode, summary);
      assert.match(r.type, /^application\/problem\+json/);
    }
  }

  async function citizen(fullName: string): Promise<string> {
    const r = await call('POST', '/citizens', birthBody({ fullName, dateOfBirth: '1990-02-02' }));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.personalId as string;
  }

  test('issueCard from both processes at once: one valid card', async () => {
    const pid = await citizen('Lâm Văn Hai');
    const answers = await Promise.all(Array.from({ length: N }, () => call('POST', `/citizens/${pid}/cards`, {})));
    oneWinner(answers, 201, 'CARD_ALREADY_VALID');
    const rows = await store.db.selectFrom('id_card').select('seq').where('personal_id', '=', pid).execute();
    assert.equal(rows.length, 1);
  });

  test('temporary registration from both processes at once: one open application, approved once', async () => {
    const pid = await citizen('Lâm Thị Tạm');
    const validUntil = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
    const body = { personalId: pid, address: { country: 'VN', unitSet: '2025', unitCode: '00008', detail: 'Số 5 phố Đội Cấn' }, validUntil, lawfulResidence: { kind: 'owned' } };
    const submitted = await Promise.all(Array.from({ length: N }, () => call('POST', '/residence/temporary-registrations', body)));
    oneWinner(submitted, 201, 'APPLICATION_ALREADY_OPEN');
    const id = submitted.find((r) => r.status === 201)!.body.applicationId as string;
    const approved = await Promise.all(Array.from({ length: N }, () => call('POST', `/residence/applications/${id}/approval`, {})));
    oneWinner(approved, 200, 'APPLICATION_STATE_CONFLICT');
    const regs = await store.db.selectFrom('residence_registration').select('seq').where('application_id', '=', id).execute();
    assert.equal(regs.length, 1);
  });

  test("a grievance's steps from both processes at once: one close, nothing after it, the others refused GRIEVANCE_CLOSED", async () => {
    const pid = await citizen('Lâm Văn Phản');
    const own = { token: (await createPrincipal(store, systemClock, 'Race citizen', 'citizen', undefined, { personalId: pid })).token, purpose: '' };
    const inspector = { token: (await createPrincipal(store, systemClock, 'Race inspector', 'inspector')).token, purpose: 'TT-2026/grievance' };
    for (let round = 0; round < 12; round++) {
      assert.equal((await call('GET', `/citizens/${pid}`)).status, 200);
      const entryId = (await call('GET', '/me/usage', undefined, own)).body.items[0].entryId as string;
      const opened = await call('POST', `/me/usage/${entryId}/grievance`, { text: 'Tôi không biết vì sao.' }, own);
      assert.equal(opened.status, 201, JSON.stringify(opened.body));
      const id = opened.body.grievanceId as string;
      const actions = Array.from({ length: N }, (_, i) => (['close', 'answer', 'assign'] as const)[i % 3]!);
      const answers = await Promise.all(actions.map((action) => call('POST', `/inspection/grievances/${id}/events`, { action }, inspector)));
      const summary = answers.map((r, i) => `${actions[i]} ${r.status} ${r.body.code ?? ''}`).join(', ');
      for (const r of answers.filter((x) => x.status !== 201)) {
        assert.equal(r.status, 409, summary);
        assert.match(r.type, /^application\/problem\+json/);
        assert.equal(r.body.code, 'GRIEVANCE_CLOSED', summary);
      }
      assert.equal(answers.filter((r, i) => actions[i] === 'close' && r.status === 201).length, 1, summary);
      const kinds = (await store.db.selectFrom('grievance_event').select('kind').where('personal_id', '=', pid).where('grievance_id', '=', id).orderBy('seq').execute()).map((e) => e.kind);
      assert.equal(kinds.at(-1), 'closed', `nothing after closed: ${kinds.join(', ')} (${summary})`);
      assert.equal(kinds.length, 1 + answers.filter((r) => r.status === 201).length, summary);
    }
  });
});
