/**
 * npm run crash-test — the long crash drill (issue 12 item 8): on each store, `dancu serve` is
 * killed with SIGKILL at random moments under concurrent mixed writes, restarted, and checked:
 * every acknowledged write present, every invariant held. Prints the figures; exits 1 on any loss.
 *   npm run crash-test                      50 kills per store, SQLite and PostgreSQL
 *   npm run crash-test -- --kills 10 --stores sqlite
 * PostgreSQL: a fresh database on DANCU_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432),
 * dropped at the end; the server itself is never restarted. Needs Node 24 (npm puts it on PATH).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { runDrill, type DrillResult } from '../test/crash/drill.js';

const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '50' },
    stores: { type: 'string', default: 'sqlite,postgres' },
    concurrency: { type: 'string', default: '8' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log('npm run crash-test -- [--kills N (50)] [--stores sqlite,postgres] [--concurrency N (8)]');
  process.exit(0);
}
const kills = Number(values.kills);
if (!Number.isInteger(kills) || kills < 1) throw new Error('--kills takes a positive integer');
const PG_URL = process.env.DANCU_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function onStore(store: string): Promise<DrillResult> {
  const dataDir = mkdtempSync(join(tmpdir(), `dancu-crash-${store}-`));
  let databaseUrl = `sqlite:${join(dataDir, 'dancu.sqlite')}`;
  let drop = async () => undefined as void;
  if (store === 'postgres') {
    const name = `dancu_crash_${process.pid}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(PG_URL);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
    drop = async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  }
  try {
    return await runDrill({ databaseUrl, dataDir, kills, concurrency: Number(values.concurrency), log: (l) => console.log(`[${store}] ${l}`) });
  } finally {
    await drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

let failed = false;
const summary: string[] = [];
for (const store of values.stores!.split(',').filter(Boolean)) {
  const started = Date.now();
  const r = await onStore(store);
  const acknowledged = Object.values(r.acknowledged).reduce((a, b) => a + b, 0);
  const line = `${store}: ${r.kills} kills, ${acknowledged} writes acknowledged (${Object.entries(r.acknowledged).map(([k, n]) => `${k} ${n}`).join(', ')}), lost: ${r.lost.length}, invariant violations: ${r.violations.length}, 5xx other than 503: ${r.refusedWith5xx}, ${Math.round((Date.now() - started) / 1000)} s`;
  summary.push(line);
  for (const l of [...r.lost, ...r.violations].slice(0, 20)) console.error(`[${store}] ${l}`);
  if (r.lost.length || r.violations.length || r.refusedWith5xx) failed = true;
}
console.log(`\n${summary.join('\n')}`);
process.exit(failed ? 1 : 0);
