/** A worker for the pool's own tests: echoes, spins, crashes or fills its heap on request. */
import { parentPort } from 'node:worker_threads';
import type { WorkerReply } from '../../src/services/workers/pool.js';

type Task = { do: 'echo'; value: number } | { do: 'spin'; ms: number } | { do: 'throw' } | { do: 'exit' } | { do: 'hog' };

if (parentPort) {
  const port = parentPort;
  port.on('message', ({ id, task }: { id: number; task: Task }) => {
    if (task.do === 'echo') return port.postMessage({ id, ok: true, value: task.value } satisfies WorkerReply);
    if (task.do === 'spin') {
      const until = Date.now() + task.ms;
      while (Date.now() < until);
      return port.postMessage({ id, ok: true, value: 'spun' } satisfies WorkerReply);
    }
    if (task.do === 'throw') return port.postMessage({ id, ok: false, message: 'refused' } satisfies WorkerReply);
    if (task.do === 'exit') process.exit(3);
    // Objects on the V8 heap until the worker's resourceLimits stop it.
    const hoard: unknown[] = [];
    for (;;) hoard.push({ a: Math.random(), b: [1, 2, 3], c: 'x'.repeat(16) + hoard.length });
  });
  port.postMessage({ ready: true } satisfies WorkerReply);
}
