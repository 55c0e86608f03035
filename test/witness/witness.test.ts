/**
 * The witness over real HTTP on loopback: a log built here with the pure code pushes checkpoints,
 * gets cosignatures that verify, and a forked log, a stale old size, a bad signature and a
 * restart are handled as C2SP tlog-witness says.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { formatCheckpoint } from '../../src/transparency/checkpoint.js';
import { verifyCosignature } from '../../src/transparency/cosignature.js';
import { leafHash, type Hash } from '../../src/transparency/hash.js';
import { verifierFromKeyString } from '../../src/transparency/keys.js';
import { addSignatures, ed25519PublicKeyRaw, ed25519Signer, ed25519Verifier, openNote, parseVerifierKey, signNote, verifierKeyString } from '../../src/transparency/note.js';
import { buildTiles, hashReaderFromTiles } from '../../src/transparency/tiles.js';
import { consistencyProof, rootAt, type HashReader } from '../../src/transparency/tree.js';
import {
  formatAddCheckpointRequest,
  parseCosignatureResponse,
  parseSizeResponse,
  TLOG_SIZE_CONTENT_TYPE,
} from '../../src/transparency/witness-protocol.js';
import { startWitness, type RunningWitness } from '../../src/witness/server.js';
import { exitOf, freePort } from '../support/child.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const ORIGIN = 'registry.example.vn/dancu-log';
const WITNESS_NAME = 'thanhtra.example.vn/witness';
const NOW = 1_780_000_000;

/** A log as the registry keeps it: leaf hashes in tiles, a signing key. */
class TestLog {
  readonly tiles = new Map<string, Buffer>();
  size = 0;
  readonly read: HashReader = hashReaderFromTiles((l, i) => this.tiles.get(`${l}/${i}`));
  constructor(readonly key: KeyObject, readonly tag: (i: number) => string) {}

  grow(to: number): void {
    const batch: Hash[] = [];
    for (let i = this.size; i < to; i++) batch.push(leafHash(Buffer.from(this.tag(i))));
    for (const t of buildTiles(this.size, batch, (l, i) => this.tiles.get(`${l}/${i}`))) this.tiles.set(`${t.level}/${t.index}`, t.hashes);
    this.size = to;
  }

  async checkpoint(): Promise<{ body: string; note: string }> {
    const body = formatCheckpoint({ origin: ORIGIN, size: this.size, rootHash: await rootAt(this.size, this.read) });
    return { body, note: signNote(body, [ed25519Signer(ORIGIN, this.key)]) };
  }

  async request(old: number): Promise<{ body: string; note: string; request: string }> {
    const cp = await this.checkpoint();
    return { ...cp, request: formatAddCheckpointRequest(old, await consistencyProof(old, this.size, this.read), cp.note) };
  }
}

