#!/usr/bin/env node
/**
 * npm run fuzz: the fuzz test (test/http/fuzz.test.ts) with 100,000 cases per route on each store
 * (decision 0021). It ends, like npm test, with "N passed, N failed, N skipped"; the fuzz test
 * prints how many requests it sent and the statuses they got.
 *   DANCU_FUZZ_RUNS=100000        cases per route
 *   DANCU_FUZZ_SEED=n             replay a run (fast-check seed)
 *   DANCU_TEST_STORES=sqlite      one store only (default: sqlite,postgres)
 */
import { spawnSync } from 'node:child_process';

const runs = process.env.DANCU_FUZZ_RUNS ?? '100000';
if (!/^[1-9]\d*$/.test(runs)) {
  console.error(`DANCU_FUZZ_RUNS must be a positive whole number (got "${runs}")`);
  process.exit(1);
}
const r = spawnSync(process.execPath, [new URL('./run-tests.mjs', import.meta.url).pathname, 'test/http/fuzz.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, DANCU_FUZZ_RUNS: runs },
});
process.exit(r.status ?? 1);
