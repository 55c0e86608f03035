/**
 * The transparency log's Ed25519 key and its origin (decision 0029). Kept like the certificate
 * keys: a PEM file given by DANCU_LOG_KEY_FILE, or generated on first start as
 * <dataDir>/keys/log-ed25519.pem (0600), never in the database; beside it, the last checkpoint it
 * signed (signed-state.ts): it moves with the key and is never rolled back with the database. The key's name is the log's origin
 * (C2SP tlog-checkpoint): DANCU_LOG_ORIGIN, else the origin the log was first signed under, else
 * "<host of the public URL>/dancu-log" — so a server restarted on another port keeps its log's name.
 */
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { signedStatePathFor } from './signed-state.js';
import { ed25519PublicKeyRaw, ed25519Signer, ed25519Verifier, isValidKeyName, verifierKeyString, type NoteSigner, type NoteVerifier } from '../../transparency/note.js';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../../private-files.js';
import type { Store } from '../../store/connect.js';
import { readLogState } from '../../store/repositories/transparency-log.js';

export interface LogKeyConfig {
  dataDir: string;
  /** DANCU_LOG_KEY_FILE: a PEM (PKCS#8) Ed25519 private key. */
  keyFile?: string;
  /** DANCU_LOG_ORIGIN. */
  origin?: string;
  /** The server's public URL, whose host names the log when no origin is configured or stored. */
  publicUrl?: string;
}

export interface LogKey {
  /** The log's origin, also its key's name. */
  readonly origin: string;
  readonly signer: NoteSigner;
  readonly verifier: NoteVerifier;
  /** "<origin>+<key ID>+<base64(0x01 || public key)>": what verifiers and witnesses configure. */
  readonly verifierKey: string;
  /** The file beside the key holding the last checkpoint it signed (signed-state.ts); none in tests that sign in memory. */
  readonly signedStateFile?: string;
}

export const LOG_KEY_FILE_NAME = 'log-ed25519.pem';
export const DEFAULT_LOG_PATH = 'dancu-log';

/** "<host>/dancu-log" for a public URL (host with its port, if any). */
export function defaultOrigin(publicUrl: string | undefined): string {
  let host = 'localhost';
  try {
    if (publicUrl) host = new URL(publicUrl).host || host;
  } catch {
    // An unparsable URL names no host: the default stands.
  }
  return `${host}/${DEFAULT_LOG_PATH}`;
}

const defaultKeyPath = (dataDir: string) => join(dataDir, 'keys', LOG_KEY_FILE_NAME);

function readKey(path: string): KeyObject {
  const key = createPrivateKey(readFileSync(path, 'utf8'));
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${path}: the log key must be an Ed25519 private key`);
  return key;
}

/** The key in the data directory, created (owner-only) on first start; a concurrent creator wins. */
function keyFromDataDir(dataDir: string): KeyObject {
  const path = defaultKeyPath(dataDir);
  const dir = dirname(path);
  if (!existsSync(path)) {
    ensurePrivateDir(dir);
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    try {
      writeFileSync(path, pem, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
      chmodSync(path, PRIVATE_FILE_MODE);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  return readKey(path);
}

export function logKeyOf(origin: string, privateKey: KeyObject, signedStateFile?: string): LogKey {
  if (!isValidKeyName(origin)) throw new Error(`the log origin "${origin}" is not a valid key name (no spaces, no "+")`);
  const raw = ed25519PublicKeyRaw(privateKey);
  return {
    origin,
    signer: ed25519Signer(origin, privateKey),
    verifier: ed25519Verifier(origin, raw),
    verifierKey: verifierKeyString(origin, raw),
    ...(signedStateFile ? { signedStateFile } : {}),
  };
}

/**
 * Loads (or creates) the log key and settles the origin. A configured origin that differs from
 * the one the log was already signed under is refused: a log has one name for its whole life.
 */
export async function loadLogKey(store: Store, config: LogKeyConfig): Promise<LogKey> {
  const privateKey = config.keyFile ? readKey(config.keyFile) : keyFromDataDir(config.dataDir);
  const stored = (await readLogState(store.db)).origin;
  if (config.origin && stored && config.origin !== stored) {
    throw new Error(`DANCU_LOG_ORIGIN is "${config.origin}" but this log was signed as "${stored}": a log keeps its origin`);
  }
  const keyPath = config.keyFile ?? defaultKeyPath(config.dataDir);
  return logKeyOf(config.origin || stored || defaultOrigin(config.publicUrl), privateKey, signedStatePathFor(keyPath));
}
