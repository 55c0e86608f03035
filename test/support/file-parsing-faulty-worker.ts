/**
 * The import's parsing worker with a fault on purpose, for file-parsing's tests: after `after`
 * pieces of input it throws, exits or spins forever (workerData.fault); until then it is the real one.
 */
import { parentPort, workerData } from 'node:worker_threads';

const fault = (workerData as { fault: { after: number; kind: 'throw' | 'exit' | 'spin' } }).fault;
let pieces = 0;
// Registered before the real worker's listener, so it runs first for each piece.
parentPort?.on('message', (m: object) => {
  if (!('bytes' in m) || ++pieces <= fault.after) return;
  if (fault.kind === 'exit') process.exit(3);
  if (fault.kind === 'spin') for (;;);
  throw new Error('a parser fault');
});
await import('../../src/services/subscribers/file-parsing-worker.js');
