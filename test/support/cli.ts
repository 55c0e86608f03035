/**
 * Running the `dancu` command line in tests: the real entry point (src/cli/main.ts through tsx) in a
 * child process, against the test's store and data directory given in `env`.
 */
import { spawnSync } from 'node:child_process';

const ROOT = new URL('../..', import.meta.url).pathname;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `dancu <args>` with these variables on top of the test process's own (LOG_LEVEL warn unless given). */
export function runDancu(args: readonly string[], env: Record<string, string>): CliResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
