/**
 * Compact signed statements for the QR printed on certificates (decision 0009).
 *
 *   DCU1.<kid>.<base64url(UTF-8 JSON claims)>.<base64url(Ed25519 signature)>
 *
 * The signature covers the ASCII string "DCU1.<kid>.<claims-b64>", i.e. the exact characters a
 * scanner reads, so nothing has to be re-serialised (no JSON canonicalisation) to verify.
 * Why not a JWS: a compact JWS carries a JSON header ({"alg":"EdDSA","kid":...}) that costs ~50
 * characters and therefore QR modules; the fixed prefix says the same thing. A statement converts
 * to a JWS trivially if an agency ever needs one.
 *
 * Key rotation: the verifier gets every published key (current and retired) keyed by kid, so
 * statements signed with a retired key keep verifying for as long as its public key is published.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

export const STATEMENT_PREFIX = 'DCU1';

/**
 * Upper bound for a whole statement. 2048 characters is a version-35 QR at level M: already too
 * dense to print at certificate size, so anything longer is a mistake in the claims, not data.
 */
export const MAX_STATEMENT_LENGTH = 2048;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** What the caller asserts: certificate number, kind, personal ID, dates, content digest, ... */
export type StatementClaims = { [key: string]: JsonValue };

export interface SigningKey {
  /** Short key ID: first 16 characters of base64url(SHA-256(SPKI DER of the public key)). */
  kid: string;
  privateKeyPem: string;
  publicKeyPem: string;
}

export interface Ed25519PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

export type VerifyFailure =
  /** Not a DCU1 statement, non-canonical base64url, wrong signature size, or signed claims that are not a JSON object. */
  | 'FORMAT'
  /** Well formed, but its kid is not among the published keys. */
  | 'UNKNOWN_KEY'
  /** The signature does not match: the statement was altered, or signed by another key. */
  | 'BAD_SIGNATURE';

export type VerifyResult =
  | { ok: true; kid: string; claims: StatementClaims }
  | { ok: false; reason: VerifyFailure };

const KID_LENGTH = 16;
const B64URL = /^[A-Za-z0-9_-]+$/;
const SIGNATURE_BYTES = 64;

function asKey(key: KeyObject | string, kind: 'public' | 'private'): KeyObject {
  const obj = typeof key === 'string' ? (kind === 'public' ? createPublicKey(key) : createPrivateKey(key)) : key;
  if (obj.asymmetricKeyType !== 'ed25519') throw new TypeError(`expected an Ed25519 ${kind} key, got ${obj.asymmetricKeyType ?? obj.type}`);
  return obj;
}

/** The kid of a public key (also accepts a private key and uses its public half). */
export function keyIdOf(key: KeyObject | string): string {
  const obj = typeof key === 'string' ? createPublicKey(key) : key.type === 'private' ? createPublicKey(key) : key;
  asKey(obj, 'public');
  const der = obj.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64url').slice(0, KID_LENGTH);
}

export function generateSigningKey(): SigningKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    kid: keyIdOf(publicKey),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** The public key as a JWK (RFC 8037 OKP), for publishing at a well-known URL. */
export function publicJwk(publicKey: KeyObject | string): Ed25519PublicJwk {
  const obj = asKey(typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey, 'public');
  const jwk = obj.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new TypeError('Ed25519 key without x coordinate');
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid: keyIdOf(obj), alg: 'EdDSA', use: 'sig' };
}

