/**
 * A leaf commits to its row by rowDigest over canonicalRow: any change of any committed column's
 * value must change both, and so must a value that only looks the same in another type (the
 * number 1 and the text "1", null and the text "null"). Absent and null are the same on purpose:
 * the store returns null for what a writer left out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { canonicalRow, newSalt, rowDigest, SALT_BYTES, type ColumnValue } from '../../src/transparency/leaf.js';

const value: fc.Arbitrary<ColumnValue> = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constant(null),
);

// Column names are SQL identifiers (so never a name Object.prototype answers to, like __proto__).
const columnName = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/);
// A table's columns: distinct names, at least one, and a row giving each a value.
const table = fc
  .uniqueArray(columnName, { minLength: 1, maxLength: 12 })
  .chain((columns) => fc.tuple(fc.constant(columns), fc.array(value, { minLength: columns.length, maxLength: columns.length })))
  .map(([columns, values]) => ({ columns, row: Object.fromEntries(columns.map((c, i) => [c, values[i]!])) as Record<string, ColumnValue> }));

/** Same value as the store would hand it back (-0 is written as 0 by both stores and by JSON). */
const same = (a: ColumnValue, b: ColumnValue) => a === b || (typeof a === 'number' && typeof b === 'number' && Object.is(a === 0 ? 0 : a, b === 0 ? 0 : b));

test('changing any one column value changes the canonical form and the digest', () => {
  fc.assert(
    fc.property(table, fc.nat(), value, ({ columns, row }, pick, replacement) => {
      const column = columns[pick % columns.length]!;
      fc.pre(!same(row[column]!, replacement));
      const changed = { ...row, [column]: replacement };
      assert.notEqual(canonicalRow(columns, changed), canonicalRow(columns, row));
      assert.notEqual(rowDigest(columns, changed), rowDigest(columns, row));
    }),
    { numRuns: 2000 },
  );
});

test('a value is told apart from the same characters in another type', () => {
  const columns = ['a'];
  assert.notEqual(rowDigest(columns, { a: 1 }), rowDigest(columns, { a: '1' }));
  assert.notEqual(rowDigest(columns, { a: null }), rowDigest(columns, { a: 'null' }));
  assert.notEqual(rowDigest(columns, { a: '' }), rowDigest(columns, { a: null }));
  assert.notEqual(rowDigest(columns, { a: 0 }), rowDigest(columns, { a: null }));
  // Values cannot slide from one column into the next.
  assert.notEqual(rowDigest(['a', 'b'], { a: 'x', b: 'y' }), rowDigest(['a', 'b'], { a: 'xy', b: '' }));
  assert.notEqual(rowDigest(['a', 'b'], { a: 'x', b: 'y' }), rowDigest(['a', 'b'], { a: 'y', b: 'x' }));
});

test('the digest covers the listed columns in their order, and only them', () => {
  fc.assert(
    fc.property(table, columnName, value, ({ columns, row }, extra, extraValue) => {
      fc.pre(!columns.includes(extra));
      // A column outside the list is not committed…
      assert.equal(rowDigest(columns, { ...row, [extra]: extraValue }), rowDigest(columns, row));
      // …and naming the columns differently, or in another order, is another commitment.
      if (columns.length > 1) {
        const reversed = [...columns].reverse();
        if (reversed.some((c, i) => c !== columns[i])) assert.notEqual(rowDigest(reversed, row), rowDigest(columns, row));
      }
      assert.notEqual(rowDigest([...columns, extra], row), rowDigest(columns, row));
    }),
    { numRuns: 1000 },
  );
});

test('an absent column is committed as null; integers from a bigint driver as numbers; booleans as 0/1', () => {
  assert.equal(rowDigest(['a', 'b'], { a: 'x' }), rowDigest(['a', 'b'], { a: 'x', b: null }));
  assert.equal(rowDigest(['n'], { n: 42n }), rowDigest(['n'], { n: 42 }));
  assert.equal(rowDigest(['t'], { t: true }), rowDigest(['t'], { t: 1 }));
  assert.throws(() => rowDigest(['o'], { o: { nested: 1 } }), TypeError);
});

test('salts are 16 random bytes, never repeated (also across refills of the pool they are drawn from)', () => {
  const salts = Array.from({ length: 20_000 }, () => newSalt());
  assert.equal(new Set(salts).size, salts.length);
  for (const s of salts) assert.equal(Buffer.from(s, 'base64').length, SALT_BYTES);
  // Not a counter or a constant: the bytes of many salts are spread over all values.
  const bytes = Buffer.concat(salts.slice(0, 4096).map((s) => Buffer.from(s, 'base64')));
  assert.equal(new Set(bytes).size, 256);
});

test('the digest is SHA-256 over the UTF-8 canonical form, base64', () => {
  fc.assert(
    fc.property(table, ({ columns, row }) => {
      assert.equal(rowDigest(columns, row), createHash('sha256').update(Buffer.from(canonicalRow(columns, row), 'utf8')).digest('base64'));
    }),
    { numRuns: 500 },
  );
  // A fixed vector, so a change of the canonical form cannot pass unnoticed.
  assert.equal(canonicalRow(['a', 'n', 'z'], { a: 'Hà Nội', n: 12 }), '[["a","Hà Nội"],["n",12],["z",null]]');
  assert.equal(rowDigest(['a', 'n', 'z'], { a: 'Hà Nội', n: 12 }), createHash('sha256').update('[["a","Hà Nội"],["n",12],["z",null]]').digest('base64'));
});
