/**
 * /transparency/ over HTTP (decision 0029): the checkpoint verifies with the published key and has
 * the naive root; tiles (full and partial, levels 0 and 1) are the expected bytes; consecutive
 * checkpoints are consistent by the served proofs; inclusion proofs for random indexes verify;
 * entry bundles hash to the level-0 tiles, are gzipped when asked, recorded, and refused to
 * officers and anonymous callers; receipts verify offline; bad paths and parameters get codes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/http.js';
import { integratePending } from '../../src/services/transparency/sequencer.js';
import { receiptFor } from '../../src/services/transparency/receipts.js';
import { insertLeaves, newLeafId, type PendingLeaf } from '../../src/store/repositories/transparency-leaves.js';
import { listCheckpoints } from '../../src/store/repositories/transparency-log.js';
import { formatLeafData, newSalt } from '../../src/transparency/leaf.js';
import { openCheckpoint } from '../../src/transparency/checkpoint.js';
import { verifierFromKeyString } from '../../src/transparency/keys.js';
import { decodeEntryBundle } from '../../src/transparency/tiles.js';
import { verifyConsistency, verifyInclusion } from '../../src/transparency/tree.js';
import { verifyReceipt } from '../../src/transparency/receipt.js';
import { NaiveTree } from '../transparency/naive.js';

const PERSON = '001090000017';

function leaf(i: number, subjectKey = `test:${i % 7}`): PendingLeaf {
  return {
    kind: 'access_entry',
    subjectKey,
    ref: `${i}-${randomBytes(3).toString('hex')}`,
    salt: newSalt(),
    digest: createHash('sha256').update(String(i)).digest('base64'),
    leafId: newLeafId(new Date().toISOString()),
  };
}

async function raw(s: TestServer, path: string, headers: Record<string, string> = {}) {
  const res = await fetch(s.baseUrl + path, { headers });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe('transparency log over HTTP', () => {
  let s: TestServer;
  let data: Buffer[] = [];
  let naive: NaiveTree;
  const written: PendingLeaf[] = [];

  before(async () => {
    s = await startTestServer();
  });
  after(async () => {
    await s?.close();
  });

  /** Everything in the tree so far, by index, and the naive tree over it. */
  async function refresh(): Promise<void> {
    const rows = await s.runtime.store.db.selectFrom('tlog_leaf_ref').select(['kind', 'subject_key', 'ref', 'salt', 'digest', 'idx']).where('idx', 'is not', null).orderBy('idx').execute();
    data = rows.map((r) => formatLeafData({ kind: r.kind, subjectKey: r.subject_key, ref: r.ref, salt: r.salt, digest: r.digest }));
    naive = new NaiveTree(data);
  }

  test('no checkpoint before the log first signs', async () => {
    const r = await s.call('GET', '/transparency/checkpoint');
    assert.equal(r.status, 404);
    assert.equal(r.body.code, 'CHECKPOINT_NOT_FOUND');
  });

  test('the checkpoint: signed by the published key, the naive root, cached one second', async () => {
    for (const n of [100, 150, 350]) {
      const batch = Array.from({ length: n }, (_, i) => leaf(written.length + i, i % 50 === 0 ? PERSON : undefined));
      written.push(...batch);
      await s.runtime.store.transaction((tx) => insertLeaves(tx, batch));
      await integratePending(s.runtime.ctx, s.runtime.log.key, { batch: 128 });
      await integratePending(s.runtime.ctx, s.runtime.log.key);
    }
    await refresh();
    assert.ok(data.length >= 600);
    const keys = await s.call('GET', '/transparency/keys');
    assert.equal(keys.status, 200);
    assert.equal(keys.body.origin, s.runtime.log.key.origin);
    assert.match(keys.body.origin, /^[^\s+]+\/dancu-log$/);
    assert.deepEqual(keys.body.witnesses, []);
    const r = await raw(s, '/transparency/checkpoint');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.equal(r.headers.get('cache-control'), 'public, max-age=1');
    const { checkpoint } = openCheckpoint(r.bytes.toString('utf8'), [verifierFromKeyString(keys.body.log)], keys.body.origin);
    assert.equal(checkpoint.size, data.length);
    assert.deepEqual(checkpoint.rootHash, naive.mth(0, data.length));
  });

  test('tiles: full and partial, levels 0 and 1, the expected bytes; uncovered ones 404', async () => {
    const size = data.length;
    const full = await raw(s, '/transparency/tile/0/000');
    assert.equal(full.status, 200);
    assert.equal(full.headers.get('content-type'), 'application/octet-stream');
    assert.equal(full.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.deepEqual(full.bytes, Buffer.concat(data.slice(0, 256).map((d) => naive.mth(data.indexOf(d), data.indexOf(d) + 1))));
    const w = size % 256;
    const partial = await raw(s, `/transparency/tile/0/002.p/${w}`);
    assert.equal(partial.status, 200);
    assert.deepEqual(partial.bytes, Buffer.concat(Array.from({ length: w }, (_, i) => naive.mth(512 + i, 513 + i))));
    const shorter = await raw(s, '/transparency/tile/0/002.p/3');
    assert.deepEqual(shorter.bytes, partial.bytes.subarray(0, 96));
    const level1 = await raw(s, '/transparency/tile/1/000.p/2');
    assert.equal(level1.status, 200);
    assert.deepEqual(level1.bytes, Buffer.concat([naive.mth(0, 256), naive.mth(256, 512)]));
    for (const [path, status, code] of [
      ['/transparency/tile/0/002', 404, 'TILE_NOT_FOUND'],
      [`/transparency/tile/0/002.p/${w + 1}`, 404, 'TILE_NOT_FOUND'],
      ['/transparency/tile/1/000', 404, 'TILE_NOT_FOUND'],
      ['/transparency/tile/0/x001/000', 404, 'TILE_NOT_FOUND'],
      ['/transparency/tile/0/2', 400, 'TILE_PATH_INVALID'],
      ['/transparency/tile/0/000.p/256', 400, 'TILE_PATH_INVALID'],
      ['/transparency/tile/64/000', 400, 'TILE_PATH_INVALID'],
      ['/transparency/tile/0/x000/001', 400, 'TILE_PATH_INVALID'],
    ] as const) {
      const r = await s.call('GET', path);
      assert.equal(r.status, status, path);
      assert.equal(r.body.code, code, path);
    }
  });

  test('consecutive checkpoints are consistent by the served proofs', async () => {
    const checkpoints = await listCheckpoints(s.runtime.store.db, 0, data.length, 10_000);
    assert.ok(checkpoints.length >= 4);
    for (let i = 1; i < checkpoints.length; i++) {
      const [a, b] = [checkpoints[i - 1]!, checkpoints[i]!];
      const r = await s.call('GET', `/transparency/proof/consistency?from=${a.size}&to=${b.size}`);
      assert.equal(r.status, 200);
      const proof = (r.body.hashes as string[]).map((h) => Buffer.from(h, 'base64'));
      assert.ok(verifyConsistency(a.size, b.size, proof, Buffer.from(a.root, 'base64'), Buffer.from(b.root, 'base64')), `${a.size} → ${b.size}`);
    }
  });

  test('inclusion proofs for random indexes verify; bad ranges get their codes', async () => {
    const size = data.length;
    for (let k = 0; k < 25; k++) {
      const index = Math.floor(Math.random() * size);
      const atSize = index + 1 + Math.floor(Math.random() * (size - index));
      const r = await s.call('GET', `/transparency/proof/inclusion?index=${index}&size=${atSize}`);
      assert.equal(r.status, 200);
      const proof = (r.body.hashes as string[]).map((h) => Buffer.from(h, 'base64'));
      assert.ok(verifyInclusion(naive.mth(index, index + 1), index, atSize, proof, naive.mth(0, atSize)), `${index} in ${atSize}`);
    }
    const cases = [
      [`/transparency/proof/inclusion?index=${size}&size=${size}`, 400, 'PROOF_RANGE_INVALID'],
      [`/transparency/proof/inclusion?index=0&size=${size + 1}`, 404, 'TREE_SIZE_NOT_SIGNED'],
      ['/transparency/proof/inclusion?index=x&size=2', 400, 'VALIDATION_FAILED'],
      ['/transparency/proof/inclusion?index=1', 400, 'VALIDATION_FAILED'],
      ['/transparency/proof/consistency?from=5&to=4', 400, 'PROOF_RANGE_INVALID'],
      [`/transparency/proof/consistency?from=1&to=${size + 1}`, 404, 'TREE_SIZE_NOT_SIGNED'],
    ] as const;
    for (const [path, status, code] of cases) {
      const r = await s.call('GET', path);
      assert.equal(r.status, status, path);
      assert.equal(r.body.code, code, path);
    }
  });

  test('entry bundles: inspectors only, with a purpose; they hash to the level-0 tile; gzip; recorded', async () => {
    const tile = (await raw(s, '/transparency/tile/0/000')).bytes;
    const asInspector = { authorization: `Bearer ${s.tokens.inspector}`, 'x-purpose': 'audit of the log' };
    const r = await raw(s, '/transparency/tile/entries/000', asInspector);
    assert.equal(r.status, 200);
    const entries = decodeEntryBundle(r.bytes)!;
    assert.equal(entries.length, 256);
    assert.deepEqual(Buffer.concat(entries.map((e) => createHash('sha256').update(Buffer.from([0])).update(e).digest())), tile);
    const gz = await fetch(`${s.baseUrl}/transparency/tile/entries/000`, { headers: { ...asInspector, 'accept-encoding': 'gzip' } });
    assert.equal(gz.headers.get('content-encoding'), 'gzip');
    assert.deepEqual(Buffer.from(await gz.arrayBuffer()), r.bytes); // fetch inflates it
    const partial = await raw(s, `/transparency/tile/entries/002.p/${data.length % 256}`, asInspector);
    assert.deepEqual(decodeEntryBundle(partial.bytes), data.slice(512));
    // The read is recorded under the person the bundle names.
    const recorded = await s.runtime.store.db.selectFrom('access_entry').select(['action', 'role', 'purpose']).where('subject_key', '=', PERSON).execute();
    assert.ok(recorded.some((e) => e.action === 'getTransparencyEntries' && e.role === 'inspector' && e.purpose === 'audit of the log'), JSON.stringify(recorded));

    assert.equal((await s.call('GET', '/transparency/tile/entries/000', { token: s.tokens.officer, headers: { 'x-purpose': 'x' } })).status, 403);
    assert.equal((await s.call('GET', '/transparency/tile/entries/000')).status, 401);
    const noPurpose = await s.call('GET', '/transparency/tile/entries/000', { token: s.tokens.inspector, purpose: null });
    assert.equal(noPurpose.status, 400);
    assert.equal(noPurpose.body.code, 'PURPOSE_REQUIRED');
  });

  test('receipts verify offline; a pending leaf is LEAF_NOT_YET_SEQUENCED', async () => {
    const keys = await s.call('GET', '/transparency/keys');
    const logKey = verifierFromKeyString(keys.body.log);
    for (const l of [written[0]!, written[333]!, written.at(-1)!]) {
      const text = await receiptFor(s.runtime.ctx, l.kind, l.subjectKey, l.ref);
      const result = verifyReceipt(text, { leafData: formatLeafData(l), origin: keys.body.origin, logKeys: [logKey] });
      assert.deepEqual(result.reasons, []);
      assert.ok(result.ok);
    }
    const pending = leaf(99_999);
    await s.runtime.store.transaction((tx) => insertLeaves(tx, [pending]));
    await assert.rejects(receiptFor(s.runtime.ctx, pending.kind, pending.subjectKey, pending.ref), (e: { code?: string; status?: number }) => e.code === 'LEAF_NOT_YET_SEQUENCED' && e.status === 409);
    await assert.rejects(receiptFor(s.runtime.ctx, 'access_entry', 'nobody', 'nothing'), (e: { code?: string }) => e.code === 'LEAF_NOT_FOUND');
  });
});
