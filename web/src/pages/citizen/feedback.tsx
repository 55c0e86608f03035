/**
 * What the citizen's pages share around the API: a loaded value shown (or its loading / error
 * state with a retry), and an action's outcome — its problem or its notice — with which one is busy.
 */
import { useCallback, useState, type ReactNode } from 'react';
import type { Problem } from '../../api/problem.js';
import { ErrorState, Loading } from '../../components/States.js';
import { problemOf, type Loaded } from '../../components/useApi.js';

/** The value once loaded; until then the loading state, or the problem with a retry. */
export function Shown<T>({ data, children }: { data: Loaded<T> & { reload(): void }; children: (value: T) => ReactNode }) {
  if (data.status === 'loading') return <Loading />;
  if (data.status === 'failed') return <ErrorState problem={data.problem} onRetry={data.reload} />;
  return <>{children(data.value)}</>;
}

/** Runs one action at a time; what it returns is announced, what it throws is shown. */
export function useAction(): { run(key: string, action: () => Promise<string | void>): Promise<void>; busy: string | undefined; feedback: ReactNode } {
  const [problem, setProblem] = useState<Problem | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [busy, setBusy] = useState<string | undefined>();
  const run = useCallback(async (key: string, action: () => Promise<string | void>) => {
    setBusy(key);
    setProblem(undefined);
    setNotice(undefined);
    try {
      const said = await action();
      if (said) setNotice(said);
    } catch (e) {
      setProblem(problemOf(e));
    } finally {
      setBusy(undefined);
    }
  }, []);
  const feedback = (
    <>
      {problem ? <ErrorState problem={problem} /> : null}
      {notice ? <p role="status">{notice}</p> : null}
    </>
  );
  return { run, busy, feedback };
}
