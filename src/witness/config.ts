/**
 * The witness's configuration file (JSON), read once at start:
 *   { "name": "<witness key name>",
 *     "logs": [ { "origin": "<checkpoint origin>", "keys": ["<log verifier key>", ...] }, ... ] }
 * A log's keys are signed-note verifier keys of type 0x01 (Ed25519), as `dancu` prints its log key.
 * Several keys per log allow the log's key to be rotated without stopping the witness.
 */
import { readFileSync } from 'node:fs';
import { verifierFromKeyString } from '../transparency/keys.js';
import { isValidKeyName, parseVerifierKey, SIG_TYPE_ED25519, type NoteVerifier } from '../transparency/note.js';

export interface WitnessConfig {
  /** The witness's key name, e.g. "thanhtra.example.vn/witness". */
  name: string;
  /** Trusted log keys by checkpoint origin. */
  logs: Map<string, NoteVerifier[]>;
}

export function parseWitnessConfig(text: string): WitnessConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error('the witness configuration is not JSON');
  }
  const obj = raw as { name?: unknown; logs?: unknown };
  if (typeof obj !== 'object' || obj === null) throw new Error('the witness configuration is a JSON object');
  if (typeof obj.name !== 'string' || !isValidKeyName(obj.name)) {
    throw new Error('"name" is the witness key name: non-empty, no spaces, no "+"');
  }
  if (!Array.isArray(obj.logs) || obj.logs.length === 0) throw new Error('"logs" lists at least one log');
  const logs = new Map<string, NoteVerifier[]>();
  for (const [i, entry] of (obj.logs as unknown[]).entries()) {
    const e = entry as { origin?: unknown; keys?: unknown };
    if (typeof e !== 'object' || e === null || typeof e.origin !== 'string' || e.origin === '' || /[\u0000-\u001f]/.test(e.origin)) {
      throw new Error(`logs[${i}].origin is the log's checkpoint origin (one non-empty line)`);
    }
    if (logs.has(e.origin)) throw new Error(`logs[${i}]: origin ${e.origin} is listed twice`);
    if (!Array.isArray(e.keys) || e.keys.length === 0 || !e.keys.every((k) => typeof k === 'string')) {
      throw new Error(`logs[${i}].keys lists the log's verifier keys`);
    }
    const verifiers = (e.keys as string[]).map((k, j) => {
      try {
        if (parseVerifierKey(k.trim()).type !== SIG_TYPE_ED25519) throw new Error('not an Ed25519 (type 0x01) key');
        return verifierFromKeyString(k);
      } catch (err) {
        throw new Error(`logs[${i}].keys[${j}]: ${(err as Error).message}`);
      }
    });
    logs.set(e.origin, verifiers);
  }
  return { name: obj.name, logs };
}

export function readWitnessConfig(path: string): WitnessConfig {
  return parseWitnessConfig(readFileSync(path, 'utf8'));
}
