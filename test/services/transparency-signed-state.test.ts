/**
 * The key's last signed checkpoint, kept beside the key (decision 0029, "Across restores"): the
 * file follows every checkpoint (0600); a database restored to an earlier tree, or a fresh database
 * with the same key directory, makes the sequencer refuse to sign (leaves stay pending, the
 * checkpoint route answers 503 LOG_BEHIND_SIGNED_STATE) — also after a restart; the same leaves coming
 * back reproduce the signed root and signing resumes; a failed commit puts the file back, and a
 * crash between the file and the commit is resolved by the same leaves.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openRuntime, type Runtime } from '../../src/services/runtime.js';
import { buildApp } from '../../src/http/app.js';
import { integratePending } from '../../src/services/transparency/sequencer.js';
import { servedCheckpoint } from '../../src/services/transparency/receipts.js';
import { LogBehindSignedState, readSignedState } from '../../src/services/transparency/signed-state.js';
import { insertLeaves, newLeafId, type PendingLeaf } from '../../src/store/repositories/transparency-leaves.js';
import { latestCheckpoint, listCheckpoints, readLogState, readTile } from '../../src/store/repositories/transparency-log.js';
import { newSalt } from '../../src/transparency/leaf.js';
import { systemClock } from '../../src/services/clock.js';
import { createTestDatabase, openTestRuntime, type TestRuntime } from '../support/store.js';

function leaf(tag: string, at = new Date().toISOString()): PendingLeaf {
  return {
    kind: 'access_entry',
    subjectKey: `test:${tag}`,
    ref: `${tag}-${randomBytes(4).toString('hex')}`,
    salt: newSalt(),
    digest: createHash('sha256').update(tag).digest('base64'),
    leafId: newLeafId(at),
  };
}

async function write(rt: Runtime, leaves: PendingLeaf[]): Promise<void> {
  await rt.store.transaction((tx) => insertLeaves(tx, leaves));
}

async function pendingCount(rt: Runtime): Promise<number> {
  const r = await rt.store.db.selectFrom('tlog_leaf_ref').select((eb) => eb.fn.countAll<string>().as('n')).where('idx', 'is', null).executeTakeFirstOrThrow();
  return Number(r.n);
}

const stateFile = (rt: Runtime) => rt.log.key.signedStateFile as string;

describe('the signed state beside the log key', () => {
  let rt: TestRuntime;
  before(async () => {
    rt = await openTestRuntime();
  });
  after(async () => {
    await rt?.dropDatabase();
  });

  test('every checkpoint signed is in the file, owner-only, beside the key', async () => {
    assert.equal(stateFile(rt), join(rt.dataDir, 'keys', 'log-ed25519.signed.json'));
    await integratePending(rt.ctx, rt.log.key);
    await write(rt, Array.from({ length: 4 }, (_, i) => leaf(`a${i}`)));
    await integratePending(rt.ctx, rt.log.key);
    const latest = await latestCheckpoint(rt.store.db);
    assert.deepEqual(readSignedState(stateFile(rt)), { origin: rt.log.key.origin, size: 4, root: latest?.root });
    assert.equal(statSync(stateFile(rt)).mode & 0o777, 0o600);
  });

  test('a database restored to an earlier tree: refused, also after a restart; the same leaves back: the same root, then on', async () => {
    const at4 = await readLogState(rt.store.db);
    const later = Array.from({ length: 6 }, (_, i) => leaf(`b${i}`));
    await write(rt, later);
    await integratePending(rt.ctx, rt.log.key);
    const at10 = await readLogState(rt.store.db);
    assert.equal(at10.size, 10);
    const checkpointsAt10 = (await listCheckpoints(rt.store.db, 0, 10, 100)).length;

    // The restore: the database as it was at size 4 (its six later leaves and their checkpoint gone).
    const tile = (await readTile(rt.store.db, 0, 0)) as Buffer;
    await rt.store.transaction(async (tx) => {
      await tx.deleteFrom('tlog_leaf_ref').where('idx', '>=', 4).execute();
      await tx.deleteFrom('tlog_checkpoint').where('size', '>', 4).execute();
      await tx.updateTable('tlog_tile').set({ width: 4, hashes: tile.subarray(0, 4 * 32) }).where('level', '=', 0).where('tile_index', '=', 0).execute();
      await tx.updateTable('tlog_state').set({ size: at4.size, root: at4.root }).where('id', '=', 1).execute();
    });
    await write(rt, [leaf('c0'), leaf('c1')]);
    await assert.rejects(integratePending(rt.ctx, rt.log.key), (e: unknown) => e instanceof LogBehindSignedState && e.signed.size === 10);

    // A restart (a new process on the same store and key directory) refuses too, ticking.
    const restarted = await openRuntime({ databaseUrl: rt.databaseUrl, dataDir: rt.dataDir, clock: systemClock, pgPoolSize: 4 });
    try {
      await assert.rejects(integratePending(restarted.ctx, restarted.log.key), LogBehindSignedState);
      const sequencer = restarted.log.startSequencer({ intervalMs: 10_000 });
      await sequencer.flush();
      assert.equal(sequencer.refusal?.code, 'LOG_BEHIND_SIGNED_STATE');
      await assert.rejects(servedCheckpoint(restarted.ctx), (e: unknown) => (e as { code?: string }).code === 'LOG_BEHIND_SIGNED_STATE');
      const app = await buildApp({ ctx: restarted.ctx, catalogue: restarted.catalogue, keys: restarted.keys, publicUrl: 'http://registry.test', version: 'test', logLevel: 'silent' });
      try {
        const r = await app.inject({ method: 'GET', url: '/transparency/checkpoint' });
        assert.equal(r.statusCode, 503);
        assert.equal(r.json().code, 'LOG_BEHIND_SIGNED_STATE');
      } finally {
        await app.close();
      }
      await sequencer.stop();
    } finally {
      await restarted.close();
    }
    assert.deepEqual(await readLogState(rt.store.db), at4, 'nothing signed');
    assert.equal((await listCheckpoints(rt.store.db, 0, 100, 100)).length, checkpointsAt10 - 1);
    // The two leaves wait (and the refused request's own access entry, recorded like every refusal).
    const waiting = await pendingCount(rt);
    const ours = await rt.store.db.selectFrom('tlog_leaf_ref').select('ref').where('subject_key', 'in', ['test:c0', 'test:c1']).where('idx', 'is', null).execute();
    assert.equal(ours.length, 2, 'the leaves wait');
    assert.deepEqual(readSignedState(stateFile(rt))?.size, 10, 'the file is kept');

    // The six leaves come back (a replica catching up): they give the signed root at 10 again.
    await write(rt, later);
    const r = await integratePending(rt.ctx, rt.log.key);
    assert.equal(r.size, 10);
    assert.equal(r.checkpoint?.root, at10.root);
    await integratePending(rt.ctx, rt.log.key);
    assert.equal((await readLogState(rt.store.db)).size, 10 + waiting);
    assert.equal(readSignedState(stateFile(rt))?.size, 10 + waiting);
  });

  test('a fresh database with the same key directory: refused, not even the empty tree is signed', async () => {
    const fresh = await createTestDatabase();
    const other = await openRuntime({ databaseUrl: fresh.url, dataDir: rt.dataDir, clock: systemClock, pgPoolSize: 4 });
    try {
      await write(other, [leaf('d0')]);
      await assert.rejects(integratePending(other.ctx, other.log.key), LogBehindSignedState);
      assert.equal(await latestCheckpoint(other.store.db), undefined);
      assert.equal((await readLogState(other.store.db)).size, 0);
      assert.equal(await pendingCount(other), 1);
    } finally {
      await other.close();
      await fresh.drop();
    }
    assert.equal(readSignedState(stateFile(rt))?.size, (await readLogState(rt.store.db)).size);
  });

  test('a failed commit puts the file back; a crash between the file and the commit is resolved by the same leaves', async () => {
    const start = await readLogState(rt.store.db);
    await write(rt, [leaf('e0'), leaf('e1'), leaf('e2')]);
    let ahead = '';
    const failing = integratePending(rt.ctx, rt.log.key, {
      beforeCommit: () => {
        ahead = readFileSync(stateFile(rt), 'utf8');
        throw new Error('commit failed');
      },
    });
    await assert.rejects(failing, /commit failed/);
    assert.equal(JSON.parse(ahead).size, start.size + 3);
    assert.deepEqual(readSignedState(stateFile(rt)), { origin: rt.log.key.origin, size: start.size, root: start.root }, 'put back');

    // As if the process had died after the file was written: the file ahead of the database.
    writeFileSync(stateFile(rt), ahead);
    await write(rt, [leaf('e3')]);
    const r = await integratePending(rt.ctx, rt.log.key);
    assert.equal(r.integrated, 3, 'exactly the leaves the file was signed over');
    assert.equal(r.checkpoint?.root, JSON.parse(ahead).root);
    await integratePending(rt.ctx, rt.log.key);
    assert.equal((await readLogState(rt.store.db)).size, start.size + 4);
  });

  test('the ticking sequencer signs as leaves arrive and the file follows', async () => {
    const sequencer = rt.log.startSequencer({ intervalMs: 20, batch: 1000 });
    await write(rt, Array.from({ length: 30 }, (_, i) => leaf(`f${i}`)));
    await sequencer.flush();
    assert.equal(sequencer.refusal, undefined);
    const latest = await latestCheckpoint(rt.store.db);
    assert.equal(latest?.size, (await readLogState(rt.store.db)).size);
    assert.deepEqual(readSignedState(stateFile(rt)), { origin: rt.log.key.origin, size: latest?.size, root: latest?.root });
    assert.equal((await servedCheckpoint(rt.ctx))?.checkpoint.size, latest?.size);
    await sequencer.stop();
  });
});
