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
  // The type by its name, as the public directory writes it.
  const data = useApi(async (signal) => {
    const [agencies, directory] = await Promise.all([api<Agency[]>('GET', '/admin/agencies', { signal }), api<Array<{ code: string; typeName: string }>>('GET', '/exchange/directory', { signal })]);
    const typeName = new Map(directory.map((d) => [d.code, d.typeName]));
    return agencies.map((a) => ({ ...a, typeName: typeName.get(a.code) ?? a.type }));
  }, []);
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
            { key: 'type', header: t('agencies.type'), cell: (a) => a.typeName },
            { key: 'focal', header: t('agencies.focal'), cell: (a) => a.focalPoints.map((f) => `${f.fullName} (${f.position}), ${f.phone}, ${f.email}`).join('; ') },
          ]}
        />
      ) : null}
    </Page>
  );
}
