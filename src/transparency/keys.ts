/**
 * Verifier key strings ("<name>+<key ID>+<base64(type || key)>") to note verifiers: the one way a
 * configuration file, a CLI flag or a published key list turns into something that checks
 * signatures. Type 0x01 is a log's Ed25519 key; 0x04 a witness's cosignature key.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { cosignatureVerifier } from './cosignature.js';
import { malformed } from './errors.js';
import { ed25519Verifier, parseVerifierKey, SIG_TYPE_COSIGNATURE_V1, SIG_TYPE_ED25519, type NoteVerifier } from './note.js';

export function verifierFromKeyString(text: string): NoteVerifier {
  const key = parseVerifierKey(text.trim());
  if (key.type === SIG_TYPE_ED25519) return ed25519Verifier(key.name, key.publicKey);
  if (key.type === SIG_TYPE_COSIGNATURE_V1) return cosignatureVerifier(key.name, key.publicKey);
  throw malformed(`signature type 0x${key.type.toString(16).padStart(2, '0')} is not supported`);
}

export function generateEd25519(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ed25519');
}
