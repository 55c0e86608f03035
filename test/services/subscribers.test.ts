/**
 * The subscriber register on this run's store: links and ends from operators, the at-most-one rule
 * under simultaneous submissions, idempotent imports with their reports, and every change a leaf.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { openTestRuntime, type TestRuntime } from '../support/store.js';
import { fixedClock } from '../../src/services/clock.js';
import { seedPopulation } from '../../src/services/seed.js';
import { registerAgency } from '../../src/services/exchange/agencies.js';
import { findSubscriberOf, importSubscriberLinks, subscriberNumbersOf, submitSubscriberLink } from '../../src/services/subscribers/index.js';
import { RegistryError } from '../../src/domain/errors/registry-error.js';
import { parsingWorkers } from '../../src/services/subscribers/file-parsing.js';

const clock = fixedClock('2026-06-01T00:00:00.000Z');
let rt: TestRuntime;
let people: string[];

const operator = (code: string, type = 'telecom_operator') => ({
  code,
  name: `Nhà mạng thử nghiệm ${code}`,
  type: type as 'telecom_operator',
  stateBudgetFunded: false,
  focalPoints: [{ fullName: 'Trần Văn Đầu Mối', position: 'Trưởng phòng', phone: '0912345678', email: `focal@${code.toLowerCase()}.example` }],
});

before(async () => {
  rt = await openTestRuntime(clock);
  await seedPopulation(rt.store, rt.catalogue.categories, clock, { seed: 5, count: 400 });
  people = (await rt.store.db.selectFrom('citizen').select('personal_id').orderBy('personal_id').execute()).map((r) => r.personal_id);
  await registerAgency(rt.ctx, operator('VTL'));
  await registerAgency(rt.ctx, operator('MBF'));
  await registerAgency(rt.ctx, operator('BANK', 'credit_institution'));
});
after(async () => rt.dropDatabase());

/** What the register holds now, comparable across runs: every current owner and every event (IDs left out). */
async function registerState() {
  const owners = await rt.store.db.selectFrom('subscriber_number').select(['number', 'personal_id', 'operator_code', 'record_id', 'confirmed_at']).orderBy('number').execute();
  const events = await rt.store.db.selectFrom('subscriber_link_event').select(['personal_id', 'kind', 'number', 'operator_code', 'record_id', 'at', 'reason']).orderBy('personal_id').orderBy('link_id').orderBy('kind').execute();
  const leaves = await rt.store.db.selectFrom('tlog_leaf_ref').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'subscriber_link_event').executeTakeFirstOrThrow();
  return { owners, events, leaves: Number(leaves.n) };
}

const expectCode = (code: string) => (e: unknown) => e instanceof RegistryError && e.code === code;
const num = (i: number) => `+8498${String(i).padStart(7, '0')}`;

