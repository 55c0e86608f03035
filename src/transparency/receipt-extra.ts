/**
 * What a dancu receipt's `extra` carries (decision 0029, "Receipts show what the leaf says"). C2SP
 * tlog-proof allows one optional `extra` line of opaque bytes, so it holds either
 *   - the leaf data itself (dancu/leaf/v1 …): the leaf exists, but not what it says; or
 *   - a small JSON object {"v":"dancu/receipt/v1","leaf":<base64 leaf data>,"row":<canonical row text>}:
 *     the row exactly as its digest was computed (canonicalRow, a JSON array of [column, value]),
 *     so the holder recomputes the digest, checks it against the leaf, and reads the entry.
 * The row is a string, not parsed JSON, so that the bytes hashed are the bytes received.
 */
import { createHash } from 'node:crypto';
import { LEAF_HEADER, parseLeafData, type ColumnValue, type LeafData } from './leaf.js';

export const RECEIPT_EXTRA_VERSION = 'dancu/receipt/v1';

export function encodeReceiptExtra(leafData: Uint8Array, row?: string): Buffer {
  if (row === undefined) return Buffer.from(leafData);
  return Buffer.from(JSON.stringify({ v: RECEIPT_EXTRA_VERSION, leaf: Buffer.from(leafData).toString('base64'), row }), 'utf8');
}

export interface ReceiptExtra {
  /** The bytes hashed as the leaf. */
  leafData: Buffer;
  leaf?: LeafData;
  /** The row's canonical text, when the receipt carries it. */
  row?: string;
}

/** The extra's parts, or undefined when it is neither form. */
export function decodeReceiptExtra(extra: Uint8Array): ReceiptExtra | undefined {
  const bytes = Buffer.from(extra);
  if (bytes.subarray(0, LEAF_HEADER.length + 1).toString('utf8') === `${LEAF_HEADER}\n`) {
    const leaf = parseLeafData(bytes);
    return leaf ? { leafData: bytes, leaf } : { leafData: bytes };
  }
  let v: unknown;
  try {
    v = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  const o = v as { v?: unknown; leaf?: unknown; row?: unknown };
  if (!o || typeof o !== 'object' || o.v !== RECEIPT_EXTRA_VERSION || typeof o.leaf !== 'string' || typeof o.row !== 'string') return undefined;
  const leafData = Buffer.from(o.leaf, 'base64');
  const leaf = parseLeafData(leafData);
  return leaf ? { leafData, leaf, row: o.row } : { leafData, row: o.row };
}

/**
 * Checks a row against its leaf: SHA-256 of the row's text must be the leaf's digest. Returns the
 * row's columns when it matches, else the reason.
 */
export function checkRow(leaf: LeafData, row: string): { ok: true; columns: Record<string, ColumnValue> } | { ok: false; reason: string } {
  const digest = createHash('sha256').update(row, 'utf8').digest('base64');
  if (digest !== leaf.digest) return { ok: false, reason: 'the row does not match the leaf (its digest differs): it is not what the log committed' };
  let pairs: unknown;
  try {
    pairs = JSON.parse(row);
  } catch {
    return { ok: false, reason: 'the row is not a canonical row' };
  }
  if (!Array.isArray(pairs) || !pairs.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string')) {
    return { ok: false, reason: 'the row is not a canonical row' };
  }
  return { ok: true, columns: Object.fromEntries(pairs as [string, ColumnValue][]) };
}
