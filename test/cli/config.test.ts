/** Configuration from the environment: defaults, parsing, and refusals of values that make no sense. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  test('with nothing set: SQLite under ./data, port 3000, the demo, one server process', () => {
    const c = loadConfig({});
    assert.deepEqual([c.databaseUrl, c.port, c.demoCitizens, c.workers, c.pgPoolSize], ['sqlite:./data/dancu.sqlite', 3000, 100_000, 1, 10]);
  });

  test('DANCU_WORKERS sets the number of server processes', () => {
    assert.equal(loadConfig({ DANCU_WORKERS: '4' }).workers, 4);
  });

  test('refuses a worker count below 1 and numbers that are not whole', () => {
    assert.throws(() => loadConfig({ DANCU_WORKERS: '0' }), /DANCU_WORKERS must be at least 1/);
    assert.throws(() => loadConfig({ DANCU_WORKERS: '1.5' }), /DANCU_WORKERS must be a non-negative integer/);
    assert.throws(() => loadConfig({ PORT: 'eighty' }), /PORT must be a non-negative integer/);
  });
});
