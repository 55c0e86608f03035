/**
 * The citizens' SMS service end to end (issue 14 item 9): SMS requests answered per second through a
 * local test SMSC — a handset texts "CN", the gateway stores it, the handler reads the citizen,
 * records the use and queues the reply in one transaction, the gateway submits it, the handset gets it
 * (reassembled: two UCS-2 parts) and acknowledges, and the receipt comes back to the gateway. Beside
 * it, in the same run, the baseline: the same handsets, SMSC and ESME client with an ESME that echoes
 * each message straight back (no store, no dancu work). DANCU_BENCH_SMS_HANDSETS handsets (default 32)
 * each ask again as soon as answered, for DANCU_BENCH_SECONDS; rounds alternate baseline and service.
 * The server side runs in its own process (bench/sms-server.ts): its CPU time per answered request is
 * read from /proc. Run alone: `npx tsx bench/sms.ts [sqlite|postgres]`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openRuntime } from '../src/services/runtime.js';
import { seedPopulation } from '../src/services/seed.js';
import { systemClock } from '../src/services/clock.js';
import { registerAgency } from '../src/services/exchange/agencies.js';
import { submitSubscriberLink } from '../src/services/subscribers/index.js';
import { startTestSmsc } from '../src/channels/sms/test-smsc.js';
import { connectHandset, type Handset } from '../src/channels/sms/test-handset.js';
import { freshStore } from './fresh-store.js';

export interface SmsBenchOptions {
  kind: string;
  root: string;
  pgAdmin: string;
  seconds?: number;
  rounds?: number;
  handsets?: number;
}

interface Round {
  answered: number;
  /** Requests not answered within 30 s (the loop goes on; a late reply then counts for the next request). */
  late: number;
  perSecond: number;
  p99Ms: number;
  cpuUsPerRequest?: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const int = (n: number) => Math.round(n).toLocaleString('en');


/** CPU seconds used so far by a process (Linux /proc; undefined elsewhere). */
function cpuSecondsOf(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

function startServer(mode: 'dancu' | 'echo', env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'sms-server.ts')], { env: { ...process.env, ...env, SMS_BENCH_MODE: mode }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`sms bench: the ${mode} server did not bind`)), 60_000);
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('ready')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => reject(new Error(`sms bench: the ${mode} server exited (${code})`)));
  });
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/** Every handset asks, waits for its answer, asks again, for `seconds`. */
async function closedLoop(handsets: Handset[], seconds: number, server: ChildProcess): Promise<Round> {
  const latencies: number[] = [];
  let late = 0;
  const end = Date.now() + seconds * 1000;
  const cpu0 = cpuSecondsOf(server.pid);
  await Promise.all(
    handsets.map(async (h) => {
      while (Date.now() < end) {
        const t0 = performance.now();
        await h.send('CN');
        const got = await h.nextMessage(30_000).then(
          () => true,
          () => false,
        );
        if (got) latencies.push(performance.now() - t0);
        else late++;
      }
    }),
  );
  const cpu1 = cpuSecondsOf(server.pid);
  const answered = latencies.length;
  return {
    answered,
    late,
    perSecond: answered / seconds,
    p99Ms: [...latencies].sort((a, b) => a - b)[Math.floor(answered * 0.99)] ?? 0,
    ...(cpu0 !== undefined && cpu1 !== undefined && answered > 0 ? { cpuUsPerRequest: ((cpu1 - cpu0) * 1e6) / answered } : {}),
  };
}

export async function smsBench(o: SmsBenchOptions): Promise<string[]> {
  const seconds = o.seconds ?? Number(process.env.DANCU_BENCH_SECONDS ?? 10);
  const rounds = o.rounds ?? Number(process.env.DANCU_BENCH_ROUNDS ?? 3);
  const count = o.handsets ?? Number(process.env.DANCU_BENCH_SMS_HANDSETS ?? 32);
  if (count <= 0) return [];
  mkdirSync(join(o.root, '.bench'), { recursive: true });
  const dataDir = join(o.root, '.bench', `data-sms-${o.kind}`);
  rmSync(dataDir, { recursive: true, force: true });
  const store = await freshStore(o.kind, o.root, o.pgAdmin, 'sms');
  const smsc = await startTestSmsc({ host: '127.0.0.1', port: 0, systemId: 'dancu', password: 'bench' });
  const handsets: Handset[] = [];
  try {
    // A small population (the answer is one citizen's record) with a number linked to each asker.
    const rt = await openRuntime({ databaseUrl: store.url, dataDir, clock: systemClock });
    try {
      await seedPopulation(rt.store, rt.catalogue.categories, rt.ctx.clock, { seed: 42, count: Math.max(1000, count * 4) });
      const people = (await rt.store.db.selectFrom('citizen').select('personal_id').orderBy('personal_id').limit(count).execute()).map((r) => r.personal_id);
      await registerAgency(rt.ctx, { code: 'BENCHTEL', name: 'Nhà mạng thử', type: 'telecom_operator', stateBudgetFunded: false, focalPoints: [{ fullName: 'Đầu Mối', position: 'Trưởng phòng', phone: '0912345678', email: 'focal@benchtel.example' }] });
      for (const [i, personalId] of people.entries()) {
        await submitSubscriberLink(rt.ctx, 'BENCHTEL', { recordId: `B-${i}`, action: 'link', number: `+8496${String(i).padStart(7, '0')}`, personalId, confirmedAt: '2026-01-01T00:00:00Z' });
      }
    } finally {
      await rt.close();
    }
    for (let i = 0; i < count; i++) handsets.push(await connectHandset(smsc.url, `+8496${String(i).padStart(7, '0')}`));
    const env = { SMS_BENCH_SMSC_URL: smsc.url, SMS_BENCH_DATABASE_URL: store.url, SMS_BENCH_DATA_DIR: dataDir };
    const service: Round[] = [];
    const baseline: Round[] = [];
    for (let r = 0; r < rounds; r++) {
      for (const mode of ['echo', 'dancu'] as const) {
        const server = await startServer(mode, env);
        try {
          (mode === 'echo' ? baseline : service).push(await closedLoop(handsets, seconds, server));
        } finally {
          await stopServer(server);
        }
      }
    }
    const line = (rs: Round[]) => {
      const cpu = rs.map((x) => x.cpuUsPerRequest).filter((x): x is number => x !== undefined);
      const late = rs.reduce((n, x) => n + x.late, 0);
      return `${int(median(rs.map((x) => x.perSecond)))}/s, p99 ${int(median(rs.map((x) => x.p99Ms)))} ms${cpu.length ? `, server CPU ${int(median(cpu))} µs/request` : ''}${late ? `, ${late} not answered within 30 s` : ''}`;
    };
    const ratio = median(service.map((x, i) => x.perSecond / baseline[i]!.perSecond));
    return [
      `${o.kind}: SMS answered end to end    ${line(service)} (${count} handsets; ratio to baseline ${ratio.toFixed(2)})`,
      `${o.kind}: SMS baseline (echo ESME)   ${line(baseline)}`,
    ];
  } finally {
    for (const h of handsets) await h.close().catch(() => undefined);
    await smsc.close();
    await store.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const kind = process.argv[2] ?? 'sqlite';
  const lines = await smsBench({ kind, root: new URL('..', import.meta.url).pathname, pgAdmin: process.env.DANCU_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
  process.stdout.write(`${lines.join('\n')}\n`);
}
