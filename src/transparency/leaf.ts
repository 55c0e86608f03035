/**
 * What a leaf of the transparency log commits to (decision 0027). Each committed row — an access
 * entry, a history version, an event — gets a leaf whose data names the row (its table, its key,
 * the rest of its key) and commits to its content by a SHA-256 digest of the row's columns, with a
 * random salt: tiles and checkpoints are public, and without the salt a leaf hash could be tested
 * against guessed personal IDs. The salt and digest are kept beside the row (tlog_leaf_ref).
 *
 * Leaf data is UTF-8 text, one field per line:
 *   dancu/leaf/v1 \n <kind> \n <subject key> \n <ref> \n <salt, base64> \n <digest, base64> \n
 */
import { hash, randomBytes } from 'node:crypto';

export const LEAF_HEADER = 'dancu/leaf/v1';
export const SALT_BYTES = 16;

/** A column value as the store returns it: text, number or null (booleans are 0/1, times ISO text). */
export type ColumnValue = string | number | null;

export interface LeafData {
  kind: string;
  subjectKey: string;
  ref: string;
  /** base64 of SALT_BYTES random bytes. */
  salt: string;
  /** base64 of SHA-256 over the row's canonical form. */
  digest: string;
}

/**
 * The canonical form of a row: its columns in the order given, as a JSON array of [name, value]
 * pairs (an absent column counts as null). Numbers are written by JSON's shortest round-trip form,
 * so a value reads back from either store to the same text.
 */
export function canonicalRow(columns: readonly string[], row: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(columns.map((c) => [c, normaliseValue(row[c])]));
}

function normaliseValue(v: unknown): ColumnValue {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new TypeError(`a committed column holds ${typeof v}: only text, numbers and null are committed`);
}

export function rowDigest(columns: readonly string[], row: Readonly<Record<string, unknown>>): string {
  // The one-shot hash: a hash object per row cost more than the hashing (every leaf digests a row).
  return hash('sha256', canonicalRow(columns, row), 'base64');
}

/*
 * Salts come from a pool of random bytes refilled 64 KiB at a time: one call into the CSPRNG per
 * 4,096 salts instead of one per leaf (that call was most of a leaf's cost when seeding). Every
 * byte is used once; each thread and process has its own pool.
 */
const SALT_POOL_BYTES = SALT_BYTES * 4096;
let saltPool = Buffer.alloc(0);
let saltOffset = 0;

export function newSalt(): string {
  if (saltOffset + SALT_BYTES > saltPool.length) {
    saltPool = randomBytes(SALT_POOL_BYTES);
    saltOffset = 0;
  }
  const salt = saltPool.toString('base64', saltOffset, saltOffset + SALT_BYTES);
  saltOffset += SALT_BYTES;
  return salt;
}

const FIELD = /^[^\n\r]+$/;

export function formatLeafData(l: LeafData): Buffer {
  for (const v of [l.kind, l.subjectKey, l.ref, l.salt, l.digest]) {
    if (!FIELD.test(v)) throw new TypeError('a leaf field is empty or holds a line break');
  }
  return Buffer.from(`${LEAF_HEADER}\n${l.kind}\n${l.subjectKey}\n${l.ref}\n${l.salt}\n${l.digest}\n`, 'utf8');
}

/** The leaf data's fields, or undefined when the bytes are not a dancu leaf. */
export function parseLeafData(data: Uint8Array): LeafData | undefined {
  const text = Buffer.from(data).toString('utf8');
  if (!text.endsWith('\n')) return undefined;
  const lines = text.slice(0, -1).split('\n');
  if (lines.length !== 6 || lines[0] !== LEAF_HEADER) return undefined;
  const [, kind, subjectKey, ref, salt, digest] = lines as [string, string, string, string, string, string];
  if (![kind, subjectKey, ref, salt, digest].every((v) => v.length > 0 && !v.includes('\r'))) return undefined;
  if (Buffer.from(salt, 'base64').length !== SALT_BYTES || Buffer.from(digest, 'base64').length !== 32) return undefined;
  return { kind, subjectKey, ref, salt, digest };
}
