/**
 * Checking the access log's proofs in the browser, with nothing but WebCrypto (SHA-256, Ed25519):
 * an inspector need not trust the server's word that an entry is in the log. Pure (no DOM, no
 * React), so the project's tests run it against the server's own proofs. Follows RFC 9162 §2.1.3.2
 * (inclusion) and §2.1.4.2 (consistency), C2SP signed-note and tlog-checkpoint, and the leaf format
 * of decision 0027 (a salted digest of the row's columns in a fixed order).
 */

const te = new TextEncoder();

// ---------------------------------------------------------------- bytes

/** Strict standard base64 (with padding): only the one canonical text of a byte string. */
export function fromBase64(text: string): Uint8Array | undefined {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return undefined;
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return toBase64(out) === text ? out : undefined;
}

export function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', concat(data)));
}

// ---------------------------------------------------------------- RFC 6962 tree hashing

/** MTH({d}) = SHA-256(0x00 || d). */
export const leafHash = (data: Uint8Array) => sha256(concat(new Uint8Array([0]), data));
/** An interior node: SHA-256(0x01 || left || right). */
export const nodeHash = (left: Uint8Array, right: Uint8Array) => sha256(concat(new Uint8Array([1]), left, right));

// Sizes pass 2^31: halving by division, not by shifts (which work on 32 bits).
const half = (n: number) => Math.floor(n / 2);
const odd = (n: number) => n % 2 === 1;
function powerOfTwo(n: number): boolean {
  while (n > 1 && !odd(n)) n = half(n);
  return n === 1;
}

/** The root an inclusion proof leads to from a leaf hash (RFC 9162 §2.1.3.2), or undefined if the proof cannot be for this index and size. */
export async function rootFromInclusionProof(index: number, size: number, leaf: Uint8Array, proof: readonly Uint8Array[]): Promise<Uint8Array | undefined> {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return undefined;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return undefined;
    if (odd(fn) || fn === sn) {
      r = await nodeHash(p, r);
      if (!odd(fn)) while (!odd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      r = await nodeHash(r, p);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return sn === 0 ? r : undefined;
}

/** Whether a consistency proof shows the tree of `from` leaves (root `fromRoot`) is a prefix of the tree of `to` leaves (RFC 9162 §2.1.4.2). */
export async function verifyConsistency(from: number, to: number, fromRoot: Uint8Array, toRoot: Uint8Array, proof: readonly Uint8Array[]): Promise<boolean> {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || from > to) return false;
  if (from === to) return proof.length === 0 && sameBytes(fromRoot, toRoot);
  // The empty tree is a prefix of every tree; there is nothing to prove.
  if (from === 0) return proof.length === 0;
  const path = [...proof];
  // A power of two is itself a node of the larger tree: the proof leaves it out.
  if (powerOfTwo(from)) path.unshift(fromRoot);
  if (path.length === 0) return false;
  let fn = from - 1;
  let sn = to - 1;
  while (odd(fn)) [fn, sn] = [half(fn), half(sn)];
  let fr = path[0] as Uint8Array;
  let sr = path[0] as Uint8Array;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      if (!odd(fn)) while (!odd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      sr = await nodeHash(sr, c);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return sn === 0 && sameBytes(fr, fromRoot) && sameBytes(sr, toRoot);
}

// ---------------------------------------------------------------- signed notes and checkpoints

export interface VerifierKey {
  name: string;
  keyId: number;
  publicKey: Uint8Array;
}

export interface NoteSignature {
  name: string;
  keyId: number;
  signature: Uint8Array;
}

export interface Checkpoint {
  origin: string;
  size: number;
  root: Uint8Array;
  /** The signed text, with its final newline. */
  body: string;
  signatures: NoteSignature[];
}

const ED25519 = 0x01;
const KEY_NAME = /^[^\s+\u0000-\u001f]+$/u;

async function keyIdOf(name: string, type: number, publicKey: Uint8Array): Promise<number> {
  const d = await sha256(concat(te.encode(name), new Uint8Array([0x0a, type]), publicKey));
  return (((d[0] as number) << 24) | ((d[1] as number) << 16) | ((d[2] as number) << 8) | (d[3] as number)) >>> 0;
}

/** "<name>+<8 hex digits>+<base64(0x01 || Ed25519 key)>", the key ID checked against the rest; undefined if not one. */
export async function parseVerifierKey(text: string): Promise<VerifierKey | undefined> {
  const m = /^([^+]*)\+([0-9a-f]{8})\+(.*)$/s.exec(text);
  if (!m || !KEY_NAME.test(m[1] as string)) return undefined;
  const material = fromBase64(m[3] as string);
  if (!material || material.length !== 33 || material[0] !== ED25519) return undefined;
  const publicKey = material.subarray(1);
  const keyId = Number.parseInt(m[2] as string, 16);
  return (await keyIdOf(m[1] as string, ED25519, publicKey)) === keyId ? { name: m[1] as string, keyId, publicKey } : undefined;
}

/** A checkpoint note: its three lines (origin, size, root) and its signature lines; undefined if malformed. */
export function parseCheckpoint(note: string): Checkpoint | undefined {
  const split = note.indexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) return undefined;
  const body = note.slice(0, split + 1);
  const lines = body.slice(0, -1).split('\n');
  if (lines.length < 3) return undefined;
  const [origin, sizeText, rootText] = lines as [string, string, string];
  if (!/^(0|[1-9]\d{0,15})$/.test(sizeText)) return undefined;
  const size = Number(sizeText);
  const root = fromBase64(rootText);
  if (!origin || !Number.isSafeInteger(size) || !root || root.length !== 32) return undefined;
  const signatures: NoteSignature[] = [];
  for (const line of note.slice(split + 2, -1).split('\n')) {
    const s = /^\u2014 (\S+) (\S+)$/u.exec(line);
    const bytes = s ? fromBase64(s[2] as string) : undefined;
    if (!s || !bytes || bytes.length < 5) return undefined;
    signatures.push({ name: s[1] as string, keyId: (((bytes[0] as number) << 24) | ((bytes[1] as number) << 16) | ((bytes[2] as number) << 8) | (bytes[3] as number)) >>> 0, signature: bytes.subarray(4) });
  }
  return signatures.length > 0 ? { origin, size, root, body, signatures } : undefined;
}

/** Whether the note carries a valid Ed25519 signature by this key (signatures of other keys are ignored). */
export async function signedBy(c: Checkpoint, key: VerifierKey): Promise<boolean> {
  const imported = await crypto.subtle.importKey('raw', concat(key.publicKey), { name: 'Ed25519' }, false, ['verify']);
  for (const s of c.signatures) {
    if (s.name !== key.name || s.keyId !== key.keyId || s.signature.length !== 64) continue;
    if (await crypto.subtle.verify({ name: 'Ed25519' }, imported, concat(s.signature), te.encode(c.body))) return true;
  }
  return false;
}

// ---------------------------------------------------------------- leaves of access entries

/** The columns of an access entry a leaf's digest covers, in order (the server's LEAF_KINDS.access_entry). */
export const ACCESS_ENTRY_COLUMNS = [
  'subject_key', 'entry_id', 'at', 'caller_kind', 'principal_id', 'role', 'unit', 'agency_code', 'connection_id', 'officer_id', 'channel',
  'action', 'purpose', 'fields', 'outcome', 'error_code', 'http_status', 'request_id', 'source_ip', 'latency_ms', 'fee_vnd',
  'catalogue_year', 'test_stage', 'primary_row', 'subject_count', 'personal_ids',
] as const;

/** The row as the digest reads it: [name, value] pairs in column order, absent columns null, booleans 0/1. */
export function canonicalRow(columns: readonly string[], row: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(
    columns.map((c) => {
      const v = row[c];
      return [c, v === undefined || v === null ? null : typeof v === 'boolean' ? (v ? 1 : 0) : v];
    }),
  );
}

export interface LeafData {
  kind: string;
  subjectKey: string;
  ref: string;
  salt: string;
  digest: string;
}

/** `dancu/leaf/v1\n<kind>\n<subject key>\n<ref>\n<salt>\n<digest>\n`, or undefined. */
export function parseLeafData(data: Uint8Array): LeafData | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return undefined;
  }
  const parts = text.split('\n');
  if (parts.length !== 7 || parts[0] !== 'dancu/leaf/v1' || parts[6] !== '' || parts.slice(1, 6).some((p) => p === '' || p.includes('\r'))) return undefined;
  const [, kind, subjectKey, ref, salt, digest] = parts as [string, string, string, string, string, string];
  return { kind, subjectKey, ref, salt, digest };
}

