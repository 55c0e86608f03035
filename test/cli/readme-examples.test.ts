/**
 * The README's shell examples run as written against a real server with the demo population: the
 * officer's "Using it" block and the agency walk-through (with examples/*.json). Only the port and
 * the data directory are changed. The demo is smaller than npm start's (3,000 people instead of
 * 100,000), with the same seed: the generator makes the same first people either way.
 * Needs bash and curl; outside CI a machine without curl skips this with a loud message (.ci/run
 * installs it).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, stopChild } from '../support/child.js';
import { createTestDatabase, type TestDatabase } from '../support/store.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const haveCurl = spawnSync('curl', ['--version']).status === 0 && spawnSync('bash', ['--version']).status === 0;
if (!haveCurl) {
  if (process.env.CI === 'true') throw new Error('the README examples need bash and curl (.ci/run installs curl)');
  process.stderr.write('\n!!! SKIPPED: test/cli/readme-examples.test.ts needs bash and curl on PATH (apt-get install -y curl) !!!\n\n');
}

let database: TestDatabase;
let dataDir: string;
before(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'dancu-readme-'));
});
after(async () => {
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The ```sh block of the README whose first line is `first`. */
function shellBlock(readme: string, first: string): string {
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const block = blocks.find((b) => b.startsWith(first));
  assert.ok(block, `README has a sh block starting with ${first}`);
  return block;
}


