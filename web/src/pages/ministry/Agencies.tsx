/** The registered agencies with their focal points. */
import { api } from '../../api/client.js';
import { Page } from '../../components/Page.js';
import { PagedTable } from '../../components/PagedTable.js';
import { ErrorState, Loading } from '../../components/States.js';
import { useApi } from '../../components/useApi.js';
import type { Agency } from '../../exchange/types.js';
import { useT } from '../../i18n/context.js';
import { ministry } from './messages.js';

export default function Agencies() {
  const t = useT(ministry);
  const data = useApi((signal) => api<Agency[]>('GET', '/admin/agencies', { signal }), []);
  return (
    <Page title={t('agencies.title')}>
      {data.status === 'loading' ? <Loading /> : null}
      {data.status === 'failed' ? <ErrorState problem={data.problem} onRetry={data.reload} /> : null}
      {data.status === 'done' ? (
        <PagedTable
          caption={t('agencies.caption')}
          rows={data.value}
          rowKey={(a) => a.code}
          columns={[
            { key: 'code', header: t('agencies.code'), cell: (a) => a.code },
            { key: 'name', header: t('agencies.name'), cell: (a) => a.name },
            { key: 'type', header: t('agencies.type'), cell: (a) => a.type },
            { key: 'focal', header: t('agencies.focal'), cell: (a) => a.focalPoints.map((f) => `${f.fullName} (${f.position}), ${f.phone}, ${f.email}`).join('; ') },
          ]}
        />
      ) : null}
    </Page>
  );
}
