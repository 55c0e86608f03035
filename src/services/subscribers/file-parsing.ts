/**
 * A subscriber file parsed in a worker thread of its own while the import writes (decision 0049):
 * the input's bytes go to the worker as they arrive (cut after their last line break, copied once
 * into a buffer of their own and transferred, not copied again); the worker answers with the batches
 * of parsed lines (domain/telecom/subscriber-file.ts). While the caller writes batch k — on SQLite
 * a synchronous write that holds this thread — the worker parses batch k+1 from the bytes it was
 * given before, so a batch is handed out only once the worker holds about a batch of input beyond
 * it (or the input has no more for now).
 *
 * Memory is bounded: the input is paused while about a batch's worth of bytes waits in the worker
 * or two parsed batches wait here, and the worker parses no further while two batches it sent are
 * not yet taken by the writer (a piece of very short lines holds many batches). A worker that crashes, runs out of heap or answers nothing for
 * the CPU time limit while it has work fails the import with 503 SUBSCRIBER_IMPORT_INTERRUPTED; an
 * input that delivers nothing for as long, with 400 UPLOAD_INCOMPLETE (either way the batches
 * committed before stay; the import resumes from them).
 */
import type { Readable } from 'node:stream';
import type { Worker } from 'node:worker_threads';
import { RegistryError } from '../../domain/errors/registry-error.js';
import type { FileReading, FileRefusal, ParsedBatch } from '../../domain/telecom/subscriber-file.js';
import type { LineProblem, SubscriberAction } from '../../domain/telecom/subscriber-lines.js';
import { startWorker, workerEntry } from '../workers/start-worker.js';

export interface ParsingLimits {
  /** Longest silence of a worker that has input to parse or an end to finish, and of the input. */
  timeoutMs: number;
  /** V8 old-generation heap of the worker, in MB. */
  memoryMb: number;
  /** Parsing workers alive at once in this process; past it 503 WORKERS_BUSY. */
  maxWorkers: number;
  /** Told how many parsed batches wait here each time one arrives (tests). */
  onWaiting?: (batches: number) => void;
}

/** A batch as it crosses threads: one array per field (a third of the cost of cloning objects). */
export interface PackedBatch {
  lineNos: Float64Array;
  recordIds: string[];
  actions: SubscriberAction[];
  numbers: string[];
  personalIds: string[];
  ats: string[];
  rejects: { lineNo: number; problem: LineProblem }[];
  linesDone: number;
  done: boolean;
}

/** Messages to the worker: bytes of the input (transferred), then its end; a batch taken by the writer. */
export type ToParser = { bytes: Uint8Array } | { end: true } | { ack: true };
/** Messages from it: ready once loaded, batches in order, each piece's bytes once parsed, a refusal. */
export type FromParser = { ready: true } | { batch: PackedBatch } | { taken: number } | { refused: FileRefusal };

export function packBatch(b: ParsedBatch): PackedBatch {
  const v = b.valid;
  return {
    lineNos: Float64Array.from(v, (x) => x.lineNo),
    recordIds: v.map((x) => x.line.recordId),
    actions: v.map((x) => x.line.action),
    numbers: v.map((x) => x.line.number),
    personalIds: v.map((x) => x.line.personalId),
    ats: v.map((x) => x.line.at),
    rejects: b.rejects,
    linesDone: b.linesDone,
    done: b.done,
  };
}

export function unpackBatch(p: PackedBatch): ParsedBatch {
  const valid: ParsedBatch['valid'] = new Array(p.lineNos.length);
  for (let i = 0; i < valid.length; i++) {
    valid[i] = { lineNo: p.lineNos[i]!, line: { recordId: p.recordIds[i]!, action: p.actions[i]!, number: p.numbers[i]!, personalId: p.personalIds[i]!, at: p.ats[i]! } };
  }
  return { valid, rejects: p.rejects, linesDone: p.linesDone, done: p.done };
}

