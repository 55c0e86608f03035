/**
 * C2SP tlog-cosignature v1 with Ed25519 (signature type 0x04): a witness's timestamped statement
 * that a checkpoint is the largest consistent one it has seen for that log.
 *   message   = "cosignature/v1\n" + "time <POSIX seconds>\n" + the checkpoint note text
 *   signature = key ID (4) || timestamp (8, big-endian) || Ed25519 signature (64)
 * The message does not commit to the witness's name, so one key serves one witness only.
 */
import { sign, verify, type KeyObject } from 'node:crypto';
import { malformed } from './errors.js';
import {
  ed25519PublicKeyFromRaw,
  ed25519PublicKeyRaw,
  isValidKeyName,
  keyId,
  openNote,
  SIG_TYPE_COSIGNATURE_V1,
  type NoteVerifier,
} from './note.js';

const EM_DASH = '\u2014';
const SIGNATURE_BYTES = 8 + 64;

export interface Cosigner {
  name: string;
  keyId: number;
  publicKey: Buffer;
  privateKey: KeyObject;
}

export function cosigner(name: string, privateKey: KeyObject): Cosigner {
  if (!isValidKeyName(name)) throw malformed('invalid key name');
  const publicKey = ed25519PublicKeyRaw(privateKey);
  return { name, keyId: keyId(name, SIG_TYPE_COSIGNATURE_V1, publicKey), publicKey, privateKey };
}

function checkTimestamp(timestamp: number): void {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw malformed('a timestamp is a non-negative integer');
}

/** The bytes an Ed25519 cosignature signs. */
export function cosignatureMessage(checkpointText: string, timestamp: number): Buffer {
  checkTimestamp(timestamp);
  return Buffer.from(`cosignature/v1\ntime ${timestamp}\n${checkpointText}`, 'utf8');
}

/** The signature bytes (without key ID): timestamp then Ed25519 signature. */
export function cosignatureBytes(checkpointText: string, timestamp: number, privateKey: KeyObject): Buffer {
  const ts = Buffer.alloc(8);
  ts.writeBigUInt64BE(BigInt(timestamp));
  return Buffer.concat([ts, sign(null, cosignatureMessage(checkpointText, timestamp), privateKey)]);
}

/** A cosignature line, "— <name> <base64(keyID || timestamp || signature)>\n". */
export function cosign(checkpointText: string, timestamp: number, key: Cosigner): string {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(key.keyId);
  const bytes = Buffer.concat([id, cosignatureBytes(checkpointText, timestamp, key.privateKey)]);
  return `${EM_DASH} ${key.name} ${bytes.toString('base64')}\n`;
}

/** Splits the bytes after the key ID; undefined if not 72 bytes or the timestamp is too large. */
export function parseCosignatureBytes(sig: Buffer): { timestamp: number; signature: Buffer } | undefined {
  if (sig.length !== SIGNATURE_BYTES) return undefined;
  const ts = sig.readBigUInt64BE(0);
  if (ts > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return { timestamp: Number(ts), signature: sig.subarray(8) };
}

/**
 * A note verifier for a witness's cosignatures, so openNote (and receipts) check witness lines
 * with the same code as log signatures. The note text is the checkpoint text.
 */
export function cosignatureVerifier(name: string, publicKey: KeyObject | Uint8Array): NoteVerifier {
  if (!isValidKeyName(name)) throw malformed('invalid key name');
  const key = publicKey instanceof Uint8Array ? ed25519PublicKeyFromRaw(publicKey) : publicKey;
  return {
    name,
    keyId: keyId(name, SIG_TYPE_COSIGNATURE_V1, ed25519PublicKeyRaw(key)),
    verify: (message, sig) => {
      const parsed = parseCosignatureBytes(sig);
      if (parsed === undefined) return false;
      const signed = cosignatureMessage(message.toString('utf8'), parsed.timestamp);
      return verify(null, signed, key, parsed.signature);
    },
  };
}

/**
 * Checks one cosignature line (or several lines) over a checkpoint text with a witness's key.
 * Never throws for bad input: ok is false.
 */
export function verifyCosignature(
  checkpointText: string,
  line: string,
  witness: { name: string; publicKey: KeyObject | Uint8Array },
): { ok: boolean; timestamp?: number } {
  try {
    const v = cosignatureVerifier(witness.name, witness.publicKey);
    const opened = openNote(`${checkpointText}\n${line.endsWith('\n') ? line : `${line}\n`}`, [v]);
    return { ok: true, timestamp: (parseCosignatureBytes(opened.verified[0]!.sig) as { timestamp: number }).timestamp };
  } catch {
    return { ok: false };
  }
}
