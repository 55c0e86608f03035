/**
 * A subscriber import killed with SIGKILL part way through a file, then run again: the same end
 * state as an import never interrupted (on another store seeded alike), nothing duplicated, every
 * line accounted for once in the report (decision 0039). The import runs as `dancu subscribers
 * import` in a child process, on this run's store.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTestRuntime, type TestRuntime } from '../support/store.js';
import { exitOf, stopChild } from '../support/child.js';
import { fixedClock } from '../../src/services/clock.js';
import { seedPopulation } from '../../src/services/seed.js';
import { registerAgency } from '../../src/services/exchange/agencies.js';
import { importSubscriberLinks } from '../../src/services/subscribers/index.js';
import { digestAndCount } from '../../src/cli/commands/subscribers.js';

const ROOT = new URL('../..', import.meta.url).pathname;
// The CLI reads the system clock: the lines' instants lie in the past of any run.
const clock = fixedClock(new Date().toISOString());
const LINES = 24_000;
let crashed: TestRuntime;
let reference: TestRuntime;
let dir: string;
let file: string;

async function prepare(rt: TestRuntime): Promise<string[]> {
  await seedPopulation(rt.store, rt.catalogue.categories, clock, { seed: 21, count: 300 });
  await registerAgency(rt.ctx, {
    code: 'CRASHTEL',
    name: 'Nhà mạng thử sự cố',
    type: 'telecom_operator',
    stateBudgetFunded: false,
    focalPoints: [{ fullName: 'Đầu Mối', position: 'Kỹ sư', phone: '0912345678', email: 'a@crashtel.example' }],
  });
  return (await rt.store.db.selectFrom('citizen').select('personal_id').orderBy('personal_id').execute()).map((r) => r.personal_id);
}

/** Links, takeovers of numbers by other people, ends, repeated records and bad lines, in one file. */
function writeLines(people: string[]): void {
  const out: string[] = [];
  for (let i = 0; i < LINES; i++) {
    const n = i % 9000; // numbers come back: later lines take them over or end them
    // Each pass over the numbers links them to other people (a takeover ends the previous link).
    const who = people[(i * 7 + Math.floor(i / 9000)) % people.length];
    const number = `0978${String(n).padStart(6, '0')}`;
    if (i % 997 === 0) out.push('{"recordId": broken');
    else if (i % 101 === 0) out.push(JSON.stringify({ recordId: `R${i - 1}`, action: 'link', number: `0978${String((i - 1) % 9000).padStart(6, '0')}`, personalId: people[((i - 1) * 7 + Math.floor((i - 1) / 9000)) % people.length], confirmedAt: `2026-01-01T00:00:00Z` }));
    else if (i >= 9000 && i % 5 === 0) out.push(JSON.stringify({ recordId: `R${i}`, action: 'end', number, personalId: people[((i - 9000) * 7 + Math.floor((i - 9000) / 9000)) % people.length], endedAt: '2026-02-01T00:00:00Z' }));
    else out.push(JSON.stringify({ recordId: `R${i}`, action: 'link', number, personalId: who, confirmedAt: i < 9000 ? '2026-01-01T00:00:00Z' : '2026-01-15T00:00:00Z' }));
  }
  writeFileSync(file, out.join('\n') + '\n');
}