async function post(url: string, body: string): Promise<{ status: number; type: string; text: string }> {
  const res = await fetch(new URL('add-checkpoint', url), { method: 'POST', body, headers: { 'content-type': 'text/plain' } });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

describe('dancu witness over HTTP', () => {
  const logKeys = generateKeyPairSync('ed25519');
  const logVkey = verifierKeyString(ORIGIN, ed25519PublicKeyRaw(logKeys.publicKey));
  const honest = new TestLog(logKeys.privateKey, (i) => `entry ${i}`);
  let dir: string;
  let configFile: string;
  let w: RunningWitness;
  const start = () => startWitness({ dataDir: join(dir, 'data'), configFile, port: 0, host: '127.0.0.1', now: () => NOW });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dancu-witness-'));
    configFile = join(dir, 'witness.json');
    writeFileSync(configFile, JSON.stringify({ name: WITNESS_NAME, logs: [{ origin: ORIGIN, keys: [logVkey] }] }));
    w = await start();
  });
  after(async () => {
    await w.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function checkCosigned(res: { status: number; text: string }, body: string, note: string): void {
    assert.equal(res.status, 200, res.text);
    const lines = parseCosignatureResponse(res.text);
    assert.equal(lines.length, 1);
    const raw = parseVerifierKey(w.witness.verifierKey).publicKey;
    assert.deepEqual(verifyCosignature(body, lines[0] as string, { name: WITNESS_NAME, publicKey: raw }), { ok: true, timestamp: NOW });
    // A client concatenates the lines to the checkpoint and opens it with the witness's key string.
    const opened = openNote(addSignatures(note, lines), [ed25519Verifier(ORIGIN, logKeys.publicKey), verifierFromKeyString(w.witness.verifierKey)]);
    assert.deepEqual(opened.verifiedBy, [ORIGIN, WITNESS_NAME]);
  }

  it('cosigns 0 → 5 → 100 → 1000, each consistent with the last', async () => {
    let old = 0;
    for (const size of [5, 100, 1000]) {
      honest.grow(size);
      const { body, note, request } = await honest.request(old);
      checkCosigned(await post(w.url, request), body, note);
      old = size;
    }
    const state = JSON.parse(readFileSync(join(dir, 'data', 'state.json'), 'utf8'));
    assert.equal(state.logs[ORIGIN].size, 1000);
  });

  it('refuses a forked log (same origin and key, another leaf at index 3) with 422', async () => {
    const fork = new TestLog(logKeys.privateKey, (i) => (i === 3 ? 'forged entry 3' : `entry ${i}`));
    fork.grow(1200);
    const res = await post(w.url, (await fork.request(1000)).request);
    assert.equal(res.status, 422, res.text);
    // The fork at the very size the witness holds: same size, another root.
    const forkAt1000 = new TestLog(logKeys.privateKey, (i) => (i === 3 ? 'forged entry 3' : `entry ${i}`));
    forkAt1000.grow(1000);
    assert.equal((await post(w.url, (await forkAt1000.request(1000)).request)).status, 409);
    // The honest log goes on.
    honest.grow(1200);
    const { body, note, request } = await honest.request(1000);
    checkCosigned(await post(w.url, request), body, note);
  });

  it('answers a stale old size with 409 and the size it holds (text/x.tlog.size)', async () => {
    const { request } = await honest.request(5);
    const res = await post(w.url, request);
    assert.equal(res.status, 409);
    assert.equal(res.type, TLOG_SIZE_CONTENT_TYPE);
    assert.equal(parseSizeResponse(res.text), 1200);
    // The client learns the size with old 0, as the spec suggests.
    const probe = await post(w.url, (await honest.checkpoint()).note.replace(/^/, 'old 0\n\n'));
    assert.equal(probe.status, 409);
    assert.equal(parseSizeResponse(probe.text), 1200);
  });

  it('refuses a bad signature (403), an unknown origin (404), and malformed or backwards requests (400)', async () => {
    const stranger = generateKeyPairSync('ed25519');
    const body = formatCheckpoint({ origin: ORIGIN, size: 1200, rootHash: await rootAt(1200, honest.read) });
    const forged = signNote(body, [ed25519Signer(ORIGIN, stranger.privateKey)]);
    assert.equal((await post(w.url, formatAddCheckpointRequest(1200, [], forged))).status, 403);
    const tampered = (await honest.checkpoint()).note.replace('\n1200\n', '\n1201\n');
    assert.equal((await post(w.url, formatAddCheckpointRequest(1200, [], tampered))).status, 403);
    const otherLog = signNote(formatCheckpoint({ origin: 'other.example/log', size: 1, rootHash: leafHash(Buffer.from('x')) }), [ed25519Signer('other.example/log', stranger.privateKey)]);
    assert.equal((await post(w.url, formatAddCheckpointRequest(0, [], otherLog))).status, 404);
    assert.equal((await post(w.url, 'hello')).status, 400);
    assert.equal((await post(w.url, '')).status, 400);
    assert.equal((await post(w.url, formatAddCheckpointRequest(1300, [], (await honest.checkpoint()).note))).status, 400);
    const same = await honest.request(1200);
    assert.equal((await post(w.url, same.request)).status, 200, 'the same checkpoint again is cosigned again');
    const sameWithProof = formatAddCheckpointRequest(1200, [leafHash(Buffer.from('x'))], same.note);
    assert.equal((await post(w.url, sameWithProof)).status, 422);
    const info = await (await fetch(w.url)).text();
    assert.match(info, new RegExp(w.witness.verifierKey.replace(/[+/]/g, '\\$&')));
  });

  it('serialises concurrent add-checkpoints for one log: one wins, the others get 409, and state never goes back', async () => {
    const sizes = [1300, 1400, 1500, 1600, 1700];
    const requests: string[] = [];
    for (const s of sizes) {
      honest.grow(s);
      requests.push((await honest.request(1200)).request);
    }
    const results = await Promise.all(requests.map((r) => post(w.url, r)));
    const won = results.filter((r) => r.status === 200);
    assert.equal(won.length, 1);
    assert.ok(results.every((r) => r.status === 200 || (r.status === 409 && r.type === TLOG_SIZE_CONTENT_TYPE)));
    const held = JSON.parse(readFileSync(join(dir, 'data', 'state.json'), 'utf8')).logs[ORIGIN].size;
    assert.ok(sizes.includes(held));
    for (const r of results.filter((x) => x.status === 409)) assert.equal(parseSizeResponse(r.text), held);
  });

  it('keeps its key and state across a restart; its files are private', async () => {
    const key = w.witness.verifierKey;
    const held = JSON.parse(readFileSync(join(dir, 'data', 'state.json'), 'utf8')).logs[ORIGIN].size as number;
    await w.close();
    w = await start();
    assert.equal(w.witness.verifierKey, key);
    const res = await post(w.url, (await honest.request(0)).request);
    assert.equal(res.status, 409);
    assert.equal(parseSizeResponse(res.text), held);
    honest.grow(1800);
    const { body, note, request } = await honest.request(held);
    checkCosigned(await post(w.url, request), body, note);
    for (const f of ['state.json', 'witness-ed25519.pem']) assert.equal(statSync(join(dir, 'data', f)).mode & 0o777, 0o600, f);
  });

  it('refuses a second witness on the same data directory', async () => {
    // The running witness holds the lock with this process's pid; another live pid must be refused.
    const lock = join(dir, 'data', 'witness.lock');
    const saved = readFileSync(lock, 'utf8');
    writeFileSync(lock, String(process.ppid));
    await assert.rejects(start(), /another witness/);
    writeFileSync(lock, saved);
  });
});

describe('witness configuration', () => {
  it('refuses a configuration it cannot use, naming the problem', async () => {
    const { parseWitnessConfig } = await import('../../src/witness/config.js');
    const k = verifierKeyString(ORIGIN, Buffer.alloc(32, 1));
    const cosigKey = verifierKeyString('w.example', Buffer.alloc(32, 1), 4);
    assert.equal(parseWitnessConfig(JSON.stringify({ name: 'w.example', logs: [{ origin: ORIGIN, keys: [k] }] })).logs.size, 1);
    for (const [bad, msg] of [
      ['not json', /not JSON/],
      ['[]', /"name"/],
      [JSON.stringify({ name: 'has space', logs: [] }), /"name"/],
      [JSON.stringify({ name: 'w.example', logs: [] }), /"logs"/],
      [JSON.stringify({ name: 'w.example', logs: [{ origin: '', keys: [k] }] }), /origin/],
      [JSON.stringify({ name: 'w.example', logs: [{ origin: ORIGIN, keys: [] }] }), /keys/],
      [JSON.stringify({ name: 'w.example', logs: [{ origin: ORIGIN, keys: ['nonsense'] }] }), /keys\[0\]/],
      [JSON.stringify({ name: 'w.example', logs: [{ origin: ORIGIN, keys: [cosigKey] }] }), /type 0x01/],
      [JSON.stringify({ name: 'w.example', logs: [{ origin: ORIGIN, keys: [k] }, { origin: ORIGIN, keys: [k] }] }), /twice/],
    ] as const) {
      assert.throws(() => parseWitnessConfig(bad), msg as RegExp, bad);
    }
  });
});

describe('dancu witness (CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dancu-witness-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DANCU_WITNESS_CONFIG: '' } });

  it('witness key prints the same verifier key every time, of type 0x04', () => {
    const a = cli('witness', 'key', '--data-dir', join(dir, 'd'), '--name', WITNESS_NAME);
    assert.equal(a.status, 0, a.stderr);
    const key = a.stdout.trim();
    assert.equal(parseVerifierKey(key).type, 4);
    assert.equal(parseVerifierKey(key).name, WITNESS_NAME);
    assert.equal(cli('witness', 'key', '--data-dir', join(dir, 'd'), '--name', WITNESS_NAME).stdout.trim(), key);
    assert.notEqual(cli('witness', 'key', '--data-dir', join(dir, 'd'), '--name', 'bad name').status, 0);
    assert.match(cli('witness', 'serve', '--help').stdout, /--config <file>[\s\S]*DANCU_WITNESS_CONFIG/);
    assert.match(cli('witness', 'serve', '--data-dir', join(dir, 'd')).stderr, /--config/);
  });

  it('witness serve answers add-checkpoint and stops on SIGTERM', async () => {
    const logKeys = generateKeyPairSync('ed25519');
    const config = join(dir, 'w.json');
    writeFileSync(config, JSON.stringify({ name: WITNESS_NAME, logs: [{ origin: ORIGIN, keys: [verifierKeyString(ORIGIN, ed25519PublicKeyRaw(logKeys.publicKey))] }] }));
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'witness', 'serve', '--port', String(port), '--data-dir', join(dir, 'd'), '--config', config], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d) => {
          out += String(d);
          if (out.includes('verifier key:')) resolve();
        });
        child.once('exit', () => reject(new Error(`witness exited: ${out}`)));
      });
      const log = new TestLog(logKeys.privateKey, (i) => `cli ${i}`);
      log.grow(7);
      const res = await post(`http://127.0.0.1:${port}/`, (await log.request(0)).request);
      assert.equal(res.status, 200, res.text);
    } finally {
      child.kill('SIGTERM');
      assert.equal(await exitOf(child), 0);
    }
  });
});
