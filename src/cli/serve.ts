/**
 * `dancu serve`: migrate, seed the demo population if needed, and serve HTTP — in this process,
 * or with `--workers N` in N worker processes on the same port (see cluster.ts).
 */
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { buildApp, type AppOptions } from '../http/app.js';
import { openRuntime, runtimeOptionsOf, type Runtime } from '../services/runtime.js';
import { createExchangeMetrics } from '../services/exchange/metrics.js';
import type { Config } from '../config.js';
import { demoSearchPath, ensureDemoPopulation, ensureDemoToken } from './demo.js';
import { ensureDemoAdminToken, ensureDemoConsent, ensureDemoExchange } from './demo-exchange.js';
import { demoSubscriberCounts, ensureDemoSubscribers } from './demo-subscribers.js';
import { firstCitizen } from '../services/citizens/read.js';
import { startWorkers, workerSide } from './cluster.js';
import { reconcileUsageOnStart } from '../services/exchange/usage.js';
import { VERSION } from './version.js';
import { startSmsService, type SmsService } from './sms-wiring.js';
import { demoPortalRoutes, ensureDemoCitizen, ensureDemoRelyingParty } from './demo-portal.js';

const baseUrlOf = (config: Config) => `${config.tls ? 'https' : 'http'}://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${config.port}`;
const publicUrlOf = (config: Config) => config.publicUrl ?? baseUrlOf(config);

/** The HTTP app on a runtime, as every serving process builds it. */
function appOn(rt: Runtime, config: Config, peers: Pick<AppOptions, 'metrics' | 'peerMetrics'> = {}) {
  return buildApp({
    ctx: rt.ctx,
    catalogue: rt.catalogue,
    keys: rt.keys,
    version: VERSION,
    logLevel: config.logLevel,
    publicUrl: publicUrlOf(config),
    anomalyRule: config.anomalyRule,
    rateLimits: config.rateLimits,
    processes: config.workers,
    trustProxy: config.trustProxy,
    auth: config.auth,
    subscriberUpload: config.subscriberUpload,
    // The OpenID Connect provider (decision 0043); its keys live in the data directory.
    oidc: { dataDir: config.dataDir },
    // The demo's public-service portal (a relying party reaching dancu over HTTP like any other).
    ...(config.demoCitizens > 0 ? { extraRoutes: demoPortalRoutes(config.dataDir, publicUrlOf(config)) } : {}),
    ...(config.webDir ? { webDir: config.webDir } : {}),
    ...(config.tls ? { tls: { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) } } : {}),
    ...peers,
  });
}

