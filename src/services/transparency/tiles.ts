/**
 * What the log's public routes (src/http/routes/transparency.ts, C2SP tlog-tiles) read from the
 * store: the newest signed checkpoint, stored tiles and leaves by index. The routes call these,
 * never the repositories (DESIGN §4).
 */
import type { Store } from '../../store/connect.js';
import { latestCheckpoint, leavesByIndex, readTile, type StoredCheckpoint } from '../../store/repositories/transparency-log.js';
import type { LeafData } from '../../transparency/leaf.js';

/** The newest checkpoint the log signed, or undefined before the first. */
export const latestSignedCheckpoint = (store: Store): Promise<StoredCheckpoint | undefined> => latestCheckpoint(store.db);

/** The stored hashes of tile `index` at `level` (as far as it has grown), or undefined. */
export const storedTile = (store: Store, level: number, index: number): Promise<Buffer | undefined> => readTile(store.db, level, index);

/** The leaves with indexes from `from` up to (not including) `to`, in index order. */
export const leavesInRange = (store: Store, from: number, to: number): Promise<(LeafData & { idx: number })[]> => leavesByIndex(store.db, from, to);
