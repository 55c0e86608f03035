/** The residence application queue: by view (open, due, overdue, decided), most urgent first, a server page at a time. */
import { useState } from 'react';
import { api } from '../../api/client.js';
import { SelectField } from '../../components/Field.js';
import { Page } from '../../components/Page.js';
import { PagedTable } from '../../components/PagedTable.js';
import { ErrorState, Loading } from '../../components/States.js';
import { useApi } from '../../components/useApi.js';
import { formatDate } from '../../format/date.js';
import { useT } from '../../i18n/context.js';
import { Link } from '../../router.js';
import { PurposeGate, useCase } from './CaseContext.js';
import { byUrgency, countByUrgency, toneOf, urgencyOf, type Deadline } from './deadlines.js';
import { useLabels } from './labels.js';
import { officer } from './messages.js';
import type { ApplicationView, Page as ApiPage } from './types.js';
import { FIRST_PAGE, nextPage, pageNumber, previousPage } from '../../api/cursor-pages.js';

const VIEWS = ['open', 'due', 'overdue', 'decided', 'all'] as const;
type View = (typeof VIEWS)[number];
const PAGE_SIZE = 25;

export function DeadlineText({ deadline }: { deadline: Deadline | undefined }) {
  const t = useT(officer);
  const urgency = urgencyOf(deadline);
  if (!deadline) return <span>{t('urgency.none')}</span>;
  const day = formatDate(deadline.day);
  return (
    <span>
      {deadline.by === 'noon' ? t('deadline.noon', { day }) : t('deadline.endOfDay', { day })} — <strong className={`tone-${toneOf(urgency)}`}>{t(`urgency.${urgency}`)}</strong>
    </span>
  );
}

function QueueList() {
  const t = useT(officer);
  const label = useLabels();
  const { purpose } = useCase();
  const [view, setView] = useState<View>('open');
  // Cursors of the pages seen, so "previous" goes back without the server keeping state.
  const [pages, setPages] = useState(FIRST_PAGE);
  const cursor = pages.cursor;
  const page = useApi(
    (signal) => api<ApiPage<ApplicationView>>('GET', '/residence/applications', { signal, purpose, query: { view, limit: PAGE_SIZE, cursor } }),
    [view, cursor, purpose],
  );
  const counts = page.status === 'done' ? countByUrgency(page.value.items) : undefined;
  return (
    <>
      <SelectField
        label={t('applications.view')}
        value={view}
        onChange={(e) => {
          setView(e.target.value as View);
          setPages(FIRST_PAGE);
        }}
        options={VIEWS.map((v) => ({ value: v, label: t(`view.${v}`) }))}
      />
      {counts ? <p role="status">{t('applications.summary', { overdue: counts.overdue, today: counts.due_today, soon: counts.due_soon })}</p> : null}
      {page.status === 'loading' ? <Loading /> : null}
      {page.status === 'failed' ? <ErrorState problem={page.problem} onRetry={page.reload} /> : null}
      {page.status === 'done' ? (
        <PagedTable
          caption={t('applications.caption')}
          rows={byUrgency(page.value.items)}
          rowKey={(a) => a.applicationId}
          server={{
            page: pageNumber(pages),
            onPrevious: pages.before.length > 0 ? () => setPages(previousPage) : undefined,
            onNext: page.value.nextCursor ? () => setPages((p) => nextPage(p, page.value.nextCursor!)) : undefined,
          }}
          columns={[
            {
              key: 'id',
              header: t('applications.procedure'),
              cell: (a) => (
                <Link to="/officer/application" state={{ applicationId: a.applicationId }}>
                  {t('applications.open', { procedure: a.procedureName, id: a.applicationId })}
                </Link>
              ),
            },
            { key: 'received', header: t('applications.receivedOn'), cell: (a) => formatDate(a.receivedOn) },
            { key: 'deadline', header: t('applications.deadline'), cell: (a) => <DeadlineText deadline={a.deadline} /> },
            { key: 'status', header: t('applications.state'), cell: (a) => label.applicationStatus(a.status) },
          ]}
        />
      ) : null}
    </>
  );
}

export default function Queue() {
  const t = useT(officer);
  return (
    <Page title={t('applications.title')} lead={t('applications.lead')}>
      <PurposeGate suggested="RESIDENCE_REGISTRATION">
        <QueueList />
      </PurposeGate>
    </Page>
  );
}
