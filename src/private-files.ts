/**
 * Files dancu creates hold personal data (the SQLite database and its WAL), secrets (signing keys,
 * demo tokens, the demo agency's private key) or both: they are readable by their owner only —
 * files 0600, the directories dancu creates 0700 — whatever the process umask. A directory that
 * already existed (e.g. a DANCU_DATA_DIR chosen by the operator) keeps its mode.
 *
 * Not part of any layer: it holds no registry data and imports only node:fs, and the store (the
 * database file), services (keys, exports) and the CLI (demo files) all need it (DESIGN §4).
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Creates `dir` (and missing parents) owner-only; an existing directory is left as it is. */
export function ensurePrivateDir(dir: string): void {
  const target = resolve(dir);
  if (existsSync(target)) return;
  const first = mkdirSync(target, { recursive: true, mode: PRIVATE_DIR_MODE });
  // mkdir's mode is filtered by the umask: set it exactly on every directory created here.
  for (let d = target; first !== undefined && d.startsWith(first); d = dirname(d)) {
    chmodSync(d, PRIVATE_DIR_MODE);
    if (d === first) break;
  }
}

/** Writes `data` to `path`, owner read/write only (an existing file is tightened too). */
export function writePrivateFile(path: string, data: string | Uint8Array): void {
  writeFileSync(path, data, { mode: PRIVATE_FILE_MODE });
  chmodSync(path, PRIVATE_FILE_MODE);
}

/**
 * Makes sure `path` exists and is owner-only, without touching its content — before SQLite opens a
 * database: SQLite gives its -wal and -shm files the mode of the database file.
 */
export function ensurePrivateFile(path: string): void {
  closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  chmodSync(path, PRIVATE_FILE_MODE);
}

/** Tightens files that may already exist (a WAL left by an older version), skipping absent ones. */
export function tightenIfPresent(...paths: string[]): void {
  for (const p of paths) if (existsSync(p)) chmodSync(p, PRIVATE_FILE_MODE);
}
