/**
 * The offline auditor's checks over an export (decision 0034). Pure: no store, no clock, no files.
 *
 * What it trusts: the log's public key (given by the auditor; the export's own copy only when none
 * is given, and then it says so), witnesses' keys if given, and an earlier export if given (what the
 * auditor saw before). Everything else — tiles, leaves, rows, redirects, the manifest — is checked:
 * 1. every checkpoint is signed by the log (and by enough witnesses), in increasing size, and each
 *    is consistent with the one before (a proof computed from the tiles, verified by RFC 9162);
 * 2. the tree is recomputed from the leaf data: each leaf's hash is the tiles' hash at its index,
 *    each full tile's root is its parent's hash, and the roots at every checkpoint's size, from the
 *    tiles and from the leaves appended, are the signed roots;
 * 3. the rows are exactly the committed leaves: each row's digest is its leaf's, every leaf of the
 *    segment names a row (or a row moved by a personal-ID re-issue), every row of the log's time has
 *    a leaf, nothing is listed twice or out of order.
 * Every problem is located: the table, key and ref of a row, the column when an earlier export
 * holds the other value, the leaf index, the checkpoint size, the tile.
 */
import { openCheckpoint } from '../../transparency/checkpoint.js';
import { HASH_SIZE, leafHash } from '../../transparency/hash.js';
import { formatLeafData, rowDigest } from '../../transparency/leaf.js';
import type { NoteVerifier } from '../../transparency/note.js';
import { verifierFromKeyString } from '../../transparency/keys.js';
import { hashReaderFromTiles, tileRoot, TILE_WIDTH } from '../../transparency/tiles.js';
import { CompactRange, consistencyProof, rootAt, verifyConsistency } from '../../transparency/tree.js';
import type { AuditLeaf, AuditRow } from '../../store/repositories/audit.js';
import { AUDIT_TIME_COLUMNS } from '../../store/repositories/audit.js';
import { LEAF_KINDS, refOf } from '../../store/repositories/transparency-leaves.js';
import { compareLeaves, compareRows, EXPORT_FORMAT, leafName, type AuditExport } from './export-format.js';

export interface AuditProblem {
  code: string;
  message: string;
  table?: string;
  key?: string;
  ref?: string;
  column?: string;
  leafIndex?: number;
  checkpointSize?: number;
  tile?: string;
}

export interface VerifyOptions {
  /** Trusted log keys (verifier key strings' verifiers). Without them the export's own key is used. */
  logKeys?: readonly NoteVerifier[];
  witnessKeys?: readonly NoteVerifier[];
  minWitnesses?: number;
  /** An earlier export of (part of) the same log: what it held must still be there, unchanged. */
  baseline?: AuditExport;
}

export interface AuditReport {
  ok: boolean;
  problems: AuditProblem[];
  /** Said even when ok: what the verdict rests on. */
  notes: string[];
  counts: {
    checkpoints: number;
    leaves: number;
    pending: number;
    tiles: number;
    rows: number;
    moved: number;
    start: number;
    end: number;
  };
}

const b64 = (s: string): Buffer => Buffer.from(s, 'base64');
/** Up to this many checkpoints, each one's root and consistency are computed from the tiles. */
const THOROUGH = 1000;

