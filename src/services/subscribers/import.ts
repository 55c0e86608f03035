/**
 * Bulk import of subscriber links from a file or an upload, streamed (never the whole file in
 * memory), in batches: each batch's links, its rejected lines and the import's progress marker
 * commit in one transaction, so an import interrupted anywhere — a crash, a dropped upload — resumes
 * after its last committed line when run again with the same import key, and its report counts
 * every line once (decision 0039). The input is parsed in a worker thread while the batches are
 * written (file-parsing.ts, decision 0049). Between batches the import yields to the event loop, so
 * a million-line file never holds up other requests for longer than one batch.
 */
import type { Readable } from 'node:stream';
import { RegistryError } from '../../domain/errors/registry-error.js';
import type { LineProblem } from '../../domain/telecom/subscriber-lines.js';
import type { ParsedBatch, SubscriberFileFormat } from '../../domain/telecom/subscriber-file.js';
import { findImport, importRejects, openImport } from '../../store/repositories/subscribers.js';
import type { ServiceContext } from '../context.js';
import { inputFailure, parsedBatches } from './file-parsing.js';
import { applyBatch, requireOperator } from './register.js';

export type ImportFormat = SubscriberFileFormat;

/** Lines per batch (one transaction): large enough to amortise a commit, small enough not to stall a server. */
export const IMPORT_BATCH_LINES = 5_000;
/**
 * The CLI's batches: `dancu subscribers import` serves no requests, so fewer, larger commits. A
 * server writing the same SQLite file waits up to one batch for the writer lock.
 */
export const OFFLINE_IMPORT_BATCH_LINES = 50_000;
/** Limits of one upload (DANCU_SUBSCRIBER_UPLOAD_MAX_*); past either: 413 SUBSCRIBER_UPLOAD_TOO_LARGE. */
export interface SubscriberUploadLimits {
  maxLines: number;
  maxBytes: number;
}

/** A million-line file of ordinary lines (~130 bytes each) fits twice over. */
export const DEFAULT_SUBSCRIBER_UPLOAD: SubscriberUploadLimits = { maxLines: 2_000_000, maxBytes: 512 * 1024 * 1024 };

export interface ImportReport {
  operator: string;
  importKey: string;
  format: string;
  status: 'running' | 'done';
  linesDone: number;
  /** Lines that made a change, lines that confirmed what was already there, lines seen before. */
  applied: number;
  unchanged: number;
  duplicates: number;
  rejected: number;
  /** The first rejected lines, in line order (the rest by paging with `rejectsAfter`). */
  rejects: { lineNo: number; code: string; field: string | null }[];
}

export interface ImportOptions {
  operator: string;
  /** Names the import: the same key resumes it (a file's digest, an upload's request ID). */
  importKey: string;
  format: ImportFormat;
  input: Readable;
  batchLines?: number;
  /** Called after each committed batch with the lines done so far. */
  onProgress?: (linesDone: number) => void;
  /** How many rejected lines the report lists. */
  rejectLimit?: number;
  /** Most lines the input may hold (an upload's limit): past it, 413 SUBSCRIBER_UPLOAD_TOO_LARGE. */
  maxLines?: number;
}

const immediate = () => new Promise<void>((r) => setImmediate(r));
/**
 * A whole turn of the event loop — its timers and its I/O — before the next batch's write, from
 * whichever phase this runs in: from the poll phase one immediate comes back in the same turn's
 * check phase, with the next batch already parsed and no request served in between.
 */
const yieldToEventLoop = async () => {
  await immediate();
  await immediate();
};

/** The input's failure, if it failed or stopped before its end. */
function inputFailed(input: Readable): RegistryError | undefined {
  if (input.errored) return inputFailure(input.errored);
  if (input.readableAborted || (input.destroyed && !input.readableEnded)) return new RegistryError('UPLOAD_INCOMPLETE');
  return undefined;
}

export async function importSubscriberLinks(ctx: ServiceContext, o: ImportOptions): Promise<ImportReport> {
  await requireOperator(ctx, o.operator);
  const marker = await openImport(ctx.store.db, o.operator, o.importKey, o.format, ctx.clock.now().toISOString());
  if (marker.status === 'done') {
    // Drained, not destroyed: an upload's client still gets the answer.
    o.input.resume();
    return importReport(ctx, o.operator, o.importKey, o.rejectLimit);
  }
  const counts = { applied: Number(marker.applied), unchanged: Number(marker.unchanged), duplicates: Number(marker.duplicates), rejected: Number(marker.rejected) };
  let lastCounts = counts;

  const flush = async (batch: ParsedBatch) => {
    await applyBatch(ctx, o.operator, batch.valid, (result) => {
      // Counted from the batch's outcome each attempt (a retried batch is decided afresh).
      const c = { ...counts };
      const all: { lineNo: number; problem: LineProblem }[] = [...batch.rejects];
      for (const x of result.outcomes) {
        if ('problem' in x) all.push({ lineNo: x.lineNo, problem: x.problem });
        else if (x.outcome === 'applied') c.applied++;
        else if (x.outcome === 'unchanged') c.unchanged++;
        else c.duplicates++;
      }
      c.rejected += all.length;
      lastCounts = c;
      return { importKey: o.importKey, linesDone: batch.linesDone, counts: c, rejects: all, done: batch.done };
    });
    Object.assign(counts, lastCounts);
    o.onProgress?.(batch.linesDone);
    await yieldToEventLoop();
  };

  // An input that failed before this reads it (an upload cut or past its limit while the import
  // started) emits nothing more: refused now, not waited on. One that fails or stops without its
  // end later is refused when it does (its last line may be cut, and marking the import done would
  // make the rest unsendable); the batches committed before stay, the marker says how far.
  const early = inputFailed(o.input);
  if (early) throw early;
  const cpu = ctx.cpu.limits;
  const batches = parsedBatches(
    o.input,
    { format: o.format, now: ctx.clock.now().toISOString(), skip: Number(marker.lines_done), batchLines: o.batchLines ?? IMPORT_BATCH_LINES, ...(o.maxLines === undefined ? {} : { maxLines: o.maxLines }) },
    { timeoutMs: cpu.timeoutMs, memoryMb: cpu.memoryMb, maxWorkers: cpu.size + cpu.maxQueue },
  );
  for await (const batch of batches) await flush(batch);
  return importReport(ctx, o.operator, o.importKey, o.rejectLimit);
}

/** The state of an import ('running', 'done', …), or undefined when it was never started (the demo's once-only check). */
export async function importStatus(store: ServiceContext['store'], operator: string, importKey: string): Promise<string | undefined> {
  return (await findImport(store.db, operator, importKey))?.status;
}

export async function importReport(ctx: ServiceContext, operator: string, importKey: string, rejectLimit = 100, rejectsAfter = 0): Promise<ImportReport> {
  const m = await findImport(ctx.store.db, operator, importKey);
  if (!m) throw new RegistryError('NOT_FOUND');
  return {
    operator,
    importKey,
    format: m.format,
    status: m.status as ImportReport['status'],
    linesDone: Number(m.lines_done),
    applied: Number(m.applied),
    unchanged: Number(m.unchanged),
    duplicates: Number(m.duplicates),
    rejected: Number(m.rejected),
    rejects: await importRejects(ctx.store.db, operator, importKey, rejectsAfter, rejectLimit),
  };
}
