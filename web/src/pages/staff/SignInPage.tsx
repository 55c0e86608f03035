/**
 * The officer sign-in (decision 0038): password → TOTP or SMS code → (first sign-in) own password
 * and TOTP enrolment with its QR. Each answer names the next step; 'done' has set the cookie and
 * hands the CSRF token, then the page goes to the role's area.
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
import { navigate } from '../../router.js';
import { homeOf } from '../../routes.js';
import { useSession } from '../../session.js';
import { signInMessages } from './messages.js';

interface Step {
  next: 'set-password' | 'enrol-totp' | 'totp' | 'sms' | 'done';
  challenge?: string;
  otpauthUri?: string;
  secret?: string;
  qrSvg?: string;
  sentTo?: string;
  csrfToken?: string;
}

export default function SignInPage() {
  const t = useT(signInMessages);
  const { refresh } = useSession();
  const [step, setStep] = useState<Step | undefined>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [fields, setFields] = useState({ login: '', password: '', code: '', newPassword: '', confirm: '' });
  const [mismatch, setMismatch] = useState(false);
  const set = (k: keyof typeof fields) => (e: { target: { value: string } }) => setFields((f) => ({ ...f, [k]: e.target.value }));

  const advance = async (call: () => Promise<Step>) => {
    setBusy(true);
    setProblem(undefined);
    setNotice(undefined);
    try {
      const next = await call();
      if (next.next === 'done') {
        setCsrfToken(next.csrfToken);
        await refresh();
        const me = await api<{ role: string }>('GET', '/auth/session');
        navigate(homeOf(me.role), { replace: true });
        return;
      }
      setFields((f) => ({ ...f, code: '', password: '' }));
      setStep(next);
    } catch (e) {
      setProblem(problemOf(e));
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!step) return void advance(() => api<Step>('POST', '/auth/sign-in', { body: { login: fields.login, password: fields.password } }));
    const challenge = step.challenge ?? '';
    if (step.next === 'set-password') {
      if (fields.newPassword !== fields.confirm) return setMismatch(true);
      setMismatch(false);
      return void advance(() => api<Step>('POST', '/auth/sign-in/password', { body: { challenge, newPassword: fields.newPassword } }));
    }
    return void advance(() => api<Step>('POST', '/auth/sign-in/second-factor', { body: { challenge, code: fields.code.trim() } }));
  };

  const resend = () =>
    void advance(async () => {
      const next = await api<Step>('POST', '/auth/sign-in/resend-code', { body: { challenge: step?.challenge ?? '' } });
      setNotice(t('resent'));
      return next;
    });

  const title = !step ? t('title') : step.next === 'set-password' ? t('newPasswordTitle') : step.next === 'enrol-totp' ? t('enrolTitle') : t('totpTitle');
  const lead = !step ? t('lead') : step.next === 'set-password' ? t('newPasswordLead') : step.next === 'enrol-totp' ? t('enrolLead') : step.next === 'sms' ? t('smsLead', { sentTo: step.sentTo ?? '' }) : t('totpLead');

  return (
    <Page title={title} lead={lead}>
      {problem ? <ErrorState problem={problem} /> : null}
      {notice ? <p role="status">{notice}</p> : null}
      <form onSubmit={submit} noValidate className="form">
        {!step ? (
          <>
            <TextField label={t('login')} name="username" autoComplete="username" value={fields.login} onChange={set('login')} required />
            <TextField label={t('password')} name="password" type="password" autoComplete="current-password" value={fields.password} onChange={set('password')} required />
            <Button type="submit" busy={busy}>
              {t('submit')}
            </Button>
          </>
        ) : step.next === 'set-password' ? (
          <>
            <TextField label={t('newPassword')} name="new-password" type="password" autoComplete="new-password" value={fields.newPassword} onChange={set('newPassword')} required />
            <TextField label={t('confirmPassword')} name="confirm-password" type="password" autoComplete="new-password" value={fields.confirm} onChange={set('confirm')} error={mismatch ? t('mismatch') : undefined} required />
            <Button type="submit" busy={busy}>
              {t('save')}
            </Button>
          </>
        ) : (
          <>
            {step.next === 'enrol-totp' && step.qrSvg ? (
              <div className="enrol">
                <img className="qr" width={200} height={200} alt={t('qrAlt')} src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(step.qrSvg)}`} />
                <p>
                  {t('secret')}: <code className="secret">{step.secret}</code>
                </p>
              </div>
            ) : null}
            <TextField label={t('code')} name="one-time-code" inputMode="numeric" autoComplete="one-time-code" maxLength={10} value={fields.code} onChange={set('code')} required />
            <Button type="submit" busy={busy}>
              {t('verify')}
            </Button>
            {step.next === 'sms' ? (
              <Button variant="secondary" onClick={resend} disabled={busy}>
                {t('resend')}
              </Button>
            ) : null}
          </>
        )}
      </form>
      {step ? (
        <p>
          <Button variant="link" onClick={() => setStep(undefined)}>
            {t('restart')}
          </Button>
        </p>
      ) : null}
    </Page>
  );
}
