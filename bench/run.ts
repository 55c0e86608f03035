/**
 * npm run bench — the figures the issues ask for, on SQLite and PostgreSQL:
 *   seeding N citizens (citizens/s and rows/s over every table written);
 *   getCitizen over HTTP, 64 connections × 10 s, beside the bare baseline route measured in the same
 *   run (requests/s, p99, ratio); search by name and date of birth (requests/s); the exchange services
 *   lookupCitizen and verifyCitizen through the whole mechanism, every call logged (ratio to bare);
 *   accountability (bench/accountability.ts): the transparency log's sequencer (leaves/s, checkpoint
 *   intervals, also under the HTTP load) and access-to-visible latency for the citizen; SMS requests
 *   answered per second through a local test SMSC beside an echo ESME (bench/sms.ts). Every HTTP
 *   figure is taken with the recording and the sequencer running in the server, as `dancu serve` runs.
 * Each HTTP figure is the median of DANCU_BENCH_ROUNDS rounds (default 3); the rounds interleave
 * the routes and a ratio is the median of the per-round ratios. Where /proc exists, the server's
 * CPU time per request (all its processes) is printed too: steadier than requests/s on a shared
 * two-core machine. The server runs as several processes, as `dancu serve --workers` does (see
 * workersFor); the load generator (autocannon) runs in this one.
 *   DANCU_BENCH_CITIZENS (default 1000000), DANCU_BENCH_SECONDS (10), DANCU_BENCH_STORES (sqlite,postgres),
 *   DANCU_BENCH_WORKERS (SQLite: cores, PostgreSQL: 1), DANCU_BENCH_TLOG_LEAVES (SQLite 500000,
 *   PostgreSQL 200000; 0: no sequencer part), DANCU_BENCH_PROBE_SAMPLES (250; 0: no probe),
 *   DANCU_BENCH_BEFORE (a file holding the output of a run of another commit, e.g. the issue's
 *   starting point: its server CPU per request is printed beside this run's)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { openRuntime } from '../src/services/runtime.js';
import { seedPopulation, unitListsOf } from '../src/services/seed.js';
import { createPrincipal } from '../src/services/principals.js';
import { systemClock } from '../src/services/clock.js';
import { generatePopulation, type GeneratedCitizen } from '../src/generator/population.js';
import { loadNameLists } from '../src/store/reference-data.js';
import { foldKey } from '../src/domain/text/normalize.js';
import { countBulkRows } from '../src/store/bulk/count.js';
import { listSeedRuns } from '../src/store/repositories/seed-runs.js';
import { benchToken, connectBenchAgency, exchangeLoad } from './exchange.js';
import { checkpointTimes, createCitizenPrincipal, intervalNote, intervalsOf, runProbe, sequencerBench, underExchangeLoad, visibilityLines, type ProbeTarget } from './accountability.js';
import { integratePending } from '../src/services/transparency/sequencer.js';
import { subscriberBench } from './subscribers.js';
import { smsBench } from './sms.js';

const CITIZENS = Number(process.env.DANCU_BENCH_CITIZENS ?? 1_000_000);
const SECONDS = Number(process.env.DANCU_BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.DANCU_BENCH_ROUNDS ?? 3);
const STORES = (process.env.DANCU_BENCH_STORES ?? 'sqlite,postgres').split(',');
/**
 * Server processes, as `dancu serve --workers` would run them. SQLite: one per core. PostgreSQL:
 * one, because here the database server runs on the same cores (measured at 1,000,000 people on
 * two cores: two processes served fewer requests than one).
 */
const workersFor = (kind: string) => Number(process.env.DANCU_BENCH_WORKERS ?? (kind === 'sqlite' ? availableParallelism() : 1));
const PG_ADMIN = process.env.DANCU_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SEED = 42;
const tlogLeavesFor = (kind: string) => Number(process.env.DANCU_BENCH_TLOG_LEAVES ?? (kind === 'sqlite' ? 500_000 : 200_000));
const PROBE_SAMPLES = Number(process.env.DANCU_BENCH_PROBE_SAMPLES ?? 250);
/** Citizens the probe reads and who watch their usage: outside the people the loads read. */
const PROBE_PEOPLE = 50;
/** Officers give a purpose for every read (issue 13). */
const OFFICER_PURPOSE = 'bench: officer reads';
const ROOT = new URL('..', import.meta.url).pathname;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface LoadResult {
  rps: number;
  p99: number;
  errors: number;
  /** CPU time the server process spent per request (user + system), when /proc tells it. */
  cpuUsPerRequest?: number;
}

