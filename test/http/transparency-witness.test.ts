/**
 * Witness pushing (decision 0029) against two real witnesses (`dancu witness serve`'s server,
 * in-process on loopback ports): after the sequencer signs, each witness gets the checkpoint with
 * a consistency proof and its cosignature is stored and published on /transparency/checkpoint;
 * a restarted registry, which believes the witnesses hold nothing, follows their 409 to the size
 * they hold; a receipt carries both cosignatures and verifies with the witness keys.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type App } from '../../src/http/app.js';
import { openRuntime, type Runtime } from '../../src/services/runtime.js';
import { logKeyOf } from '../../src/services/transparency/log-key.js';
import { receiptFor } from '../../src/services/transparency/receipts.js';
import { parseWitnesses } from '../../src/services/transparency/witness-push.js';
import { cosignaturesOf, latestCheckpoint } from '../../src/store/repositories/transparency-log.js';
import { insertLeaves, newLeafId, type PendingLeaf } from '../../src/store/repositories/transparency-leaves.js';
import { openCheckpoint } from '../../src/transparency/checkpoint.js';
import { verifierFromKeyString } from '../../src/transparency/keys.js';
import { formatLeafData, newSalt } from '../../src/transparency/leaf.js';
import { verifyReceipt } from '../../src/transparency/receipt.js';
import { startWitness, type RunningWitness } from '../../src/witness/server.js';
import { createTestDatabase, type TestDatabase } from '../support/store.js';

const ORIGIN = 'registry.test/dancu-log';

function leaf(i: number): PendingLeaf {
  return {
    kind: 'access_entry',
    subjectKey: 'test:witness',
    ref: `${i}-${randomBytes(3).toString('hex')}`,
    salt: newSalt(),
    digest: createHash('sha256').update(String(i)).digest('base64'),
    leafId: newLeafId(new Date().toISOString()),
  };
}

describe('pushing checkpoints to witnesses', () => {
  let database: TestDatabase;
  let dir: string;
  let logKeyFile: string;
  let logVerifierKey: string;
  const witnesses: RunningWitness[] = [];
  let rt: Runtime | undefined;
  let app: App | undefined;

  const open = async (): Promise<Runtime> =>
    openRuntime({
      databaseUrl: database.url,
      dataDir: join(dir, 'registry'),
      pgPoolSize: 4,
      logKeyFile,
      logOrigin: ORIGIN,
      witnesses: parseWitnesses(witnesses.map((w) => `${w.url} ${w.witness.verifierKey}`).join(',\n')),
    });

  async function sequenceLeaves(r: Runtime, n: number): Promise<void> {
    const leaves = Array.from({ length: n }, (_, i) => leaf(i));
    await r.store.transaction((tx) => insertLeaves(tx, leaves));
    const sequencer = r.log.startSequencer({ intervalMs: 20 });
    await sequencer.flush();
    await r.log.witnessesIdle();
  }

  before(async () => {
    database = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'dancu-witness-push-'));
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    logKeyFile = join(dir, 'log.pem');
    writeFileSync(logKeyFile, pem, { mode: 0o600 });
    logVerifierKey = logKeyOf(ORIGIN, (await import('node:crypto')).createPrivateKey(pem)).verifierKey;
    for (const name of ['inspectorate.test/witness', 'ministry.test/witness']) {
      const wdir = mkdtempSync(join(dir, 'w-'));
      const configFile = join(wdir, 'config.json');
      writeFileSync(configFile, JSON.stringify({ name, logs: [{ origin: ORIGIN, keys: [logVerifierKey] }] }));
      witnesses.push(await startWitness({ dataDir: join(wdir, 'data'), configFile, port: 0, host: '127.0.0.1' }));
    }
  });
  after(async () => {
    await app?.close();
    await rt?.close();
    for (const w of witnesses) await w.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('each signed checkpoint is cosigned by both witnesses and published with their lines', async () => {
    rt = await open();
    await sequenceLeaves(rt, 300);
    const latest = (await latestCheckpoint(rt.store.db))!;
    assert.ok(latest.size >= 300);
    const lines = await cosignaturesOf(rt.store.db, latest.size);
    assert.deepEqual(lines.map((l) => l.witness), ['inspectorate.test/witness', 'ministry.test/witness']);

    app = await buildApp({ ctx: rt.ctx, catalogue: rt.catalogue, keys: rt.keys, publicUrl: 'http://registry.test', version: 'test', logLevel: 'silent' });
    const res = await app.inject({ method: 'GET', url: '/transparency/checkpoint' });
    assert.equal(res.statusCode, 200);
    const verifiers = [verifierFromKeyString(logVerifierKey), ...witnesses.map((w) => verifierFromKeyString(w.witness.verifierKey))];
    const opened = openCheckpoint(res.body, verifiers, ORIGIN);
    assert.equal(opened.checkpoint.size, latest.size);
    assert.deepEqual(opened.note.verifiedBy, [ORIGIN, 'inspectorate.test/witness', 'ministry.test/witness']);
    const keys = JSON.parse((await app.inject({ method: 'GET', url: '/transparency/keys' })).body);
    assert.deepEqual(keys.witnesses.map((w: { key: string }) => w.key), witnesses.map((w) => w.witness.verifierKey));
    assert.equal(keys.log, logVerifierKey);
  });

  test('a restarted registry follows the witnesses\' 409 to the size they hold', async () => {
    await app?.close();
    app = undefined;
    await rt!.close();
    rt = await open(); // its pushers believe the witnesses hold nothing: "old 0" is answered 409
    const statuses: number[] = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = async (...args: Parameters<typeof fetch>) => {
      const res = await realFetch(...args);
      if (String(args[0]).endsWith('/add-checkpoint')) statuses.push(res.status);
      return res;
    };
    try {
      await sequenceLeaves(rt, 200);
    } finally {
      globalThis.fetch = realFetch;
    }
    assert.deepEqual(statuses.slice(0, 4).sort(), [200, 200, 409, 409], `each witness: 409, then 200 (${statuses.join(', ')})`);
    const latest = (await latestCheckpoint(rt.store.db))!;
    const lines = await cosignaturesOf(rt.store.db, latest.size);
    assert.equal(lines.length, 2, `both witnesses cosigned size ${latest.size}`);
  });

  test('a receipt carries the cosignatures and verifies with the witness keys', async () => {
    const any = await rt!.store.db.selectFrom('tlog_leaf_ref').selectAll().where('idx', '=', 123).executeTakeFirstOrThrow();
    const text = await receiptFor(rt!.ctx, any.kind, any.subject_key, any.ref);
    const result = verifyReceipt(text, {
      leafData: formatLeafData({ kind: any.kind, subjectKey: any.subject_key, ref: any.ref, salt: any.salt, digest: any.digest }),
      origin: ORIGIN,
      logKeys: [verifierFromKeyString(logVerifierKey)],
      witnessKeys: witnesses.map((w) => verifierFromKeyString(w.witness.verifierKey)),
      minWitnesses: 2,
    });
    assert.deepEqual(result.reasons, []);
    assert.deepEqual(result.witnesses.sort(), ['inspectorate.test/witness', 'ministry.test/witness']);
  });
});
