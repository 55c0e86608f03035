/**
 * Work queued per key and served round-robin across keys, one item per key at a time (issue 14: a
 * flood from one phone number delays no other). A number with a backlog gets one turn, then goes to
 * the back of the ring behind every other number waiting; several numbers are served at once up to
 * `concurrency`. An item already queued or in progress (the same incoming message handed twice) is
 * not queued again.
 */
export interface FairQueue<T> {
  /** Queues `item` under `key`; false when an item with the same id is already queued or running. */
  push(key: string, id: string, item: T): boolean;
  /** Items queued or running. */
  readonly size: number;
  /** Resolves when nothing is queued or running. */
  idle(): Promise<void>;
}

export function createFairQueue<T>(work: (item: T, key: string) => Promise<void>, concurrency: number): FairQueue<T> {
  const queues = new Map<string, { id: string; item: T }[]>(); // present while the key has work queued or running
  const ring: string[] = []; // keys with work queued and none running, in turn order
  const ids = new Set<string>();
  let running = 0;
  let waiters: (() => void)[] = [];

  function pump(): void {
    while (running < concurrency && ring.length > 0) {
      const key = ring.shift()!;
      const next = queues.get(key)!.shift()!;
      running++;
      void work(next.item, key)
        .catch(() => undefined) // the work reports its own failures; the queue goes on
        .finally(() => {
          running--;
          ids.delete(next.id);
          if (queues.get(key)!.length > 0) ring.push(key);
          else queues.delete(key);
          pump();
          if (running === 0 && ring.length === 0) {
            const w = waiters;
            waiters = [];
            for (const f of w) f();
          }
        });
    }
  }

  return {
    push(key, id, item) {
      if (ids.has(id)) return false;
      ids.add(id);
      const q = queues.get(key);
      if (q) q.push({ id, item });
      else {
        queues.set(key, [{ id, item }]);
        ring.push(key);
      }
      pump();
      return true;
    },
    get size() {
      return ids.size;
    },
    idle() {
      return ids.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve));
    },
  };
}
