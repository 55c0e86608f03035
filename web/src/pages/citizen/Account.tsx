/**
 * The citizen's e-ID account: level, state, masked contacts; a new phone number or e-mail address
 * confirmed by a code sent to the NEW one; and the lock (a lost phone) that ends this session at
 * once — unlocking is the public self-unlock step.
 */
import { useState } from 'react';
import { api } from '../../api/client.js';
import { Button } from '../../components/Button.js';
import { TextField } from '../../components/Field.js';
import { Page, Section } from '../../components/Page.js';
import { ErrorState, Loading } from '../../components/States.js';
import { useApi } from '../../components/useApi.js';
import { useT } from '../../i18n/context.js';
import { navigate } from '../../router.js';
import { useSession } from '../../session.js';
import { citizenMessages } from './messages.js';
import { Facts } from './Facts.js';
import { CodeSent, StepForm, type CodeStep } from './steps.js';

interface Eid {
  level: 1 | 2;
  state: 'pending-activation' | 'active' | 'lapsed';
  phone?: string;
  email?: string;
  locked: boolean;
}
const STATE_KEY = { 'pending-activation': 'account.pending', active: 'account.active', lapsed: 'account.lapsed' } as const;

export default function Account() {
  const t = useT(citizenMessages);
  const eid = useApi((signal) => api<Eid>('GET', '/me/eid', { signal }), []);
  if (eid.status === 'loading') return <Page title={t('account.title')}><Loading /></Page>;
  if (eid.status === 'failed') return <Page title={t('account.title')}><ErrorState problem={eid.problem} onRetry={eid.reload} /></Page>;
  const e = eid.value;
  return (
    <Page title={t('account.title')}>
      <Facts
        facts={[
          [t('account.level'), String(e.level)],
          [t('account.state'), t(STATE_KEY[e.state])],
          [t('account.phone'), e.phone ?? t('none')],
          [t('account.email'), e.email ?? t('none')],
        ]}
      />
      <Section title={t('account.contacts')}>
        <p>{t('account.contactsLead')}</p>
        <ContactChange what="phone" onChanged={eid.reload} />
        <ContactChange what="email" onChanged={eid.reload} />
      </Section>
      <LockSection />
    </Page>
  );
}

function ContactChange({ what, onChanged }: { what: 'phone' | 'email'; onChanged: () => void }) {
  const t = useT(citizenMessages);
  const [value, setValue] = useState('');
  const [code, setCode] = useState('');
  const [step, setStep] = useState<CodeStep | undefined>();
  const [done, setDone] = useState(false);
  if (done) return <p role="status">{t('account.changed')}</p>;
  if (!step) {
    return (
      <StepForm submitLabel={t('account.sendCode')} onSubmit={async () => setStep(await api<CodeStep>('POST', `/me/eid/${what}`, { body: what === 'phone' ? { phone: value.trim() } : { email: value.trim() } }))}>
        <TextField label={t(what === 'phone' ? 'account.newPhone' : 'account.newEmail')} name={what === 'phone' ? 'new-phone' : 'new-email'} type={what === 'phone' ? 'tel' : 'email'} value={value} onChange={(e) => setValue(e.target.value)} required />
      </StepForm>
    );
  }
  return (
    <>
      <CodeSent step={step} />
      <StepForm
        submitLabel={t('steps.confirm')}
        onSubmit={async () => {
          await api('POST', `/me/eid/${what}/confirm`, { body: { challenge: step.challenge, code: code.trim() } });
          setDone(true);
          onChanged();
        }}
      >
        <TextField label={t('steps.code')} name={`${what}-code`} inputMode="numeric" autoComplete="one-time-code" maxLength={10} value={code} onChange={(e) => setCode(e.target.value)} required />
      </StepForm>
    </>
  );
}

function LockSection() {
  const t = useT(citizenMessages);
  const { refresh } = useSession();
  const [reason, setReason] = useState('');
  const [sure, setSure] = useState(false);
  return (
    <Section title={t('account.lock')}>
      <p>{t('account.lockLead')}</p>
      <StepForm
        submitLabel={t('account.lockButton')}
        onSubmit={async () => {
          if (!sure) return;
          await api('POST', '/me/eid/lock', { body: reason.trim() ? { reason: reason.trim() } : {} });
          // The session ended with the lock: the sign-in page says so, and the page forgets the session.
          navigate('/citizen/sign-in', { replace: true, state: { locked: true } });
          await refresh();
        }}
      >
        <TextField label={t('account.lockReason')} name="lock-reason" maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
        <div className="check">
          <input id="lock-sure" type="checkbox" checked={sure} onChange={(e) => setSure(e.target.checked)} />
          <label htmlFor="lock-sure">{t('account.lockConfirm')}</label>
        </div>
      </StepForm>
    </Section>
  );
}
