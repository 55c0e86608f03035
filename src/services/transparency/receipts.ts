/**
 * Receipts (C2SP tlog-proof) for committed rows, and the checkpoint the log publishes
 * (decision 0029). A receipt carries the row's leaf data in its `extra`, so an offline verifier
 * recomputes the leaf hash itself — for an access entry with the row itself, so that it also sees
 * what the leaf says (receipt-extra.ts) — and a checkpoint with the witnesses' cosignatures.
 */
import { RegistryError } from '../../domain/errors/registry-error.js';
import type { Store } from '../../store/connect.js';
import { findLeafRef } from '../../store/repositories/transparency-leaves.js';
import { cosignaturesOf, latestCheckpoint, latestCosignedCheckpoint, readTile, type StoredCheckpoint } from '../../store/repositories/transparency-log.js';
import { canonicalRow, formatLeafData } from '../../transparency/leaf.js';
import { encodeReceiptExtra } from '../../transparency/receipt-extra.js';
import { committedRow, leafKindOf } from '../../store/repositories/audit.js';
import { addSignatures } from '../../transparency/note.js';
import { formatProof } from '../../transparency/receipt.js';
import { hashReaderFromTiles } from '../../transparency/tiles.js';
import { inclusionProof } from '../../transparency/tree.js';
import { transparencyLogOf } from './log.js';

/**
 * With witnesses configured, the newest checkpoint every one of them cosigned is published rather
 * than a newer bare one — as long as it is at most this much older (witnesses away: the newest).
 */
export const COSIGNED_FRESHNESS_MS = 5000;

/** The checkpoint's note with its stored cosignature lines. */
export async function withCosignatures(store: Store, checkpoint: StoredCheckpoint): Promise<string> {
  const lines = (await cosignaturesOf(store.db, checkpoint.size)).map((c) => c.lines);
  return lines.length === 0 ? checkpoint.note : addSignatures(checkpoint.note, lines.join(''));
}

/** The checkpoint /transparency/checkpoint publishes, as text, or undefined before the first one. */
export async function servedCheckpoint(ctx: { store: Store }): Promise<{ checkpoint: StoredCheckpoint; text: string } | undefined> {
  // This process's sequencer found the database behind what the key signed: nothing is published
  // from it (what it holds may be a prefix of, or a fork from, what was published) until resolved.
  if (transparencyLogOf(ctx.store)?.sequencer?.refusal) throw new RegistryError('LOG_BEHIND_SIGNED_STATE', { extra: { retryAfter: 60 } });
  const latest = await latestCheckpoint(ctx.store.db);
  if (!latest) return undefined;
  let chosen = latest;
  const witnesses = transparencyLogOf(ctx.store)?.witnesses.length ?? 0;
  if (witnesses > 0) {
    const cosigned = await latestCosignedCheckpoint(ctx.store.db, witnesses);
    if (cosigned && Date.parse(latest.signedAt) - Date.parse(cosigned.signedAt) <= COSIGNED_FRESHNESS_MS) chosen = cosigned;
  }
  return { checkpoint: chosen, text: await withCosignatures(ctx.store, chosen) };
}

/**
 * The .tlog-proof of a committed row's leaf: its index, its inclusion proof, its leaf data as
 * `extra`, and the published checkpoint (the newest one when the published one is older than the
 * leaf). LEAF_NOT_YET_SEQUENCED (409) while the sequencer has not reached it — within a second.
 */
export async function receiptFor(ctx: { store: Store }, kind: string, subjectKey: string, ref: string): Promise<string> {
  const leaf = await findLeafRef(ctx.store.db, kind, subjectKey, ref);
  if (!leaf) throw new RegistryError('LEAF_NOT_FOUND');
  if (leaf.idx === null) throw new RegistryError('LEAF_NOT_YET_SEQUENCED', { extra: { retryAfter: 1 } });
  // Read after the leaf: its index and the checkpoint covering it were committed together.
  const served = await servedCheckpoint(ctx);
  let checkpoint = served?.checkpoint;
  let text = served?.text;
  if (!checkpoint || checkpoint.size <= leaf.idx) {
    checkpoint = await latestCheckpoint(ctx.store.db);
    if (!checkpoint || checkpoint.size <= leaf.idx) throw new Error('a leaf has an index no checkpoint covers');
    text = await withCosignatures(ctx.store, checkpoint);
  }
  const proof = await inclusionProof(leaf.idx, checkpoint.size, hashReaderFromTiles((l, i) => readTile(ctx.store.db, l, i)));
  const row = await rowForReceipt(ctx.store, kind, subjectKey, ref);
  return formatProof({ extra: encodeReceiptExtra(formatLeafData(leaf), row), index: leaf.idx, proof, checkpoint: text as string });
}

/**
 * The row a receipt carries, so that its holder sees what the leaf says (receipt-extra.ts): access
 * entries only — what a citizen downloads — and not a use's primary row that lists other people
 * (it would give them away; that receipt proves the leaf alone, and says so when verified).
 */
async function rowForReceipt(store: Store, kind: string, subjectKey: string, ref: string): Promise<string | undefined> {
  if (kind !== 'access_entry') return undefined;
  const row = await committedRow(store.db, kind, subjectKey, ref);
  if (!row) return undefined;
  const people = JSON.parse(String(row.personal_ids ?? '[]')) as unknown[];
  if (people.some((p) => p !== subjectKey)) return undefined;
  return canonicalRow(leafKindOf(kind).columns, row);
}
