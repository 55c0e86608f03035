/**
 * SQLite's WAL is copied back into the database file by a checkpoint, and a checkpoint ends with
 * an fsync. Left to SQLite (auto-checkpoint every 1,000 pages), that copy and fsync run on the
 * thread that happened to commit — in a server, the event loop, which then answers nobody for
 * milliseconds. A long-running process instead checkpoints from a worker thread on its own
 * connection: the main connection stops auto-checkpointing, the worker runs a PASSIVE checkpoint
 * (never waits for readers or writers) every interval. Durability is unchanged: commits are in
 * the WAL either way. If the worker fails, the main connection auto-checkpoints again.
 */
import { Worker } from 'node:worker_threads';
import type { SqliteHandle } from './sqlite/handle.js';

export interface CheckpointResult {
  /** Frames in the WAL and how many of them are now in the database file. */
  walFrames: number;
  checkpointedFrames: number;
  /** 1 when a checkpoint could not run at all (another checkpoint in progress). */
  busy: number;
}

export interface WalCheckpointer {
  /** Checkpoints now and resolves with the result. */
  next(): Promise<CheckpointResult>;
  /** A last checkpoint, then the connection checkpoints by itself again. */
  stop(): Promise<void>;
}

const DEFAULT_AUTOCHECKPOINT = 1000;
const INTERVAL_MS = 200;
/** The WAL file is truncated back to this size when it is reset. */
const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

/** The worker: plain CommonJS run with eval, so it needs no TypeScript loader in any mode. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.path, { timeout: 1000 });
const checkpoint = db.prepare('pragma wal_checkpoint(PASSIVE)');
const tick = (requested) => {
  try {
    const r = checkpoint.get();
    if (requested) parentPort.postMessage({ walFrames: r.log, checkpointedFrames: r.checkpointed, busy: r.busy });
  } catch (e) {
    if (requested) parentPort.postMessage({ error: String(e && e.message || e) });
  }
};
const timer = setInterval(() => tick(false), workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m === 'tick') tick(true);
  if (m === 'stop') { clearInterval(timer); tick(); db.close(); parentPort.postMessage({ stopped: true }); }
});
`;

export function startWalCheckpointer(sqlite: SqliteHandle, path: string): WalCheckpointer {
  sqlite.setPragma('wal_autocheckpoint', 0);
  sqlite.setPragma('journal_size_limit', WAL_SIZE_LIMIT_BYTES);
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { path, intervalMs: INTERVAL_MS },
  });
  // The worker must not keep a finished process alive.
  worker.unref();
  // Answers to 'tick' come back in the order asked.
  const waiters: { resolve: (r: CheckpointResult) => void; reject: (e: Error) => void }[] = [];
  let stopped: (() => void) | undefined;
  let failed = false;
  const fallBack = () => {
    if (failed || stopped) return;
    failed = true;
    if (sqlite.isOpen) sqlite.setPragma('wal_autocheckpoint', DEFAULT_AUTOCHECKPOINT);
  };
  worker.on('message', (m: CheckpointResult & { error?: string; stopped?: boolean }) => {
    if (m.stopped) return stopped?.();
    const w = waiters.shift();
    if (m.error) w?.reject(new Error(m.error));
    else w?.resolve({ walFrames: m.walFrames, checkpointedFrames: m.checkpointedFrames, busy: m.busy });
  });
  worker.on('error', fallBack);
  worker.on('exit', fallBack);
  let stopping: Promise<void> | undefined;
  // A caller waiting for the worker's answer keeps the process alive until it comes.
  const ask = <T>(message: string, settle: (resolve: (v: T) => void, reject: (e: Error) => void) => void) =>
    new Promise<T>((resolve, reject) => {
      worker.ref();
      settle(
        (v) => {
          worker.unref();
          resolve(v);
        },
        (e) => {
          worker.unref();
          reject(e);
        },
      );
      worker.postMessage(message);
    });
  return {
    next: () => (failed ? Promise.reject(new Error('the checkpoint worker has stopped')) : ask<CheckpointResult>('tick', (resolve, reject) => waiters.push({ resolve, reject }))),
    stop: () =>
      (stopping ??= (failed ? Promise.resolve() : ask<void>('stop', (resolve) => (stopped = () => resolve()))).then(async () => {
        await worker.terminate();
        if (sqlite.isOpen) sqlite.setPragma('wal_autocheckpoint', DEFAULT_AUTOCHECKPOINT);
      })),
  };
}
