/** `dancu written-request …` as a real process against the test store (decision 0040). */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../support/store.js';
import { openStore } from '../../src/store/connect.js';
import { pdfText } from '../support/pdf.js';
import { runDancu } from '../support/cli.js';

const ROOT = new URL('../..', import.meta.url).pathname;
let database: TestDatabase;
let dataDir: string;

const dancu = (args: string[]) => runDancu(args, { DANCU_DATABASE_URL: database.url, DANCU_DATA_DIR: dataDir, DANCU_DEMO_CITIZENS: '0' });

before(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'dancu-wr-'));
});
after(async () => {
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('dancu written-request', () => {
  test('--help on every command', () => {
    for (const sub of [[], ['record'], ['list'], ['show'], ['consent'], ['decide'], ['letter']]) {
      const r = dancu(['written-request', ...sub, '--help']);
      assert.equal(r.code, 0, sub.join(' '));
      assert.match(r.stdout, /Usage: dancu written-request/);
      if (sub.length > 0) assert.match(r.stdout, /--purpose <text>/);
    }
  });

  test('record, list, show, decide and letter — each recorded with its purpose; none runs without one', async () => {
    assert.equal(dancu(['seed', '--citizens', '20', '--seed', '7']).code, 0);
    const store = openStore({ url: database.url });
    try {
      const subject = (await store.db.selectFrom('citizen').select('personal_id').where('date_of_death', 'is', null).orderBy('personal_id').executeTakeFirstOrThrow()).personal_id;
      const scan = join(dataDir, 'letter.pdf');
      writeFileSync(scan, '%PDF-1.4\n% synthetic scan\n');
      const common = ['--subject', subject, '--channel', 'post', '--org', 'Tòa án nhân dân khu vực 2', '--state-body', '--fields', 'identity,card', '--reason', 'Giải quyết vụ án', '--scan', scan];
      const refused = dancu(['written-request', 'record', ...common]);
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(refused.stderr, /PURPOSE_REQUIRED/);

      const recorded = dancu(['written-request', 'record', ...common, '--purpose', 'Tiếp nhận văn bản']);
      assert.equal(recorded.code, 0, recorded.stderr);
      const r = JSON.parse(recorded.stdout);
      assert.equal(r.status, 'open');
      assert.deepEqual(r.fields, ['identity', 'card']);

      const listed = JSON.parse(dancu(['written-request', 'list', '--purpose', 'Danh sách']).stdout);
      assert.deepEqual(listed.items.map((i: { requestId: string }) => i.requestId), [r.requestId]);
      const copy = join(dataDir, 'copy.pdf');
      const shown = JSON.parse(dancu(['written-request', 'show', r.requestId, '--scan', copy, '--purpose', 'Xem hồ sơ']).stdout);
      assert.equal(shown.events[0].kind, 'received');
      assert.equal(readFileSync(copy, 'utf8'), '%PDF-1.4\n% synthetic scan\n');

      // The CLI runs as an administrator: it decides only for a named officer (NĐ 70/2024 Art. 9).
      const officer = JSON.parse(dancu(['officer', 'add', '--name', 'Cán bộ Thử', '--role', 'officer', '--json']).stdout).principal.id as string;
      const admin = JSON.parse(dancu(['officer', 'add', '--name', 'Quản trị Thử', '--role', 'admin', '--json']).stdout).principal.id as string;
      const unnamed = dancu(['written-request', 'decide', r.requestId, '--provide', '--purpose', 'Giải quyết']);
      assert.equal(unnamed.code, 1);
      assert.match(unnamed.stderr, /--officer/);
      const asAdmin = dancu(['written-request', 'decide', r.requestId, '--provide', '--officer', admin, '--purpose', 'Giải quyết']);
      assert.equal(asAdmin.code, 1);
      assert.match(asAdmin.stderr, /FORBIDDEN/);
      const both = dancu(['written-request', 'decide', r.requestId, '--provide', '--refuse', '--officer', officer, '--purpose', 'Giải quyết']);
      assert.equal(both.code, 1);
      const decided = dancu(['written-request', 'decide', r.requestId, '--provide', '--officer', officer, '--purpose', 'Giải quyết']);
      assert.equal(decided.code, 0, decided.stderr);
      assert.equal(JSON.parse(decided.stdout).status, 'provided');
      assert.equal(JSON.parse(decided.stdout).decidedBy, officer);
      const step = await store.db.selectFrom('written_request_event').select(['actor_id', 'details']).where('request_id', '=', r.requestId).where('kind', '=', 'provided').executeTakeFirstOrThrow();
      assert.equal(step.actor_id, officer);
      assert.match(JSON.parse(step.details).enteredBy, /^cli:/);
      const again = dancu(['written-request', 'decide', r.requestId, '--refuse', '--reason-item', 'x', '--officer', officer, '--purpose', 'Giải quyết']);
      assert.equal(again.code, 1);
      assert.match(again.stderr, /WRITTEN_REQUEST_ALREADY_DECIDED/);

      const pdf = join(dataDir, 'reply.pdf');
      const letter = dancu(['written-request', 'letter', r.requestId, '--pdf', pdf, '--purpose', 'Giao văn bản trả lời']);
      assert.equal(letter.code, 0, letter.stderr);
      // Not through `dancu certificate show`: that would hand the letter out unrecorded as a release.
      const generic = dancu(['certificate', 'show', JSON.parse(decided.stdout).certificateNumber, '--pdf', join(dataDir, 'generic.pdf'), '--purpose', 'Xem giấy tờ']);
      assert.equal(generic.code, 1);
      assert.match(generic.stderr, /CERTIFICATE_NOT_FOUND/);
      assert.throws(() => readFileSync(join(dataDir, 'generic.pdf')));
      const text = (await pdfText(readFileSync(pdf))).replace(/\s+/g, ' ');
      assert.ok(text.includes('Tòa án nhân dân khu vực 2'));
      assert.ok(text.includes(subject));

      const entries = await store.db.selectFrom('access_entry').select(['action', 'purpose', 'channel']).where('subject_key', '=', subject).orderBy('at').orderBy('entry_id').execute();
      const wr = entries.filter((e) => e.action.startsWith('written-request'));
      assert.deepEqual(wr.map((e) => [e.action, e.purpose, e.channel]), [
        ['written-request record', 'Tiếp nhận văn bản', 'cli'],
        ['written-request list', 'Danh sách', 'cli'],
        ['written-request show', 'Xem hồ sơ', 'cli'],
        ['written-request decide', 'Giải quyết', 'cli'], // an administrator named as the officer: refused
        ['written-request decide', 'Giải quyết', 'cli'], // --provide --refuse refused
        ['written-request decide', 'Giải quyết', 'cli'],
        ['written-request decide', 'Giải quyết', 'cli'], // decided again: refused
        ['written-request letter', 'Giao văn bản trả lời', 'cli'],
      ]);
    } finally {
      await store.close();
    }
  });
});
