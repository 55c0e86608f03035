/** One of the agency's connections: its facts, its history, its keys (upload or rotate), the consent requests it sent. */
import { useState } from 'react';
import { api } from '../../api/client.js';
import type { Problem } from '../../api/problem.js';
import { Button } from '../../components/Button.js';
import { Page, Section } from '../../components/Page.js';
import { PagedTable } from '../../components/PagedTable.js';
import { ErrorState, Loading } from '../../components/States.js';
import { TextArea } from '../../components/TextArea.js';
import { problemOf, useApi } from '../../components/useApi.js';
import type { ConnectionWithEvents } from '../../exchange/types.js';
import { ConnectionFacts, History } from '../../exchange/views.js';
import { exchange } from '../../exchange/messages.js';
import { formatDate } from '../../format/date.js';
import { useT } from '../../i18n/context.js';
import { Link, usePageState } from '../../router.js';
import { NotFound } from '../public/NotFound.js';
import { agency as messages } from './messages.js';

interface ConsentView {
  consentId: string;
  personalId: string;
  purpose: string;
  state: 'pending' | 'approved' | 'refused' | 'withdrawn' | 'expired';
  createdAt: string;
  answerBy: string;
}
/** Recorded with each reading of the requests (they name people): the administrator reviews what the system sent. */
const REVIEW_PURPOSE = 'agency-consent-review';

function Keys({ connectionId, onSaved }: { connectionId: string; onSaved(): void }) {
  const t = useT(messages);
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setProblem(undefined);
    setSaved(false);
    let jwks: unknown;
    try {
      jwks = JSON.parse(text);
    } catch {
      return setError(t('keys.invalid'));
    }
    setBusy(true);
    try {
      await api('PUT', `/my-agency/connections/${encodeURIComponent(connectionId)}/keys`, { body: jwks });
      setSaved(true);
      setText('');
      onSaved();
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section title={t('keys.title')}>
      <form className="form" onSubmit={submit}>
        <TextArea label={t('keys.label')} hint={t('keys.hint')} value={text} onChange={(e) => setText(e.target.value)} error={error} rows={6} className="mono" />
        <Button type="submit" busy={busy} disabled={!text.trim()}>
          {t('keys.submit')}
        </Button>
        {saved ? <p role="status">{t('keys.saved')}</p> : null}
        {problem ? <ErrorState problem={problem} /> : null}
      </form>
    </Section>
  );
}

function Consents({ connectionId }: { connectionId: string }) {
  const t = useT(messages);
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const before = cursors[cursors.length - 1];
  const data = useApi(
    (signal) => api<{ items: ConsentView[]; next?: string }>('GET', `/my-agency/connections/${encodeURIComponent(connectionId)}/consents`, { signal, purpose: REVIEW_PURPOSE, query: { before, limit: 20 } }),
    [connectionId, before],
  );
  return (
    <Section title={t('consents.title')}>
      {data.status === 'loading' ? <Loading /> : null}
      {data.status === 'failed' ? <ErrorState problem={data.problem} onRetry={data.reload} /> : null}
      {data.status === 'done' ? (
        <PagedTable
          caption={t('consents.caption')}
          rows={data.value.items}
          rowKey={(c) => c.consentId}
          empty={t('consents.none')}
          server={{
            page: cursors.length,
            onPrevious: cursors.length > 1 ? () => setCursors(cursors.slice(0, -1)) : undefined,
            onNext: data.value.next ? () => setCursors([...cursors, data.value.next]) : undefined,
          }}
          columns={[
            { key: 'person', header: t('consents.person'), cell: (c) => c.personalId },
            { key: 'purpose', header: t('consents.purpose'), cell: (c) => c.purpose },
            { key: 'state', header: t('consents.state'), cell: (c) => t(`consent.${c.state}`) },
            { key: 'created', header: t('consents.created'), cell: (c) => formatDate(c.createdAt) },
            { key: 'answerBy', header: t('consents.answerBy'), cell: (c) => formatDate(c.answerBy) },
          ]}
        />
      ) : null}
    </Section>
  );
}

export default function ConnectionPage() {
  const t = useT(messages);
  const x = useT(exchange);
  const connectionId = usePageState<{ connectionId: string }>()?.connectionId;
  const [showConsents, setShowConsents] = useState(false);
  const data = useApi((signal) => (connectionId ? api<ConnectionWithEvents>('GET', `/my-agency/connections/${encodeURIComponent(connectionId)}`, { signal }) : Promise.resolve(undefined)), [connectionId]);
  if (!connectionId) return <NotFound />;
  if (data.status === 'loading') return <Page title={x('conn.id')}><Loading /></Page>;
  if (data.status === 'failed' || !data.value) return <Page title={x('conn.id')}>{data.status === 'failed' ? <ErrorState problem={data.problem} onRetry={data.reload} /> : null}</Page>;
  const c = data.value;
  return (
    <Page title={t('conn.title', { system: c.systemName })}>
      <p>
        <Link to="/agency">{t('conn.back')}</Link>
      </p>
      <ConnectionFacts c={c} />
      <Section title={x('history.title')}>
        <History events={c.events} />
      </Section>
      <Keys connectionId={c.connectionId} onSaved={data.reload} />
      {showConsents ? (
        <Consents connectionId={c.connectionId} />
      ) : (
        <Section title={t('consents.title')}>
          <Button variant="secondary" onClick={() => setShowConsents(true)}>
            {t('consents.show')}
          </Button>
        </Section>
      )}
    </Page>
  );
}
