import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatCheckpoint } from '../../src/transparency/checkpoint.js';
import { cosign, cosignatureVerifier, cosigner } from '../../src/transparency/cosignature.js';
import { TlogError } from '../../src/transparency/errors.js';
import { leafHash } from '../../src/transparency/hash.js';
import { addSignatures, ed25519Signer, ed25519Verifier, signNote } from '../../src/transparency/note.js';
import { formatProof, parseProof, verifyReceipt } from '../../src/transparency/receipt.js';
import { inclusionProof } from '../../src/transparency/tree.js';
import {
  formatAddCheckpointRequest,
  formatSizeResponse,
  interpretAddCheckpointResponse,
  parseAddCheckpointRequest,
  parseCosignatureResponse,
  parseSizeResponse,
} from '../../src/transparency/witness-protocol.js';
import { leafData, NaiveTree } from './naive.js';

const isTlogError = (e: unknown): boolean => e instanceof TlogError;
const ORIGIN = 'registry.example.vn/access-log';
const logPair = generateKeyPairSync('ed25519');
const logSigner = ed25519Signer(ORIGIN, logPair.privateKey);
const logKey = ed25519Verifier(ORIGIN, logPair.publicKey);
const wPairs = [0, 1, 2].map(() => generateKeyPairSync('ed25519'));
const witnesses = wPairs.map((p, i) => cosigner(`witness${i}.example`, p.privateKey));
const witnessKeys = wPairs.map((p, i) => cosignatureVerifier(`witness${i}.example`, p.publicKey));

const data = leafData(300, 'entry');
const tree = new NaiveTree(data);

async function receiptFor(index: number, size: number, cosigners = witnesses, extra?: Buffer): Promise<string> {
  const body = formatCheckpoint({ origin: ORIGIN, size, rootHash: tree.mth(0, size) });
  let note = signNote(body, [logSigner]);
  note = addSignatures(note, cosigners.map((w) => cosign(body, 1_780_000_000, w)));
  const proof = await inclusionProof(index, size, tree.reader);
  return formatProof(extra === undefined ? { index, proof, checkpoint: note } : { extra, index, proof, checkpoint: note });
}

describe('receipts (C2SP tlog-proof)', () => {
  it('formats as the spec shows and verifies offline', async () => {
    const text = await receiptFor(5, 200, witnesses, Buffer.from('ctx'));
    const lines = text.split('\n');
    assert.equal(lines[0], 'c2sp.org/tlog-proof@v1');
    assert.equal(lines[1], `extra ${Buffer.from('ctx').toString('base64')}`);
    assert.equal(lines[2], 'index 5');
    const parsed = parseProof(text);
    assert.equal(parsed.index, 5);
    assert.equal(parsed.extra?.toString(), 'ctx');
    assert.equal(parsed.proof.length, 8);
    const r = verifyReceipt(text, { leafData: data[5], origin: ORIGIN, logKeys: [logKey], witnessKeys, minWitnesses: 3 });
    assert.deepEqual(r, { ok: true, index: 5, size: 200, witnesses: ['witness0.example', 'witness1.example', 'witness2.example'], reasons: [] });
    assert.equal(verifyReceipt(text, { leafHash: leafHash(data[5] as Buffer), origin: ORIGIN, logKeys: [logKey] }).ok, true);
  });

  it('says why a receipt fails', async () => {
    const text = await receiptFor(7, 100, witnesses.slice(0, 1));
    const base = { origin: ORIGIN, logKeys: [logKey], witnessKeys };
    const check = (over: object) => verifyReceipt(text, { ...base, leafData: data[7], ...over });
    assert.match(check({ leafData: data[8] }).reasons.join(), /inclusion proof/);
    assert.match(check({ leafData: undefined }).reasons.join(), /no entry/);
    assert.match(check({ minWitnesses: 2 }).reasons.join(), /1 of 2 required witnesses/);
    assert.match(check({ origin: 'other.example/log' }).reasons.join(), /origin/);
    const stranger = ed25519Verifier(ORIGIN, generateKeyPairSync('ed25519').publicKey);
    assert.match(check({ logKeys: [stranger] }).reasons.join(), /unverified|not signed by the log/);
    // Signed by a witness only (the log key unknown): refused.
    assert.match(check({ logKeys: [] }).reasons.join(), /not signed by the log/);
    assert.equal(verifyReceipt('nonsense', { ...base, leafData: data[7] }).ok, false);
    assert.match(verifyReceipt(text.replace('index 7', 'index 6'), { ...base, leafData: data[7] }).reasons.join(), /inclusion proof/);
    assert.match(verifyReceipt(text.replace('\n100\n', '\n101\n'), { ...base, leafData: data[7] }).reasons.join(), /bad-signature/);
  });

  it('refuses malformed receipts with a TlogError', async () => {
    const good = await receiptFor(1, 3);
    for (const bad of [
      good.replace('c2sp.org/tlog-proof@v1', 'c2sp.org/tlog-proof@v2'),
      good.replace('index 1', 'index 01'),
      good.replace('index 1', 'index'),
      good.replace('index 1', 'extra !!\nindex 1'),
      good.replace('index 1\n', 'index 1\nAAAA\n'),
      good.replace('index 1\n', ''),
      good.replace('\n\n', '\n'),
      good.slice(0, -1),
    ]) {
      assert.throws(() => parseProof(bad), isTlogError, JSON.stringify(bad.slice(0, 80)));
      assert.equal(verifyReceipt(bad, { leafData: data[1], origin: ORIGIN, logKeys: [logKey] }).ok, false);
    }
    assert.throws(() => formatProof({ index: -1, proof: [], checkpoint: 'x\n\n— a AAAAAAA=\n' }), isTlogError);
    assert.throws(() => formatProof({ index: 0, proof: [Buffer.alloc(3)], checkpoint: 'x\n\n— a AAAAAAA=\n' }), isTlogError);
    assert.throws(() => formatProof({ index: 0, proof: [], checkpoint: 'not a note' }), isTlogError);
  });

  it('round-trips and every one-character change is refused or changes nothing it claims', async () => {
    const receipts = await Promise.all([[0, 1], [3, 17], [150, 299]].map(([i, n]) => receiptFor(i as number, n as number)));
    fc.assert(
      fc.property(fc.constantFrom(...receipts.map((r, k) => [r, k] as const)), fc.nat(), fc.constantFrom('0', 'A', '\n', ' ', '=', '+'), ([text, k], at0, ch) => {
        const idx = [0, 3, 150][k] as number;
        const p = parseProof(text);
        assert.equal(formatProof(p), text);
        const at = at0 % text.length;
        const mutated = text.slice(0, at) + ch + text.slice(at + 1);
        if (mutated === text) return;
        let parsed;
        try {
          parsed = parseProof(mutated);
        } catch (e) {
          if (!isTlogError(e)) throw e;
          return;
        }
        const r = verifyReceipt(mutated, { leafData: data[idx], origin: ORIGIN, logKeys: [logKey], witnessKeys, minWitnesses: 3 });
        // A mutation that still verifies must claim the same entry in the same checkpoint.
        if (r.ok) assert.equal(parsed.index, idx);
      }),
      { numRuns: 1500 },
    );
  });
});

