/** The worker pool itself: answers, deadline, heap limit, crashes, queue limit, close (decision 0018). */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorkerPool, PoolError, type WorkerPool } from '../../src/services/workers/pool.js';

const ENTRY = new URL('../support/pool-test-worker.ts', import.meta.url);
type Task = { do: 'echo'; value: number } | { do: 'spin'; ms: number } | { do: 'throw' } | { do: 'exit' } | { do: 'hog' };

const reason = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    assert.ok(e instanceof PoolError, String(e));
    return e.reason;
  }
};

describe('worker pool', () => {
  const pools: WorkerPool<Task, unknown>[] = [];
  const pool = (limits: Partial<{ size: number; maxQueue: number; timeoutMs: number; memoryMb: number }> = {}) => {
    const p = createWorkerPool<Task, unknown>(ENTRY, { size: 2, maxQueue: 4, timeoutMs: 20_000, memoryMb: 64, ...limits });
    pools.push(p);
    return p;
  };
  after(async () => Promise.all(pools.map((p) => p.close())));

  test('answers every task, at most `size` at a time, in a bounded number of threads', async () => {
    const p = pool();
    const values = await Promise.all(Array.from({ length: 6 }, (_, i) => p.run({ do: 'echo', value: i })));
    assert.deepEqual(values, [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(p.stats(), { workers: 2, running: 0, queued: 0, replaced: 0 });
  });

  test('a worker that cannot start fails the waiting tasks instead of being restarted forever', { timeout: 20_000 }, async () => {
    const broken = createWorkerPool<Task, unknown>(new URL('../support/no-such-worker.ts', import.meta.url), { size: 2, maxQueue: 4, timeoutMs: 20_000, memoryMb: 64 });
    pools.push(broken);
    const outcomes = await Promise.all([0, 1, 2].map((i) => reason(broken.run({ do: 'echo', value: i }))));
    assert.deepEqual(outcomes, ['crashed', 'crashed', 'crashed']);
    assert.deepEqual(broken.stats(), { workers: 0, running: 0, queued: 0, replaced: 0 });
  });

  test('a task past its deadline: its worker is terminated and replaced, the next task is answered', async () => {
    const p = pool({ size: 1, timeoutMs: 300 });
    assert.equal(await reason(p.run({ do: 'spin', ms: 60_000 })), 'timeout');
    assert.equal(p.stats().replaced, 1);
    assert.equal(await p.run({ do: 'echo', value: 7 }), 7);
  });

  test('a worker that fills its heap dies alone (memory); the pool goes on', async () => {
    const p = pool({ size: 1, memoryMb: 32 });
    assert.equal(await reason(p.run({ do: 'hog' })), 'memory');
    assert.equal(await p.run({ do: 'echo', value: 8 }), 8);
  });

  test('a refusal and a crash are failures of their task only', async () => {
    const p = pool({ size: 1 });
    assert.equal(await reason(p.run({ do: 'throw' })), 'crashed');
    assert.equal(await reason(p.run({ do: 'exit' })), 'crashed');
    assert.equal(await p.run({ do: 'echo', value: 9 }), 9);
  });

  test('beyond size + queue, tasks are refused at once; close rejects what waits', async () => {
    const p = pool({ size: 1, maxQueue: 1 });
    const running = p.run({ do: 'spin', ms: 1_000 });
    const waiting = p.run({ do: 'echo', value: 1 });
    assert.equal(await reason(p.run({ do: 'echo', value: 2 })), 'busy');
    assert.equal(await running, 'spun');
    assert.equal(await waiting, 1);
    const again = reason(p.run({ do: 'spin', ms: 5_000 }));
    const queued = reason(p.run({ do: 'echo', value: 3 }));
    await p.close();
    assert.deepEqual([await again, await queued], ['closed', 'closed']);
    assert.equal(await reason(p.run({ do: 'echo', value: 4 })), 'closed');
  });
});
