/**
 * The one recording mechanism (DESIGN §3.4; decision 0027). Every use of citizens' data and every
 * refusal becomes an access entry — one row per citizen concerned, with its transparency-log leaf —
 * committed before the answer leaves; if it cannot be written, the request is not answered.
 *
 * Entries that arrive while a write is in progress wait for the next one and share its transaction
 * (group commit). Each caller's promise settles only after its entry committed (or failed). A change
 * records its entry in its own transaction instead (`recordInTransaction`, through the request scope).
 *
 * Usage counters of exchange connections are not written here: a call claims its place in them
 * before it is served (store/repositories/connection-usage.ts, decision 0036), so one transaction
 * never spans a citizen's key and a connection's key.
 */
import { timeOrderedIds } from '../../store/time-ordered-ids.js';
import { appendAccessEntries, rowsOf, type AccessEntry } from '../../store/repositories/access-log.js';
import type { Db } from '../../store/schema.js';
import type { Store } from '../../store/connect.js';
import { currentScope } from './scope.js';

const MAX_BATCH = 500;

export type NewAccessEntry = Omit<AccessEntry, 'entryId'> & { entryId?: string };

export interface Recorder {
  /** Records a use (its own transaction, shared with others arriving meanwhile). */
  record(entry: NewAccessEntry): Promise<AccessEntry>;
  /** Records a use inside the caller's transaction (a change and its record commit together). */
  recordInTransaction(tx: Db, entry: NewAccessEntry): Promise<AccessEntry>;
}

/** Time-ordered, unique across processes: the instant, this process's tag, a sequence number. */
export const newEntryId = timeOrderedIds(9);

type Pending = { entry: AccessEntry; resolve: () => void; reject: (e: unknown) => void };

export interface RecorderOptions {
  /**
   * Commit each citizen's entries in a transaction of their own (the store distributed by personal
   * ID: a transaction across keys would be a two-phase commit). Off by default: on one server, one
   * transaction for every entry waiting is cheaper (DANCU_RECORD_ONE_KEY_PER_TRANSACTION).
   */
  oneKeyPerTransaction?: boolean;
}

/** How many per-key transactions run at once in one-key mode. */
const KEY_CONCURRENCY = 8;

export function createRecorder(store: Store, options: RecorderOptions = {}): Recorder {
  let queue: Pending[] = [];
  let writing = false;

  /** The entries in one transaction; settles every caller it carried. */
  async function commit(group: Pending[]): Promise<void> {
    try {
      await store.transaction((tx) => appendAccessEntries(tx, group.map((p) => p.entry)));
    } catch (e) {
      for (const p of group) p.reject(e);
      return;
    }
    for (const p of group) p.resolve();
  }

  async function flush(): Promise<void> {
    if (writing || queue.length === 0) return;
    writing = true;
    const batch = queue.slice(0, MAX_BATCH);
    queue = queue.slice(batch.length);
    if (options.oneKeyPerTransaction) {
      const groups = [...groupByKey(batch).values()];
      for (let i = 0; i < groups.length; i += KEY_CONCURRENCY) await Promise.all(groups.slice(i, i + KEY_CONCURRENCY).map(commit));
    } else {
      await commit(batch);
    }
    writing = false;
    if (queue.length > 0) setImmediate(() => void flush());
  }

  const one = (entry: AccessEntry): Promise<AccessEntry> =>
    new Promise<AccessEntry>((resolve, reject) => {
      queue.push({ entry, resolve: () => resolve(entry), reject });
      if (queue.length === 1) setImmediate(() => void flush());
    });

  return {
    async record(input) {
      const scope = currentScope();
      const parts = partsOf(input);
      // Every part committed before the use counts as recorded (parts may share a transaction or not).
      const [first] = await Promise.all(parts.map(one));
      if (scope) scope.recorded = true;
      return first!;
    },
    async recordInTransaction(tx, input) {
      const parts = partsOf(input);
      await appendAccessEntries(tx, parts);
      return parts[0]!;
    },
  };
}

/**
 * A use is recorded whole, however many people it concerns: beyond PEOPLE_PER_ENTRY (an inspector's
 * export, a long household history) it is recorded as several entries of that many people each,
 * the first carrying the fee. The exchange's batches stay within one entry (their limit is the same).
 */
export const PEOPLE_PER_ENTRY = 1000;

export function partsOf(input: NewAccessEntry): AccessEntry[] {
  const people = [...new Set(input.personalIds)];
  if (people.length <= PEOPLE_PER_ENTRY) return [{ ...input, personalIds: people, entryId: input.entryId ?? newEntryId(input.at) }];
  const parts: AccessEntry[] = [];
  for (let i = 0; i < people.length; i += PEOPLE_PER_ENTRY) {
    parts.push({ ...input, personalIds: people.slice(i, i + PEOPLE_PER_ENTRY), feeVnd: i === 0 ? input.feeVnd : 0, entryId: i === 0 && input.entryId ? input.entryId : newEntryId(input.at) });
  }
  return parts;
}

/** Entries of one key together; an entry about several people is a group of its own. */
function groupByKey(batch: readonly Pending[]): Map<string, Pending[]> {
  const groups = new Map<string, Pending[]>();
  batch.forEach((p, i) => {
    const keys = rowsOf(p.entry).map((r) => r.subject_key);
    const key = keys.length === 1 ? `k:${keys[0]}` : `m:${i}`;
    const g = groups.get(key);
    if (g) g.push(p);
    else groups.set(key, [p]);
  });
  return groups;
}
