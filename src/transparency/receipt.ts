/**
 * C2SP tlog-proof receipts (".tlog-proof"): an entry's index and inclusion proof, followed by the
 * signed (and cosigned) checkpoint verbatim — verifiable offline with the log's and witnesses' keys.
 *
 *   c2sp.org/tlog-proof@v1
 *   [extra <base64>]
 *   index <n>
 *   <base64 hash>...        leaf's sibling first
 *   (empty line)
 *   <checkpoint note>
 */
import { decodeBase64Strict, parseDecimal } from './base64.js';
import { openCheckpoint } from './checkpoint.js';
import { malformed, TlogError } from './errors.js';
import { HASH_SIZE, leafHash as hashLeaf, type Hash } from './hash.js';
import { splitNote, type NoteVerifier } from './note.js';
import { verifyInclusion } from './tree.js';

export const PROOF_HEADER = 'c2sp.org/tlog-proof@v1';
export const PROOF_FILE_EXTENSION = '.tlog-proof';
/** An inclusion proof in a tree of < 2^64 leaves has at most 63 hashes. */
const MAX_PROOF_HASHES = 63;

export interface TlogProof {
  extra?: Buffer;
  index: number;
  proof: Hash[];
  /** The checkpoint note, with its signature lines. */
  checkpoint: string;
}

export function formatProof(p: { extra?: Uint8Array; index: number; proof: readonly Uint8Array[]; checkpoint: string }): string {
  if (!Number.isSafeInteger(p.index) || p.index < 0) throw malformed('an index is a non-negative integer');
  if (p.proof.length > MAX_PROOF_HASHES || p.proof.some((h) => h.length !== HASH_SIZE)) throw malformed('proof hashes are 32 bytes');
  splitNote(p.checkpoint);
  const lines = [PROOF_HEADER];
  if (p.extra !== undefined) lines.push(`extra ${Buffer.from(p.extra).toString('base64')}`);
  lines.push(`index ${p.index}`);
  for (const h of p.proof) lines.push(Buffer.from(h).toString('base64'));
  return `${lines.join('\n')}\n\n${p.checkpoint}`;
}

/** Parses a receipt; throws TlogError 'malformed' for anything not in the format. */
export function parseProof(text: string): TlogProof {
  // Head and checkpoint are split at the first empty line (without one, the checkpoint part is
  // empty and is refused as a note below).
  const [head, ...rest] = text.split('\n\n');
  const lines = (head as string).split('\n');
  const checkpoint = rest.join('\n\n');
  if (lines[0] !== PROOF_HEADER) throw malformed(`a proof starts with ${PROOF_HEADER}`);
  let at = 1;
  let extra: Buffer | undefined;
  if (lines[at]?.startsWith('extra ')) {
    extra = decodeBase64Strict((lines[at] as string).slice('extra '.length));
    if (extra === undefined) throw malformed('extra data is base64');
    at++;
  }
  const indexLine = lines[at];
  if (indexLine === undefined || !indexLine.startsWith('index ')) throw malformed('a proof has an index line');
  const index = parseDecimal(indexLine.slice('index '.length));
  if (index === undefined) throw malformed('an index is a decimal without leading zeros');
  at++;
  const proof: Hash[] = [];
  for (const line of lines.slice(at)) {
    const h = decodeBase64Strict(line);
    if (h === undefined || h.length !== HASH_SIZE) throw malformed('proof lines are base64 of 32 bytes');
    proof.push(h);
  }
  if (proof.length > MAX_PROOF_HASHES) throw malformed('too many proof hashes');
  splitNote(checkpoint);
  return extra === undefined ? { index, proof, checkpoint } : { extra, index, proof, checkpoint };
}

export interface ReceiptCheck {
  /** The entry's data (hashed as a leaf here), or its leaf hash. */
  leafData?: Uint8Array;
  leafHash?: Uint8Array;
  origin: string;
  logKeys: readonly NoteVerifier[];
  witnessKeys?: readonly NoteVerifier[];
  /** How many distinct trusted witnesses must have cosigned (default 0). */
  minWitnesses?: number;
}

export interface ReceiptResult {
  ok: boolean;
  index?: number;
  size?: number;
  /** Names of the trusted witnesses whose cosignatures verified. */
  witnesses: string[];
  /** Why it failed; empty when ok. */
  reasons: string[];
}

/** Verifies a receipt offline. Never throws for bad input: the reasons say what failed. */
export function verifyReceipt(text: string, check: ReceiptCheck): ReceiptResult {
  const reasons: string[] = [];
  let parsed: TlogProof;
  try {
    parsed = parseProof(text);
  } catch (e) {
    return { ok: false, witnesses: [], reasons: [`malformed receipt: ${(e as Error).message}`] };
  }
  const { index } = parsed;
  const witnessKeys = check.witnessKeys ?? [];
  let opened;
  try {
    opened = openCheckpoint(parsed.checkpoint, [...check.logKeys, ...witnessKeys], check.origin);
  } catch (e) {
    const kind = e instanceof TlogError ? e.kind : 'error';
    return { ok: false, index, witnesses: [], reasons: [`checkpoint ${kind}: ${(e as Error).message}`] };
  }
  const { checkpoint } = opened;
  // A key is its name and key ID together (signed-note); a log key never counts as a witness.
  const id = (k: { name: string; keyId: number }): string => `${k.keyId} ${k.name}`;
  const logIds = new Set(check.logKeys.map(id));
  const witnessIds = new Set(witnessKeys.map(id).filter((k) => !logIds.has(k)));
  if (!opened.note.verified.some((s) => logIds.has(id(s)))) reasons.push('the checkpoint is not signed by the log');
  const witnesses = [...new Set(opened.note.verified.filter((s) => witnessIds.has(id(s))).map((s) => s.name))];
  const minWitnesses = check.minWitnesses ?? 0;
  if (witnesses.length < minWitnesses) reasons.push(`${witnesses.length} of ${minWitnesses} required witnesses cosigned`);

  // The leaf hash, when given, is what is checked; otherwise the entry's data is hashed here.
  const leaf = check.leafHash ?? (check.leafData === undefined ? undefined : hashLeaf(check.leafData));
  if (leaf === undefined || leaf.length !== HASH_SIZE) reasons.push('no entry (or leaf hash) to check against');
  else if (!verifyInclusion(leaf, index, checkpoint.size, parsed.proof, checkpoint.rootHash)) {
    reasons.push('the inclusion proof does not lead to the checkpoint root');
  }
  return { ok: reasons.length === 0, index, size: checkpoint.size, witnesses, reasons };
}
