/**
 * The sequencer (decision 0029): writers only commit pending leaves beside their rows; this
 * integrates them into the tree. In one transaction, under the log's lock, it takes pending leaves
 * in leaf_id order, gives them the next indexes, extends the tiles, and signs the checkpoint of the
 * new size — so a signed size always has its tiles and indexes, and two checkpoints are never
 * inconsistent, across server processes and restarts (the right edge of the tree is read back from
 * the stored tiles and checked against the stored root before anything is signed over it). The
 * database is not trusted alone: the last checkpoint the key signed is kept in a file beside the
 * key (signed-state.ts), written before each commit, and nothing is signed unless the database's
 * tree reaches it — so a restored or lagging database never makes the key sign a fork.
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
import { LogBehindSignedState, readSignedState, writeSignedState, type SignedState } from './signed-state.js';

/** Leaves integrated per transaction at most: a quarter second's worth at the target rate. */
export const DEFAULT_BATCH = 16_384;
/**
 * The ticking sequencer sizes its batches so that one transaction takes about this long: on SQLite
 * it holds the process's one connection (requests wait behind it), and every batch signs a
 * checkpoint, so a slow machine gets smaller batches and still a checkpoint well within a second.
 */
export const TARGET_TRANSACTION_MS = 100;
const MIN_BATCH = 256;
/**
 * A batch is cut when it would run past this many milliseconds (from the start of its transaction,
 * by the context's clock): the indexes are assigned chunk by chunk and no chunk is started that
 * would, at the pace of those before it, end past the budget. So a backlog is worked off in
 * checkpoints about this far apart whatever the store's speed (DANCU_LOG_BATCH_BUDGET_MS).
 */
export const DEFAULT_BUDGET_MS = 500;
/** Leaves read, hashed, added to the tiles and given their indexes (a statement each on PostgreSQL) between two looks at the clock. */
const CHUNK = 1024;
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
  /** True when this call stopped with leaves maybe still pending: the batch was full or cut by time. */
  more?: boolean;
}

const tileKey = (level: number, index: number) => `${level}/${index}`;

/**
 * Integrates up to `batch` pending leaves in one transaction and signs the new checkpoint; signs
 * the empty tree's checkpoint when the log has none yet. Does nothing when no leaf is pending.
 */
export interface IntegrateOptions {
  batch?: number;
  /** The time budget of the batch (ms; DEFAULT_BUDGET_MS): a batch that would take longer is cut. */
  budgetMs?: number;
  /** Tests: runs after the signed-state file is written, before the transaction commits. */
  beforeCommit?: () => void | Promise<void>;
}

/**
 * Integrates up to `batch` pending leaves in one transaction and signs the new checkpoint; signs
 * the empty tree's checkpoint when the log has none yet. Does nothing when no leaf is pending.
 * Throws LogBehindSignedState, signing nothing, when the database's tree does not reach the last
 * checkpoint the key signed (the file beside the key): restored, lagging or another database.
 */
