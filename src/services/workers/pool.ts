/**
 * A small pool of worker threads for CPU-heavy work, so that the event loop keeps answering
 * (DESIGN §3.11). Each worker runs one task at a time; tasks beyond the workers wait in a bounded
 * queue, and beyond that are refused at once (the caller answers 503 rather than piling up work).
 * A task past its deadline has its worker terminated — JavaScript cannot be interrupted any other
 * way — and a fresh worker takes its place. Workers also run under V8 heap limits (resourceLimits);
 * a worker that runs out of heap dies alone, its task fails, and it is replaced.
 *
 * Workers start on first use and hold the process open only while busy, so a CLI command that
 * never renders anything pays nothing and is not kept alive by an idle pool.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from './start-worker.js';

export interface PoolLimits {
  /** Worker threads (tasks running at the same time). */
  size: number;
  /** Tasks allowed to wait for a worker; more are refused with `busy`. */
  maxQueue: number;
  /** Wall-clock limit of one task, from the moment a worker takes it. */
  timeoutMs: number;
  /** V8 old-generation heap of each worker, in MB. */
  memoryMb: number;
}

export type PoolFailure = 'busy' | 'timeout' | 'memory' | 'crashed' | 'closed';

export class PoolError extends Error {
  constructor(readonly reason: PoolFailure, message?: string) {
    super(message ?? `worker pool: ${reason}`);
    this.name = 'PoolError';
  }
}

/**
 * What a worker posts: `ready` once its modules are loaded (a task's deadline starts when a worker
 * takes it, not while a new one is still loading), then one answer per task `id`.
 */
export type WorkerReply = { ready: true } | { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string };

export interface WorkerPool<Task, Result> {
  run(task: Task): Promise<Result>;
  /** Figures for monitoring and tests. */
  stats(): { workers: number; running: number; queued: number; replaced: number };
  close(): Promise<void>;
}

interface Job<Task> {
  id: number;
  task: Task;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

interface Slot<Task> {
  worker: Worker;
  ready: boolean;
  job?: Job<Task>;
  timer?: NodeJS.Timeout;
}

export function createWorkerPool<Task, Result>(entry: URL, limits: PoolLimits): WorkerPool<Task, Result> {
  const slots = new Set<Slot<Task>>();
  const queue: Job<Task>[] = [];
  let nextId = 1;
  let replaced = 0;
  let closed = false;

  const finish = (slot: Slot<Task>) => {
    clearTimeout(slot.timer);
    slot.job = undefined;
    slot.timer = undefined;
    slot.worker.unref();
  };

  /** A worker is gone (terminated, crashed or out of memory): fail its task, forget it, refill. */
  const lose = (slot: Slot<Task>, failure: PoolError) => {
    if (!slots.delete(slot)) return;
    const job = slot.job;
    finish(slot);
    job?.reject(failure);
    if (closed) return;
    if (!slot.ready) {
      // It died before it could start (a broken entry, a missing loader): starting another at once
      // would loop forever. While others are still starting they take the queue; after the last
      // one the waiting tasks fail now, and the next task tries again.
      if (slots.size === 0) for (const waiting of queue.splice(0)) waiting.reject(new PoolError('crashed', 'the worker could not start'));
      return;
    }
    replaced++;
    dispatch();
  };

  const spawn = (): Slot<Task> => {
    const worker = startWorker(entry, {
      resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb, maxYoungGenerationSizeMb: Math.max(16, Math.round(limits.memoryMb / 8)) },
    });
    // A starting worker holds the process open: a task is waiting for it.
    const slot: Slot<Task> = { worker, ready: false };
    worker.on('message', (reply: WorkerReply) => {
      if ('ready' in reply) {
        slot.ready = true;
        dispatch();
        if (!slot.job) slot.worker.unref();
        return;
      }
      const job = slot.job;
      if (!job || job.id !== reply.id) return; // a late answer to a task already given up
      finish(slot);
      if (reply.ok) job.resolve(reply.value);
      else job.reject(new PoolError('crashed', reply.message));
      dispatch();
    });
    worker.on('error', (err: Error & { code?: string }) => {
      lose(slot, new PoolError(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'crashed', err.message));
    });
    worker.on('exit', () => lose(slot, new PoolError('crashed', 'worker exited')));
    slots.add(slot);
    return slot;
  };

  const assign = (slot: Slot<Task>, job: Job<Task>) => {
    slot.job = job;
    slot.worker.ref(); // a task in flight keeps the process alive until it is answered
    slot.timer = setTimeout(() => {
      // Terminating is the only way to stop a busy isolate; the exit handler must not report it
      // as a crash, so the slot is taken out first.
      slots.delete(slot);
      finish(slot);
      job.reject(new PoolError('timeout'));
      replaced++;
      void slot.worker.terminate();
      dispatch();
    }, limits.timeoutMs);
    slot.worker.postMessage({ id: job.id, task: job.task });
  };

  function dispatch(): void {
    while (queue.length > 0) {
      const slot = [...slots].find((s) => s.ready && !s.job);
      if (!slot) {
        // Start workers up to the pool size; a starting one takes work once it says it is ready.
        let starting = [...slots].filter((s) => !s.ready).length;
        for (; starting < queue.length && slots.size < limits.size; starting++) spawn();
        return;
      }
      assign(slot, queue.shift()!);
    }
  }

  return {
    run(task) {
      if (closed) return Promise.reject(new PoolError('closed'));
      // Room for one task per worker plus the queue, counting tasks waiting for a worker to start.
      const running = [...slots].filter((s) => s.job).length;
      if (running + queue.length >= limits.size + limits.maxQueue) return Promise.reject(new PoolError('busy'));
      return new Promise<Result>((resolve, reject) => {
        queue.push({ id: nextId++, task, resolve: resolve as (v: unknown) => void, reject });
        dispatch();
      });
    },
    stats: () => ({ workers: slots.size, running: [...slots].filter((s) => s.job).length, queued: queue.length, replaced }),
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new PoolError('closed'));
      const all = [...slots];
      slots.clear();
      for (const s of all) {
        s.job?.reject(new PoolError('closed'));
        finish(s);
      }
      await Promise.all(all.map((s) => s.worker.terminate()));
    },
  };
}
