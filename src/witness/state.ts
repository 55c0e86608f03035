/**
 * What the witness remembers per log: the latest checkpoint it cosigned (size, root, and the note
 * as received, kept as evidence). Held in memory, written through to state.json on every change.
 */
import { join } from 'node:path';
import { decodeBase64Strict } from '../transparency/base64.js';
import { EMPTY_ROOT, HASH_SIZE, type Hash } from '../transparency/hash.js';
import { readJsonFile, STATE_FILE, writeFileAtomic } from './files.js';

export interface LogRecord {
  size: number;
  rootHash: Hash;
  /** The signed checkpoint note it last cosigned. */
  checkpoint: string;
  /** POSIX seconds of that cosignature. */
  cosignedAt: number;
}

interface StateFile {
  version: 1;
  logs: Record<string, { size: number; rootHash: string; checkpoint: string; cosignedAt: number }>;
}

export class WitnessState {
  readonly #dir: string;
  readonly #logs = new Map<string, LogRecord>();

  private constructor(dir: string) {
    this.#dir = dir;
  }

  static load(dir: string): WitnessState {
    const state = new WitnessState(dir);
    const raw = readJsonFile(join(dir, STATE_FILE)) as StateFile | undefined;
    if (raw === undefined) return state;
    if (raw.version !== 1 || typeof raw.logs !== 'object' || raw.logs === null) throw new Error(`${STATE_FILE}: unknown format`);
    for (const [origin, r] of Object.entries(raw.logs)) {
      const rootHash = decodeBase64Strict(r.rootHash);
      if (!Number.isSafeInteger(r.size) || r.size < 0 || rootHash === undefined || rootHash.length !== HASH_SIZE) {
        throw new Error(`${STATE_FILE}: the record of ${origin} is damaged; refusing to start rather than forget it`);
      }
      state.#logs.set(origin, { size: r.size, rootHash, checkpoint: String(r.checkpoint), cosignedAt: Number(r.cosignedAt) });
    }
    return state;
  }

  /** The latest cosigned size and root; a log never seen is at size 0 with the empty root. */
  get(origin: string): { size: number; rootHash: Hash } {
    const r = this.#logs.get(origin);
    return r ? { size: r.size, rootHash: r.rootHash } : { size: 0, rootHash: EMPTY_ROOT };
  }

  record(origin: string): LogRecord | undefined {
    return this.#logs.get(origin);
  }

  /** Persists first, then updates memory: a failed write changes nothing. */
  set(origin: string, record: LogRecord): void {
    const next = new Map(this.#logs);
    next.set(origin, record);
    const file: StateFile = { version: 1, logs: {} };
    for (const [o, r] of next) {
      file.logs[o] = { size: r.size, rootHash: r.rootHash.toString('base64'), checkpoint: r.checkpoint, cosignedAt: r.cosignedAt };
    }
    writeFileAtomic(this.#dir, STATE_FILE, `${JSON.stringify(file, null, 2)}\n`);
    this.#logs.set(origin, record);
  }
}
