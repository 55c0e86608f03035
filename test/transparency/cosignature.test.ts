import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, verify } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatCheckpoint, openCheckpoint, parseCheckpoint } from '../../src/transparency/checkpoint.js';
import { cosign, cosignatureMessage, cosignatureVerifier, cosigner, parseCosignatureBytes, verifyCosignature } from '../../src/transparency/cosignature.js';
import { TlogError } from '../../src/transparency/errors.js';
import { leafHash } from '../../src/transparency/hash.js';
import { verifierFromKeyString } from '../../src/transparency/keys.js';
import { addSignatures, ed25519PublicKeyRaw, ed25519Signer, ed25519Verifier, openNote, signNote, verifierKeyString } from '../../src/transparency/note.js';

// A real checkpoint of the public staging CT log arche2025h1.staging.ct.transparency.dev, as
// published with its witnesses' cosignatures (public test data of a checkpoint library). The log
// signed it with an Ed25519 note key (type 0x01) and an RFC 6962 tree-head signature (type 0x05,
// unknown to us, so ignored); remora.n621.de cosigned it with a type 0x04 key. Both published
// verifier keys are below: this checks our cosignature/v1 against independent witnesses.
const REAL_CHECKPOINT = `arche2025h1.staging.ct.transparency.dev
1432088532
U7WM79jrzyhGZ5/GUBTpM7NzwdyfFx61t3RovgcC4Ro=

— arche2025h1.staging.ct.transparency.dev zTM8sQAAAZ5W0WdjBAMARjBEAiBjW5IQf9pvsYLfQFX6hoGREPMHbdQ3urbllzalApkptQIgIpwtEroeW2BXaHAI4kJXFbon5Ch9MNL5zRNZ55lvGt0=
— arche2025h1.staging.ct.transparency.dev ui8GwCF1+kWqZrxGdhj4aX3gcw7XUlXQQabg/27lefwhUkzbC3NygNI75MdhL1bfTW9g8Ei59RA23oHP7Ry1k3ZFWwQ=
— transparency.dev/DEV:witness-little-garden 2AQqhwAAAABqEiEgzgFIqqhbUoDwjMWE6UP8nd8/KYTzwZ2rhIgcqoXHAwVkjZr4AscylP3v7sEodkRAErumC2q44vdgJY096st5BQ==
— witness1.smartit.nu/witness1 pIyCDwAAAABqEiEghIp82KWebrw7/oHQwlTAm3g2RKS4+eebl8eO0WH+/iEcxZ75W3u5hNI7TOQtmJbqmNWVuE0tgh0XwzdZsDsUAQ==
— remora.n621.de 2net5wAAAABqEiEgPlfF3V06o0Y+fHM+J5J9s27wgxxcOVSpZ/2g/KSiXCg9DEZI+aVCIobWX9sXTynk5XeU/zZ0WBxtqB0DrAWfBw==
— witness.stagemole.eu Z/euoAAAAABqEiEgw0i+7g2ENfDAWHmtRzCfKTHSDwYDJA2NmKeGi9Y8FtEyOUvVr+AJmIY/2TUFucgKi7lI7cUiOvKFYe/TmN9DAg==
`;
const REAL_LOG_VKEY = 'arche2025h1.staging.ct.transparency.dev+ba2f06c0+AU0vHmlGCS/PdN8b2OaGmKprLI8HKM+dJ472xgFYh15f';
const REAL_WITNESS_VKEY = 'remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2';
// Published verifier keys of two other public witnesses that cosigned it.
const STAGEMOLE_VKEY = 'witness.stagemole.eu+67f7aea0+BEqSG3yu9YrmcM3BHvQYTxwFj3uSWakQepafafpUqklv';
const SMARTIT_VKEY = 'witness1.smartit.nu/witness1+a48c820f+BPSFWg9G6KPiO7QPryYO5Xq4oYJJ+kAvLKLSimDhoxMO';

const isTlogError = (e: unknown): boolean => e instanceof TlogError;

