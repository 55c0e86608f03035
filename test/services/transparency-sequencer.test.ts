/**
 * The sequencer on a real store (decision 0029): leaves committed by concurrent writers while two
 * runtimes (two pools on PostgreSQL, two connections to one file on SQLite) integrate at once →
 * every leaf exactly once with indexes 0..n-1; each stored checkpoint's root equals the naive
 * RFC 6962 root of the leaves by index; consecutive checkpoints are consistent; stored tiles equal
 * the expected bytes; a restart resumes; tampered tiles stop the log from signing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { openRuntime, type Runtime } from '../../src/services/runtime.js';
import { integratePending } from '../../src/services/transparency/sequencer.js';
import { insertLeaves, newLeafId, type PendingLeaf } from '../../src/store/repositories/transparency-leaves.js';
import { listCheckpoints, readLogState, readTile } from '../../src/store/repositories/transparency-log.js';
import { formatLeafData, newSalt } from '../../src/transparency/leaf.js';
import { openCheckpoint } from '../../src/transparency/checkpoint.js';
import { consistencyProof, verifyConsistency } from '../../src/transparency/tree.js';
import { hashReaderFromTiles } from '../../src/transparency/tiles.js';
import { systemClock } from '../../src/services/clock.js';
import { openTestRuntime, type TestRuntime } from '../support/store.js';
import { exitOf } from '../support/child.js';
import { spawn } from 'node:child_process';

const ROOT = new URL('../..', import.meta.url).pathname;
import { NaiveTree } from '../transparency/naive.js';

function leaf(writer: number, i: number): PendingLeaf {
  return {
    kind: 'access_entry',
    subjectKey: `test:${writer}`,
    ref: `${i}-${randomBytes(4).toString('hex')}`,
    salt: newSalt(),
    digest: createHash('sha256').update(`${writer}/${i}`).digest('base64'),
    leafId: newLeafId(new Date().toISOString()),
  };
}

async function write(rt: Runtime, leaves: PendingLeaf[]): Promise<void> {
  await rt.store.transaction((tx) => insertLeaves(tx, leaves));
}

/** Integrates until nothing is pending. */
async function drain(rt: Runtime, batch = 500): Promise<void> {
  for (;;) {
    const r = await integratePending(rt.ctx, rt.log.key, { batch });
    if (!r.skipped && r.integrated === 0) return;
  }
}

/** The integrated leaves' data, by index; asserts the indexes are exactly 0..n-1. */
async function leavesByIndex(rt: Runtime): Promise<Buffer[]> {
  const rows = await rt.store.db.selectFrom('tlog_leaf_ref').select(['kind', 'subject_key', 'ref', 'salt', 'digest', 'idx']).orderBy('idx').execute();
  assert.ok(rows.every((r) => r.idx !== null), 'every leaf integrated');
  assert.deepEqual(
    rows.map((r) => Number(r.idx)),
    rows.map((_, i) => i),
    'indexes are exactly 0..n-1',
  );
  return rows.map((r) => formatLeafData({ kind: r.kind, subjectKey: r.subject_key, ref: r.ref, salt: r.salt, digest: r.digest }));
}

const tileReader = (rt: Runtime) => hashReaderFromTiles((l, i) => readTile(rt.store.db, l, i));

/** Every checkpoint verifies, has the naive root of its prefix, and is consistent with the one before. */
async function checkCheckpoints(rt: Runtime, data: Buffer[]): Promise<number> {
  const naive = new NaiveTree(data);
  const checkpoints = await listCheckpoints(rt.store.db, 0, data.length, 1_000_000);
  assert.equal(checkpoints.at(-1)?.size, data.length);
  let previous: { size: number; root: Buffer } | undefined;
  for (const c of checkpoints) {
    const { checkpoint } = openCheckpoint(c.note, [rt.log.key.verifier], rt.log.key.origin);
    assert.equal(checkpoint.size, c.size);
    assert.equal(checkpoint.rootHash.toString('base64'), c.root);
    assert.deepEqual(checkpoint.rootHash, naive.mth(0, c.size), `root at ${c.size}`);
    if (previous) {
      assert.ok(previous.size < c.size, 'sizes grow');
      const proof = await consistencyProof(previous.size, c.size, tileReader(rt));
      assert.deepEqual(proof, naive.proof(previous.size, c.size));
      assert.ok(verifyConsistency(previous.size, c.size, proof, previous.root, checkpoint.rootHash), `consistent ${previous.size} → ${c.size}`);
    }
    previous = { size: c.size, root: checkpoint.rootHash };
  }
  return checkpoints.length;
}

/** The stored tiles hold exactly the naive subtree roots. */
async function checkTiles(rt: Runtime, data: Buffer[]): Promise<void> {
  const naive = new NaiveTree(data);
  const size = data.length;
  for (let level = 0, span = 1; span <= size; level++, span *= 256) {
    const hashes = Math.floor(size / span);
    for (let index = 0; index * 256 < hashes; index++) {
      const width = Math.min(256, hashes - index * 256);
      const expected = Buffer.concat(Array.from({ length: width }, (_, i) => naive.mth((index * 256 + i) * span, (index * 256 + i + 1) * span)));
      const stored = await readTile(rt.store.db, level, index);
      assert.deepEqual(stored, expected, `tile ${level}/${index} (width ${width})`);
    }
  }
}

