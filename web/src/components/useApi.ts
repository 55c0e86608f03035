/**
 * Data a page loads from the API: loading, the value, or the problem — and a way to load again.
 * The loader gets an AbortSignal; a newer load or leaving the page cancels the older one.
 */
import { useCallback, useEffect, useState } from 'react';
import { ApiError, type Problem } from '../api/problem.js';

export type Loaded<T> = { status: 'loading' } | { status: 'done'; value: T } | { status: 'failed'; problem: Problem };

export function problemOf(e: unknown): Problem {
  if (e instanceof ApiError) return e.problem;
  return { status: 0, code: 'CLIENT_ERROR', title: e instanceof Error ? e.message : String(e), errors: [] };
}

export function useApi<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): Loaded<T> & { reload(): void } {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    const ctl = new AbortController();
    setState({ status: 'loading' });
    load(ctl.signal).then(
      (value) => !ctl.signal.aborted && setState({ status: 'done', value }),
      (e: unknown) => !ctl.signal.aborted && setState({ status: 'failed', problem: problemOf(e) }),
    );
    return () => ctl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { ...state, reload };
}
