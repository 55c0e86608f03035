/**
 * The server process of the benchmark: the real app on the given store, plus the baseline route
 * (a constant object through the same Fastify instance, hooks and logger settings).
 *   node --import tsx bench/server.ts <databaseUrl> <port>
 */
import { buildApp } from '../src/http/app.js';
import { openRuntime } from '../src/services/runtime.js';

const [url, port] = process.argv.slice(2);
const rt = await openRuntime({ databaseUrl: url!, dataDir: '.bench/data', pgPoolSize: 16 });
rt.store.checkpointInBackground();
const app = await buildApp({
  ctx: rt.ctx,
  catalogue: rt.catalogue,
  keys: rt.keys,
  publicUrl: `http://127.0.0.1:${port}`,
  version: 'bench',
  logLevel: 'warn',
  // A load test is exactly the jump in volume the anomaly rule suspends a connection for.
  anomalyRule: { multiple: 5, minimumCalls: Number.MAX_SAFE_INTEGER, baselineHours: 1 },
  extraRoutes: (a) => {
    a.get('/bench/bare', { config: { public: true }, schema: { hide: true } }, async () => ({ ok: true, name: 'baseline', n: 1 }));
  },
});
await app.listen({ host: '127.0.0.1', port: Number(port) });
process.stdout.write('ready\n');
process.on('SIGTERM', async () => {
  await app.close();
  await rt.close();
  process.exit(0);
});
