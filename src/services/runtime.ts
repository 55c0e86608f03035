/** Opens everything a running registry needs: the store (migrated), the categories, the context. */
import { migrateToLatest, openStore, type Store } from '../store/connect.js';
import { loadCatalogue, type CategoryCatalogue } from './categories.js';
import { readFileSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import { Type } from '@sinclair/typebox';
import { FullDate } from '../domain/citizen/citizen.js';
import { adjustCalendar, type HolidayCalendar } from '../domain/residence/holidays.js';
import { createContext, DEFAULT_CALENDAR, type ServiceContext } from './context.js';
import { systemClock, type Clock } from './clock.js';
import { loadSigningKeys, type SigningKeys } from './signing-keys.js';
import { createCpuWork, type CpuLimits } from './workers/cpu.js';
import { loadResidencePolicyFile, setResidencePolicy } from './residence/policy.js';
import { openTransparencyLog, type TransparencyLog } from './transparency/log.js';
import type { Witness } from './transparency/witness-push.js';

export interface Runtime {
  store: Store;
  catalogue: CategoryCatalogue;
  ctx: ServiceContext;
  keys: SigningKeys;
  /** The transparency log: its key, witnesses and (in server processes) its sequencer. */
  log: TransparencyLog;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  databaseUrl: string;
  /** Where local files live (the certificate signing key unless keyFile is given). */
  dataDir: string;
  signingKeyFile?: string;
  pgPoolSize?: number;
  clock?: Clock;
  /** A JSON file of calendar adjustments (DANCU_HOLIDAYS_FILE), or the calendar itself (tests). */
  holidaysFile?: string;
  calendar?: HolidayCalendar;
  /** A JSON file of residence policy (DANCU_RESIDENCE_POLICY_FILE); the law's defaults without it. */
  residencePolicyFile?: string;
  /** Limits of the worker pool for CPU-heavy work (DANCU_CPU_*, DANCU_IMAGE_MAX_PIXELS). */
  cpu?: Partial<CpuLimits>;
  /** The transparency log's key file (DANCU_LOG_KEY_FILE), origin (DANCU_LOG_ORIGIN), witnesses (DANCU_WITNESSES). */
  logKeyFile?: string;
  logOrigin?: string;
  witnesses?: readonly Witness[];
  /** The time budget of one sequencer batch (DANCU_LOG_BATCH_BUDGET_MS). */
  logBatchBudgetMs?: number;
  /** The public URL, whose host names the log when no origin is configured. */
  publicUrl?: string;
  /** Run the sequencer and witness pushers in this process (server processes do). */
  sequencer?: boolean;
}

/** `dancu migrate`: the store at `databaseUrl` brought to the latest migration; the migrations applied. */
export async function migrateStore(databaseUrl: string): Promise<string[]> {
  const store = openStore({ url: databaseUrl });
  try {
    return await migrateToLatest(store);
  } finally {
    await store.close();
  }
}

export async function openRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const store = openStore({ url: opts.databaseUrl, poolSize: opts.pgPoolSize });
  try {
    await migrateToLatest(store);
    const catalogue = await loadCatalogue(store);
    const clock = opts.clock ?? systemClock;
    const calendar = opts.calendar ?? (opts.holidaysFile ? loadCalendarFile(opts.holidaysFile) : DEFAULT_CALENDAR);
    const policy = opts.residencePolicyFile ? loadResidencePolicyFile(opts.residencePolicyFile) : undefined;
    const ctx = createContext(store, clock, catalogue.lookup, calendar, createCpuWork(opts.cpu));
    if (policy) setResidencePolicy(ctx, policy);
    const keys = await loadSigningKeys(store, clock, { dataDir: opts.dataDir, ...(opts.signingKeyFile ? { keyFile: opts.signingKeyFile } : {}) });
    const log = await openTransparencyLog(ctx, {
      dataDir: opts.dataDir,
      ...(opts.logKeyFile ? { keyFile: opts.logKeyFile } : {}),
      ...(opts.logOrigin ? { origin: opts.logOrigin } : {}),
      ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}),
      ...(opts.witnesses ? { witnesses: opts.witnesses } : {}),
      ...(opts.logBatchBudgetMs ? { batchBudgetMs: opts.logBatchBudgetMs } : {}),
    });
    if (opts.sequencer) log.startSequencer();
    return {
      store,
      catalogue,
      ctx,
      keys,
      log,
      close: async () => {
        keys.stop();
        await log.close();
        await ctx.cpu.close();
        await store.close();
      },
    };
  } catch (e) {
    await store.close();
    throw e;
  }
}

/** The runtime as configured by the environment (the CLI's and the server's way in). */
export function runtimeOptionsOf(config: {
  databaseUrl: string;
  dataDir: string;
  signingKeyFile?: string;
  pgPoolSize?: number;
  holidaysFile?: string;
  residencePolicyFile?: string;
  cpu?: Partial<CpuLimits>;
  logKeyFile?: string;
  logOrigin?: string;
  witnesses?: readonly Witness[];
  logBatchBudgetMs?: number;
  publicUrl?: string;
}): RuntimeOptions {
  return {
    databaseUrl: config.databaseUrl,
    ...(config.logKeyFile ? { logKeyFile: config.logKeyFile } : {}),
    ...(config.logOrigin ? { logOrigin: config.logOrigin } : {}),
    ...(config.witnesses?.length ? { witnesses: config.witnesses } : {}),
    ...(config.logBatchBudgetMs ? { logBatchBudgetMs: config.logBatchBudgetMs } : {}),
    ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
    ...(config.cpu ? { cpu: config.cpu } : {}),
    dataDir: config.dataDir,
    pgPoolSize: config.pgPoolSize,
    ...(config.signingKeyFile ? { signingKeyFile: config.signingKeyFile } : {}),
    ...(config.holidaysFile ? { holidaysFile: config.holidaysFile } : {}),
    ...(config.residencePolicyFile ? { residencePolicyFile: config.residencePolicyFile } : {}),
  };
}

const CalendarFile = Type.Object(
  {
    addHolidays: Type.Optional(Type.Array(FullDate)),
    removeHolidays: Type.Optional(Type.Array(FullDate)),
    extraWorkingDays: Type.Optional(Type.Array(FullDate)),
  },
  { additionalProperties: false },
);

/** The built-in calendar adjusted by the year's decisions; a malformed file stops start-up. */
export function loadCalendarFile(path: string): HolidayCalendar {
  const data: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!Value.Check(CalendarFile, data)) throw new Error(`${path}: expected {addHolidays?, removeHolidays?, extraWorkingDays?} of YYYY-MM-DD days`);
  return adjustCalendar(DEFAULT_CALENDAR, data);
}
