/**
 * Appends access-log entries with group commit: entries that arrive while a write is in progress
 * wait for the next one and share its transaction. Each caller's promise settles only after its
 * entry's transaction committed (or failed), so no answer leaves before its entry is stored, and a
 * failed write fails every call it carried. Entries are hashed over their canonical content: a
 * later chain links these hashes without rewriting the log.
 */
import { createHash, randomBytes } from 'node:crypto';
import { appendAccessLog, type AccessLogEntry, type UsagePeriods } from '../../store/repositories/access-log.js';
import type { Store } from '../../store/connect.js';

const MAX_BATCH = 500;

type Pending = { entry: AccessLogEntry & { periods?: UsagePeriods }; resolve: () => void; reject: (e: unknown) => void };

export interface LogWriter {
  append(entry: Omit<AccessLogEntry, 'entryHash' | 'logId'> & { periods?: UsagePeriods }): Promise<AccessLogEntry>;
}

/** This process's random prefix and a counter: unique across processes without a random draw per entry. */
const PROCESS_TAG = randomBytes(5).toString('hex');
let counter = 0;

/** Time-ordered, unique: the instant, this process's tag, a sequence number. */
export function newLogId(at: string): string {
  counter = (counter + 1) % 1e9;
  return `${at.replace(/[-:.TZ]/g, '')}${PROCESS_TAG}${String(counter).padStart(9, '0')}`;
}

export function entryHash(e: Omit<AccessLogEntry, 'entryHash'>): string {
  // Canonical form: keys in sorted order (the same text as JSON.stringify(e, sortedKeys), built faster).
  const sorted: Record<string, unknown> = {};
  for (const k of Object.keys(e).sort()) sorted[k] = e[k as keyof typeof e];
  const canonical = JSON.stringify(sorted);
  return createHash('sha256').update(canonical).digest('hex');
}

export function createLogWriter(store: Store): LogWriter {
  let queue: Pending[] = [];
  let writing = false;

  async function flush(): Promise<void> {
    if (writing || queue.length === 0) return;
    writing = true;
    const batch = queue.slice(0, MAX_BATCH);
    queue = queue.slice(batch.length);
    try {
      await store.transaction((tx) => appendAccessLog(tx, batch.map((p) => p.entry)));
      for (const p of batch) p.resolve();
    } catch (e) {
      for (const p of batch) p.reject(e);
    } finally {
      writing = false;
      if (queue.length > 0) setImmediate(() => void flush());
    }
  }

  return {
    append(input) {
      const { periods, ...rest } = input;
      const withId = { ...rest, logId: newLogId(rest.at) };
      const entry: AccessLogEntry = { ...withId, entryHash: entryHash(withId) };
      return new Promise<AccessLogEntry>((resolve, reject) => {
        queue.push({ entry: { ...entry, ...(periods ? { periods } : {}) }, resolve: () => resolve(entry), reject });
        if (queue.length === 1) setImmediate(() => void flush());
      });
    },
  };
}
