/**
 * The offline verifier alone, on an export built here from scratch (no store): 3,000 rows and
 * leaves, their tiles, and a checkpoint every two leaves — more checkpoints than the verifier
 * recomputes one by one from the tiles, so the roots in between rest on the leaves appended.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { verifyAuditExport } from '../../src/services/audit/verify.js';
import { compareRows, EXPORT_FORMAT, type AuditExport } from '../../src/services/audit/export-format.js';
import type { AuditCheckpoint, AuditLeaf, AuditRow } from '../../src/store/repositories/audit.js';
import { LEAF_KINDS } from '../../src/store/repositories/transparency-leaves.js';
import { formatLeafData, rowDigest } from '../../src/transparency/leaf.js';
import { leafHash } from '../../src/transparency/hash.js';
import { buildTiles } from '../../src/transparency/tiles.js';
import { CompactRange } from '../../src/transparency/tree.js';
import { formatCheckpoint } from '../../src/transparency/checkpoint.js';
import { generateEd25519 } from '../../src/transparency/keys.js';
import { ed25519PublicKeyRaw, ed25519Signer, ed25519Verifier, signNote, verifierKeyString } from '../../src/transparency/note.js';

const ORIGIN = 'audit.test/log';
const N = 3000;
const key = generateEd25519().privateKey;
const signer = ed25519Signer(ORIGIN, key);
const verifier = ed25519Verifier(ORIGIN, ed25519PublicKeyRaw(key));
const kind = 'principal_event';
const columns = LEAF_KINDS[kind]!.columns;

function build(): AuditExport {
  const rows: AuditRow[] = [];
  const leaves: AuditLeaf[] = [];
  const range = new CompactRange();
  const checkpoints: AuditCheckpoint[] = [];
  const hashes: Buffer[] = [];
  const base = Date.parse('2026-06-01T00:00:00.000Z');
  for (let i = 0; i < N; i++) {
    const at = new Date(base + i).toISOString();
    const row: AuditRow = { principal_id: `p${String(i % 50).padStart(3, '0')}`, seq: Math.floor(i / 50) + 1, at, actor_id: 'cli', kind: 'created', details: `{"n":${i}}` };
    rows.push(row);
    const salt = createHash('sha256').update(String(i)).digest().subarray(0, 16).toString('base64');
    const leaf: AuditLeaf = { kind, subjectKey: String(row.principal_id), ref: String(row.seq), leafId: `${at.replace(/[-:.TZ]/g, '')}x${i}`, salt, digest: rowDigest(columns, row), idx: i };
    leaves.push(leaf);
    const h = leafHash(formatLeafData(leaf));
    hashes.push(h);
    range.append(h);
    if ((i + 1) % 2 === 0) {
      const size = i + 1;
      checkpoints.push({ size, root: range.root().toString('base64'), signedAt: at, note: signNote(formatCheckpoint({ origin: ORIGIN, size, rootHash: range.root() }), [signer]) });
    }
  }
  const tiles = buildTiles(0, hashes, () => undefined)
    .sort((a, b) => a.level - b.level || a.index - b.index)
    .map((t) => ({ level: t.level, index: t.index, hashes: t.hashes.toString('base64') }));
  rows.sort((a, b) => compareRows(kind, a, b));
  return {
    manifest: {
      format: EXPORT_FORMAT,
      origin: ORIGIN,
      logKey: verifierKeyString(ORIGIN, ed25519PublicKeyRaw(key)),
      from: null,
      to: null,
      start: 0,
      end: N,
      logStart: '2026-06-01T00:00:00.000Z',
      exportedAt: '2026-06-02T00:00:00.000Z',
      checkpoints: checkpoints.map((c) => c.size),
      counts: { leaves: N, tiles: tiles.length, redirects: 0, rows: { [kind]: N } },
    },
    checkpoints,
    tiles,
    leaves,
    rows: { [kind]: rows },
    redirects: [],
  };
}

const clone = (e: AuditExport): AuditExport => JSON.parse(JSON.stringify(e)) as AuditExport;

describe('verifyAuditExport on a built export', () => {
  const exp = build();

  test('an intact export of 1,500 checkpoints verifies', async () => {
    const r = await verifyAuditExport(exp, { logKeys: [verifier] });
    assert.equal(r.ok, true, JSON.stringify(r.problems.slice(0, 3)));
    assert.deepEqual([r.counts.checkpoints, r.counts.leaves, r.counts.rows], [1500, N, N]);
  });

  test("a leaf's salt in the middle: its hash and every later root in the segment", async () => {
    const e = clone(exp);
    e.leaves[1234]!.salt = Buffer.alloc(16, 1).toString('base64');
    const r = await verifyAuditExport(e, { logKeys: [verifier] });
    assert.ok(r.problems.some((p) => p.code === 'leaf-hash-mismatch' && p.leafIndex === 1234));
    // The first checkpoint after it whose root the leaves no longer give.
    assert.ok(r.problems.some((p) => p.code === 'leaf-root-mismatch' && p.checkpointSize === 1236));
  });

  test("a byte of a level-1 tile: the root of the full tile below is not its parent's hash", async () => {
    const e = clone(exp);
    const t = e.tiles.find((x) => x.level === 1)!;
    const bytes = Buffer.from(t.hashes, 'base64');
    bytes[32 * 4 + 9]! ^= 0x80;
    t.hashes = bytes.toString('base64');
    const r = await verifyAuditExport(e, { logKeys: [verifier] });
    assert.ok(r.problems.some((p) => p.code === 'tile-parent-mismatch' && p.tile === '0/4'), JSON.stringify(r.problems.slice(0, 3)));
  });

  test('a checkpoint re-signed over another root by another key: refused at that checkpoint only', async () => {
    const other = ed25519Signer(ORIGIN, generateEd25519().privateKey);
    const e = clone(exp);
    const c = e.checkpoints[700]!;
    c.note = signNote(formatCheckpoint({ origin: ORIGIN, size: c.size, rootHash: Buffer.alloc(32, 3) }), [other]);
    const r = await verifyAuditExport(e, { logKeys: [verifier] });
    assert.deepEqual(r.problems.map((p) => [p.code, p.checkpointSize]), [['checkpoint-signature', c.size]]);
  });

  test('a row of the middle changed: located at its key and ref and leaf index', async () => {
    const e = clone(exp);
    const row = e.rows[kind]![1500]!;
    row.details = `${String(row.details).slice(0, -1)}0`;
    const r = await verifyAuditExport(e, { logKeys: [verifier] });
    assert.deepEqual(
      r.problems.map((p) => [p.code, p.table, p.key, p.ref]),
      [['row-digest-mismatch', kind, row.principal_id, String(row.seq)]],
    );
  });
});
