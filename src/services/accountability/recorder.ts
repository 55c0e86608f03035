/**
 * The one recording mechanism (DESIGN §3.4; decision 0027). Every use of citizens' data and every
 * refusal becomes an access entry — one row per citizen concerned, with its transparency-log leaf —
 * committed before the answer leaves; if it cannot be written, the request is not answered.
 *
 * Entries that arrive while a write is in progress wait for the next one and share its transaction
 * (group commit). Each caller's promise settles only after its entry committed (or failed). A change
 * records its entry in its own transaction instead (`recordInTransaction`, through the request scope).
 *
 * Other short writes share the group transaction too (`inGroup`): an exchange call's claim of its
 * place in its connection's usage counters, made before it is served (connection-usage.ts, decision
 * 0036), commits with the entries and claims waiting at that moment instead of in a transaction of
 * its own; the claims of one connection in a group are made by one statement when they all fit
 * (`inGroupTogether`). With `oneKeyPerTransaction` a claim (keyed by its connection) never shares a
 * transaction with a citizen's entries.
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
  /**
   * Runs a short write on one key (the exchange's usage claim on its connection) in the next group
   * transaction, with the entries and writes waiting then: one commit for all of them instead of
   * one each. Settles with the write's result once that transaction committed (its result means
   * nothing before); rejects if it did not commit. Writes run in the order of their keys, so that two
   * processes' groups take row locks in one order (PostgreSQL).
   */
  inGroup<T>(key: string, write: (tx: Db) => Promise<T>): Promise<T>;
  /**
   * Like `inGroup`, for writes that can be made together: the ones of a group with the same key and
   * the same `writeAll`, one after another in the group's order, are given to it at once (one
   * statement for many: the claims of one connection). `writeAll` returns one result per item, in
   * their order, each the result it would have had written alone in that order.
   */
  inGroupTogether<I, T>(key: string, item: I, writeAll: (tx: Db, items: readonly I[]) => Promise<T[]>): Promise<T>;
}

/** Time-ordered, unique across processes: the instant, this process's tag, a sequence number. */
export const newEntryId = timeOrderedIds(9);

type WriteAll = (tx: Db, items: readonly unknown[]) => Promise<unknown[]>;
type Pending =
  | { entry: AccessEntry; resolve: () => void; reject: (e: unknown) => void }
  | { key: string; write: (tx: Db) => Promise<unknown>; together?: { item: unknown; writeAll: WriteAll }; resolve: (value: unknown) => void; reject: (e: unknown) => void };
type PendingWrite = Extract<Pending, { write: unknown }>;

/** Runs a group's writes in order; a run of writes that can be made together goes to its writeAll at once. */
async function runWrites(tx: Db, writes: readonly PendingWrite[], results: unknown[]): Promise<void> {
  for (let i = 0; i < writes.length; ) {
    const w = writes[i]!;
    let end = i + 1;
    if (w.together) while (end < writes.length && writes[end]!.key === w.key && writes[end]!.together?.writeAll === w.together.writeAll) end++;
    if (end - i === 1) {
      results[i] = await w.write(tx);
    } else {
      const out = await w.together!.writeAll(tx, writes.slice(i, end).map((x) => x.together!.item));
      if (out.length !== end - i) throw new Error('a group write gave a result per item');
      for (let j = i; j < end; j++) results[j] = out[j - i];
    }
    i = end;
  }
}

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

  /** The entries and writes in one transaction; settles every caller it carried. */
  async function commit(group: Pending[]): Promise<void> {
    const writes: PendingWrite[] = [];
    const entries: AccessEntry[] = [];
    for (const p of group) {
      if ('write' in p) writes.push(p);
      else entries.push(p.entry);
    }
    // Stable: writes on one key keep their order of arrival.
    if (writes.length > 1) writes.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const results = new Array<unknown>(writes.length);
    try {
      await store.transaction(async (tx) => {
        await runWrites(tx, writes, results);
        await appendAccessEntries(tx, entries);
      });
    } catch (e) {
      for (const p of group) p.reject(e);
      return;
    }
    for (let i = 0; i < writes.length; i++) writes[i]!.resolve(results[i]);
    for (const p of group) if ('entry' in p) p.resolve();
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

  function enqueue(p: Pending): void {
    queue.push(p);
    if (queue.length === 1) setImmediate(() => void flush());
  }

  const one = (entry: AccessEntry): Promise<AccessEntry> => new Promise<AccessEntry>((resolve, reject) => enqueue({ entry, resolve: () => resolve(entry), reject }));

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
    inGroup<T>(key: string, write: (tx: Db) => Promise<T>) {
      return new Promise<T>((resolve, reject) => enqueue({ key, write, resolve: resolve as (value: unknown) => void, reject }));
    },
    inGroupTogether<I, T>(key: string, item: I, writeAll: (tx: Db, items: readonly I[]) => Promise<T[]>) {
      const together = { item, writeAll: writeAll as WriteAll };
      const write = async (tx: Db) => (await writeAll(tx, [item]))[0];
      return new Promise<T>((resolve, reject) => enqueue({ key, write, together, resolve: resolve as (value: unknown) => void, reject }));
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

/** Entries and writes of one key together; an entry about several people is a group of its own. */
function groupByKey(batch: readonly Pending[]): Map<string, Pending[]> {
  const groups = new Map<string, Pending[]>();
  batch.forEach((p, i) => {
    const keys = 'write' in p ? [p.key] : rowsOf(p.entry).map((r) => r.subject_key);
    const key = keys.length === 1 ? `k:${keys[0]}` : `m:${i}`;
    const g = groups.get(key);
    if (g) g.push(p);
    else groups.set(key, [p]);
  });
  return groups;
}
