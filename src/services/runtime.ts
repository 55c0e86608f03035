/** Opens everything a running registry needs: the store (migrated), the categories, the context. */
import { migrateToLatest, openStore, type Store } from '../store/connect.js';
import { loadCatalogue, type CategoryCatalogue } from './categories.js';
import { createContext, type ServiceContext } from './context.js';
import { systemClock, type Clock } from './clock.js';

export interface Runtime {
  store: Store;
  catalogue: CategoryCatalogue;
  ctx: ServiceContext;
  close(): Promise<void>;
}

export async function openRuntime(opts: { databaseUrl: string; pgPoolSize?: number; clock?: Clock }): Promise<Runtime> {
  const store = openStore({ url: opts.databaseUrl, poolSize: opts.pgPoolSize });
  try {
    await migrateToLatest(store);
    const catalogue = await loadCatalogue(store);
    const ctx = createContext(store, opts.clock ?? systemClock, catalogue.lookup);
    return { store, catalogue, ctx, close: () => store.close() };
  } catch (e) {
    await store.close();
    throw e;
  }
}
