/** Loading, error and empty states: every page that waits on the API shows one of these. */
import type { ReactNode } from 'react';
import type { Problem } from '../api/problem.js';
import { common } from '../i18n/common.js';
import { useProblemText, useT } from '../i18n/context.js';
import { Button } from './Button.js';

export function Loading({ label }: { label?: string }) {
  const t = useT(common);
  return (
    <p className="state state-loading" role="status" aria-live="polite">
      {label ?? t('state.loading')}
    </p>
  );
}

export function ErrorState({ problem, onRetry }: { problem: Problem; onRetry?: () => void }) {
  const t = useT(common);
  const text = useProblemText();
  return (
    <div className="state state-error" role="alert">
      <p>
        <strong>{t('state.error')}:</strong> {text(problem)}
      </p>
      {onRetry ? (
        <Button variant="secondary" onClick={onRetry}>
          {t('state.retry')}
        </Button>
      ) : null}
    </div>
  );
}

export function Empty({ children }: { children?: ReactNode }) {
  const t = useT(common);
  return <p className="state state-empty">{children ?? t('state.empty')}</p>;
}
