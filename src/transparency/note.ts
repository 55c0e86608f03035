/**
 * C2SP signed-note: text ending in a newline, a blank line, then signature lines
 *   "— <key name> <base64(4-byte key ID || signature)>\n"
 * Key ID = SHA-256(name || 0x0A || type byte || public key)[:4], big-endian. Ed25519 is type 0x01;
 * timestamped witness cosignatures (type 0x04) plug in as verifiers from cosignature.ts.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { decodeBase64Strict } from './base64.js';
import { malformed, TlogError } from './errors.js';

export const SIG_TYPE_ED25519 = 0x01;
export const SIG_TYPE_COSIGNATURE_V1 = 0x04;

/** Verifiers must accept at least 16 signatures; more than this many lines is refused. */
export const MAX_NOTE_SIGNATURES = 100;

const EM_DASH = '\u2014';

export interface NoteSigner {
  name: string;
  /** uint32 key ID. */
  keyId: number;
  /** The signature bytes over the note text (without the key ID). */
  sign(message: Buffer): Buffer;
}

export interface NoteVerifier {
  name: string;
  keyId: number;
  verify(message: Buffer, signature: Buffer): boolean;
}

export interface NoteSignature {
  name: string;
  keyId: number;
  /** The signature bytes after the 4-byte key ID. */
  sig: Buffer;
}

export interface OpenedNote {
  /** The note text, with its final newline. */
  text: string;
  /** Names of the trusted keys whose signatures verified (each once, in note order). */
  verifiedBy: string[];
  /** The signatures that verified. */
  verified: NoteSignature[];
  /** Every signature line of the note, known or not. */
  signatures: NoteSignature[];
}

/** Non-empty, no Unicode space, no '+', no control character. */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+\u0000-\u001f]/u.test(name);
}

export function keyId(name: string, type: number, publicKey: Uint8Array): number {
  const digest = createHash('sha256')
    .update(name, 'utf8')
    .update(Buffer.from([0x0a, type]))
    .update(publicKey)
    .digest();
  return digest.readUInt32BE(0);
}

// PKCS#8 and SPKI DER prefixes of an Ed25519 key (RFC 8410): the raw 32 bytes follow.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function ed25519PublicKeyFromRaw(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw malformed('an Ed25519 public key is 32 bytes');
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
}

