/**
 * RFC 6962 §2.1 hashing (unchanged in RFC 9162 §2.1.1): SHA-256 with one domain-separation byte,
 * 0x00 before a leaf and 0x01 before two child hashes, so a leaf can never pass for a node.
 */
import { createHash } from 'node:crypto';

/** A Merkle tree hash: always 32 bytes. */
export type Hash = Buffer;

export const HASH_SIZE = 32;

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** MTH({d}) = SHA-256(0x00 || d). */
export function leafHash(data: Uint8Array): Hash {
  return createHash('sha256').update(LEAF_PREFIX).update(data).digest();
}

/** An interior node: SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Hash {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** MTH({}) = SHA-256 of the empty string. */
export const EMPTY_ROOT: Hash = createHash('sha256').digest();

/** True for a 32-byte buffer: what every hash read from outside must be. */
export function isHash(value: unknown): value is Hash {
  return Buffer.isBuffer(value) && value.length === HASH_SIZE;
}
