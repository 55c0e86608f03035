/**
 * The audit export (docs/audit-export.md; decision 0034): a segment of the transparency log — its
 * checkpoints, the tiles over it, its leaves — with the rows of every committed table those leaves
 * name, and every committed row of the period (so a row without its leaf shows). The same object
 * is written as a directory of JSON-lines files, as one JSON-lines file, or served to an inspector.
 *
 * Every list has one order (below), which the verifier checks: a reordered export is a changed one.
 */
import type { AuditCheckpoint, AuditLeaf, AuditRow, Redirect } from '../../store/repositories/audit.js';
import { LEAF_KINDS, refOf } from '../../store/repositories/transparency-leaves.js';

export const EXPORT_FORMAT = 'dancu-audit-export/v1';

export interface ExportManifest {
  format: typeof EXPORT_FORMAT;
  /** The log's origin and its verifier key as the exporting registry published it. */
  origin: string;
  logKey: string;
  /** The period asked for: rows whose instant lies in [from, to). */
  from: string | null;
  to: string | null;
  /** Leaf indexes [start, end) the export proves: from its first checkpoint to its last. */
  start: number;
  end: number;
  /** The instant of the log's first leaf: older rows (carried over by a migration) have none. */
  logStart: string | null;
  exportedAt: string;
  /** Every checkpoint's size, in order (a checkpoint dropped from the list below shows). */
  checkpoints: number[];
  counts: { leaves: number; tiles: number; redirects: number; rows: Record<string, number> };
}

export interface ExportTile {
  level: number;
  index: number;
  /** base64 of width × 32 bytes */
  hashes: string;
}

export interface AuditExport {
  manifest: ExportManifest;
  /** By size. Each note carries the log's signature and every witness cosignature stored. */
  checkpoints: AuditCheckpoint[];
  /** By level, then index. */
  tiles: ExportTile[];
  /** Integrated leaves by index, then pending ones by kind, key, ref. */
  leaves: AuditLeaf[];
  /** Per committed table, rows by key then ref. */
  rows: Record<string, AuditRow[]>;
  /** Re-issued personal IDs the leaves need (cancelled number → its successor), by personal ID. */
  redirects: Redirect[];
}

function cmp(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A row's place in its table's list: its key, then the rest of its key column by column. */
export function compareRows(kind: string, a: AuditRow, b: AuditRow): number {
  const k = LEAF_KINDS[kind];
  if (!k) return 0;
  for (const c of [k.keyColumn, ...k.refColumns]) {
    const d = cmp(k.keyColumn === c ? String(a[c]) : (a[c] ?? ''), k.keyColumn === c ? String(b[c]) : (b[c] ?? ''));
    if (d !== 0) return d;
  }
  return 0;
}

export function compareLeaves(a: AuditLeaf, b: AuditLeaf): number {
  if (a.idx !== null && b.idx !== null) return a.idx - b.idx;
  if (a.idx !== null) return -1;
  if (b.idx !== null) return 1;
  return cmp(a.kind, b.kind) || cmp(a.subjectKey, b.subjectKey) || cmp(a.ref, b.ref);
}

export const leafName = (kind: string, subjectKey: string, ref: string): string => `${kind}\n${subjectKey}\n${ref}`;

export function rowName(kind: string, row: AuditRow): string {
  const k = LEAF_KINDS[kind];
  if (!k) throw new TypeError(`not a committed kind: ${kind}`);
  return leafName(kind, String(row[k.keyColumn]), refOf(k, row));
}

/**
 * The personal IDs each table of an export names (by its key column), table by table: the people
 * whose data the export releases, for the recording of its use (the inspectors' route and the CLI).
 */
export function personalIdsByTable(e: AuditExport): Record<string, string[]> {
  const people: Record<string, string[]> = {};
  for (const [table, rows] of Object.entries(e.rows)) {
    const key = LEAF_KINDS[table]?.keyColumn;
    if (key) people[table] = [...new Set(rows.map((r) => String(r[key])).filter((v) => /^\d{12}$/.test(v)))];
  }
  return people;
}

/** The instant a leaf ID starts with (YYYYMMDDHHMMSSmmm), as ISO text. */
export function instantOfLeafId(leafId: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{3})/.exec(leafId);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z` : null;
}

// ---------------------------------------------------------------- one JSON-lines file

type Line =
  | { type: 'manifest'; manifest: ExportManifest }
  | ({ type: 'checkpoint' } & AuditCheckpoint)
  | ({ type: 'tile' } & ExportTile)
  | ({ type: 'leaf' } & AuditLeaf)
  | { type: 'row'; table: string; row: AuditRow }
  | ({ type: 'redirect' } & Redirect);

/** The export as one JSON-lines text: the manifest, then checkpoints, tiles, leaves, redirects, rows by table. */
export function exportToLines(e: AuditExport): string {
  const lines: Line[] = [{ type: 'manifest', manifest: e.manifest }];
  for (const c of e.checkpoints) lines.push({ type: 'checkpoint', ...c });
  for (const t of e.tiles) lines.push({ type: 'tile', ...t });
  for (const l of e.leaves) lines.push({ type: 'leaf', ...l });
  for (const r of e.redirects) lines.push({ type: 'redirect', ...r });
  for (const table of Object.keys(e.rows).sort()) for (const row of e.rows[table] ?? []) lines.push({ type: 'row', table, row });
  return lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
}

export class ExportFormatError extends Error {}

/** Parses one JSON-lines export; a line that is not JSON or of no known type is an error (with its number). */
export function exportFromLines(text: string): AuditExport {
  const out: AuditExport = { manifest: undefined as unknown as ExportManifest, checkpoints: [], tiles: [], leaves: [], rows: {}, redirects: [] };
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return;
    let v: Record<string, unknown>;
    try {
      v = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      throw new ExportFormatError(`line ${i + 1}: not JSON`);
    }
    const { type, ...rest } = v;
    switch (type) {
      case 'manifest':
        if (out.manifest) throw new ExportFormatError(`line ${i + 1}: a second manifest`);
        out.manifest = rest.manifest as ExportManifest;
        break;
      case 'checkpoint':
        out.checkpoints.push(rest as unknown as AuditCheckpoint);
        break;
      case 'tile':
        out.tiles.push(rest as unknown as ExportTile);
        break;
      case 'leaf':
        out.leaves.push(rest as unknown as AuditLeaf);
        break;
      case 'redirect':
        out.redirects.push(rest as unknown as Redirect);
        break;
      case 'row': {
        const table = String(rest.table);
        (out.rows[table] ??= []).push(rest.row as AuditRow);
        break;
      }
      default:
        throw new ExportFormatError(`line ${i + 1}: unknown line type`);
    }
  });
  if (!out.manifest) throw new ExportFormatError('no manifest line');
  return out;
}
