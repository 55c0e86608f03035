/**
 * The accountability part of npm run bench (issue 13 item 5; decision 0033):
 *   - the sequencer: leaves committed through the real write path (access entries by
 *     appendAccessEntries, in batches, by several writers) and integrated into the tree, with the
 *     interval between the checkpoints it signs — on a store of its own, so that the HTTP figures
 *     are taken on the same store as the starting point's;
 *   - the checkpoint interval of the server's sequencers while the HTTP load runs (read from the
 *     signed checkpoints' times);
 *   - access-to-visible: while the exchange load runs, a probe (its own process, so the load
 *     generator's event loop does not delay its clock) reads a person as an officer and polls that
 *     person's /me/usage as the citizen until the entry shows, then its receipt until it is ready.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { openRuntime, type Runtime } from '../src/services/runtime.js';
import { openStore, type Store } from '../src/store/connect.js';
import { CLI_ACTOR, createPrincipal } from '../src/services/principals.js';
import { appendAccessEntries, type AccessEntry } from '../src/store/repositories/access-log.js';
import { newEntryId } from '../src/services/accountability/recorder.js';
import { integratePending, startSequencer } from '../src/services/transparency/sequencer.js';
import { hasPendingLeaves } from '../src/store/repositories/transparency-log.js';
import { exchangeRequests } from './exchange.js';
import { freshStore } from './fresh-store.js';

/** The q-quantile (nearest rank) of xs; NaN when empty. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

const ms = (x: number) => (Number.isNaN(x) ? '–' : `${Math.round(x)} ms`);
const int = (x: number) => Math.round(x).toLocaleString('en');

/** Intervals between consecutive times (ms), in order. */
export function intervalsOf(times: readonly number[]): number[] {
  return times.slice(1).map((t, i) => t - times[i]!);
}

export function intervalNote(intervals: readonly number[]): string {
  return `p50 ${ms(quantile(intervals, 0.5))}, p99 ${ms(quantile(intervals, 0.99))}, max ${ms(intervals.length ? Math.max(...intervals) : Number.NaN)} (target p99 ≤ 1 s)`;
}

// ---------------------------------------------------------------------------------------------
// The sequencer on a store of its own


/** An exchange lookup of one (made-up) person, as the recorder writes it: one row, one leaf. */
function lookupEntry(at: string, n: number): AccessEntry {
  return {
    entryId: newEntryId(at),
    at,
    callerKind: 'connection',
    unit: 'Bench bank',
    agencyCode: 'BENCH-BANK',
    connectionId: 'bench-connection',
    officerId: 'BENCH-01',
    channel: 'exchange',
    action: 'lookupCitizen',
    purpose: '1.004222',
    personalIds: [String(1e11 + n).padStart(12, '0')],
    fields: ['fullName', 'dateOfBirth', 'sex', 'permanentResidence'],
    outcome: 'served',
    httpStatus: 200,
    requestId: randomBytes(8).toString('hex'),
    sourceIp: '127.0.0.1',
    latencyMs: 3,
    feeVnd: 0,
    catalogueYear: 2026,
  };
}

