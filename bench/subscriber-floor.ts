/**
 * The subscriber import's writer floor (issue 14 item 9, decision 0049): what the one writing
 * connection spends on the rows the bench file's lines make — each line's link event, its log leaf
 * (digest and salt included), its owner row and its record, through the import's own writeBatch, in
 * its batches, one transaction each — with nothing read, parsed or decided inside the timed part.
 * The import cannot run faster than this on the same store, whatever its parsing and reading cost:
 * it is the ceiling the bench's lines/s is read against.
 */
import { applyLines, type BatchState, type SubscriberLine } from '../src/domain/telecom/subscriber-lines.js';
import { migrateToLatest, openStore } from '../src/store/connect.js';
import { writeBatch } from '../src/store/repositories/subscribers.js';
import { timeOrderedIds } from '../src/store/time-ordered-ids.js';

export interface WriterFloor {
  seconds: number;
  /** CPU of the main thread, where the writes run. */
  mainCpuSeconds: number;
}

/** Line i of the bench file (bench/subscribers.ts writes the same): its number and its citizen. */
export const benchLine = (i: number, people: readonly string[]): SubscriberLine => ({
  recordId: `B${i}`,
  action: 'link',
  number: `+849${String(i).padStart(8, '0')}`,
  personalId: people[i % people.length]!,
  at: '2026-01-01T00:00:00.000Z',
});

export async function writerFloor(url: string, people: readonly string[], lines: number, batchLines: number): Promise<WriterFloor> {
  const store = openStore({ url });
  try {
    await migrateToLatest(store);
    store.checkpointInBackground(); // as the import runs
    const citizens = new Set(people);
    const newLinkId = timeOrderedIds(9);
    let seconds = 0;
    let mainCpuSeconds = 0;
    for (let from = 0; from < lines; from += batchLines) {
      const batch = Array.from({ length: Math.min(batchLines, lines - from) }, (_, k) => ({ lineNo: from + k + 1, line: benchLine(from + k, people) }));
      const at = new Date().toISOString();
      // The rule's outcome, decided before the clock starts: on an empty register every line links.
      const state: BatchState = { owners: new Map(), citizens, records: new Map() };
      const result = applyLines(state, 'BENCHTEL', batch, () => newLinkId(at));
      const t = performance.now();
      const cpu = process.threadCpuUsage();
      await store.transaction((tx) => writeBatch(tx, 'BENCHTEL', new Map(), state, result, at));
      const used = process.threadCpuUsage(cpu);
      mainCpuSeconds += (used.user + used.system) / 1e6;
      seconds += (performance.now() - t) / 1000;
    }
    return { seconds, mainCpuSeconds };
  } finally {
    await store.close();
  }
}