/** Bytes of input per batch line assumed when sizing the read-ahead (an NDJSON line is ~130). */
const BYTES_PER_LINE = 160;
/** Parsed batches waiting for the writer at most: the input is paused, and the worker reads no further. */
export const MAX_READY = 2;
/** How long a parsed batch waits for the read-ahead of the next before it is handed out anyway. */
const READ_AHEAD_WAIT_MS = 100;

/** A timed-out worker is judged again after the event loop has polled once more. */
const RECHECK_MS = 20;

/** Parsing workers alive in this process. */
let alive = 0;

/** Parsing workers alive in this process now (for monitoring and tests). */
export const parsingWorkers = () => alive;

const interrupted = () => new RegistryError('SUBSCRIBER_IMPORT_INTERRUPTED');

/**
 * The input failed while being read — an upload's connection closed or reset mid-body, a file
 * unreadable: 400 UPLOAD_INCOMPLETE. Our own refusals (an upload's byte limit) pass through.
 */
export function inputFailure(e: unknown): RegistryError {
  if (e instanceof RegistryError) return e;
  return new RegistryError('UPLOAD_INCOMPLETE');
}

/**
 * The batches of `input` in order, parsed by a worker thread started for this input and ended with
 * it. Throws the file's refusal after the batches before it, the input's failure, or the worker's.
 * `entry` is the worker's module (tests give one that fails on purpose).
 */