/** Commits `count` entries (so as many leaves) by `writers` concurrent writers, `batch` a transaction. */
async function writeEntries(store: Store, count: number, batch: number, writers: number, offset: number): Promise<void> {
  let next = 0;
  const writer = async () => {
    for (;;) {
      const from = next;
      if (from >= count) return;
      next = Math.min(count, from + batch);
      const at = new Date().toISOString();
      const entries = Array.from({ length: next - from }, (_, i) => lookupEntry(at, offset + from + i));
      await store.transaction((tx) => appendAccessEntries(tx, entries));
      // SQLite runs in-process and synchronously: without a turn of the event loop between
      // transactions, writers chained on promises would never let the sequencer's timer fire (in
      // the server, requests arrive by I/O and the recorder yields between group commits).
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  await Promise.all(Array.from({ length: writers }, writer));
}

export interface SequencerBenchOptions {
  kind: string;
  root: string;
  pgAdmin: string;
  /** Leaves committed in each phase. */
  leaves: number;
  writers?: number;
  batch?: number;
}

/**
 * Two phases on a fresh store:
 *   1. integration alone: N leaves committed first (sequencer stopped), then integrated batch after
 *      batch as the sequencer does — its capacity, and the time between the checkpoints it signs;
 *   2. leaves arriving: writers commit N more while the ticking sequencer runs in the same process
 *      — leaves committed and integrated per second, checkpoint intervals while they arrive, and
 *      how far the tree is behind when the writers stop.
 */
export async function sequencerBench(o: SequencerBenchOptions): Promise<string[]> {
  const writers = o.writers ?? 4;
  const batch = o.batch ?? 250;
  const { url, drop } = await freshStore(o.kind, o.root, o.pgAdmin, 'tlog');
  const lines: string[] = [];
  try {
    const rt = await openRuntime({ databaseUrl: url, dataDir: join(o.root, '.bench', 'data-tlog'), pgPoolSize: writers + 2 });
    try {
      const store = rt.store;
      const ctx = { store, clock: rt.ctx.clock };
      // Phase 1.
      let t = performance.now();
      await writeEntries(store, o.leaves, batch, writers, 0);
      const written1 = (performance.now() - t) / 1000;
      const stamps: number[] = [];
      let checkpoints = 0;
      t = performance.now();
      stamps.push(t);
      for (;;) {
        const r = await integratePending(ctx, rt.log.key);
        if (r.checkpoint) {
          checkpoints++;
          stamps.push(performance.now());
        }
        if (r.integrated === 0) break;
      }
      const integrated1 = (performance.now() - t) / 1000;
      lines.push(
        `${o.kind}: tlog integration  ${int(o.leaves)} pending leaves (committed by ${writers} writers in ${batch}-entry transactions at ${int(o.leaves / written1)}/s) ` +
          `integrated in ${integrated1.toFixed(1)} s — ${int(o.leaves / integrated1)} leaves/s (target ≥ 50,000 on SQLite), ${checkpoints} checkpoints, interval ${intervalNote(intervalsOf(stamps))}`,
      );

      // Phase 2.
      const signed: number[] = [];
      let writing = true;
      const seq = startSequencer(ctx, rt.log.key, {
        onCheckpoint: () => {
          if (writing) signed.push(performance.now());
        },
        onError: (e) => process.stderr.write(`bench sequencer: ${e instanceof Error ? e.message : String(e)}\n`),
      });
      t = performance.now();
      await writeEntries(store, o.leaves, batch, writers, o.leaves);
      const written2 = (performance.now() - t) / 1000;
      writing = false;
      const stopped = performance.now();
      while (await hasPendingLeaves(store.db)) await seq.flush();
      const behind = performance.now() - stopped;
      const total2 = (performance.now() - t) / 1000;
      await seq.stop();
      lines.push(
        `${o.kind}: tlog appends      ${int(o.leaves)} leaves committed at ${int(o.leaves / written2)}/s while the sequencer ran (same process), all integrated ` +
          `${ms(behind)} after the last commit — ${int(o.leaves / total2)} leaves/s end to end; ${signed.length} checkpoints while leaves arrived, interval ${intervalNote(intervalsOf(signed))}`,
      );
    } finally {
      await rt.close();
    }
  } finally {
    await drop();
    rmSync(join(o.root, '.bench', 'data-tlog'), { recursive: true, force: true });
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------
// The server's checkpoints

/** Times (ms since the epoch) of the checkpoints signed in [from, to], oldest first. */
export async function checkpointTimes(url: string, from: Date, to: Date): Promise<number[]> {
  const store = openStore({ url, poolSize: 1 });
  try {
    const rows = await store.db
      .selectFrom('tlog_checkpoint')
      .select(['size', 'signed_at'])
      .where('signed_at', '>=', from.toISOString())
      .where('signed_at', '<=', to.toISOString())
      .orderBy('size')
      .execute();
    return rows.map((r) => Date.parse(r.signed_at));
  } finally {
    await store.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Access to visible, under load

export interface ProbeTarget {
  personalId: string;
  /** The bearer token of a citizen principal bound to that person. */
  citizenToken: string;
}

export interface ProbeResult {
  /** The officer read's own latency (ms): the entry is committed before its answer leaves. */
  read: number[];
  /** From sending the read to the first /me/usage answer that shows its entry (ms). */
  visible: number[];
  /** From sending the read to the first 200 of the entry's receipt (ms). */
  receipt: number[];
  failures: string[];
}

/** Runs bench/visibility-probe.ts in its own process until it has `samples` samples. */
export async function runProbe(root: string, base: string, officerToken: string, targets: readonly ProbeTarget[], samples: number): Promise<ProbeResult> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'bench/visibility-probe.ts'], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin!.end(JSON.stringify({ base, officerToken, targets, samples }));
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`visibility probe exited with ${code}`);
  return JSON.parse(out) as ProbeResult;
}

/**
 * The exchange load (lookupCitizen, 64 connections) running until `during` settles, and the
 * checkpoint times of the server meanwhile.
 */
export async function underExchangeLoad<T>(base: string, token: string, bodies: readonly string[], during: () => Promise<T>): Promise<{ value: T; rps: number; errors: number; from: Date; to: Date }> {
  const from = new Date();
  let instance: autocannon.Instance | undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      { url: base, connections: 64, duration: 3600, requests: exchangeRequests(token, 'lookupCitizen', bodies) },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
  // Let the load reach its pace before measuring.
  await new Promise((r) => setTimeout(r, 2000));
  try {
    const value = await during();
    const to = new Date();
    instance!.stop();
    const result = await done;
    return { value, rps: result.requests.average, errors: result.errors + result.non2xx, from, to };
  } catch (e) {
    instance!.stop();
    await done.catch(() => undefined);
    throw e;
  }
}

export function visibilityLines(kind: string, r: ProbeResult, load: { rps: number; errors: number }, checkpoints: readonly number[]): string[] {
  return [
    `${kind}: access→visible    ${r.visible.length} officer reads under the exchange load (${int(load.rps)} lookupCitizen/s, errors ${load.errors}): ` +
      `p50 ${ms(quantile(r.visible, 0.5))}, p99 ${ms(quantile(r.visible, 0.99))}, max ${ms(r.visible.length ? Math.max(...r.visible) : Number.NaN)} until the citizen's /me/usage shows it (target p99 ≤ 1 s; ` +
      `the read itself p50 ${ms(quantile(r.read, 0.5))}, p99 ${ms(quantile(r.read, 0.99))})` +
      (r.failures.length ? `; ${r.failures.length} failed (${[...new Set(r.failures)].slice(0, 3).join('; ')})` : ''),
    `${kind}: access→receipt    p50 ${ms(quantile(r.receipt, 0.5))}, p99 ${ms(quantile(r.receipt, 0.99))} until its receipt is ready (sequenced)`,
    `${kind}: checkpoints       under the load: ${checkpoints.length} signed, interval ${intervalNote(intervalsOf([...checkpoints]))}`,
  ];
}

/** A citizen principal bound to a person (role 'citizen'), and its token. */
export async function createCitizenPrincipal(rt: Runtime, personalId: string): Promise<{ token: string }> {
  return createPrincipal(rt.store, rt.ctx.clock, 'bench citizen', 'citizen', CLI_ACTOR, { personalId });
}

// `npx tsx bench/accountability.ts`: the sequencer figures alone, on stores of their own (nothing is
// seeded) — DANCU_BENCH_STORES and DANCU_BENCH_TLOG_LEAVES as in npm run bench; DANCU_BENCH_RUNS runs each.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = new URL('..', import.meta.url).pathname;
  const pgAdmin = process.env.DANCU_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const runs = Number(process.env.DANCU_BENCH_RUNS ?? 1);
  for (const kind of (process.env.DANCU_BENCH_STORES ?? 'sqlite,postgres').split(',')) {
    const leaves = Number(process.env.DANCU_BENCH_TLOG_LEAVES ?? (kind === 'sqlite' ? 500_000 : 200_000));
    for (let run = 0; run < runs; run++) for (const line of await sequencerBench({ kind, root, pgAdmin, leaves })) console.log(line);
  }
}
