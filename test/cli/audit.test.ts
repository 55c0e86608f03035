/**
 * The offline auditor against tampering (issue 13 item 2): a small registry is built through the
 * API (citizens, an update, a card, a household, a stay notice, a certificate, a re-issued personal
 * ID, exchange calls, officer reads), sequenced and exported; the export verifies. Then each column
 * of one row of every committed table is changed by one byte — in the database, and separately in
 * the export — and every change must be detected and located at that table and row (100%). Rows
 * deleted, inserted and swapped, leaf refs, tiles and checkpoints altered, and entries reordered in
 * the export are each detected too. Runs on the store under test; the CLI is run as a process once.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { startTestServer, type TestServer } from '../support/http.js';
import { admin, agencyBody, callService, connectIn } from '../support/exchange.js';
import { consent, granted, HANG_BAC, OWNED, person, submit } from '../support/residence.js';
import { LEAF_KINDS, refOf } from '../../src/store/repositories/transparency-leaves.js';
import { AUDIT_TIME_COLUMNS, type AuditRow } from '../../src/store/repositories/audit.js';
import { integratePending } from '../../src/services/transparency/sequencer.js';
import { collectAuditExport } from '../../src/services/audit/collect.js';
import { verifyAuditExport, formatProblem, type AuditProblem, type AuditReport } from '../../src/services/audit/verify.js';
import { exportFromLines, exportToLines, type AuditExport } from '../../src/services/audit/export-format.js';
import { readExport, writeExport } from '../../src/services/audit/export-files.js';
import { TEST_STORE } from '../support/store.js';
import { createPrincipal } from '../../src/services/principals.js';
import { receiptFor } from '../../src/services/transparency/receipts.js';
import { generateEd25519, verifierFromKeyString } from '../../src/transparency/keys.js';
import { ed25519PublicKeyRaw, signNote, verifierKeyString, SIG_TYPE_COSIGNATURE_V1 } from '../../src/transparency/note.js';
import { formatCheckpoint } from '../../src/transparency/checkpoint.js';

let s: TestServer;
let dir: string;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const db = () => s.runtime.store.db as unknown as Kysely<any>;

async function sequenceAll(): Promise<void> {
  for (;;) {
    const r = await integratePending(s.runtime.ctx, s.runtime.log.key);
    if (r.integrated === 0) return;
  }
}

async function exportNow(): Promise<AuditExport> {
  const key = s.runtime.log.key;
  return collectAuditExport(s.runtime.store, { origin: key.origin, logKey: key.verifierKey, exportedAt: s.clock.now().toISOString() });
}

async function verify(exp: AuditExport, baseline?: AuditExport): Promise<AuditReport> {
  return verifyAuditExport(exp, { logKeys: [s.runtime.log.key.verifier], ...(baseline ? { baseline } : {}) });
}

const clone = (e: AuditExport): AuditExport => JSON.parse(JSON.stringify(e)) as AuditExport;
const show = (r: AuditReport) => r.problems.slice(0, 8).map(formatProblem).join('\n');

/** One byte changed: the last character of a text, a number plus one, a null made a value. */
function changed(v: string | number | null): string | number {
  if (v === null) return '1';
  if (typeof v === 'number') return v + 1;
  if (v.length === 0) return 'x';
  const last = v[v.length - 1]!;
  return v.slice(0, -1) + (last === 'x' ? 'y' : 'x');
}