describe('single links', () => {
  test('link, take over by a new owner, end; history kept; each change a leaf', async () => {
    const [a, b] = [people[0]!, people[1]!];
    const before = (await registerState()).leaves;
    assert.deepEqual(await submitSubscriberLink(rt.ctx, 'VTL', { recordId: 'S-1', action: 'link', number: '098 000 0001', personalId: a, confirmedAt: '2026-01-10T09:00:00+07:00' }), {
      outcome: 'applied',
      number: num(1),
      personalId: a,
    });
    assert.equal(await findSubscriberOf(rt.ctx, num(1)), a);
    assert.equal(await findSubscriberOf(rt.ctx, '0980000001'), a);
    // The same record again: nothing changes; the same link under a new record ID: unchanged.
    assert.equal((await submitSubscriberLink(rt.ctx, 'VTL', { recordId: 'S-1', action: 'link', number: '0980000001', personalId: a, confirmedAt: '2026-01-10T09:00:00+07:00' })).outcome, 'duplicate');
    assert.equal((await submitSubscriberLink(rt.ctx, 'VTL', { recordId: 'S-1b', action: 'link', number: '0980000001', personalId: a, confirmedAt: '2026-01-11' })).outcome, 'unchanged');
    await assert.rejects(submitSubscriberLink(rt.ctx, 'VTL', { recordId: 'S-1', action: 'link', number: '0980000002', personalId: a, confirmedAt: '2026-01-10' }), expectCode('SUBSCRIBER_RECORD_ID_REUSED'));
    // Another operator's older confirmation does not undo a newer one; a newer one takes the number.
    await assert.rejects(submitSubscriberLink(rt.ctx, 'MBF', { recordId: 'M-1', action: 'link', number: '0980000001', personalId: b, confirmedAt: '2025-12-31' }), expectCode('SUBSCRIBER_LINK_STALE'));
    assert.equal((await submitSubscriberLink(rt.ctx, 'MBF', { recordId: 'M-2', action: 'link', number: '0980000001', personalId: b, confirmedAt: '2026-02-01' })).outcome, 'applied');
    assert.equal(await findSubscriberOf(rt.ctx, num(1)), b);
    const ofA = await subscriberNumbersOf(rt.ctx, a);
    assert.deepEqual(ofA, [{ number: num(1), operator: 'VTL', recordId: 'S-1', confirmedAt: '2026-01-10T02:00:00.000Z', endedAt: '2026-01-31T17:00:00.000Z', endReason: 'new_owner', current: false }]);
    // Only the operator holding the link ends it, and only for its owner.
    await assert.rejects(submitSubscriberLink(rt.ctx, 'VTL', { recordId: 'S-2', action: 'end', number: num(1), personalId: b, endedAt: '2026-03-01' }), expectCode('SUBSCRIBER_LINK_OTHER_OPERATOR'));
    await assert.rejects(submitSubscriberLink(rt.ctx, 'MBF', { recordId: 'M-3', action: 'end', number: num(1), personalId: a, endedAt: '2026-03-01' }), expectCode('SUBSCRIBER_LINK_NOT_FOUND'));
    assert.equal((await submitSubscriberLink(rt.ctx, 'MBF', { recordId: 'M-4', action: 'end', number: num(1), personalId: b, endedAt: '2026-03-01' })).outcome, 'applied');
    assert.equal(await findSubscriberOf(rt.ctx, num(1)), undefined);
    const ofB = await subscriberNumbersOf(rt.ctx, b);
    assert.deepEqual(ofB.map((l) => [l.number, l.operator, l.current, l.endReason]), [[num(1), 'MBF', false, 'operator']]);
    // Four changes: linked a, ended a + linked b, ended b — each with its leaf.
    assert.equal((await registerState()).leaves - before, 4);
  });

  test('refusals: bad number, unknown person, future time, missing field, not an operator', async () => {
    const a = people[2]!;
    const base = { recordId: 'R-x', action: 'link', number: '0980000009', personalId: a, confirmedAt: '2026-01-01' };
    const before = await registerState();
    await assert.rejects(submitSubscriberLink(rt.ctx, 'VTL', { ...base, number: '0212345678' }), expectCode('PHONE_NUMBER_INVALID'));
    await assert.rejects(submitSubscriberLink(rt.ctx, 'VTL', { ...base, personalId: '001999999999' }), expectCode('CITIZEN_NOT_FOUND'));
    await assert.rejects(submitSubscriberLink(rt.ctx, 'VTL', { ...base, confirmedAt: '2026-06-02' }), expectCode('DATE_IN_FUTURE'));
    await assert.rejects(submitSubscriberLink(rt.ctx, 'VTL', { ...base, confirmedAt: undefined }), expectCode('SUBSCRIBER_FIELD_MISSING'));
    await assert.rejects(submitSubscriberLink(rt.ctx, 'BANK', base), expectCode('AGENCY_NOT_TELECOM_OPERATOR'));
    await assert.rejects(submitSubscriberLink(rt.ctx, 'NOPE', base), expectCode('AGENCY_NOT_FOUND'));
    assert.deepEqual(await registerState(), before, 'nothing changed');
  });
});

