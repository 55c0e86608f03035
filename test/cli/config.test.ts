/** Configuration from the environment: defaults, parsing, and refusals of values that make no sense. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';

const ROOT = new URL('../..', import.meta.url).pathname;

describe('loadConfig', () => {
  test('with nothing set: SQLite under ./data/sqlite, port 3000, the demo, one server process', () => {
    const c = loadConfig({});
    assert.deepEqual([c.databaseUrl, c.dataDir, c.port, c.demoCitizens, c.workers, c.pgPoolSize], ['sqlite:./data/sqlite/dancu.sqlite', './data/sqlite', 3000, 100_000, 1, 10]);
  });

  test('each store has its own data directory by default, so PostgreSQL never overwrites the SQLite demo files', () => {
    const sqlite = loadConfig({});
    const pg = loadConfig({ DANCU_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/dancu' });
    const pg2 = loadConfig({ DANCU_DATABASE_URL: 'postgresql://u:secret@db.example:5432/registry_b' });
    assert.equal(pg.dataDir, './data/postgres-dancu');
    assert.equal(pg2.dataDir, './data/postgres-registry_b');
    assert.equal(new Set([sqlite.dataDir, pg.dataDir, pg2.dataDir]).size, 3);
    // No database in the URL: pg connects to the database named like the user.
    assert.equal(loadConfig({ DANCU_DATABASE_URL: 'postgres://alice@127.0.0.1' }).dataDir, './data/postgres-alice');
    // A database name never escapes ./data.
    assert.equal(loadConfig({ DANCU_DATABASE_URL: 'postgres://u@h/..%2Fetc' }).dataDir, './data/postgres-.._etc');
    // A SQLite file elsewhere keeps the SQLite data directory.
    assert.equal(loadConfig({ DANCU_DATABASE_URL: 'sqlite:/srv/dancu.sqlite' }).dataDir, './data/sqlite');
  });

  test('DANCU_DATA_DIR, when set, is used for every store', () => {
    assert.deepEqual(
      [loadConfig({ DANCU_DATA_DIR: '/var/lib/dancu' }).databaseUrl, loadConfig({ DANCU_DATA_DIR: '/var/lib/dancu', DANCU_DATABASE_URL: 'postgres://p@h/db' }).dataDir],
      ['sqlite:/var/lib/dancu/dancu.sqlite', '/var/lib/dancu'],
    );
  });

  test('refuses a database URL with an unknown scheme, naming the ones allowed, without echoing the URL', () => {
    for (const url of ['mysql://root:hunter2@127.0.0.1/dancu', 'mariadb://x', 'file:./x.db', 'http://example.org/db', 'postgres:dancu', 'SQLITE:x.db']) {
      assert.throws(
        () => loadConfig({ DANCU_DATABASE_URL: url }),
        (err: Error) => /unsupported scheme/.test(err.message) && /postgres:\/\//.test(err.message) && /sqlite:/.test(err.message) && !err.message.includes('hunter2'),
        url,
      );
      assert.throws(() => loadConfig({ DANCU_DATABASE_URL: url, DANCU_DATA_DIR: '/tmp/x' }), /unsupported scheme/, url);
    }
    for (const url of ['postgres://u@h/db', 'postgresql://u@h/db', 'sqlite:./a.sqlite', './a.sqlite', '/abs/a.sqlite', 'a.sqlite', 'C:\\dancu\\a.sqlite', 'sqlite::memory:']) {
      assert.equal(loadConfig({ DANCU_DATABASE_URL: url }).databaseUrl, url);
    }
  });

  test('DANCU_WORKERS sets the number of server processes', () => {
    assert.equal(loadConfig({ DANCU_WORKERS: '4' }).workers, 4);
  });

  test('DANCU_LOG_BATCH_BUDGET_MS: the sequencer\'s time budget per batch, 500 ms by default, at least 1', () => {
    assert.equal(loadConfig({}).logBatchBudgetMs, 500);
    assert.equal(loadConfig({ DANCU_LOG_BATCH_BUDGET_MS: '250' }).logBatchBudgetMs, 250);
    for (const bad of ['0', '-5', '1.5', 'soon']) assert.throws(() => loadConfig({ DANCU_LOG_BATCH_BUDGET_MS: bad }), /DANCU_LOG_BATCH_BUDGET_MS/);
  });

  test('refuses a worker count below 1 and numbers that are not whole', () => {
    assert.throws(() => loadConfig({ DANCU_WORKERS: '0' }), /DANCU_WORKERS must be at least 1/);
    assert.throws(() => loadConfig({ DANCU_WORKERS: '1.5' }), /DANCU_WORKERS must be a non-negative integer/);
    assert.throws(() => loadConfig({ PORT: 'eighty' }), /PORT must be a non-negative integer/);
  });
});

describe('dancu with an unknown database scheme', () => {
  test('exits with the message and creates nothing (no SQLite file named "mysql:")', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'dancu-scheme-'));
    try {
      const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), join(ROOT, 'src/cli/main.ts'), 'migrate'], {
        cwd,
        encoding: 'utf8',
        env: { ...process.env, DANCU_DATABASE_URL: 'mysql://root@127.0.0.1/dancu', DANCU_DATA_DIR: '', LOG_LEVEL: 'warn' },
      });
      assert.equal(r.status, 1);
      assert.match(r.stderr, /unsupported scheme "mysql:"/);
      assert.deepEqual(readdirSync(cwd), []);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
