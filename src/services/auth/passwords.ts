/**
 * Password hashing and the common-password list (decision 0038). scrypt from node:crypto (RFC 7914;
 * memory-hard, in Node without any package), stored as `scrypt$<logN>$<r>$<p>$<salt>$<hash>` so that
 * a later change of parameters still verifies old hashes. The work runs on libuv's thread pool, off
 * the event loop.
 */
import { randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { normalizePassword, passwordProblem } from '../../domain/auth/password-rules.js';
import { REFERENCE_DATA_DIR } from '../../store/reference-data.js';

const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** logN;
  // scrypt needs 128·N·r bytes; Node refuses above maxmem (32 MiB by default).
  const maxmem = 256 * N * r + 1_048_576;
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { N, r, p, maxmem }, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPassword(password: string, logN: number): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(normalizePassword(password), salt, logN, R, P);
  return `scrypt$${logN}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [logN, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const expected = Buffer.from(parts[5] as string, 'base64url');
  const key = await derive(normalizePassword(password), Buffer.from(parts[4] as string, 'base64url'), logN, r, p);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

const dummies = new Map<number, Promise<string>>();
/**
 * A hash of no one's password at this cost: an unknown login name is checked against it, so that
 * the answer takes the same work whether the account exists or not.
 */
export function dummyHash(logN: number): Promise<string> {
  let h = dummies.get(logN);
  if (!h) {
    h = hashPassword(randomBytes(24).toString('base64url'), logN);
    dummies.set(logN, h);
  }
  return h;
}

let common: ReadonlySet<string> | undefined;
/** reference-data/common-passwords/passwords.txt (provenance beside it), read once. */
export function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(
    readFileSync(join(REFERENCE_DATA_DIR, 'common-passwords', 'passwords.txt'), 'utf8')
      .split('\n')
      .map((l) => l.trim().toLowerCase())
      .filter((l) => l !== ''),
  );
  return common;
}

/** Words a password may not be built on: the service's names and the account's login name. */
export const SERVICE_WORDS = ['dancu', 'dân cư'];

/** Refuses a new password that breaks a rule (400 with the rule's code). */
export function checkNewPassword(password: string, login: string): void {
  const problem = passwordProblem(password, commonPasswords(), [...SERVICE_WORDS, login]);
  if (problem) throw new RegistryError(problem);
}

const INITIAL_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
/** A one-time initial password: 4 groups of 4 (about 79 bits), no look-alike characters. */
export function newInitialPassword(): string {
  const groups: string[] = [];
  for (let g = 0; g < 4; g++) {
    let s = '';
    for (let i = 0; i < 4; i++) s += INITIAL_ALPHABET[randomInt(INITIAL_ALPHABET.length)];
    groups.push(s);
  }
  return groups.join('-');
}
