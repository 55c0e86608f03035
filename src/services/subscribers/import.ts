/**
 * Bulk import of subscriber links from a file or an upload, streamed line by line (never the whole
 * file in memory), in batches: each batch's links, its rejected lines and the import's progress
 * marker commit in one transaction, so an import interrupted anywhere — a crash, a dropped upload —
 * resumes after its last committed line when run again with the same import key, and its report
 * counts every line once (decision 0039). Between batches the import yields to the event loop, so
 * a million-line file never holds up other requests for longer than one batch.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { csvHeader, parseCsvLine, splitCsv, parseJsonLine, type LineProblem, type ParsedLine, type SubscriberLine } from '../../domain/telecom/subscriber-lines.js';
import { findImport, importRejects, openImport } from '../../store/repositories/subscribers.js';
import type { ServiceContext } from '../context.js';
import { applyBatch, requireOperator } from './register.js';

export type ImportFormat = 'ndjson' | 'csv';

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

/** A line longer than this is refused without being parsed. */
const MAX_LINE = 4_096;

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

const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

/**
 * The input failed while being read — an upload's connection closed or reset mid-body, a file
 * unreadable: the lines committed so far stay (the marker says how far), the rest is not read.
 * Our own refusals (a limit) pass through.
 */
function inputFailure(e: unknown): RegistryError {
  if (e instanceof RegistryError) return e;
  return new RegistryError('UPLOAD_INCOMPLETE');
}

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
  const skip = Number(marker.lines_done);
  const counts = { applied: Number(marker.applied), unchanged: Number(marker.unchanged), duplicates: Number(marker.duplicates), rejected: Number(marker.rejected) };
  const batchLines = o.batchLines ?? IMPORT_BATCH_LINES;
  const now = ctx.clock.now().toISOString();
  let header: { columns: Map<string, number>; width: number } | undefined;
  let valid: { lineNo: number; line: SubscriberLine }[] = [];
  let rejects: { lineNo: number; problem: LineProblem }[] = [];
  let pending = 0;
  let lineNo = 0;
  let lastCounts = counts;

  const flush = async (done: boolean) => {
    const batch = valid;
    const refused = rejects;
    valid = [];
    rejects = [];
    pending = 0;
    await applyBatch(ctx, o.operator, batch, (result) => {
      // Counted from the batch's outcome each attempt (a retried batch is decided afresh).
      const c = { ...counts };
      const all = [...refused];
      for (const x of result.outcomes) {
        if ('problem' in x) all.push({ lineNo: x.lineNo, problem: x.problem });
        else if (x.outcome === 'applied') c.applied++;
        else if (x.outcome === 'unchanged') c.unchanged++;
        else c.duplicates++;
      }
      c.rejected += all.length;
      lastCounts = c;
      return { importKey: o.importKey, linesDone: lineNo, counts: c, rejects: all, done };
    });
    Object.assign(counts, lastCounts);
    o.onProgress?.(lineNo);
    await yieldToEventLoop();
  };

  // An input that failed before this reads it (an upload cut or past its limit while the import
  // started) emits nothing more: refused now, not waited on.
  const early = inputFailed(o.input);
  if (early) throw early;
  const lines = createInterface({ input: o.input, crlfDelay: Infinity });
  const next = lines[Symbol.asyncIterator]();
  try {
    for (;;) {
      let step: IteratorResult<string>;
      try {
        step = await next.next();
      } catch (e) {
        throw inputFailure(e);
      }
      if (step.done) break;
      const text = step.value;
      lineNo++;
      if (o.maxLines !== undefined && lineNo > o.maxLines) throw new RegistryError('SUBSCRIBER_UPLOAD_TOO_LARGE');
      if (o.format === 'csv' && lineNo === 1) {
        const columns = csvHeader(text);
        if (!columns) throw new RegistryError('SUBSCRIBER_CSV_HEADER_INVALID');
        header = { columns, width: splitCsv(text.replace(/^\uFEFF/, ''))!.length };
        continue;
      }
      if (lineNo <= skip) continue;
      if (text.trim() === '') continue;
      const parsed: ParsedLine =
        text.length > MAX_LINE ? { ok: false, problem: { code: 'SUBSCRIBER_LINE_MALFORMED' } } : o.format === 'csv' ? parseCsvLine(text, header!.columns, header!.width, now) : parseJsonLine(text, now);
      if (parsed.ok) valid.push({ lineNo, line: parsed.line });
      else rejects.push({ lineNo, problem: parsed.problem });
      if (++pending >= batchLines) await flush(false);
    }
  } finally {
    lines.close();
  }
  // An input that stopped without its end (a dropped upload) is not a file that ended there: its
  // last lines may be cut, and marking the import done would make the rest unsendable.
  const late = inputFailed(o.input);
  if (late) throw late;
  if (lineNo === 0 && o.format === 'csv') throw new RegistryError('SUBSCRIBER_CSV_HEADER_INVALID');
  await flush(true);
  return importReport(ctx, o.operator, o.importKey, o.rejectLimit);
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
