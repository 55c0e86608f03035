/** The grievance queue, oldest first, a page at a time (reading it names citizens: asked with the purpose). */
import { useState } from 'react';
import { api } from '../../api/client.js';
import { Button } from '../../components/Button.js';
import { Page } from '../../components/Page.js';
import { PagedTable } from '../../components/PagedTable.js';
import { ErrorState, Loading } from '../../components/States.js';
import { useApi } from '../../components/useApi.js';
import { formatDateTime } from '../../format/date.js';
import { useT } from '../../i18n/context.js';
import { inspector } from './messages.js';
import { PurposeField, usePurpose } from './Purpose.js';

interface Grievance {
  grievanceId: string;
  personalId: string;
  openedAt: string;
  text: string;
  status: 'opened' | 'assigned' | 'answered' | 'closed';
}

function Queue({ purpose }: { purpose: string }) {
  const t = useT(inspector);
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const data = useApi((signal) => api<{ items: Grievance[]; nextCursor?: string }>('GET', '/inspection/grievances', { signal, purpose, query: { cursor, limit: 20 } }), [purpose, cursor]);
  if (data.status === 'loading') return <Loading />;
  if (data.status === 'failed') return <ErrorState problem={data.problem} onRetry={data.reload} />;
  const next = data.value.nextCursor;
  return (
    <PagedTable
      caption={t('griev.caption')}
      rows={data.value.items}
      rowKey={(g) => g.grievanceId}
      empty={t('griev.none')}
      server={{ page: cursors.length, onPrevious: cursors.length > 1 ? () => setCursors(cursors.slice(0, -1)) : undefined, onNext: next ? () => setCursors([...cursors, next]) : undefined }}
      columns={[
        { key: 'opened', header: t('griev.opened'), cell: (g) => formatDateTime(g.openedAt) },
        { key: 'person', header: t('griev.person'), cell: (g) => g.personalId },
        { key: 'text', header: t('griev.text'), cell: (g) => g.text },
        { key: 'status', header: t('griev.status'), cell: (g) => t(`gs.${g.status}`) },
      ]}
    />
  );
}

export default function Grievances() {
  const t = useT(inspector);
  const { purpose, header } = usePurpose();
  const [shown, setShown] = useState(false);
  return (
    <Page title={t('griev.title')}>
      {shown && purpose.trim() ? (
        <Queue purpose={header} />
      ) : (
        <form className="form" onSubmit={(e) => { e.preventDefault(); setShown(true); }}>
          <PurposeField error={shown && !purpose.trim() ? t('purpose.missing') : undefined} />
          <Button type="submit">{t('griev.show')}</Button>
        </form>
      )}
    </Page>
  );
}
