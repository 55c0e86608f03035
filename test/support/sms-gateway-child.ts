/**
 * A server process's SMS gateway alone, for the kill -9 test: opens the store at DANCU_DATABASE_URL,
 * binds to DANCU_SMPP_URL and sends the outbox until killed. Prints "bound" once bound.
 */
import { openRuntime } from '../../src/services/runtime.js';
import { startSmsGateway } from '../../src/channels/sms/gateway.js';
import { parseSmppUrls } from '../../src/channels/sms/smpp-url.js';

const rt = await openRuntime({ databaseUrl: process.env.DANCU_DATABASE_URL!, dataDir: process.env.DANCU_DATA_DIR!, pgPoolSize: 4 });
const gateway = startSmsGateway({
  store: rt.store,
  endpoints: parseSmppUrls(process.env.DANCU_SMPP_URL),
  pollMs: 20,
  leaseMs: Number(process.env.LEASE_MS ?? 1000),
  retryBaseMs: 50,
  retryMaxMs: 200,
  timings: { backoffBaseMs: 50, backoffMaxMs: 200 },
  log: () => undefined,
});
await gateway.whenBound(20_000);
process.stdout.write('bound\n');
process.once('SIGTERM', () => void gateway.close().then(() => rt.close()).then(() => process.exit(0)));
