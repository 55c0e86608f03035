/**
 * What the public e-ID steps share (registration, activation, unlock): a form that calls the API
 * and shows its problem, and the "code sent" step that follows a first call.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import type { Problem } from '../../api/problem.js';
import { Button } from '../../components/Button.js';
import { ErrorState } from '../../components/States.js';
import { problemOf } from '../../components/useApi.js';
import { formatDateTime } from '../../format/date.js';
import { useT } from '../../i18n/context.js';
import { Link } from '../../router.js';
import { citizenMessages } from './messages.js';

/** The answer of a step that sent a code (EidCodeStep). */
export interface CodeStep {
  challenge: string;
  expiresAt: string;
  sentTo: string;
}

/** A form whose submission is one API call; its problem is shown above it. */
export function StepForm({ onSubmit, submitLabel, children }: { onSubmit: () => Promise<void>; submitLabel: string; children: ReactNode }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setProblem(undefined);
    onSubmit().then(
      () => setBusy(false),
      (err: unknown) => {
        setProblem(problemOf(err));
        setBusy(false);
      },
    );
  };
  return (
    <>
      {problem ? <ErrorState problem={problem} /> : null}
      <form onSubmit={submit} noValidate className="form">
        {children}
        <Button type="submit" busy={busy}>
          {submitLabel}
        </Button>
      </form>
    </>
  );
}

/** Where the code went and until when. */
export function CodeSent({ step }: { step: CodeStep }) {
  const t = useT(citizenMessages);
  return <p role="status">{t('steps.codeSent', { sentTo: step.sentTo, until: formatDateTime(step.expiresAt) })}</p>;
}

/** The end of a public step: what happened, and the way back to sign in. */
export function Done({ text }: { text: string }) {
  const t = useT(citizenMessages);
  return (
    <>
      <p role="status" className="verdict verdict-good">
        {text}
      </p>
      <p>
        <Link to="/citizen/sign-in">{t('steps.back')}</Link>
      </p>
    </>
  );
}

/** A personal ID as typed (spaces allowed) → the 12 digits the API takes. */
export const digitsOf = (text: string) => text.replace(/\s+/g, '');
