/**
 * C2SP tlog-checkpoint: the note text "<origin>\n<size>\n<base64 root>\n[extension lines]".
 * Extension lines are kept when parsed (they are signed) but never produced: they are not
 * auditable, and the spec discourages them.
 */
import { decodeBase64Strict, parseDecimal } from './base64.js';
import { malformed } from './errors.js';
import { HASH_SIZE, type Hash } from './hash.js';
import { openNote, type NoteVerifier, type OpenedNote } from './note.js';

export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Hash;
  /** Lines after the root, as signed; empty for checkpoints dancu writes. */
  extensions: string[];
}

function checkOrigin(origin: string): void {
  if (origin.length === 0 || /[\u0000-\u001f]/.test(origin)) throw malformed('an origin is one non-empty line');
}

export function formatCheckpoint(c: { origin: string; size: number; rootHash: Uint8Array }): string {
  checkOrigin(c.origin);
  if (!Number.isSafeInteger(c.size) || c.size < 0) throw malformed('a tree size is a non-negative integer');
  if (c.rootHash.length !== HASH_SIZE) throw malformed('a root hash is 32 bytes');
  return `${c.origin}\n${c.size}\n${Buffer.from(c.rootHash).toString('base64')}\n`;
}

/** Parses a checkpoint note text (not the signatures). Throws TlogError 'malformed'. */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw malformed('a checkpoint ends in a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw malformed('a checkpoint has an origin, a size and a root hash');
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  checkOrigin(origin);
  const size = parseDecimal(sizeText);
  if (size === undefined) throw malformed('a tree size is a decimal without leading zeros');
  const rootHash = decodeBase64Strict(rootText);
  if (rootHash === undefined || rootHash.length !== HASH_SIZE) throw malformed('a root hash is base64 of 32 bytes');
  if (extensions.some((l) => l.length === 0 || /[\u0000-\u001f]/.test(l))) {
    throw malformed('extension lines are non-empty');
  }
  return { origin, size, rootHash, extensions };
}

/**
 * Opens a signed checkpoint with the log's (and any witnesses') verifiers and parses it. The
 * caller checks the origin it expects: `expectedOrigin` does so here when given.
 */
export function openCheckpoint(
  note: string | Uint8Array,
  verifiers: readonly NoteVerifier[],
  expectedOrigin?: string,
): { checkpoint: Checkpoint; note: OpenedNote } {
  const opened = openNote(note, verifiers);
  const checkpoint = parseCheckpoint(opened.text);
  if (expectedOrigin !== undefined && checkpoint.origin !== expectedOrigin) {
    throw malformed(`checkpoint origin is not ${expectedOrigin}`);
  }
  return { checkpoint, note: opened };
}