/** The (kind, key, ref) a problem names, if any. */
const at = (p: AuditProblem) => `${p.table}|${p.key}|${p.ref}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function whereRow(kind: string, row: AuditRow): (q: any) => any {
  const k = LEAF_KINDS[kind]!;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return (q: any) => [k.keyColumn, ...k.refColumns].reduce((acc, c) => acc.where(c, '=', row[c]), q);
}


/** The dancu command as a process on the test's store (asynchronous: the test server keeps answering). */
function dancu(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      env: { ...process.env, DANCU_DATABASE_URL: s.runtime.databaseUrl, DANCU_DATA_DIR: s.runtime.dataDir, LOG_LEVEL: 'warn' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let baseline: AuditExport;

before(async () => {
  s = await startTestServer('2026-06-01T03:00:00.000Z');
  dir = mkdtempSync(join(tmpdir(), 'dancu-audit-'));
  const officer = { token: s.tokens.officer };
  const a = await person(s, 'Trần Văn Audit', '1980-01-02');
  const b = await person(s, 'Lê Thị Kiểm', '1985-03-04', 'female');
  const c = await person(s, 'Phạm Minh Toán', '1990-05-06');
  await sequenceAll();
  s.clock.advance(1000);
  const patch = await s.call('PATCH', `/citizens/${a}`, { ...officer, body: { changes: { phone: '0912345678' }, reason: 'Cập nhật' }, headers: { 'if-match': '"1"' } });
  assert.equal(patch.status, 200, JSON.stringify(patch.body));
  assert.equal((await s.call('POST', `/citizens/${b}/cards`, { ...officer, body: {} })).status, 201);
  await sequenceAll();
  const household = (await granted(s, 'permanent-registrations', { personalId: a, address: HANG_BAC, lawfulResidence: OWNED })).outcome.householdId;
  await granted(s, 'permanent-registrations', { personalId: b, household: { householdId: household, relationship: 'wife' }, lawfulResidence: OWNED, consents: [consent('household_head', a)] });
  await sequenceAll();
  await submit(s, 'stay-notices', { personalId: c, host: { fullName: 'Trần Văn Audit', personalId: a }, address: HANG_BAC, arrivalAt: '2026-06-01T14:00:00+07:00', departureOn: '2026-06-05' });
  assert.equal((await s.call('POST', `/citizens/${a}/certificates/personal-id-notice`, { ...officer, body: {} })).status, 201);
  for (const p of [a, b, c]) assert.equal((await s.call('GET', `/citizens/${p}`, officer)).status, 200);
  assert.equal((await s.call('GET', `/citizens/${a}/history`, officer)).status, 200);
  await sequenceAll();
  // The exchange: a published catalogue, an active connection, calls served and refused.
  await admin(s, 'POST', '/admin/catalogue/2026', undefined, 201);
  await admin(s, 'POST', '/admin/catalogue/2026/publication', {}, 200);
  const { token } = await connectIn(s, agencyBody('NHAUDIT'), { grants: [{ service: 'lookupCitizen', fields: ['fullName', 'dateOfBirth'], purposes: ['1.004222'] }], ratePerMinute: 100, dailyQuota: 100 }, 'active');
  assert.equal((await callService(s, token, 'lookupCitizen', { personalId: b })).status, 200);
  assert.equal((await callService(s, token, 'lookupCitizen', { personalId: b }, { 'x-purpose': '2.000001' })).status, 403);
  // What citizens and inspectors add: a grievance and its step, a visibility hold, its release, a requester's default.
  const citizen = (await createPrincipal(s.runtime.store, s.clock, 'Lê Thị Kiểm', 'citizen', undefined, { personalId: b })).token;
  // A bank asks b's consent, b approves, a call is served under it (decision 0044: each decision and the use committed).
  const bank = (await connectIn(s, agencyBody('NHDYAUDIT', { type: 'credit_institution' }), { grants: [{ service: 'lookupCitizen', fields: ['fullName'], purposes: ['1.004222'] }], ratePerMinute: 100 }, 'active')).token!;
  const asked = await s.call('POST', '/exchange/consents', { token: bank, purpose: null, body: { personalId: b, purpose: '1.004222', data: [{ service: 'lookupCitizen', fields: ['fullName'] }], validDays: 30 } });
  assert.equal(asked.status, 201, JSON.stringify(asked.body));
  assert.equal((await s.call('POST', `/me/consents/${asked.body.consentId}/approve`, { token: citizen, headers: { 'x-purpose': '' } })).status, 200);
  assert.equal((await callService(s, bank, 'lookupCitizen', { personalId: b })).status, 200);
  const used = (await s.runtime.store.db.selectFrom('access_entry').select('entry_id').where('subject_key', '=', b).where('channel', '=', 'exchange').executeTakeFirstOrThrow()).entry_id;
  const grievance = await s.call('POST', `/me/usage/${used}/grievance`, { token: citizen, body: { text: 'Tôi không yêu cầu ngân hàng tra cứu' } });
  assert.equal(grievance.status, 201, JSON.stringify(grievance.body));
  const inspector = { token: s.tokens.inspector };
  assert.equal((await s.call('POST', `/inspection/grievances/${grievance.body.grievanceId}/events`, { ...inspector, body: { action: 'assign' } })).status, 201);
  const hold = await s.call('POST', '/inspection/visibility-holds', { ...inspector, body: { personalId: b, requester: 'agency:NHAUDIT', kind: 'hidden', decisionRef: 'QĐ 1/2026' } });
  assert.equal(hold.status, 201, JSON.stringify(hold.body));
  assert.equal((await s.call('POST', '/inspection/visibility-releases', { ...inspector, body: { personalId: b, holdId: hold.body.holdId, decisionRef: 'QĐ 2/2026' } })).status, 201);
  assert.equal((await s.call('POST', '/inspection/visibility-defaults', { ...inspector, body: { requester: 'agency:NHAUDIT', kind: 'shown', decisionRef: 'QĐ 3/2026' } })).status, 201);
  // A written request received by post and refused in writing (decision 0040).
  const letter = { mediaType: 'application/pdf', contentBase64: Buffer.from('%PDF-1.4\n% synthetic scan\n').toString('base64') };
  const wr = await s.call('POST', '/written-requests', { ...officer, body: { personalId: b, channel: 'post', requester: { kind: 'organisation', name: 'Tòa án nhân dân khu vực 1', stateBody: true }, fields: ['identity'], purpose: 'Giải quyết vụ án', scan: letter } });
  assert.equal(wr.status, 201, JSON.stringify(wr.body));
  assert.equal((await s.call('POST', `/written-requests/${wr.body.requestId}/decision`, { ...officer, body: { decision: 'refuse', reasons: ['Không thuộc thẩm quyền'] } })).status, 200);
  // A subscriber link from a telecom operator, then a new owner ending it (decision 0039).
  const { token: operator } = await connectIn(s, agencyBody('NMAUDIT', { type: 'telecom_operator' }), { grants: [{ service: 'submitSubscriberLink', fields: ['outcome'], purposes: ['1.004222'] }], ratePerMinute: 100 }, 'active');
  for (const [recordId, personalId] of [['TB-1', a], ['TB-2', b]]) {
    const linked = await callService(s, operator, 'submitSubscriberLink', { recordId, action: 'link', number: '0912345670', personalId, confirmedAt: '2026-05-01' });
    assert.equal(linked.status, 200, JSON.stringify(linked.body));
  }
  await sequenceAll();
  s.clock.advance(1000);
  // A re-issued personal ID: c's rows move to the new number; the old leaves stay (decision 0028).
  const re = await s.call('POST', `/citizens/${c}/personal-id-cancellation`, { ...officer, body: { reason: 'BIRTH_YEAR_CORRECTED', note: 'Trích lục', corrections: { dateOfBirth: '1991-05-06' } }, headers: { 'if-match': '"1"' } });
  assert.equal(re.status, 201, JSON.stringify(re.body));
  await sequenceAll();
  baseline = await exportNow();
});
after(async () => {
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe(`dancu audit on ${TEST_STORE}`, () => {
  test('every committed table is known to the auditor, and the registry built has rows in each that the test changes', () => {
    assert.deepEqual(Object.keys(AUDIT_TIME_COLUMNS).sort(), Object.keys(LEAF_KINDS).sort());
  });

  test('an untouched export verifies, written and read back as a directory and as one file', async () => {
    const r = await verify(baseline);
    assert.equal(r.ok, true, show(r));
    assert.ok(r.counts.leaves > 20 && r.counts.moved > 0, JSON.stringify(r.counts));
    writeExport(join(dir, 'export'), baseline);
    assert.equal((await verify(readExport(join(dir, 'export')))).ok, true);
    assert.deepEqual(exportFromLines(exportToLines(baseline)), baseline);
  });

  /** The last row of a kind whose leaf is in the segment (not a moved one). */
  function rowOf(kind: string): AuditRow | undefined {
    const k = LEAF_KINDS[kind]!;
    const leaves = new Set(baseline.leaves.filter((l) => l.kind === kind && l.idx !== null).map((l) => `${l.subjectKey}|${l.ref}`));
    // The last one: the highest ref of its key, so a ref plus one collides with no other row.
    return (baseline.rows[kind] ?? []).findLast((r) => leaves.has(`${String(r[k.keyColumn])}|${refOf(k, r)}`));
  }

  const located = (r: AuditReport, kind: string, names: Array<[string, string]>) =>
    !r.ok && r.problems.some((p) => p.table === kind && names.some(([key, ref]) => p.key === key && p.ref === ref));

  test('one byte of each column of each committed table, changed in the database: detected and located (100%)', async () => {
    const misses: string[] = [];
    let tried = 0;
    const tables: string[] = [];
    for (const [kind, k] of Object.entries(LEAF_KINDS)) {
      const row = rowOf(kind);
      if (!row) continue;
      tables.push(kind);
      for (const c of k.columns) {
        const value = changed(row[c] ?? null);
        const altered: AuditRow = { ...row, [c]: value };
        await whereRow(kind, row)(db().updateTable(k.table).set({ [c]: value })).execute();
        try {
          tried++;
          const exp = await exportNow();
          const r = await verify(exp);
          const names: Array<[string, string]> = [[String(row[k.keyColumn]), refOf(k, row)], [String(altered[k.keyColumn]), refOf(k, altered)]];
          if (!located(r, kind, names)) misses.push(`${kind}.${c}: ${r.ok ? 'not detected' : show(r)}`);
          // With the earlier export beside it, the column itself is named (when the row keeps its key).
          if (!k.refColumns.includes(c) && c !== k.keyColumn) {
            const withBase = await verify(exp, baseline);
            if (!withBase.problems.some((p) => p.table === kind && p.column?.split(',').includes(c))) misses.push(`${kind}.${c}: column not named`);
          }
        } finally {
          // Back as it was (a key column changed is found under its new value).
          const restored: { numUpdatedRows: bigint } = await whereRow(kind, altered)(db().updateTable(k.table).set({ [c]: row[c] ?? null })).executeTakeFirst();
          assert.equal(Number(restored.numUpdatedRows), 1, `${kind}.${c} restored`);
        }
      }
    }
    assert.ok(tried > 80, String(tried));
    assert.deepEqual(misses, [], `${misses.length} of ${tried} not located`);
    // Every committed table was exercised.
    assert.deepEqual(tables.sort(), Object.keys(LEAF_KINDS).sort());
    assert.equal((await verify(await exportNow())).ok, true, 'restored');
  });

  test('one byte of each column of each committed table, changed in the export: detected and located (100%)', async () => {
    const misses: string[] = [];
    let tried = 0;
    for (const [kind, k] of Object.entries(LEAF_KINDS)) {
      const row = rowOf(kind);
      if (!row) continue;
      const i = baseline.rows[kind]!.indexOf(row);
      for (const c of k.columns) {
        tried++;
        const e = clone(baseline);
        const altered: AuditRow = { ...row, [c]: changed(row[c] ?? null) };
        e.rows[kind]![i] = altered;
        const r = await verify(e);
        if (!located(r, kind, [[String(row[k.keyColumn]), refOf(k, row)], [String(altered[k.keyColumn]), refOf(k, altered)]])) misses.push(`${kind}.${c}: ${r.ok ? 'not detected' : show(r)}`);
      }
    }
    assert.ok(tried > 80, String(tried));
    assert.deepEqual(misses, [], `${misses.length} of ${tried} not located`);
  });

  test('a row deleted, a row inserted (a copy with a new key), two rows swapped: each detected and located', async () => {
    const k = LEAF_KINDS.access_entry!;
    const entry = rowOf('access_entry')!;
    const name: [string, string] = [String(entry.subject_key), String(entry.entry_id)];
    await whereRow('access_entry', entry)(db().deleteFrom('access_entry')).execute();
    let r = await verify(await exportNow());
    assert.ok(located(r, 'access_entry', [name]) && r.problems.some((p) => p.code === 'leaf-without-row'), show(r));
    await db().insertInto('access_entry').values(entry).execute();

    const h = rowOf('citizen_history')!;
    const copy: AuditRow = { ...h, version: Number(h.version) + 100 };
    await db().insertInto('citizen_history').values(copy).execute();
    r = await verify(await exportNow());
    assert.ok(located(r, 'citizen_history', [[String(copy.personal_id), String(copy.version)]]) && r.problems.some((p) => p.code === 'row-without-leaf'), show(r));
    await whereRow('citizen_history', copy)(db().deleteFrom('citizen_history')).execute();

    // Swap the values (all but the key) of two history rows.
    const [x, y] = (baseline.rows.citizen_history ?? []).filter((row) => baseline.leaves.some((l) => l.kind === 'citizen_history' && l.subjectKey === row.personal_id && l.ref === String(row.version)));
    assert.ok(x && y);
    const values = (row: AuditRow) => Object.fromEntries(LEAF_KINDS.citizen_history!.columns.filter((c) => c !== 'personal_id' && c !== 'version').map((c) => [c, row[c]]));
    await whereRow('citizen_history', x)(db().updateTable('citizen_history').set(values(y))).execute();
    await whereRow('citizen_history', y)(db().updateTable('citizen_history').set(values(x))).execute();
    r = await verify(await exportNow());
    assert.ok(located(r, 'citizen_history', [[String(x.personal_id), String(x.version)]]) && located(r, 'citizen_history', [[String(y.personal_id), String(y.version)]]), show(r));
    await whereRow('citizen_history', x)(db().updateTable('citizen_history').set(values(x))).execute();
    await whereRow('citizen_history', y)(db().updateTable('citizen_history').set(values(y))).execute();
    assert.equal((await verify(await exportNow())).ok, true);
    void k;
  });

  test("a leaf ref's salt, digest or index changed, a tile's byte changed: each detected at the leaf", async () => {
    const leaf = baseline.leaves.find((l) => l.kind === 'citizen_history' && l.idx !== null)!;
    const byKey = (q: any) => q.where('subject_key', '=', leaf.subjectKey).where('kind', '=', leaf.kind).where('ref', '=', leaf.ref);
    for (const column of ['salt', 'digest'] as const) {
      await byKey(db().updateTable('tlog_leaf_ref').set({ [column]: changed(leaf[column]) })).execute();
      const r = await verify(await exportNow());
      assert.ok(r.problems.some((p) => p.code === 'leaf-hash-mismatch' && p.leafIndex === leaf.idx && p.table === leaf.kind && p.key === leaf.subjectKey), `${column}: ${show(r)}`);
      await byKey(db().updateTable('tlog_leaf_ref').set({ [column]: leaf[column] })).execute();
    }
    // Two leaves exchange their indexes.
    const other = baseline.leaves.find((l) => l.idx === leaf.idx! + 1)!;
    const byOther = (q: any) => q.where('subject_key', '=', other.subjectKey).where('kind', '=', other.kind).where('ref', '=', other.ref);
    await byKey(db().updateTable('tlog_leaf_ref').set({ idx: -5 })).execute();
    await byOther(db().updateTable('tlog_leaf_ref').set({ idx: leaf.idx })).execute();
    await byKey(db().updateTable('tlog_leaf_ref').set({ idx: other.idx })).execute();
    let r = await verify(await exportNow());
    assert.ok(r.problems.some((p) => p.code === 'leaf-hash-mismatch' && p.leafIndex === leaf.idx) && r.problems.some((p) => p.code === 'leaf-hash-mismatch' && p.leafIndex === other.idx), show(r));
    await byKey(db().updateTable('tlog_leaf_ref').set({ idx: -5 })).execute();
    await byOther(db().updateTable('tlog_leaf_ref').set({ idx: other.idx })).execute();
    await byKey(db().updateTable('tlog_leaf_ref').set({ idx: leaf.idx })).execute();

    const tile = await db().selectFrom('tlog_tile').select('hashes').where('level', '=', 0).where('tile_index', '=', 0).executeTakeFirstOrThrow();
    const bytes = Buffer.from(tile.hashes);
    const flipped = Buffer.from(bytes);
    flipped[32 * 3 + 7]! ^= 0x01;
    await db().updateTable('tlog_tile').set({ hashes: flipped }).where('level', '=', 0).where('tile_index', '=', 0).execute();
    r = await verify(await exportNow());
    assert.ok(r.problems.some((p) => p.code === 'leaf-hash-mismatch' && p.leafIndex === 3), show(r));
    assert.ok(r.problems.some((p) => p.code === 'tree-root'), show(r));
    await db().updateTable('tlog_tile').set({ hashes: bytes }).where('level', '=', 0).where('tile_index', '=', 0).execute();
    assert.equal((await verify(await exportNow())).ok, true);
  });

  test('a checkpoint dropped in the middle (database: against the earlier export; export: against its manifest), entries reordered in the export', async () => {
    const middle = baseline.checkpoints[Math.floor(baseline.checkpoints.length / 2)]!;
    assert.ok(baseline.checkpoints.length >= 3);
    const stored = await db().selectFrom('tlog_checkpoint').selectAll().where('size', '=', middle.size).executeTakeFirstOrThrow();
    await db().deleteFrom('tlog_checkpoint').where('size', '=', middle.size).execute();
    let r = await verify(await exportNow(), baseline);
    assert.ok(r.problems.some((p) => p.code === 'checkpoint-gone-since-baseline' && p.checkpointSize === middle.size), show(r));
    await db().insertInto('tlog_checkpoint').values(stored).execute();

    let e = clone(baseline);
    e.checkpoints = e.checkpoints.filter((c) => c.size !== middle.size);
    r = await verify(e);
    assert.ok(r.problems.some((p) => p.code === 'checkpoint-missing' && p.checkpointSize === middle.size), show(r));

    e = clone(baseline);
    const entries = e.rows.access_entry!;
    [entries[1], entries[2]] = [entries[2]!, entries[1]!];
    r = await verify(e);
    assert.ok(r.problems.some((p) => p.code === 'row-order' && p.table === 'access_entry'), show(r));
    e = clone(baseline);
    [e.leaves[4], e.leaves[5]] = [e.leaves[5]!, e.leaves[4]!];
    r = await verify(e);
    assert.ok(r.problems.some((p) => p.code === 'leaf-order'), show(r));
    e = clone(baseline);
    [e.checkpoints[1], e.checkpoints[2]] = [e.checkpoints[2]!, e.checkpoints[1]!];
    r = await verify(e);
    assert.ok(r.problems.some((p) => p.code === 'checkpoint-order'), show(r));
  });

  test('rows moved by a re-issue: the old leaves read as moved; a moved row changed, or the redirect gone, is detected', async () => {
    const [redirect] = baseline.redirects;
    assert.ok(redirect);
    const moved = baseline.rows.citizen_history!.find((r) => r.personal_id === redirect.replacedBy && r.version === 1)!;
    const oldLeaf = baseline.leaves.find((l) => l.kind === 'citizen_history' && l.subjectKey === redirect.personalId && l.ref === '1')!;
    assert.ok(moved && oldLeaf);
    await whereRow('citizen_history', moved)(db().updateTable('citizen_history').set({ reason: changed(moved.reason ?? null) })).execute();
    let r = await verify(await exportNow());
    assert.ok(r.problems.some((p) => p.code === 'moved-row-mismatch' && p.key === redirect.personalId && p.leafIndex === oldLeaf.idx), show(r));
    assert.ok(r.problems.some((p) => p.code === 'row-digest-mismatch' && p.key === redirect.replacedBy && p.ref === '1'), show(r));
    await whereRow('citizen_history', moved)(db().updateTable('citizen_history').set({ reason: moved.reason ?? null })).execute();

    await db().updateTable('personal_id_issued').set({ replaced_by: null }).where('personal_id', '=', redirect.personalId).execute();
    r = await verify(await exportNow());
    assert.ok(r.problems.some((p) => p.code === 'leaf-without-row' && p.key === redirect.personalId && p.leafIndex === oldLeaf.idx), show(r));
    await db().updateTable('personal_id_issued').set({ replaced_by: redirect.replacedBy }).where('personal_id', '=', redirect.personalId).execute();
    assert.equal((await verify(await exportNow())).ok, true);
  });

  test('what the verifier trusts: the log key given, witnesses required, an earlier export (a forked history, a row dated before the log)', async () => {
    // Another key than the log's: no checkpoint verifies.
    const other = verifierFromKeyString(verifierKeyString(s.runtime.log.key.origin, ed25519PublicKeyRaw(generateEd25519().privateKey)));
    let r = await verifyAuditExport(baseline, { logKeys: [other] });
    assert.equal(r.problems.filter((p) => p.code === 'checkpoint-signature').length, baseline.checkpoints.length, show(r));
    // Without a key the export's own is used, and the report says so.
    r = await verifyAuditExport(baseline);
    assert.ok(r.ok && r.notes.some((n) => n.includes("export's own key")), show(r));
    // A witness required that never cosigned.
    const witness = verifierFromKeyString(verifierKeyString('witness.test/w1', ed25519PublicKeyRaw(generateEd25519().privateKey), SIG_TYPE_COSIGNATURE_V1));
    r = await verifyAuditExport(baseline, { logKeys: [s.runtime.log.key.verifier], witnessKeys: [witness], minWitnesses: 1 });
    assert.equal(r.problems.filter((p) => p.code === 'checkpoint-witnesses').length, baseline.checkpoints.length);

    // An earlier export holding a different checkpoint of the same size, signed by the log: a split view.
    const forked = clone(baseline);
    const last = forked.checkpoints[forked.checkpoints.length - 1]!;
    const root = Buffer.alloc(32, 7);
    last.root = root.toString('base64');
    last.note = signNote(formatCheckpoint({ origin: s.runtime.log.key.origin, size: last.size, rootHash: root }), [s.runtime.log.key.signer]);
    r = await verify(baseline, forked);
    assert.ok(r.problems.some((p) => p.code === 'checkpoint-changed-since-baseline' && p.checkpointSize === last.size), show(r));
    assert.ok(r.problems.some((p) => p.code === 'fork-since-baseline'), show(r));

    // A row back-dated to before the log: rows older than the log were committed when it began
    // (migration 0014), so it is an insertion like any other.
    const entry = rowOf('access_entry')!;
    const old: AuditRow = { ...entry, entry_id: `${String(entry.entry_id)}-old`, at: '2020-01-01T00:00:00.000Z' };
    await db().insertInto('access_entry').values(old).execute();
    try {
      const now = await exportNow();
      r = await verify(now);
      assert.ok(r.problems.some((p) => p.code === 'row-without-leaf' && p.key === old.subject_key && p.ref === old.entry_id), show(r));
    } finally {
      await whereRow('access_entry', old)(db().deleteFrom('access_entry')).execute();
    }
  });

  test('the dancu audit commands as processes: export, verify (a directory, a tampered file, a server), verify-proof', async () => {
    const vkey = s.runtime.log.key.verifierKey;
    const out = join(dir, 'cli-export');
    const exported = await dancu(['audit', 'export', '--out', out, '--purpose', 'Kiểm toán định kỳ']);
    assert.equal(exported.code, 0, exported.stderr);
    const ok = await dancu(['audit', 'verify', out, '--log-key', vkey]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /^OK: \d+ checkpoints/m);
    // The export from the store is a recorded use, with its purpose.
    const recorded = await db().selectFrom('access_entry').select(['subject_key', 'channel']).where('action', '=', 'audit export').where('purpose', '=', 'Kiểm toán định kỳ').execute();
    assert.ok(recorded.length >= 3 && recorded.every((r: { channel: string }) => r.channel === 'cli'), JSON.stringify(recorded));

    const file = join(out, 'rows', 'citizen_history.jsonl');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('"registerBirth"', '"registerBirtx"'));
    const bad = await dancu(['audit', 'verify', out, '--log-key', vkey]);
    assert.equal(bad.code, 1, bad.stdout);
    assert.match(bad.stdout, /^PROBLEM row-digest-mismatch table=citizen_history key=\d{12} ref=1 leaf=\d+/m);
    assert.match(bad.stdout, /^FAILED: /m);

    await sequenceAll();
    const remote = await dancu(['audit', 'verify', '--url', s.baseUrl, '--token', s.tokens.inspector, '--purpose', 'KT-2026', '--log-key', vkey]);
    assert.equal(remote.code, 0, remote.stdout + remote.stderr);

    const entry = (await db().selectFrom('access_entry').select(['subject_key', 'entry_id']).where('action', '=', 'getCitizen').executeTakeFirstOrThrow()) as { subject_key: string; entry_id: string };
    const receipt = await receiptFor(s.runtime.ctx, 'access_entry', entry.subject_key, entry.entry_id);
    const proofFile = join(dir, 'entry.tlog-proof');
    writeFileSync(proofFile, receipt);
    const proven = await dancu(['audit', 'verify-proof', proofFile, '--log-key', vkey]);
    assert.equal(proven.code, 0, proven.stdout + proven.stderr);
    assert.match(proven.stdout, new RegExp(`^OK: access_entry ${entry.subject_key} ${entry.entry_id} .* is leaf \\d+ of ${s.runtime.log.key.origin}`, 'm'));
    // The receipt carries the entry's row: verify-proof recomputes its digest and shows what it says.
    const stored = (await db().selectFrom('access_entry').select(['purpose', 'at']).where('subject_key', '=', entry.subject_key).where('entry_id', '=', entry.entry_id).executeTakeFirstOrThrow()) as { purpose: string; at: string };
    assert.match(proven.stdout, new RegExp(`^  purpose: ${stored.purpose.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    assert.match(proven.stdout, new RegExp(`^  when: ${stored.at}$`, 'm'));
    assert.match(proven.stdout, /^  action: getCitizen$/m);
    // The same receipt with the row's purpose changed: its digest no longer matches the leaf.
    const extraLine = /^extra (.+)$/m.exec(receipt)![1]!;
    const carried = JSON.parse(Buffer.from(extraLine, 'base64').toString('utf8')) as { row: string };
    assert.ok(carried.row.includes(JSON.stringify(['purpose', stored.purpose])));
    carried.row = carried.row.replace(JSON.stringify(['purpose', stored.purpose]), JSON.stringify(['purpose', 'something else']));
    writeFileSync(proofFile, receipt.replace(extraLine, Buffer.from(JSON.stringify(carried)).toString('base64')));
    const altered = await dancu(['audit', 'verify-proof', proofFile, '--log-key', vkey]);
    assert.equal(altered.code, 1, altered.stdout);
    assert.match(altered.stdout, /^PROBLEM the row does not match the leaf/m);
    assert.doesNotMatch(altered.stdout, /something else/);
    writeFileSync(proofFile, receipt.replace(/^index (\d+)$/m, (_m, n: string) => `index ${Number(n) + 1}`));
    const wrong = await dancu(['audit', 'verify-proof', proofFile, '--log-key', vkey]);
    assert.equal(wrong.code, 1, wrong.stdout);
    assert.match(wrong.stdout, /inclusion proof/);
  });
});
