/**
 * The inspector's in-browser verification (web/src/transparency/verify.ts) against the server's own
 * code as the oracle: proofs made by src/transparency/tree.ts, checkpoints signed by note.ts, leaves
 * formatted by leaf.ts. Every good proof verifies; every tampered one fails.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import {
  ACCESS_ENTRY_COLUMNS, canonicalRow, fromBase64, leafHash, parseCheckpoint, parseLeafData, parseVerifierKey, rootFromInclusionProof, sameBytes, signedBy, toBase64,
  verifyConsistency, verifyExportedEntry, type ExportedEntry,
} from '../../web/src/transparency/verify.js';
import { consistencyProof, inclusionProof, rootOf, type HashReader } from '../../src/transparency/tree.js';
import { leafHash as serverLeafHash, type Hash } from '../../src/transparency/hash.js';
import { formatCheckpoint } from '../../src/transparency/checkpoint.js';
import { ed25519PublicKeyRaw, ed25519Signer, signNote, verifierKeyString } from '../../src/transparency/note.js';
import { canonicalRow as serverCanonicalRow, formatLeafData, rowDigest } from '../../src/transparency/leaf.js';
import { LEAF_KINDS } from '../../src/store/repositories/transparency-leaves.js';

const readerOf = (leaves: readonly Hash[]): HashReader => async (height, index) => rootOf(leaves.slice(index * 2 ** height, (index + 1) * 2 ** height));
// Distinct leaves: with two equal leaves, swapping their indexes rightly proves the same thing.
const leavesArb = (max: number) => fc.uniqueArray(fc.uint8Array({ minLength: 0, maxLength: 40 }), { minLength: 1, maxLength: max, selector: (u) => Buffer.from(u).toString('hex') });
const flip = (b: Uint8Array, at: number) => {
  const c = Uint8Array.from(b);
  c[at % c.length] = (c[at % c.length] as number) ^ 1;
  return c;
};

describe('RFC 6962 hashing', () => {
  it('hashes a leaf as the server does', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 100 }), async (d) => assert.ok(sameBytes(await leafHash(d), serverLeafHash(d)))));
  });
});

describe('inclusion proofs', () => {
  it('every proof the server makes leads to the server\'s root', async () => {
    await fc.assert(
      fc.asyncProperty(leavesArb(70), fc.nat(), async (data, i) => {
        const leaves = data.map((d) => serverLeafHash(d));
        const index = i % leaves.length;
        const proof = await inclusionProof(index, leaves.length, readerOf(leaves));
        const root = await rootFromInclusionProof(index, leaves.length, leaves[index]!, proof);
        assert.ok(root && sameBytes(root, rootOf(leaves)));
      }),
      { numRuns: 150 },
    );
  });

  // (Another size may share the path's shape, so a size is bound by the signed checkpoint, not by the proof.)
  it('a tampered proof, leaf or index does not lead to the root', async () => {
    await fc.assert(
      fc.asyncProperty(leavesArb(40).filter((l) => l.length >= 2), fc.nat(), fc.nat(), fc.constantFrom('hash', 'leaf', 'index', 'drop', 'extra'), async (data, i, at, how) => {
        const leaves = data.map((d) => serverLeafHash(d));
        const n = leaves.length;
        const index = i % n;
        const proof = await inclusionProof(index, n, readerOf(leaves));
        const root = rootOf(leaves);
        let got: Uint8Array | undefined;
        if (how === 'hash') got = await rootFromInclusionProof(index, n, leaves[index]!, proof.map((p, k) => (k === at % proof.length ? flip(p, at) : p)));
        else if (how === 'leaf') got = await rootFromInclusionProof(index, n, flip(leaves[index]!, at), proof);
        else if (how === 'index') got = await rootFromInclusionProof((index + 1 + (at % (n - 1))) % n, n, leaves[index]!, proof);
        else if (how === 'drop') got = await rootFromInclusionProof(index, n, leaves[index]!, proof.slice(1));
        else got = await rootFromInclusionProof(index, n, leaves[index]!, [...proof, leaves[0]!]);
        assert.ok(!got || !sameBytes(got, root), `${how} still verified`);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses impossible indexes and sizes', async () => {
    const h = serverLeafHash(new Uint8Array([1]));
    assert.equal(await rootFromInclusionProof(1, 1, h, []), undefined);
    assert.equal(await rootFromInclusionProof(-1, 1, h, []), undefined);
    assert.equal(await rootFromInclusionProof(0, 0, h, []), undefined);
    assert.equal(await rootFromInclusionProof(0.5, 2, h, [h]), undefined);
    assert.ok(sameBytes((await rootFromInclusionProof(0, 1, h, []))!, h));
  });
});

describe('consistency proofs', () => {
  it('every proof the server makes between two sizes verifies', async () => {
    await fc.assert(
      fc.asyncProperty(leavesArb(70), fc.nat(), async (data, k) => {
        const leaves = data.map((d) => serverLeafHash(d));
        const n = leaves.length;
        const m = k % (n + 1);
        const proof = await consistencyProof(m, n, readerOf(leaves));
        assert.ok(await verifyConsistency(m, n, rootOf(leaves.slice(0, m)), rootOf(leaves), proof), `${m} → ${n}`);
      }),
      { numRuns: 150 },
    );
  });

  it('a forked history, a tampered proof, a wrong old size or old root does not verify', async () => {
    await fc.assert(
      fc.asyncProperty(leavesArb(40).filter((l) => l.length >= 3), fc.nat(), fc.nat(), fc.constantFrom('fork', 'hash', 'from', 'old-root'), async (data, k, at, how) => {
        const leaves = data.map((d) => serverLeafHash(d));
        const n = leaves.length;
        const m = 1 + (k % (n - 1));
        const proof = await consistencyProof(m, n, readerOf(leaves));
        const oldRoot = rootOf(leaves.slice(0, m));
        let ok: boolean;
        if (how === 'fork') {
          const forked = leaves.map((l, i) => (i === at % m ? flip(l, at) : l)) as Hash[];
          ok = await verifyConsistency(m, n, oldRoot, rootOf(forked), await consistencyProof(m, n, readerOf(forked)));
        } else if (how === 'hash') ok = proof.length > 0 && (await verifyConsistency(m, n, oldRoot, rootOf(leaves), proof.map((p, i) => (i === at % proof.length ? flip(p, at) : p))));
        else if (how === 'from') ok = await verifyConsistency(m === 1 ? 2 : m - 1, n, oldRoot, rootOf(leaves), proof);
        else ok = await verifyConsistency(m, n, flip(oldRoot, at), rootOf(leaves), proof);
        assert.equal(ok, false, how);
      }),
      { numRuns: 200 },
    );
  });

  it('equal sizes need equal roots and no proof; the empty tree needs none', async () => {
    const a = serverLeafHash(new Uint8Array([1]));
    const b = serverLeafHash(new Uint8Array([2]));
    assert.equal(await verifyConsistency(3, 3, a, a, []), true);
    assert.equal(await verifyConsistency(3, 3, a, b, []), false);
    assert.equal(await verifyConsistency(3, 3, a, a, [a]), false);
    assert.equal(await verifyConsistency(0, 5, a, b, []), true);
    assert.equal(await verifyConsistency(0, 5, a, b, [a]), false);
    assert.equal(await verifyConsistency(4, 3, a, b, []), false);
    assert.equal(await verifyConsistency(1, 2, a, b, []), false);
  });
});

describe('checkpoints and keys', () => {
  const origin = 'registry.test/access-log';
  const { privateKey } = generateKeyPairSync('ed25519');
  const other = generateKeyPairSync('ed25519').privateKey;
  const keyText = verifierKeyString(origin, ed25519PublicKeyRaw(privateKey));
  const note = (size: number, root: Uint8Array, key = privateKey) => signNote(formatCheckpoint({ origin, size, rootHash: root }), [ed25519Signer(origin, key)]);

  it('reads the server\'s verifier key and refuses a key ID that does not match', async () => {
    const k = await parseVerifierKey(keyText);
    assert.equal(k?.name, origin);
    assert.ok(sameBytes(k!.publicKey, ed25519PublicKeyRaw(privateKey)));
    const [name, id, material] = keyText.split('+') as [string, string, string];
    const wrongId = ((Number.parseInt(id, 16) + 1) >>> 0).toString(16).padStart(8, '0');
    assert.equal(await parseVerifierKey(`${name}+${wrongId}+${material}`), undefined);
    assert.equal(await parseVerifierKey(`other.name+${id}+${material}`), undefined);
    assert.equal(await parseVerifierKey(`${name}+${id}`), undefined);
    assert.equal(await parseVerifierKey(`${name}+${id}+${toBase64(new Uint8Array(33))}`), undefined);
  });

  it('a checkpoint the server signs verifies; a changed size or root, or another key, does not', async () => {
    const key = (await parseVerifierKey(keyText))!;
    const root = serverLeafHash(new Uint8Array([7]));
    const good = parseCheckpoint(note(12, root))!;
    assert.equal(good.origin, origin);
    assert.equal(good.size, 12);
    assert.ok(sameBytes(good.root, root));
    assert.equal(await signedBy(good, key), true);
    const text = note(12, root);
    const resized = parseCheckpoint(text.replace('\n12\n', '\n13\n'))!;
    assert.equal(await signedBy(resized, key), false);
    assert.equal(await signedBy(parseCheckpoint(note(12, root, other))!, key), false);
    const rerooted = parseCheckpoint(text.replace(toBase64(root), toBase64(flip(root, 0))))!;
    assert.equal(await signedBy(rerooted, key), false);
  });

  it('refuses malformed notes', () => {
    const text = note(3, serverLeafHash(new Uint8Array([1])));
    for (const bad of ['', text.replace('\n\n', '\n'), text.replace('\n3\n', '\n03\n'), text.replace('\n3\n', '\n-3\n'), text.slice(0, -1), text.replace('\u2014', '-'), text.split('\n\n')[0] + '\n\n']) {
      assert.equal(parseCheckpoint(bad), undefined, JSON.stringify(bad));
    }
  });
});

describe('leaves of access entries', () => {
  it('the columns are the server\'s, and the canonical row is the server\'s', () => {
    assert.deepEqual([...ACCESS_ENTRY_COLUMNS], [...LEAF_KINDS.access_entry!.columns]);
    const value = fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null), fc.constant(undefined), fc.boolean());
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...ACCESS_ENTRY_COLUMNS), value), (row) => {
        assert.equal(canonicalRow(ACCESS_ENTRY_COLUMNS, row), serverCanonicalRow(ACCESS_ENTRY_COLUMNS, row));
      }),
    );
  });

  it('reads leaf data the server writes, and nothing else', () => {
    const l = { kind: 'access_entry', subjectKey: '001090000001', ref: '0190-abc', salt: 'c2FsdA==', digest: 'ZGlnZXN0' };
    assert.deepEqual(parseLeafData(formatLeafData(l)), l);
    for (const bad of ['dancu/leaf/v2\na\nb\nc\nd\ne\n', 'dancu/leaf/v1\na\nb\nc\nd\ne', 'dancu/leaf/v1\na\n\nc\nd\ne\n', 'dancu/leaf/v1\na\nb\nc\nd\ne\nf\n', 'dancu/leaf/v1\na\nb\nc\nd\ne\r\n']) {
      assert.equal(parseLeafData(new TextEncoder().encode(bad)), undefined, JSON.stringify(bad));
    }
    assert.equal(parseLeafData(new Uint8Array([0xff, 0xfe])), undefined);
  });

  it('strict base64: the canonical text only', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 50 }), (b) => assert.ok(sameBytes(fromBase64(toBase64(b))!, b))));
    for (const bad of ['QQ', 'QR==', 'Q===', 'QQ==\n', '-_8=', 'QQ= =']) assert.equal(fromBase64(bad), undefined, bad);
  });
});

describe('an exported entry, end to end', () => {
  const origin = 'registry.test/access-log';
  const { privateKey } = generateKeyPairSync('ed25519');

  async function exported(): Promise<{ x: ExportedEntry; note: string }> {
    const entry: Record<string, unknown> = Object.fromEntries(ACCESS_ENTRY_COLUMNS.map((c) => [c, null]));
    Object.assign(entry, { subject_key: '001090000001', entry_id: '0190abc', at: '2026-06-01T08:00:00.000Z', caller_kind: 'connection', channel: 'exchange', action: 'lookupCitizen', fields: '["fullName"]', outcome: 'served', http_status: 200, latency_ms: 3.5, fee_vnd: 1000, test_stage: 0, primary_row: 1, subject_count: 1, personal_ids: '["001090000001"]' });
    const data = formatLeafData({ kind: 'access_entry', subjectKey: '001090000001', ref: '0190abc', salt: 'c2FsdHNhbHRzYWx0c2FsdA==', digest: rowDigest(ACCESS_ENTRY_COLUMNS, entry) });
    const leaves = [1, 2, 3, 4, 5].map((i) => serverLeafHash(new Uint8Array([i])));
    leaves.splice(3, 0, serverLeafHash(data));
    const proof = await inclusionProof(3, leaves.length, readerOf(leaves));
    const note = signNote(formatCheckpoint({ origin, size: leaves.length, rootHash: rootOf(leaves) }), [ed25519Signer(origin, privateKey)]);
    return { x: { entry, leaf: { data: data.toString('base64') }, index: 3, proof: proof.map((p) => p.toString('base64')) }, note };
  }

  it('verifies, and says which step fails when something was changed', async () => {
    const key = (await parseVerifierKey(verifierKeyString(origin, ed25519PublicKeyRaw(privateKey))))!;
    const log = { origin, key };
    const { x, note } = await exported();
    assert.deepEqual(await verifyExportedEntry(x, note, log), { leafMatchesEntry: true, included: true, signed: true, ok: true });
    assert.deepEqual(await verifyExportedEntry({ ...x, entry: { ...x.entry, purpose: 'KHAC' } }, note, log), { leafMatchesEntry: false, included: true, signed: true, ok: false });
    assert.deepEqual(await verifyExportedEntry({ ...x, entry: { ...x.entry, latency_ms: 4 } }, note, log), { leafMatchesEntry: false, included: true, signed: true, ok: false });
    const tampered = [...x.proof];
    tampered[0] = toBase64(flip(fromBase64(tampered[0]!)!, 5));
    assert.deepEqual(await verifyExportedEntry({ ...x, proof: tampered }, note, log), { leafMatchesEntry: true, included: false, signed: true, ok: false });
    assert.deepEqual(await verifyExportedEntry({ ...x, index: 2 }, note, log), { leafMatchesEntry: true, included: false, signed: true, ok: false });
    assert.deepEqual(await verifyExportedEntry({ ...x, index: null, proof: [] }, note, log), { leafMatchesEntry: true, included: false, signed: true, ok: false });
    assert.deepEqual(await verifyExportedEntry(x, note, { origin: 'another.log', key }), { leafMatchesEntry: true, included: true, signed: false, ok: false });
    assert.deepEqual(await verifyExportedEntry({ ...x, leaf: null }, note, log), { leafMatchesEntry: false, included: false, signed: true, ok: false });
    const otherKey = (await parseVerifierKey(verifierKeyString(origin, ed25519PublicKeyRaw(generateKeyPairSync('ed25519').privateKey))))!;
    assert.equal((await verifyExportedEntry(x, note, { origin, key: otherKey })).signed, false);
  });
});

describe('edges (each check pinned)', () => {
  const origin = 'registry.test/access-log';
  const { privateKey } = generateKeyPairSync('ed25519');
  const pub = ed25519PublicKeyRaw(privateKey);

  it('bytes: equal only when the same length and content; base64 in groups of four', () => {
    assert.equal(sameBytes(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3])), false);
    assert.equal(sameBytes(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2])), false);
    assert.equal(sameBytes(new Uint8Array([1]), new Uint8Array([2])), false);
    assert.equal(sameBytes(new Uint8Array([1, 2]), new Uint8Array([1, 2])), true);
    assert.deepEqual([...fromBase64('QUJD')!], [65, 66, 67]);
    assert.deepEqual([...fromBase64('QUI=')!], [65, 66]);
    for (const bad of ['QUJDR', 'QUJDRA', 'QUJ', 'Q']) assert.equal(fromBase64(bad), undefined, bad);
  });

  it('inclusion: a proof with a hash too many, or for an impossible size, leads nowhere', async () => {
    const leaves = [1, 2, 3, 4, 5].map((i) => serverLeafHash(new Uint8Array([i])));
    const proof = await inclusionProof(2, 5, readerOf(leaves));
    assert.ok(sameBytes((await rootFromInclusionProof(2, 5, leaves[2]!, proof))!, rootOf(leaves)));
    assert.equal(await rootFromInclusionProof(2, 5, leaves[2]!, [...proof, leaves[0]!]), undefined);
    assert.equal(await rootFromInclusionProof(2, 5, leaves[2]!, proof.slice(0, -1)), undefined);
    assert.equal(await rootFromInclusionProof(2, Number.NaN, leaves[2]!, proof), undefined);
    // The last leaf of an odd tree climbs past the levels where it has no sibling.
    const last = await inclusionProof(4, 5, readerOf(leaves));
    assert.ok(sameBytes((await rootFromInclusionProof(4, 5, leaves[4]!, last))!, rootOf(leaves)));
    assert.equal(await rootFromInclusionProof(4, 6, leaves[4]!, last), undefined);
  });

  it('consistency: impossible sizes and a missing proof never verify', async () => {
    const leaves = [1, 2, 3, 4, 5, 6, 7].map((i) => serverLeafHash(new Uint8Array([i])));
    const old = rootOf(leaves.slice(0, 3));
    const now = rootOf(leaves);
    const proof = await consistencyProof(3, 7, readerOf(leaves));
    assert.equal(await verifyConsistency(3, 7, old, now, proof), true);
    assert.equal(await verifyConsistency(3, 7, old, now, []), false);
    assert.equal(await verifyConsistency(3, 7, old, now, [...proof, old]), false);
    assert.equal(await verifyConsistency(-3, 7, old, now, proof), false);
    assert.equal(await verifyConsistency(3, Number.NaN, old, now, proof), false);
    assert.equal(await verifyConsistency(Number.NaN, 7, old, now, proof), false);
    assert.equal(await verifyConsistency(3.5, 7, old, now, proof), false);
    assert.equal(await verifyConsistency(3, 2 ** 60, old, now, proof), false);
    assert.equal(await verifyConsistency(8, 7, old, now, proof), false);
    const four = await consistencyProof(4, 7, readerOf(leaves));
    assert.equal(await verifyConsistency(4, 7, rootOf(leaves.slice(0, 4)), now, four), true);
    assert.equal(await verifyConsistency(4, 7, rootOf(leaves.slice(0, 4)), now, [...four, now]), false);
  });

  it('verifier keys: only <name>+<id>+<base64 of 0x01 and 32 bytes>, nothing before or after', async () => {
    const text = verifierKeyString(origin, pub);
    assert.ok(await parseVerifierKey(text));
    for (const bad of [`x${text}`.replace(origin, 'a b'), `${text}\n`, ` ${text}`, `${text}=`, text.replace(/\+[0-9a-f]{8}\+/, '+0000000g+')]) assert.equal(await parseVerifierKey(bad), undefined, JSON.stringify(bad));
    // A cosignature key (type 0x04) or a key of another length is not the log's Ed25519 key.
    const four = verifierKeyString(origin, pub, 0x04);
    assert.equal(await parseVerifierKey(four), undefined);
    assert.equal(await parseVerifierKey(`${origin}+00000000+${toBase64(new Uint8Array([1, ...pub, 0]))}`), undefined);
    assert.equal(await parseVerifierKey(`${origin}+00000000+${toBase64(new Uint8Array([1, ...pub]))}`), undefined);
  });

  it('checkpoints: every malformation refused; only the named key\'s signature counts', async () => {
    const key = (await parseVerifierKey(verifierKeyString(origin, pub)))!;
    const root = serverLeafHash(new Uint8Array([9]));
    const body = formatCheckpoint({ origin, size: 5, rootHash: root });
    const note = signNote(body, [ed25519Signer(origin, privateKey)]);
    const sigLine = note.slice(body.length + 1);
    for (const bad of [
      `\n${note}`,
      `${origin}\n5\n\n${sigLine}`,
      note.replace(toBase64(root), toBase64(root.subarray(0, 31))),
      note.replace('\n5\n', '\n9007199254740993\n'),
      `${note.slice(0, -1)} extra\n`,
      `${body}\n\u2014 ${origin} ${toBase64(new Uint8Array([1, 2, 3, 4]))}\n`,
      `${body}\n`,
      `x${note}`.replace(`x${origin}`, ''),
    ]) assert.equal(parseCheckpoint(bad), undefined, JSON.stringify(bad));
    const parsed = parseCheckpoint(note)!;
    assert.equal(parsed.body, body);
    assert.equal(parsed.signatures.length, 1);
    assert.equal(parsed.signatures[0]!.keyId, key.keyId);
    // Another key's signature first, then the log's: it verifies; only the other's: it does not.
    const other = generateKeyPairSync('ed25519').privateKey;
    const both = signNote(body, [ed25519Signer('witness.test', other), ed25519Signer(origin, privateKey)]);
    assert.equal(await signedBy(parseCheckpoint(both)!, key), true);
    assert.equal(await signedBy(parseCheckpoint(signNote(body, [ed25519Signer('witness.test', other)]))!, key), false);
    // The log's signature under another name, or with another key ID, is not counted.
    const renamed = parseCheckpoint(note)!;
    assert.equal(await signedBy({ ...renamed, signatures: renamed.signatures.map((s) => ({ ...s, name: 'x' })) }, key), false);
    assert.equal(await signedBy({ ...renamed, signatures: renamed.signatures.map((s) => ({ ...s, keyId: (s.keyId + 1) >>> 0 })) }, key), false);
    assert.equal(await signedBy({ ...renamed, signatures: renamed.signatures.map((s) => ({ ...s, signature: s.signature.subarray(0, 63) })) }, key), false);
  });

  it('leaf data: seven parts exactly, valid UTF-8', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    assert.equal(parseLeafData(enc('dancu/leaf/v1\na\nb\nc\nd\ne\n\nx')), undefined);
    assert.equal(parseLeafData(new Uint8Array([...enc('dancu/leaf/v1\na'), 0xff, ...enc('\nb\nc\nd\ne\n')])), undefined);
    assert.deepEqual(parseLeafData(enc('dancu/leaf/v1\na\nb\nc\nd\ne\n')), { kind: 'a', subjectKey: 'b', ref: 'c', salt: 'd', digest: 'e' });
  });

  it('an exported entry: the leaf must name this table, key and entry; the proof hashes must be hashes', async () => {
    const key = (await parseVerifierKey(verifierKeyString(origin, pub)))!;
    const log = { origin, key };
    const entry: Record<string, unknown> = Object.fromEntries(ACCESS_ENTRY_COLUMNS.map((c) => [c, null]));
    Object.assign(entry, { subject_key: 'principal:abc', entry_id: 'e1', at: '2026-06-01T08:00:00.000Z', outcome: 'served', http_status: 200 });
    const make = (over: Partial<{ kind: string; subjectKey: string; ref: string }>) => formatLeafData({ kind: 'access_entry', subjectKey: 'principal:abc', ref: 'e1', salt: 'c2FsdA==', digest: rowDigest(ACCESS_ENTRY_COLUMNS, entry), ...over });
    const build = async (data: Buffer) => {
      const leaves = [serverLeafHash(new Uint8Array([1])), serverLeafHash(data)];
      const note = signNote(formatCheckpoint({ origin, size: 2, rootHash: rootOf(leaves) }), [ed25519Signer(origin, privateKey)]);
      const proof = (await inclusionProof(1, 2, readerOf(leaves))).map((p) => p.toString('base64'));
      return { x: { entry, leaf: { data: data.toString('base64') }, index: 1, proof } as ExportedEntry, note };
    };
    const good = await build(make({}));
    assert.equal((await verifyExportedEntry(good.x, good.note, log)).ok, true);
    for (const over of [{ kind: 'principal_event' }, { subjectKey: 'principal:xyz' }, { ref: 'e2' }]) {
      const b = await build(make(over));
      assert.deepEqual(await verifyExportedEntry(b.x, b.note, log), { leafMatchesEntry: false, included: true, signed: true, ok: false }, JSON.stringify(over));
    }
    assert.equal((await verifyExportedEntry({ ...good.x, proof: ['AAAA'] }, good.note, log)).included, false);
    assert.equal((await verifyExportedEntry({ ...good.x, proof: ['not base64!'] }, good.note, log)).included, false);
    assert.equal((await verifyExportedEntry({ ...good.x, index: null }, good.note, log)).included, false);
    assert.deepEqual(await verifyExportedEntry(good.x, 'not a checkpoint', log), { leafMatchesEntry: true, included: false, signed: false, ok: false });
    assert.equal((await verifyExportedEntry({ ...good.x, leaf: { data: '!!' } }, good.note, log)).leafMatchesEntry, false);
  });
});