test('the README examples run as written on the demo', { skip: !haveCurl }, async () => {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', String(port)], {
    cwd: ROOT,
    env: { ...process.env, DANCU_DATABASE_URL: database.url, DANCU_DATA_DIR: dataDir, DANCU_DEMO_CITIZENS: '3000', DANCU_DEMO_SEED: '1', LOG_LEVEL: 'warn' },
  });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  try {
    for (let i = 0; i < 1200 && !err.includes('Demo agency client'); i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(err, /Demo agency client/, err);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const run = (block: string, env: Record<string, string> = {}, timeout = 60_000) => {
      const script = block.replaceAll('data/sqlite/', `${dataDir}/`).replaceAll('http://127.0.0.1:3000', `http://127.0.0.1:${port}`);
      // Every curl must succeed (an HTTP error fails the script, showing its body).
      const prelude = 'set -euo pipefail\ncurl() { command curl --fail-with-body -sS "$@"; echo; }\n';
      const r = spawnSync('bash', ['-c', prelude + script], { cwd: ROOT, encoding: 'utf8', timeout, env: { ...process.env, ...env } });
      assert.equal(r.status, 0, `${script}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
      return r.stdout;
    };

    const officer = run(shellBlock(readme, 'TOKEN=$(cat data/sqlite/demo-officer.token)'));
    const lines = officer.split('\n').filter(Boolean);
    // The three searches each find Nguyễn Anh Sơn; then his record, history, household, residence.
    for (const l of lines.slice(0, 3)) assert.match(l, /"personalId":"001090556355"/);
    assert.match(lines[3]!, /^\{"personalId":"001090556355".*"fullName":"Nguyễn Anh Sơn"/);
    assert.ok(lines.length >= 9, officer);

    // A citizen sees the officer's reads above, with their purpose; the log's checkpoint is public.
    const citizen = run(shellBlock(readme, 'ADMIN_TOKEN=$(cat data/sqlite/demo-admin.token)'));
    const [usage, tracker, checkpoint] = citizen.split('\n').filter(Boolean);
    const items = (JSON.parse(usage!) as { items: { purpose?: string; action: string }[] }).items;
    assert.ok(items.length > 0 && items.every((i) => i.purpose !== undefined), usage);
    assert.ok(items.some((i) => i.purpose === 'demo'), usage);
    assert.ok((JSON.parse(tracker!) as { totalUsages: number }).totalUsages >= 5, tracker);
    assert.ok(checkpoint!.length > 0, citizen);
    assert.match(citizen, /\n\d+\n[A-Za-z0-9+/]{43}=\n\n\u2014 /, 'a signed checkpoint: origin, size, root, a signature line');

    // Citizens by SMS: the help, then texts through the demo's SMSC (its address in the data directory);
    // three CLI starts, so more time on a loaded machine.
    const sms = run(shellBlock(readme, 'curl http://127.0.0.1:3000/sms/help'), { DANCU_DATA_DIR: dataDir }, 180_000).split('\n');
    assert.equal(sms[0], 'Tra cứu dữ liệu dân cư của bạn, nhắn:');
    const asked = sms.slice(sms.indexOf('Họ tên: Nguyễn Anh Sơn'));
    assert.deepEqual(asked.slice(0, 4), ['Họ tên: Nguyễn Anh Sơn', 'Ngày sinh: 03/05/1990', 'Số định danh: 001090556355', asked[3]]);
    assert.match(asked[3]!, /^CMND cũ: /);
    assert.match(asked[4]!, /^Thuong tru: /);
    assert.equal(asked.at(-2), 'Số điện thoại hoặc công dân không tồn tại');

    // The CLI commands below open the server's store.
    const cliEnv = { DANCU_DATA_DIR: dataDir, DANCU_DATABASE_URL: database.url };
    const NUMBER = { number: '+84955218687', operator: 'DEMO-TELECOM', recordId: 'demo-001090556355-0955218687', confirmedAt: '2024-12-31T17:00:00.000Z', current: true };

    // The subscriber register: the officer's read and the citizen's own view give the demo operator's
    // link; the CLI finds the holder of the number.
    const subscribers = run(shellBlock(readme, "# Nguyễn Anh Sơn's mobile numbers"), cliEnv, 120_000);
    const [officerView, ownView, ...cliLines] = subscribers.split('\n');
    assert.deepEqual(JSON.parse(officerView!), { personalId: '001090556355', numbers: [NUMBER] });
    assert.deepEqual(JSON.parse(ownView!), { personalId: '001090556355', numbers: [NUMBER] });
    assert.deepEqual(JSON.parse(cliLines.join('\n')), { number: '+84955218687', personalId: '001090556355', numbers: [NUMBER] });

    // A written request: recorded (open, one working-day deadline), decided, its letter a PDF.
    const written = run(shellBlock(readme, '# Nguyễn Anh Sơn asks at the counter')).split('\n').filter(Boolean);
    assert.match(written[0]!, /^YCTT-\d{4}-[0-9A-Z]+$/);
    const counts = JSON.parse(written[1]!) as Record<string, number>;
    assert.equal(counts.open, 1, written[1]);
    assert.equal(counts.provided, 0, written[1]);
    const decided = JSON.parse(written[2]!) as { requestId: string; status: string; consentRequired: boolean; requester: unknown; fields: string[]; certificateNumber?: string; deadline?: { status: string } };
    assert.equal(decided.requestId, written[0]);
    assert.equal(decided.status, 'provided');
    assert.equal(decided.consentRequired, false);
    assert.deepEqual(decided.requester, { kind: 'citizen', personalId: '001090556355', ground: 'self' });
    assert.deepEqual(decided.fields, ['identity', 'residence']);
    assert.equal(decided.deadline?.status, 'met');
    assert.match(decided.certificateNumber ?? '', /^TLYCTT-\d{4}-/);
    assert.equal(written[3], '200 application/pdf');

    // An officer's account: the initial password leads to set-password, the own password to TOTP
    // enrolment with its key; the tokens listed expire.
    const accounts = run(shellBlock(readme, '# An administrator creates an officer'), cliEnv, 120_000).split('\n').filter(Boolean);
    const first = JSON.parse(accounts[0]!) as { next: string; challenge: string };
    assert.equal(first.next, 'set-password');
    const enrol = JSON.parse(accounts[1]!) as { next: string; challenge: string; secret: string; otpauthUri: string };
    assert.equal(enrol.next, 'enrol-totp');
    assert.equal(enrol.challenge, first.challenge);
    assert.match(enrol.secret, /^[A-Z2-7]{32}$/);
    assert.ok(enrol.otpauthUri.startsWith('otpauth://totp/dancu:officer.') && enrol.otpauthUri.includes(`secret=${enrol.secret}`), enrol.otpauthUri);
    const tokens = accounts.slice(2);
    assert.ok(tokens.length >= 3, accounts.join('\n')); // the demo officer's, the demo admin's, the citizens'
    for (const t of tokens) assert.match(t, /^[0-9a-f]{16} +[0-9a-f-]{36} +expires \d{4}-\d\d-\d\dT/);

    // The OpenID Connect provider: the issuer under /oidc (discovery at the root); the demo portal registered.
    const oidc = run(shellBlock(readme, '# The OpenID Connect provider on the demo'), cliEnv).split('\n').filter(Boolean);
    assert.match(oidc[0]!, /^"issuer":"http:\/\/(127\.0\.0\.1|localhost):\d+\/oidc"$/);
    assert.match(oidc[1]!, /^rp-[0-9a-z]{12} +active +level 2 +Cổng dịch vụ công demo/);

    const agency = run(shellBlock(readme, 'ADMIN=$(cat data/sqlite/demo-admin.token)'));
    assert.match(agency, /connection demo-bhxh\.\S+/);
    assert.match(agency, /"state":"active"/);
    // The month the walk-through asked for: `date +%Y-%m` in the same shell environment.
    const month = spawnSync('date', ['+%Y-%m'], { encoding: 'utf8' }).stdout.trim();
    assert.match(agency, new RegExp(`^DEMO-BHXH,${month},TOTAL,`, 'm'));
  } finally {
    await stopChild(child);
  }
});
