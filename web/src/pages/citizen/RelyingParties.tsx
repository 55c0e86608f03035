/** The services the citizen allowed to sign them in with their e-ID (decision 0043), and revoking one. */
import { api } from '../../api/client.js';
import { Button } from '../../components/Button.js';
import { Page } from '../../components/Page.js';
import { PagedTable } from '../../components/PagedTable.js';
import { useApi } from '../../components/useApi.js';
import { formatDateTime } from '../../format/date.js';
import { useT } from '../../i18n/context.js';
import { citizenMessages } from './messages.js';
import { Shown, useAction } from './feedback.js';

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
  const { run, busy, feedback } = useAction();
  const revoke = (g: Grant) =>
    void run(g.clientId, async () => {
      await api('DELETE', `/me/relying-parties/${encodeURIComponent(g.clientId)}`);
      list.reload();
    });
  return (
    <Page title={t('rp.title')} lead={t('rp.lead')}>
      {feedback}
      <Shown data={list}>
        {(grants) => (
          <PagedTable
            caption={t('rp.caption')}
            rows={grants}
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
                  <Button variant="danger" busy={busy === g.clientId} onClick={() => revoke(g)} aria-label={t('rp.revokeNamed', { name: g.name })}>
                    {t('rp.revoke')}
                  </Button>
                ),
              },
            ]}
          />
        )}
      </Shown>
    </Page>
  );
}
