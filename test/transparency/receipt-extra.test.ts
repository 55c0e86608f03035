/**
 * A receipt's extra (receipt-extra.ts): the leaf data alone (older receipts, rows not carried) or
 * {leaf, row}; the row checks against the leaf's digest, and a row changed in any value does not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalRow, formatLeafData, newSalt, rowDigest, type LeafData } from '../../src/transparency/leaf.js';
import { checkRow, decodeReceiptExtra, encodeReceiptExtra } from '../../src/transparency/receipt-extra.js';

const columns = ['subject_key', 'entry_id', 'purpose', 'latency_ms', 'unit'];
const row = { subject_key: '001098000001', entry_id: 'E1', purpose: 'Giải quyết hồ sơ 1.004222', latency_ms: 1.25, unit: null };
const leaf: LeafData = { kind: 'access_entry', subjectKey: row.subject_key, ref: row.entry_id, salt: newSalt(), digest: rowDigest(columns, row) };

test('leaf and row round-trip; the row checks against the leaf and gives its columns', () => {
  const extra = decodeReceiptExtra(encodeReceiptExtra(formatLeafData(leaf), canonicalRow(columns, row)));
  assert.deepEqual(extra?.leafData, formatLeafData(leaf));
  assert.deepEqual(extra?.leaf, leaf);
  const checked = checkRow(extra!.leaf!, extra!.row!);
  assert.ok(checked.ok);
  assert.deepEqual(checked.columns, row);
});

test('the leaf data alone (no row) is still read', () => {
  const extra = decodeReceiptExtra(encodeReceiptExtra(formatLeafData(leaf)));
  assert.deepEqual(extra, { leafData: formatLeafData(leaf), leaf });
});

test('a row changed in any one value fails against the leaf', () => {
  for (const [c, v] of [['purpose', 'khác'], ['latency_ms', 1.5], ['unit', 'X'], ['entry_id', 'E2']] as const) {
    const r = checkRow(leaf, canonicalRow(columns, { ...row, [c]: v }));
    assert.equal(r.ok, false, c);
  }
  // The same values in another text (spacing): not the committed bytes either.
  assert.equal(checkRow(leaf, JSON.stringify(JSON.parse(canonicalRow(columns, row)), null, 1)).ok, false);
});

test('anything else is not an extra', () => {
  assert.equal(decodeReceiptExtra(Buffer.from('not json')), undefined);
  assert.equal(decodeReceiptExtra(Buffer.from(JSON.stringify({ v: 'other/v1', leaf: '', row: '' }))), undefined);
  assert.equal(decodeReceiptExtra(Buffer.from(JSON.stringify({ v: 'dancu/receipt/v1', leaf: 'AA==' }))), undefined);
});
