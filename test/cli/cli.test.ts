/** The dancu command, run as a real process against the test store. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../support/store.js';
import { openStore } from '../../src/store/connect.js';
import { stopChild } from '../support/child.js';
import { runDancu } from '../support/cli.js';

const ROOT = new URL('../..', import.meta.url).pathname;
let database: TestDatabase;
let dataDir: string;

const dancu = (args: string[], env: Record<string, string> = {}) => runDancu(args, { DANCU_DATABASE_URL: database.url, DANCU_DATA_DIR: dataDir, ...env });

before(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'dancu-cli-'));
});
after(async () => {
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('dancu CLI', () => {
  test('--help on every command', () => {
    for (const args of [[], ['serve'], ['migrate'], ['seed'], ['officer'], ['officer', 'add'], ['officer', 'list'], ['officer', 'revoke'], ['citizen'], ['citizen', 'get'], ['citizen', 'search'], ['card', 'verify'], ['certificate', 'issue'], ['keys', 'rotate'], ['residence'], ['residence', 'permanent-registration'], ['residence', 'stay-notice'], ['residence', 'application', 'list'], ['residence', 'confirmation', 'verify']]) {
      const r = dancu([...args, '--help']);
      assert.equal(r.code, 0, args.join(' '));
      assert.match(r.stdout, /Usage: dancu/, args.join(' '));
    }
    assert.match(dancu(['--help']).stdout, /DANCU_DATABASE_URL/);
  });

  test('migrate, seed, search, get', () => {
    // The test database may come from the migrated template; either way a second run has nothing to do.
    assert.match(dancu(['migrate']).stdout, /applied: 0001-core, 0002-reference-data|already up to date/);
    assert.match(dancu(['migrate']).stdout, /already up to date/);
    const seeded = dancu(['seed', '--citizens', '300', '--seed', '5']);
    assert.equal(seeded.code, 0, seeded.stderr);
    assert.match(seeded.stdout, /created 300 citizens \(0 already present\)/);
    const again = dancu(['seed', '--citizens', '300', '--seed', '5']);
    assert.match(again.stdout, /created 0 citizens \(300 already present\)/);
    const other = dancu(['seed', '--citizens', '10', '--seed', '6']);
    assert.equal(other.code, 1);
    assert.match(other.stderr, /SEED_STORE_NOT_EMPTY/);

    const anyone = JSON.parse(dancu(['citizen', 'search', '--id', '000000000000', '--json', '--purpose', 'TEST']).stdout);
    assert.deepEqual(anyone.items, []);
    // Find a seeded person through get → search by folded name and year.
    const list = dancu(['officer', 'list', '--json']);
    assert.deepEqual(JSON.parse(list.stdout), []);
  });

  test('officer add prints the token once; revoke takes effect', () => {
    const added = JSON.parse(dancu(['officer', 'add', '--name', 'Cán bộ Một', '--role', 'officer', '--json']).stdout);
    assert.equal(added.principal.role, 'officer');
    assert.match(added.token, /^dcu_/);
    const bad = dancu(['officer', 'add', '--name', 'X', '--role', 'king']);
    assert.equal(bad.code, 1);
    const listed = JSON.parse(dancu(['officer', 'list', '--json']).stdout);
    assert.equal(listed.length, 1);
    assert.equal(listed[0].token, undefined);
    assert.equal(dancu(['officer', 'revoke', added.principal.id]).code, 0);
    const again = dancu(['officer', 'revoke', added.principal.id]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /PRINCIPAL_NOT_FOUND/);
  });

  test('citizen get and search round-trip a seeded person', () => {
    const page = JSON.parse(dancu(['citizen', 'search', '--name', 'nguyen', '--dob', '1990', '--json', '--purpose', 'TEST']).stdout);
    assert.ok(Array.isArray(page.items));
    const missing = dancu(['citizen', 'get', '001090999999', '--purpose', 'TEST']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /CITIZEN_NOT_FOUND/);
    const bad = dancu(['citizen', 'search', '--name', 'x', '--purpose', 'TEST']);
    assert.match(bad.stderr, /SEARCH_CRITERIA_REQUIRED/);
  });

  test('citizen search as counters type it: surname + given name; "no match" when nobody', async () => {
    const store = openStore({ url: database.url });
    const rows = await store.db.selectFrom('citizen').select(['personal_id', 'full_name', 'date_of_birth']).orderBy('personal_id').limit(50).execute();
    await store.close();
    const person = rows.find((r) => r.full_name.split(' ').length >= 3 && r.date_of_birth.length === 10);
    assert.ok(person, 'a seeded person with a middle name');
    const words = person.full_name.split(' ');
    const typed = `${words[0]} ${words[words.length - 1]}`;
    const found = JSON.parse(dancu(['citizen', 'search', '--name', typed, '--dob', person.date_of_birth, '--json', '--purpose', 'TEST']).stdout);
    assert.ok(found.items.some((c: { personalId: string }) => c.personalId === person.personal_id), typed);
    const nobody = dancu(['citizen', 'search', '--name', 'Không Ai Cả', '--dob', '1901', '--purpose', 'TEST']);
    assert.equal(nobody.code, 0, nobody.stderr);
    assert.equal(nobody.stdout, '');
    assert.match(nobody.stderr, /^no match \/ không tìm thấy$/m);
  });

  test('cards and certificates from the command line', async () => {
    const store = openStore({ url: database.url });
    const row = await store.db.selectFrom('id_card').select('personal_id').where('generation', '=', 'CAN_CUOC').where('lost_on', 'is', null).where('revoked_on', 'is', null).where('replaced_on', 'is', null).orderBy('personal_id').limit(1).executeTakeFirst();
    await store.close();
    assert.ok(row, 'the seeded population holds a căn cước');
    const id = row.personal_id;
    const status = JSON.parse(dancu(['card', 'status', id, '--purpose', 'TEST']).stdout);
    assert.equal(status.personalId, id);
    assert.ok(status.cards.length >= 1);
    const png = join(dataDir, 'qr.png');
    const qr = dancu(['card', 'qr', id, '--png', png, '--purpose', 'TEST']);
    assert.equal(qr.code, 0, qr.stderr);
    assert.equal(qr.stdout.trim().split('|')[0], id);
    const verified = JSON.parse(dancu(['card', 'verify', '--image', png, '--purpose', 'TEST']).stdout);
    assert.equal(verified.personalId, id);
    assert.ok(['authentic', 'outdated'].includes(verified.verdict), verified.verdict);
    const pdf = join(dataDir, 'notice.pdf');
    const cert = JSON.parse(dancu(['certificate', 'issue', id, '--kind', 'personal-id-notice', '--pdf', pdf, '--purpose', 'TEST']).stdout);
    assert.match(cert.number, /^TBSDD-/);
    assert.equal(readFileSync(pdf).subarray(0, 5).toString(), '%PDF-');
    assert.match(dancu(['keys', 'rotate']).stdout, /^active key \S+/);
    assert.equal(dancu(['card', 'legacy-check', id, '000000001', '--purpose', 'TEST']).stdout.trim() === 'yes', false);
  });

  test('commands that touch a citizen need --purpose (exit 2 without it) and are recorded by the one mechanism, one row per person', async () => {
    const store = openStore({ url: database.url });
    try {
      const db = store.db;
      const entries = (purpose: string) =>
        db.selectFrom('access_entry').selectAll().where('purpose', '=', purpose).orderBy('entry_id').orderBy('primary_row', 'desc').orderBy('subject_key').execute();
      const count = async () => Number((await db.selectFrom('access_entry').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      // Someone living with others: a household read concerns every member.
      const all = await db.selectFrom('household_member').select(['household_id', 'personal_id']).orderBy('household_id').orderBy('personal_id').execute();
      const size = (h: string) => all.filter((m) => m.household_id === h).length;
      const id = all.find((m) => size(m.household_id) >= 2)!.personal_id;

      // Refused before anything is opened: exit 2, a clear message, nothing printed, nothing recorded.
      const before = await count();
      for (const args of [['citizen', 'get', id], ['citizen', 'get', id, '--purpose', '  '], ['certificate', 'issue', id, '--kind', 'personal-id-notice']]) {
        const r = dancu(args);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.equal(r.stdout, '');
        assert.match(r.stderr, /PURPOSE_REQUIRED.*--purpose <text> is required/);
      }
      assert.equal(await count(), before, 'a refused command reads nothing and records nothing');
      for (const args of [['citizen', 'search'], ['card', 'verify'], ['residence', 'stay-notice'], ['residence', 'application', 'approve']]) {
        assert.match(dancu([...args, '--help']).stdout, /--purpose <text> +required: why the data is used/, args.join(' '));
      }

      // A read: one entry, under the person, with who (the OS user), channel, action, purpose, fields and its leaf.
      const read = dancu(['citizen', 'get', id, '--purpose', 'CLI-GET']);
      assert.equal(read.code, 0, read.stderr);
      const [got, ...more] = await entries('CLI-GET');
      assert.deepEqual(more, []);
      assert.deepEqual(
        [got!.subject_key, got!.caller_kind, got!.channel, got!.action, got!.outcome, Number(got!.http_status), Number(got!.primary_row), JSON.parse(got!.personal_ids)],
        [id, 'system', 'cli', 'citizen get', 'served', 200, 1, [id]],
      );
      assert.match(got!.principal_id!, /^cli:\S+$/);
      assert.deepEqual(JSON.parse(got!.fields), Object.keys(JSON.parse(read.stdout)).sort());
      const leaf = await db.selectFrom('tlog_leaf_ref').select('ref').where('kind', '=', 'access_entry').where('subject_key', '=', id).where('ref', '=', got!.entry_id).execute();
      assert.equal(leaf.length, 1, 'the entry has its transparency-log leaf');

      // A household: one row per member, under each member's ID; the first stands for the use.
      const household = JSON.parse(dancu(['residence', 'household', id, '--purpose', 'CLI-HH']).stdout);
      const members = [...new Set<string>([household.headPersonalId, ...household.members.map((m: { personalId: string }) => m.personalId)].filter(Boolean))].sort();
      assert.ok(members.includes(id));
      const rows = await entries('CLI-HH');
      assert.deepEqual(rows.map((r) => r.subject_key).sort(), members);
      assert.equal(new Set(rows.map((r) => r.entry_id)).size, 1, 'one use');
      assert.deepEqual(rows.map((r) => Number(r.primary_row)).sort(), [...members.map(() => 0).slice(1), 1]);
      assert.deepEqual(JSON.parse(rows.find((r) => Number(r.primary_row) === 1)!.personal_ids).sort(), members);

      // A search: each person listed is recorded as read; a search that lists nobody reads nobody.
      const me = JSON.parse(read.stdout);
      const page = JSON.parse(dancu(['citizen', 'search', '--name', me.fullName, '--dob', me.dateOfBirth, '--json', '--purpose', 'CLI-SEARCH']).stdout);
      const listed = page.items.map((c: { personalId: string }) => c.personalId).sort();
      assert.ok(listed.includes(id));
      assert.deepEqual((await entries('CLI-SEARCH')).map((r) => r.subject_key).sort(), listed);
      const none = dancu(['citizen', 'search', '--name', 'Không Ai Cả', '--dob', '1901', '--purpose', 'CLI-NOBODY']);
      assert.equal(none.code, 0, none.stderr);
      assert.deepEqual(await entries('CLI-NOBODY'), [], 'a search that lists nobody reads nobody\'s data');

      // A refusal is recorded under the person named, with its code; a change inside its own transaction.
      assert.equal(dancu(['citizen', 'get', '001090999999', '--purpose', 'CLI-MISSING']).code, 1);
      assert.deepEqual((await entries('CLI-MISSING')).map((r) => [r.subject_key, r.outcome, r.error_code]), [['001090999999', 'refused', 'CITIZEN_NOT_FOUND']]);
      const cert = JSON.parse(dancu(['certificate', 'issue', id, '--kind', 'personal-id-notice', '--purpose', 'CLI-CERT']).stdout);
      assert.deepEqual((await entries('CLI-CERT')).map((r) => [r.subject_key, r.action, r.outcome]), [[id, 'certificate issue', 'served']]);
      const shown = dancu(['certificate', 'show', cert.number, '--purpose', 'CLI-SHOW']);
      assert.equal(shown.code, 0, shown.stderr);
      assert.deepEqual((await entries('CLI-SHOW')).map((r) => [r.subject_key, r.action]), [[id, 'certificate show']]);
      // The certificate names the same operator as the access entry of its issue.
      const issued = await db.selectFrom('certificate').select(['personal_id', 'issued_by']).where('number', '=', cert.number).executeTakeFirstOrThrow();
      assert.deepEqual([issued.personal_id, issued.issued_by], [id, got!.principal_id]);
    } finally {
      await store.close();
    }
  });

  test('residence procedures from the command line: submit, approve, ask, confirm', async () => {
    const store = openStore({ url: database.url });
    const row = await store.db.selectFrom('citizen').select('personal_id').where('date_of_death', 'is', null).where('date_of_birth', '<', '2000').orderBy('personal_id', 'desc').limit(1).executeTakeFirst();
    await store.close();
    assert.ok(row);
    const id = row.personal_id;
    const file = join(dataDir, 'ct01.json');
    writeFileSync(file, JSON.stringify({ personalId: id, address: { country: 'VN', unitSet: '2025', unitCode: '00008', detail: 'Số 77 phố Đội Cấn' }, lawfulResidence: { kind: 'owned' } }));
    const done = dancu(['residence', 'permanent-registration', '--file', file, '--approve', '--purpose', 'TEST']);
    assert.equal(done.code, 0, done.stderr);
    const app = JSON.parse(done.stdout);
    assert.equal(app.status, 'approved');
    const household = app.outcome.householdId as string;
    assert.equal(dancu(['residence', 'confirm-head', id, '--household', household, '--purpose', 'TEST']).stdout.trim(), 'yes');
    const h = JSON.parse(dancu(['residence', 'household', id, '--history', '--purpose', 'TEST']).stdout);
    assert.equal(h.headPersonalId, id);
    assert.equal(h.history[0].kind, 'create');
    assert.equal(JSON.parse(dancu(['residence', 'current', id, '--purpose', 'TEST']).stdout).permanent.place.address.detail, 'Số 77 phố Đội Cấn');
    const ct07 = JSON.parse(dancu(['residence', 'confirmation', 'issue', id, '--purpose', 'TEST']).stdout);
    assert.equal(JSON.parse(dancu(['residence', 'confirmation', 'verify', ct07.number]).stdout).status, 'valid');
    writeFileSync(file, JSON.stringify({ personalId: id, address: { unitSet: '2025', unitCode: '00008', detail: 'x' }, validUntil: '2020-01-01', lawfulResidence: { kind: 'castle' } }));
    const bad = dancu(['residence', 'temporary-registration', '--file', file, '--purpose', 'TEST']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /VALIDATION_FAILED/);
    assert.match(bad.stderr, /lawfulResidence/);
    const decided = JSON.parse(dancu(['residence', 'application', 'list', '--view', 'decided', '--person', id, '--purpose', 'TEST']).stdout);
    assert.deepEqual(decided.items.map((i: { applicationId: string }) => i.applicationId), [app.applicationId]);
  });

  test('serve prints the URLs, a working demo officer token and a working demo agency client', async () => {
    const port = 39000 + Math.floor(Math.random() * 1000);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', String(port)], {
      cwd: ROOT,
      env: { ...process.env, DANCU_DATABASE_URL: database.url, DANCU_DATA_DIR: dataDir, DANCU_DEMO_CITIZENS: '300', DANCU_DEMO_SEED: '5', LOG_LEVEL: 'warn' },
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    try {
      for (let i = 0; i < 1200 && !err.includes('Demo officer token'); i++) await new Promise((r) => setTimeout(r, 100));
      assert.match(err, new RegExp(`http://127.0.0.1:${port}/docs`));
      const token = readFileSync(join(dataDir, 'demo-officer.token'), 'utf8').trim();
      assert.ok(err.includes(token));
      // The printed example says why it reads (X-Purpose), as every officer's read must.
      const [, purpose, example] = /curl -H "Authorization: Bearer \S+" -H "X-Purpose: ([^"]+)" "(\S+)"/.exec(err)!;
      const res = await fetch(example!, { headers: { authorization: `Bearer ${token}`, 'x-purpose': purpose! } });
      assert.equal(res.status, 200);
      const body = (await res.json()) as { items: unknown[] };
      assert.ok(body.items.length >= 1, 'the printed example finds a demo citizen');
      // The example agency client, as printed, works against the demo: token, services, policy.
      for (let i = 0; i < 600 && !err.includes('Demo agency client'); i++) await new Promise((r) => setTimeout(r, 100));
      const personalId = /examples\/agency-client\.ts (\d{12})/.exec(err)![1]!;
      const client = spawnSync(process.execPath, ['--import', 'tsx', 'examples/agency-client.ts', personalId, dataDir], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(client.status, 0, client.stderr);
      assert.match(client.stdout, new RegExp(`lookupCitizen  \\{"status":200,"body":\\{"personalId":"${personalId}"`));
      assert.match(client.stdout, /verifyCitizen  \{"status":200/);
      assert.match(client.stdout, /SERVICE_NOT_ALLOWED/);
    } finally {
      await stopChild(child);
    }
  });

  test('serve --workers 2: two processes on one port, /metrics summed over both, the agency client works, a dead worker is replaced, SIGTERM stops all', async () => {
    const port = 40000 + Math.floor(Math.random() * 1000);
    // The demo population of the test above is reused (same size and seed).
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', String(port), '--workers', '2'], {
      cwd: ROOT,
      env: { ...process.env, DANCU_DATABASE_URL: database.url, DANCU_DATA_DIR: dataDir, DANCU_DEMO_CITIZENS: '300', DANCU_DEMO_SEED: '5', LOG_LEVEL: 'warn' },
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const workers = () =>
      readdirSync('/proc')
        .filter((d) => /^\d+$/.test(d))
        .filter((d) => {
          try {
            return readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]!.split(' ')[1] === String(child.pid);
          } catch {
            return false;
          }
        });
    /** A GET on a new connection each time: the primary hands connections to the workers in turn. */
    const get = (path: string, token: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path, agent: false, headers: { authorization: `Bearer ${token}`, 'x-purpose': 'TEST' } }, (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        });
        req.setTimeout(5000, () => req.destroy(new Error(`GET ${path}: no answer within 5 s`)));
        req.on('error', reject);
        req.end();
      });
    try {
      for (let i = 0; i < 1200 && !err.includes('Demo agency client'); i++) await new Promise((r) => setTimeout(r, 100));
      assert.match(err, /\(2 server processes\)/);
      assert.equal(workers().length, 2, 'two worker processes under the primary');
      const personalId = /examples\/agency-client\.ts (\d{12})/.exec(err)![1]!;
      const store = openStore({ url: database.url });
      // Exchange calls recorded (one primary access_entry row stands for each call).
      const logged = async () => Number((await store.db.selectFrom('access_entry').select((eb) => eb.fn.countAll().as('n')).where('channel', '=', 'exchange').where('primary_row', '=', 1).executeTakeFirstOrThrow()).n);
      try {
        const before = await logged();
        // Two runs of the client: two processes, so their connections go to both workers.
        for (let run = 0; run < 2; run++) {
          const client = spawnSync(process.execPath, ['--import', 'tsx', 'examples/agency-client.ts', personalId, dataDir], { cwd: ROOT, encoding: 'utf8' });
          assert.equal(client.status, 0, client.stderr);
          assert.match(client.stdout, /lookupCitizen  \{"status":200/);
        }
        const calls = (await logged()) - before;
        assert.ok(calls >= 4, `${calls} calls logged`);
        const admin = readFileSync(join(dataDir, 'demo-admin.token'), 'utf8').trim();
        // Whichever worker answers /metrics, it reports the calls both served.
        for (let i = 0; i < 4; i++) {
          const m = await get('/metrics', admin);
          assert.equal(m.status, 200);
          const total = m.body.split('\n').filter((l) => l.startsWith('dancu_exchange_calls_total{')).reduce((a, l) => a + Number(l.split(' ').at(-1)), 0);
          assert.equal(total, calls, m.body);
        }
        const officer = readFileSync(join(dataDir, 'demo-officer.token'), 'utf8').trim();
        for (let i = 0; i < 4; i++) assert.equal((await get(`/citizens/${personalId}`, officer)).status, 200);
        // A worker that dies is replaced. (A connection handed to it in the instant it dies is lost
        // with it — Node's cluster does not hand it to another — so the client's timeout decides.)
        const [victim, survivor] = workers();
        process.kill(Number(victim), 'SIGKILL');
        let now = workers();
        for (let i = 0; i < 100 && !(now.length === 2 && !now.includes(victim!)); i++) {
          await new Promise((r) => setTimeout(r, 100));
          now = workers();
        }
        assert.equal(now.length, 2, 'two workers again');
        assert.ok(now.includes(survivor!) && !now.includes(victim!), `workers now ${now.join(', ')}`);
        for (let i = 0; i < 4; i++) assert.equal((await get(`/citizens/${personalId}`, officer)).status, 200);
      } finally {
        await store.close();
      }
    } finally {
      // A process ID is known with its start time: under load another process may soon get the same ID.
      const startOf = (pid: string) => {
        try {
          return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[19];
        } catch {
          return undefined;
        }
      };
      const pids = workers().map((pid) => [pid, startOf(pid)] as const);
      const code = await stopChild(child);
      assert.equal(code, 0);
      for (const [pid, start] of pids) assert.ok(start === undefined || startOf(pid) !== start, `worker ${pid} has exited`);
    }
  });
});
