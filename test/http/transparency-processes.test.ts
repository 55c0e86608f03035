/**
 * The sequencer in real server processes (decision 0029): `dancu serve --workers 2` on one store,
 * both processes ticking. Requests spread over both workers each record an access entry with its
 * leaf; the log integrates them all (every leaf once, indexes 0..n-1), every checkpoint the two
 * processes signed verifies and has the naive root of its prefix, and consecutive checkpoints are
 * consistent by the served proofs — one log, not two.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/store/connect.js';
import { createPrincipal } from '../../src/services/principals.js';
import { systemClock } from '../../src/services/clock.js';
import { listCheckpoints } from '../../src/store/repositories/transparency-log.js';
import { formatLeafData } from '../../src/transparency/leaf.js';
import { openCheckpoint } from '../../src/transparency/checkpoint.js';
import { verifierFromKeyString } from '../../src/transparency/keys.js';
import { verifyConsistency } from '../../src/transparency/tree.js';
import { freePort, stopChild } from '../support/child.js';
import { createTestDatabase, type TestDatabase } from '../support/store.js';
import { NaiveTree } from '../transparency/naive.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const REQUESTS = 120;

describe('the transparency log under serve --workers 2', () => {
  let database: TestDatabase;
  let dataDir: string;
  let child: ChildProcess;
  let store: Store;
  let base: string;
  let officer: string;

  before(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'dancu-tlog-procs-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', String(port), '--workers', '2'], {
      cwd: ROOT,
      env: { ...process.env, DANCU_DATABASE_URL: database.url, DANCU_DATA_DIR: dataDir, DANCU_DEMO_CITIZENS: '0', LOG_LEVEL: 'warn', DANCU_RATE_ANONYMOUS: '0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    // Bounded by the machine's load, not by what is tested: workers compile and migrate on start.
    for (let i = 0; i < 1200 && !err.includes('2 server processes'); i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(err, /2 server processes/);
    store = openStore({ url: database.url, poolSize: 2 });
    officer = (await createPrincipal(store, systemClock, 'Log officer', 'officer')).token;
  });
  after(async () => {
    if (child) await stopChild(child);
    await store?.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('both processes sequence one consistent log', async () => {
    // Each read of an unknown person is refused and recorded: an access entry and its leaf.
    await Promise.all(
      Array.from({ length: REQUESTS }, async (_, i) => {
        const res = await fetch(`${base}/citizens/0010900${String(10000 + i).slice(-5)}`, { headers: { authorization: `Bearer ${officer}`, 'x-purpose': 'TEST' } });
        await res.arrayBuffer();
      }),
    );
    const leaves = async () => Number((await store.db.selectFrom('tlog_leaf_ref').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const total = await leaves();
    assert.ok(total >= REQUESTS, `${total} leaves`);
    // Wait (bounded) until a served checkpoint covers them: the processes tick every 200 ms.
    const keys = (await (await fetch(`${base}/transparency/keys`)).json()) as { origin: string; log: string };
    let size = -1;
    for (let i = 0; i < 100 && size < total; i++) {
      const note = await (await fetch(`${base}/transparency/checkpoint`)).text();
      if (note.includes('\n')) size = openCheckpoint(note, [verifierFromKeyString(keys.log)], keys.origin).checkpoint.size;
      if (size < total) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(size >= total, `a checkpoint covers all ${total} leaves (got ${size})`);

    const rows = await store.db.selectFrom('tlog_leaf_ref').select(['kind', 'subject_key', 'ref', 'salt', 'digest', 'idx']).where('idx', 'is not', null).orderBy('idx').execute();
    assert.deepEqual(rows.map((r) => Number(r.idx)), rows.map((_, i) => i));
    const naive = new NaiveTree(rows.map((r) => formatLeafData({ kind: r.kind, subjectKey: r.subject_key, ref: r.ref, salt: r.salt, digest: r.digest })));
    const checkpoints = await listCheckpoints(store.db, 0, rows.length, 100_000);
    let previous: { size: number; root: Buffer } | undefined;
    for (const c of checkpoints) {
      const { checkpoint } = openCheckpoint(c.note, [verifierFromKeyString(keys.log)], keys.origin);
      assert.deepEqual(checkpoint.rootHash, naive.mth(0, c.size));
      if (previous) {
        const proof = (await (await fetch(`${base}/transparency/proof/consistency?from=${previous.size}&to=${c.size}`)).json()) as { hashes: string[] };
        assert.ok(verifyConsistency(previous.size, c.size, proof.hashes.map((h) => Buffer.from(h, 'base64')), previous.root, checkpoint.rootHash));
      }
      previous = { size: c.size, root: checkpoint.rootHash };
    }
  });
});
