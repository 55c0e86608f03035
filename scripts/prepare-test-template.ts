/**
 * Creates a migrated template store for the test run, so each test file copies it instead of
 * migrating again. Prints the template's name (PostgreSQL) or path (SQLite) on stdout.
 *   node --import tsx scripts/prepare-test-template.ts sqlite|postgres
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrateToLatest, openStore } from '../src/store/connect.js';

const kind = process.argv[2];
const adminUrl = process.env.DANCU_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

if (kind === 'postgres') {
  const name = `dancu_test_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const store = openStore({ url: u.toString(), poolSize: 1 });
  await migrateToLatest(store);
  await store.close();
  process.stdout.write(name);
} else {
  const file = join(mkdtempSync(join(tmpdir(), 'dancu-template-')), 'template.sqlite');
  const store = openStore({ url: `sqlite:${file}` });
  await migrateToLatest(store);
  // Fold the WAL into the main file so a plain copy is complete.
  store.driver.sqlite?.pragma('wal_checkpoint(TRUNCATE)');
  store.driver.sqlite?.setPragma('journal_mode', 'DELETE');
  await store.close();
  process.stdout.write(file);
}
