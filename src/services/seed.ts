/**
 * Seeding the store with the synthetic population (demo, tests, benchmarks). Deterministic for a
 * seed; resumable and idempotent: each batch commits with its progress marker, and a re-run with
 * the same seed and size continues from the marker (or does nothing when complete).
 */
import type { Categories } from '../domain/categories/categories.js';
import { RegistryError } from '../domain/errors/registry-error.js';
import { startWorker, workerEntry } from './workers/start-worker.js';
import { unitListsFrom, type UnitLists } from '../generator/population.js';
import { withBulkLoad } from '../store/bulk/load-citizens.js';
import type { Store } from '../store/connect.js';
import { loadNameLists } from '../store/reference-data.js';
import { countCitizens } from '../store/repositories/citizens.js';
import { finishSeedRun, insertSeedRun, listSeedRuns, type SeedRun } from '../store/repositories/seed-runs.js';
import type { Clock } from './clock.js';
import type { SeedJob, SeedMessage } from './seed-worker.js';

/** The seed runs the store holds (the demo resumes one, or finds its population already there). */
export const seedRuns = (store: Store): Promise<SeedRun[]> => listSeedRuns(store.db);

/** How many citizens the store holds (the demo seeds none into a store with citizens of its own). */
export const citizenCount = (store: Store): Promise<number> => countCitizens(store.db);

/** Fixed, so that a resumed run cuts the population into the same batches. */
export const SEED_BATCH = 10000;
export const SEED_ACTOR = 'system:seed';

export interface SeedResult {
  seed: number;
  target: number;
  /** Citizens written by this call. */
  created: number;
  /** Citizens already present from an earlier, interrupted or completed run. */
  skipped: number;
}

/** Provinces with their commune codes, per unit set, from the category catalogue. */
export function unitListsOf(categories: Categories): UnitLists {
  return unitListsFrom([...categories.unitRows.values()].flat());
}

export async function seedPopulation(
  store: Store,
  categories: Categories,
  clock: Clock,
  opts: {
    seed: number;
    count: number;
    onProgress?: (done: number, total: number) => void;
    /** SQLite rows per transaction (default SQLITE_COMMIT_ROWS); tests make it small. */
    commitRows?: number;
  },
): Promise<SeedResult> {
  const runs = await listSeedRuns(store.db);
  const other = runs.find((r) => r.seed !== opts.seed || r.target !== opts.count);
  if (other) {
    throw new RegistryError('SEED_STORE_NOT_EMPTY', { detail: `store holds seed run ${other.seed} of ${other.target} citizens` });
  }
  let run = runs[0];
  if (!run) {
    if ((await countCitizens(store.db)) > 0) throw new RegistryError('SEED_STORE_NOT_EMPTY', { detail: 'store holds registered citizens' });
    run = { seed: opts.seed, target: opts.count, done: 0, startedAt: clock.now().toISOString() };
    await insertSeedRun(store.db, run);
  }
  const result: SeedResult = { seed: opts.seed, target: opts.count, created: 0, skipped: run.done };
  opts.onProgress?.(run.done, opts.count);
  if (run.done >= opts.count) return result;

  const job: SeedJob = {
    input: { seed: opts.seed, count: opts.count, names: loadNameLists(), units: unitListsOf(categories), now: run.startedAt },
    batchSize: SEED_BATCH,
    skip: run.done,
    actorId: SEED_ACTOR,
    reason: `synthetic population, seed ${opts.seed}`,
  };
  await withBulkLoad(
    store,
    async (load) => {
      for await (const batch of batchesFromWorker(job)) {
        await load.write(batch.rows, { seed: opts.seed, done: batch.end });
        result.created += batch.size;
        opts.onProgress?.(batch.end, opts.count);
      }
    },
    opts.commitRows === undefined ? {} : { commitRows: opts.commitRows },
  );
  await finishSeedRun(store.db, opts.seed, clock.now().toISOString());
  return result;
}

/** Runs the generator in a worker thread and yields its batches as they come (two in flight). */
async function* batchesFromWorker(job: SeedJob): AsyncGenerator<Extract<SeedMessage, { type: 'batch' }>> {
  const worker = startWorker(workerEntry('seed-worker', import.meta.url), { workerData: job });
  const queue: SeedMessage[] = [];
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  worker.on('message', (m: SeedMessage) => {
    queue.push(m);
    wake?.();
  });
  worker.on('error', (e) => {
    failure = e;
    wake?.();
  });
  worker.on('exit', (code) => {
    if (code !== 0 && !failure) failure = new Error(`seed worker exited with code ${code}`);
    wake?.();
  });
  try {
    for (;;) {
      while (queue.length === 0 && !failure) await new Promise<void>((r) => (wake = r));
      const m = queue.shift();
      if (!m) throw failure!;
      if (m.type === 'error') throw new Error(`seed worker: ${m.message}`);
      if (m.type === 'done') return;
      yield m;
      worker.postMessage('more');
    }
  } finally {
    await worker.terminate();
  }
}
