/**
 * The log key and origin, and the witness list (decision 0029): the key file is created owner-only
 * and reused; the origin defaults to the public URL's host, is kept once signed, and a configured
 * origin that differs from the stored one is refused; DANCU_WITNESSES entries are checked.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultOrigin, loadLogKey, LOG_KEY_FILE_NAME } from '../../src/services/transparency/log-key.js';
import { integratePending } from '../../src/services/transparency/sequencer.js';
import { parseWitnesses } from '../../src/services/transparency/witness-push.js';
import { loadConfig } from '../../src/config.js';
import { cosigner } from '../../src/transparency/cosignature.js';
import { verifierKeyString, SIG_TYPE_COSIGNATURE_V1 } from '../../src/transparency/note.js';
import { openTestRuntime, type TestRuntime } from '../support/store.js';

describe('the log key and origin', () => {
  let rt: TestRuntime;
  before(async () => {
    rt = await openTestRuntime();
  });
  after(async () => {
    await rt?.dropDatabase();
  });

  test('the default origin is the public URL\'s host', () => {
    assert.equal(defaultOrigin('https://dancu.gov.example:8443/x'), 'dancu.gov.example:8443/dancu-log');
    assert.equal(defaultOrigin(undefined), 'localhost/dancu-log');
  });

  test('the key file is created owner-only and the same key is loaded again', async () => {
    const file = join(rt.dataDir, 'keys', LOG_KEY_FILE_NAME);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const again = await loadLogKey(rt.store, { dataDir: rt.dataDir, origin: rt.log.key.origin });
    assert.equal(again.verifierKey, rt.log.key.verifierKey);
  });

  test('once signed, the origin is kept: a restart on another URL keeps it, another configured origin is refused', async () => {
    const signed = await loadLogKey(rt.store, { dataDir: rt.dataDir, origin: 'registry.test/dancu-log' });
    await integratePending(rt.ctx, signed);
    const restarted = await loadLogKey(rt.store, { dataDir: rt.dataDir, publicUrl: 'http://other-host:4000' });
    assert.equal(restarted.origin, 'registry.test/dancu-log');
    await assert.rejects(loadLogKey(rt.store, { dataDir: rt.dataDir, origin: 'elsewhere.test/log' }), /keeps its origin/);
  });

  test('a given key file is used, and one that is not Ed25519 is refused', async () => {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const file = join(rt.dataDir, 'given.pem');
    writeFileSync(file, pem);
    const given = await loadLogKey(rt.store, { dataDir: rt.dataDir, keyFile: file });
    assert.notEqual(given.verifierKey, rt.log.key.verifierKey);
    const rsa = join(rt.dataDir, 'rsa.pem');
    writeFileSync(rsa, generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    await assert.rejects(loadLogKey(rt.store, { dataDir: rt.dataDir, keyFile: rsa }), /Ed25519/);
  });
});

describe('DANCU_WITNESSES', () => {
  const w = cosigner('inspectorate.test/witness', generateKeyPairSync('ed25519').privateKey);
  const key = verifierKeyString(w.name, w.publicKey, SIG_TYPE_COSIGNATURE_V1);

  test('entries by comma or newline; the URL loses its trailing slash', () => {
    const list = parseWitnesses(`http://w1.test:4000/ ${key},\n https://w2.test/prefix ${key}`);
    assert.deepEqual(list.map((x) => [x.url, x.name]), [['http://w1.test:4000', w.name], ['https://w2.test/prefix', w.name]]);
    assert.deepEqual(parseWitnesses(''), []);
    assert.deepEqual(loadConfig({}).witnesses, []);
  });

  test('bad entries are refused with their position', () => {
    assert.throws(() => parseWitnesses(`http://w1.test ${key}, ftp://w2.test ${key}`), /entry 2: the URL/);
    assert.throws(() => parseWitnesses('http://w1.test'), /entry 1: expected/);
    assert.throws(() => parseWitnesses(`http://w1.test ${key.replace(/\+[0-9a-f]{8}\+/, '+00000000+')}`), /entry 1: key ID/);
    const logKey = verifierKeyString('log.test', w.publicKey);
    assert.throws(() => parseWitnesses(`http://w1.test ${logKey}`), /type 0x04/);
    assert.throws(() => loadConfig({ DANCU_WITNESSES: 'nonsense' }), /DANCU_WITNESSES/);
  });
});
