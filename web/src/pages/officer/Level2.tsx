/** Level-2 e-ID at the counter (POST /eid/accounts/level2): the scanned card's QR text and a number registered to the person. */
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.js';
import type { Problem } from '../../api/problem.js';
import { Button } from '../../components/Button.js';
import { TextField } from '../../components/Field.js';
import { Section } from '../../components/Page.js';
import { ErrorState } from '../../components/States.js';
import { problemOf } from '../../components/useApi.js';
import { useT } from '../../i18n/context.js';
import { useCase } from './CaseContext.js';
import { officer } from './messages.js';

export function Level2({ qrPayload }: { qrPayload: string | undefined }) {
  const t = useT(officer);
  const { purpose } = useCase();
  const [phone, setPhone] = useState('');
  const [representative, setRepresentative] = useState('');
  const [state, setState] = useState<{ status: 'idle' | 'busy' | 'done' } | { status: 'failed'; problem: Problem }>({ status: 'idle' });
  if (!qrPayload) {
    return (
      <Section title={t('eid.title')}>
        <p>{t('eid.needsQr')}</p>
      </Section>
    );
  }
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setState({ status: 'busy' });
    try {
      const rep = representative.trim();
      await api('POST', '/eid/accounts/level2', { body: { qrPayload, phone: phone.trim(), ...(rep ? { representativePersonalId: rep } : {}) }, purpose });
      setState({ status: 'done' });
    } catch (err) {
      setState({ status: 'failed', problem: problemOf(err) });
    }
  };
  return (
    <Section title={t('eid.title')}>
      <p>{t('eid.lead')}</p>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <TextField label={t('eid.phone')} type="tel" autoComplete="off" required value={phone} onChange={(e) => setPhone(e.target.value)} />
        <TextField label={t('eid.representative')} inputMode="numeric" autoComplete="off" value={representative} onChange={(e) => setRepresentative(e.target.value)} />
        <Button type="submit" busy={state.status === 'busy'}>
          {t('eid.submit')}
        </Button>
      </form>
      {state.status === 'done' ? <p className="verdict verdict-good" role="status">{t('eid.done')}</p> : null}
      {state.status === 'failed' ? <ErrorState problem={state.problem} /> : null}
    </Section>
  );
}
