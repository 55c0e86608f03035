/**
 * The OpenID Connect provider's secrets, kept in the data directory like the certificate keys
 * (services/signing-keys.ts): private files, never in the database (decision 0043).
 *   <dataDir>/keys/oidc/<kid>.jwk.json   RSA private keys that sign ID tokens (RS256, what every
 *                                        relying party library verifies); `active` names the one
 *                                        that signs, the others stay published for tokens already out
 *   <dataDir>/keys/oidc/cookie-keys      the keys that sign the provider's cookies, newest first
 *   <dataDir>/keys/oidc/pairwise-salt    the secret salted into pairwise subject identifiers
 * Rotation: a new key file and a changed `active` (rotateOidcSigningKey); the old keys stay in the
 * published set until removed by the operator.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPairSync, randomBytes, createHash, type JsonWebKey } from 'node:crypto';
import { ensurePrivateDir, writePrivateFile } from '../../private-files.js';

export interface OidcKeys {
  /** Private JWKs, the active one first (oidc-provider signs with the first of an algorithm). */
  signing: JsonWebKey[];
  cookieKeys: string[];
  pairwiseSalt: string;
}

const dirOf = (dataDir: string) => join(dataDir, 'keys', 'oidc');

function newSigningKey(dir: string): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  const kid = createHash('sha256').update(`${jwk.n}.${jwk.e}`).digest('base64url').slice(0, 16);
  writePrivateFile(join(dir, `${kid}.jwk.json`), JSON.stringify({ ...jwk, kid, alg: 'RS256', use: 'sig' }));
  writePrivateFile(join(dir, 'active'), `${kid}\n`);
  return kid;
}

function secretFile(path: string, make: () => string): string {
  if (!existsSync(path)) writePrivateFile(path, `${make()}\n`);
  return readFileSync(path, 'utf8').trim();
}

/** The keys in the data directory, made on first use. */
export function loadOidcKeys(dataDir: string): OidcKeys {
  const dir = dirOf(dataDir);
  ensurePrivateDir(dir);
  const active = existsSync(join(dir, 'active')) ? readFileSync(join(dir, 'active'), 'utf8').trim() : newSigningKey(dir);
  const files = readdirSync(dir).filter((f) => f.endsWith('.jwk.json'));
  const keys = files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as JsonWebKey & { kid: string });
  const signing = [...keys.filter((k) => k.kid === active), ...keys.filter((k) => k.kid !== active)];
  const cookieKeys = secretFile(join(dir, 'cookie-keys'), () => randomBytes(32).toString('base64url')).split('\n').filter((l) => l !== '');
  const pairwiseSalt = secretFile(join(dir, 'pairwise-salt'), () => randomBytes(32).toString('base64url'));
  return { signing, cookieKeys, pairwiseSalt };
}

/** A new signing key becomes active (servers read it at their next start). */
export function rotateOidcSigningKey(dataDir: string): string {
  const dir = dirOf(dataDir);
  ensurePrivateDir(dir);
  return newSigningKey(dir);
}
