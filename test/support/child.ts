/**
 * Stopping a child process in a test without waiting forever: a child that has already exited
 * emits no further 'exit' event, and one that ignores the signal must fail the test, not hang it.
 */
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** Resolves with the exit code (null when ended by a signal) once the child has exited, or after `timeoutMs` rejects. */
export function exitOf(child: ChildProcess, timeoutMs = 30_000): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child ${child.pid} did not exit within ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** Sends `signal` (if the child still runs) and waits for it to exit; a child still running after `timeoutMs` is killed and the wait rejects. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 30_000): Promise<number | null> {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  try {
    return await exitOf(child, timeoutMs);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
}

/** A TCP port free on the loopback interface right now (for a server process a test starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}
