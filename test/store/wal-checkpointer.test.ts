/**
 * SQLite in a server process: the WAL is checkpointed by a worker thread, not by whichever request
 * commits. (PostgreSQL runs its own checkpointer; there is nothing to test there.)
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { migrateToLatest, openStore, type Store } from '../../src/store/connect.js';
import { TEST_STORE } from '../support/store.js';

const skip = TEST_STORE !== 'sqlite' ? 'SQLite only' : false;

async function withStore(background: boolean, fn: (store: Store) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dancu-wal-'));
  const store = openStore({ url: `sqlite:${join(dir, 'w.sqlite')}` });
  try {
    await migrateToLatest(store);
    if (background) store.checkpointInBackground();
    await fn(store);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function writeRows(store: Store, n: number): Promise<void> {
  for (let b = 0; b < n; b += 100) {
    await store.transaction(async (tx) => {
      for (let i = b; i < b + 100; i++) {
        await tx.insertInto('outbox').values({ message_id: `m${i}`, created_at: '2026-06-01T00:00:00Z', channel: 'email', recipient: 'x@example.org', subject: 's', body: 'b'.repeat(500), status: 'pending' }).execute();
      }
    });
  }
}

describe('WAL checkpoints off the event loop (SQLite)', { skip }, () => {
  it('a server store leaves checkpoints to its worker, which copies every committed frame back', async () => {
    await withStore(true, async (store) => {
      const sqlite = store.driver.sqlite!;
      assert.equal(sqlite.pragma('wal_autocheckpoint'), 0);
      await writeRows(store, 3000);
      assert.equal(store.checkpointInBackground(), store.checkpointInBackground(), 'started once');
      const r = await store.checkpointInBackground()!.next();
      assert.ok(r.walFrames > 0, 'the WAL held the writes');
      assert.equal(r.checkpointedFrames, r.walFrames);
      const rows = await sql<{ n: number }>`select count(*) as n from outbox`.execute(store.db);
      assert.equal(Number(rows.rows[0]!.n), 3000);
    });
  });

  it('when the worker stops, the connection checkpoints by itself again', async () => {
    await withStore(true, async (store) => {
      await store.checkpointInBackground()!.stop();
      assert.equal(store.driver.sqlite!.pragma('wal_autocheckpoint'), 1000);
    });
  });

  it('a store opened for a command keeps SQLite\'s own checkpoints', async () => {
    await withStore(false, async (store) => {
      assert.equal(store.driver.sqlite!.pragma('wal_autocheckpoint'), 1000);
    });
  });
});
