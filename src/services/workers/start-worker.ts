/**
 * Starts a worker thread on the same build as the caller: dist/*.js directly (production); src/*.ts
 * (development and tests) through a small bootstrap that registers tsx inside the worker, since a
 * worker does not inherit the parent's loader hooks for its entry module.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** `name` without extension, resolved next to `base` (the caller's import.meta.url). */
export function workerEntry(name: string, base: string): URL {
  return new URL(`./${name}.${base.endsWith('.ts') ? 'ts' : 'js'}`, base);
}

export function startWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(boot, { ...options, eval: true });
}
