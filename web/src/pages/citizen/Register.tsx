/** Level-1 self-registration (decision 0042): personal ID, own number, password → code by SMS → account. */
import { useState } from 'react';
import { api } from '../../api/client.js';
import { TextField } from '../../components/Field.js';
import { Page } from '../../components/Page.js';
import { useT } from '../../i18n/context.js';
import { citizenMessages } from './messages.js';
import { CodeSent, digitsOf, Done, StepForm, type CodeStep } from './steps.js';

export default function Register() {
  const t = useT(citizenMessages);
  const [f, setF] = useState({ personalId: '', phone: '', password: '', code: '' });
  const [step, setStep] = useState<CodeStep | undefined>();
  const [done, setDone] = useState(false);
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF((v) => ({ ...v, [k]: e.target.value }));
  return (
    <Page title={t('register.title')} lead={t('register.lead')}>
      {done ? (
        <Done text={t('register.done')} />
      ) : !step ? (
        <StepForm submitLabel={t('register.submit')} onSubmit={async () => setStep(await api<CodeStep>('POST', '/eid/registrations', { body: { personalId: digitsOf(f.personalId), phone: f.phone.trim(), password: f.password } }))}>
          <TextField label={t('signIn.personalId')} hint={t('signIn.personalIdHint')} name="personal-id" inputMode="numeric" maxLength={14} value={f.personalId} onChange={set('personalId')} required />
          <TextField label={t('register.phone')} hint={t('register.phoneHint')} name="phone" type="tel" autoComplete="tel" value={f.phone} onChange={set('phone')} required />
          <TextField label={t('register.password')} hint={t('register.passwordHint')} name="new-password" type="password" autoComplete="new-password" value={f.password} onChange={set('password')} required />
        </StepForm>
      ) : (
        <>
          <CodeSent step={step} />
          <StepForm
            submitLabel={t('steps.confirm')}
            onSubmit={async () => {
              await api('POST', '/eid/registrations/confirm', { body: { challenge: step.challenge, code: f.code.trim() } });
              setDone(true);
            }}
          >
            <TextField label={t('steps.code')} name="one-time-code" inputMode="numeric" autoComplete="one-time-code" maxLength={10} value={f.code} onChange={set('code')} required />
          </StepForm>
        </>
      )}
    </Page>
  );
}
