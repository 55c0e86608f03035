/** Opens everything a running registry needs: the store (migrated), the categories, the context. */
import { migrateToLatest, openStore, type Store } from '../store/connect.js';
import { loadCatalogue, type CategoryCatalogue } from './categories.js';
import { createContext, type ServiceContext } from './context.js';
import { systemClock, type Clock } from './clock.js';
import { loadSigningKeys, type SigningKeys } from './signing-keys.js';

export interface Runtime {
  store: Store;
  catalogue: CategoryCatalogue;
  ctx: ServiceContext;
  keys: SigningKeys;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  databaseUrl: string;
  /** Where local files live (the certificate signing key unless keyFile is given). */
  dataDir: string;
  signingKeyFile?: string;
  pgPoolSize?: number;
  clock?: Clock;
}

export async function openRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const store = openStore({ url: opts.databaseUrl, poolSize: opts.pgPoolSize });
  try {
    await migrateToLatest(store);
    const catalogue = await loadCatalogue(store);
    const clock = opts.clock ?? systemClock;
    const ctx = createContext(store, clock, catalogue.lookup);
    const keys = await loadSigningKeys(store, clock, { dataDir: opts.dataDir, ...(opts.signingKeyFile ? { keyFile: opts.signingKeyFile } : {}) });
    return { store, catalogue, ctx, keys, close: () => store.close() };
  } catch (e) {
    await store.close();
    throw e;
  }
}

/** The runtime as configured by the environment (the CLI's and the server's way in). */
export function runtimeOptionsOf(config: { databaseUrl: string; dataDir: string; signingKeyFile?: string; pgPoolSize?: number }): RuntimeOptions {
  return {
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    pgPoolSize: config.pgPoolSize,
    ...(config.signingKeyFile ? { signingKeyFile: config.signingKeyFile } : {}),
  };
}
