/** What every CLI command that works on the registry shares: the runtime and the acting principal. */
import { loadConfig } from '../../config.js';
import { openRuntime, runtimeOptionsOf, type Runtime } from '../../services/runtime.js';

/** The CLI acts as the operator running it, recorded as such in the history. */
export const CLI_ACTOR = { principalId: 'cli', role: 'admin' as const };

export async function withRuntime<T>(fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const rt = await openRuntime(runtimeOptionsOf(loadConfig()));
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}