export async function integratePending(ctx: { store: Store; clock: Clock }, key: LogKey, options: IntegrateOptions = {}): Promise<IntegrationResult> {
  const batch = options.batch ?? DEFAULT_BATCH;
  const budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
  const file = key.signedStateFile;
  // What the file held before this call wrote it, to put back if the commit fails (see below).
  let written: { before: SignedState; after: SignedState } | undefined;
  try {
    return await ctx.store.transaction(async (tx) => {
      written = undefined;
      const startedAt = ctx.clock.now().getTime();
      const state = await lockLogState(tx);
      if (!state) return { skipped: true, integrated: 0, size: -1 };
      if (state.origin !== null && state.origin !== key.origin) {
        throw new Error(`the log was signed as "${state.origin}", not "${key.origin}"`);
      }
      // Read under the lock: every process that signs with this key writes it under the same lock.
      const signed = file ? readSignedState(file) : undefined;
      if (file && signed && signed.origin !== key.origin) throw new LogBehindSignedState(file, signed, state);

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

      // The key's last signature must be a prefix of this tree, or be reached by exactly the next
      // pending leaves (a crash after the file was written and before the commit: the same leaves,
      // the same root, the same note signed again — no fork).
      const ahead = file && signed && signed.size > state.size ? signed.size - state.size : 0;
      if (file && signed && !ahead) {
        const rootThere =
          signed.size === state.size ? state.root : (await CompactRange.fromReader(signed.size, hashReaderFromTiles((l, i) => readTile(tx, l, i)))).root().toString('base64');
        if (rootThere !== signed.root) throw new LogBehindSignedState(file, signed, state);
      }
      if (file && signed && ahead > Math.max(batch, DEFAULT_BATCH)) throw new LogBehindSignedState(file, signed, state);

      // The leaves that must reproduce the file's root are read whole and checked first: exactly
      // those, or nothing is signed (and they are never cut).
      const reproduce = ahead ? await pendingLeaves(tx, ahead) : undefined;
      if (file && signed && reproduce) {
        const probe = await CompactRange.fromReader(state.size, fromTiles);
        for (const l of reproduce) probe.append(leafHash(formatLeafData(l)));
        if (reproduce.length !== ahead || probe.root().toString('base64') !== signed.root) throw new LogBehindSignedState(file, signed, state);
      }
      // Chunk by chunk — read, hash, extend the tiles and the range, assign the indexes — until the
      // batch is full, nothing is pending, or the next chunk, at the pace of those before it, would
      // end past the budget (at least one chunk). So all per-leaf work is in the pace, and what
      // follows the cut (tiles written, the checkpoint signed, the commit) is a few statements.
      const limit = ahead || batch;
      const changed = new Set<string>();
      let count = 0;
      let more = false;
      while (count < limit) {
        const want = Math.min(CHUNK, limit - count);
        const chunk = reproduce ? reproduce.slice(count, count + want) : await pendingLeaves(tx, want);
        if (chunk.length === 0) break;
        const hashes = chunk.map((l) => leafHash(formatLeafData(l)));
        for (const t of buildTiles(state.size + count, hashes, (level, index) => tiles.get(tileKey(level, index)))) {
          tiles.set(tileKey(t.level, t.index), t.hashes);
          changed.add(tileKey(t.level, t.index));
        }
        for (const h of hashes) range.append(h);
        await assignIndexes(tx, chunk, state.size + count);
        count += chunk.length;
        const spent = ctx.clock.now().getTime() - startedAt;
        if (chunk.length < want) break;
        more = count === limit || (!reproduce && spent + (spent / count) * Math.min(CHUNK, limit - count) > budgetMs);
        if (more) break;
      }
      // Once signed (the origin is stored with the first checkpoint), an empty batch signs nothing.
      if (count === 0 && state.origin !== null) {
        return { skipped: false, integrated: 0, size: state.size };
      }
      const size = state.size + count;
      const root = range.root();
      // The new tiles must give the same root as the appended range: what is served is what is signed.
      const check = await CompactRange.fromReader(size, hashReaderFromTiles((level, index) => tiles.get(tileKey(level, index))));
      if (!check.root().equals(root)) throw new Error('the tiles built do not give the appended root');

      await writeTiles(
        tx,
        [...changed].map((k) => {
          const [level, index] = k.split('/').map(Number) as [number, number];
          return { level, index, hashes: tiles.get(k) as Buffer };
        }),
      );
      const signedAt = ctx.clock.now().toISOString();
      const note = signNote(formatCheckpoint({ origin: key.origin, size, rootHash: root }), [key.signer]);
      const checkpoint: StoredCheckpoint = { size, root: root.toString('base64'), note, signedAt };
      await insertCheckpoint(tx, checkpoint);
      await updateLogState(tx, { size, root: checkpoint.root, origin: key.origin }, signedAt);
      // Durably on disk before the commit publishes it: a crash can leave the file ahead of the
      // database (resolved above), never a published checkpoint the file does not know.
      if (file) {
        const after = { origin: key.origin, size, root: checkpoint.root };
        writeSignedState(file, after);
        written = { before: signed ?? { origin: key.origin, size: state.size, root: state.root }, after };
        await options.beforeCommit?.();
      }
      return { skipped: false, integrated: count, checkpoint, size, more };
    });
  } catch (e) {
    // The commit failed after the file was written (store away, …): put the file back, unless
    // another process has written it since, so that the next batch need not be these very leaves
    // (a leaf committed meanwhile with an older leaf_id would change it). If the commit did in fact
    // happen, the file is behind the database, which the check above accepts.
    if (file && written) {
      const now = readSignedState(file);
      if (now && now.size === written.after.size && now.root === written.after.root) writeSignedState(file, written.before);
    }
    throw e;
  }
}

export interface SequencerOptions {
  batch?: number;
  /** The time budget of each batch (DEFAULT_BUDGET_MS). */
  budgetMs?: number;
  intervalMs?: number;
  /** After each checkpoint this process signed and committed (the witness pusher listens). */
  onCheckpoint?: (checkpoint: StoredCheckpoint) => void;
  /** A failed tick (store away, …): the next tick tries again. */
  onError?: (error: unknown) => void;
}

export interface Sequencer {
  /** Runs a tick now (or waits for the one running) — tests and shutdown. */
  flush(): Promise<void>;
  /** Set while the last tick refused to sign (the database behind the key's signed state); the checkpoint route answers 503. */
  readonly refusal: LogBehindSignedState | undefined;
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
  let refusal: LogBehindSignedState | undefined;

  const tick = async (): Promise<void> => {
    // A cheap read first, so idle processes never take the write lock.
    if (signedOnce && !(await hasPendingLeaves(ctx.store.db))) return;
    for (;;) {
      const started = performance.now();
      const r = await integratePending(ctx, key, { batch, ...(options.budgetMs ? { budgetMs: options.budgetMs } : {}) });
      if (r.skipped) return;
      refusal = undefined;
      signedOnce = true;
      if (r.checkpoint) options.onCheckpoint?.(r.checkpoint);
      // A batch cut by time is "full" too: more is waiting.
      const full = r.integrated > 0 && r.more;
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
      .catch((e: unknown) => {
        if (e instanceof LogBehindSignedState) {
          // Said once per state, in full (it names no person): an operator must act, retrying will not help by itself.
          if (refusal?.message !== e.message) process.stderr.write(`transparency log: REFUSING TO SIGN: ${e.message}\n`);
          refusal = e;
          signedOnce = false;
          return;
        }
        options.onError?.(e);
      })
      .finally(() => {
        running = undefined;
      }));
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  void run();
  return {
    get refusal() {
      return refusal;
    },
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
