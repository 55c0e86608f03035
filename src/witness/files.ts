/**
 * The witness's files in its data directory: its Ed25519 key (generated on first start) and its
 * state, each readable by the witness's user only. State is written atomically — a temporary file
 * written and fsynced, then renamed over the old one, then the directory fsynced — so a crash
 * leaves the old state or the new one, never a torn file, and an answered cosignature is on disk.
 */
import { generateKeyPairSync, createPrivateKey, type KeyObject } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync, chmodSync } from 'node:fs';
import { join } from 'node:path';

export const KEY_FILE = 'witness-ed25519.pem';
export const STATE_FILE = 'state.json';
export const LOCK_FILE = 'witness.lock';

export function ensureDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** The witness's private key, generated (0600) on first use. */
export function loadOrCreateKey(dir: string): KeyObject {
  ensureDataDir(dir);
  const path = join(dir, KEY_FILE);
  try {
    return createPrivateKey(readFileSync(path, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read the witness key ${path}: ${(e as Error).message}`);
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' });
  try {
    // 'wx': two processes starting together cannot both create a key; the loser reads the winner's.
    writeDurably(path, String(pem), 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return createPrivateKey(readFileSync(path, 'utf8'));
    throw e;
  }
  return privateKey;
}

function writeDurably(path: string, data: string, flag: 'w' | 'wx'): void {
  const fd = openSync(path, flag, 0o600);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(path, 0o600);
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function readJsonFile(path: string): unknown | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read ${path}: ${(e as Error).message}`);
  }
}

/** Replaces a file atomically and durably (0600). */
export function writeFileAtomic(dir: string, name: string, data: string): void {
  const tmp = join(dir, `.${name}.${process.pid}.tmp`);
  writeDurably(tmp, data, 'w');
  renameSync(tmp, join(dir, name));
  fsyncDir(dir);
}

/**
 * One witness process per data directory: two would each hold the state in memory and could roll
 * it back. The lock file holds the pid; a lock whose process is gone is taken over.
 */
export function acquireLock(dir: string): () => void {
  ensureDataDir(dir);
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeDurably(path, String(process.pid), 'wx');
      return () => {
        try {
          if (readFileSync(path, 'utf8') === String(process.pid)) unlinkSync(path);
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(path, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new Error(`another witness (pid ${pid}) uses ${dir}`);
      }
      unlinkSync(path);
    }
  }
  throw new Error(`cannot lock ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
