/**
 * Written requests for the citizen's data, and those they made about a person they represent, and
 * how far each is (Luật Căn cước Art. 10(5)(c)); an organisation's request waits for the citizen's
 * consent, given or refused here. Who made each and whom it is about come from the API's `asSeen`
 * (decision 0040): "you", or the name the API gives, which is only one the citizen may see.
 */
import { useState } from 'react';
import { api } from '../../api/client.js';
import { Button } from '../../components/Button.js';
import { Page } from '../../components/Page.js';
import { PagedTable } from '../../components/PagedTable.js';
import { useApi } from '../../components/useApi.js';
import { formatDate } from '../../format/date.js';
import { formatName } from '../../format/text.js';
import { useT } from '../../i18n/context.js';
import { citizenMessages } from './messages.js';
import { Shown, useAction } from './feedback.js';
import { FIRST_PAGE, nextPage, pageNumber, previousPage } from '../../api/cursor-pages.js';

interface WrittenRequest {
  requestId: string;
  status: 'awaiting_consent' | 'open' | 'provided' | 'refused';
  receivedOn: string;
  requester: { kind: 'citizen' } | { kind: 'organisation'; name: string };
  purpose: string;
  deadline?: { day: string };
  asSeen: { aboutYou: boolean; byYou: boolean; aboutName?: string; requesterName?: string };
}

export default function WrittenRequests() {
  const t = useT(citizenMessages);
  const [pages, setPages] = useState(FIRST_PAGE);
  const list = useApi((signal) => api<{ items: WrittenRequest[]; nextCursor?: string }>('GET', '/me/written-requests', { signal, query: { cursor: pages.cursor, limit: 20 } }), [pages]);
  const { run, busy, feedback } = useAction();
  const answer = (r: WrittenRequest, a: 'given' | 'refused') =>
    void run(r.requestId, async () => {
      await api('POST', `/me/written-requests/${r.requestId}/consent`, { body: { answer: a } });
      list.reload();
      return t('written.answered');
    });
  const who = (r: WrittenRequest) =>
    r.requester.kind === 'organisation' ? r.requester.name : r.asSeen.byYou ? t('written.self') : r.asSeen.requesterName ? formatName(r.asSeen.requesterName) : t('written.otherCitizen');
  const about = (r: WrittenRequest) => (r.asSeen.aboutYou ? t('written.self') : r.asSeen.aboutName ? formatName(r.asSeen.aboutName) : t('written.otherPerson'));
  return (
    <Page title={t('written.title')} lead={t('written.lead')}>
      {feedback}
      <Shown data={list}>
        {(value) => (
        <PagedTable
          caption={t('written.caption')}
          rows={value.items}
          rowKey={(r) => r.requestId}
          empty={t('written.none')}
          server={{
            page: pageNumber(pages),
            onPrevious: pages.before.length > 0 ? () => setPages(previousPage) : undefined,
            onNext: value.nextCursor ? () => setPages((p) => nextPage(p, value.nextCursor!)) : undefined,
          }}
          columns={[
            { key: 'received', header: t('written.received'), cell: (r) => formatDate(r.receivedOn) },
            { key: 'requester', header: t('written.requester'), cell: who },
            { key: 'about', header: t('written.about'), cell: about },
            { key: 'purpose', header: t('written.purpose'), cell: (r) => r.purpose },
            { key: 'due', header: t('written.due'), cell: (r) => (r.deadline ? formatDate(r.deadline.day) : '—') },
            {
              key: 'status',
              header: t('written.status'),
              cell: (r) =>
                r.status === 'awaiting_consent' ? (
                  <span className="actions">
                    {t('written.status.awaiting_consent')}{' '}
                    <Button busy={busy === r.requestId} onClick={() => answer(r, 'given')} aria-label={`${t('written.give')}: ${who(r)}`}>
                      {t('written.give')}
                    </Button>
                    <Button variant="secondary" disabled={busy === r.requestId} onClick={() => answer(r, 'refused')} aria-label={`${t('written.refuse')}: ${who(r)}`}>
                      {t('written.refuse')}
                    </Button>
                  </span>
                ) : (
                  t(`written.status.${r.status}`)
                ),
            },
          ]}
        />
        )}
      </Shown>
    </Page>
  );
}
