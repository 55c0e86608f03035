/**
 * Boundaries and refusals of the transparency formats, one by one: each assertion pins a limit or
 * a check that the broader property tests could pass by chance (found by mutation testing).
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, it } from 'node:test';
import { decodeBase64Strict, parseDecimal } from '../../src/transparency/base64.js';
import { formatCheckpoint, openCheckpoint, parseCheckpoint } from '../../src/transparency/checkpoint.js';
import { cosign, cosignatureMessage, cosignatureVerifier, cosigner, parseCosignatureBytes, verifyCosignature } from '../../src/transparency/cosignature.js';
import { TlogError } from '../../src/transparency/errors.js';
import { EMPTY_ROOT, leafHash, nodeHash } from '../../src/transparency/hash.js';
import { generateEd25519, verifierFromKeyString } from '../../src/transparency/keys.js';
import {
  addSignatures,
  ed25519PrivateKeyFromSeed,
  ed25519PublicKeyFromRaw,
  ed25519PublicKeyRaw,
  ed25519Signer,
  ed25519Verifier,
  keyId,
  openNote,
  parseVerifierKey,
  signNote,
  splitNote,
  verifierKeyString,
} from '../../src/transparency/note.js';
import { formatProof, parseProof, verifyReceipt } from '../../src/transparency/receipt.js';
import { buildTiles, hashReaderFromTiles, parseTilePath, splitHashes } from '../../src/transparency/tiles.js';
import { CompactRange, consistencyProof, inclusionProof, verifyConsistency, verifyInclusion } from '../../src/transparency/tree.js';
import {
  formatAddCheckpointRequest,
  interpretAddCheckpointResponse,
  parseAddCheckpointRequest,
  parseSizeResponse,
} from '../../src/transparency/witness-protocol.js';
import { leafData, NaiveTree } from './naive.js';

const kind = (k: string) => (e: unknown) => e instanceof TlogError && e.kind === k;
const malformed = kind('malformed');
const ORIGIN = 'log.example/edge';
const logPair = generateEd25519();
const log = ed25519Signer(ORIGIN, logPair.privateKey);
const logV = ed25519Verifier(ORIGIN, logPair.publicKey);
const tree = new NaiveTree(leafData(64, 'edge'));

describe('tree arguments', () => {
  it('refuses sizes that are not counts', async () => {
    await assert.rejects(inclusionProof(0, 1.5, tree.reader), RangeError);
    await assert.rejects(inclusionProof(0, -1, tree.reader), RangeError);
    await assert.rejects(consistencyProof(0.5, 2, tree.reader), RangeError);
    await assert.rejects(consistencyProof(1, 2.5, tree.reader), RangeError);
    assert.throws(() => new CompactRange(1.5, []), RangeError);
    await assert.rejects(CompactRange.fromReader(-1, tree.reader), RangeError);
    await assert.rejects(CompactRange.fromReader(0.5, tree.reader), RangeError);
  });

  it('a compact range hands out copies of its nodes', () => {
    const r = new CompactRange();
    r.append(tree.leafHash(0));
    const nodes = r.nodes;
    assert.equal(nodes.length, 1);
    nodes[0]!.fill(0);
    assert.deepEqual(r.root(), tree.mth(0, 1));
    assert.equal(new CompactRange(1, [tree.leafHash(0)]).root().toString('hex'), tree.mth(0, 1).toString('hex'));
  });

  it('verifiers refuse sizes that are not counts, and an old size beyond the new one', () => {
    const r3 = tree.mth(0, 3);
    const c = leafHash(Buffer.from('c'));
    // Shaped to pass the algorithm's steps if the sizes were not checked first.
    assert.equal(verifyConsistency(3, 2, [r3, c], r3, nodeHash(r3, c)), false);
    assert.equal(verifyConsistency(1.5, 2, [c], r3, r3), false);
    assert.equal(verifyConsistency(1, 2.5, [c], tree.mth(0, 1), nodeHash(tree.mth(0, 1), c)), false);
    assert.equal(verifyConsistency(1, 2, [c], tree.mth(0, 1), nodeHash(tree.mth(0, 1), c)), true);
    assert.equal(verifyInclusion(tree.leafHash(0), 0, 2.5, [c], nodeHash(tree.leafHash(0), c)), false);
    assert.equal(verifyInclusion(tree.leafHash(0), -1, 2, [c], nodeHash(tree.leafHash(0), c)), false);
    assert.equal(verifyInclusion(tree.leafHash(0), 0, 2, [c], nodeHash(tree.leafHash(0), c)), true);
    assert.equal(verifyConsistency(0, 0, [], EMPTY_ROOT, EMPTY_ROOT), true);
  });
});

describe('tiles', () => {
  it('paths with an x000 group after the first, and the builder at an exact tile boundary', () => {
    assert.deepEqual(parseTilePath('tile/0/x001/x000/005'), { level: 0, index: 1_000_005 });
    assert.deepEqual(parseTilePath('tile/1/x001/000.p/9'), { level: 1, index: 1000, width: 9 });
    const hashes = Array.from({ length: 256 }, (_, i) => leafHash(Buffer.from([i])));
    const changed = buildTiles(0, hashes, () => undefined);
    assert.deepEqual(changed.map((t) => [t.level, t.index, t.hashes.length / 32]), [[0, 0, 256], [1, 0, 1]]);
    const more = buildTiles(256, [leafHash(Buffer.from('x'))], (l, i) => (l === 1 && i === 0 ? changed[1]!.hashes : undefined));
    assert.deepEqual(more.map((t) => [t.level, t.index, t.hashes.length / 32]), [[0, 1, 1]]);
    assert.throws(() => splitHashes(Buffer.alloc(33)), RangeError);
  });

  it('the tile reader names the hash it misses', async () => {
    const tiles = new Map(buildTiles(0, Array.from({ length: 10 }, (_, i) => tree.leafHash(i)), () => undefined).map((t) => [`${t.level}/${t.index}`, t.hashes]));
    const read = hashReaderFromTiles((l, i) => tiles.get(`${l}/${i}`));
    await assert.rejects(read(0, 10), /tile 0\/0 does not cover hash 10$/);
    await assert.rejects(read(2, 2), /tile 0\/0 does not cover hash 11$/);
    assert.deepEqual(await read(1, 4), tree.mth(8, 10));
  });
});

describe('base64 and decimals', () => {
  it('only the canonical text of a byte string', () => {
    assert.deepEqual(decodeBase64Strict('AAE='), Buffer.from([0, 1]));
    assert.deepEqual(decodeBase64Strict(''), Buffer.alloc(0));
    for (const bad of ['AAE', 'AAF=', ' AAE=', 'AAE= ', 'AA-E', 'AA_E', 'A\nAE=', 'AAE==']) assert.equal(decodeBase64Strict(bad), undefined, bad);
    assert.equal(parseDecimal('9007199254740991'), Number.MAX_SAFE_INTEGER);
    for (const bad of ['9007199254740992', '', '00', '+1', '1e3', '0x1']) assert.equal(parseDecimal(bad), undefined, bad);
  });
});

describe('keys and notes', () => {
  it('raw key helpers refuse wrong lengths and other key types', () => {
    assert.throws(() => ed25519PublicKeyFromRaw(Buffer.alloc(31)), malformed);
    assert.throws(() => ed25519PrivateKeyFromSeed(Buffer.alloc(33)), malformed);
    assert.throws(() => ed25519PublicKeyRaw(generateKeyPairSync('x25519').publicKey), malformed);
    assert.throws(() => verifierKeyString('bad name', Buffer.alloc(32)), malformed);
    assert.equal(ed25519PublicKeyRaw(ed25519PrivateKeyFromSeed(Buffer.alloc(32, 7))).length, 32);
  });

  it('verifier keys: exact ID, name rules, key lengths by type; surrounding blanks trimmed', () => {
    const good = verifierKeyString(ORIGIN, ed25519PublicKeyRaw(logPair.publicKey));
    assert.equal(verifierFromKeyString(`  ${good}\n`).keyId, logV.keyId);
    const forge = (name: string, material: Buffer): string =>
      `${name}+${keyId(name, material[0]!, material.subarray(1)).toString(16).padStart(8, '0')}+${material.toString('base64')}`;
    assert.throws(() => parseVerifierKey(forge('bad name', Buffer.concat([Buffer.from([1]), Buffer.alloc(32)]))), malformed);
    assert.throws(() => parseVerifierKey(forge('', Buffer.concat([Buffer.from([1]), Buffer.alloc(32)]))), malformed);
    assert.throws(() => parseVerifierKey(forge('k', Buffer.from([2]))), malformed);
    assert.equal(parseVerifierKey(forge('k', Buffer.from([2, 9]))).publicKey.length, 1);
    assert.throws(() => parseVerifierKey(forge('k', Buffer.concat([Buffer.from([1]), Buffer.alloc(33)]))), malformed);
    assert.throws(() => parseVerifierKey(forge('k', Buffer.concat([Buffer.from([4]), Buffer.alloc(31)]))), malformed);
    assert.equal(parseVerifierKey(forge('k', Buffer.concat([Buffer.from([4]), Buffer.alloc(32)]))).type, 4);
    assert.throws(() => parseVerifierKey(`x${good}`.replace(/^x/, 'x+')), malformed);
    assert.throws(() => parseVerifierKey(`${good}\n`), malformed);
    assert.throws(() => parseVerifierKey(good.replace(/\+([0-9a-f]{8})\+/, '+0$1+')), malformed);
    assert.throws(() => parseVerifierKey(good.replace(/\+([0-9a-f]{8})\+/, (_, id: string) => `+${id.slice(1)}+`)), malformed);
  });

  it('text must be well-formed Unicode; a surrogate pair is fine', () => {
    assert.equal(openNote(signNote('emoji 😀 ok\n', [log]), [logV]).text, 'emoji 😀 ok\n');
    assert.throws(() => signNote('lone \ud800\n', [log]), malformed);
    assert.throws(() => signNote('lone \udc00\n', [log]), malformed);
    const sig = signNote('x\n', [log]).split('\n\n')[1];
    assert.throws(() => openNote(`lone \udc00 low\n\n${sig}`, [logV]), malformed);
    assert.throws(() => openNote(`\ud83d\n\n${sig}`, [logV]), malformed);
  });

  it('bytes: invalid UTF-8 is malformed (not a bad signature), a byte order mark is text', () => {
    const note = signNote('text\n', [log]);
    const bytes = Buffer.from(note);
    const broken = Buffer.concat([bytes.subarray(0, 2), Buffer.from([0xff]), bytes.subarray(2)]);
    assert.throws(() => openNote(broken, [logV]), malformed);
    const bom = signNote('\ufefftext\n', [log]);
    assert.equal(openNote(Buffer.from(bom), [logV]).text, '\ufefftext\n');
  });

  it('signature lines: exact shape, 5 bytes at least, 100 at most, a trusted key verifies through any of its verifiers', () => {
    const note = signNote('x\n', [log]);
    const [text, sig] = note.split('\n\n') as [string, string];
    const line = sig.trimEnd();
    for (const bad of [`x${line}`, `${line} `, `—  ${line.slice(2)}`, line.replace('— ', '— \u00a0'), line.replace(/ \S+$/, '')]) {
      assert.throws(() => splitNote(`${text}\n\n${bad}\n`), malformed, JSON.stringify(bad));
    }
    const five = `— k ${Buffer.alloc(5).toString('base64')}`;
    assert.equal(splitNote(`${text}\n\n${five}\n`).signatures[0]!.sig.length, 1);
    assert.throws(() => splitNote(`${text}\n\n— k ${Buffer.alloc(4).toString('base64')}\n`), malformed);
    const hundred = `${text}\n\n${`${five}\n`.repeat(99)}${sig}`;
    assert.equal(openNote(hundred, [logV]).signatures.length, 100);
    assert.throws(() => openNote(`${hundred}${five}\n`, [logV]), malformed);
    const liar = { name: logV.name, keyId: logV.keyId, verify: () => false };
    assert.deepEqual(openNote(note, [liar, logV]).verifiedBy, [ORIGIN]);
    assert.throws(() => openNote(note, [liar]), kind('bad-signature'));
  });

  it('a note without a blank line is refused even when a known key signed the empty text', () => {
    const emptySig = sign(null, Buffer.alloc(0), logPair.privateKey);
    const id = Buffer.alloc(4);
    id.writeUInt32BE(logV.keyId);
    const line = `— ${ORIGIN} ${Buffer.concat([id, emptySig]).toString('base64')}\n`;
    assert.throws(() => openNote(`x${line}`, [logV]), malformed);
  });

  it('addSignatures takes text with several lines, lines without newline, and refuses a result that is not a note', () => {
    const note = signNote('x\n', [log]);
    const w1 = cosign('x\n', 1, cosigner('w1.example', generateEd25519().privateKey));
    const w2 = cosign('x\n', 2, cosigner('w2.example', generateEd25519().privateKey));
    assert.equal(addSignatures(note, w1 + w2), note + w1 + w2);
    assert.equal(addSignatures(note, [w1.trimEnd(), w2]), note + w1 + w2);
    assert.throws(() => addSignatures('no note', [w1]), malformed);
    assert.throws(() => addSignatures(note, Array.from({ length: 100 }, (_, i) => cosign('x\n', i, cosigner('w.example', generateEd25519().privateKey)))), malformed);
  });
});

describe('checkpoints and cosignatures', () => {
  it('openCheckpoint without an expected origin opens any origin; too few lines are malformed', () => {
    const note = signNote(formatCheckpoint({ origin: 'any.example/log', size: 1, rootHash: tree.mth(0, 1) }), [ed25519Signer('any.example/log', logPair.privateKey)]);
    assert.equal(openCheckpoint(note, [ed25519Verifier('any.example/log', logPair.publicKey)]).checkpoint.origin, 'any.example/log');
    assert.throws(() => parseCheckpoint('origin\n1\n'), malformed);
    assert.throws(() => parseCheckpoint('origin\n'), malformed);
  });

  it('timestamps: 0 and 2^53-1 are valid, negatives are not; short signature bytes are a bad signature', () => {
    const w = cosigner('w.example', generateEd25519().privateKey);
    const body = formatCheckpoint({ origin: ORIGIN, size: 0, rootHash: EMPTY_ROOT });
    assert.equal(cosignatureMessage(body, 0).toString().split('\n')[1], 'time 0');
    assert.throws(() => cosignatureMessage(body, -1), malformed);
    const max = Buffer.alloc(72);
    max.writeBigUInt64BE(BigInt(Number.MAX_SAFE_INTEGER));
    assert.equal(parseCosignatureBytes(max)?.timestamp, Number.MAX_SAFE_INTEGER);
    assert.deepEqual(verifyCosignature(body, cosign(body, 0, w), w), { ok: true, timestamp: 0 });
    assert.throws(() => cosignatureVerifier('bad name', w.publicKey), malformed);
    const id = Buffer.alloc(4);
    id.writeUInt32BE(w.keyId);
    const short = `— w.example ${Buffer.concat([id, Buffer.alloc(71)]).toString('base64')}\n`;
    assert.throws(() => openNote(signNote(body, [log]) + short, [logV, cosignatureVerifier('w.example', w.publicKey)]), kind('bad-signature'));
  });
});

describe('receipts and witness bodies at their limits', () => {
  const body = formatCheckpoint({ origin: ORIGIN, size: 2, rootHash: tree.mth(0, 2) });
  const note = signNote(body, [log]);
  const h = Buffer.alloc(32);

  it('63 proof hashes at most; the index line is required; no extra key when there is no extra', () => {
    assert.equal(parseProof(formatProof({ index: 0, proof: Array(63).fill(h), checkpoint: note })).proof.length, 63);
    assert.throws(() => formatProof({ index: 0, proof: Array(64).fill(h), checkpoint: note }), malformed);
    const sixtyFour = formatProof({ index: 0, proof: Array(63).fill(h), checkpoint: note }).replace('index 0\n', `index 0\n${h.toString('base64')}\n`);
    assert.throws(() => parseProof(sixtyFour), malformed);
    assert.throws(() => parseProof(`c2sp.org/tlog-proof@v1\n\n${note}`), malformed);
    assert.throws(() => parseProof(`c2sp.org/tlog-proof@v1\nextra AA==\n\n${note}`), malformed);
    assert.deepEqual(Object.keys(parseProof(formatProof({ index: 1, proof: [tree.leafHash(0)], checkpoint: note }))), ['index', 'proof', 'checkpoint']);
  });

  it('verifyReceipt: the leaf hash wins over data, a short leaf hash is no entry, failures are not ok', () => {
    const receipt = formatProof({ index: 1, proof: [tree.leafHash(0)], checkpoint: note });
    const base = { origin: ORIGIN, logKeys: [logV] };
    assert.equal(verifyReceipt(receipt, { ...base, leafHash: tree.leafHash(1), leafData: Buffer.from('wrong') }).ok, true);
    const short = verifyReceipt(receipt, { ...base, leafHash: Buffer.alloc(31) });
    assert.deepEqual([short.ok, short.reasons], [false, ['no entry (or leaf hash) to check against']]);
    assert.deepEqual(verifyReceipt('nonsense', { ...base, leafHash: tree.leafHash(1) }), { ok: false, witnesses: [], reasons: ['malformed receipt: a proof starts with c2sp.org/tlog-proof@v1'] });
    const unsigned = verifyReceipt(receipt, { ...base, logKeys: [], leafHash: tree.leafHash(1) });
    assert.deepEqual(unsigned, { ok: false, index: 1, witnesses: [], reasons: ['checkpoint unverified: no trusted key signed this note'] });
    // A key listed as both log and witness counts as the log only.
    const both = verifyReceipt(receipt, { ...base, witnessKeys: [logV], leafHash: tree.leafHash(1), minWitnesses: 1 });
    assert.deepEqual([both.ok, both.witnesses], [false, []]);
  });

  it('add-checkpoint: 63 proof lines are fine, hashes must be 32 bytes, the size body needs its newline', () => {
    assert.equal(parseAddCheckpointRequest(formatAddCheckpointRequest(1, Array(63).fill(h), note)).proof.length, 63);
    assert.throws(() => formatAddCheckpointRequest(1, [Buffer.alloc(31)], note), malformed);
    assert.throws(() => parseAddCheckpointRequest(`old 1\n${h.toString('base64')}\n`), malformed);
    assert.throws(() => parseSizeResponse('12'), malformed);
    assert.equal(parseSizeResponse('12\n'), 12);
  });

  it('interpreting answers: only 409 with text/x.tlog.size and a size is a conflict; messages are trimmed to 200', () => {
    assert.deepEqual(interpretAddCheckpointResponse(422, 'text/x.tlog.size', '17\n'), { kind: 'refused', status: 422, message: '17' });
    assert.deepEqual(interpretAddCheckpointResponse(409, 'text/plain', '17\n'), { kind: 'refused', status: 409, message: '17' });
    assert.deepEqual(interpretAddCheckpointResponse(409, 'text/x.tlog.size', '17'), { kind: 'refused', status: 409, message: '17' });
    assert.deepEqual(interpretAddCheckpointResponse(409, ' text/x.tlog.size ;x=1', '17\n'), { kind: 'conflict', size: 17 });
    assert.equal((interpretAddCheckpointResponse(500, undefined, `${'e'.repeat(300)}\n`) as { message: string }).message.length, 200);
    assert.equal((interpretAddCheckpointResponse(500, undefined, '  padded  \n') as { message: string }).message, 'padded');
  });
});
