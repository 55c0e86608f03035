/**
 * Worker thread of the seeder: generates the synthetic population (citizens, cards, residence
 * register) and turns each batch into table rows, so that the main thread only writes. Generation and row building cost as much CPU as the
 * inserts; on two cores the pipeline nearly doubles the seeding rate.
 * Protocol: the parent posts one SeedJob, then a 'more' message for every batch it has written;
 * the worker keeps at most two batches in flight and posts 'done' at the end.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Citizen } from '../domain/citizen/citizen.js';
import { generateResidentPopulation, type GeneratorInput } from '../generator/population.js';
import { cardsFor } from '../generator/cards.js';
import { rowSetOf, tableRowsOf, type BulkTable } from '../store/bulk/citizen-rows.js';
import { residenceRowsOf } from '../store/bulk/residence-rows.js';

export interface SeedJob {
  input: GeneratorInput;
  batchSize: number;
  /** Citizens already written by an earlier run: their batches are generated but not sent. */
  skip: number;
  actorId: string;
  reason: string;
}

export type SeedMessage =
  | { type: 'batch'; end: number; size: number; rows: Record<BulkTable, unknown[][]> }
  | { type: 'done' }
  | { type: 'error'; message: string };

const IN_FLIGHT = 2;

async function main(job: SeedJob): Promise<void> {
  const port = parentPort!;
  let credits = IN_FLIGHT;
  let wake: (() => void) | undefined;
  port.on('message', () => {
    credits++;
    wake?.();
  });
  let position = 0;
  const today = job.input.now.slice(0, 10);
  // Households, registrations and stay notices are recorded at the run's "now".
  const record = { actorId: job.actorId, source: 'generator', changeKind: 'seed', at: job.input.now };
  for (const { citizens, residence } of generateResidentPopulation(job.input, job.batchSize)) {
    const end = position + citizens.length;
    position = end;
    if (end <= job.skip) continue;
    const sets = citizens.map((g) => {
      const c: Citizen = { ...g, version: 1, updatedAt: g.createdAt };
      return rowSetOf(c, { actorId: job.actorId, source: 'generator', kind: 'seed', reason: job.reason, at: g.createdAt }, cardsFor(g, job.input.seed, today));
    });
    const rows = tableRowsOf(sets, residenceRowsOf(residence, record), job.input.now);
    while (credits === 0) await new Promise<void>((r) => (wake = r));
    credits--;
    port.postMessage({ type: 'batch', end, size: citizens.length, rows } satisfies SeedMessage);
  }
  port.postMessage({ type: 'done' } satisfies SeedMessage);
  port.close();
}

if (parentPort && workerData) {
  main(workerData as SeedJob).catch((e: unknown) => {
    parentPort!.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) } satisfies SeedMessage);
  });
}
