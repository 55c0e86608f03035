/**
 * A read by a list of keys (`where key in (...)`) done in groups, so that a long list — the people
 * of a page of large uses — stays within every store's limit on bound parameters and each statement
 * stays small.
 */
export const IN_GROUP = 500;

export async function inGroups<K, R>(keys: readonly K[], read: (group: K[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < keys.length; i += IN_GROUP) out.push(...(await read(keys.slice(i, i + IN_GROUP))));
  return out;
}
