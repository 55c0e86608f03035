/**
 * Subscriber-register import (issue 14 item 9): lines per second for a file of DANCU_BENCH_SUBSCRIBER_LINES
 * links (default 1,000,000) over DANCU_BENCH_SUBSCRIBER_PEOPLE seeded citizens (default 100,000: ten
 * numbers each), on a store of its own, through importSubscriberLinks exactly as `dancu subscribers
 * import` runs it (streamed, batches of OFFLINE_IMPORT_BATCH_LINES with their link events, leaves and progress marker;
 * DANCU_BENCH_SUBSCRIBER_BATCH sets them, e.g. 5000 as a server runs), with the event loop's delay while it runs. Beside it,
 * in the same run, the baseline: reading and parsing the same file line by line with the same
 * parser and validator and nothing written — what the import costs on top of reading its input.
 * Run alone: `npx tsx bench/subscribers.ts [sqlite|postgres]`.
 */
import { createReadStream, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openRuntime } from '../src/services/runtime.js';
import { seedPopulation } from '../src/services/seed.js';
import { systemClock } from '../src/services/clock.js';
import { registerAgency } from '../src/services/exchange/agencies.js';
import { importSubscriberLinks, OFFLINE_IMPORT_BATCH_LINES } from '../src/services/subscribers/index.js';
import { parseJsonLine } from '../src/domain/telecom/subscriber-lines.js';
import { countLinkedNumbers } from '../src/store/repositories/subscribers.js';
import { freshStore } from './fresh-store.js';
import { benchLine, writerFloor } from './subscriber-floor.js';

export interface SubscriberBenchOptions {
  kind: string;
  root: string;
  pgAdmin: string;
  lines?: number;
  people?: number;
}

/** Bytes the process read and wrote through system calls so far (Linux; undefined elsewhere): steadier than time on a loaded machine. */
function processIo(): { rchar: number; wchar: number } | undefined {
  try {
    const text = readFileSync('/proc/self/io', 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(text)?.[1]);
    return { rchar: field('rchar'), wchar: field('wchar') };
  } catch {
    return undefined;
  }
}

const int = (n: number) => Math.round(n).toLocaleString('en');


/** The file: line i as benchLine says, written as the operator's NDJSON (a bounded buffer at a time). */
function writeFile(path: string, people: readonly string[], lines: number): void {
  const chunks: string[] = [];
  writeFileSync(path, '');
  for (let i = 0; i < lines; i++) {
    const l = benchLine(i, people);
    // The operator writes the national form (09…); the import normalises it to the +84… of benchLine.
    chunks.push(`{"recordId":"${l.recordId}","action":"link","number":"0${l.number.slice(3)}","personalId":"${l.personalId}","confirmedAt":"${l.at}"}`);
    if (chunks.length === 50_000 || i === lines - 1) {
      writeFileSync(path, chunks.join('\n') + '\n', { flag: 'a' });
      chunks.length = 0;
    }
  }
}

