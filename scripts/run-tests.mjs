#!/usr/bin/env node
/**
 * The test command: pure tests once, then every store-backed test against SQLite and against
 * PostgreSQL (each run on its own databases, created and dropped). If PostgreSQL is unreachable,
 * its half is skipped with a loud message — except under CI=true, where that fails the run.
 * Ends with one line "N passed, N failed, N skipped".
 *   npm test                      everything
 *   npm test -- test/http         only files under these paths
 *   DANCU_TEST_STORES=sqlite npm test
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import pg from 'pg';

// The suite runs on the Node 24 that npm ci installs (npm puts it first on PATH for npm test).
if (Number(process.versions.node.split('.')[0]) < 24) {
  console.error(`npm test needs Node.js 24 or later (this is v${process.versions.node}): run npm ci first, which installs it, or put a Node 24 first on PATH.`);
  process.exit(1);
}

const ROOT = new URL('..', import.meta.url).pathname;
/** Folders whose tests need no store: run once. */
const PURE = ['test/domain', 'test/generator', 'test/documents', 'test/transparency', 'test/witness', 'test/web'];
const PG_URL = process.env.DANCU_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CI = process.env.CI === 'true';

function collect(path) {
  const abs = join(ROOT, path);
  if (!existsSync(abs)) return [];
  if (statSync(abs).isFile()) return abs.endsWith('.test.ts') ? [relative(ROOT, abs)] : [];
  return readdirSync(abs, { recursive: true })
    .filter((f) => String(f).endsWith('.test.ts'))
    .map((f) => relative(ROOT, join(abs, String(f))))
    .sort();
}

const args = process.argv.slice(2);
const all = (args.length ? args : ['test']).flatMap(collect);
const isPure = (f) => PURE.some((p) => f.startsWith(p + '/'));
const pureFiles = all.filter(isPure);
const storeFiles = all.filter((f) => !isPure(f));
const stores = (process.env.DANCU_TEST_STORES ?? 'sqlite,postgres').split(',').filter(Boolean);

const totals = { pass: 0, fail: 0, skipped: 0 };
const reportDir = mkdtempSync(join(tmpdir(), 'dancu-test-report-'));
let runs = 0;

function run(label, files, env) {
  if (files.length === 0) return;
  console.log(`\n=== ${label}: ${files.length} test files ===`);
  const tap = join(reportDir, `run-${runs++}.tap`);
  const r = spawnSync(
    process.execPath,
    [
      '--import', 'tsx', '--test', '--test-concurrency=2',
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      '--test-reporter=tap', `--test-reporter-destination=${tap}`,
      ...files,
    ],
    { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } },
  );
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  totals.pass += count('pass');
  totals.fail += count('fail') + (r.status !== 0 && count('fail') === 0 ? 1 : 0);
  totals.skipped += count('skipped');
}

async function postgresReachable() {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch (e) {
    return e;
  }
}

function prepareTemplate(kind) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/prepare-test-template.ts', kind], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    throw new Error(`could not prepare the ${kind} test template`);
  }
  return r.stdout.trim();
}

async function dropPgTemplate(name) {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`drop database if exists ${name} with (force)`);
  await c.end();
}

run('pure tests', pureFiles, {});

for (const store of stores) {
  if (storeFiles.length === 0) break;
  if (store === 'postgres') {
    const ok = await postgresReachable();
    if (ok !== true) {
      const msg = `PostgreSQL at ${PG_URL.replace(/\/\/[^@]*@/, '//')} is unreachable (${ok.message})`;
      if (CI) {
        console.error(`\n!!! ${msg}: CI requires both stores — failing.\n`);
        totals.fail += 1;
        continue;
      }
      console.error(`\n${'!'.repeat(72)}\n!!! ${msg}.\n!!! SKIPPING the PostgreSQL half of the suite. Set DANCU_TEST_PG_URL to run it.\n${'!'.repeat(72)}\n`);
      continue;
    }
    const template = prepareTemplate('postgres');
    try {
      run('store tests on PostgreSQL', storeFiles, { DANCU_TEST_STORE: 'postgres', DANCU_TEST_PG_TEMPLATE: template });
    } finally {
      await dropPgTemplate(template);
    }
  } else {
    const template = prepareTemplate('sqlite');
    try {
      run('store tests on SQLite', storeFiles, { DANCU_TEST_STORE: 'sqlite', DANCU_TEST_SQLITE_TEMPLATE: template });
    } finally {
      rmSync(join(template, '..'), { recursive: true, force: true });
    }
  }
}

rmSync(reportDir, { recursive: true, force: true });
console.log(`\n${totals.pass} passed, ${totals.fail} failed, ${totals.skipped} skipped`);
process.exit(totals.fail > 0 || totals.pass === 0 ? 1 : 0);
