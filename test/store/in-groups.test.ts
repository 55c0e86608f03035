/** Reads by long key lists go in groups within every store's parameter limit, results in order. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IN_GROUP, inGroups } from '../../src/store/in-groups.js';

test('inGroups: groups of at most IN_GROUP keys, every key once, results concatenated in order', async () => {
  const keys = Array.from({ length: IN_GROUP * 2 + 1 }, (_, i) => i);
  const sizes: number[] = [];
  const out = await inGroups(keys, async (group) => {
    sizes.push(group.length);
    return group.map((k) => k * 2);
  });
  assert.deepEqual(sizes, [IN_GROUP, IN_GROUP, 1]);
  assert.deepEqual(out, keys.map((k) => k * 2));
  assert.deepEqual(await inGroups([], async () => [1]), []);
});
