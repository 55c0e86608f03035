/** `dancu serve`: migrate, seed the demo population if needed, and serve HTTP. */
import { buildApp } from '../http/app.js';
import { openRuntime, runtimeOptionsOf } from '../services/runtime.js';
import type { Config } from '../config.js';
import { demoSearchPath, ensureDemoPopulation, ensureDemoToken } from './demo.js';
import { ensureDemoAdminToken, ensureDemoExchange } from './demo-exchange.js';
import { findFirstCitizen } from '../store/repositories/citizens.js';
import { VERSION } from './version.js';

export async function serve(config: Config): Promise<void> {
  const rt = await openRuntime(runtimeOptionsOf(config));
  process.stderr.write(`dancu ${VERSION} — store: ${rt.store.kind} (${rt.store.location})\n`);
  const demo = await ensureDemoPopulation(rt, config.demoCitizens, config.demoSeed);
  // Serving from here on: SQLite checkpoints leave the event loop (after the demo's bulk load).
  rt.store.checkpointInBackground();
  const token = config.demoCitizens > 0 ? await ensureDemoToken(rt, config.dataDir) : undefined;
  const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const base = `http://${shown}:${config.port}`;
  const publicUrl = config.publicUrl ?? base;
  const exchange = token ? await ensureDemoExchange(rt, config.dataDir, publicUrl) : undefined;
  const adminToken = token ? await ensureDemoAdminToken(rt, config.dataDir) : undefined;
  const app = await buildApp({ ctx: rt.ctx, catalogue: rt.catalogue, keys: rt.keys, version: VERSION, logLevel: config.logLevel, publicUrl, anomalyRule: config.anomalyRule });
  await app.listen({ host: config.host, port: config.port });
  const lines = [
    '',
    `dancu is running on ${base}`,
    `  API documentation   ${base}/docs`,
    `  OpenAPI document    ${base}/openapi.json`,
    `  Health              ${base}/health`,
  ];
  if (token) {
    lines.push(
      `  Demo population     ${demo === 'skipped' ? 'off' : `${config.demoCitizens.toLocaleString('en')} synthetic citizens (seed ${config.demoSeed})`}`,
      `  Demo officer token  ${token}`,
      `  Demo admin token    ${adminToken}`,
      `  Try:  curl -H "Authorization: Bearer ${token}" "${base}${await demoSearchPath(rt)}"`,
    );
    const someone = await findFirstCitizen(rt.store.db);
    if (someone) lines.push(`  Household:  curl -H "Authorization: Bearer ${token}" ${base}/citizens/${someone.personalId}/household`);
    if (exchange && someone) {
      lines.push(`  Demo agency client  node --import tsx examples/agency-client.ts ${someone.personalId}   (keys in ${exchange.dir})`);
    }
  }
  process.stderr.write(`${lines.join('\n')}\n\n`);
  const stop = async () => {
    await app.close();
    await rt.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
