/**
 * Agencies' consent requests to the citizen (decision 0044): approve or refuse a pending one,
 * withdraw an approval — for oneself or, chosen above the list, for a child under 14 or a person one
 * legally represents (the API refuses a child of 14 or more: they answer themselves).
 */
import { api } from '../../api/client.js';
import { Button } from '../../components/Button.js';
import { Page } from '../../components/Page.js';
import { PagedTable } from '../../components/PagedTable.js';
import { useApi } from '../../components/useApi.js';
import { formatDate } from '../../format/date.js';
import { useT } from '../../i18n/context.js';
import { citizenMessages } from './messages.js';
import { Shown, useAction } from './feedback.js';
import { usePersonChoice } from './PersonChoice.js';

interface Consent {
  consentId: string;
  agencyName: string;
  purpose: string;
  data: Array<{ service: string; fields: string[] }>;
  state: 'pending' | 'approved' | 'refused' | 'withdrawn' | 'expired';
  answerBy: string;
  validUntil?: string;
}

export default function Consents() {
  const t = useT(citizenMessages);
  const person = usePersonChoice();
  const about = { personalId: person.personalId };
  const list = useApi((signal) => api<{ items: Consent[] }>('GET', '/me/consents', { signal, query: about }), [person.personalId]);
  const { run, busy, feedback } = useAction();
  const decide = (c: Consent, action: 'approve' | 'refuse' | 'withdraw') =>
    run(c.consentId, async () => {
      await api('POST', `/me/consents/${c.consentId}/${action}`, { query: about });
      list.reload();
      return t('consents.done');
    });
  const state = (c: Consent) =>
    c.state === 'pending' ? t('consents.state.pending', { date: formatDate(c.answerBy) }) : c.state === 'approved' ? t('consents.state.approved', { date: c.validUntil ? formatDate(c.validUntil) : '—' }) : t(`consents.state.${c.state}`);
  return (
    <Page title={t('consents.title')} lead={t('consents.lead')}>
      {person.field}
      {feedback}
      <Shown data={list}>
        {({ items }) => (
        <PagedTable
          caption={t('consents.caption')}
          rows={items}
          rowKey={(c) => c.consentId}
          empty={t('consents.none')}
          columns={[
            { key: 'agency', header: t('consents.agency'), cell: (c) => c.agencyName },
            { key: 'purpose', header: t('consents.purpose'), cell: (c) => c.purpose },
            { key: 'data', header: t('consents.fields'), cell: (c) => c.data.flatMap((d) => d.fields).join(', ') },
            { key: 'state', header: t('consents.status'), cell: state },
            {
              key: 'actions',
              header: t('consents.actions'),
              cell: (c) =>
                c.state === 'pending' ? (
                  <span className="actions">
                    <Button busy={busy === c.consentId} onClick={() => void decide(c, 'approve')} aria-label={`${t('consents.approve')}: ${c.agencyName}`}>
                      {t('consents.approve')}
                    </Button>
                    <Button variant="secondary" disabled={busy === c.consentId} onClick={() => void decide(c, 'refuse')} aria-label={`${t('consents.refuse')}: ${c.agencyName}`}>
                      {t('consents.refuse')}
                    </Button>
                  </span>
                ) : c.state === 'approved' ? (
                  <Button variant="danger" busy={busy === c.consentId} onClick={() => void decide(c, 'withdraw')} aria-label={`${t('consents.withdraw')}: ${c.agencyName}`}>
                    {t('consents.withdraw')}
                  </Button>
                ) : null,
            },
          ]}
        />
        )}
      </Shown>
    </Page>
  );
}