export async function verifyAuditExport(exp: AuditExport, options: VerifyOptions = {}): Promise<AuditReport> {
  const problems: AuditProblem[] = [];
  const notes: string[] = [];
  const add = (p: AuditProblem) => problems.push(p);
  const m = exp.manifest;
  const counts = { checkpoints: exp.checkpoints.length, leaves: 0, pending: 0, tiles: exp.tiles.length, rows: 0, moved: 0, start: m?.start ?? 0, end: m?.end ?? 0 };
  if (!m || m.format !== EXPORT_FORMAT) {
    add({ code: 'format', message: `not a ${EXPORT_FORMAT} export` });
    return { ok: false, problems, notes, counts };
  }

  // ------------------------------------------------------------ 1. checkpoints
  let logKeys = options.logKeys ?? [];
  if (logKeys.length === 0) {
    try {
      logKeys = [verifierFromKeyString(m.logKey)];
      notes.push(`no log key given: the export's own key was trusted (${m.logKey})`);
    } catch {
      add({ code: 'log-key', message: 'no log key given and the export holds no valid one' });
    }
  }
  const witnessKeys = options.witnessKeys ?? [];
  const minWitnesses = options.minWitnesses ?? 0;
  const listed = m.checkpoints ?? [];
  const present = new Set(exp.checkpoints.map((c) => c.size));
  const listedSet = new Set(listed);
  for (const s of listed) if (!present.has(s)) add({ code: 'checkpoint-missing', message: 'a checkpoint the manifest lists is not in the export', checkpointSize: s });
  for (const s of present) if (!listedSet.has(s)) add({ code: 'checkpoint-unlisted', message: 'a checkpoint is not in the manifest', checkpointSize: s });
  const signed: { size: number; root: Buffer }[] = [];
  exp.checkpoints.forEach((c, i) => {
    const prev = exp.checkpoints[i - 1];
    if (prev && c.size <= prev.size) add({ code: 'checkpoint-order', message: `checkpoint of size ${c.size} after one of size ${prev.size}`, checkpointSize: c.size });
    try {
      const { checkpoint, note } = openCheckpoint(c.note, [...logKeys, ...witnessKeys], m.origin);
      if (!note.verified.some((s) => logKeys.some((k) => k.name === s.name && k.keyId === s.keyId))) {
        add({ code: 'checkpoint-signature', message: 'not signed by the log key', checkpointSize: c.size });
        return;
      }
      const witnesses = new Set(note.verified.filter((s) => witnessKeys.some((k) => k.name === s.name && k.keyId === s.keyId)).map((s) => s.name));
      if (witnesses.size < minWitnesses) add({ code: 'checkpoint-witnesses', message: `${witnesses.size} of ${minWitnesses} witnesses cosigned`, checkpointSize: c.size });
      if (checkpoint.size !== c.size || checkpoint.rootHash.toString('base64') !== c.root) {
        add({ code: 'checkpoint-mismatch', message: `the signed note says size ${checkpoint.size}, root ${checkpoint.rootHash.toString('base64')}`, checkpointSize: c.size });
      }
      signed.push({ size: checkpoint.size, root: checkpoint.rootHash });
    } catch (e) {
      add({ code: 'checkpoint-signature', message: `the note does not verify: ${(e as Error).message}`, checkpointSize: c.size });
    }
  });

  // ------------------------------------------------------------ 2. tiles and the tree
  const tiles = new Map<string, Buffer>();
  exp.tiles.forEach((t, i) => {
    const name = `${t.level}/${t.index}`;
    const prev = exp.tiles[i - 1];
    if (prev && (prev.level > t.level || (prev.level === t.level && prev.index >= t.index))) add({ code: 'tile-order', message: 'tiles out of order', tile: name });
    const bytes = b64(t.hashes);
    if (bytes.length === 0 || bytes.length % HASH_SIZE !== 0 || bytes.length > TILE_WIDTH * HASH_SIZE) add({ code: 'tile-malformed', message: `${bytes.length} bytes`, tile: name });
    else tiles.set(name, bytes);
  });
  const readTile = (level: number, index: number) => tiles.get(`${level}/${index}`);
  const reader = hashReaderFromTiles(readTile);
  // A full tile's root is the hash its parent holds for it.
  for (const t of exp.tiles) {
    const bytes = tiles.get(`${t.level}/${t.index}`);
    if (!bytes || bytes.length !== TILE_WIDTH * HASH_SIZE) continue;
    const parent = readTile(t.level + 1, Math.floor(t.index / TILE_WIDTH));
    const at = (t.index % TILE_WIDTH) * HASH_SIZE;
    if (parent && parent.length >= at + HASH_SIZE && !tileRoot(bytes).equals(parent.subarray(at, at + HASH_SIZE))) {
      add({ code: 'tile-parent-mismatch', message: `the root of tile ${t.level}/${t.index} is not the hash its parent holds`, tile: `${t.level}/${t.index}` });
    }
  }

  // The roots at each checkpoint's size from the tiles, and RFC 9162 consistency proofs from the
  // tiles between consecutive checkpoints. A day holds hundreds of thousands of checkpoints: beyond
  // THOROUGH, only the first and the last (and any outside the segment) are done from the tiles —
  // the leaves appended below reproduce every signed root in between, which proves the same.
  const thorough = signed.length <= THOROUGH;
  let previous: { size: number; root: Buffer } | undefined;
  for (let i = 0; i < signed.length; i++) {
    const c = signed[i]!;
    const edge = i === 0 || i === signed.length - 1 || c.size <= m.start || c.size > m.end;
    if (!thorough && !edge) continue;
    try {
      const root = await rootAt(c.size, reader);
      if (!root.equals(c.root)) add({ code: 'tree-root', message: "the tiles' root differs from the signed root", checkpointSize: c.size });
      if (previous && previous.size < c.size) {
        const proof = await consistencyProof(previous.size, c.size, reader);
        if (!verifyConsistency(previous.size, c.size, proof, previous.root, c.root)) {
          add({ code: 'checkpoint-inconsistent', message: `not consistent with the checkpoint of size ${previous.size}`, checkpointSize: c.size });
        }
      }
    } catch (e) {
      add({ code: 'tiles-missing', message: (e as Error).message, checkpointSize: c.size });
    }
    previous = c;
  }

  // ------------------------------------------------------------ 3. leaves, recomputed
  const byIdx = new Map<number, AuditLeaf>();
  const byName = new Map<string, AuditLeaf>();
  exp.leaves.forEach((l, i) => {
    const prev = exp.leaves[i - 1];
    const where = { table: l.kind, key: l.subjectKey, ref: l.ref, ...(l.idx !== null ? { leafIndex: l.idx } : {}) };
    if (prev && compareLeaves(prev, l) >= 0) add({ code: 'leaf-order', message: 'leaves out of order (or listed twice)', ...where });
    const name = leafName(l.kind, l.subjectKey, l.ref);
    if (byName.has(name)) add({ code: 'leaf-duplicate', message: 'two leaves name this row', ...where });
    byName.set(name, l);
    if (l.idx === null) counts.pending++;
    else {
      if (byIdx.has(l.idx)) add({ code: 'leaf-index-duplicate', message: 'two leaves hold this index', ...where });
      byIdx.set(l.idx, l);
    }
  });
  counts.leaves = exp.leaves.length;
  const hashOf = (l: AuditLeaf): Buffer | undefined => {
    try {
      return leafHash(formatLeafData(l));
    } catch {
      add({ code: 'leaf-malformed', message: 'the leaf data cannot be formed', table: l.kind, key: l.subjectKey, ref: l.ref, ...(l.idx !== null ? { leafIndex: l.idx } : {}) });
      return undefined;
    }
  };
  const tileHashAt = (idx: number): Buffer | undefined => {
    const t = readTile(0, Math.floor(idx / TILE_WIDTH));
    const at = (idx % TILE_WIDTH) * HASH_SIZE;
    return t && t.length >= at + HASH_SIZE ? t.subarray(at, at + HASH_SIZE) : undefined;
  };
  const signedAt = new Map(signed.map((c) => [c.size, c.root]));
  let range: CompactRange | undefined;
  try {
    range = await CompactRange.fromReader(m.start, reader);
  } catch (e) {
    add({ code: 'tiles-missing', message: `the tree at the segment's start: ${(e as Error).message}`, leafIndex: m.start });
  }
  for (let idx = m.start; idx < m.end; idx++) {
    const l = byIdx.get(idx);
    const inTile = tileHashAt(idx);
    let h: Buffer | undefined;
    if (!l) add({ code: 'leaf-missing', message: 'no leaf holds this index', leafIndex: idx });
    else {
      h = hashOf(l);
      if (!inTile) add({ code: 'tiles-missing', message: 'no level-0 tile holds this index', leafIndex: idx });
      else if (h && !h.equals(inTile)) add({ code: 'leaf-hash-mismatch', message: "the leaf's hash is not the tiles' hash at its index", table: l.kind, key: l.subjectKey, ref: l.ref, leafIndex: idx });
    }
    // The tree recomputed from the leaf data alone (a missing leaf counts as a zero hash: its root cannot match).
    range?.append(h ?? Buffer.alloc(HASH_SIZE));
    const root = signedAt.get(idx + 1);
    if (range && root && !range.root().equals(root)) add({ code: 'leaf-root-mismatch', message: 'the leaves appended do not give the signed root', checkpointSize: idx + 1 });
  }
  // Leaves outside the segment (rows of the period integrated earlier or later): checked where a tile holds them.
  for (const l of exp.leaves) {
    if (l.idx === null || (l.idx >= m.start && l.idx < m.end)) continue;
    const inTile = tileHashAt(l.idx);
    const h = hashOf(l);
    if (inTile && h && !h.equals(inTile)) add({ code: 'leaf-hash-mismatch', message: "the leaf's hash is not the tiles' hash at its index", table: l.kind, key: l.subjectKey, ref: l.ref, leafIndex: l.idx });
  }

  // ------------------------------------------------------------ 4. rows are exactly the committed leaves
  const baselineRows = new Map<string, AuditRow>();
  for (const [kind, list] of Object.entries(options.baseline?.rows ?? {})) for (const r of list) baselineRows.set(nameOf(kind, r), r);
  const rowsByName = new Map<string, { kind: string; row: AuditRow }>();
  for (const [kind, list] of Object.entries(exp.rows)) {
    const k = LEAF_KINDS[kind];
    if (!k) {
      add({ code: 'table-unknown', message: 'not a committed table', table: kind });
      continue;
    }
    if ((m.counts?.rows?.[kind] ?? 0) !== list.length) add({ code: 'count-mismatch', message: `the manifest counts ${m.counts?.rows?.[kind] ?? 0} rows, the export holds ${list.length}`, table: kind });
    list.forEach((row, i) => {
      counts.rows++;
      const key = String(row[k.keyColumn]);
      const ref = refOf(k, row);
      const where = { table: kind, key, ref };
      const prev = list[i - 1];
      if (prev && compareRows(kind, prev, row) >= 0) add({ code: compareRows(kind, prev, row) === 0 ? 'row-duplicate' : 'row-order', message: 'rows out of order (or listed twice)', ...where });
      const name = leafName(kind, key, ref);
      rowsByName.set(name, { kind, row });
      const leaf = byName.get(name);
      if (!leaf) {
        // Every row has a leaf: those written before the log were committed when it began
        // (migration 0014), so a row without one was inserted behind the log's back, whatever date it claims.
        add({ code: 'row-without-leaf', message: 'a row of a committed table has no leaf', ...where });
        return;
      }
      let digest: string | undefined;
      try {
        digest = rowDigest(k.columns, row);
      } catch (e) {
        add({ code: 'row-malformed', message: (e as Error).message, ...where });
        return;
      }
      if (digest !== leaf.digest) {
        const before = baselineRows.get(name);
        const changed = before ? k.columns.filter((c) => (before[c] ?? null) !== (row[c] ?? null)) : [];
        add({
          code: 'row-digest-mismatch',
          message: changed.length > 0 ? `the row differs from its leaf (changed since the earlier export: ${changed.join(', ')})` : 'the row differs from its leaf',
          ...where,
          ...(changed.length > 0 ? { column: changed.join(',') } : {}),
          ...(leaf.idx !== null ? { leafIndex: leaf.idx } : {}),
        });
      }
    });
  }
  for (const kind of Object.keys(m.counts?.rows ?? {})) {
    if (!exp.rows[kind] && (m.counts.rows[kind] ?? 0) > 0) add({ code: 'count-mismatch', message: `the manifest counts ${m.counts.rows[kind]} rows, the export holds none`, table: kind });
  }
  for (const [what, n, listedCount] of [['leaves', exp.leaves.length, m.counts?.leaves], ['tiles', exp.tiles.length, m.counts?.tiles], ['redirects', exp.redirects.length, m.counts?.redirects]] as const) {
    if (n !== listedCount) add({ code: 'count-mismatch', message: `the manifest counts ${listedCount} ${what}, the export holds ${n}` });
  }

  // Every leaf names a row, or a row moved to a re-issued personal ID (decision 0028).
  const redirects = new Map(exp.redirects.map((r) => [r.personalId, r.replacedBy]));
  for (const l of exp.leaves) {
    const name = leafName(l.kind, l.subjectKey, l.ref);
    if (rowsByName.has(name)) continue;
    const where = { table: l.kind, key: l.subjectKey, ref: l.ref, ...(l.idx !== null ? { leafIndex: l.idx } : {}) };
    const k = LEAF_KINDS[l.kind];
    if (!k) {
      add({ code: 'table-unknown', message: 'a leaf of a table that is not committed', ...where });
      continue;
    }
    let moved: { kind: string; row: AuditRow } | undefined;
    let to = redirects.get(l.subjectKey);
    for (let i = 0; to && i < 8 && !moved; i++) {
      moved = rowsByName.get(leafName(l.kind, to, l.ref));
      if (!moved) to = redirects.get(to);
    }
    if (!moved) {
      add({ code: 'leaf-without-row', message: 'the row this leaf commits to is not there', ...where });
      continue;
    }
    // Only the key changed: the old leaf is the moved row's digest under the old number.
    if (rowDigest(k.columns, { ...moved.row, [k.keyColumn]: l.subjectKey }) !== l.digest) {
      add({ code: 'moved-row-mismatch', message: `the row moved to ${String(moved.row[k.keyColumn])} differs from this leaf`, ...where });
    } else counts.moved++;
  }

  // ------------------------------------------------------------ 5. what an earlier export held
  const base = options.baseline;
  if (base) {
    for (const [name, before] of baselineRows) {
      const now = rowsByName.get(name);
      const [kind, key, ref] = name.split('\n') as [string, string, string];
      const k = LEAF_KINDS[kind];
      if (!k) continue;
      if (!now) {
        const t = String(before[AUDIT_TIME_COLUMNS[kind] ?? ''] ?? '');
        const inPeriod = (!m.from || t >= m.from) && (!m.to || t < m.to);
        if (inPeriod && !redirects.has(key)) add({ code: 'row-gone-since-baseline', message: 'a row the earlier export held is gone', table: kind, key, ref });
        continue;
      }
      for (const c of k.columns) {
        if ((before[c] ?? null) !== (now.row[c] ?? null)) add({ code: 'row-changed-since-baseline', message: 'a value differs from the earlier export', table: kind, key, ref, column: c });
      }
    }
    const first = exp.checkpoints[0]?.size ?? 0;
    const last = exp.checkpoints[exp.checkpoints.length - 1]?.size ?? 0;
    const now = new Map(exp.checkpoints.map((c) => [c.size, c.root]));
    for (const c of base.checkpoints) {
      if (c.size < first || c.size > last) continue;
      const root = now.get(c.size);
      if (root === undefined) add({ code: 'checkpoint-gone-since-baseline', message: 'a checkpoint the earlier export held is gone', checkpointSize: c.size });
      else if (root !== c.root) add({ code: 'checkpoint-changed-since-baseline', message: 'a checkpoint the earlier export held has another root', checkpointSize: c.size });
    }
    // The earlier export's last tree must be a prefix of this one (no fork, no rewritten history).
    const baseLast = base.checkpoints[base.checkpoints.length - 1];
    if (baseLast && baseLast.size <= last && baseLast.size >= m.start) {
      try {
        if (!(await rootAt(baseLast.size, reader)).equals(b64(baseLast.root))) add({ code: 'fork-since-baseline', message: "the earlier export's tree is not a prefix of this one", checkpointSize: baseLast.size });
      } catch {
        // Tiles below the segment are not in this export: the signatures and consistency above stand.
      }
    }
    for (const l of base.leaves) {
      if (l.idx === null || l.idx < m.start || l.idx >= m.end) continue;
      const cur = byIdx.get(l.idx);
      if (cur && (cur.kind !== l.kind || cur.subjectKey !== l.subjectKey || cur.ref !== l.ref || cur.salt !== l.salt || cur.digest !== l.digest)) {
        add({ code: 'leaf-changed-since-baseline', message: 'the leaf at this index differs from the earlier export', table: l.kind, key: l.subjectKey, ref: l.ref, leafIndex: l.idx });
      }
    }
  }

  if (counts.pending > 0) notes.push(`${counts.pending} leaves wait for the sequencer: their rows' digests were checked, their place in the tree was not yet`);
  return { ok: problems.length === 0, problems, notes, counts };
}

function nameOf(kind: string, row: AuditRow): string {
  const k = LEAF_KINDS[kind];
  return k ? leafName(kind, String(row[k.keyColumn]), refOf(k, row)) : `${kind}\n?`;
}

/** One line per problem, located: what the CLI prints. */
export function formatProblem(p: AuditProblem): string {
  const where = [
    p.table !== undefined ? `table=${p.table}` : '',
    p.key !== undefined ? `key=${p.key}` : '',
    p.ref !== undefined ? `ref=${p.ref}` : '',
    p.column !== undefined ? `column=${p.column}` : '',
    p.leafIndex !== undefined ? `leaf=${p.leafIndex}` : '',
    p.checkpointSize !== undefined ? `checkpoint=${p.checkpointSize}` : '',
    p.tile !== undefined ? `tile=${p.tile}` : '',
  ].filter(Boolean);
  return `PROBLEM ${p.code} ${where.join(' ')}: ${p.message}`;
}