/** The public key from a published JWK (e.g. fetched by a verifier). */
export function publicKeyFromJwk(jwk: Pick<Ed25519PublicJwk, 'kty' | 'crv' | 'x'>): KeyObject {
  return asKey(createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' }), 'public');
}

/** A verification key ring from public keys, each under its computed kid. */
export function keyRing(publicKeys: Iterable<KeyObject | string>): Map<string, KeyObject> {
  const ring = new Map<string, KeyObject>();
  for (const k of publicKeys) {
    const obj = asKey(typeof k === 'string' ? createPublicKey(k) : k, 'public');
    ring.set(keyIdOf(obj), obj);
  }
  return ring;
}

/**
 * Signs `claims` with `key`. The kid is always derived from the private key itself; if the caller
 * also gives one that disagrees (a mixed-up key file), this throws rather than issuing statements
 * nobody can verify.
 */
export function signStatement(claims: StatementClaims, key: { privateKeyPem: string | KeyObject; kid?: string }): string {
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) throw new TypeError('claims must be a JSON object');
  const priv = asKey(key.privateKeyPem, 'private');
  const kid = keyIdOf(priv);
  if (key.kid !== undefined && key.kid !== kid) throw new Error(`signing key kid mismatch: given ${key.kid}, key is ${kid}`);
  const claimsB64 = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  const signed = `${STATEMENT_PREFIX}.${kid}.${claimsB64}`;
  const signature = sign(null, Buffer.from(signed, 'ascii'), priv).toString('base64url');
  const statement = `${signed}.${signature}`;
  if (statement.length > MAX_STATEMENT_LENGTH) throw new RangeError(`statement is ${statement.length} characters, over ${MAX_STATEMENT_LENGTH}`);
  return statement;
}

/**
 * Strict base64url: Buffer.from(s, 'base64url') silently skips stray characters and ignores the
 * spare low bits of the last character, so two different strings could decode to the same bytes.
 * Requiring the canonical encoding makes every character of the statement count.
 */
function decodeB64url(s: string): Buffer | undefined {
  if (!B64URL.test(s)) return undefined;
  const bytes = Buffer.from(s, 'base64url');
  return bytes.toString('base64url') === s ? bytes : undefined;
}

function isPlainObject(v: unknown): v is StatementClaims {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Verifies a scanned statement against the published keys. Checks in order: shape (FORMAT), kid
 * (UNKNOWN_KEY), signature (BAD_SIGNATURE); the claims JSON is parsed only once the signature
 * holds, so unauthenticated input never reaches JSON.parse. A ring holding a non-Ed25519 key is a
 * configuration error and throws a TypeError (it is not the scanned statement's fault).
 */
export function verifyStatement(text: string, publicKeys: ReadonlyMap<string, KeyObject | string>): VerifyResult {
  if (text.length > MAX_STATEMENT_LENGTH) return { ok: false, reason: 'FORMAT' };
  const parts = text.split('.');
  if (parts.length !== 4) return { ok: false, reason: 'FORMAT' };
  const [prefix, kid, claimsB64, sigB64] = parts as [string, string, string, string];
  if (prefix !== STATEMENT_PREFIX || kid.length !== KID_LENGTH || !B64URL.test(kid)) return { ok: false, reason: 'FORMAT' };
  const claimBytes = decodeB64url(claimsB64);
  const signature = decodeB64url(sigB64);
  if (!claimBytes || !signature || signature.length !== SIGNATURE_BYTES) return { ok: false, reason: 'FORMAT' };

  const pub = publicKeys.get(kid);
  if (pub === undefined) return { ok: false, reason: 'UNKNOWN_KEY' };
  const signed = Buffer.from(`${prefix}.${kid}.${claimsB64}`, 'ascii');
  if (!verify(null, signed, asKey(pub, 'public'), signature)) return { ok: false, reason: 'BAD_SIGNATURE' };

  let claims: unknown;
  try {
    claims = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(claimBytes));
  } catch {
    return { ok: false, reason: 'FORMAT' };
  }
  if (!isPlainObject(claims)) return { ok: false, reason: 'FORMAT' };
  return { ok: true, kid, claims };
}

/**
 * SHA-256 (base64url, 43 characters) of the NFC form of a certificate's text content. Put it in the
 * claims; a verifier recomputes it from the text in front of them and compares, so a certificate
 * whose printed text was altered no longer matches its QR even though the QR itself verifies.
 */
export function contentDigest(text: string): string {
  return createHash('sha256').update(text.normalize('NFC'), 'utf8').digest('base64url');
}
