/**
 * The sequencer's time budget (decision 0029, "Checkpoint frequency"): a backlog is worked off in
 * batches cut by time as well as by count, each with its checkpoint, and the tree is exactly the one
 * integrating the same leaves in one go gives (indexes, tiles, root). The budget is measured with the
 * context's clock; here a clock that moves 100 ms each time it is read, so the cuts are exact and
 * do not depend on this machine's speed (the speed is the bench's: npm run bench, decision 0033).
 * The leaves that reproduce a signed state ahead of the database (a crash before the commit) are
 * never cut: exactly those, or the same root could not be signed again.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Clock } from '../../src/services/clock.js';
import type { Runtime } from '../../src/services/runtime.js';
import { integratePending, type IntegrateOptions } from '../../src/services/transparency/sequencer.js';
import { insertLeaves, newLeafId, type PendingLeaf } from '../../src/store/repositories/transparency-leaves.js';
import { listCheckpoints, readLogState } from '../../src/store/repositories/transparency-log.js';
import { formatLeafData, newSalt } from '../../src/transparency/leaf.js';
import { openCheckpoint } from '../../src/transparency/checkpoint.js';
import { openTestRuntime, type TestRuntime } from '../support/store.js';
import { NaiveTree } from '../transparency/naive.js';

const STEP_MS = 100;

/** A clock that moves STEP_MS forward each time it is read. */
function steppingClock(): Clock {
  let t = Date.parse('2026-12-06T10:00:00.000Z');
  return {
    now: () => new Date((t += STEP_MS)),
  };
}

function leaves(n: number, tag: string): PendingLeaf[] {
  const at = new Date().toISOString();
  return Array.from({ length: n }, (_, i) => ({
    kind: 'access_entry',
    subjectKey: `test:${tag}:${i % 97}`,
    ref: `${i}-${randomBytes(4).toString('hex')}`,
    salt: newSalt(),
    digest: createHash('sha256').update(`${tag}/${i}`).digest('base64'),
    leafId: newLeafId(at),
  }));
}

async function write(rt: Runtime, all: readonly PendingLeaf[]): Promise<void> {
  for (let at = 0; at < all.length; at += 5000) {
    const part = all.slice(at, at + 5000);
    await rt.store.transaction((tx) => insertLeaves(tx, part));
  }
}

/** Integrates until nothing is pending, with the stepping clock; the checkpoints signed, in order. */
async function drain(rt: Runtime, options: IntegrateOptions): Promise<{ size: number; signedAt: number; root: string; note: string }[]> {
  const ctx = { store: rt.store, clock: steppingClock() };
  const signed: { size: number; signedAt: number; root: string; note: string }[] = [];
  for (;;) {
    const r = await integratePending(ctx, rt.log.key, options);
    assert.equal(r.skipped, false);
    if (r.checkpoint) signed.push({ size: r.checkpoint.size, signedAt: Date.parse(r.checkpoint.signedAt), root: r.checkpoint.root, note: r.checkpoint.note });
    if (r.integrated === 0) return signed;
  }
}

const gaps = (xs: readonly { signedAt: number }[]) => xs.slice(1).map((x, i) => x.signedAt - xs[i]!.signedAt);

/** Every leaf's index, by its key; and every tile, by its place. */
async function treeOf(rt: Runtime): Promise<{ indexes: Map<string, number>; tiles: Map<string, string> }> {
  const rows = await rt.store.db.selectFrom('tlog_leaf_ref').select(['subject_key', 'kind', 'ref', 'idx']).execute();
  const tiles = await rt.store.db.selectFrom('tlog_tile').select(['level', 'tile_index', 'width', 'hashes']).execute();
  return {
    indexes: new Map(rows.map((r) => [`${r.subject_key}/${r.kind}/${r.ref}`, Number(r.idx)])),
    tiles: new Map(tiles.map((t) => [`${t.level}/${t.tile_index}`, `${t.width}:${Buffer.from(t.hashes).toString('hex')}`])),
  };
}

