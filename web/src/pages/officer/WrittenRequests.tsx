/** Written requests by deadline (GET /written-requests views), a server page at a time. */
import { useState } from 'react';
import { api } from '../../api/client.js';
import { SelectField } from '../../components/Field.js';
import { Page } from '../../components/Page.js';
import { PagedTable } from '../../components/PagedTable.js';
import { ErrorState, Loading } from '../../components/States.js';
import { useApi } from '../../components/useApi.js';
import { formatDate } from '../../format/date.js';
import { useT } from '../../i18n/context.js';
import { PurposeGate, useCase } from './CaseContext.js';
import type { Deadline } from './deadlines.js';
import { officer } from './messages.js';
import { DeadlineText } from './Queue.js';
import type { Page as ApiPage } from './types.js';

const VIEWS = ['open', 'awaiting_consent', 'due_today', 'overdue', 'decided', 'all'] as const;
type View = (typeof VIEWS)[number];

interface WrittenRequest {
  requestId: string;
  status: string;
  receivedOn: string;
  requester: { kind: 'citizen' } | { kind: 'organisation'; name?: string };
  deadline?: Deadline;
}

function List() {
  const t = useT(officer);
  const { purpose } = useCase();
  const [view, setView] = useState<View>('open');
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const page = useApi((signal) => api<ApiPage<WrittenRequest>>('GET', '/written-requests', { signal, purpose, query: { view, limit: 25, cursor } }), [view, cursor, purpose]);
  return (
    <>
      <SelectField
        label={t('written.view')}
        value={view}
        onChange={(e) => {
          setView(e.target.value as View);
          setCursors([undefined]);
        }}
        options={VIEWS.map((v) => ({ value: v, label: t(`wview.${v}`) }))}
      />
      {page.status === 'loading' ? <Loading /> : null}
      {page.status === 'failed' ? <ErrorState problem={page.problem} onRetry={page.reload} /> : null}
      {page.status === 'done' ? (
        <PagedTable
          caption={t('written.caption')}
          rows={page.value.items}
          rowKey={(r) => r.requestId}
          server={{
            page: cursors.length,
            onPrevious: cursors.length > 1 ? () => setCursors(cursors.slice(0, -1)) : undefined,
            onNext: page.value.nextCursor ? () => setCursors([...cursors, page.value.nextCursor]) : undefined,
          }}
          columns={[
            { key: 'id', header: t('written.number'), cell: (r) => `${r.requestId} (${formatDate(r.receivedOn)})` },
            { key: 'requester', header: t('written.requester'), cell: (r) => (r.requester.kind === 'organisation' ? (r.requester.name ?? '') : t('person.title')) },
            { key: 'deadline', header: t('written.deadline'), cell: (r) => <DeadlineText deadline={r.deadline} /> },
            { key: 'status', header: t('written.state'), cell: (r) => (VIEWS as readonly string[]).includes(r.status) ? t(`wview.${r.status as View}`) : r.status },
          ]}
        />
      ) : null}
    </>
  );
}

export default function WrittenRequests() {
  const t = useT(officer);
  return (
    <Page title={t('written.title')} lead={t('written.lead')}>
      <PurposeGate suggested="WRITTEN_REQUEST">
        <List />
      </PurposeGate>
    </Page>
  );
}
