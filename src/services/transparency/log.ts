/**
 * The transparency log of a running registry: its key and origin, the witnesses it is configured
 * with, and — in server processes — the sequencer and the witness pushers. One per store; routes
 * and receipts find it by the store (`transparencyLogOf`), so nothing else has to carry it.
 */
import type { Store } from '../../store/connect.js';
import type { Clock } from '../clock.js';
import { loadLogKey, type LogKey, type LogKeyConfig } from './log-key.js';
import { startSequencer, type Sequencer, type SequencerOptions } from './sequencer.js';
import { startWitnessPusher, type Witness, type WitnessPusher } from './witness-push.js';

export interface TransparencyLogConfig extends LogKeyConfig {
  witnesses?: readonly Witness[];
  /** The time budget of each sequencer batch (DANCU_LOG_BATCH_BUDGET_MS; sequencer.ts's default otherwise). */
  batchBudgetMs?: number;
}

export interface TransparencyLog {
  readonly key: LogKey;
  readonly witnesses: readonly Witness[];
  /** Starts this process's sequencer and witness pushers (server processes); idempotent. */
  startSequencer(options?: Omit<SequencerOptions, 'onCheckpoint'>): Sequencer;
  readonly sequencer: Sequencer | undefined;
  /** Resolves when every witness push queued so far is done (tests). */
  witnessesIdle(): Promise<void>;
  close(): Promise<void>;
}

const logs = new WeakMap<Store, TransparencyLog>();

/** Never the error's values (a store error may quote a key, i.e. a personal ID): its code, or our own message. */
function reportToStderr(e: unknown): void {
  process.stderr.write(`transparency log: ${(e as { code?: string }).code ?? (e instanceof Error ? e.message : 'failed')}; retrying\n`);
}

/** The log opened on this store, if any. */
export function transparencyLogOf(store: Store): TransparencyLog | undefined {
  return logs.get(store);
}

export async function openTransparencyLog(ctx: { store: Store; clock: Clock }, config: TransparencyLogConfig): Promise<TransparencyLog> {
  const key = await loadLogKey(ctx.store, config);
  const witnesses = [...(config.witnesses ?? [])];
  let sequencer: Sequencer | undefined;
  let pushers: WitnessPusher[] = [];
  const log: TransparencyLog = {
    key,
    witnesses,
    get sequencer() {
      return sequencer;
    },
    startSequencer(options = { onError: reportToStderr }) {
      if (sequencer) return sequencer;
      pushers = witnesses.map((w) => startWitnessPusher(ctx, w, options.onError ? { onError: options.onError } : {}));
      const budget = options.budgetMs ?? config.batchBudgetMs;
      sequencer = startSequencer(ctx, key, { ...options, ...(budget ? { budgetMs: budget } : {}), onCheckpoint: (cp) => pushers.forEach((p) => p.push(cp)) });
      return sequencer;
    },
    witnessesIdle: async () => {
      await Promise.all(pushers.map((p) => p.idle()));
    },
    close: async () => {
      await sequencer?.stop();
      await Promise.all(pushers.map((p) => p.stop()));
      if (logs.get(ctx.store) === log) logs.delete(ctx.store);
    },
  };
  logs.set(ctx.store, log);
  return log;
}
