import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { TlogError } from '../../src/transparency/errors.js';
import { verifierFromKeyString } from '../../src/transparency/keys.js';
import {
  addSignatures,
  ed25519PrivateKeyFromSeed,
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

// golang.org/x/mod/sumdb/note (note.go package documentation and note_test.go): the PeterNeumann
// key pair and the note it signs. Ed25519 is deterministic, so signing must reproduce the
// published signature byte for byte — an independent implementation agreeing with ours.
const GO_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const GO_SKEY_MATERIAL = 'AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz'; // from PRIVATE+KEY+PeterNeumann+c74f20a3+…
const GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_NOTE = `${GO_TEXT}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;
// The example key of C2SP signed-note, and golang.org/x/mod's second test key.
const SPEC_VKEY = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';

function goSigner() {
  const material = Buffer.from(GO_SKEY_MATERIAL, 'base64');
  assert.equal(material[0], 1);
  return ed25519Signer('PeterNeumann', ed25519PrivateKeyFromSeed(material.subarray(1)));
}

function expectTlogError(fn: () => unknown, kind?: string): void {
  assert.throws(fn, (e: unknown) => e instanceof TlogError && (kind === undefined || e.kind === kind));
}

describe('signed notes against golang.org/x/mod/sumdb/note', () => {
  it('reproduces the published signed note and verifier key', () => {
    const signer = goSigner();
    assert.equal(signer.keyId.toString(16), 'c74f20a3');
    assert.equal(signNote(GO_TEXT, [signer]), GO_NOTE);
    const key = parseVerifierKey(GO_VKEY);
    assert.equal(key.name, 'PeterNeumann');
    assert.equal(key.keyId, 0xc74f20a3);
    assert.equal(key.type, 1);
    assert.equal(verifierKeyString(key.name, key.publicKey), GO_VKEY);
  });

  it('opens the published note with the published key, and not once changed', () => {
    const v = verifierFromKeyString(GO_VKEY);
    const opened = openNote(GO_NOTE, [v]);
    assert.equal(opened.text, GO_TEXT);
    assert.deepEqual(opened.verifiedBy, ['PeterNeumann']);
    assert.equal(opened.signatures.length, 1);
    expectTlogError(() => openNote(GO_NOTE.replace('cryptography', 'cryptographY'), [v]), 'bad-signature');
    expectTlogError(() => openNote(GO_NOTE, [verifierFromKeyString(ENOCH_VKEY)]), 'unverified');
    expectTlogError(() => openNote(Buffer.from(GO_NOTE), []), 'unverified');
  });

  it('parses other published verifier keys and refuses mangled ones', () => {
    for (const k of [SPEC_VKEY, ENOCH_VKEY]) assert.equal(verifierKeyString(parseVerifierKey(k).name, parseVerifierKey(k).publicKey), k);
    // The key ID is checked against the key, as Go's NewVerifier does.
    for (let i = 0; i < GO_VKEY.length; i++) {
      const c = GO_VKEY[i] as string;
      const mangled = GO_VKEY.slice(0, i) + (c === 'a' ? 'b' : 'a') + GO_VKEY.slice(i + 1);
      expectTlogError(() => parseVerifierKey(mangled), 'malformed');
    }
    for (const bad of ['', 'PeterNeumann', 'PeterNeumann+c74f20a3', '+c74f20a3+ARpc', 'Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', 'PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T']) {
      expectTlogError(() => parseVerifierKey(bad), 'malformed');
    }
    expectTlogError(() => verifierFromKeyString(verifierKeyString('x', Buffer.alloc(32), 0x02)), 'malformed');
  });
});

const pair = () => generateKeyPairSync('ed25519');

describe('signed note rules (C2SP signed-note)', () => {
  const a = pair();
  const b = pair();
  const signerA = ed25519Signer('log.example/a', a.privateKey);
  const signerB = ed25519Signer('log.example/b', b.privateKey);
  const vA = ed25519Verifier('log.example/a', a.publicKey);
  const vB = ed25519Verifier('log.example/b', ed25519PublicKeyRaw(b.publicKey));

  it('key IDs are SHA-256(name || 0x0A || type || key)[:4]', () => {
    const raw = ed25519PublicKeyRaw(a.privateKey);
    assert.equal(signerA.keyId, vA.keyId);
    assert.equal(vA.keyId, keyId('log.example/a', 1, raw));
    assert.notEqual(keyId('log.example/a', 4, raw), vA.keyId);
  });

  it('several signers; unknown signatures ignored; a known bad one refuses the note', () => {
    const note = signNote('hello\n\nworld\n', [signerA, signerB]);
    assert.deepEqual(openNote(note, [vA]).verifiedBy, ['log.example/a']);
    assert.deepEqual(openNote(note, [vA, vB]).verifiedBy, ['log.example/a', 'log.example/b']);
    assert.equal(openNote(note, [vB]).text, 'hello\n\nworld\n');
    // Same name, other key: ignored, since the key ID differs.
    const c = pair();
    const impostor = ed25519Signer('log.example/a', c.privateKey);
    const both = addSignatures(signNote('hello\n', [signerA]), signNote('hello\n', [impostor]).split('\n\n')[1] as string);
    assert.deepEqual(openNote(both, [vA]).verifiedBy, ['log.example/a']);
    // A known key whose signature fails refuses the whole note.
    const other = signNote('other\n', [signerB]);
    const forged = `hello\n\n${other.split('\n\n')[1]}`;
    expectTlogError(() => openNote(forged, [vB]), 'bad-signature');
  });

  it('accepts at least 16 signatures (unknown ones among them)', () => {
    const signers = Array.from({ length: 20 }, (_, i) => ed25519Signer(`w${i}.example`, pair().privateKey));
    const note = signNote('many\n', [...signers, signerA]);
    assert.equal(openNote(note, [vA]).signatures.length, 21);
  });

  it('refuses what the format forbids', () => {
    const good = signNote('text\n', [signerA]);
    const sig = good.split('\n\n')[1] as string;
    for (const bad of [
      'text\n' + sig, // no blank line
      'text\n\n', // no signature
      good.slice(0, -1), // no final newline
      'te\txt\n\n' + sig, // control character
      'text\r\n\n' + sig,
      'text\n\n' + sig.replace('— ', '- '),
      'text\n\n' + sig.replace('— ', '—'),
      'text\n\n' + sig.replace('log.example/a', 'log example/a'),
      'text\n\n' + sig.replace('log.example/a', 'log+example/a'),
      'text\n\n' + sig.replace('log.example/a ', ' '),
      'text\n\n' + sig.replace(/=?\n$/, '!\n'),
      'text\n\n' + sig.replace(/ (\S+)\n$/, ' AAAA\n'), // fewer than 5 bytes
      'text\n\n' + sig + '\n', // empty signature line
      'text\n\n' + sig.replace(/\n$/, ' extra\n'),
      '\ud800text\n\n' + sig,
    ]) {
      expectTlogError(() => openNote(bad, [vA]), 'malformed');
    }
    expectTlogError(() => openNote(Buffer.from([0x74, 0xff, 0x0a, 0x0a]), [vA]), 'malformed');
    const tooMany = 'text\n\n' + Array.from({ length: 101 }, () => sig).join('');
    expectTlogError(() => openNote(tooMany, [vA]), 'malformed');
    expectTlogError(() => signNote('no newline', [signerA]), 'malformed');
    expectTlogError(() => signNote('bell\u0007\n', [signerA]), 'malformed');
    expectTlogError(() => signNote('x\n', []), 'malformed');
    expectTlogError(() => ed25519Signer('bad name', a.privateKey), 'malformed');
    expectTlogError(() => ed25519Verifier('', a.publicKey), 'malformed');
  });

  it('addSignatures appends well-formed lines once and refuses others', () => {
    const note = signNote('x\n', [signerA]);
    const lineB = (signNote('x\n', [signerB]).split('\n\n')[1] as string);
    const added = addSignatures(note, [lineB.trimEnd()]);
    assert.equal(added, note + lineB);
    assert.equal(addSignatures(added, lineB), added);
    expectTlogError(() => addSignatures(note, ['not a signature']), 'malformed');
    expectTlogError(() => addSignatures(note, [`${lineB}${lineB}`]), 'malformed');
  });

  const textArb = fc
    .array(fc.stringMatching(/^[^\u0000-\u001f]{0,40}$/), { minLength: 1, maxLength: 5 })
    .map((lines) => `${lines.join('\n')}\n`)
    .filter((t) => !/[\ud800-\udfff]/.test(t));

  it('round-trips any valid text', () => {
    fc.assert(
      fc.property(textArb, (text) => {
        const opened = openNote(signNote(text, [signerA]), [vA]);
        assert.equal(opened.text, text);
      }),
      { numRuns: 300 },
    );
  });

  it('any one-character change is refused with a TlogError, never anything else', () => {
    const chars = fc.constantFrom('a', '\n', ' ', '—', '+', '=', '/', 'A', '\t', '0');
    fc.assert(
      fc.property(textArb, fc.nat(), fc.constantFrom('replace', 'insert', 'delete'), chars, (text, at0, kind, ch) => {
        const note = signNote(text, [signerA]);
        const at = at0 % note.length;
        const mutated =
          kind === 'delete' ? note.slice(0, at) + note.slice(at + 1)
          : kind === 'insert' ? note.slice(0, at) + ch + note.slice(at)
          : note.slice(0, at) + ch + note.slice(at + 1);
        if (mutated === note) return;
        try {
          const opened = openNote(mutated, [vA]);
          // Only a change that leaves text and signature intact can open: e.g. a new blank line
          // making part of the text... which breaks the signature. So nothing opens.
          assert.fail(`opened a mutated note: ${JSON.stringify(mutated)} → ${JSON.stringify(opened.text)}`);
        } catch (e) {
          if (!(e instanceof TlogError)) throw e;
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('splitNote separates text and signatures at the last blank line', () => {
    const { text, signatures } = splitNote(signNote('a\n\nb\n', [signerA, signerB]));
    assert.equal(text, 'a\n\nb\n');
    assert.deepEqual(signatures.map((s) => s.name), ['log.example/a', 'log.example/b']);
  });
});
