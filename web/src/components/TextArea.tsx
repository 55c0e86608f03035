/** A labelled multi-line field (a JWKS, a policy, a reason), its hint and error tied as Field.tsx ties them. */
import { useId, type TextareaHTMLAttributes } from 'react';

export function TextArea({ label, hint, error, ...area }: { label: string; hint?: string; error?: string | undefined } & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'>) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <div className="field-hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
      <textarea id={id} rows={4} aria-invalid={error ? true : undefined} aria-describedby={described} {...area} />
      {error ? (
        <div className="field-error" id={`${id}-error`} role="alert">
          {error}
        </div>
      ) : null}
    </div>
  );
}
