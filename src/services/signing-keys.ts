/**
 * The registry's Ed25519 signing key for certificates. The private key lives in a file — given by
 * DANCU_SIGNING_KEY_FILE, or generated on first start as <dataDir>/keys/<kid>.pem — never in the
 * database; every public key ever used is published (table signing_key, /.well-known/dancu-keys.json)
 * so certificates signed before a rotation keep verifying.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { generateSigningKey, keyIdOf, keyRing, publicJwk, type Ed25519PublicJwk, type SigningKey } from '../documents/signed-statement.js';
import type { Store } from '../store/connect.js';
import { listSigningKeys, publishSigningKey, retireSigningKeys } from '../store/repositories/certificates.js';
import type { Clock } from './clock.js';

export interface KeyConfig {
  dataDir: string;
  /** A PEM file holding the active private key (overrides the data directory). */
  keyFile?: string;
}

export interface SigningKeys {
  active: SigningKey;
  /** kid → public key, for verification (active and retired). */
  ring(): Promise<Map<string, KeyObject>>;
  jwks(): Promise<{ keys: (Ed25519PublicJwk & { use: 'sig'; alg: 'EdDSA' })[] }>;
}

function fromPem(pem: string): SigningKey {
  const priv = createPrivateKey(pem);
  const publicKeyPem = createPublicKey(priv).export({ type: 'spki', format: 'pem' }).toString();
  return { kid: keyIdOf(publicKeyPem), privateKeyPem: pem, publicKeyPem };
}

function keyDir(config: KeyConfig): string {
  return join(config.dataDir, 'keys');
}

/** The key named by <dataDir>/keys/active, or a new key written there. */
function activeKeyFromDir(config: KeyConfig): SigningKey {
  const pointer = join(keyDir(config), 'active');
  if (existsSync(pointer)) {
    const kid = readFileSync(pointer, 'utf8').trim();
    return fromPem(readFileSync(join(keyDir(config), `${kid}.pem`), 'utf8'));
  }
  return writeNewKey(config);
}

function writeNewKey(config: KeyConfig): SigningKey {
  const key = generateSigningKey();
  const dir = keyDir(config);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${key.kid}.pem`);
  writeFileSync(file, key.privateKeyPem, { mode: 0o600 });
  chmodSync(file, 0o600);
  // Old key files stay: the public halves are published anyway, and an operator may need them.
  writeFileSync(join(dir, 'active'), `${key.kid}\n`);
  return key;
}

async function open(store: Store, clock: Clock, active: SigningKey): Promise<SigningKeys> {
  await publishSigningKey(store.db, { kid: active.kid, publicKeyPem: active.publicKeyPem, createdAt: clock.now().toISOString() });
  return {
    active,
    ring: async () => keyRing((await listSigningKeys(store.db)).map((k) => k.publicKeyPem)),
    jwks: async () => ({
      keys: (await listSigningKeys(store.db)).map((k) => ({ ...publicJwk(k.publicKeyPem), use: 'sig' as const, alg: 'EdDSA' as const })),
    }),
  };
}

export async function loadSigningKeys(store: Store, clock: Clock, config: KeyConfig): Promise<SigningKeys> {
  const active = config.keyFile ? fromPem(readFileSync(config.keyFile, 'utf8')) : activeKeyFromDir(config);
  return open(store, clock, active);
}

/** Generates a new active key in the data directory and retires the others (they stay published). */
export async function rotateSigningKey(store: Store, clock: Clock, config: KeyConfig): Promise<SigningKeys> {
  if (config.keyFile) throw new Error('the signing key is given by DANCU_SIGNING_KEY_FILE; rotate it there');
  const key = writeNewKey(config);
  const keys = await open(store, clock, key);
  await retireSigningKeys(store.db, key.kid, clock.now().toISOString());
  return keys;
}
