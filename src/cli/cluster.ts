/**
 * The HTTP server as several processes on one port (`dancu serve --workers N`, Node's cluster: the
 * primary hands connections to its workers in turn). Any worker can answer any request, because
 * everything a request depends on — tokens, connection states, policies, usage counters for the
 * limits — is read from the store on every call. The one thing a process keeps for itself, its
 * exchange metrics, is summed on request: a worker asked for /metrics collects its peers'
 * snapshots through the primary.
 */
import cluster, { type Worker } from 'node:cluster';
import type { ExchangeMetrics, MetricsSnapshot } from '../services/exchange/metrics.js';

type Message =
  | { dancu: 'listening' }
  /** worker → primary: send me the other workers' snapshots */
  | { dancu: 'metrics-request'; id: number }
  /** primary → worker: your snapshot, please */
  | { dancu: 'metrics-snapshot-request'; id: number }
  | { dancu: 'metrics-snapshot'; id: number; snapshot: MetricsSnapshot }
  | { dancu: 'metrics-response'; id: number; snapshots: MetricsSnapshot[] };

const isMessage = (m: unknown): m is Message => typeof m === 'object' && m !== null && typeof (m as { dancu?: unknown }).dancu === 'string';

/** A peer that does not answer within this long is left out of the figures, not waited for. */
const SNAPSHOT_TIMEOUT_MS = 2000;
/** A worker that died is replaced after this pause (no busy loop if it dies at once again). */
const RESTART_DELAY_MS = 1000;
const STOP_TIMEOUT_MS = 10_000;

export interface WorkerPool {
  readonly size: number;
  /** Asks every worker to finish its requests and close; resolves when all have exited. */
  stop(): Promise<void>;
}

/**
 * In the primary: forks `count` workers (they run the same command) and resolves once all listen.
 * A worker that dies while serving is replaced; one that dies before it listens fails the start.
 */
export function startWorkers(count: number, log: (line: string) => void): Promise<WorkerPool> {
  let stopping = false;
  let started = false;
  let relayIds = 0;
  const relays = new Map<number, { asker: Worker; askerId: number; waiting: Set<number>; snapshots: MetricsSnapshot[]; timer: NodeJS.Timeout }>();

  const finishRelay = (relayId: number) => {
    const r = relays.get(relayId);
    if (!r) return;
    relays.delete(relayId);
    clearTimeout(r.timer);
    if (r.asker.isConnected()) r.asker.send({ dancu: 'metrics-response', id: r.askerId, snapshots: r.snapshots } satisfies Message);
  };

  const onMessage = (worker: Worker, m: unknown, onListening: () => void) => {
    if (!isMessage(m)) return;
    if (m.dancu === 'listening') onListening();
    else if (m.dancu === 'metrics-request') {
      const peers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && w.id !== worker.id && w.isConnected());
      const relayId = ++relayIds;
      relays.set(relayId, { asker: worker, askerId: m.id, waiting: new Set(peers.map((w) => w.id)), snapshots: [], timer: setTimeout(() => finishRelay(relayId), SNAPSHOT_TIMEOUT_MS) });
      for (const w of peers) w.send({ dancu: 'metrics-snapshot-request', id: relayId } satisfies Message);
      if (peers.length === 0) finishRelay(relayId);
    } else if (m.dancu === 'metrics-snapshot') {
      const r = relays.get(m.id);
      if (!r) return;
      r.snapshots.push(m.snapshot);
      r.waiting.delete(worker.id);
      if (r.waiting.size === 0) finishRelay(m.id);
    }
  };

  return new Promise((resolve, reject) => {
    let listening = 0;
    const fork = () => {
      const worker = cluster.fork();
      let ready = false;
      worker.on('message', (m: unknown) =>
        onMessage(worker, m, () => {
          ready = true;
          if (!started && ++listening === count) {
            started = true;
            resolve(pool);
          }
        }),
      );
      worker.on('exit', (code, signal) => {
        for (const [id, r] of relays) if (r.waiting.delete(worker.id) && r.waiting.size === 0) finishRelay(id);
        if (stopping) return;
        if (!started && !ready) {
          stopping = true;
          for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
          reject(new Error(`a server worker exited before listening (${signal ?? `code ${code}`})`));
          return;
        }
        log(`server worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting another`);
        setTimeout(() => !stopping && fork(), RESTART_DELAY_MS).unref();
      });
    };
    const pool: WorkerPool = {
      size: count,
      async stop() {
        stopping = true;
        const live = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && !w.isDead());
        await Promise.all(
          live.map(
            (w) =>
              new Promise<void>((done) => {
                const kill = setTimeout(() => w.process.kill('SIGKILL'), STOP_TIMEOUT_MS);
                w.once('exit', () => {
                  clearTimeout(kill);
                  done();
                });
                w.process.kill('SIGTERM');
              }),
          ),
        );
      },
    };
    for (let i = 0; i < count; i++) fork();
  });
}

/** In a worker: the app's view of its peers (their metrics), and the signal that it listens. */
export function workerSide(metrics: ExchangeMetrics): { peerMetrics: () => Promise<MetricsSnapshot[]>; listening(): void } {
  let ids = 0;
  const waiting = new Map<number, (snapshots: MetricsSnapshot[]) => void>();
  process.on('message', (m: unknown) => {
    if (!isMessage(m)) return;
    if (m.dancu === 'metrics-snapshot-request') process.send?.({ dancu: 'metrics-snapshot', id: m.id, snapshot: metrics.snapshot() } satisfies Message);
    else if (m.dancu === 'metrics-response') waiting.get(m.id)?.(m.snapshots);
  });
  return {
    peerMetrics: () =>
      new Promise((resolve) => {
        const id = ++ids;
        const timer = setTimeout(() => {
          waiting.delete(id);
          resolve([]);
        }, SNAPSHOT_TIMEOUT_MS + 500);
        waiting.set(id, (snapshots) => {
          clearTimeout(timer);
          waiting.delete(id);
          resolve(snapshots);
        });
        process.send?.({ dancu: 'metrics-request', id } satisfies Message);
      }),
    listening: () => process.send?.({ dancu: 'listening' } satisfies Message),
  };
}
