/**
 * The last checkpoint the log key signed, kept in a file beside the key (decision 0029, "Across
 * restores"): the tiles and the state row live in the database, so a restored backup, a lagging
 * replica or a freshly migrated database would otherwise let the same key sign another root at a
 * size it already published. The sequencer writes this file (fsync, rename, fsync of the directory)
 * BEFORE it commits the checkpoint, under the log's lock, and signs nothing unless the database's
 * tree reaches the file's (origin, size, root).
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { PRIVATE_FILE_MODE } from '../../private-files.js';

export interface SignedState {
  origin: string;
  size: number;
  /** base64 */
  root: string;
}

/** "<key file without .pem>.signed.json", in the key's directory. */
export function signedStatePathFor(keyPath: string): string {
  return join(dirname(keyPath), `${basename(keyPath).replace(/\.pem$/i, '')}.signed.json`);
}

/** The sequencer refuses to sign: the database's tree does not reach what the key already signed. */
export class LogBehindSignedState extends Error {
  readonly code = 'LOG_BEHIND_SIGNED_STATE';
  constructor(
    readonly file: string,
    readonly signed: SignedState,
    readonly database: { size: number; root: string; origin: string | null },
  ) {
    super(
      `the log key already signed ${signed.origin} at size ${signed.size} (root ${signed.root}, recorded in ${file}), ` +
        `but this database's tree (size ${database.size}) does not reach that root: it was restored, is a lagging replica, or is another database. ` +
        'Nothing is signed until it does (see decision 0029, "Across restores")',
    );
  }
}

/** The file's state, or undefined when there is none (a key that never signed, or a log older than this file). */
export function readSignedState(path: string): SignedState | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const v = JSON.parse(text) as Partial<SignedState>;
  if (typeof v.origin !== 'string' || !Number.isSafeInteger(v.size) || (v.size as number) < 0 || typeof v.root !== 'string') {
    // A damaged file is not "nothing signed": refusing is the safe side.
    throw new Error(`${path}: not a signed-state file ({origin, size, root})`);
  }
  return { origin: v.origin, size: v.size as number, root: v.root };
}

/**
 * Replaces the file durably: a new file in the same directory, fsynced, renamed over the old one,
 * then the directory fsynced — after a crash the file is either the old state or the new one.
 */
export function writeSignedState(path: string, state: SignedState): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}`);
  const fd = openSync(tmp, 'wx', PRIVATE_FILE_MODE);
  try {
    writeSync(fd, `${JSON.stringify({ origin: state.origin, size: state.size, root: state.root })}\n`);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
