/**
 * Documents a citizen asks for themselves — residence confirmation CT07, confirmation of the old
 * CMND number, the personal-ID notice — issued at once and signed; every one issued to them listed
 * with its PDF to download (POST /me/certificates/{kind}, GET /me/certificates/{number}/pdf).
 */
import { api, apiFile, saveFile } from '../../api/client.js';
import { Button } from '../../components/Button.js';
import { Page, Section } from '../../components/Page.js';
import { PagedTable } from '../../components/PagedTable.js';
import { useApi } from '../../components/useApi.js';
import { formatDate } from '../../format/date.js';
import { useT } from '../../i18n/context.js';
import { citizenMessages } from './messages.js';
import { Shown, useAction } from './feedback.js';

type Kind = 'RESIDENCE_CONFIRMATION' | 'LEGACY_ID_CONFIRMATION' | 'PERSONAL_ID_NOTICE';
interface MyCertificate {
  number: string;
  kind: Kind;
  issuedOn: string;
  title: string;
  revoked: boolean;
}
const REQUESTS = [
  ['residence-confirmation', 'documents.ct07'],
  ['legacy-id-confirmation', 'documents.legacy'],
  ['personal-id-notice', 'documents.notice'],
] as const;
const NAME_OF: Record<Kind, 'documents.ct07' | 'documents.legacy' | 'documents.notice'> = {
  RESIDENCE_CONFIRMATION: 'documents.ct07',
  LEGACY_ID_CONFIRMATION: 'documents.legacy',
  PERSONAL_ID_NOTICE: 'documents.notice',
};

export default function Documents() {
  const t = useT(citizenMessages);
  const list = useApi((signal) => api<MyCertificate[]>('GET', '/me/certificates', { signal }), []);
  const { run, busy, feedback } = useAction();
  const ask = (slug: string) =>
    void run(slug, async () => {
      const c = await api<MyCertificate>('POST', `/me/certificates/${slug}`);
      list.reload();
      return t('documents.issued', { title: t(NAME_OF[c.kind]), number: c.number });
    });
  const download = (c: MyCertificate) =>
    void run(c.number, async () => {
      const { blob, fileName } = await apiFile(`/me/certificates/${c.number}/pdf`, { accept: 'application/pdf' });
      saveFile(blob, fileName ?? `${c.number}.pdf`);
    });

  return (
    <Page title={t('documents.title')} lead={t('documents.lead')}>
      <Section title={t('documents.request')}>
        <ul className="plain request-list">
          {REQUESTS.map(([slug, key]) => (
            <li key={slug}>
              <span>{t(key)}</span>{' '}
              <Button variant="secondary" busy={busy === slug} disabled={busy !== undefined} onClick={() => ask(slug)} aria-label={`${t('documents.ask')}: ${t(key)}`}>
                {t('documents.ask')}
              </Button>
            </li>
          ))}
        </ul>
      </Section>
      {feedback}
      <Shown data={list}>
        {(documents) => (
        <PagedTable
          caption={t('documents.caption')}
          rows={documents}
          rowKey={(c) => c.number}
          empty={t('documents.none')}
          columns={[
            { key: 'kind', header: t('documents.kind'), cell: (c) => t(NAME_OF[c.kind]) },
            { key: 'number', header: t('documents.number'), cell: (c) => c.number },
            { key: 'issued', header: t('documents.issuedOn'), cell: (c) => formatDate(c.issuedOn) },
            { key: 'state', header: t('documents.state'), cell: (c) => t(c.revoked ? 'documents.revoked' : 'documents.valid') },
            {
              key: 'pdf',
              header: t('documents.download'),
              cell: (c) => (
                <Button variant="secondary" busy={busy === c.number} onClick={() => download(c)} aria-label={t('documents.downloadNamed', { number: c.number })}>
                  {t('documents.download')}
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