async function endState(rt: TestRuntime) {
  const db = rt.store.db;
  const owners = await db.selectFrom('subscriber_number').select(['number', 'personal_id', 'operator_code', 'record_id', 'confirmed_at']).orderBy('number').execute();
  const events = await db.selectFrom('subscriber_link_event').select(['personal_id', 'kind', 'number', 'operator_code', 'record_id', 'at', 'reason']).execute();
  const key = (e: (typeof events)[number]) => `${e.personal_id}|${e.record_id}|${e.kind}|${e.number}`;
  events.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const records = await db.selectFrom('subscriber_record').selectAll().orderBy('record_id').execute();
  const imports = await db.selectFrom('subscriber_import').select(['lines_done', 'applied', 'unchanged', 'duplicates', 'rejected', 'status']).execute();
  const rejects = await db.selectFrom('subscriber_import_reject').select(['line_no', 'code', 'field']).orderBy('line_no').execute();
  const leaves = await db.selectFrom('tlog_leaf_ref').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'subscriber_link_event').executeTakeFirstOrThrow();
  return { owners, events, records, imports, rejects, leaves: Number(leaves.n) };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dancu-subs-crash-'));
  file = join(dir, 'links.ndjson');
  crashed = await openTestRuntime(clock);
  reference = await openTestRuntime(clock);
  const people = await prepare(crashed);
  assert.deepEqual(await prepare(reference), people, 'both stores seeded alike');
  writeLines(people);
});
after(async () => {
  await crashed?.dropDatabase();
  await reference?.dropDatabase();
  rmSync(dir, { recursive: true, force: true });
});

function importer() {
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'subscribers', 'import', file, '--operator', 'CRASHTEL', '--batch', '400', '--json'], {
    cwd: ROOT,
    env: { ...process.env, DANCU_DATABASE_URL: crashed.databaseUrl, DANCU_DATA_DIR: crashed.dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

test('kill -9 mid-file, run again: the end state of an uninterrupted import, nothing duplicated, every line counted once', { timeout: 300_000 }, async () => {
  // The reference: the same file imported without interruption, under the key the CLI uses.
  const { sha256 } = await digestAndCount(file);
  const uninterrupted = await importSubscriberLinks(reference.ctx, { operator: 'CRASHTEL', importKey: `file:${sha256}`, format: 'ndjson', input: createReadStream(file), batchLines: 400 });
  assert.equal(uninterrupted.linesDone, LINES);

  const child = importer();
  let killedAt = -1;
  for (let i = 0; i < 6000 && killedAt < 0; i++) {
    const m = await crashed.store.db.selectFrom('subscriber_import').select(['lines_done', 'status']).executeTakeFirst();
    if (m && Number(m.lines_done) >= 2000) {
      child.kill('SIGKILL');
      killedAt = Number(m.lines_done);
    } else await new Promise((r) => setTimeout(r, 10));
  }
  assert.equal(await stopChild(child, 'SIGKILL'), null, 'killed, not finished');
  assert.ok(killedAt > 0 && killedAt < LINES, `killed at ${killedAt}`);
  const partial = await crashed.store.db.selectFrom('subscriber_import').select(['lines_done', 'status']).executeTakeFirstOrThrow();
  assert.equal(partial.status, 'running');
  assert.ok(Number(partial.lines_done) < LINES);

  const rerun = importer();
  let stdout = '';
  let stderr = '';
  rerun.stdout!.on('data', (d) => (stdout += d));
  rerun.stderr!.on('data', (d) => (stderr += d));
  assert.equal(await exitOf(rerun, 240_000), 0, stderr);
  const report = JSON.parse(stdout);
  assert.equal(report.status, 'done');
  const [a, b] = [await endState(crashed), await endState(reference)];
  assert.deepEqual(a.imports, b.imports);
  assert.deepEqual(a.rejects, b.rejects);
  assert.deepEqual(a.owners, b.owners);
  assert.deepEqual(a.records, b.records);
  assert.deepEqual(a.events, b.events);
  assert.equal(a.leaves, a.events.length, 'one leaf per link event');
  // Every line is counted once: accepted (applied, unchanged, seen before) or rejected with a code.
  const m = a.imports[0]!;
  assert.equal(Number(m.applied) + Number(m.unchanged) + Number(m.duplicates) + Number(m.rejected), LINES);
  assert.ok(Number(m.rejected) > 0 && Number(m.duplicates) > 0 && a.events.some((e) => e.reason === 'new_owner') && a.events.some((e) => e.reason === 'operator'), JSON.stringify(m));
});