/** CPU seconds used so far by a process and its child processes (the server's workers); Linux /proc, undefined elsewhere. */
function cpuSecondsOf(pid: number | undefined): number | undefined {
  const ticks = (p: string) => {
    const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return { ppid: fields[1], cpu: Number(fields[11]) + Number(fields[12]) };
  };
  try {
    let total = ticks(String(pid)).cpu;
    for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      try {
        const t = ticks(p);
        if (t.ppid === String(pid)) total += t.cpu;
      } catch {
        // gone meanwhile
      }
    }
    return total / 100;
  } catch {
    return undefined;
  }
}

/** Runs one load and reads the server's CPU time around it. */
async function measured(server: ChildProcess, run: () => Promise<{ rps: number; p99: number; errors: number }>): Promise<LoadResult> {
  const before = cpuSecondsOf(server.pid);
  const r = await run();
  const after = cpuSecondsOf(server.pid);
  return before === undefined || after === undefined ? r : { ...r, cpuUsPerRequest: ((after - before) * 1e6) / (r.rps * SECONDS) };
}

async function load(url: string, paths: string[], token?: string, seconds = SECONDS): Promise<{ rps: number; p99: number; errors: number }> {
  let i = 0;
  const result = await autocannon({
    url,
    connections: 64,
    duration: seconds,
    headers: token ? { authorization: `Bearer ${token}`, 'x-purpose': OFFICER_PURPOSE } : {},
    requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! }) }],
  });
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

/** Median figures of the rounds, and the median of each round's ratio to the bare route of that round. */
function summarise(rounds: LoadResult[], bare: LoadResult[]): LoadResult & { ratio: number } {
  const cpu = rounds.map((x) => x.cpuUsPerRequest).filter((x): x is number => x !== undefined);
  return {
    rps: median(rounds.map((x) => x.rps)),
    p99: median(rounds.map((x) => x.p99)),
    errors: rounds.reduce((a, x) => a + x.errors, 0),
    ratio: median(rounds.map((x, i) => x.rps / bare[i]!.rps)),
    ...(cpu.length ? { cpuUsPerRequest: median(cpu) } : {}),
  };
}

/** Server CPU per request of each "<store>: <route>" line of another run's output (DANCU_BENCH_BEFORE). */
function beforeFigures(): Map<string, number> {
  const figures = new Map<string, number>();
  const file = process.env.DANCU_BENCH_BEFORE;
  if (!file) return figures;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^(\w+): (\S+(?: \S+)?)\s{2,}.*server CPU (\d+) µs\/request/.exec(line);
    if (m) figures.set(`${m[1]}: ${m[2]}`, Number(m[3]));
  }
  return figures;
}
const BEFORE = beforeFigures();

const cpuNote = (r: LoadResult, key?: string) => {
  if (r.cpuUsPerRequest === undefined) return '';
  const before = key ? BEFORE.get(key) : undefined;
  const beside = before ? ` (before: ${before} µs, ${r.cpuUsPerRequest >= before ? '+' : ''}${(((r.cpuUsPerRequest - before) / before) * 100).toFixed(1)}%)` : '';
  return `, server CPU ${Math.round(r.cpuUsPerRequest)} µs/request${beside}`;
};

async function startServer(databaseUrl: string, port: number, workers: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/server.ts', databaseUrl, String(port), String(workers)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return child;
}

