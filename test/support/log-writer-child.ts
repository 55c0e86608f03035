/**
 * Another process on the test's store (test/services/transparency-sequencer.test.ts): commits
 * pending leaves in many small transactions while integrating them, as a second server process
 * would. On SQLite two connections in one process cannot overlap transactions (the busy wait is
 * synchronous), so the second integrator must be a process of its own.
 *   node --import tsx test/support/log-writer-child.ts <database URL> <data dir> <tag> <transactions> <leaves per transaction>
 * Prints "done <leaves written>" and exits 0.
 */
import { createHash, randomBytes } from 'node:crypto';
import { openRuntime } from '../../src/services/runtime.js';
import { integratePending } from '../../src/services/transparency/sequencer.js';
import { insertLeaves, newLeafId } from '../../src/store/repositories/transparency-leaves.js';
import { newSalt } from '../../src/transparency/leaf.js';

const [url, dataDir, tag, txns, perTxn] = process.argv.slice(2) as [string, string, string, string, string];
const rt = await openRuntime({ databaseUrl: url, dataDir, pgPoolSize: 4 });
let writing = true;
let written = 0;
const writer = (async () => {
  for (let t = 0; t < Number(txns); t++) {
    const leaves = Array.from({ length: Number(perTxn) }, (_, i) => ({
      kind: 'access_entry',
      subjectKey: `child:${tag}`,
      ref: `${t}-${i}-${randomBytes(4).toString('hex')}`,
      salt: newSalt(),
      digest: createHash('sha256').update(`${tag}/${t}/${i}`).digest('base64'),
      leafId: newLeafId(new Date().toISOString()),
    }));
    await rt.store.transaction((tx) => insertLeaves(tx, leaves));
    written += leaves.length;
    // Let the integrator in between (and the other process).
    await new Promise((r) => setTimeout(r, 1));
  }
})();
const integrator = (async () => {
  while (writing) {
    await integratePending(rt.ctx, rt.log.key, { batch: 89 });
    await new Promise((r) => setTimeout(r, 2));
  }
})();
await writer;
writing = false;
await integrator;
await rt.close();
process.stdout.write(`done ${written}\n`);