describe('transparency log sequencer', () => {
  let rt: TestRuntime;

  before(async () => {
    rt = await openTestRuntime();
  });
  after(async () => {
    await rt?.dropDatabase();
  });

  test('an empty log signs the empty tree once', async () => {
    const first = await integratePending(rt.ctx, rt.log.key);
    assert.equal(first.checkpoint?.size, 0);
    assert.equal(first.checkpoint?.root, createHash('sha256').digest('base64'));
    const again = await integratePending(rt.ctx, rt.log.key);
    assert.equal(again.checkpoint, undefined);
    assert.equal((await readLogState(rt.store.db)).origin, rt.log.key.origin);
  });

  test('concurrent writers in two processes, both integrating: every leaf once, roots and proofs right', async () => {
    const TXNS = 40;
    const PER_TXN = 25;
    // The other process: its own pool (PostgreSQL) or connection (SQLite), same store and key.
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/log-writer-child.ts', rt.databaseUrl, rt.dataDir, 'c', String(TXNS), String(PER_TXN)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    const exited = exitOf(child, 120_000);
    let writing = true;
    const writers = Array.from({ length: 3 }, async (_, w) => {
      for (let t = 0; t < TXNS; t++) {
        await write(rt, Array.from({ length: PER_TXN }, (_, i) => leaf(w, t * PER_TXN + i)));
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    });
    const integrator = (async () => {
      while (writing) {
        await integratePending(rt.ctx, rt.log.key, { batch: 97 });
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    await Promise.all(writers);
    assert.equal(await exited, 0);
    writing = false;
    await integrator;
    await drain(rt);
    assert.equal(out.trim(), `done ${TXNS * PER_TXN}`);

    const data = await leavesByIndex(rt);
    assert.equal(data.length, 4 * TXNS * PER_TXN);
    const checkpoints = await checkCheckpoints(rt, data);
    assert.ok(checkpoints > 2, `several checkpoints (${checkpoints})`);
    await checkTiles(rt, data);
    const state = await readLogState(rt.store.db);
    assert.equal(state.size, data.length);
    assert.equal(state.root, new NaiveTree(data).mth(0, data.length).toString('base64'));
  });

  test('a restart resumes from the stored tiles: full tiles at levels 0 and 1, partial at 2', async () => {
    // 70,000 leaves in all (C2SP's example: 273 full level-0 tiles, 1 full level-1 tile, partial level 2).
    const before = (await readLogState(rt.store.db)).size;
    const more = 70_000 - before;
    for (let at = 0; at < more; at += 5000) await write(rt, Array.from({ length: Math.min(5000, more - at) }, (_, i) => leaf(99, at + i)));
    // A restarted process (a new runtime, nothing in memory), used one at a time with the first:
    // batches that end mid-tile, then the rest through the first runtime, then the new one again.
    const restarted = await openRuntime({ databaseUrl: rt.databaseUrl, dataDir: rt.dataDir, clock: systemClock, pgPoolSize: 4 });
    try {
      await integratePending(restarted.ctx, restarted.log.key, { batch: 12_345 });
      await integratePending(rt.ctx, rt.log.key, { batch: 40_000 });
      await drain(restarted, 9_999);
    } finally {
      await restarted.close();
    }
    const data = await leavesByIndex(rt);
    assert.equal(data.length, 70_000);
    await checkCheckpoints(rt, data);
    await checkTiles(rt, data);
    assert.equal((await readTile(rt.store.db, 0, 273))?.length, 112 * 32);
    assert.equal((await readTile(rt.store.db, 1, 1))?.length, 17 * 32);
    assert.equal((await readTile(rt.store.db, 2, 0))?.length, 1 * 32);
  });

  test('a stored tile changed behind the log\'s back: it refuses to sign over it', async () => {
    const size = (await readLogState(rt.store.db)).size;
    const edge = Math.floor(size / 256);
    const original = (await readTile(rt.store.db, 0, edge)) as Buffer;
    const changed = Buffer.from(original);
    changed[0] = (changed[0] as number) ^ 1;
    await rt.store.db.updateTable('tlog_tile').set({ hashes: changed }).where('level', '=', 0).where('tile_index', '=', edge).execute();
    await write(rt, [leaf(7, 1)]);
    await assert.rejects(integratePending(rt.ctx, rt.log.key), /do not give the signed root/);
    assert.equal((await readLogState(rt.store.db)).size, size, 'nothing signed');
    await rt.store.db.updateTable('tlog_tile').set({ hashes: original }).where('level', '=', 0).where('tile_index', '=', edge).execute();
    await drain(rt);
    assert.equal((await readLogState(rt.store.db)).size, size + 1);
  });

  test('the ticking sequencer integrates what arrives', async () => {
    const sequencer = rt.log.startSequencer({ intervalMs: 20, batch: 1000 });
    const size = (await readLogState(rt.store.db)).size;
    const before = (await listCheckpoints(rt.store.db, 0, size, 1_000_000)).length;
    await write(rt, Array.from({ length: 5500 }, (_, i) => leaf(8, i)));
    await sequencer.flush();
    const state = await readLogState(rt.store.db);
    assert.equal(state.size, size + 5500);
    // Batches of at most 1,000, each with its checkpoint.
    assert.ok((await listCheckpoints(rt.store.db, 0, state.size, 1_000_000)).length - before >= 6);
    await sequencer.stop();
    await checkCheckpoints(rt, await leavesByIndex(rt));
  });
});
