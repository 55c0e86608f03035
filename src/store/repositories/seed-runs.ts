/** Progress of synthetic-population seeding runs, so a long seed resumes where it stopped. */
import type { Db } from '../schema.js';

export interface SeedRun {
  seed: number;
  target: number;
  done: number;
  startedAt: string;
  finishedAt?: string;
}

export async function listSeedRuns(db: Db): Promise<SeedRun[]> {
  const rows = await db.selectFrom('seed_run').selectAll().orderBy('seed').execute();
  return rows.map((r) => ({
    seed: Number(r.seed),
    target: Number(r.target),
    done: Number(r.done),
    startedAt: r.started_at,
    ...(r.finished_at ? { finishedAt: r.finished_at } : {}),
  }));
}

export async function insertSeedRun(db: Db, run: SeedRun): Promise<void> {
  await db.insertInto('seed_run').values({ seed: run.seed, target: run.target, done: run.done, started_at: run.startedAt, finished_at: null }).execute();
}

export async function finishSeedRun(db: Db, seed: number, at: string): Promise<void> {
  await db.updateTable('seed_run').set({ finished_at: at }).where('seed', '=', seed).execute();
}
