/**
 * The server process of the benchmark: the real app on the given store (recording every use, the
 * transparency log's sequencer running in each process), plus the baseline route
 * (a constant object through the same Fastify instance, hooks and logger settings), served by
 * <workers> processes on one port as `dancu serve --workers` does (see src/cli/cluster.ts).
 *   node --import tsx bench/server.ts <databaseUrl> <port> <workers>
 */
import cluster from 'node:cluster';
import { buildApp } from '../src/http/app.js';
import { openRuntime } from '../src/services/runtime.js';
import { createExchangeMetrics } from '../src/services/exchange/metrics.js';
import { startWorkers, workerSide } from '../src/cli/cluster.js';

const [url, port, workers] = process.argv.slice(2);
const runtimeOptions = { databaseUrl: url!, dataDir: '.bench/data', pgPoolSize: 16, publicUrl: `http://127.0.0.1:${port}` };

if (cluster.isPrimary && Number(workers ?? 1) > 1) {
  // Migrated (and its keys written) once here, as `dancu serve` does before its workers: workers
  // migrating a fresh store at the same time fail (SQLite: "table already exists", duplicate rows).
  await (await openRuntime(runtimeOptions)).close();
  const pool = await startWorkers(Number(workers), (line) => process.stderr.write(`${line}\n`));
  process.stdout.write('ready\n');
  process.on('SIGTERM', async () => {
    await pool.stop();
    process.exit(0);
  });
} else {
  // Every serving process runs the transparency log's sequencer, as `dancu serve` does.
  const rt = await openRuntime({ ...runtimeOptions, sequencer: true });
  rt.store.checkpointInBackground();
  const metrics = createExchangeMetrics();
  const side = cluster.isWorker ? workerSide(metrics) : undefined;
  const app = await buildApp({
    ctx: rt.ctx,
    catalogue: rt.catalogue,
    keys: rt.keys,
    publicUrl: `http://127.0.0.1:${port}`,
    version: 'bench',
    logLevel: 'warn',
    // A load test is exactly the jump in volume the anomaly rule suspends a connection for.
    anomalyRule: { multiple: 5, minimumCalls: Number.MAX_SAFE_INTEGER, baselineHours: 1, minimumHistoryHours: 1 },
    // ... and one address sending thousands of requests a second is what the abuse limits refuse.
    rateLimits: { anonymous: 0, verification: 0, token: 0, authFailures: 0 },
    metrics,
    ...(side ? { peerMetrics: side.peerMetrics } : {}),
    extraRoutes: (a) => {
      a.get('/bench/bare', { config: { public: true }, schema: { hide: true } }, async () => ({ ok: true, name: 'baseline', n: 1 }));
    },
  });
  await app.listen({ host: '127.0.0.1', port: Number(port) });
  if (side) side.listening();
  else process.stdout.write('ready\n');
  process.on('SIGTERM', async () => {
    await app.close();
    await rt.close();
    process.exit(0);
  });
}