describe('cosignatures against published ones', () => {
  it('the log key and independent witnesses verify a real checkpoint', () => {
    const logKey = verifierFromKeyString(REAL_LOG_VKEY);
    const witnesses = [REAL_WITNESS_VKEY, STAGEMOLE_VKEY, SMARTIT_VKEY].map(verifierFromKeyString);
    const { checkpoint, note } = openCheckpoint(REAL_CHECKPOINT, [logKey, ...witnesses], 'arche2025h1.staging.ct.transparency.dev');
    assert.equal(checkpoint.size, 1432088532);
    assert.deepEqual(note.verifiedBy, ['arche2025h1.staging.ct.transparency.dev', 'witness1.smartit.nu/witness1', 'remora.n621.de', 'witness.stagemole.eu']);
    const line = REAL_CHECKPOINT.split('\n').find((l) => l.startsWith('— remora.n621.de')) as string;
    const body = REAL_CHECKPOINT.slice(0, REAL_CHECKPOINT.indexOf('\n\n') + 1);
    const raw = Buffer.from(REAL_WITNESS_VKEY.split('+')[2] as string, 'base64').subarray(1);
    const result = verifyCosignature(body, line, { name: 'remora.n621.de', publicKey: raw });
    assert.equal(result.ok, true);
    assert.equal(result.timestamp, 0x6a122120);
    // Another size, the same signature: refused.
    assert.equal(verifyCosignature(body.replace('1432088532', '1432088533'), line, { name: 'remora.n621.de', publicKey: raw }).ok, false);
    assert.throws(() => openNote(REAL_CHECKPOINT.replace('1432088532', '42'), [logKey, ...witnesses]), isTlogError);
  });
});

