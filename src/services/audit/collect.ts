/**
 * Builds an audit export from the store (decision 0034). The segment runs from the last checkpoint
 * signed before the period (its anchor: the tree up to it was verified by an earlier export, or is
 * the empty tree) to the first checkpoint that covers every leaf of the period's rows; the export
 * holds the checkpoints between, the tiles over the segment, its leaves with the rows they name,
 * and every committed row of the period with its leaf wherever that leaf is.
 */
import type { Store } from '../../store/connect.js';
import {
  AUDIT_TIME_COLUMNS, checkpointBefore, checkpointCovering, checkpointsAfterSize, checkpointsSigned, committedRow, committedRowsInPeriod,
  firstLeafId, leavesInRange, leavesOfRows, redirectsOf, tilesForSegment, type AuditCheckpoint, type AuditLeaf, type AuditRow, type Redirect,
} from '../../store/repositories/audit.js';
import { LEAF_KINDS, refOf } from '../../store/repositories/transparency-leaves.js';
import { compareLeaves, compareRows, EXPORT_FORMAT, instantOfLeafId, leafName, rowName, type AuditExport } from './export-format.js';

export interface ExportOptions {
  /** Rows whose instant lies in [from, to); either bound may be open (the whole log). */
  from?: string;
  to?: string;
  origin: string;
  logKey: string;
  exportedAt: string;
}

/** How many re-issues in a row the exporter follows (a number re-issued more often is not real). */
const MAX_REDIRECTS = 8;

export async function collectAuditExport(store: Store, o: ExportOptions): Promise<AuditExport> {
  const db = store.db;
  // The period's rows and their leaves.
  const rows: Record<string, AuditRow[]> = {};
  const named = new Set<string>();
  const leaves = new Map<string, AuditLeaf>();
  const addLeaf = (l: AuditLeaf) => leaves.set(leafName(l.kind, l.subjectKey, l.ref), l);
  const addRow = (kind: string, row: AuditRow) => {
    const name = rowName(kind, row);
    if (named.has(name)) return false;
    named.add(name);
    (rows[kind] ??= []).push(row);
    return true;
  };
  for (const kind of Object.keys(LEAF_KINDS)) {
    const k = LEAF_KINDS[kind]!;
    const found = await committedRowsInPeriod(db, kind, o.from, o.to);
    for (const r of found) addRow(kind, r);
    for (const l of await leavesOfRows(db, kind, found.map((r) => ({ subjectKey: String(r[k.keyColumn]), ref: refOf(k, r) })))) addLeaf(l);
  }

  // The segment: from the anchor to the checkpoint that covers every leaf of those rows.
  const anchor = o.from ? await checkpointBefore(db, o.from) : undefined;
  const start = anchor?.size ?? 0;
  const inPeriod = await checkpointsSigned(db, o.from, o.to);
  let checkpoints: AuditCheckpoint[] = [...(anchor ? [anchor] : []), ...inPeriod.filter((c) => c.size > start)];
  let highest = -1;
  for (const l of leaves.values()) if (l.idx !== null && l.idx > highest) highest = l.idx;
  const last = checkpoints[checkpoints.length - 1];
  if (highest + 1 > (last?.size ?? 0)) {
    const covering = await checkpointCovering(db, highest + 1);
    if (covering) checkpoints = [...checkpoints, ...(await checkpointsAfterSize(db, last?.size ?? -1, covering.size))];
  }
  const end = checkpoints[checkpoints.length - 1]?.size ?? start;

  // Every leaf of the segment, and the rows they name (a row moved by a re-issue, under its new number).
  const redirects = new Map<string, Redirect>();
  for (const l of await leavesInRange(db, start, end)) {
    addLeaf(l);
    if (named.has(leafName(l.kind, l.subjectKey, l.ref))) continue;
    const row = await committedRow(db, l.kind, l.subjectKey, l.ref);
    if (row) {
      addRow(l.kind, row);
      continue;
    }
    let from = l.subjectKey;
    for (let i = 0; i < MAX_REDIRECTS; i++) {
      const [next] = await redirectsOf(db, [from]);
      if (!next) break;
      redirects.set(next.personalId, next);
      const moved = await committedRow(db, l.kind, next.replacedBy, l.ref);
      if (moved) {
        if (addRow(l.kind, moved)) for (const ml of await leavesOfRows(db, l.kind, [{ subjectKey: next.replacedBy, ref: l.ref }])) addLeaf(ml);
        break;
      }
      from = next.replacedBy;
    }
  }

  const tiles = (await tilesForSegment(db, start, end)).map((t) => ({ level: t.level, index: t.index, hashes: t.hashes.toString('base64') }));
  for (const [kind, list] of Object.entries(rows)) list.sort((a, b) => compareRows(kind, a, b));
  const leafList = [...leaves.values()].sort(compareLeaves);
  const redirectList = [...redirects.values()].sort((a, b) => (a.personalId < b.personalId ? -1 : 1));
  const first = await firstLeafId(db);
  return {
    manifest: {
      format: EXPORT_FORMAT,
      origin: o.origin,
      logKey: o.logKey,
      from: o.from ?? null,
      to: o.to ?? null,
      start,
      end,
      logStart: first ? instantOfLeafId(first) : null,
      exportedAt: o.exportedAt,
      checkpoints: checkpoints.map((c) => c.size),
      counts: {
        leaves: leafList.length,
        tiles: tiles.length,
        redirects: redirectList.length,
        rows: Object.fromEntries(Object.keys(AUDIT_TIME_COLUMNS).map((k) => [k, rows[k]?.length ?? 0])),
      },
    },
    checkpoints,
    tiles,
    leaves: leafList,
    rows,
    redirects: redirectList,
  };
}
