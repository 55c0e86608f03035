/** Self-unlock of an account the citizen locked: a code to the account's number, then the code and the password. */
import { useState } from 'react';
import { api } from '../../api/client.js';
import { TextField } from '../../components/Field.js';
import { Page } from '../../components/Page.js';
import { useT } from '../../i18n/context.js';
import { citizenMessages } from './messages.js';
import { CodeSent, digitsOf, Done, StepForm, type CodeStep } from './steps.js';

export default function Unlock() {
  const t = useT(citizenMessages);
  const [f, setF] = useState({ personalId: '', code: '', password: '' });
  const [step, setStep] = useState<CodeStep | undefined>();
  const [done, setDone] = useState(false);
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF((v) => ({ ...v, [k]: e.target.value }));
  return (
    <Page title={t('unlock.title')} lead={t('unlock.lead')}>
      {done ? (
        <Done text={t('unlock.done')} />
      ) : !step ? (
        <StepForm submitLabel={t('unlock.submit')} onSubmit={async () => setStep(await api<CodeStep>('POST', '/eid/unlock', { body: { personalId: digitsOf(f.personalId) } }))}>
          <TextField label={t('signIn.personalId')} hint={t('signIn.personalIdHint')} name="personal-id" inputMode="numeric" maxLength={14} value={f.personalId} onChange={set('personalId')} required />
        </StepForm>
      ) : (
        <>
          <CodeSent step={step} />
          <StepForm
            submitLabel={t('unlock.confirm')}
            onSubmit={async () => {
              await api('POST', '/eid/unlock/confirm', { body: { challenge: step.challenge, code: f.code.trim(), password: f.password } });
              setDone(true);
            }}
          >
            <TextField label={t('steps.code')} name="one-time-code" inputMode="numeric" autoComplete="one-time-code" maxLength={10} value={f.code} onChange={set('code')} required />
            <TextField label={t('unlock.password')} name="password" type="password" autoComplete="current-password" value={f.password} onChange={set('password')} required />
          </StepForm>
        </>
      )}
    </Page>
  );
}
