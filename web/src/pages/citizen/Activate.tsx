/** Activation of an account issued at the counter, with the code of its notice, within 7 days (decision 0042). */
import { useState } from 'react';
import { api } from '../../api/client.js';
import { TextField } from '../../components/Field.js';
import { Page } from '../../components/Page.js';
import { useT } from '../../i18n/context.js';
import { citizenMessages } from './messages.js';
import { digitsOf, Done, StepForm } from './steps.js';

export default function Activate() {
  const t = useT(citizenMessages);
  const [f, setF] = useState({ personalId: '', code: '', password: '' });
  const [done, setDone] = useState(false);
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF((v) => ({ ...v, [k]: e.target.value }));
  return (
    <Page title={t('activate.title')} lead={t('activate.lead')}>
      {done ? (
        <Done text={t('activate.done')} />
      ) : (
        <StepForm
          submitLabel={t('activate.submit')}
          onSubmit={async () => {
            await api('POST', '/eid/activation', { body: { personalId: digitsOf(f.personalId), code: f.code.trim(), ...(f.password ? { password: f.password } : {}) } });
            setDone(true);
          }}
        >
          <TextField label={t('signIn.personalId')} hint={t('signIn.personalIdHint')} name="personal-id" inputMode="numeric" maxLength={14} value={f.personalId} onChange={set('personalId')} required />
          <TextField label={t('steps.code')} name="one-time-code" inputMode="numeric" autoComplete="one-time-code" maxLength={10} value={f.code} onChange={set('code')} required />
          <TextField label={t('activate.password')} hint={t('register.passwordHint')} name="new-password" type="password" autoComplete="new-password" value={f.password} onChange={set('password')} />
        </StepForm>
      )}
    </Page>
  );
}
