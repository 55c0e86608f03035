/**
 * npm run bench — the figures the issues ask for, on SQLite and PostgreSQL:
 *   seeding N citizens (citizens/s and rows/s over every table written);
 *   getCitizen over HTTP, 64 connections × 10 s, beside the bare baseline route measured in the same
 *   run (requests/s, p99, ratio); search by name and date of birth (requests/s); the exchange services
 *   lookupCitizen and verifyCitizen through the whole mechanism, every call logged (ratio to bare).
 * Each HTTP figure is the median of DANCU_BENCH_ROUNDS rounds (default 3).
 * The server runs in its own process; the load generator (autocannon) in this one.
 *   DANCU_BENCH_CITIZENS (default 1000000), DANCU_BENCH_SECONDS (10), DANCU_BENCH_STORES (sqlite,postgres)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { openRuntime } from '../src/services/runtime.js';
import { seedPopulation, unitListsOf } from '../src/services/seed.js';
import { createPrincipal } from '../src/services/principals.js';
import { systemClock } from '../src/services/clock.js';
import { generatePopulation } from '../src/generator/population.js';
import { loadNameLists } from '../src/store/reference-data.js';
import { foldKey } from '../src/domain/text/normalize.js';
import { countBulkRows } from '../src/store/bulk/count.js';
import { listSeedRuns } from '../src/store/repositories/seed-runs.js';
import { benchToken, connectBenchAgency, exchangeLoad } from './exchange.js';

const CITIZENS = Number(process.env.DANCU_BENCH_CITIZENS ?? 1_000_000);
const SECONDS = Number(process.env.DANCU_BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.DANCU_BENCH_ROUNDS ?? 3);
const STORES = (process.env.DANCU_BENCH_STORES ?? 'sqlite,postgres').split(',');
const PG_ADMIN = process.env.DANCU_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SEED = 42;
const ROOT = new URL('..', import.meta.url).pathname;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface LoadResult {
  rps: number;
  p99: number;
  errors: number;
}

async function load(url: string, paths: string[], token?: string): Promise<LoadResult> {
  let i = 0;
  const result = await autocannon({
    url,
    connections: 64,
    duration: SECONDS,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! }) }],
  });
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

async function rounds(url: string, paths: string[], token?: string): Promise<LoadResult> {
  const rs: LoadResult[] = [];
  for (let r = 0; r < ROUNDS; r++) rs.push(await load(url, paths, token));
  return { rps: median(rs.map((x) => x.rps)), p99: median(rs.map((x) => x.p99)), errors: rs.reduce((a, x) => a + x.errors, 0) };
}

async function startServer(databaseUrl: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/server.ts', databaseUrl, String(port)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
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
function samplePaths(units: ReturnType<typeof unitListsOf>, now: string): { ids: string[]; searches: string[]; lookups: string[]; verifies: string[] } {
  const ids: string[] = [];
  const searches: string[] = [];
  const lookups: string[] = [];
  const verifies: string[] = [];
  const gen = generatePopulation({ seed: SEED, count: CITIZENS, names: loadNameLists(), units, now }, 10_000);
  const first = gen.next().value ?? [];
  for (const c of first.slice(0, 5000)) {
    ids.push(`/citizens/${c.personalId}`);
    searches.push(`/citizens?name=${encodeURIComponent(foldKey(c.fullName))}&dateOfBirth=${c.dateOfBirth}`);
    lookups.push(JSON.stringify({ personalId: c.personalId }));
    verifies.push(JSON.stringify({ personalId: c.personalId, attributes: { fullName: foldKey(c.fullName), dateOfBirth: c.dateOfBirth, sex: c.sex } }));
  }
  return { ids, searches, lookups, verifies };
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
  const { url, drop } = await storeUrl(kind);
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
    await rt.close();
    report.push(
      `${kind}: seeded ${CITIZENS.toLocaleString('en')} citizens in ${secs.toFixed(1)} s — ${Math.round(CITIZENS / secs).toLocaleString('en')} citizens/s, ` +
        `${Math.round(rows / secs).toLocaleString('en')} rows/s (${rows.toLocaleString('en')} rows in all tables)`,
    );
    const { ids, searches, lookups, verifies } = samplePaths(units, seededAt);
    const port = 3900 + STORES.indexOf(kind);
    const server = await startServer(url, port);
    try {
      const base = `http://127.0.0.1:${port}`;
      const bare = await rounds(base, ['/bench/bare']);
      const get = await rounds(base, ids, token);
      const search = await rounds(base, searches, token);
      const exchange = async (service: string, bodies: string[]) => {
        const rs = [];
        for (let r = 0; r < ROUNDS; r++) rs.push(await exchangeLoad(base, await benchToken(base, agency), service, bodies, SECONDS));
        return { rps: median(rs.map((x) => x.rps)), p99: median(rs.map((x) => x.p99)), errors: rs.reduce((a, x) => a + x.errors, 0) };
      };
      const lookup = await exchange('lookupCitizen', lookups);
      const verify = await exchange('verifyCitizen', verifies);
      report.push(
        `${kind}: bare route        ${Math.round(bare.rps).toLocaleString('en')} req/s, p99 ${bare.p99} ms`,
        `${kind}: getCitizen        ${Math.round(get.rps).toLocaleString('en')} req/s, p99 ${get.p99} ms, ratio ${(get.rps / bare.rps).toFixed(2)} of bare (target ≥ 0.5), errors ${get.errors}`,
        `${kind}: search name+dob   ${Math.round(search.rps).toLocaleString('en')} req/s, p99 ${search.p99} ms, ratio ${(search.rps / bare.rps).toFixed(2)} of bare, errors ${search.errors}`,
        `${kind}: lookupCitizen     ${Math.round(lookup.rps).toLocaleString('en')} req/s, p99 ${lookup.p99} ms, ratio ${(lookup.rps / bare.rps).toFixed(2)} of bare (target ≥ 0.3), every call logged, errors ${lookup.errors}`,
        `${kind}: verifyCitizen     ${Math.round(verify.rps).toLocaleString('en')} req/s, p99 ${verify.p99} ms, ratio ${(verify.rps / bare.rps).toFixed(2)} of bare (target ≥ 0.3), every call logged, errors ${verify.errors}`,
      );
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
  } finally {
    await drop();
  }
  console.log(report.join('\n'));
}
console.log(`\n=== dancu bench (${CITIZENS.toLocaleString('en')} citizens, 64 connections × ${SECONDS} s, median of ${ROUNDS}) ===\n${report.join('\n')}`);
