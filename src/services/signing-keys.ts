/**
 * The registry's Ed25519 signing key for certificates. The private key lives in a file — given by
 * DANCU_SIGNING_KEY_FILE, or generated on first start as <dataDir>/keys/<kid>.pem — never in the
 * database; every public key ever used is published (table signing_key, /.well-known/dancu-keys.json)
 * so certificates signed before a rotation keep verifying.
 */
import { existsSync, readFileSync } from 'node:fs';
import { ensurePrivateDir, writePrivateFile } from '../private-files.js';
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
  /** The key that signs now; follows `dancu keys rotate` (or a replaced key file) within a second. */
  readonly active: SigningKey;
  /** kid → public key, for verification (active and retired). */
  ring(): Promise<Map<string, KeyObject>>;
  jwks(): Promise<{ keys: (Ed25519PublicJwk & { use: 'sig'; alg: 'EdDSA' })[] }>;
  /**
   * Reads the key files again and, if another key is now active, publishes it and signs with it.
   * Running servers do this every second, so a rotation by another process reaches them.
   */
  refresh(): Promise<void>;
  /** Stops watching the key files. */
  stop(): void;
}

/** How often a running process looks at the key files for a rotation. */
export const KEY_WATCH_INTERVAL_MS = 1000;

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
  ensurePrivateDir(dir);
  const file = join(dir, `${key.kid}.pem`);
  writePrivateFile(file, key.privateKeyPem);
  // Old key files stay: the public halves are published anyway, and an operator may need them.
  writePrivateFile(join(dir, 'active'), `${key.kid}\n`);
  return key;
}

/** What the key files say is active now (the pointer in the data directory, or the key file itself). */
function currentKeySource(config: KeyConfig): string {
  return config.keyFile ? readFileSync(config.keyFile, 'utf8') : readFileSync(join(keyDir(config), 'active'), 'utf8').trim();
}

async function open(store: Store, clock: Clock, initial: SigningKey, config?: KeyConfig): Promise<SigningKeys> {
  const publish = (k: SigningKey) => publishSigningKey(store.db, { kid: k.kid, publicKeyPem: k.publicKeyPem, createdAt: clock.now().toISOString() });
  await publish(initial);
  let active = initial;
  let source = config ? currentKeySource(config) : '';
  let checking: Promise<void> | undefined;
  const refresh = (): Promise<void> =>
    (checking ??= (async () => {
      if (!config) return;
      try {
        const now = currentKeySource(config);
        if (now === source) return;
        const next = config.keyFile ? fromPem(now) : fromPem(readFileSync(join(keyDir(config), `${now}.pem`), 'utf8'));
        // Published before it signs anything, so every certificate it signs verifies at once.
        await publish(next);
        active = next;
        source = now;
      } catch {
        // A file caught half-written, or the store briefly away: the next look tries again.
      }
    })().finally(() => {
      checking = undefined;
    }));
  const timer = config ? setInterval(() => void refresh(), KEY_WATCH_INTERVAL_MS) : undefined;
  timer?.unref();
  return {
    get active() {
      return active;
    },
    refresh,
    stop: () => clearInterval(timer),
    ring: async () => keyRing((await listSigningKeys(store.db)).map((k) => k.publicKeyPem)),
    jwks: async () => ({
      keys: (await listSigningKeys(store.db)).map((k) => ({ ...publicJwk(k.publicKeyPem), use: 'sig' as const, alg: 'EdDSA' as const })),
    }),
  };
}

export async function loadSigningKeys(store: Store, clock: Clock, config: KeyConfig): Promise<SigningKeys> {
  const active = config.keyFile ? fromPem(readFileSync(config.keyFile, 'utf8')) : activeKeyFromDir(config);
  return open(store, clock, active, config);
}

/** Generates a new active key in the data directory and retires the others (they stay published). */
export async function rotateSigningKey(store: Store, clock: Clock, config: KeyConfig): Promise<SigningKeys> {
  if (config.keyFile) throw new Error('the signing key is given by DANCU_SIGNING_KEY_FILE; rotate it there');
  const key = writeNewKey(config);
  const keys = await open(store, clock, key);
  await retireSigningKeys(store.db, key.kid, clock.now().toISOString());
  return keys;
}
