/**
 * Documents a citizen asks for themselves — residence confirmation CT07, confirmation of the old
 * CMND number, the personal-ID notice — issued at once and signed; every one issued to them listed
 * with its PDF to download (POST /me/certificates/{kind}, GET /me/certificates/{number}/pdf).
 */
import { useState } from 'react';
import { api, apiFile, saveFile } from '../../api/client.js';
import type { Problem } from '../../api/problem.js';
import { Button } from '../../components/Button.js';
import { Page, Section } from '../../components/Page.js';
import { PagedTable } from '../../components/PagedTable.js';
import { ErrorState, Loading } from '../../components/States.js';
import { problemOf, useApi } from '../../components/useApi.js';
import { formatDate } from '../../format/date.js';
import { useT } from '../../i18n/context.js';
import { citizenMessages } from './messages.js';

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
  const [busy, setBusy] = useState<string | undefined>();
  const [problem, setProblem] = useState<Problem | undefined>();
  const [notice, setNotice] = useState<string | undefined>();

  const ask = async (slug: string) => {
    setBusy(slug);
    setProblem(undefined);
    setNotice(undefined);
    try {
      const c = await api<MyCertificate>('POST', `/me/certificates/${slug}`);
      setNotice(t('documents.issued', { title: t(NAME_OF[c.kind]), number: c.number }));
      list.reload();
    } catch (e) {
      setProblem(problemOf(e));
    } finally {
      setBusy(undefined);
    }
  };
  const download = async (c: MyCertificate) => {
    setProblem(undefined);
    try {
      const { blob, fileName } = await apiFile(`/me/certificates/${c.number}/pdf`, { accept: 'application/pdf' });
      saveFile(blob, fileName ?? `${c.number}.pdf`);
    } catch (e) {
      setProblem(problemOf(e));
    }
  };

  return (
    <Page title={t('documents.title')} lead={t('documents.lead')}>
      <Section title={t('documents.request')}>
        <ul className="plain request-list">
          {REQUESTS.map(([slug, key]) => (
            <li key={slug}>
              <span>{t(key)}</span>{' '}
              <Button variant="secondary" busy={busy === slug} disabled={busy !== undefined} onClick={() => void ask(slug)} aria-label={`${t('documents.ask')}: ${t(key)}`}>
                {t('documents.ask')}
              </Button>
            </li>
          ))}
        </ul>
      </Section>
      {problem ? <ErrorState problem={problem} /> : null}
      {notice ? <p role="status">{notice}</p> : null}
      {list.status === 'loading' ? (
        <Loading />
      ) : list.status === 'failed' ? (
        <ErrorState problem={list.problem} onRetry={list.reload} />
      ) : (
        <PagedTable
          caption={t('documents.caption')}
          rows={list.value}
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
                <Button variant="secondary" onClick={() => void download(c)} aria-label={t('documents.downloadNamed', { number: c.number })}>
                  {t('documents.download')}
                </Button>
              ),
            },
          ]}
        />
      )}
    </Page>
  );
}