/** Closes the server and the store on SIGINT / SIGTERM (and, in a worker, when the primary is gone). */
function stopOnSignals(stop: () => Promise<void>): void {
  let stopping: Promise<void> | undefined;
  const once = () => {
    stopping ??= stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', once);
  process.once('SIGTERM', once);
  if (cluster.isWorker) process.once('disconnect', once);
}

async function serveAsWorker(config: Config): Promise<void> {
  // Every serving process runs the log's sequencer; one at a time integrates (decision 0029).
  const rt = await openRuntime({ ...runtimeOptionsOf(config), publicUrl: publicUrlOf(config), sequencer: true });
  // Each process checkpoints from its own thread; concurrent passive checkpoints just skip.
  rt.store.checkpointInBackground();
  const metrics = createExchangeMetrics();
  const side = workerSide(metrics);
  const app = await appOn(rt, config, { metrics, peerMetrics: side.peerMetrics });
  await app.listen({ host: config.host, port: config.port });
  stopOnSignals(async () => {
    await app.close();
    await rt.close();
  });
  side.listening();
}

export async function serve(config: Config): Promise<void> {
  if (cluster.isWorker) return serveAsWorker(config);
  const rt = await openRuntime({ ...runtimeOptionsOf(config), publicUrl: publicUrlOf(config) });
  process.stderr.write(`dancu ${VERSION} — store: ${rt.store.kind} (${rt.store.location})\n`);
  const demo = await ensureDemoPopulation(rt, config.demoCitizens, config.demoSeed);
  const token = config.demoCitizens > 0 ? await ensureDemoToken(rt, config.dataDir) : undefined;
  const base = baseUrlOf(config);
  const exchange = token ? await ensureDemoExchange(rt, config.dataDir, publicUrlOf(config)) : undefined;
  const adminToken = token ? await ensureDemoAdminToken(rt, config.dataDir) : undefined;
  // The demo operator's subscriber list: the numbers the SMS service answers (decision 0039).
  const demoNumber = token ? await ensureDemoSubscribers(rt, config.dataDir) : undefined;
  const linked = token ? await demoSubscriberCounts(rt) : undefined;
  const lines = [
    '',
    `dancu is running on ${base}${config.workers > 1 ? ` (${config.workers} server processes)` : ''}`,
    `  Web portal          ${base}/   (Vietnamese; English by the switch)`,
    `  API documentation   ${base}/docs`,
    `  OpenAPI document    ${base}/openapi.json`,
    `  Health              ${base}/health`,
  ];
  if (token) {
    lines.push(
      `  Demo population     ${demo === 'skipped' ? 'off' : `${config.demoCitizens.toLocaleString('en')} synthetic citizens (seed ${config.demoSeed})`}`,
      `  Demo officer token  ${token}`,
      `  Demo admin token    ${adminToken}`,
      `  Demo subscribers    ${linked ? `${linked.applied.toLocaleString('en')} numbers linked by the demo operator DEMO-TELECOM; one to text from: ${demoNumber ?? '-'}` : 'none'}`,
      // Officers say why they read a citizen's data (X-Purpose); the read is recorded with it.
      `  Try:  curl -H "Authorization: Bearer ${token}" -H "X-Purpose: demo" "${base}${await demoSearchPath(rt)}"`,
    );
    const someone = await firstCitizen(rt.store);
    if (someone) lines.push(`  Household:  curl -H "Authorization: Bearer ${token}" -H "X-Purpose: demo" ${base}/citizens/${someone.personalId}/household`);
    if (exchange && someone) {
      // The demo bank needs this citizen's consent (decision 0044): given for the demo.
      await ensureDemoConsent(rt, exchange.client.clientId, someone.personalId);
      lines.push(`  Demo agency client  node --import tsx examples/agency-client.ts ${someone.personalId} ${config.dataDir}   (keys in ${exchange.dir}; this citizen consented to DEMO-BANK for the demo)`);
    }
  }

  if (token) {
    const portal = await ensureDemoRelyingParty(rt, config.dataDir, publicUrlOf(config));
    const citizen = portal ? await ensureDemoCitizen(rt, config.dataDir, config.auth.scryptLogN) : undefined;
    if (portal && citizen) {
      lines.push(
        `  Demo portal         ${publicUrlOf(config)}/demo-portal   (a public-service portal signing in through dancu's OpenID Connect provider, ${publicUrlOf(config)}/oidc)`,
        `    sign in as        personal ID ${citizen.personalId}, password "${citizen.password}" (level-2 e-ID account)`,
        `    the SMS code      npx dancu sms receive --to ${citizen.phone}`,
      );
    }
  }

  // Usage counters left ahead by calls a crash cut short are set right from the access log: once,
  // here in the primary, before any process serves (decision 0036).
  await reconcileUsageOnStart(rt.ctx);

  // The citizens' SMS service: one gateway, in this (primary) process (decision 0041).
  const sms = await startSmsService(rt, { smppUrls: config.smppUrls, demo: token !== undefined, dataDir: config.dataDir, perNumberPerMinute: config.smsPerNumberPerMinute, ...(demoNumber ? { demoNumber: async () => demoNumber } : {}) });
  if (sms) lines.push(...sms.lines);

  if (config.workers > 1) {
    // The workers open the store themselves; the primary only hands out connections (and runs the
    // SMS gateway, when there is one, on its own store connection).
    if (!sms) await rt.close();
    const pool = await startWorkers(config.workers, (line) => process.stderr.write(`${line}\n`));
    process.stderr.write(`${lines.join('\n')}\n\n`);
    stopOnSignals(async () => {
      await pool.stop();
      if (sms) await closeSms(sms, rt);
    });
    return;
  }
  // Serving from here on: SQLite checkpoints leave the event loop (after the demo's bulk load).
  rt.store.checkpointInBackground();
  rt.log.startSequencer();
  const app = await appOn(rt, config);
  await app.listen({ host: config.host, port: config.port });
  process.stderr.write(`${lines.join('\n')}\n\n`);
  stopOnSignals(async () => {
    await app.close();
    await sms?.close();
    await rt.close();
  });
}

async function closeSms(sms: SmsService, rt: Runtime): Promise<void> {
  await sms.close();
  await rt.close();
}