describe('add-checkpoint bodies (C2SP tlog-witness)', () => {
  it('round-trip', async () => {
    const body = formatCheckpoint({ origin: ORIGIN, size: 10, rootHash: tree.mth(0, 10) });
    const note = signNote(body, [logSigner]);
    const proof = tree.proof(4, 10);
    const req = formatAddCheckpointRequest(4, proof, note);
    assert.ok(req.startsWith('old 4\n'));
    const parsed = parseAddCheckpointRequest(req);
    assert.equal(parsed.oldSize, 4);
    assert.deepEqual(parsed.proof.map((h) => h.toString('hex')), proof.map((h) => h.toString('hex')));
    assert.equal(parsed.note, note);
    assert.equal(parseAddCheckpointRequest(formatAddCheckpointRequest(0, [], note)).proof.length, 0);
    const line = cosign(body, 5, witnesses[0]!);
    assert.deepEqual(parseCosignatureResponse(line + line), [line, line]);
    assert.equal(parseSizeResponse(formatSizeResponse(42)), 42);
  });

  it('interprets witness answers for the log side', () => {
    const body = formatCheckpoint({ origin: ORIGIN, size: 1, rootHash: tree.mth(0, 1) });
    const line = cosign(body, 5, witnesses[0]!);
    assert.deepEqual(interpretAddCheckpointResponse(200, 'text/plain', line), { kind: 'cosigned', lines: [line] });
    assert.deepEqual(interpretAddCheckpointResponse(200, 'text/plain', 'oops'), { kind: 'refused', status: 200, message: 'the witness answered 200 without signature lines' });
    assert.deepEqual(interpretAddCheckpointResponse(409, 'text/x.tlog.size; charset=utf-8', '17\n'), { kind: 'conflict', size: 17 });
    assert.deepEqual(interpretAddCheckpointResponse(409, 'TEXT/X.TLOG.SIZE', '17\n'), { kind: 'conflict', size: 17 });
    assert.deepEqual(interpretAddCheckpointResponse(409, 'text/x.tlog.size', 'x\n'), { kind: 'refused', status: 409, message: 'x' });
    assert.deepEqual(interpretAddCheckpointResponse(409, 'text/plain', 'same size, different root hash\n'), { kind: 'refused', status: 409, message: 'same size, different root hash' });
    assert.deepEqual(interpretAddCheckpointResponse(422, undefined, 'no\n'), { kind: 'refused', status: 422, message: 'no' });
  });

  it('refuse malformed bodies', () => {
    const note = signNote('o\n1\n' + Buffer.alloc(32).toString('base64') + '\n', [logSigner]);
    const h = Buffer.alloc(32).toString('base64');
    for (const bad of [
      `old 01\n\n${note}`, `old\n\n${note}`, `new 1\n\n${note}`, `old 1\n${h}\n${note}`, `old 1\nAAAA\n\n${note}`, `old 1\n\nnot a note`,
      `old 1\n${`${h}\n`.repeat(64)}\n${note}`, `old -1\n\n${note}`,
    ]) {
      assert.throws(() => parseAddCheckpointRequest(bad), isTlogError, JSON.stringify(bad.slice(0, 40)));
    }
    assert.ok(parseAddCheckpointRequest(`old 1\n${`${h}\n`.repeat(63)}\n${note}`));
    assert.throws(() => formatAddCheckpointRequest(-1, [], note), isTlogError);
    assert.throws(() => formatAddCheckpointRequest(1, Array(64).fill(Buffer.alloc(32)), note), isTlogError);
    for (const bad of ['', '\n', 'x\n', '— a b']) assert.throws(() => parseCosignatureResponse(bad), isTlogError);
    for (const bad of ['', '1', '01\n', 'x\n']) assert.throws(() => parseSizeResponse(bad), isTlogError);
  });
});
