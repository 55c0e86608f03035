/**
 * Synthetic-population throughput: citizens generated per second on one core, over the bundled name
 * and unit lists (target ≥ 400,000/s, so that bulk loading, not generation, bounds demo and benchmark
 * loads).
 *   node --import tsx bench/generator.bench.ts [count] [batchSize] [seed]
 * Add --single-threaded-gc before --import to keep the garbage collector on the same core.
 */
import { DEFAULT_BATCH_SIZE, generatePopulation, unitListsFrom, type GeneratorInput } from '../src/generator/population.js';
import { loadNameLists, loadReferenceData } from '../src/store/reference-data.js';

const count = Number(process.argv[2] ?? 1_000_000);
const batchSize = Number(process.argv[3] ?? DEFAULT_BATCH_SIZE);
const seed = Number(process.argv[4] ?? 20250701);

const input: GeneratorInput = {
  seed,
  count,
  names: loadNameLists(),
  units: unitListsFrom(loadReferenceData().adminUnits),
  now: '2026-03-15T08:30:00.000Z',
};

// Warm-up so the JIT has compiled the hot paths before timing.
for (const _ of generatePopulation({ ...input, count: 50_000 }, batchSize)) void _;

const start = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
let made = 0;
let batches = 0;
for (const batch of generatePopulation(input, batchSize)) {
  made += batch.length;
  batches++;
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const cpu = process.cpuUsage(cpuStart);
// CPU time counts every thread of the process (GC helpers included): on a busy machine it is the
// steadier figure; with --single-threaded-gc it is exactly "one core".
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const rate = (s: number): string => Math.round(made / s).toLocaleString('en');
console.log(
  `generated ${made.toLocaleString('en')} citizens in ${batches} batches of ≤ ${batchSize}: ` +
    `${seconds.toFixed(2)} s wall (${rate(seconds)} citizens/s), ` +
    `${cpuSeconds.toFixed(2)} s CPU (${rate(cpuSeconds)} citizens/CPU-s)`,
);
