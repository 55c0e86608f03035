/** What every CLI command that works on the registry shares: the runtime and the acting principal. */
import { userInfo } from 'node:os';
import { loadConfig } from '../../config.js';
import { openRuntime, runtimeOptionsOf, type Runtime } from '../../services/runtime.js';

/** The operator running the CLI, as recorded: `cli:` and the OS account (the CLI has no other sign-in). */
export function cliPrincipalId(): string {
  let name: string | undefined;
  try {
    name = userInfo().username;
  } catch {
    // No passwd entry for this uid (some containers): the environment, then the uid.
  }
  name ||= process.env.USER || process.env.LOGNAME || `uid${process.getuid?.() ?? ''}`;
  return `cli:${name}`.slice(0, 64);
}

/** The CLI acts as the operator running it, recorded as such in the history and the access log. */
export const CLI_ACTOR = { principalId: cliPrincipalId(), role: 'admin' as const };

export async function withRuntime<T>(fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const rt = await openRuntime(runtimeOptionsOf(loadConfig()));
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}