export async function* parsedBatches(input: Readable, reading: FileReading, limits: ParsingLimits, entry = workerEntry('file-parsing-worker', import.meta.url)): AsyncGenerator<ParsedBatch> {
  if (alive >= limits.maxWorkers) throw new RegistryError('WORKERS_BUSY', { extra: { retryAfter: 2 } });
  alive++;
  // About a batch of input ahead of the writer; bounded either way.
  const target = Math.min(16 << 20, Math.max(64 << 10, reading.batchLines * BYTES_PER_LINE));
  const ready: ParsedBatch[] = [];
  let refused: FileRefusal | undefined;
  let failure: RegistryError | undefined;
  let workerReady = false;
  let inputEnded = false;
  let lastHeard = performance.now();
  // The input's last data, or the moment this stopped pausing it: an upload idle past the limit is cut.
  let lastData = performance.now();
  let inFlight = 0;
  let pausedHere = false;
  // The reading is over: nothing resumes the input any more (the worker's last messages still arrive).
  let closed = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const fail = (e: RegistryError) => {
    failure ??= e;
    notify();
  };

  let worker: Worker;
  try {
    worker = startWorker(entry, {
      workerData: reading,
      resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb, maxYoungGenerationSizeMb: Math.max(16, Math.round(limits.memoryMb / 8)) },
    });
  } catch (e) {
    alive--;
    throw e;
  }
  // The worker still owes an answer: bytes not yet parsed, or the end not yet answered, and it may
  // parse them (it waits while MAX_READY batches wait here).
  const owes = () => (inFlight > 0 || (inputEnded && !refused)) && ready.length < MAX_READY;
  const room = () => inFlight < target && ready.length < MAX_READY;
  const refill = () => {
    if (pausedHere && room() && !failure && !refused && !closed) {
      pausedHere = false;
      lastData = performance.now();
      input.resume();
    }
  };
  const onMessage = (m: FromParser) => {
    lastHeard = performance.now();
    if ('ready' in m) workerReady = true;
    else if ('batch' in m) {
      ready.push(unpackBatch(m.batch));
      limits.onWaiting?.(ready.length);
    }
    else if ('taken' in m) inFlight -= m.taken;
    else refused = m.refused;
    refill();
    notify();
  };
  worker.on('message', onMessage);
  worker.on('error', () => fail(interrupted()));
  worker.on('exit', () => fail(interrupted()));

  // The worker's silence counts from the moment it is given work after owing none.
  const owe = () => {
    if (!owes()) lastHeard = performance.now();
  };
  const post = (piece: Uint8Array) => {
    owe();
    inFlight += piece.byteLength;
    worker.postMessage({ bytes: piece } satisfies ToParser, [piece.buffer as ArrayBuffer]);
  };
  // Bytes after the last line break seen, held until the next one arrives (or a piece's worth).
  const held: Uint8Array[] = [];
  let heldBytes = 0;
  const hold = (b: Uint8Array) => {
    if (b.byteLength === 0) return;
    held.push(b);
    heldBytes += b.byteLength;
  };
  // A buffer of its own: a stream's chunk may share its memory with others, which a transfer would take away.
  const release = () => {
    const piece = new Uint8Array(heldBytes);
    let at = 0;
    for (const b of held) {
      piece.set(b, at);
      at += b.byteLength;
    }
    held.length = 0;
    heldBytes = 0;
    post(piece);
  };
  const onData = (chunk: Buffer | string) => {
    lastData = performance.now();
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const cut = bytes.lastIndexOf(10) + 1;
    hold(bytes.subarray(0, cut || bytes.byteLength));
    if (cut > 0 || heldBytes >= target) release();
    if (cut > 0) hold(bytes.subarray(cut));
    if (!room()) {
      pausedHere = true;
      input.pause();
    }
  };
  const onEnd = () => {
    if (heldBytes > 0) release();
    owe();
    inputEnded = true;
    worker.postMessage({ end: true } satisfies ToParser);
    notify();
  };
  const onError = (e: unknown) => fail(inputFailure(e));
  // A stream destroyed before its end (an aborted upload) is not a file that ended there.
  const onClose = () => {
    if (!inputEnded) fail(new RegistryError('UPLOAD_INCOMPLETE'));
  };
  input.on('data', onData);
  input.on('end', onEnd);
  input.on('error', onError);
  input.on('close', onClose);
  // Flowing even if paused before (readline resumed its input too).
  input.resume();

  /** Until something happens, or `ms` pass. */
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => notify(), ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  try {
    let readySince = 0;
    for (;;) {
      if (failure) throw failure;
      const next = ready[0];
      if (next) {
        readySince ||= performance.now();
        // Hand it out once the worker has the next batch parsed or its input in hand, so it parses
        // while this one is written; or when no more input comes for now.
        const waited = performance.now() - readySince;
        if (next.done || ready.length > 1 || inFlight >= target || inputEnded || refused || waited >= READ_AHEAD_WAIT_MS) {
          // The worker may read on: its silence counts from now if it was waiting for this.
          owe();
          ready.shift();
          worker.postMessage({ ack: true } satisfies ToParser);
          readySince = 0;
          refill();
          yield next;
          if (next.done) return;
          continue;
        }
        await pause(READ_AHEAD_WAIT_MS - waited);
        continue;
      }
      if (refused) throw new RegistryError(refused);
      if (workerReady && owes()) {
        const silent = performance.now() - lastHeard;
        if (silent < limits.timeoutMs) {
          await pause(limits.timeoutMs - silent);
          continue;
        }
        // Measured from the last message handled: one left queued while this thread was busy (a
        // synchronous write) is handled while the event loop polls, before the check is made again.
        await new Promise((r) => setTimeout(r, RECHECK_MS));
        if (performance.now() - lastHeard >= limits.timeoutMs + RECHECK_MS && ready.length === 0 && !refused) fail(interrupted());
      } else if (workerReady && !inputEnded && !pausedHere) {
        // Everything sent parsed and handed out, and the input silent: a client that stopped sending
        // (requests have no time limit) would keep this thread, and a place among the few, for ever.
        const idle = performance.now() - lastData;
        if (idle < limits.timeoutMs) await pause(limits.timeoutMs - idle);
        else fail(new RegistryError('UPLOAD_INCOMPLETE'));
      } else await pause(limits.timeoutMs);
    }
  } finally {
    closed = true;
    worker.off('message', onMessage);
    input.off('data', onData);
    input.off('end', onEnd);
    input.off('error', onError);
    input.off('close', onClose);
    // Left paused, as readline leaves it: the caller drains or drops the rest.
    input.pause();
    alive--;
    await worker.terminate();
  }
}
