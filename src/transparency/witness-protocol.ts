/**
 * C2SP tlog-witness add-checkpoint bodies, for both sides: the log formats requests and parses
 * answers; the witness parses requests and formats answers.
 *   request  = "old <size>\n" + consistency proof lines (base64, ≤ 63) + "\n" + checkpoint note
 *   200      = cosignature lines ("— <name> <base64>\n"), text/plain
 *   409      = "<size>\n", Content-Type text/x.tlog.size (the size the witness holds)
 */
import { decodeBase64Strict, parseDecimal } from './base64.js';
import { malformed } from './errors.js';
import { HASH_SIZE, type Hash } from './hash.js';
import { splitNote } from './note.js';

export const ADD_CHECKPOINT_PATH = '/add-checkpoint';
export const TLOG_SIZE_CONTENT_TYPE = 'text/x.tlog.size';
export const MAX_CONSISTENCY_PROOF_LINES = 63;

export function formatAddCheckpointRequest(oldSize: number, proof: readonly Uint8Array[], note: string): string {
  if (!Number.isSafeInteger(oldSize) || oldSize < 0) throw malformed('old size is a non-negative integer');
  if (proof.length > MAX_CONSISTENCY_PROOF_LINES || proof.some((h) => h.length !== HASH_SIZE)) {
    throw malformed('at most 63 proof hashes of 32 bytes');
  }
  return `old ${oldSize}\n${proof.map((h) => `${Buffer.from(h).toString('base64')}\n`).join('')}\n${note}`;
}

export interface AddCheckpointRequest {
  oldSize: number;
  proof: Hash[];
  /** The checkpoint note as sent, with its signatures. */
  note: string;
}

export function parseAddCheckpointRequest(body: string): AddCheckpointRequest {
  // Split at the first empty line; without one, the note part is empty and refused below.
  const [head, ...rest] = body.split('\n\n');
  const lines = (head as string).split('\n');
  const first = lines[0] as string;
  if (!first.startsWith('old ')) throw malformed('an add-checkpoint body starts with "old <size>"');
  const oldSize = parseDecimal(first.slice(4));
  if (oldSize === undefined) throw malformed('old size is a decimal without leading zeros');
  const proofLines = lines.slice(1);
  if (proofLines.length > MAX_CONSISTENCY_PROOF_LINES) throw malformed('at most 63 proof lines');
  const proof = proofLines.map((l) => {
    const h = decodeBase64Strict(l);
    if (h === undefined || h.length !== HASH_SIZE) throw malformed('proof lines are base64 of 32 bytes');
    return h;
  });
  const note = rest.join('\n\n');
  splitNote(note);
  return { oldSize, proof, note };
}

/** The witness's 200 body: its cosignature lines. */
export function parseCosignatureResponse(body: string): string[] {
  if (!body.endsWith('\n')) throw malformed('a response is one or more signature lines');
  const lines = body.slice(0, -1).split('\n');
  for (const l of lines) {
    if (!l.startsWith('\u2014 ')) throw malformed('each line of a response starts with an em dash');
  }
  return lines.map((l) => `${l}\n`);
}

export function formatSizeResponse(size: number): string {
  return `${size}\n`;
}

export function parseSizeResponse(body: string): number {
  if (!body.endsWith('\n')) throw malformed('a size body ends in a newline');
  const size = parseDecimal(body.slice(0, -1));
  if (size === undefined) throw malformed('a size body is a decimal');
  return size;
}

export type AddCheckpointOutcome =
  | { kind: 'cosigned'; lines: string[] }
  /** 409 with the size the witness holds: retry from that size (with a proof from it). */
  | { kind: 'conflict'; size: number }
  /** Anything else: the status and the witness's text, for the operator. */
  | { kind: 'refused'; status: number; message: string };

/** What a witness's answer to add-checkpoint means, for the log side (no I/O here). */
export function interpretAddCheckpointResponse(status: number, contentType: string | undefined, body: string): AddCheckpointOutcome {
  if (status === 200) {
    try {
      return { kind: 'cosigned', lines: parseCosignatureResponse(body) };
    } catch {
      return { kind: 'refused', status, message: 'the witness answered 200 without signature lines' };
    }
  }
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const size = status === 409 && mediaType === TLOG_SIZE_CONTENT_TYPE && body.endsWith('\n') ? parseDecimal(body.slice(0, -1)) : undefined;
  if (size !== undefined) return { kind: 'conflict', size };
  return { kind: 'refused', status, message: body.slice(0, 200).trim() };
}
