/** Connections by state: the requests waiting first, each opening its page. */
import { useState } from 'react';
import { api } from '../../api/client.js';
import { SelectField } from '../../components/Field.js';
import { Page } from '../../components/Page.js';
import { PagedTable } from '../../components/PagedTable.js';
import { ErrorState, Loading } from '../../components/States.js';
import { useApi } from '../../components/useApi.js';
import { exchange } from '../../exchange/messages.js';
import type { Connection, ConnectionState } from '../../exchange/types.js';
import { StateLabel } from '../../exchange/views.js';
import { formatDate } from '../../format/date.js';
import { useT } from '../../i18n/context.js';
import { Link } from '../../router.js';
import { ministry } from './messages.js';

const STATES: readonly ConnectionState[] = ['requested', 'testing', 'active', 'suspended', 'terminated'];

export default function Connections() {
  const t = useT(ministry);
  const x = useT(exchange);
  const [state, setState] = useState<string>('');
  const data = useApi((signal) => api<Connection[]>('GET', '/admin/connections', { signal, query: { state: state || undefined } }), [state]);
  return (
    <Page title={t('conn.title')}>
      <SelectField label={t('conn.filter')} value={state} onChange={(e) => setState(e.target.value)} options={[{ value: '', label: t('conn.all') }, ...STATES.map((s) => ({ value: s, label: x(`state.${s}`) }))]} />
      {data.status === 'loading' ? <Loading /> : null}
      {data.status === 'failed' ? <ErrorState problem={data.problem} onRetry={data.reload} /> : null}
      {data.status === 'done' ? (
        <PagedTable
          caption={t('conn.caption')}
          rows={data.value}
          rowKey={(c) => c.connectionId}
          empty={t('conn.none')}
          columns={[
            { key: 'system', header: x('conn.system'), cell: (c) => <Link to="/ministry/connection" state={{ connectionId: c.connectionId }}>{c.systemName}</Link> },
            { key: 'agency', header: x('conn.agency'), cell: (c) => c.agencyCode },
            { key: 'id', header: x('conn.id'), cell: (c) => c.connectionId },
            { key: 'state', header: x('conn.state'), cell: (c) => <StateLabel state={c.state} /> },
            { key: 'created', header: x('conn.created'), cell: (c) => formatDate(c.createdAt) },
          ]}
        />
      ) : null}
    </Page>
  );
}
