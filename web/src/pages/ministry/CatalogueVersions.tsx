/** Catalogue versions by year: prepare next year's draft from the latest, publish a draft. */
import { useState } from 'react';
import { api } from '../../api/client.js';
import type { Problem } from '../../api/problem.js';
import { Button } from '../../components/Button.js';
import { Page } from '../../components/Page.js';
import { PagedTable } from '../../components/PagedTable.js';
import { ErrorState, Loading } from '../../components/States.js';
import { problemOf, useApi } from '../../components/useApi.js';
import { formatDate } from '../../format/date.js';
import { useT } from '../../i18n/context.js';
import { ministry } from './messages.js';

interface Version {
  year: number;
  status: 'draft' | 'published';
  publishedAt?: string;
  services: unknown[];
}

export default function CatalogueVersions() {
  const t = useT(ministry);
  const data = useApi((signal) => api<Version[]>('GET', '/admin/catalogue', { signal }), []);
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const act = async (method: string, path: string, body?: unknown) => {
    setBusy(true);
    setProblem(undefined);
    try {
      await api(method, path, body === undefined ? {} : { body });
      data.reload();
    } catch (e) {
      setProblem(problemOf(e));
    } finally {
      setBusy(false);
    }
  };
  if (data.status === 'loading') return <Page title={t('cat.title')}><Loading /></Page>;
  if (data.status === 'failed') return <Page title={t('cat.title')}><ErrorState problem={data.problem} onRetry={data.reload} /></Page>;
  const versions = [...data.value].sort((a, b) => b.year - a.year);
  const next = (versions[0]?.year ?? new Date().getFullYear() - 1) + 1;
  const draft = versions.find((v) => v.status === 'draft');
  return (
    <Page title={t('cat.title')}>
      <div className="actions">
        {draft ? (
          <Button busy={busy} onClick={() => void act('POST', `/admin/catalogue/${draft.year}/publication`, {})}>
            {t('cat.publish', { year: draft.year })}
          </Button>
        ) : (
          <Button busy={busy} variant="secondary" onClick={() => void act('POST', `/admin/catalogue/${next}`)}>
            {t('cat.prepare', { year: next })}
          </Button>
        )}
      </div>
      {problem ? <ErrorState problem={problem} /> : null}
      <PagedTable
        caption={t('cat.caption')}
        rows={versions}
        rowKey={(v) => String(v.year)}
        columns={[
          { key: 'year', header: t('cat.year'), cell: (v) => String(v.year) },
          { key: 'status', header: t('cat.status'), cell: (v) => (v.status === 'draft' ? t('cat.draft') : t('cat.publishedStatus')) },
          { key: 'published', header: t('cat.published'), cell: (v) => (v.publishedAt ? formatDate(v.publishedAt) : '—') },
          { key: 'services', header: t('cat.services'), cell: (v) => String(v.services.length) },
        ]}
      />
    </Page>
  );
}