describe('the sequencer cuts a batch by time', () => {
  let cut: TestRuntime;
  let whole: TestRuntime;
  const backlog = leaves(40_000, 'backlog');
  before(async () => {
    cut = await openTestRuntime();
    whole = await openTestRuntime();
  });
  after(async () => {
    await cut?.dropDatabase();
    await whole?.dropDatabase();
  });

  test('a backlog of 40,000 is worked off in batches cut by the budget, each signed; the tree is the one integrating in one go gives', async () => {
    await write(cut, backlog);
    await write(whole, backlog);
    // Budget 250 ms on a clock read once at the start, once after each chunk of 1,024 leaves and
    // once to sign: after two chunks (200 ms) a third would end at 300 ms, past the budget — cut.
    const signed = await drain(cut, { budgetMs: 250 });
    assert.deepEqual(
      signed.map((c) => c.size),
      Array.from({ length: 19 }, (_, i) => (i + 1) * 2048).concat(40_000),
      'two chunks a batch; the last 1,088 leaves: 1,024 + 64 (at 100 ms per 1,024, 106 ms: within the budget)',
    );
    // Four reads of the clock a batch: a checkpoint every 400 ms of it (count cap alone: see below).
    assert.deepEqual(gaps(signed), Array.from({ length: 19 }, () => 400));

    // The same leaves in one go (no budget, one batch): the same indexes, tiles and root.
    const one = await drain(whole, { batch: 100_000, budgetMs: Infinity });
    assert.deepEqual(
      one.map((c) => c.size),
      [40_000],
    );
    const [a, b] = [await treeOf(cut), await treeOf(whole)];
    assert.equal(a.indexes.size, 40_000);
    assert.deepEqual(a.indexes, b.indexes, 'every leaf has the same index');
    assert.deepEqual(a.tiles, b.tiles, 'every tile is the same');
    assert.equal((await readLogState(cut.store.db)).root, (await readLogState(whole.store.db)).root);

    // Each checkpoint of the cut run is the RFC 6962 root of the leaves in leaf_id order up to its size.
    const byLeafId = [...backlog].sort((x, y) => (x.leafId < y.leafId ? -1 : 1)).map((l) => formatLeafData(l));
    const naive = new NaiveTree(byLeafId);
    for (const c of signed) {
      const { checkpoint } = openCheckpoint(c.note, [cut.log.key.verifier], cut.log.key.origin);
      assert.deepEqual(checkpoint.rootHash, naive.mth(0, c.size), `root at ${c.size}`);
    }
    assert.deepEqual(
      (await listCheckpoints(cut.store.db, 0, 40_000, 100)).map((c) => c.size),
      signed.map((c) => c.size),
      'every checkpoint stored',
    );
  });

  test('without a budget the count caps the batch: 16,384 leaves (16 chunks), a checkpoint every 1,800 ms of the same clock', async () => {
    await write(whole, leaves(40_000, 'count'));
    const signed = await drain(whole, { budgetMs: Infinity });
    assert.deepEqual(
      signed.map((c) => c.size),
      [56_384, 72_768, 80_000],
    );
    assert.deepEqual(gaps(signed), [1800, 1000]);
  });

  test('the leaves that reproduce a signed state ahead of the database are never cut', async () => {
    const start = (await readLogState(cut.store.db)).size;
    await write(cut, leaves(10_000, 'ahead'));
    const file = cut.log.key.signedStateFile as string;
    let ahead = '';
    await assert.rejects(
      integratePending({ store: cut.store, clock: steppingClock() }, cut.log.key, {
        budgetMs: Infinity,
        beforeCommit: () => {
          ahead = readFileSync(file, 'utf8');
          throw new Error('crash before the commit');
        },
      }),
      /crash before the commit/,
    );
    assert.equal(JSON.parse(ahead).size, start + 10_000);
    // As if the process had died after the file was written.
    writeFileSync(file, ahead);
    // A budget that would cut after one chunk: the 10,000 leaves (ten chunks) are integrated whole, the same root signed.
    const r = await integratePending({ store: cut.store, clock: steppingClock() }, cut.log.key, { budgetMs: 150 });
    assert.equal(r.integrated, 10_000);
    assert.equal(r.checkpoint?.root, JSON.parse(ahead).root);
    assert.equal((await readLogState(cut.store.db)).size, start + 10_000);
  });
});
