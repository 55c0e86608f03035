/**
 * The citizen's sign-in with the e-ID account: personal ID and password, then the code sent by SMS
 * (or from an authenticator app) — the same /auth/sign-in steps as officers (decision 0038/0042).
 * Links lead to the public steps: level-1 registration, activation, self-unlock.
 */
import { useState, type FormEvent } from 'react';
import { api, setCsrfToken } from '../../api/client.js';
import type { Problem } from '../../api/problem.js';
import { Button } from '../../components/Button.js';
import { TextField } from '../../components/Field.js';
import { Page } from '../../components/Page.js';
import { ErrorState } from '../../components/States.js';
import { problemOf } from '../../components/useApi.js';
import { useT } from '../../i18n/context.js';
import { Link, navigate, usePageState } from '../../router.js';
import { useSession } from '../../session.js';
import { citizenMessages } from './messages.js';

interface Step {
  next: 'set-password' | 'enrol-totp' | 'totp' | 'sms' | 'done';
  challenge?: string;
  sentTo?: string;
  csrfToken?: string;
}

export default function SignIn() {
  const t = useT(citizenMessages);
  const { refresh } = useSession();
  const arrived = usePageState<{ locked?: boolean }>();
  const [step, setStep] = useState<Step | undefined>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>();
  const [notice, setNotice] = useState<string | undefined>(arrived?.locked ? t('signIn.locked') : undefined);
  const [fields, setFields] = useState({ personalId: '', password: '', code: '' });
  const set = (k: keyof typeof fields) => (e: { target: { value: string } }) => setFields((f) => ({ ...f, [k]: e.target.value }));

  const advance = async (call: () => Promise<Step>, after?: string) => {
    setBusy(true);
    setProblem(undefined);
    setNotice(undefined);
    try {
      const next = await call();
      if (next.next === 'done') {
        setCsrfToken(next.csrfToken);
        await refresh();
        navigate('/citizen', { replace: true });
        return;
      }
      setFields((f) => ({ ...f, code: '', password: '' }));
      setStep(next);
      if (after) setNotice(after);
    } catch (e) {
      setProblem(problemOf(e));
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!step) return void advance(() => api<Step>('POST', '/auth/sign-in', { body: { login: fields.personalId.replace(/\s+/g, ''), password: fields.password } }));
    return void advance(() => api<Step>('POST', '/auth/sign-in/second-factor', { body: { challenge: step.challenge ?? '', code: fields.code.trim() } }));
  };
  const resend = () => void advance(() => api<Step>('POST', '/auth/sign-in/resend-code', { body: { challenge: step?.challenge ?? '' } }), t('signIn.resent'));

  const lead = !step ? t('signIn.lead') : step.next === 'sms' ? t('signIn.smsLead', { sentTo: step.sentTo ?? '' }) : t('signIn.totpLead');
  return (
    <Page title={t('signIn.title')} lead={lead}>
      {problem ? <ErrorState problem={problem} /> : null}
      {notice ? <p role="status">{notice}</p> : null}
      <form onSubmit={submit} noValidate className="form">
        {!step ? (
          <>
            <TextField label={t('signIn.personalId')} hint={t('signIn.personalIdHint')} name="username" autoComplete="username" inputMode="numeric" maxLength={14} value={fields.personalId} onChange={set('personalId')} required />
            <TextField label={t('signIn.password')} name="password" type="password" autoComplete="current-password" value={fields.password} onChange={set('password')} required />
            <Button type="submit" busy={busy}>
              {t('signIn.submit')}
            </Button>
          </>
        ) : (
          <>
            <TextField label={t('signIn.code')} name="one-time-code" inputMode="numeric" autoComplete="one-time-code" maxLength={10} value={fields.code} onChange={set('code')} required />
            <Button type="submit" busy={busy}>
              {t('signIn.verify')}
            </Button>
            {step.next === 'sms' ? (
              <Button variant="secondary" onClick={resend} disabled={busy}>
                {t('signIn.resend')}
              </Button>
            ) : null}
            <Button variant="link" onClick={() => setStep(undefined)}>
              {t('signIn.restart')}
            </Button>
          </>
        )}
      </form>
      <h2>{t('signIn.noAccount')}</h2>
      <ul>
        <li>
          <Link to="/citizen/sign-in/register">{t('signIn.register')}</Link>
        </li>
        <li>
          <Link to="/citizen/sign-in/activate">{t('signIn.activate')}</Link>
        </li>
        <li>
          <Link to="/citizen/sign-in/unlock">{t('signIn.unlock')}</Link>
        </li>
        <li>
          <Link to="/sign-in">{t('signIn.officers')}</Link>
        </li>
      </ul>
    </Page>
  );
}
