/**
 * RFC 6962 §2.1 hashing (unchanged in RFC 9162 §2.1.1): SHA-256 with one domain-separation byte,
 * 0x00 before a leaf and 0x01 before two child hashes, so a leaf can never pass for a node.
 */
import { createHash, hash } from 'node:crypto';

/** A Merkle tree hash: always 32 bytes. */
export type Hash = Buffer;

export const HASH_SIZE = 32;

// One-shot crypto.hash over one buffer is about twice as fast as a Hash object per call, which
// matters to the sequencer (tens of thousands of leaves a second).

/** MTH({d}) = SHA-256(0x00 || d). */
export function leafHash(data: Uint8Array): Hash {
  const buf = Buffer.allocUnsafe(1 + data.length);
  buf[0] = 0x00;
  buf.set(data, 1);
  return hash('sha256', buf, 'buffer');
}

/** An interior node: SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Hash {
  const buf = Buffer.allocUnsafe(1 + left.length + right.length);
  buf[0] = 0x01;
  buf.set(left, 1);
  buf.set(right, 1 + left.length);
  return hash('sha256', buf, 'buffer');
}

/** MTH({}) = SHA-256 of the empty string. */
export const EMPTY_ROOT: Hash = createHash('sha256').digest();
