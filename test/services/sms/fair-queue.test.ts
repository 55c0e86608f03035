/** The per-number fair queue of the SMS service: round-robin across numbers, one at a time per number, no duplicates. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createFairQueue } from '../../../src/services/sms/fair-queue.js';

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('fair queue', () => {
  test('a backlog of one key does not go ahead of another key: turns alternate', async () => {
    const order: string[] = [];
    const q = createFairQueue<string>(async (item) => {
      order.push(item);
      await tick();
    }, 1);
    for (let i = 0; i < 5; i++) q.push('flood', `f${i}`, `f${i}`);
    q.push('quiet', 'q0', 'q0');
    q.push('other', 'o0', 'o0');
    assert.equal(q.size, 7);
    await q.idle();
    assert.deepEqual(order, ['f0', 'q0', 'o0', 'f1', 'f2', 'f3', 'f4']);
    assert.equal(q.size, 0);
  });

  test('one item per key at a time, several keys at once up to the concurrency', async () => {
    const running = new Map<string, number>();
    let most = 0;
    let mostPerKey = 0;
    const q = createFairQueue<number>(async (_item, key) => {
      running.set(key, (running.get(key) ?? 0) + 1);
      mostPerKey = Math.max(mostPerKey, running.get(key)!);
      most = Math.max(most, [...running.values()].reduce((a, b) => a + b, 0));
      await tick();
      await tick();
      running.set(key, running.get(key)! - 1);
    }, 3);
    for (let i = 0; i < 40; i++) q.push(`k${i % 5}`, `id${i}`, i);
    await q.idle();
    assert.equal(mostPerKey, 1);
    assert.equal(most, 3);
  });

  test('an id queued or running is not queued again; once done it may be', async () => {
    const done: string[] = [];
    const q = createFairQueue<string>(async (item) => {
      await tick();
      done.push(item);
    }, 2);
    assert.equal(q.push('a', 'm1', 'first'), true);
    assert.equal(q.push('a', 'm1', 'again'), false);
    assert.equal(q.push('b', 'm1', 'again elsewhere'), false);
    await q.idle();
    assert.deepEqual(done, ['first']);
    assert.equal(q.push('a', 'm1', 'later'), true);
    await q.idle();
    assert.deepEqual(done, ['first', 'later']);
  });

  test('a failing item does not stop the queue', async () => {
    const done: number[] = [];
    const q = createFairQueue<number>(async (n) => {
      if (n === 1) throw new Error('boom');
      done.push(n);
    }, 1);
    for (const n of [0, 1, 2]) q.push('k', String(n), n);
    await q.idle();
    assert.deepEqual(done, [0, 2]);
  });

  test('idle resolves at once when empty', async () => {
    const q = createFairQueue<number>(async () => undefined, 1);
    await q.idle();
    assert.equal(q.size, 0);
  });

  test('property: everything pushed is served once; each key in its order; a key waits at most one turn of every other key', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.nat(3)), { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 4 }), async (pushes, concurrency) => {
        const served: [string, number][] = [];
        const q = createFairQueue<number>(async (n, key) => {
          served.push([key, n]);
          await tick();
        }, concurrency);
        pushes.forEach(([key], i) => q.push(key, String(i), i));
        await q.idle();
        assert.equal(served.length, pushes.length);
        for (const key of ['a', 'b', 'c', 'd']) {
          const mine = served.filter(([k]) => k === key).map(([, n]) => n);
          assert.deepEqual(mine, [...mine].sort((x, y) => x - y));
        }
        // With one worker and everything pushed at once: between two turns of a key, no other key gets two.
        if (concurrency === 1) {
          for (let i = 0; i < served.length; i++) {
            const key = served[i]![0];
            const next = served.findIndex(([k], j) => j > i && k === key);
            if (next < 0) continue;
            const between = served.slice(i + 1, next).map(([k]) => k);
            assert.equal(new Set(between).size, between.length, JSON.stringify(served));
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