describe('cosignature/v1 bytes, assembled by hand from the spec text', () => {
  const pair = generateKeyPairSync('ed25519');
  const w = cosigner('witness.example/w1', pair.privateKey);
  const body = formatCheckpoint({ origin: 'example.com/behind-the-sofa', size: 20852163, rootHash: Buffer.from('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=', 'base64') });

  it('message, key ID and signature layout', () => {
    assert.equal(body, 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n');
    const expectedMessage = 'cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
    assert.equal(cosignatureMessage(body, 1679315147).toString('utf8'), expectedMessage);
    const line = cosign(body, 1679315147, w);
    assert.match(line, /^— witness\.example\/w1 [A-Za-z0-9+/]+=*\n$/);
    const bytes = Buffer.from(line.trim().split(' ')[2] as string, 'base64');
    assert.equal(bytes.length, 4 + 8 + 64);
    const pub = ed25519PublicKeyRaw(pair.publicKey);
    const id = createHash('sha256').update(Buffer.concat([Buffer.from('witness.example/w1\n'), Buffer.from([0x04]), pub])).digest().subarray(0, 4);
    assert.deepEqual(bytes.subarray(0, 4), id);
    assert.equal(bytes.readBigUInt64BE(4), 1679315147n);
    assert.ok(verify(null, Buffer.from(expectedMessage), pair.publicKey, bytes.subarray(12)));
    assert.equal(verifierKeyString('witness.example/w1', pub, 4).split('+')[1], id.toString('hex'));
  });

  it('verifies through verifyCosignature and openNote, and refuses changes', () => {
    const logPair = generateKeyPairSync('ed25519');
    const log = ed25519Signer('example.com/behind-the-sofa', logPair.privateKey);
    const note = signNote(body, [log]);
    const line = cosign(body, 1700000000, w);
    const cosigned = addSignatures(note, [line]);
    const wv = cosignatureVerifier('witness.example/w1', pair.publicKey);
    const lv = ed25519Verifier('example.com/behind-the-sofa', logPair.publicKey);
    assert.deepEqual(openNote(cosigned, [lv, wv]).verifiedBy, ['example.com/behind-the-sofa', 'witness.example/w1']);
    assert.deepEqual(openNote(cosigned, [wv]).verifiedBy, ['witness.example/w1']);
    assert.deepEqual(verifyCosignature(body, line, { name: 'witness.example/w1', publicKey: pair.publicKey }), { ok: true, timestamp: 1700000000 });
    // The witness's key used as a plain note key (type 0x01) has another key ID: ignored.
    assert.throws(() => openNote(cosigned, [ed25519Verifier('witness.example/w1', pair.publicKey)]), (e) => isTlogError(e) && (e as TlogError).kind === 'unverified');
    assert.equal(verifyCosignature(body, line, { name: 'witness.example/w2', publicKey: pair.publicKey }).ok, false);
    assert.equal(verifyCosignature(body, line, { name: 'witness.example/w1', publicKey: logPair.publicKey }).ok, false);
    assert.equal(verifyCosignature(body.replace('20852163', '20852164'), line, { name: 'witness.example/w1', publicKey: pair.publicKey }).ok, false);
    assert.equal(verifyCosignature(body, 'garbage', { name: 'witness.example/w1', publicKey: pair.publicKey }).ok, false);
    assert.equal(verifyCosignature(body, line, { name: 'bad name', publicKey: pair.publicKey }).ok, false);
    // Another timestamp in the signature bytes breaks the signature.
    const bytes = Buffer.from(line.trim().split(' ')[2] as string, 'base64');
    bytes.writeBigUInt64BE(1700000001n, 4);
    const retimed = `— witness.example/w1 ${bytes.toString('base64')}\n`;
    assert.equal(verifyCosignature(body, retimed, { name: 'witness.example/w1', publicKey: pair.publicKey }).ok, false);
    assert.throws(() => openNote(addSignatures(note, [retimed]), [lv, wv]), (e) => isTlogError(e) && (e as TlogError).kind === 'bad-signature');
  });

  it('parses signature bytes strictly', () => {
    assert.equal(parseCosignatureBytes(Buffer.alloc(71)), undefined);
    assert.equal(parseCosignatureBytes(Buffer.alloc(73)), undefined);
    const big = Buffer.alloc(72);
    big.writeBigUInt64BE(2n ** 63n - 1n);
    assert.equal(parseCosignatureBytes(big), undefined);
    assert.deepEqual(parseCosignatureBytes(Buffer.alloc(72))?.timestamp, 0);
    assert.throws(() => cosignatureMessage(body, -1), isTlogError);
    assert.throws(() => cosigner('has space', pair.privateKey), isTlogError);
  });
});

describe('checkpoints (C2SP tlog-checkpoint)', () => {
  const root = leafHash(Buffer.from('x'));

  it('formats and parses; extension lines are kept', () => {
    const text = formatCheckpoint({ origin: 'registry.example.vn/access-log', size: 0, rootHash: root });
    assert.deepEqual(parseCheckpoint(text), { origin: 'registry.example.vn/access-log', size: 0, rootHash: root, extensions: [] });
    assert.deepEqual(parseCheckpoint(`${text}ext one\next two\n`).extensions, ['ext one', 'ext two']);
  });

  it('refuses what the format forbids', () => {
    const r = root.toString('base64');
    for (const bad of [
      '', 'o\n1\n' + r, 'o\n1\n', '\n1\n' + r + '\n', 'o\n01\n' + r + '\n', 'o\n-1\n' + r + '\n', 'o\n1.0\n' + r + '\n',
      'o\n 1\n' + r + '\n', 'o\n1\n' + r.slice(0, -1) + '\n', 'o\n1\n' + Buffer.alloc(31).toString('base64') + '\n',
      'o\n1\n' + r + '\n\n', 'o\n1\n' + r + '\next\n\n', 'o\n99999999999999999\n' + r + '\n', 'o\t\n1\n' + r + '\n',
      'o\n1\n' + r.replace(/=$/, '') + '\n',
    ]) {
      assert.throws(() => parseCheckpoint(bad), (e) => isTlogError(e) && (e as TlogError).kind === 'malformed', JSON.stringify(bad));
    }
    assert.throws(() => formatCheckpoint({ origin: '', size: 1, rootHash: root }), isTlogError);
    assert.throws(() => formatCheckpoint({ origin: 'a\nb', size: 1, rootHash: root }), isTlogError);
    assert.throws(() => formatCheckpoint({ origin: 'o', size: -1, rootHash: root }), isTlogError);
    assert.throws(() => formatCheckpoint({ origin: 'o', size: 1, rootHash: Buffer.alloc(3) }), isTlogError);
  });

  it('round-trips, and mutations either refuse with a TlogError or parse to exactly what they say', () => {
    const origin = fc.stringMatching(/^[a-z0-9./-]{1,30}$/);
    fc.assert(
      fc.property(origin, fc.nat({ max: Number.MAX_SAFE_INTEGER }), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.nat(), fc.constantFrom('0', '\n', 'a', '=', ' ', '/'), (o, size, h, at0, ch) => {
        const text = formatCheckpoint({ origin: o, size, rootHash: h });
        const back = parseCheckpoint(text);
        assert.deepEqual([back.origin, back.size, Buffer.from(back.rootHash).toString('hex')], [o, size, Buffer.from(h).toString('hex')]);
        const at = at0 % text.length;
        const mutated = text.slice(0, at) + ch + text.slice(at + 1);
        try {
          const p = parseCheckpoint(mutated);
          assert.equal(formatCheckpoint(p) + p.extensions.map((l) => `${l}\n`).join(''), mutated);
        } catch (e) {
          if (!isTlogError(e)) throw e;
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('openCheckpoint checks the origin it expects', () => {
    const pair = generateKeyPairSync('ed25519');
    const note = signNote(formatCheckpoint({ origin: 'a.example/log', size: 3, rootHash: root }), [ed25519Signer('a.example/log', pair.privateKey)]);
    const v = ed25519Verifier('a.example/log', pair.publicKey);
    assert.equal(openCheckpoint(note, [v], 'a.example/log').checkpoint.size, 3);
    assert.throws(() => openCheckpoint(note, [v], 'b.example/log'), isTlogError);
  });
});