async function storeUrl(kind: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = join(ROOT, '.bench');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    return { url: `sqlite:${join(dir, 'bench.sqlite')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `dancu_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(PG_ADMIN);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** Paths for the load: the generator is deterministic, so the first people of the seed are known. */
function samplePaths(units: ReturnType<typeof unitListsOf>, now: string): { ids: string[]; searches: string[]; lookups: string[]; verifies: string[]; others: string[] } {
  const ids: string[] = [];
  const searches: string[] = [];
  const lookups: string[] = [];
  const verifies: string[] = [];
  const gen = generatePopulation({ seed: SEED, count: CITIZENS, names: loadNameLists(), units, now }, 10_000);
  const first: GeneratedCitizen[] = gen.next().value ?? [];
  for (const c of first.slice(0, 5000)) {
    ids.push(`/citizens/${c.personalId}`);
    searches.push(`/citizens?name=${encodeURIComponent(foldKey(c.fullName))}&dateOfBirth=${c.dateOfBirth}`);
    lookups.push(JSON.stringify({ personalId: c.personalId }));
    verifies.push(JSON.stringify({ personalId: c.personalId, attributes: { fullName: foldKey(c.fullName), dateOfBirth: c.dateOfBirth, sex: c.sex } }));
  }
  // Adults (a citizen principal is bound to a living adult), none of them read by the loads.
  const others = first.slice(5000).filter((c) => !c.dateOfDeath && c.dateOfBirth < `${Number(now.slice(0, 4)) - 18}`).map((c) => c.personalId);
  return { ids, searches, lookups, verifies, others };
}

const report: string[] = [];
for (const kind of STORES) {
  if (kind === 'postgres') {
    try {
      const c = new pg.Client({ connectionString: PG_ADMIN });
      await c.connect();
      await c.end();
    } catch {
      report.push(`postgres: unreachable at ${PG_ADMIN} — skipped`);
      continue;
    }
  }
  // The sequencer on a store of its own, before the bench store exists (it does not weigh on it).
  if (tlogLeavesFor(kind) > 0) report.push(...(await sequencerBench({ kind, root: ROOT, pgAdmin: PG_ADMIN, leaves: tlogLeavesFor(kind) })));
  // Subscriber-register import (issue 14): 1,000,000 lines on a store of its own, beside its parse-only baseline.
  report.push(...(await subscriberBench({ kind, root: ROOT, pgAdmin: PG_ADMIN })));
  // The citizens' SMS service end to end through a local test SMSC, beside an echo ESME (bench/sms.ts).
  report.push(...(await smsBench({ kind, root: ROOT, pgAdmin: PG_ADMIN })));
  const { url, drop } = await storeUrl(kind);
  // A fresh data directory too: the log key's signed state names the store it signed for, and a
  // fresh store under a key that signed another would be refused (LOG_BEHIND_SIGNED_STATE).
  rmSync(join(ROOT, '.bench', 'data'), { recursive: true, force: true });
  try {
    const rt = await openRuntime({ databaseUrl: url, dataDir: join(ROOT, '.bench', 'data') });
    const started = performance.now();
    await seedPopulation(rt.store, rt.catalogue.categories, systemClock, { seed: SEED, count: CITIZENS });
    const secs = (performance.now() - started) / 1000;
    const rows = await countBulkRows(rt.store);
    const seededAt = (await listSeedRuns(rt.store.db))[0]!.startedAt;
    const { token } = await createPrincipal(rt.store, systemClock, 'bench officer', 'officer');
    const units = unitListsOf(rt.catalogue.categories);
    const agency = await connectBenchAgency(rt);
    const { ids, searches, lookups, verifies, others } = samplePaths(units, seededAt);
    const probeTargets: ProbeTarget[] = [];
    for (const personalId of others.slice(0, PROBE_SAMPLES > 0 ? PROBE_PEOPLE : 0)) {
      probeTargets.push({ personalId, citizenToken: (await createCitizenPrincipal(rt, personalId)).token });
    }
    // The seed's change records are pending leaves: integrated here, so that the server's
    // sequencers meet only the leaves the load adds (and how long a national seed takes is known).
    const integrating = performance.now();
    let seedLeaves = 0;
    let seedCheckpoints = 0;
    for (;;) {
      const r = await integratePending(rt.ctx, rt.log.key);
      seedLeaves += r.integrated;
      if (r.checkpoint) seedCheckpoints++;
      if (r.integrated === 0) break;
    }
    const integrateSecs = (performance.now() - integrating) / 1000;
    await rt.close();
    report.push(
      `${kind}: seeded ${CITIZENS.toLocaleString('en')} citizens in ${secs.toFixed(1)} s — ${Math.round(CITIZENS / secs).toLocaleString('en')} citizens/s, ` +
        `${Math.round(rows / secs).toLocaleString('en')} rows/s (${rows.toLocaleString('en')} rows in all tables)`,
      `${kind}: seed's leaves     ${seedLeaves.toLocaleString('en')} integrated in ${integrateSecs.toFixed(1)} s — ${Math.round(seedLeaves / integrateSecs).toLocaleString('en')} leaves/s, ${seedCheckpoints} checkpoints`,
    );
    const port = 3900 + STORES.indexOf(kind);
    const server = await startServer(url, port, workersFor(kind));
    try {
      const base = `http://127.0.0.1:${port}`;
      // Rounds interleave the routes, so that a slow spell of the machine weighs on all of them
      // alike; each round's ratio is taken against the bare route of the same round.
      const all = { bare: [] as LoadResult[], get: [] as LoadResult[], search: [] as LoadResult[], lookup: [] as LoadResult[], verify: [] as LoadResult[] };
      /** Intervals between the server's checkpoints within each lookupCitizen load (leaves arriving all along). */
      const loadIntervals: number[] = [];
      let loadCheckpoints = 0;
      // Warm-up (not measured): the server's code paths compiled and its caches filled.
      const warm = await benchToken(base, agency);
      for (const run of [() => load(base, ['/bench/bare'], undefined, 2), () => load(base, ids, token, 2), () => load(base, searches, token, 2), () => exchangeLoad(base, warm, 'lookupCitizen', lookups, 2), () => exchangeLoad(base, warm, 'verifyCitizen', verifies, 2)]) await run();
      for (let r = 0; r < ROUNDS; r++) {
        all.bare.push(await measured(server, () => load(base, ['/bench/bare'])));
        all.get.push(await measured(server, () => load(base, ids, token)));
        all.search.push(await measured(server, () => load(base, searches, token)));
        const agencyToken = await benchToken(base, agency);
        const from = new Date();
        all.lookup.push(await measured(server, () => exchangeLoad(base, agencyToken, 'lookupCitizen', lookups, SECONDS)));
        const times = await checkpointTimes(url, from, new Date());
        loadCheckpoints += times.length;
        loadIntervals.push(...intervalsOf(times));
        all.verify.push(await measured(server, () => exchangeLoad(base, agencyToken, 'verifyCitizen', verifies, SECONDS)));
      }
      const bare = summarise(all.bare, all.bare);
      const get = summarise(all.get, all.bare);
      const search = summarise(all.search, all.bare);
      const lookup = summarise(all.lookup, all.bare);
      const verify = summarise(all.verify, all.bare);
      report.push(
        `${kind}: server            ${workersFor(kind)} process${workersFor(kind) > 1 ? 'es' : ''} on ${availableParallelism()} cores (CPU per request counts all of them)`,
        `${kind}: bare route        ${Math.round(bare.rps).toLocaleString('en')} req/s, p99 ${bare.p99} ms${cpuNote(bare, `${kind}: bare route`)}`,
        `${kind}: getCitizen        ${Math.round(get.rps).toLocaleString('en')} req/s, p99 ${get.p99} ms, ratio ${get.ratio.toFixed(2)} of bare (target ≥ 0.5), errors ${get.errors}${cpuNote(get, `${kind}: getCitizen`)}`,
        `${kind}: search name+dob   ${Math.round(search.rps).toLocaleString('en')} req/s, p99 ${search.p99} ms, ratio ${search.ratio.toFixed(2)} of bare, errors ${search.errors}${cpuNote(search, `${kind}: search name+dob`)}`,
        `${kind}: lookupCitizen     ${Math.round(lookup.rps).toLocaleString('en')} req/s, p99 ${lookup.p99} ms, ratio ${lookup.ratio.toFixed(2)} of bare (target ≥ 0.3), every call logged, errors ${lookup.errors}${cpuNote(lookup, `${kind}: lookupCitizen`)}`,
        `${kind}: verifyCitizen     ${Math.round(verify.rps).toLocaleString('en')} req/s, p99 ${verify.p99} ms, ratio ${verify.ratio.toFixed(2)} of bare (target ≥ 0.3), every call logged, errors ${verify.errors}${cpuNote(verify, `${kind}: verifyCitizen`)}`,
        `${kind}: checkpoints       during the lookupCitizen loads: ${loadCheckpoints} signed, interval ${intervalNote(loadIntervals)}`,
      );
      if (probeTargets.length > 0) {
        // Access to visible for the citizen, under the exchange load (a fresh token: they live 5 minutes).
        const probed = await underExchangeLoad(base, await benchToken(base, agency), lookups, () => runProbe(ROOT, base, token, probeTargets, PROBE_SAMPLES));
        report.push(...visibilityLines(kind, probed.value, probed, await checkpointTimes(url, probed.from, probed.to)));
      }
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
  } finally {
    await drop();
  }
  console.log(report.join('\n'));
}
console.log(`\n=== dancu bench (${CITIZENS.toLocaleString('en')} citizens, 64 connections × ${SECONDS} s, median of ${ROUNDS}, load generator on the same ${availableParallelism()} cores) ===\n${report.join('\n')}`);