describe('at most one owner per number', () => {
  test('simultaneous links of one number to different citizens: one current owner, the others ended', async () => {
    for (let round = 0; round < 5; round++) {
      const n = `098100000${round}`;
      const claimants = people.slice(10 + round * 4, 14 + round * 4);
      const results = await Promise.allSettled(
        claimants.map((p, i) => submitSubscriberLink(rt.ctx, i % 2 ? 'VTL' : 'MBF', { recordId: `C-${round}-${i}`, action: 'link', number: n, personalId: p, confirmedAt: '2026-04-01' })),
      );
      for (const r of results) assert.ok(r.status === 'fulfilled' || (r.reason instanceof RegistryError && r.reason.code === 'CONCURRENT_UPDATE'), String((r as PromiseRejectedResult).reason));
      const owners = await rt.store.db.selectFrom('subscriber_number').selectAll().where('number', '=', `+84${n.slice(1)}`).execute();
      assert.equal(owners.length, 1);
      // Exactly one current link across all claimants, and it is the owner's.
      const current = [];
      for (const p of claimants) for (const l of await subscriberNumbersOf(rt.ctx, p)) if (l.current) current.push(p);
      assert.deepEqual(current, [owners[0]!.personal_id]);
    }
  });
});

describe('imports', () => {
  const ndjson = (lines: string[]) => Readable.from([lines.join('\n') + '\n']);

  test('NDJSON: a report of accepted and rejected lines with their codes; the same file again changes nothing', async () => {
    const lines = [
      ...people.slice(100, 200).map((p, i) => JSON.stringify({ recordId: `F-${i}`, action: 'link', number: `0982${String(i).padStart(6, '0')}`, personalId: p, confirmedAt: '2026-05-01T08:00:00Z' })),
      JSON.stringify({ recordId: 'F-bad-1', action: 'link', number: '12345', personalId: people[0], confirmedAt: '2026-05-01' }),
      JSON.stringify({ recordId: 'F-bad-2', action: 'link', number: '0983000000', personalId: '079999999999', confirmedAt: '2026-05-01' }),
      '{"recordId": "F-bad-3", "action": "link"',
      JSON.stringify({ recordId: 'F-bad-4', action: 'link', number: '0983000001', confirmedAt: '2026-05-01' }),
      '',
      JSON.stringify({ recordId: 'F-bad-5', action: 'move', number: '0983000002', personalId: people[0], confirmedAt: '2026-05-01' }),
      JSON.stringify({ recordId: 'F-end-0', action: 'end', number: '0982000000', personalId: people[100], endedAt: '2026-05-02' }),
      '[1,2]',
    ];
    const progress: number[] = [];
    const r1 = await importSubscriberLinks(rt.ctx, { operator: 'VTL', importKey: 'file-1', format: 'ndjson', input: ndjson(lines), batchLines: 30, onProgress: (n) => progress.push(n) });
    assert.deepEqual(
      { ...r1, rejects: r1.rejects.map((x) => [x.lineNo, x.code, x.field]) },
      {
        operator: 'VTL',
        importKey: 'file-1',
        format: 'ndjson',
        status: 'done',
        linesDone: 108,
        applied: 101,
        unchanged: 0,
        duplicates: 0,
        rejected: 6,
        rejects: [
          [101, 'PHONE_NUMBER_INVALID', 'number'],
          [102, 'CITIZEN_NOT_FOUND', 'personalId'],
          [103, 'SUBSCRIBER_LINE_MALFORMED', null],
          [104, 'SUBSCRIBER_FIELD_MISSING', 'personalId'],
          [106, 'SUBSCRIBER_FIELD_INVALID', 'action'],
          [108, 'SUBSCRIBER_LINE_MALFORMED', null],
        ],
      },
    );
    assert.ok(progress.length >= 3 && progress.at(-1) === 108, String(progress));
    assert.equal(await findSubscriberOf(rt.ctx, '0982000001'), people[101]);
    assert.equal(await findSubscriberOf(rt.ctx, '0982000000'), undefined);
    const state = await registerState();
    // The same file under a new import key: every line a duplicate, the same end state.
    const r2 = await importSubscriberLinks(rt.ctx, { operator: 'VTL', importKey: 'file-1-again', format: 'ndjson', input: ndjson(lines) });
    assert.deepEqual([r2.applied, r2.duplicates, r2.rejected], [0, 101, 6]);
    assert.deepEqual(await registerState(), state);
    // The same import key again: the finished report, nothing read.
    const r3 = await importSubscriberLinks(rt.ctx, { operator: 'VTL', importKey: 'file-1', format: 'ndjson', input: ndjson([]) });
    assert.deepEqual(r3, r1);
  });

  test('CSV with a header in any order, quoted fields; a bad header refuses the file', async () => {
    const csv = ['number,personalId,recordId,action,confirmedAt,endedAt', `"0984 000 001",${people[300]},K-1,link,2026-05-03,`, `0984000002,${people[301]},"K-2",link,2026-05-03,`, `0984000003,${people[302]},K-3,link`, `0984000001,${people[300]},K-4,end,,2026-05-04`];
    const r = await importSubscriberLinks(rt.ctx, { operator: 'MBF', importKey: 'csv-1', format: 'csv', input: Readable.from([csv.join('\r\n')]) });
    assert.deepEqual([r.applied, r.rejected, r.rejects.map((x) => [x.lineNo, x.code])], [3, 1, [[4, 'SUBSCRIBER_LINE_MALFORMED']]]);
    assert.equal(await findSubscriberOf(rt.ctx, '+84984000002'), people[301]);
    assert.equal(await findSubscriberOf(rt.ctx, '+84984000001'), undefined);
    await assert.rejects(importSubscriberLinks(rt.ctx, { operator: 'MBF', importKey: 'csv-2', format: 'csv', input: Readable.from(['phone,who\n0984000009,x\n']) }), expectCode('SUBSCRIBER_CSV_HEADER_INVALID'));
  });

  test('an input that sends a batch and then nothing: 400 UPLOAD_INCOMPLETE after the silence limit, the batch kept, no thread left; sent again it continues', { timeout: 30_000 }, async () => {
    const file = people.slice(320, 335).map((p, i) => JSON.stringify({ recordId: `S-${i}`, action: 'link', number: `0985${String(i).padStart(6, '0')}`, personalId: p, confirmedAt: '2026-05-01T08:00:00Z' }) + '\n');
    const stalled = new Readable({ read() {} });
    stalled.push(file.join(''));
    const ctx = { ...rt.ctx, cpu: { ...rt.ctx.cpu, limits: { ...rt.ctx.cpu.limits, timeoutMs: 300 } } };
    await assert.rejects(importSubscriberLinks(ctx, { operator: 'MBF', importKey: 'stalled', format: 'ndjson', input: stalled, batchLines: 10 }), expectCode('UPLOAD_INCOMPLETE'));
    assert.equal(parsingWorkers(), 0);
    const kept = await rt.store.db.selectFrom('subscriber_import').select(['lines_done', 'status', 'applied']).where('operator_code', '=', 'MBF').where('import_key', '=', 'stalled').executeTakeFirstOrThrow();
    assert.deepEqual([Number(kept.lines_done), kept.status, Number(kept.applied)], [10, 'running', 10]);
    assert.equal(await findSubscriberOf(rt.ctx, '+84985000009'), people[329]);
    assert.equal(await findSubscriberOf(rt.ctx, '+84985000010'), undefined);
    const r = await importSubscriberLinks(ctx, { operator: 'MBF', importKey: 'stalled', format: 'ndjson', input: Readable.from([file.join('')]), batchLines: 10 });
    assert.deepEqual([r.status, r.linesDone, r.applied, r.duplicates], ['done', 15, 15, 0]);
  });
});