export function ed25519PrivateKeyFromSeed(seed: Uint8Array): KeyObject {
  if (seed.length !== 32) throw malformed('an Ed25519 seed is 32 bytes');
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** The raw 32-byte public key of an Ed25519 KeyObject (public or private). */
export function ed25519PublicKeyRaw(key: KeyObject): Buffer {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  if (pub.asymmetricKeyType !== 'ed25519') throw malformed('not an Ed25519 key');
  const der = pub.export({ format: 'der', type: 'spki' });
  return Buffer.from(der.subarray(der.length - 32));
}

function toPublicKey(key: KeyObject | Uint8Array): KeyObject {
  return key instanceof Uint8Array ? ed25519PublicKeyFromRaw(key) : key;
}

export function ed25519Signer(name: string, privateKey: KeyObject): NoteSigner {
  if (!isValidKeyName(name)) throw malformed('invalid key name');
  return {
    name,
    keyId: keyId(name, SIG_TYPE_ED25519, ed25519PublicKeyRaw(privateKey)),
    sign: (message) => sign(null, message, privateKey),
  };
}

export function ed25519Verifier(name: string, publicKey: KeyObject | Uint8Array): NoteVerifier {
  if (!isValidKeyName(name)) throw malformed('invalid key name');
  const key = toPublicKey(publicKey);
  return {
    name,
    keyId: keyId(name, SIG_TYPE_ED25519, ed25519PublicKeyRaw(key)),
    // node:crypto answers false (it does not throw) for a signature of the wrong length.
    verify: (message, signature) => verify(null, message, key, signature),
  };
}

/** "<name>+<8 hex digits of key ID>+<base64(type || public key)>". */
export function verifierKeyString(name: string, publicKeyRaw: Uint8Array, type = SIG_TYPE_ED25519): string {
  if (!isValidKeyName(name)) throw malformed('invalid key name');
  const id = keyId(name, type, publicKeyRaw).toString(16).padStart(8, '0');
  return `${name}+${id}+${Buffer.concat([Buffer.from([type]), publicKeyRaw]).toString('base64')}`;
}

export interface VerifierKey {
  name: string;
  keyId: number;
  type: number;
  publicKey: Buffer;
}

/** Parses a verifier key string; refuses a key ID that does not match the name, type and key. */
export function parseVerifierKey(text: string): VerifierKey {
  // The name has no '+'; the base64 after the key ID may have some.
  const parts = /^([^+]*)\+([0-9a-f]{8})\+(.*)$/s.exec(text);
  if (parts === null) throw malformed('a verifier key is <name>+<8 hex digits>+<base64>');
  const [, name, idHex, b64] = parts as unknown as [string, string, string, string];
  if (!isValidKeyName(name)) throw malformed('invalid key name');
  const material = decodeBase64Strict(b64);
  if (material === undefined || material.length < 2) throw malformed('key material is base64 of a type byte and a key');
  const type = material[0] as number;
  const publicKey = material.subarray(1);
  if ((type === SIG_TYPE_ED25519 || type === SIG_TYPE_COSIGNATURE_V1) && publicKey.length !== 32) {
    throw malformed('an Ed25519 key is 32 bytes');
  }
  const id = Number.parseInt(idHex, 16);
  if (id !== keyId(name, type, publicKey)) throw malformed('key ID does not match the key');
  return { name, keyId: id, type, publicKey: Buffer.from(publicKey) };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A string that encodes to UTF-8 without replacement (no lone surrogate). */
export function isWellFormedText(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}

/** Text rules: valid as a note text — ends in a newline, no control character but newline. */
function checkText(text: string): void {
  if (!text.endsWith('\n')) throw malformed('note text must end in a newline');
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) throw malformed('note text has a control character');
  if (!isWellFormedText(text)) throw malformed('note text is not valid Unicode');
}

function signatureLine(name: string, id: number, sig: Buffer): string {
  const idBytes = Buffer.alloc(4);
  idBytes.writeUInt32BE(id);
  return `${EM_DASH} ${name} ${Buffer.concat([idBytes, sig]).toString('base64')}\n`;
}

export function signNote(text: string, signers: readonly NoteSigner[]): string {
  checkText(text);
  if (signers.length === 0) throw malformed('a note needs at least one signature');
  const message = Buffer.from(text, 'utf8');
  return `${text}\n${signers.map((s) => signatureLine(s.name, s.keyId, s.sign(message))).join('')}`;
}

function parseSignatureLine(line: string): NoteSignature {
  const parts = /^\u2014 ([^ ]*) ([^ ]*)$/su.exec(line);
  if (parts === null) throw malformed('a signature line is "— <name> <base64>"');
  const [, name, b64] = parts as unknown as [string, string, string];
  if (!isValidKeyName(name)) throw malformed('invalid key name in a signature line');
  const bytes = decodeBase64Strict(b64);
  if (bytes === undefined || bytes.length < 5) throw malformed('a signature is base64 of a key ID and signature bytes');
  return { name, keyId: bytes.readUInt32BE(0), sig: Buffer.from(bytes.subarray(4)) };
}

/** Splits a signed note into its text and parsed signature lines, without verifying anything. */
export function splitNote(note: string | Uint8Array): { text: string; signatures: NoteSignature[] } {
  let s: string;
  if (typeof note === 'string') {
    s = note;
    if (!isWellFormedText(s)) throw malformed('a note is valid UTF-8');
  } else {
    try {
      s = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(note);
    } catch {
      throw malformed('a note is valid UTF-8');
    }
  }
  if (/[\u0000-\u0009\u000b-\u001f]/.test(s)) throw malformed('a note has a control character');
  if (!s.endsWith('\n')) throw malformed('a note ends in a newline');
  const blank = s.lastIndexOf('\n\n');
  if (blank < 0) throw malformed('a note has a blank line before its signatures');
  const text = s.slice(0, blank + 1);
  // An empty signature part gives one empty line, which is not a signature line.
  const lines = s.slice(blank + 2, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) throw malformed('too many signatures');
  return { text, signatures: lines.map(parseSignatureLine) };
}

/**
 * Opens a signed note: signatures from unknown keys (name and key ID not both matching) are
 * ignored; a known key's signature that fails refuses the whole note ('bad-signature'); at least
 * one known key must verify ('unverified' otherwise). Malformed notes throw 'malformed'.
 */
export function openNote(note: string | Uint8Array, verifiers: readonly NoteVerifier[]): OpenedNote {
  const { text, signatures } = splitNote(note);
  const message = Buffer.from(text, 'utf8');
  const verified: NoteSignature[] = [];
  for (const sig of signatures) {
    const known = verifiers.filter((v) => v.name === sig.name && v.keyId === sig.keyId);
    if (known.length === 0) continue;
    if (!known.some((v) => v.verify(message, sig.sig))) {
      throw new TlogError('bad-signature', `the signature of ${sig.name} does not verify`);
    }
    verified.push(sig);
  }
  if (verified.length === 0) throw new TlogError('unverified', 'no trusted key signed this note');
  const verifiedBy = [...new Set(verified.map((s) => s.name))];
  return { text, verifiedBy, verified, signatures };
}

/**
 * Appends signature lines (e.g. a witness's cosignatures) to a signed note. Each line must be a
 * well-formed signature line; a line already on the note is not repeated.
 */
export function addSignatures(note: string, lines: string | readonly string[]): string {
  const list = typeof lines === 'string' ? lines.split('\n').filter((l) => l !== '') : lines.map((l) => l.replace(/\n$/, ''));
  let out = note;
  for (const line of list) {
    parseSignatureLine(line);
    if (!out.includes(`\n${line}\n`)) out += `${line}\n`;
  }
  // The result must still be one well-formed note (this also checks the note given).
  splitNote(out);
  return out;
}
