/**
 * The store a test file runs against: DANCU_TEST_STORE=sqlite (a fresh file in a temp directory)
 * or postgres (a fresh database on DANCU_TEST_PG_URL, default postgres://postgres@127.0.0.1:5432,
 * created here and dropped when the test file ends).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openRuntime, type Runtime, type RuntimeOptions } from '../../src/services/runtime.js';
import type { Clock } from '../../src/services/clock.js';

export const TEST_STORE = (process.env.DANCU_TEST_STORE ?? 'sqlite') as 'sqlite' | 'postgres';
export const PG_ADMIN_URL = process.env.DANCU_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

function withDatabase(adminUrl: string, name: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A new database (or SQLite file) for one test file: migrated when the runner prepared a template, unless `empty`. */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  if (TEST_STORE === 'postgres') {
    const name = `dancu_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    // Created from the migrated template when the runner prepared one (much faster than migrating).
    const template = options.empty ? undefined : process.env.DANCU_TEST_PG_TEMPLATE;
    await admin.query(`create database ${name}${template ? ` template ${template}` : ''}`);
    await admin.end();
    return {
      url: withDatabase(PG_ADMIN_URL, name),
      drop: async () => {
        const c = new pg.Client({ connectionString: PG_ADMIN_URL });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'dancu-test-'));
  const template = options.empty ? undefined : process.env.DANCU_TEST_SQLITE_TEMPLATE;
  const file = join(dir, 'dancu.sqlite');
  if (template) {
    const { copyFileSync } = await import('node:fs');
    copyFileSync(template, file);
  }
  return { url: `sqlite:${file}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestRuntime extends Runtime {
  /** Where the store is: another runtime (a second server process) may open it too. */
  databaseUrl: string;
  dataDir: string;
  dropDatabase(): Promise<void>;
}

/** A migrated runtime on a fresh database; call `dropDatabase` in `after`. */
export async function openTestRuntime(clock?: Clock, options: Pick<RuntimeOptions, 'cpu'> = {}): Promise<TestRuntime> {
  const database = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'dancu-data-'));
  const runtime = await openRuntime({ ...options, databaseUrl: database.url, dataDir, clock, pgPoolSize: 4 });
  return {
    ...runtime,
    databaseUrl: database.url,
    dataDir,
    dropDatabase: async () => {
      await runtime.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
