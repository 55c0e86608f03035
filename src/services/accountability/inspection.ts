/**
 * Inspectors read the access log (issue 13 item 4): a search over every recorded use — by citizen,
 * agency, connection, principal, action, purpose, outcome, channel and period, newest first — and
 * an export of a period's entries with their proofs: each entry as stored, its leaf data, its index
 * and inclusion proof against one checkpoint (with its cosignatures), so anyone with the log's key
 * checks each line offline. The routes declare the people they read; the mechanism records them.
 */
import { RegistryError } from '../../domain/errors/registry-error.js';
import { fromEntryRow, queryAccessEntryRows, type AccessLogFilter, type Outcome, type StoredAccessEntry } from '../../store/repositories/access-log.js';
import type { AccessEntryTable } from '../../store/schema.js';
import { findLeafRef } from '../../store/repositories/transparency-leaves.js';
import { readTile } from '../../store/repositories/transparency-log.js';
import { formatLeafData } from '../../transparency/leaf.js';
import { hashReaderFromTiles } from '../../transparency/tiles.js';
import { inclusionProof } from '../../transparency/tree.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { ServiceContext } from '../context.js';
import { servedCheckpoint } from '../transparency/receipts.js';

export interface EntryQuery {
  personalId?: string;
  agencyCode?: string;
  connectionId?: string;
  principalId?: string;
  action?: string;
  purpose?: string;
  outcome?: Outcome;
  channel?: string;
  from?: string;
  to?: string;
}

/** An export holds at most this many entries: a longer period is exported in parts. */
export const MAX_EXPORT_ENTRIES = 50_000;
const PAGE = 2_000;

function filterOf(q: EntryQuery): Omit<AccessLogFilter, 'limit'> {
  for (const t of [q.from, q.to]) if (t !== undefined && Number.isNaN(Date.parse(t))) throw new RegistryError('INVALID_INSTANT');
  return {
    ...(q.personalId ? { personalId: q.personalId } : {}),
    ...(q.agencyCode ? { agencyCode: q.agencyCode } : {}),
    ...(q.connectionId ? { connectionId: q.connectionId } : {}),
    ...(q.principalId ? { principalId: q.principalId } : {}),
    ...(q.action ? { action: q.action } : {}),
    ...(q.purpose ? { purpose: q.purpose } : {}),
    ...(q.outcome ? { outcome: q.outcome } : {}),
    ...(q.channel ? { channel: q.channel } : {}),
    ...(q.from ? { from: new Date(q.from).toISOString() } : {}),
    ...(q.to ? { to: new Date(q.to).toISOString() } : {}),
  };
}

/**
 * Newest first, keyset-paged. By citizen: that citizen's rows; otherwise one item per use (its
 * primary row, which names every citizen it concerned).
 */
export async function searchAccessEntries(ctx: ServiceContext, q: EntryQuery & { cursor?: string; limit?: number }): Promise<{ items: StoredAccessEntry[]; nextCursor?: string }> {
  const limit = Math.min(q.limit ?? 100, 500);
  const cursor = q.cursor ? decodeCursor(q.cursor, ['at', 'entryId']) : undefined;
  const rows = await queryAccessEntryRows(ctx.store.db, { ...filterOf(q), ...(cursor ? { before: cursor } : {}), limit });
  const items = rows.map(fromEntryRow);
  const last = items[items.length - 1];
  return { items, ...(items.length === limit && last ? { nextCursor: encodeCursor({ at: last.at, entryId: last.entryId }) } : {}) };
}

/** One line of an inspector's export: the entry as stored, its leaf, and its proof. */
export interface ExportedEntry {
  type: 'entry';
  entry: AccessEntryTable;
  leaf: { kind: string; subjectKey: string; ref: string; salt: string; digest: string; data: string } | null;
  /** The leaf's index, or null while it waits for the sequencer (then no proof). */
  index: number | null;
  /** base64 hashes, the leaf's sibling first, up to the checkpoint's root. */
  proof: string[];
}

export interface EntryExport {
  checkpoint: { size: number; note: string } | null;
  entries: ExportedEntry[];
}

/** A period's entries, oldest first, each with its proof against the latest published checkpoint. */
export async function exportAccessEntries(ctx: ServiceContext, q: EntryQuery): Promise<EntryExport> {
  const db = ctx.store.db;
  // The checkpoint first: the tiles read after it cover it.
  const served = await servedCheckpoint(ctx);
  const filter = filterOf(q);
  const rows: AccessEntryTable[] = [];
  let before: AccessLogFilter['before'];
  for (;;) {
    const page = await queryAccessEntryRows(db, { ...filter, ...(before ? { before } : {}), limit: PAGE });
    rows.push(...page);
    if (rows.length > MAX_EXPORT_ENTRIES) throw new RegistryError('EXPORT_TOO_LARGE');
    const last = page[page.length - 1];
    if (page.length < PAGE || !last) break;
    before = { at: last.at, entryId: last.entry_id };
  }
  rows.reverse();
  const tiles = new Map<string, Promise<Buffer | undefined>>();
  const reader = hashReaderFromTiles((level, index) => {
    const key = `${level}/${index}`;
    let t = tiles.get(key);
    if (!t) tiles.set(key, (t = readTile(db, level, index)));
    return t;
  });
  const size = served?.checkpoint.size ?? 0;
  const entries: ExportedEntry[] = [];
  for (const entry of rows) {
    const leaf = await findLeafRef(db, 'access_entry', entry.subject_key, entry.entry_id);
    const proven = leaf && leaf.idx !== null && leaf.idx < size;
    entries.push({
      type: 'entry',
      entry,
      leaf: leaf ? { kind: leaf.kind, subjectKey: leaf.subjectKey, ref: leaf.ref, salt: leaf.salt, digest: leaf.digest, data: formatLeafData(leaf).toString('base64') } : null,
      index: proven ? leaf.idx : null,
      proof: proven ? (await inclusionProof(leaf.idx as number, size, reader)).map((h) => h.toString('base64')) : [],
    });
  }
  return { checkpoint: served ? { size, note: served.text } : null, entries };
}

/** The export as JSON lines: the checkpoint first, then one line per entry. */
export function entryExportLines(e: EntryExport): string {
  const lines = [JSON.stringify({ type: 'checkpoint', ...(e.checkpoint ?? { size: 0, note: null }) }), ...e.entries.map((x) => JSON.stringify(x))];
  return `${lines.join('\n')}\n`;
}