export async function subscriberBench(o: SubscriberBenchOptions): Promise<string[]> {
  const lines = o.lines ?? Number(process.env.DANCU_BENCH_SUBSCRIBER_LINES ?? 1_000_000);
  const peopleCount = o.people ?? Number(process.env.DANCU_BENCH_SUBSCRIBER_PEOPLE ?? 100_000);
  if (lines <= 0) return [];
  mkdirSync(join(o.root, '.bench'), { recursive: true });
  const dataDir = join(o.root, '.bench', 'data-subscribers');
  rmSync(dataDir, { recursive: true, force: true });
  const { url, drop } = await freshStore(o.kind, o.root, o.pgAdmin, 'subscribers');
  const file = join(o.root, '.bench', 'subscribers.ndjson');
  try {
    const rt = await openRuntime({ databaseUrl: url, dataDir });
    try {
      await seedPopulation(rt.store, rt.catalogue.categories, systemClock, { seed: 7, count: peopleCount });
      const people = (await rt.store.db.selectFrom('citizen').select('personal_id').execute()).map((r) => r.personal_id);
      await registerAgency(rt.ctx, {
        code: 'BENCHTEL',
        name: 'Nhà mạng đo hiệu năng',
        type: 'telecom_operator',
        stateBudgetFunded: false,
        focalPoints: [{ fullName: 'Đầu Mối', position: 'Kỹ sư', phone: '0912345678', email: 'bench@benchtel.example' }],
      });
      writeFile(file, people, lines);
      // Baseline: the same file read and parsed by the same code, nothing written.
      let t = performance.now();
      let parsed = 0;
      const now = new Date().toISOString();
      for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) if (parseJsonLine(text, now).ok) parsed++;
      const baseline = (performance.now() - t) / 1000;
      // How long the event loop waits while the import runs: what any other request on this process would.
      const batchLines = Number(process.env.DANCU_BENCH_SUBSCRIBER_BATCH ?? OFFLINE_IMPORT_BATCH_LINES);
      rt.store.checkpointInBackground(); // as `dancu subscribers import` and a server run
      const delay = monitorEventLoopDelay({ resolution: 10 });
      delay.enable();
      t = performance.now();
      // CPU of the whole process (every thread: a parsing worker, the WAL checkpointer) and of the main thread alone.
      const cpu = process.cpuUsage();
      const mainCpu = process.threadCpuUsage();
      const io = processIo();
      const report = await importSubscriberLinks(rt.ctx, { operator: 'BENCHTEL', importKey: 'bench', format: 'ndjson', input: createReadStream(file), batchLines });
      const secs = (performance.now() - t) / 1000;
      const cpuSecs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;
      const processCpu = cpuSecs(process.cpuUsage(cpu));
      const threadCpu = cpuSecs(process.threadCpuUsage(mainCpu));
      const ioAfter = processIo();
      delay.disable();
      const ms = (ns: number) => (ns / 1e6).toFixed(0);
      const linked = await countLinkedNumbers(rt.store.db);
      const floorStore = await freshStore(o.kind, o.root, o.pgAdmin, 'subscribers_floor');
      const floor = await writerFloor(floorStore.url, people, lines, batchLines).finally(() => floorStore.drop());
      const target = o.kind === 'sqlite' ? ' (target ≥ 100,000 on SQLite)' : '';
      return [
        `${o.kind}: subscriber import ${int(lines)} NDJSON lines over ${int(peopleCount)} citizens in ${secs.toFixed(1)} s — ${int(lines / secs)} lines/s${target}; ` +
          `${int(report.applied)} applied, ${int(report.rejected)} rejected, ${int(linked)} numbers linked, each a link event with its log leaf; batches of ${int(batchLines)} lines`,
        `${o.kind}: subscriber import CPU ${processCpu.toFixed(1)} s for the process (${int(lines / processCpu)} lines per CPU-second), ${threadCpu.toFixed(1)} s on the main thread`,
        ...(io && ioAfter
          ? [`${o.kind}: subscriber import I/O of the process (/proc/self/io: files and sockets, every thread): ${int((ioAfter.wchar - io.wchar) / lines)} bytes written and ${int((ioAfter.rchar - io.rchar) / lines)} read per line`]
          : []),
        `${o.kind}: subscriber import event-loop delay (monitorEventLoopDelay, 10 ms resolution) p50 ${ms(delay.percentile(50))} ms, p99 ${ms(delay.percentile(99))} ms, max ${ms(delay.max)} ms`,
        `${o.kind}: subscriber writer floor, the same lines' rows (event, leaf with its digest, owner, record) written by the import's writeBatch in the same batches, nothing read, parsed or decided: ` +
          `${floor.seconds.toFixed(1)} s — ${int(lines / floor.seconds)} lines/s, ${((floor.mainCpuSeconds * 1e6) / lines).toFixed(1)} µs of main-thread CPU a line (import at ${((lines / secs) / (lines / floor.seconds)).toFixed(2)} of it; ` +
          `the import's main thread: ${((threadCpu * 1e6) / lines).toFixed(1)} µs a line)`,
        `${o.kind}: subscriber baseline read + parse + validate the same file, nothing written: ${baseline.toFixed(1)} s — ${int(parsed / baseline)} lines/s (import at ${((lines / secs) / (parsed / baseline)).toFixed(2)} of it)`,
      ];
    } finally {
      await rt.close();
    }
  } finally {
    rmSync(file, { force: true });
    rmSync(dataDir, { recursive: true, force: true });
    await drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const kinds = process.argv[2] ? [process.argv[2]] : ['sqlite', 'postgres'];
  const root = new URL('..', import.meta.url).pathname;
  for (const kind of kinds) console.log((await subscriberBench({ kind, root, pgAdmin: process.env.DANCU_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' })).join('\n'));
}
