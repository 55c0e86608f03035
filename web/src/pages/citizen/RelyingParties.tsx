/** The services the citizen allowed to sign them in with their e-ID (decision 0043), and revoking one. */
import { useState } from 'react';
import { api } from '../../api/client.js';
import type { Problem } from '../../api/problem.js';
import { Button } from '../../components/Button.js';
import { Page } from '../../components/Page.js';
import { PagedTable } from '../../components/PagedTable.js';
import { ErrorState, Loading } from '../../components/States.js';
import { problemOf, useApi } from '../../components/useApi.js';
import { formatDateTime } from '../../format/date.js';
import { useT } from '../../i18n/context.js';
import { citizenMessages } from './messages.js';

interface Grant {
  clientId: string;
  name: string;
  purpose: string;
  claims: string[];
  lastUse?: string;
}

export default function RelyingParties() {
  const t = useT(citizenMessages);
  const list = useApi((signal) => api<Grant[]>('GET', '/me/relying-parties', { signal }), []);
  const [problem, setProblem] = useState<Problem | undefined>();
  const revoke = async (g: Grant) => {
    setProblem(undefined);
    try {
      await api('DELETE', `/me/relying-parties/${encodeURIComponent(g.clientId)}`);
      list.reload();
    } catch (e) {
      setProblem(problemOf(e));
    }
  };
  return (
    <Page title={t('rp.title')} lead={t('rp.lead')}>
      {problem ? <ErrorState problem={problem} /> : null}
      {list.status === 'loading' ? (
        <Loading />
      ) : list.status === 'failed' ? (
        <ErrorState problem={list.problem} onRetry={list.reload} />
      ) : (
        <PagedTable
          caption={t('rp.caption')}
          rows={list.value}
          rowKey={(g) => g.clientId}
          empty={t('rp.none')}
          columns={[
            { key: 'name', header: t('rp.name'), cell: (g) => g.name },
            { key: 'claims', header: t('rp.claims'), cell: (g) => g.claims.join(', ') },
            { key: 'last', header: t('rp.lastUse'), cell: (g) => (g.lastUse ? formatDateTime(g.lastUse) : '—') },
            {
              key: 'revoke',
              header: t('rp.revoke'),
              cell: (g) => (
                <Button variant="danger" onClick={() => void revoke(g)} aria-label={t('rp.revokeNamed', { name: g.name })}>
                  {t('rp.revoke')}
                </Button>
              ),
            },
          ]}
        />
      )}
    </Page>
  );
}