/** One line of the inspectors' export (/inspection/access-entries/export). */
export interface ExportedEntry {
  entry: Readonly<Record<string, unknown>>;
  leaf: { data: string } | null;
  index: number | null;
  proof: string[];
}

/** What was checked of one entry, each step on its own so the page can say which failed. */
export interface EntryVerification {
  /** The leaf names this entry (table, key, entry ID) and commits to exactly its columns. */
  leafMatchesEntry: boolean;
  /** The inclusion proof leads from the leaf to the checkpoint's root. */
  included: boolean;
  /** The checkpoint names the log's origin and is signed by the log's key. */
  signed: boolean;
  ok: boolean;
}

/** The log as /transparency/keys names it: its origin and its key. */
export interface LogIdentity {
  origin: string;
  key: VerifierKey;
}

export async function verifyExportedEntry(x: ExportedEntry, checkpointNote: string, log: LogIdentity): Promise<EntryVerification> {
  const checkpoint = parseCheckpoint(checkpointNote);
  const data = x.leaf ? fromBase64(x.leaf.data) : undefined;
  const leaf = data ? parseLeafData(data) : undefined;
  let leafMatchesEntry = false;
  if (leaf) {
    const digest = toBase64(await sha256(te.encode(canonicalRow(ACCESS_ENTRY_COLUMNS, x.entry))));
    leafMatchesEntry = leaf.kind === 'access_entry' && leaf.subjectKey === x.entry.subject_key && leaf.ref === x.entry.entry_id && leaf.digest === digest;
  }
  let included = false;
  const proof = x.proof.map(fromBase64);
  if (checkpoint && data && x.index !== null && proof.every((p) => p?.length === 32)) {
    const root = await rootFromInclusionProof(x.index, checkpoint.size, await leafHash(data), proof as Uint8Array[]);
    included = root !== undefined && sameBytes(root, checkpoint.root);
  }
  const signed = checkpoint !== undefined && checkpoint.origin === log.origin && (await signedBy(checkpoint, log.key));
  return { leafMatchesEntry, included, signed, ok: leafMatchesEntry && included && signed };
}
