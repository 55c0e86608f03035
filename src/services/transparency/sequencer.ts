/**
 * The sequencer (decision 0029): writers only commit pending leaves beside their rows; this
 * integrates them into the tree. In one transaction, under the log's lock, it takes pending leaves
 * in leaf_id order, gives them the next indexes, extends the tiles, and signs the checkpoint of the
 * new size — so a signed size always has its tiles and indexes, and two checkpoints are never
 * inconsistent, across server processes and restarts (the right edge of the tree is read back from
 * the stored tiles and checked against the stored root before anything is signed over it).
 *
 * It runs in every server process; PostgreSQL lets one process at a time through (the others skip
 * their tick), SQLite's one writer lock does the same.
 */
import { CompactRange } from '../../transparency/tree.js';
import { formatCheckpoint } from '../../transparency/checkpoint.js';
import { leafHash, type Hash } from '../../transparency/hash.js';
import { formatLeafData } from '../../transparency/leaf.js';
import { signNote } from '../../transparency/note.js';
import { buildTiles, hashReaderFromTiles, rightEdgeTiles } from '../../transparency/tiles.js';
import type { Store } from '../../store/connect.js';
import {
  assignIndexes,
  hasPendingLeaves,
  insertCheckpoint,
  lockLogState,
  pendingLeaves,
  readTile,
  updateLogState,
  writeTiles,
  type StoredCheckpoint,
} from '../../store/repositories/transparency-log.js';
import type { Clock } from '../clock.js';
import type { LogKey } from './log-key.js';

/** Leaves integrated per transaction at most: a quarter second's worth at the target rate. */
export const DEFAULT_BATCH = 16_384;
/**
 * The ticking sequencer sizes its batches so that one transaction takes about this long: on SQLite
 * it holds the process's one connection (requests wait behind it), and every batch signs a
 * checkpoint, so a slow machine gets smaller batches and still a checkpoint well within a second.
 */
export const TARGET_TRANSACTION_MS = 100;
const MIN_BATCH = 256;
/** How often each process looks for pending leaves (a checkpoint at least every second while leaves arrive). */
export const DEFAULT_INTERVAL_MS = 200;

export interface IntegrationResult {
  /** True when another process held the lock (nothing done here). */
  skipped: boolean;
  /** Leaves integrated by this call. */
  integrated: number;
  /** The checkpoint signed by this call, if any. */
  checkpoint?: StoredCheckpoint;
  /** The tree size after this call (as far as this call saw it). */
  size: number;
}

const tileKey = (level: number, index: number) => `${level}/${index}`;

/**
 * Integrates up to `batch` pending leaves in one transaction and signs the new checkpoint; signs
 * the empty tree's checkpoint when the log has none yet. Does nothing when no leaf is pending.
 */
export async function integratePending(ctx: { store: Store; clock: Clock }, key: LogKey, options: { batch?: number } = {}): Promise<IntegrationResult> {
  const batch = options.batch ?? DEFAULT_BATCH;
  return ctx.store.transaction(async (tx) => {
    const state = await lockLogState(tx);
    if (!state) return { skipped: true, integrated: 0, size: -1 };
    if (state.origin !== null && state.origin !== key.origin) {
      throw new Error(`the log was signed as "${state.origin}", not "${key.origin}"`);
    }
    const leaves = await pendingLeaves(tx, batch);
    // Once signed (the origin is stored with the first checkpoint), an empty batch signs nothing.
    if (leaves.length === 0 && state.origin !== null) {
      return { skipped: false, integrated: 0, size: state.size };
    }

    // The right edge of the stored tree: one partial tile per level.
    const tiles = new Map<string, Buffer>();
    for (const t of rightEdgeTiles(state.size)) {
      const stored = await readTile(tx, t.level, t.index);
      if (stored) tiles.set(tileKey(t.level, t.index), stored);
    }
    const fromTiles = hashReaderFromTiles((level, index) => tiles.get(tileKey(level, index)));
    const range = await CompactRange.fromReader(state.size, fromTiles);
    if (range.root().toString('base64') !== state.root) {
      throw new Error(`the stored tiles do not give the signed root at size ${state.size}: refusing to sign over them`);
    }

    const hashes: Hash[] = leaves.map((l) => leafHash(formatLeafData(l)));
    const changed = buildTiles(state.size, hashes, (level, index) => tiles.get(tileKey(level, index)));
    for (const h of hashes) range.append(h);
    const size = state.size + leaves.length;
    const root = range.root();
    // The new tiles must give the same root as the appended range: what is served is what is signed.
    for (const t of changed) tiles.set(tileKey(t.level, t.index), t.hashes);
    const check = await CompactRange.fromReader(size, hashReaderFromTiles((level, index) => tiles.get(tileKey(level, index))));
    if (!check.root().equals(root)) throw new Error('the tiles built do not give the appended root');

    await assignIndexes(tx, leaves, state.size);
    await writeTiles(tx, changed);
    const signedAt = ctx.clock.now().toISOString();
    const note = signNote(formatCheckpoint({ origin: key.origin, size, rootHash: root }), [key.signer]);
    const checkpoint: StoredCheckpoint = { size, root: root.toString('base64'), note, signedAt };
    await insertCheckpoint(tx, checkpoint);
    await updateLogState(tx, { size, root: checkpoint.root, origin: key.origin }, signedAt);
    return { skipped: false, integrated: leaves.length, checkpoint, size };
  });
}

export interface SequencerOptions {
  batch?: number;
  intervalMs?: number;
  /** After each checkpoint this process signed and committed (the witness pusher listens). */
  onCheckpoint?: (checkpoint: StoredCheckpoint) => void;
  /** A failed tick (store away, …): the next tick tries again. */
  onError?: (error: unknown) => void;
}

export interface Sequencer {
  /** Runs a tick now (or waits for the one running) — tests and shutdown. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the ticking sequencer of this process. */
export function startSequencer(ctx: { store: Store; clock: Clock }, key: LogKey, options: SequencerOptions = {}): Sequencer {
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const maxBatch = options.batch ?? DEFAULT_BATCH;
  let batch = Math.min(maxBatch, 4096);
  let running: Promise<void> | undefined;
  let stopped = false;
  let signedOnce = false;

  const tick = async (): Promise<void> => {
    // A cheap read first, so idle processes never take the write lock.
    if (signedOnce && !(await hasPendingLeaves(ctx.store.db))) return;
    for (;;) {
      const started = performance.now();
      const r = await integratePending(ctx, key, { batch });
      if (r.skipped) return;
      signedOnce = true;
      if (r.checkpoint) options.onCheckpoint?.(r.checkpoint);
      const full = r.integrated === batch;
      const took = performance.now() - started;
      if (took > TARGET_TRANSACTION_MS) batch = Math.max(MIN_BATCH, Math.floor(batch / 2));
      else if (full && took < TARGET_TRANSACTION_MS / 2) batch = Math.min(maxBatch, batch * 2);
      // A full batch means more may wait: go on after letting requests in (each batch signs its checkpoint).
      if (!full || stopped) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const run = (): Promise<void> =>
    (running ??= tick()
      .catch((e: unknown) => options.onError?.(e))
      .finally(() => {
        running = undefined;
      }));
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  void run();
  return {
    flush: async () => {
      await running;
      await run();
    },
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
