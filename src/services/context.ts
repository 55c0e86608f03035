/** What every use case receives: the store, the clock, the categories and a source of randomness. */
import { randomInt } from 'node:crypto';
import type { Store } from '../store/connect.js';
import type { Clock } from './clock.js';
import type { CategoryLookup } from '../domain/citizen/validate.js';
import type { ChangeSource } from '../domain/citizen/history.js';
import { vietnamCalendar, type HolidayCalendar } from '../domain/residence/holidays.js';
import { createCpuWork, type CpuWork } from './workers/cpu.js';
import { createRecorder, type Recorder } from './accountability/recorder.js';
import { withRecording } from './accountability/recording-store.js';

// Callers outside services (http, cli) hold the store only to hand it back to services.
export type { Store };

// 'citizen': a principal bound to one personal ID (principal.personal_id), calling only the citizen
// routes (/me/…, /data-tracker/…); never in READERS or WRITERS (decision 0032).
// 'agency': a person administering one agency's connections (principal.unit holds the agency code),
// calling only /my-agency/… for that agency (decision 0046).
export type Role = 'officer' | 'admin' | 'inspector' | 'citizen' | 'agency';
export const ROLES: readonly Role[] = ['officer', 'admin', 'inspector', 'citizen', 'agency'];

/** Who is acting: an authenticated principal, or the system itself (seeding, migrations). */
export interface Actor {
  principalId: string;
  role: Role | 'system';
}

export interface ServiceContext {
  store: Store;
  clock: Clock;
  categories: CategoryLookup;
  /** Uniform integer in [0, max): the random part of new personal IDs. Injected for tests. */
  randomInt(max: number): number;
  /** Public holidays and weekend working days, for deadlines in working days. */
  calendar: HolidayCalendar;
  /** CPU-heavy work (image decoding, PDF rendering) in worker threads, off the event loop. */
  cpu: CpuWork;
  /** The one recording mechanism: every use of citizens' data and every refusal (decision 0027). */
  recorder: Recorder;
}

/** The built-in calendar: statutory holidays for the years the lunar table covers (decision 0010). */
export const DEFAULT_CALENDAR: HolidayCalendar = vietnamCalendar(2020, 2035);

export function createContext(store: Store, clock: Clock, categories: CategoryLookup, calendar: HolidayCalendar = DEFAULT_CALENDAR, cpu: CpuWork = createCpuWork()): ServiceContext {
  const recorder = createRecorder(store);
  // Transactions carry the request's record: a change and the entry of who made it commit together.
  return { store: withRecording(store, recorder), clock, categories, randomInt: (max) => randomInt(max), calendar, cpu, recorder };
}

/** Provenance of a change, as the caller states it. */
export interface ChangeInput {
  reason?: string;
  legalBasis?: string;
  source?: ChangeSource;
}
