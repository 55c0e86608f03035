/** Card issue, loss and replacement for the person of the case (POST /citizens/{id}/cards…), and the card in force today. */
import { useState } from 'react';
import { api } from '../../api/client.js';
import type { Problem } from '../../api/problem.js';
import { Button } from '../../components/Button.js';
import { SelectField } from '../../components/Field.js';
import { Section } from '../../components/Page.js';
import { ErrorState, Loading } from '../../components/States.js';
import { problemOf, useApi } from '../../components/useApi.js';
import { formatDate } from '../../format/date.js';
import { useT } from '../../i18n/context.js';
import { useCase } from './CaseContext.js';
import { useLabels } from './labels.js';
import { officer } from './messages.js';
import type { CardStatusReport, CardView } from './types.js';

const REASONS = ['DATA_CHANGED', 'RENEWAL_AGE', 'LOST', 'DAMAGED', 'ON_REQUEST'] as const;
type Reason = (typeof REASONS)[number];

export function CardActions({ personalId }: { personalId: string }) {
  const t = useT(officer);
  const label = useLabels();
  const { purpose } = useCase();
  const cards = useApi((signal) => api<CardStatusReport>('GET', `/citizens/${personalId}/cards`, { signal, purpose }), [personalId, purpose]);
  const [reason, setReason] = useState<Reason>('DATA_CHANGED');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | undefined>();
  const [problem, setProblem] = useState<Problem | undefined>();

  const run = async (call: () => Promise<CardView>, message: (c: CardView) => string) => {
    setBusy(true);
    setProblem(undefined);
    setDone(undefined);
    try {
      const card = await call();
      setDone(message(card));
      cards.reload();
    } catch (e) {
      setProblem(problemOf(e));
    } finally {
      setBusy(false);
    }
  };

  if (cards.status === 'loading') return <Loading />;
  if (cards.status === 'failed') return <ErrorState problem={cards.problem} onRetry={cards.reload} />;
  const current = cards.value.current;
  // With no card in force, the last one issued (lost, expired…) is what a re-issue replaces.
  const last = current ?? cards.value.cards[cards.value.cards.length - 1];
  const replace = (
    <>
      <SelectField label={t('actions.reason')} value={reason} onChange={(e) => setReason(e.target.value as Reason)} options={REASONS.map((r) => ({ value: r, label: t(`reason.${r}`) }))} />
      <Button variant="secondary" busy={busy} onClick={() => void run(() => api('POST', `/citizens/${personalId}/cards/replacement`, { body: { reason }, purpose }), (c) => t('actions.replaced', { cardNo: c.cardNo }))}>
        {t('actions.replace')}
      </Button>
    </>
  );
  return (
    <Section title={t('actions.title')}>
      {last ? (
        <dl className="facts">
          <dt>{t('card.number')}</dt>
          <dd>{last.cardNo}</dd>
          <dt>{t('card.issueDate')}</dt>
          <dd>{formatDate(last.issueDate)}</dd>
          <dt>{t('card.status')}</dt>
          <dd>{label.cardStatus(last.status)}</dd>
        </dl>
      ) : null}
      {current ? null : <p>{t('card.none')}</p>}
      <div className="form-inline">
        {current ? (
          <>
            <Button variant="danger" busy={busy} onClick={() => void run(() => api('POST', `/citizens/${personalId}/cards/loss`, { body: {}, purpose }), () => t('actions.lossDone'))}>
              {t('actions.loss')}
            </Button>
            {replace}
          </>
        ) : (
          <>
            {last ? replace : null}
            <Button variant="secondary" busy={busy} onClick={() => void run(() => api('POST', `/citizens/${personalId}/cards`, { body: {}, purpose }), (c) => t('actions.issued', { cardNo: c.cardNo }))}>
              {t('actions.issue')}
            </Button>
          </>
        )}
      </div>
      {done ? <p role="status">{done}</p> : null}
      {problem ? <ErrorState problem={problem} /> : null}
    </Section>
  );
}
